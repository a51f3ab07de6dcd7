// Scoring a record against a candidate movie (events/match_score.hpp), with the
// cases that decide precision: remakes with the same title, a year off by one,
// runtime and genres as tie breakers.

#include <catch2/catch.hpp>

#include "events/match_score.hpp"

using namespace moviec::events;
using nlohmann::json;

namespace {

SourceRecord movielens(const std::string& title, int year, std::vector<std::string> genres = {}) {
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

double score(const SourceRecord& r, const json& m) {
  return score_match(facts_of(r), facts_of_movie(m)).confidence;
}

}  // namespace

TEST_CASE("the same title and year scores 1, one year apart 0.85, further not at all", "[match_score]") {
  CHECK(score(movielens("Usual Suspects, The", 1995), movie("The Usual Suspects", 1995)) == 1.0);
  CHECK(score(movielens("Usual Suspects, The", 1995), movie("The Usual Suspects", 1996)) == Approx(0.85));
  CHECK(score(movielens("Usual Suspects, The", 1995), movie("The Usual Suspects", 1997)) == 0);
}

TEST_CASE("a remake with the same title is told apart by its year", "[match_score]") {
  auto original = movie("The Italian Job", 1969);
  auto remake = movie("The Italian Job", 2003);
  auto record = movielens("Italian Job, The", 2003);
  CHECK(score(record, original) == 0);
  CHECK(score(record, remake) == 1.0);
}

TEST_CASE("a record with no year or no shared title key is never a candidate", "[match_score]") {
  auto r = movielens("Toy Story", 1995);
  r.year.reset();
  CHECK(score(r, movie("Toy Story", 1995)) == 0);
  CHECK(score(movielens("Toy Story 2", 1999), movie("Toy Story", 1999)) == 0);
}

TEST_CASE("an alternate title scores below the title itself", "[match_score]") {
  // MovieLens gives the English title first and the original in brackets.
  auto r = movielens("City of Lost Children, The (Cité des enfants perdus, La)", 1995);
  CHECK(score(r, movie("La cité des enfants perdus", 1995)) == Approx(0.92));
  // An alternate one year apart is weak unless something else agrees.
  CHECK(score(r, movie("La cité des enfants perdus", 1996)) == Approx(0.782));
  CHECK(score(r, movie("La cité des enfants perdus", 1996, 112)) == Approx(0.782));
}

TEST_CASE("runtime and genres move the score when both sides have them", "[match_score]") {
  auto r = movielens("Hamlet", 1990, {"Drama"});
  r.runtime_minutes = 134;
  CHECK(score(r, movie("Hamlet", 1990, 135, {"Drama"})) == 1.0);  // capped
  CHECK(score(r, movie("Hamlet", 1990, 60, {"Drama"})) == Approx(0.85));
  CHECK(score(r, movie("Hamlet", 1991, 135, {"Drama"})) == Approx(1.0));
  CHECK(score(r, movie("Hamlet", 1991, 115, {"Comedy"})) == Approx(0.70));
  CHECK(score(r, movie("Hamlet", 1991, 60, {"Comedy"})) == Approx(0.60));
  // Genre vocabularies differ between sources; words are compared, not labels.
  auto rt = movielens("Hamlet", 1991, {"Art House & International", "Drama"});
  CHECK(score(rt, movie("Hamlet", 1990, std::nullopt, {"Drama", "History"})) == Approx(0.90));
}

TEST_CASE("a year apart, another title the movie does not know is doubted", "[match_score]") {
  // Rotten Tomatoes lists the 2001 Japanese film by its 2005 US release.
  auto kairo = movielens("Pulse (Kairo)", 2005, {"Horror"});
  CHECK(score(kairo, movie("Pulse", 2006, std::nullopt, {"Horror"})) == Approx(0.75));
  CHECK(score(kairo, movie("Pulse (Kairo)", 2001)) == 0);
  // The same year, or an alternate the movie knows, is not doubted.
  CHECK(score(kairo, movie("Pulse", 2005, std::nullopt, {"Horror"})) == 1.0);
  json known = movie("Pulse", 2006, std::nullopt, {"Horror"});
  known["names"] = json::array({json{{"title", "Kairo"}}});
  CHECK(score(kairo, known) == Approx(0.90));
}

TEST_CASE("a main title alone matches weakly, and two subtitles never match each other", "[match_score]") {
  CHECK(score(movielens("Star Wars", 1977), movie("Star Wars: Episode IV - A New Hope", 1977)) ==
        Approx(0.65));
  CHECK(score(movielens("Alien: Resurrection", 1997), movie("Alien: Covenant", 1997)) == 0);
}

TEST_CASE("a mojibake title matches the clean one", "[match_score][mojibake]") {
  CHECK(score(movielens("L\xe2\x88\x9a\xc2\xa9on: The Professional", 1994),
              movie("Léon: The Professional", 1994)) == 1.0);
  CHECK(score(movielens("L\xc3\x88on", 1994), movie("Léon", 1994)) == 1.0);
}
