// Run records, stored rejects and source cursors (store/source_runs.hpp,
// store/source_cursors.hpp).

#include <catch2/catch.hpp>

#include <memory>
#include <set>

#include "store/db.hpp"
#include "store/source_cursors.hpp"
#include "store/source_runs.hpp"
#include "support/temp_dir.hpp"

using namespace moviec;
using namespace moviec::store;

namespace {

struct DbFixture {
  test::TempDir dir;
  std::unique_ptr<Db> db;
  DbFixture() {
    auto opened = Db::open(dir.str());
    REQUIRE(opened);
    db = opened.take();
  }
};

RunRecord run(const std::string& source, std::uint64_t id, const std::string& state = "done") {
  RunRecord r;
  r.run = id;
  r.source = source;
  r.way = "cli";
  r.input = "x.json";
  r.state = state;
  r.summary = {{"read", id}};
  return r;
}

}  // namespace

TEST_CASE("run ids are unique and increasing", "[store][runs]") {
  std::set<std::uint64_t> ids;
  std::uint64_t last = 0;
  for (int i = 0; i < 1000; ++i) {
    auto id = SourceRuns::new_run_id();
    CHECK(id > last);
    last = id;
    ids.insert(id);
  }
  CHECK(ids.size() == 1000);
}

TEST_CASE("the latest run of a source is the one with the highest id", "[store][runs]") {
  DbFixture f;
  SourceRuns runs(*f.db);
  auto none = runs.latest("vega");
  REQUIRE(none.is_ok());
  CHECK_FALSE(none->has_value());
  REQUIRE(runs.put(run("vega", 5)).is_ok());
  REQUIRE(runs.put(run("vega", 9, "running")).is_ok());
  REQUIRE(runs.put(run("veg", 50)).is_ok());   // a source whose name is a prefix of another
  REQUIRE(runs.put(run("vegas", 70)).is_ok());
  auto latest = runs.latest("vega");
  REQUIRE(latest.is_ok());
  REQUIRE(latest->has_value());
  CHECK((*latest)->run == 9);
  CHECK((*latest)->state == "running");
  // Overwriting a run updates it in place.
  REQUIRE(runs.put(run("vega", 9, "done")).is_ok());
  CHECK((*runs.latest("vega"))->state == "done");
  CHECK(*runs.count("vega") == 2);
  auto got = runs.get("vega", 5);
  REQUIRE(got.is_ok());
  REQUIRE(got->has_value());
  CHECK((*got)->summary["read"] == 5);
  CHECK_FALSE(runs.get("vega", 6)->has_value());
}

TEST_CASE("rejects of a run page in the order they were met", "[store][runs]") {
  DbFixture f;
  SourceRuns runs(*f.db);
  std::vector<StoredReject> batch;
  for (int i = 0; i < 25; ++i) batch.push_back({"f.csv", static_cast<std::uint64_t>(i + 2), "bad " + std::to_string(i)});
  REQUIRE(runs.put_rejects("s", 7, 0, batch).is_ok());
  REQUIRE(runs.put_rejects("s", 8, 0, {{"other.csv", 1, "x"}}).is_ok());

  auto page = runs.rejects("s", 7, 0, 10);
  REQUIRE(page.is_ok());
  REQUIRE(page->rejects.size() == 10);
  CHECK(page->rejects[0].second.reason == "bad 0");
  CHECK(page->rejects[9].second.line == 11);
  REQUIRE(page->next);
  CHECK(*page->next == 10);
  auto last = runs.rejects("s", 7, 20, 10);
  REQUIRE(last.is_ok());
  CHECK(last->rejects.size() == 5);
  CHECK_FALSE(last->next);
  CHECK(runs.rejects("s", 9, 0, 10)->rejects.empty());
}

TEST_CASE("only the newest runs of a source are kept, with their rejects", "[store][runs]") {
  DbFixture f;
  SourceRuns runs(*f.db);
  const std::uint64_t total = SourceRuns::kRunsKept + 5;
  for (std::uint64_t i = 1; i <= total; ++i) {
    REQUIRE(runs.put_rejects("s", i, 0, {{"f", i, "r"}}).is_ok());
    REQUIRE(runs.put(run("s", i), true).is_ok());
  }
  CHECK(*runs.count("s") == SourceRuns::kRunsKept);
  CHECK_FALSE(runs.get("s", 5)->has_value());
  CHECK(runs.rejects("s", 5, 0, 10)->rejects.empty());
  CHECK(runs.get("s", 6)->has_value());
  CHECK(runs.rejects("s", 6, 0, 10)->rejects.size() == 1);
}

TEST_CASE("cursors are stored per source and name", "[store][runs]") {
  DbFixture f;
  SourceCursors cursors(*f.db);
  CHECK_FALSE(cursors.get("tmdb", "poll")->has_value());
  REQUIRE(cursors.put("tmdb", "poll", {{"start_date", "2024-01-02"}}, true).is_ok());
  REQUIRE(cursors.put("vega", "poll", {{"start_date", "x"}}, false).is_ok());
  auto got = cursors.get("tmdb", "poll");
  REQUIRE(got.is_ok());
  REQUIRE(got->has_value());
  CHECK((**got)["start_date"] == "2024-01-02");
  REQUIRE(cursors.erase("tmdb", "poll").is_ok());
  CHECK_FALSE(cursors.get("tmdb", "poll")->has_value());
  CHECK(cursors.get("vega", "poll")->has_value());
}
