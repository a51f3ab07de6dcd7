#include "sources/movielens_reader.hpp"

#include <algorithm>
#include <fstream>
#include <numeric>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "sources/record_reader.hpp"
#include "support/read_all.hpp"
#include "support/temp_dir.hpp"

using moviec::config::SourceConfig;
using moviec::events::LocalizedName;
using moviec::events::Rating;
using moviec::sources::open_reader;
using moviec::sources::Reject;
using moviec::test::write_file;

namespace {

SourceConfig movielens_source(nlohmann::json options = nlohmann::json::object()) {
  return moviec::test::source_config("movielens", "movielens_csv", std::move(options));
}

struct MovielensResult : moviec::test::ReadResult {
  std::vector<std::string> reasons(const std::string& file) const {
    std::vector<std::string> out;
    for (auto& r : rejects)
      if (r.file == file) out.push_back(std::to_string(r.line) + ": " + r.reason);
    return out;
  }
};

MovielensResult read_movielens(const std::vector<std::string>& files, const SourceConfig& source = movielens_source()) {
  return moviec::test::read_all<MovielensResult>(source, files);
}

const std::string kMovies = "movieId,title,genres\n";
const std::string kLinks = "movieId,imdbId,tmdbId\n";
const std::string kRatings = "userId,movieId,rating,timestamp\n";

}  // namespace

// --- the real files ------------------------------------------------------------------

TEST_CASE("movielens ml-latest-small: every movie is a record with its link and its ratings",
          "[sources][movielens][shared]") {
  if (!moviec::test::have_shared_data()) {
    WARN("shared data not found; skipping");
    return;
  }
  auto dir = moviec::test::shared_data() / "movielens-ml-latest-small";
  auto r = read_movielens({(dir / "movies.csv").string(), (dir / "links.csv").string(),
                           (dir / "ratings.csv").string()});
  for (auto& x : r.rejects) INFO(x.file << ":" << x.line << ": " << x.reason);
  CHECK(r.rejects.empty());
  REQUIRE(r.items.size() == 9742);
  CHECK(r.bytes_read == r.bytes_total);
  CHECK(r.bytes_total == 484688 + 188236 + 2382886);

  // Every movie has its IMDb id from links.csv; 9,724 movies are rated, 100,836 ratings in all.
  std::int64_t ratings = 0;
  std::size_t rated = 0;
  for (auto& i : r.items) {
    INFO(i.record.source_id);
    CHECK(i.record.movie_id.size() == 9);
    CHECK(i.record.movie_id.rfind("tt", 0) == 0);
    CHECK_FALSE(i.record.title.empty());
    if (!i.record.source_ratings.empty()) {
      ++rated;
      ratings += i.record.source_ratings[0].votes;
    }
  }
  CHECK(rated == 9724);
  CHECK(ratings == 100836);

  auto* toy = r.find("1");
  REQUIRE(toy != nullptr);
  CHECK(toy->input == "movies.csv:2");
  const auto& rec = toy->record;
  CHECK(rec.source == "movielens");
  CHECK(rec.movie_id == "tt0114709");
  CHECK(rec.title == "Toy Story");
  CHECK(rec.year == 1995);
  CHECK(rec.genres == std::vector<std::string>{"Adventure", "Animation", "Children", "Comedy", "Fantasy"});
  CHECK(rec.external_ids ==
        std::map<std::string, std::string>{{"imdb", "tt0114709"}, {"tmdb", "862"}, {"movielens", "1"}});
  REQUIRE(rec.source_ratings.size() == 1);
  CHECK(rec.source_ratings[0] == Rating{"movielens", 3.92, 0.5, 5, 215, 78.4});
  CHECK(rec.names.empty());
  CHECK(rec.metadata.empty());

  // "American President, The (1995)": the article comes first.
  CHECK(r.find("11")->record.title == "The American President");
  CHECK(r.find("11")->input == "movies.csv:12");
  CHECK(r.find("318")->record.title == "The Shawshank Redemption");
  CHECK(r.find("318")->record.source_ratings.at(0).value == 4.43);
  CHECK(r.find("318")->record.source_ratings.at(0).votes == 317);
  CHECK(r.find("73")->record.title == "Les Misérables");

  // Bracketed alternates and a.k.a. become names, articles moved there too.
  const auto& leon = r.find("293")->record;
  CHECK(leon.title == "Léon: The Professional");
  CHECK(leon.year == 1994);
  CHECK(leon.names == std::vector<LocalizedName>{{"The Professional", "", "", false}, {"Léon", "", "", false}});
  const auto& city = r.find("29")->record;
  CHECK(city.title == "The City of Lost Children");
  CHECK(city.names == std::vector<LocalizedName>{{"La Cité des enfants perdus", "", "", false}});

  // Doubled quotes inside a quoted title.
  CHECK(r.find("7789")->record.title == "11'09\"01 - September 11");
  CHECK(r.find("7789")->input == "movies.csv:5021");
  // A trailing space after the year.
  CHECK(r.find("27008")->record.title == "From Dusk Till Dawn 2: Texas Blood Money");
  CHECK(r.find("27008")->record.year == 1999);
  // A year range; no genres listed.
  const auto& death_note = r.find("171749")->record;
  CHECK(death_note.title == "Death Note: Desu nôto");
  CHECK(death_note.year == 2006);
  CHECK(death_note.metadata.at("end_year") == "2007");
  CHECK(death_note.genres.empty());
  // No year at all.
  CHECK(r.find("40697")->record.title == "Babylon 5");
  CHECK_FALSE(r.find("40697")->record.year.has_value());
  CHECK(r.find("176601")->record.title == "Black Mirror");
  // An empty tmdbId: no tmdb id.
  CHECK(r.find("791")->record.external_ids.count("tmdb") == 0);
  CHECK(r.find("791")->record.movie_id == "tt0113610");

  // tags.csv is not ingested: naming it is a usage error, not a silent skip.
  auto with_tags = open_reader(movielens_source(), {(dir / "movies.csv").string(), (dir / "tags.csv").string()});
  REQUIRE_FALSE(with_tags.is_ok());
  CHECK_THAT(with_tags.status().message(), Catch::Contains("tags.csv is not ingested"));
}

TEST_CASE("movielens without links.csv: records have no movie id, ratings still join",
          "[sources][movielens][shared]") {
  if (!moviec::test::have_shared_data()) {
    WARN("shared data not found; skipping");
    return;
  }
  auto dir = moviec::test::shared_data() / "movielens-ml-latest-small";
  auto r = read_movielens({(dir / "ratings.csv").string(), (dir / "movies.csv").string()});
  REQUIRE(r.items.size() == 9742);
  CHECK(r.rejects.empty());
  for (auto& i : r.items) CHECK(i.record.movie_id.empty());
  CHECK(r.find("1")->record.source_ratings.at(0).votes == 215);
  CHECK(r.find("1")->record.external_ids == std::map<std::string, std::string>{{"movielens", "1"}});
}

TEST_CASE("movielens bundled excerpt reads with zero rejects", "[sources][movielens]") {
  auto dir = moviec::test::examples() / "movielens";
  auto r = read_movielens({(dir / "movies.csv").string(), (dir / "links.csv").string(),
                           (dir / "ratings.csv").string()});
  for (auto& x : r.rejects) INFO(x.file << ":" << x.line << ": " << x.reason);
  CHECK(r.rejects.empty());
  CHECK(r.items.size() >= 20);
  CHECK(r.items.size() <= 199);
  REQUIRE(r.find("1") != nullptr);
  CHECK(r.find("1")->record.movie_id == "tt0114709");
  CHECK_FALSE(r.find("1")->record.source_ratings.empty());
}

// --- small files, one rule at a time -------------------------------------------------

TEST_CASE("movielens ratings average per movie in half stars, whatever their order",
          "[sources][movielens]") {
  moviec::test::TempDir dir;
  auto movies = write_file(dir, "movies.csv", kMovies + "1,One (2001),Drama\n2,Two (2002),Comedy\n3,Three (2003),War\n");
  auto ratings = write_file(dir, "ratings.csv",
                       kRatings + "1,2,4.0,1\n1,1,3.5,1\n2,2,0.5,1\n3,1,5.0,1\n4,2,4.5,1\n5,1,2.5,1\n");
  auto r = read_movielens({movies, ratings});
  REQUIRE(r.items.size() == 3);
  CHECK(r.items[0].record.source_ratings.at(0) == Rating{"movielens", 3.67, 0.5, 5, 3, 73.4});
  CHECK(r.items[1].record.source_ratings.at(0) == Rating{"movielens", 3, 0.5, 5, 3, 60});
  CHECK(r.items[2].record.source_ratings.empty());
  CHECK(r.rejects.empty());
}

TEST_CASE("movielens bad ratings are rejected with their line and the rest averages",
          "[sources][movielens]") {
  moviec::test::TempDir dir;
  auto movies = write_file(dir, "movies.csv", kMovies + "1,One (2001),Drama\n");
  auto ratings = write_file(dir, "ratings.csv",
                       kRatings + "1,1,4.3,1\n1,1,6,1\n1,1,0,1\n1,1,x,1\n1,one,3,1\n1,1,4,1\n1,9,3,1\n1,9,4,1\n");
  auto r = read_movielens({movies, ratings});
  REQUIRE(r.items.size() == 1);
  CHECK(r.items[0].record.source_ratings.at(0).value == 4);
  CHECK(r.items[0].record.source_ratings.at(0).votes == 1);
  CHECK(r.reasons("ratings.csv") ==
        std::vector<std::string>{
            "2: rating 4.3: not on the scale 0.5-5 in half stars",
            "3: rating 6: not on the scale 0.5-5 in half stars",
            "4: rating 0: not on the scale 0.5-5 in half stars",
            "5: rating \"x\": not a number",
            "6: movieId \"one\": not a whole number",
            "8: no movies.csv row for movieId 9 in this input (2 ratings, the first here)"});
}

TEST_CASE("movielens links give tt ids with at least 7 digits and tmdb ids, bad and unmatched "
          "links are rejected",
          "[sources][movielens]") {
  moviec::test::TempDir dir;
  auto movies = write_file(dir, "movies.csv",
                      kMovies + "1,Toy Story (1995),Animation\n2,Jumanji (1995),Fantasy\n"
                                "3,Lost Zeros (1990),Drama\n4,New (2021),Drama\n5,No Link (2000),Drama\n");
  auto links = write_file(dir, "links.csv",
                     kLinks + "4,10872600,\n3,114709,862\n1,0114709,862\n2,0113497,8844\n"
                              "2,0000002,1\n6,0000006,6\n7,tt0000007,7\n");
  auto r = read_movielens({movies, links});
  REQUIRE(r.items.size() == 5);
  CHECK(r.items[0].record.movie_id == "tt0114709");
  CHECK(r.items[0].record.external_ids.at("tmdb") == "862");
  CHECK(r.items[1].record.movie_id == "tt0113497");
  CHECK(r.items[2].record.movie_id == "tt0114709");  // leading zero restored
  CHECK(r.items[3].record.movie_id == "tt10872600");
  CHECK(r.items[3].record.external_ids.count("tmdb") == 0);
  CHECK(r.items[4].record.movie_id.empty());
  CHECK(r.reasons("links.csv") ==
        std::vector<std::string>{"8: imdbId \"tt0000007\": not a whole number",
                                 "6: duplicate links row for movieId 2 (first at line 5)",
                                 "7: no movies.csv row for movieId 6 in this input"});
}

TEST_CASE("movielens bad movies rows are rejected with their line, the rest goes through",
          "[sources][movielens]") {
  moviec::test::TempDir dir;
  auto movies = write_file(dir, "movies.csv",
                      kMovies + "1,Good (2001),Drama\n"
                                "x,Bad Id (2001),Drama\n"
                                "0,Zero (2001),Drama\n"
                                "1,Again (2001),Drama\n"
                                "2,\"Unclosed (2001),Drama\n3,Next (2003),War\n");
  auto more = write_file(dir, "m2.movies.csv",
                    kMovies + "4,Old (1700),Drama\n5,\"\",Drama\n6,Short Row\n7,Bad \xE9 UTF-8 (2000),Drama\n"
                              "8,\"Title (1999)\"junk,Drama\n9,Fine (1999),Drama\n");
  auto r = read_movielens({movies});
  REQUIRE(r.items.size() == 1);
  CHECK(r.reasons("movies.csv") ==
        std::vector<std::string>{"3: movieId \"x\": not a whole number", "4: movieId 0: must be positive",
                                 "5: duplicate row for movieId 1 (first at line 2)",
                                 "6: quoted field opened at line 6 is not closed at the end of the file"});
  auto r2 = read_movielens({more});
  REQUIRE(r2.items.size() == 1);
  CHECK(r2.items[0].record.source_id == "9");
  CHECK(r2.reasons("m2.movies.csv") ==
        std::vector<std::string>{"2: year 1700 in the title: out of range 1800..2200", "3: empty title",
                                 "4: expected 3 columns, got 2", "5: title: invalid UTF-8 at byte 4",
                                 "6: field 2 has text after its closing quote"});
  CHECK(r2.rejects[0].source_id == "4");
}

TEST_CASE("movielens genres split on pipes, (no genres listed) is none", "[sources][movielens]") {
  moviec::test::TempDir dir;
  auto movies = write_file(dir, "movies.csv",
                      kMovies + "1,A (2001),Adventure|Animation|Children\n2,B (2002),(no genres listed)\n"
                                "3,C (2003),\n");
  auto r = read_movielens({movies});
  REQUIRE(r.items.size() == 3);
  CHECK(r.items[0].record.genres == std::vector<std::string>{"Adventure", "Animation", "Children"});
  CHECK(r.items[1].record.genres.empty());
  CHECK(r.items[2].record.genres.empty());
}

TEST_CASE("movielens a BOM, CRLF and no final newline read like plain files", "[sources][movielens]") {
  moviec::test::TempDir dir;
  auto movies = write_file(dir, "movies.csv",
                      "\xEF\xBB\xBFmovieId,title,genres\r\n1,\"Usual Suspects, The (1995)\",Crime|Mystery\r\n"
                      "2,\"Postman, The (Postino, Il) (1994)\",Comedy");
  auto r = read_movielens({movies});
  REQUIRE(r.items.size() == 2);
  CHECK(r.items[0].record.title == "The Usual Suspects");
  CHECK(r.items[1].record.title == "The Postman");
  CHECK(r.items[1].record.names == std::vector<LocalizedName>{{"Il Postino", "", "", false}});
  CHECK(r.items[1].record.genres == std::vector<std::string>{"Comedy"});
  CHECK(r.rejects.empty());
}

TEST_CASE("movielens a wrong header rejects its file at line 1", "[sources][movielens]") {
  moviec::test::TempDir dir;
  auto movies = write_file(dir, "movies.csv", "id,name,genres\n1,A (2001),Drama\n");
  auto ratings = write_file(dir, "ratings.csv", kRatings + "1,1,4,1\n");
  auto r = read_movielens({movies, ratings});
  CHECK(r.items.empty());
  CHECK(r.reasons("movies.csv") ==
        std::vector<std::string>{
            "1: unexpected header \"id,name,genres\" (expected \"movieId,title,genres\"); file not read"});
  CHECK(r.reasons("ratings.csv") == std::vector<std::string>{"0: not read: movies.csv is unusable"});
  CHECK(r.bytes_read == r.bytes_total);

  auto good = write_file(dir, "good.movies.csv", kMovies + "1,A (2001),Drama\n");
  auto bad_links = write_file(dir, "links.csv", "movieId,imdb,tmdb\n1,1,1\n");
  auto r2 = read_movielens({good, bad_links});
  REQUIRE(r2.items.size() == 1);
  CHECK(r2.items[0].record.movie_id.empty());
  CHECK(r2.reasons("links.csv").size() == 1);
}

TEST_CASE("movielens rejects beyond max_rejects_per_file are counted in one summary",
          "[sources][movielens]") {
  moviec::test::TempDir dir;
  auto movies = write_file(dir, "movies.csv", kMovies + "1,A (2001),Drama\n");
  std::string text = kRatings;
  for (int i = 0; i < 10; ++i) text += "1,1,9,1\n";
  for (int m = 100; m < 105; ++m) text += "1," + std::to_string(m) + ",3,1\n";
  auto r = read_movielens({movies, write_file(dir, "ratings.csv", text)},
                          movielens_source({{"max_rejects_per_file", 2}}));
  CHECK(r.reasons("ratings.csv") ==
        std::vector<std::string>{
            "2: rating 9: not on the scale 0.5-5 in half stars",
            "3: rating 9: not on the scale 0.5-5 in half stars",
            "0: 8 more rows with bad values not listed (10 in all; max_rejects_per_file is 2)",
            "12: no movies.csv row for movieId 100 in this input (1 ratings, the first here)",
            "13: no movies.csv row for movieId 101 in this input (1 ratings, the first here)",
            "0: 3 more rated movies without a movies.csv row not listed (5 in all; max_rejects_per_file is 2)"});
}

TEST_CASE("movielens open names unrecognised, doubled and missing files", "[sources][movielens]") {
  moviec::test::TempDir dir;
  auto movies = write_file(dir, "movies.csv", kMovies);
  auto tags = write_file(dir, "tags.csv", "userId,movieId,tag,timestamp\n");
  auto r = open_reader(movielens_source(), {movies, tags});
  REQUIRE_FALSE(r.is_ok());
  CHECK_THAT(r.status().message(), Catch::Contains("tags.csv: not a MovieLens file of source \"movielens\""));
  auto twice = open_reader(movielens_source(), {movies, movies});
  REQUIRE_FALSE(twice.is_ok());
  CHECK_THAT(twice.status().message(), Catch::Contains("got two files of one kind"));
  auto missing = open_reader(movielens_source(), {(dir / "ratings.csv").string()});
  REQUIRE_FALSE(missing.is_ok());
  CHECK_THAT(missing.status().message(), Catch::EndsWith("ratings.csv: no such file"));
  auto no_movies = open_reader(movielens_source(), {});
  REQUIRE_FALSE(no_movies.is_ok());
  CHECK(no_movies.status().message() == "source \"movielens\": a movielens_csv input needs a movies.csv file");
  auto bad_option = open_reader(movielens_source({{"colour", 1}}), {movies});
  REQUIRE_FALSE(bad_option.is_ok());
  CHECK(bad_option.status().message() ==
        "source \"movielens\": options.colour: unknown option of format movielens_csv");
}

TEST_CASE("movielens a large ratings file aggregates without holding its rows", "[sources][movielens]") {
  moviec::test::TempDir dir;
  const int movies_n = 1000, ratings_n = 300000;
  {
    std::ofstream m(dir / "movies.csv", std::ios::binary);
    m << kMovies;
    for (int i = 1; i <= movies_n; ++i) m << i << ",Film " << i << " (2000),Drama\n";
    std::ofstream r(dir / "ratings.csv", std::ios::binary);
    r << kRatings;
    for (int i = 0; i < ratings_n; ++i) r << i % 7919 << ',' << (i % movies_n) + 1 << ',' << ((i % 10) + 1) / 2.0 << ",1\n";
  }
  auto r = read_movielens({(dir / "movies.csv").string(), (dir / "ratings.csv").string()});
  REQUIRE(r.items.size() == movies_n);
  CHECK(r.rejects.empty());
  std::int64_t votes = 0;
  for (auto& i : r.items) votes += i.record.source_ratings.at(0).votes;
  CHECK(votes == ratings_n);
  // Movie 1 gets the ratings with i % 1000 == 0: i % 10 == 0, so always 0.5.
  CHECK(r.items[0].record.source_ratings.at(0).value == 0.5);
  CHECK(r.bytes_read == r.bytes_total);
}
