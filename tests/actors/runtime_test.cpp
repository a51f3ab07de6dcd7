// The actors together: movie actors spawned on demand, capped and evicted,
// recovering from snapshots; the journal committing; the projection following.

#include <catch2/catch.hpp>

#include <thread>

#include "actors/movie.hpp"
#include "actors/runtime.hpp"
#include "actors/source.hpp"
#include "store/verify.hpp"
#include "support/actor_helpers.hpp"
#include "support/temp_dir.hpp"

using namespace moviec;
using moviec::test::TempDir;
using moviec::test::test_config;
using moviec::test::VectorReader;
using moviec::test::run_source;

namespace {

events::SourceRecord runtime_record(const std::string& source, const std::string& movie_id,
                            const std::string& title, double rating = 5.0) {
  events::SourceRecord r;
  r.source = source;
  r.source_id = movie_id;
  r.movie_id = movie_id;
  r.title = title;
  r.year = 2001;
  r.source_ratings.push_back({source, rating, 1, 10, 100, rating * 10});
  return r;
}

/// A source run of `records` into the registry (no matcher).
actors::IngestSummary ingest(actors::Runtime& rt, std::vector<events::SourceRecord> records,
                             std::size_t max_in_flight = 4) {
  return run_source(rt, rt.registry(), std::move(records), max_in_flight);
}

actors::RegistryStats registry_stats(actors::Runtime& rt) {
  actors::RegistryStats stats;
  caf::scoped_actor self{rt.system()};
  self->request(rt.registry(), caf::duration(std::chrono::seconds(10)), actors::stats_atom::value)
      .receive([&](actors::RegistryStats& s) { stats = s; },
               [&](caf::error& e) { FAIL(caf::to_string(e)); });
  return stats;
}

}  // namespace

TEST_CASE("a record that changes no golden field appends only SourceRecordChanged", "[actors]") {
  TempDir dir;
  auto rt = actors::Runtime::open(test_config(dir)).take();
  auto first = ingest(*rt, {runtime_record("imdb", "tt1", "Heat", 8.3)});
  CHECK(first.appended == 2);
  // A second source with the same title: no new golden title, but a new rating.
  auto second = ingest(*rt, {runtime_record("vega", "tt1", "Heat", 8.3)});
  CHECK(second.changed == 1);
  CHECK(second.appended == 2);  // its rating is a new entry of the per-source ratings
  auto other = runtime_record("vega", "tt1", "Heat", 8.3);
  other.source_ratings.clear();
  other.metadata["note"] = "no rating any more";
  auto third = ingest(*rt, {other});
  CHECK(third.changed == 1);
  CHECK(third.appended == 2);  // the vega rating disappears (ratings clear on_empty by per_source)
  auto fourth_record = other;
  fourth_record.metadata["note"] = "changed metadata only";
  auto fourth = ingest(*rt, {fourth_record});
  CHECK(fourth.changed == 1);
  CHECK(fourth.appended == 1);  // nothing golden changed: no MovieChanged
  CHECK(rt->log().last_sequence() == 7);
  // Every event names the run that caused it (the source sets it once a record is
  // known to have changed).
  REQUIRE(rt->log().read_from(0, [](const events::Event& e) {
    CHECK(e.correlation == "test");
    return true;
  }));
}

TEST_CASE("the registry caps live movie actors and an evicted movie resumes its stream", "[actors]") {
  TempDir dir;
  auto cfg = test_config(dir);
  cfg.max_live_movies = 2;
  auto rt = actors::Runtime::open(cfg).take();
  std::vector<events::SourceRecord> batch;
  for (int i = 0; i < 20; ++i)
    batch.push_back(runtime_record("imdb", "tt" + std::to_string(i), "Movie " + std::to_string(i)));
  CHECK(ingest(*rt, batch).appended == 40);
  auto stats = registry_stats(*rt);
  CHECK(stats.live_movies <= 2);
  CHECK(stats.evicted >= 18);
  // Changed records for every movie: the respawned actors continue at version 2.
  for (auto& r : batch) r.source_ratings[0].value = 9.0, r.source_ratings[0].normalized = 90;
  auto again = ingest(*rt, batch);
  CHECK(again.failed == 0);
  CHECK(again.appended == 40);
  for (int i = 0; i < 20; ++i) CHECK(*rt->log().stream_version("tt" + std::to_string(i)) == 4);
  REQUIRE(rt->wait_for_read_models());
  auto report = store::verify(rt->db(), rt->log(), (dir / "verify").string());
  INFO((report.problems.empty() ? "" : report.problems.front()));
  CHECK(report.ok());
}

TEST_CASE("idle movie actors stop after the idle timeout", "[actors]") {
  TempDir dir;
  auto cfg = test_config(dir);
  cfg.movie_idle_timeout = std::chrono::milliseconds(200);
  auto rt = actors::Runtime::open(cfg).take();
  ingest(*rt, {runtime_record("imdb", "tt1", "A"), runtime_record("imdb", "tt2", "B")});
  CHECK(registry_stats(*rt).spawned == 2);
  std::this_thread::sleep_for(std::chrono::milliseconds(800));
  auto stats = registry_stats(*rt);
  CHECK(stats.live_movies == 0);
  CHECK(stats.evicted == 2);
}

TEST_CASE("a movie recovers from its newest snapshot plus the events after it", "[actors]") {
  TempDir dir;
  auto cfg = test_config(dir);
  cfg.snapshot_every = 4;
  cfg.snapshots_kept = 2;
  auto rt = actors::Runtime::open(cfg).take();
  for (int i = 1; i <= 7; ++i) ingest(*rt, {runtime_record("imdb", "tt7", "Seven", i)});
  REQUIRE(*rt->log().stream_version("tt7") == 14);
  REQUIRE(rt->wait_for_read_models());

  // Snapshots are written by the journal after the reply (best effort): wait a moment.
  auto snapshot = rt->log().latest_snapshot("tt7");
  for (int i = 0; i < 100 && !(snapshot && *snapshot && (*snapshot)->first == 12); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    snapshot = rt->log().latest_snapshot("tt7");
  }
  REQUIRE(snapshot);
  REQUIRE(snapshot->has_value());
  CHECK((*snapshot)->first == 12);  // snapshots at versions 4, 8, 12; two kept
  CHECK(rt->log().latest_snapshot("tt7", 7)->has_value() == false);

  std::uint64_t used_snapshot = 0;
  auto recovered = actors::recover_movie(rt->log(), "tt7", UINT64_MAX, &used_snapshot);
  REQUIRE(recovered);
  CHECK(used_snapshot == 12);
  events::MovieState folded;  // the same state folded from the whole stream
  REQUIRE(rt->log().read_stream("tt7", 1, [&](const events::Event& e) {
    folded.apply(e);
    return true;
  }));
  CHECK(recovered->to_snapshot() == folded.to_snapshot());
  CHECK(recovered->golden.at("ratings").value["imdb"]["value"] == 7.0);
}

TEST_CASE("a batch with one failing record acknowledges exactly the others and reports the one",
          "[actors]") {
  TempDir dir;
  auto rt = actors::Runtime::open(test_config(dir)).take();
  std::vector<events::SourceRecord> records;
  for (int i = 1; i <= 9; ++i) records.push_back(runtime_record("imdb", "tt" + std::to_string(i), "Film"));
  records[4].movie_id.clear();  // no movie: the registry (the sink here) cannot place it
  auto summary = ingest(*rt, records);
  CHECK(summary.read == 9);
  CHECK(summary.changed == 8);
  CHECK(summary.failed == 1);
  CHECK(summary.error.find("no movie for imdb record tt5") != std::string::npos);
  CHECK(summary.appended == 16);
  // Nothing of the failed record was stored: sent again with its id, it goes in.
  records[4].movie_id = "tt5";
  auto again = ingest(*rt, records);
  CHECK(again.changed == 1);
  CHECK(again.unchanged == 8);
  CHECK(again.failed == 0);
}

TEST_CASE("a re-ingest checked a batch ahead counts every unchanged record and sends exactly the changed ones",
          "[actors]") {
  // With 512 in flight and batches of 128, a batch's fingerprints are checked on the
  // worker while the next is read (actors/unchanged_check.hpp).
  TempDir dir;
  auto rt = actors::Runtime::open(test_config(dir)).take();
  std::vector<events::SourceRecord> records;
  for (int i = 0; i < 1000; ++i) records.push_back(runtime_record("imdb", "tt" + std::to_string(i), "Film"));
  auto first = ingest(*rt, records, 512);
  CHECK(first.changed == 1000);
  CHECK(first.failed == 0);
  for (int i : {0, 127, 128, 300, 999}) records[static_cast<std::size_t>(i)].title = "Changed";
  auto second = ingest(*rt, records, 512);
  CHECK(second.read == 1000);
  CHECK(second.unchanged == 995);
  CHECK(second.changed == 5);
  CHECK(second.appended == 10);  // SourceRecordChanged and MovieChanged for each
  CHECK(second.failed == 0);
  auto third = ingest(*rt, records, 512);
  CHECK(third.unchanged == 1000);
  CHECK(third.appended == 0);
}

TEST_CASE("read models the projection built from the journal's commits in memory equal a replay",
          "[actors]") {
  TempDir dir;
  auto rt = actors::Runtime::open(test_config(dir)).take();
  std::vector<events::SourceRecord> records;
  for (int i = 1; i <= 300; ++i)
    records.push_back(runtime_record(i % 3 ? "imdb" : "vega", "tt" + std::to_string(i % 120),
                                     "Film " + std::to_string(i), 5.0 + i % 7));
  ingest(*rt, records);
  REQUIRE(rt->wait_for_read_models());
  auto report = store::verify(rt->db(), rt->log(), (dir / "verify").string());
  for (auto& p : report.problems) INFO(p);
  CHECK(report.ok());
  CHECK(report.read_model_checkpoint == rt->log().last_sequence());
}
