// The report of a source run (actors/run_recorder.hpp) and the ids a full run saw
// (actors/vanished.hpp).

#include <catch2/catch.hpp>

#include "actors/run_recorder.hpp"
#include "actors/vanished.hpp"
#include "store/db.hpp"
#include "support/temp_dir.hpp"

using namespace moviec;

namespace {

struct DbFixture {
  test::TempDir dir;
  std::unique_ptr<store::Db> db;
  DbFixture() {
    auto opened = store::Db::open(dir.str());
    REQUIRE(opened);
    db = opened.take();
  }
};

}  // namespace

TEST_CASE("a run is on record as running, then done with its summary and rejects", "[actors][runs]") {
  DbFixture f;
  actors::RunRecorder recorder(*f.db, "vega", "cli", "movies.json");
  REQUIRE(recorder.start().is_ok());
  store::SourceRuns runs(*f.db);
  auto running = runs.latest("vega");
  REQUIRE(running.is_ok());
  REQUIRE(running->has_value());
  CHECK((**running).state == "running");
  CHECK((**running).finished_ms == 0);

  for (int i = 0; i < 300; ++i)  // more than one batch
    REQUIRE(recorder.reject({"movies.json", static_cast<std::uint64_t>(i + 2), "bad", ""}).is_ok());
  actors::IngestSummary summary;
  summary.read = 10;
  summary.rejected = 300;
  REQUIRE(recorder.finish(summary, 1.23456).is_ok());

  auto done = *runs.latest("vega");
  REQUIRE(done);
  CHECK(done->run == recorder.run());
  CHECK(done->state == "done");
  CHECK(done->finished_ms >= done->started_ms);
  CHECK(done->rejects_stored == 300);
  CHECK(done->summary["read"] == 10);
  CHECK(done->summary["rejected"] == 300);
  CHECK(done->summary["seconds"] == 1.235);
  auto page = runs.rejects("vega", recorder.run(), 0, 1000);
  REQUIRE(page.is_ok());
  REQUIRE(page->rejects.size() == 300);
  CHECK(page->rejects[299].second.line == 301);
}

TEST_CASE("a run with failed records is on record as failed", "[actors][runs]") {
  DbFixture f;
  actors::RunRecorder recorder(*f.db, "s", "poll", "window");
  actors::IngestSummary summary;
  summary.failed = 1;
  summary.error = "GET x failed";
  REQUIRE(recorder.finish(summary, 0).is_ok());
  auto run = *store::SourceRuns(*f.db).latest("s");
  REQUIRE(run);
  CHECK(run->state == "failed");
  CHECK(run->summary["error"] == "GET x failed");
}

TEST_CASE("a resumed run continues the numbering of its rejects", "[actors][runs]") {
  DbFixture f;
  std::uint64_t id = 0;
  {
    actors::RunRecorder first(*f.db, "s", "inbox", "big.jsonl");
    id = first.run();
    REQUIRE(first.start().is_ok());
    REQUIRE(first.reject({"big.jsonl", 5, "one", ""}).is_ok());
    REQUIRE(first.reject({"big.jsonl", 9, "two", ""}).is_ok());
    REQUIRE(first.flush().is_ok());
    // ... and the process dies.
  }
  actors::RunRecorder resumed(*f.db, "s", "inbox", "big.jsonl", id, 2, 1000);
  CHECK(resumed.run() == id);
  CHECK(resumed.started_ms() == 1000);
  REQUIRE(resumed.reject({"big.jsonl", 12, "three", ""}).is_ok());
  REQUIRE(resumed.finish(actors::IngestSummary{}, 0).is_ok());
  auto page = store::SourceRuns(*f.db).rejects("s", id, 0, 10);
  REQUIRE(page->rejects.size() == 3);
  CHECK(page->rejects[2].first == 2);
  CHECK(page->rejects[2].second.reason == "three");
  CHECK(*store::SourceRuns(*f.db).count("s") == 1);
}

TEST_CASE("seen ids answer for every id added and, barring a hash collision, only those", "[actors][runs]") {
  actors::SeenIds seen;
  for (int i = 0; i < 10000; i += 2) seen.add("id" + std::to_string(i));
  seen.add("id0");  // twice
  seen.seal();
  CHECK(seen.size() == 5000);
  for (int i = 0; i < 10000; ++i) CHECK(seen.contains("id" + std::to_string(i)) == (i % 2 == 0));
}
