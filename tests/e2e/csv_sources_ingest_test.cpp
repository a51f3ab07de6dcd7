// End to end for the CSV sources: `moviec ingest --source movielens|rotten_tomatoes`
// on real files, `moviec serve` on a loopback port, real HTTP requests.

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "support/files.hpp"
#include "support/moviec_json.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

using nlohmann::json;
using namespace moviec::test;
namespace fs = std::filesystem;

namespace {

/// Mean and count of a movie's ratings in a MovieLens ratings.csv (the test's own reading).
std::pair<double, long> movielens_rating(const fs::path& ratings, const std::string& movie) {
  std::ifstream in(ratings);
  std::string line;
  std::getline(in, line);
  double sum = 0;
  long n = 0;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string user, id, value;
    std::getline(fields, user, ',');
    std::getline(fields, id, ',');
    std::getline(fields, value, ',');
    if (id == movie) {
      sum += std::stod(value);
      ++n;
    }
  }
  return {n ? sum / n : 0, n};
}

}  // namespace

TEST_CASE("GET /movies/tt0114709 shows the MovieLens rating next to IMDb's", "[e2e]") {
  TempDir dir;
  auto data = (dir / "data").string();
  // A config file naming both sources (the built-in defaults name them too).
  auto config = (dir / "moviec.json").string();
  std::ofstream(config) << R"({"sources": [{"name": "imdb", "format": "imdb_tsv"},
                                          {"name": "movielens", "format": "movielens_csv"}]})";
  // IMDb's row for Toy Story, written by the test (the bundled IMDb excerpt stops at 1902).
  std::ofstream(dir / "title.basics.tsv")
      << "tconst\ttitleType\tprimaryTitle\toriginalTitle\tisAdult\tstartYear\tendYear\truntimeMinutes\tgenres\n"
      << "tt0114709\tmovie\tToy Story\tToy Story\t0\t1995\t\\N\t81\tAdventure,Animation,Comedy\n";
  std::ofstream(dir / "title.ratings.tsv") << "tconst\taverageRating\tnumVotes\ntt0114709\t8.3\t1100000\n";
  auto imdb = ingest_json(data, "imdb", {(dir / "title.basics.tsv").string(), (dir / "title.ratings.tsv").string()},
                          {"--config", config});
  CHECK(imdb["read"] == 1);

  auto ml = examples() / "movielens";
  auto summary = ingest_json(data, "movielens",
                             {(ml / "movies.csv").string(), (ml / "links.csv").string(), (ml / "ratings.csv").string()},
                             {"--config", config});
  CHECK(summary["read"] == 40);
  CHECK(summary["rejected"] == 0);
  CHECK(summary["changed"] == 40);
  // Re-ingesting the same files appends nothing.
  auto again = ingest_json(data, "movielens",
                           {(ml / "movies.csv").string(), (ml / "links.csv").string(), (ml / "ratings.csv").string()},
                           {"--config", config});
  CHECK(again["appended"] == 0);
  CHECK(again["unchanged"] == 40);

  Server server(data, {"--config", config});
  httplib::Client client("127.0.0.1", server.port());
  auto toy = get_json(client, "/movies/tt0114709");
  auto [mean, count] = movielens_rating(ml / "ratings.csv", "1");
  REQUIRE(count > 0);
  CHECK(toy["ratings"]["imdb"]["value"].get<double>() == Approx(8.3));
  CHECK(toy["ratings"]["imdb"]["votes"] == 1100000);
  CHECK(toy["ratings"]["movielens"]["value"].get<double>() == Approx(mean).margin(0.005));
  CHECK(toy["ratings"]["movielens"]["votes"] == count);
  CHECK(toy["ratings"]["movielens"]["scale_min"] == 0.5);
  CHECK(toy["ratings"]["movielens"]["scale_max"] == 5);
  // IMDb wins the title by source priority; both source records are attached.
  CHECK(toy["title"] == "Toy Story");
  CHECK(toy["provenance"]["title"]["source"] == "imdb");
  CHECK(toy["sources"].size() == 2);
  CHECK(toy["external_ids"]["tmdb"] == "862");

  // A movie only MovieLens knows: its golden record comes from MovieLens alone,
  // with the title's article moved to the front.
  auto president = get_json(client, "/movies/tt0112346");
  CHECK(president["title"] == "The American President");
  CHECK(president["year"] == 1995);
  CHECK(president["provenance"]["title"]["source"] == "movielens");

}

TEST_CASE("real IMDb and MovieLens files meet on the same movies", "[e2e][shared]") {
  if (!have_shared_data()) {
    WARN("../shared/data is absent: skipped");
    return;
  }
  TempDir dir;
  auto data = (dir / "data").string();
  // A config that leaves the sources at their defaults ("movielens" is built in)
  // and skips the fsync per group commit, which this test does not need.
  auto config = (dir / "moviec.json").string();
  std::ofstream(config) << R"({"sync_writes": false})";
  auto katzi = shared_data() / "imdb-tsv-samples" / "katzi23-truncated";
  ingest_json(data, "imdb", {(katzi / "title.basics.tsv").string(), (katzi / "title.ratings.tsv").string()},
              {"--config", config});
  auto ml = shared_data() / "movielens-ml-latest-small";
  auto summary = ingest_json(data, "movielens",
                             {(ml / "movies.csv").string(), (ml / "links.csv").string(), (ml / "ratings.csv").string()},
                             {"--config", config});
  CHECK(summary["read"] == 9742);
  CHECK(summary["changed"] == 9742);

  Server server(data);
  httplib::Client client("127.0.0.1", server.port());
  // Snow White and the Seven Dwarfs (1937): MovieLens 594, IMDb tt0029583.
  auto snow_white = get_json(client, "/movies/tt0029583");
  auto [mean, count] = movielens_rating(ml / "ratings.csv", "594");
  CHECK(snow_white["ratings"]["movielens"]["votes"] == count);
  CHECK(snow_white["ratings"]["movielens"]["value"].get<double>() == Approx(mean).margin(0.005));
  CHECK(snow_white["ratings"].contains("imdb"));
  CHECK(snow_white["provenance"]["title"]["source"] == "imdb");
  CHECK(snow_white["sources"].size() == 2);
  // Toy Story: MovieLens alone, with 215 ratings averaging 3.92.
  auto toy = get_json(client, "/movies/tt0114709");
  CHECK(toy["ratings"]["movielens"]["votes"] == 215);
  CHECK(toy["ratings"]["movielens"]["value"].get<double>() == Approx(3.92));
}

TEST_CASE("rotten tomatoes rows with impossible dates go to the rejects file with file and line",
          "[e2e]") {
  TempDir dir;
  auto file = (dir / "rt.csv").string();
  std::ofstream(file, std::ios::binary)
      << "\xEF\xBB\xBFmovie_title,genre,in_theaters_date,tomatometer_rating,tomatometer_count\r\n"
      << "Good,Drama,1999-05-01,80,10\r\n"
      << "Bad Date,Drama,1999-02-30,80,10\r\n"
      << "Bad Rating,Drama,1999-03-01,180,10";
  auto summary = ingest_json((dir / "data").string(), "rotten_tomatoes", {file});
  CHECK(summary["read"] == 1);
  auto rejects = read_file(summary["rejects_file"].get<std::string>());
  CHECK(rejects.find("rt.csv\t3\tin_theaters_date \"1999-02-30\": February 1999 has 28 days, not 30\n") !=
        std::string::npos);
  CHECK(rejects.find("rt.csv\t4\ttomatometer_rating 180: out of range 0..100\n") != std::string::npos);
}

TEST_CASE("the real Rotten Tomatoes export is read whole by moviec ingest", "[e2e][shared]") {
  if (!have_shared_data()) {
    WARN("../shared/data is absent: skipped");
    return;
  }
  TempDir dir;
  auto file = shared_data() / "rotten-tomatoes-kaggle-subset" / "rotten_tomatoes_movies.csv";
  auto summary = ingest_json(dir.str(), "rotten_tomatoes", {file.string()});
  CHECK(summary["read"] == 5511);
  // The reader rejects nothing; what happens to records without a movie id is
  // matching's business (issue 4), so only the reader's own rejects are checked.
  auto rejects = read_file(summary["rejects_file"].get<std::string>());
  CHECK(rejects.find("rotten_tomatoes_movies.csv\t") == std::string::npos);
}
