// Stores written by earlier builds still open: a fixture data dir written before
// the event encoding changed (tests/fixtures/store_json_events) is verified,
// read and ingested into by today's binary.

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "support/moviec_json.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

using nlohmann::json;
using namespace moviec::test;
namespace fs = std::filesystem;

namespace {

fs::path fixture() { return examples().parent_path() / "tests" / "fixtures" / "store_json_events"; }

/// A writable copy of the fixture's data dir.
std::string copy_fixture(const TempDir& dir) {
  auto data = dir / "data";
  fs::create_directories(data);
  fs::copy(fixture() / "db", data / "db", fs::copy_options::recursive);
  return data.string();
}

}  // namespace

TEST_CASE("a store of JSON events written by an earlier build verifies and serves its history",
          "[e2e][compat]") {
  TempDir dir;
  auto data = copy_fixture(dir);
  // Its events decode as they are. Its read models predate the matching keys of
  // this build (blocking keys, match facts): `moviec replay` rebuilds them from the
  // log, the migration docs/storage.md names for such an upgrade.
  auto replay = run_moviec({"replay", "--data", data});
  REQUIRE(replay.exit_code == 0);
  auto report = run_moviec_json({"verify", "--data", data, "--json"});
  CHECK(report["ok"] == true);
  CHECK(report["events"] == 480);
  auto history = run_moviec({"history", "tt0000001", "--data", data, "--json"});
  REQUIRE(history.exit_code == 0);
  CHECK(history.out.find("SourceRecordChanged") != std::string::npos);
  CHECK(history.out.find("MovieChanged") != std::string::npos);
}

TEST_CASE("the same files ingested into a store written by an earlier build append nothing",
          "[e2e][compat]") {
  TempDir dir;
  auto data = copy_fixture(dir);
  auto ex = examples();
  auto imdb = ingest_json(data, "imdb",
                          {(ex / "imdb" / "title.basics.tsv").string(), (ex / "imdb" / "title.ratings.tsv").string(),
                           (ex / "imdb" / "title.akas.tsv").string()});
  CHECK(imdb["read"] == 200);
  CHECK(imdb["unchanged"] == 200);
  CHECK(imdb["appended"] == 0);
  auto ml = ingest_json(data, "movielens",
                        {(ex / "movielens" / "movies.csv").string(), (ex / "movielens" / "links.csv").string()});
  CHECK(ml["unchanged"] == 40);
  CHECK(ml["appended"] == 0);
  // A change goes in on top of the old events: one movie's title.
  auto changed = dir / "changed";
  fs::create_directories(changed);
  fs::copy(ex / "imdb" / "title.ratings.tsv", changed / "title.ratings.tsv");
  fs::copy(ex / "imdb" / "title.akas.tsv", changed / "title.akas.tsv");
  {
    std::ifstream in(ex / "imdb" / "title.basics.tsv");
    std::ofstream out(changed / "title.basics.tsv");
    std::string line;
    for (int n = 0; std::getline(in, line); ++n) {
      if (n == 1) {  // the first movie: its primaryTitle is the third column
        auto a = line.find('\t', line.find('\t') + 1) + 1;
        line.replace(a, line.find('\t', a) - a, "Retitled in a new build");
      }
      out << line << '\n';
    }
  }
  auto again = ingest_json(data, "imdb",
                           {(changed / "title.basics.tsv").string(), (changed / "title.ratings.tsv").string(),
                            (changed / "title.akas.tsv").string()});
  CHECK(again["changed"] == 1);
  CHECK(again["unchanged"] == 199);
  CHECK(again["appended"] == 2);
  REQUIRE(run_moviec({"replay", "--data", data}).exit_code == 0);
  auto report = run_moviec_json({"verify", "--data", data, "--json"});
  CHECK(report["ok"] == true);
  CHECK(report["events"] == 482);
}
