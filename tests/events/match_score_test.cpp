// Scoring a record against a candidate movie (events/match_score.hpp), with the
// cases that decide precision and recall: remakes with the same title, years
// apart, articles, subtitles, number words, other titles as evidence, runtime and
// genres as tie breakers.

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "events/match_score.hpp"

using namespace moviec::events;
using nlohmann::json;

namespace {

SourceRecord record(const std::string& title, int year, std::vector<std::string> genres = {}) {
  SourceRecord r;
  r.source = "movielens";
  r.source_id = "1";
  r.title = title;
  r.year = year;
  r.genres = std::move(genres);
  return r;
}

json movie(const std::string& title, int year, std::optional<int> runtime = std::nullopt,
           std::vector<std::string> genres = {}) {
  json j{{"movie_id", "tt1"}, {"title", title}, {"year", year}};
  if (runtime) j["runtime_minutes"] = *runtime;
  if (!genres.empty()) j["genres"] = genres;
  return j;
}

MatchScore scored(const SourceRecord& r, const json& m, const MatchWeights& w = {}) {
  return score_match(facts_of(r), facts_of_movie(m), w);
}
double weight(const SourceRecord& r, const json& m) { return scored(r, m).weight; }
double score(const SourceRecord& r, const json& m) { return scored(r, m).confidence; }

}  // namespace

TEST_CASE("exact title and year is 7 bits, each year apart costs more, beyond the window none",
          "[match_score]") {
  auto r = record("Usual Suspects, The", 1995);
  CHECK(weight(r, movie("The Usual Suspects", 1995)) == Approx(7.0));
  CHECK(score(r, movie("The Usual Suspects", 1995)) == Approx(0.992));
  CHECK(weight(r, movie("The Usual Suspects", 1996)) == Approx(4.5));
  CHECK(weight(r, movie("The Usual Suspects", 1997)) == Approx(2.0));
  CHECK(score(r, movie("The Usual Suspects", 1998)) == 0);
  MatchWeights narrow;
  narrow.year_window = 1;
  CHECK(scored(r, movie("The Usual Suspects", 1997), narrow).confidence == 0);
  auto s = scored(r, movie("The Usual Suspects", 1996));
  CHECK(s.features["title"] == "exact");
  CHECK(s.features["year_gap"] == 1);
  CHECK(s.why.find("year 1 apart -2.5") != std::string::npos);
}

TEST_CASE("a remake with the same title is told apart by its year", "[match_score]") {
  auto record2003 = record("Italian Job, The", 2003);
  CHECK(score(record2003, movie("The Italian Job", 1969)) == 0);
  CHECK(score(record2003, movie("The Italian Job", 2003)) == Approx(0.992));
}

TEST_CASE("a record with no year or no shared title is never a candidate", "[match_score]") {
  auto r = record("Toy Story", 1995);
  r.year.reset();
  CHECK(score(r, movie("Toy Story", 1995)) == 0);
  // A number more is a sequel, not a subtitle.
  CHECK(score(record("Toy Story 2", 1999), movie("Toy Story", 1999)) == 0);
}

TEST_CASE("articles are weak words: another article costs more than a year", "[match_score]") {
  auto trip = record("The Trip", 2010);
  CHECK(compare_titles(title_form("The Trip"), title_form("A Trip")) == TitleLevel::article_differs);
  CHECK(weight(trip, movie("A Trip", 2010)) < weight(trip, movie("The Trip", 2011)));
  // An article left out is nearly the same title.
  CHECK(compare_titles(title_form("Trip"), title_form("The Trip")) == TitleLevel::article_missing);
  CHECK(weight(trip, movie("Trip", 2010)) == Approx(5.5));
}

TEST_CASE("spacing, number words, Roman numerals and '&' do not change a title", "[match_score]") {
  CHECK(compare_titles(title_form("Suckerpunch"), title_form("Sucker Punch")) == TitleLevel::spacing);
  CHECK(compare_titles(title_form("Daddy's Home Two"), title_form("Daddy's Home 2")) == TitleLevel::exact);
  CHECK(compare_titles(title_form("Rocky II"), title_form("Rocky 2")) == TitleLevel::exact);
  CHECK(compare_titles(title_form("Fast & Furious"), title_form("Fast and Furious")) == TitleLevel::exact);
  CHECK(compare_titles(title_form("Schindler's List"), title_form("Schindlers List")) == TitleLevel::exact);
  // Exact beats spacing: "Sucker Punch" is closer to "Sucker Punch" than "Suckerpunch" is.
  auto r = record("Sucker Punch", 2011);
  CHECK(weight(r, movie("Sucker Punch", 2011)) > weight(r, movie("Suckerpunch", 2011)));
}

TEST_CASE("a main title without its subtitle, and subtitle variants, match weakly", "[match_score]") {
  CHECK(compare_titles(title_form("Star Wars"), title_form("Star Wars: Episode IV - A New Hope")) ==
        TitleLevel::main_title);
  CHECK(compare_titles(title_form("Star Wars: The Force Awakens"),
                       title_form("Star Wars: Episode VII - The Force Awakens")) == TitleLevel::words_within);
  CHECK(compare_titles(title_form("Alien: Resurrection"), title_form("Alien: Covenant")) == TitleLevel::other);
  auto r = record("Star Wars: The Force Awakens", 2015);
  CHECK(score(r, movie("Star Wars: Episode VII - The Force Awakens", 2015)) >= 0.8);
}

TEST_CASE("every known title of both sides is evidence for a match, never against", "[match_score]") {
  // MovieLens gives the English title first and the original in brackets.
  auto r = record("City of Lost Children, The (Cité des enfants perdus, La)", 1995);
  CHECK(weight(r, movie("La cité des enfants perdus", 1995)) == Approx(6.5));
  // An alternate title one year apart is still a match.
  CHECK(score(r, movie("La cité des enfants perdus", 1996)) >= 0.8);
  // TMDB's original title mapped to names: known or not, it never costs anything.
  auto tmdb = record("Pulse", 2006, {"Horror"});
  tmdb.names.push_back(LocalizedName{"Kairo", "", "", false});
  auto plain = record("Pulse", 2006, {"Horror"});
  CHECK(weight(tmdb, movie("Pulse", 2006, std::nullopt, {"Horror"})) ==
        weight(plain, movie("Pulse", 2006, std::nullopt, {"Horror"})));
  json known = movie("Kairo", 2006);
  CHECK(scored(tmdb, known).features["title"] == "exact");
  CHECK(scored(tmdb, known).features.contains("title_pair"));
}

TEST_CASE("runtime and genres move the weight when both sides have them", "[match_score]") {
  auto r = record("Hamlet", 1990, {"Drama"});
  r.runtime_minutes = 134;
  CHECK(weight(r, movie("Hamlet", 1990, 135, {"Drama"})) == Approx(7.0 + 1.5 + 0.5));
  CHECK(weight(r, movie("Hamlet", 1990, 60, {"Drama"})) == Approx(7.0 - 3.0 + 0.5));
  CHECK(weight(r, movie("Hamlet", 1990, 115, {"Comedy"})) == Approx(7.0 - 1.5 - 1.5));
  // Genre vocabularies differ between sources; words are compared, not labels.
  auto rt = record("Hamlet", 1990, {"Art House & International", "Drama"});
  CHECK(scored(rt, movie("Hamlet", 1990, std::nullopt, {"Drama", "History"})).features["genres"] == "shared");
  // Unknown on one side: no evidence either way.
  CHECK(weight(record("Hamlet", 1990), movie("Hamlet", 1990, 135, {"Drama"})) == Approx(7.0));
}

TEST_CASE("an external id both sides carry is strong evidence", "[match_score]") {
  auto r = record("Heat", 1995);
  r.external_ids["tmdb"] = "949";
  json m = movie("Heat", 1995);
  m["external_ids"] = json{{"tmdb", "949"}};
  auto s = scored(r, m);
  CHECK(s.weight == Approx(15.0));
  CHECK(s.features["external_id"] == "tmdb=949");
}

TEST_CASE("a mojibake title matches the clean one", "[match_score][mojibake]") {
  CHECK(score(record("L\xe2\x88\x9a\xc2\xa9on: The Professional", 1994), movie("Léon: The Professional", 1994)) ==
        Approx(0.992));
  CHECK(score(record("L\xc3\x88on", 1994), movie("Léon", 1994)) == Approx(0.992));
}

TEST_CASE("subtitles, abbreviations, 3D and number words as real exports write them", "[match_score]") {
  CHECK(compare_titles(title_form("Return of the Jedi"), title_form("Star Wars: Episode VI - Return of the Jedi")) ==
        TitleLevel::main_title);
  CHECK(compare_titles(title_form("Ice Age: Continental Drift"), title_form("Ice Age 4: Continental Drift")) ==
        TitleLevel::words_within);
  // The same subtitle under unrelated main titles is not the same film.
  CHECK(compare_titles(title_form("Aliens vs Predator: Requiem for a Dream"),
                       title_form("Someone Else: Requiem for a Dream")) == TitleLevel::other);
  CHECK(compare_titles(title_form("Shark Night 3D"), title_form("Shark Night")) == TitleLevel::exact);
  CHECK(compare_titles(title_form("My Bloody Valentine 3-D"), title_form("My Bloody Valentine")) == TitleLevel::exact);
  CHECK(compare_titles(title_form("Dr. Dolittle"), title_form("Doctor Dolittle")) == TitleLevel::exact);
  CHECK(compare_titles(title_form("Gone in Sixty Seconds"), title_form("Gone in 60 Seconds")) == TitleLevel::exact);
  CHECK(compare_titles(title_form("The Naked Gun 33⅓: The Final Insult"),
                       title_form("Naked Gun 33 1/3: The Final Insult")) == TitleLevel::article_missing);
  // A number word alone is a title of its own: "Nine" (2009) is not "9" (2009).
  CHECK(compare_titles(title_form("Nine"), title_form("9")) == TitleLevel::other);
  CHECK(title_key("Nine") != title_key("9"));
}

TEST_CASE("a movie's runtime and genres from the record's own source are no evidence", "[match_score]") {
  // "Nine" of TMDB wrongly holding the movie "9" gave it its runtime; the right TMDB
  // record must not pay for that.
  auto r = record("9", 2009, {"Animation"});
  r.source = "tmdb";
  r.runtime_minutes = 79;
  json m = movie("9", 2009, 112, {"Drama"});
  m["provenance"] = json{{"runtime_minutes", {{"source", "tmdb"}}}, {"genres", {{"source", "tmdb"}}}};
  CHECK(weight(r, m) == Approx(7.0));
  m["provenance"]["runtime_minutes"]["source"] = "imdb";
  CHECK(weight(r, m) == Approx(7.0 - 3.0));
}

TEST_CASE("a weight is written as fmt writes it, every hundredth and beyond", "[match_score]") {
  auto by_fmt = [](double v) { return fmt::format("{:+g}", std::round(v * 100) / 100); };
  for (long long h = -200000; h <= 200000; ++h) {
    const double v = static_cast<double>(h) / 100;
    if (signed_bits(v) != by_fmt(v)) FAIL_CHECK(h << ": " << signed_bits(v) << " vs " << by_fmt(v));
  }
  // Between hundredths, tiny, negative zero, huge, and not a number.
  for (double v : {0.004, -0.004, 0.005, -0.005, 1.234567, -2.499999, 7.125, -0.0, 1e-12, 123456.789, -1e9,
                   std::numeric_limits<double>::infinity(), std::nan("")})
    CHECK(signed_bits(v) == by_fmt(v));
}
