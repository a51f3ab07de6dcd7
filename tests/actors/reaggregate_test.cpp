// Re-aggregation (actors/reaggregator.hpp and the movie actor's reaggregate
// message) and recovery of long streams from their snapshots, through the real
// runtime: journal, registry, movie actors, projection.

#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include "actors/runtime.hpp"
#include "events/coding.hpp"
#include "store/keys.hpp"
#include "store/movie_recovery.hpp"
#include "store/verify.hpp"
#include "support/actor_helpers.hpp"
#include "support/temp_dir.hpp"

using namespace moviec;
using moviec::test::TempDir;
using moviec::test::test_config;
using nlohmann::json;

namespace {

events::SourceRecord reaggregate_record(const std::string& source, const std::string& movie_id,
                            const std::string& title, double rating = 5.0) {
  events::SourceRecord r;
  r.source = source;
  r.source_id = source + "-" + movie_id;
  r.movie_id = movie_id;
  r.title = title;
  r.year = 1995;
  r.source_ratings.push_back({source, rating, 1, 10, 100, rating * 10});
  return r;
}

/// Sends one record to its movie through the registry, as the source actor does.
actors::IngestOutcome ingest_one(actors::Runtime& rt, const events::SourceRecord& r) {
  actors::IngestItem item{r, r.fingerprint(), "test:" + r.source_id, "test-run", "source_movie_id",
                           "", 0, std::nullopt, nullptr, 0};
  actors::IngestOutcome outcome;
  caf::scoped_actor self{rt.system()};
  self->request(rt.registry(), caf::duration(std::chrono::seconds(60)), actors::ingest_atom::value, item)
      .receive([&](actors::IngestOutcome& o) { outcome = o; },
               [&](caf::error& e) { FAIL("ingest failed: " << caf::to_string(e)); });
  return outcome;
}

actors::ReaggregateSummary reaggregate(actors::Runtime& rt) {
  auto summary = rt.reaggregate({});
  REQUIRE(summary);
  REQUIRE(rt.wait_for_read_models());
  return summary.take();
}

events::Event last_event(actors::Runtime& rt, const std::string& movie) {
  auto head = rt.log().stream_version(movie);
  REQUIRE(head);
  auto e = rt.log().read_version(movie, *head);
  REQUIRE(e);
  return e.take();
}

/// Default rules prefer imdb for titles; these prefer movielens, as version 2.
events::FieldRules movielens_first() {
  auto rules = events::FieldRules::defaults();
  rules.version = 2;
  for (auto& r : rules.rules)
    if (r.field == "title") r.priority = {"movielens", "imdb"};
  return rules;
}

}  // namespace

TEST_CASE("reaggregate under unchanged rules appends nothing", "[actors][reaggregate]") {
  TempDir dir;
  auto rt = actors::Runtime::open(test_config(dir)).take();
  ingest_one(*rt, reaggregate_record("imdb", "tt1", "Heat"));
  ingest_one(*rt, reaggregate_record("movielens", "tt1", "Heat (1995)"));
  ingest_one(*rt, reaggregate_record("imdb", "tt2", "Casino"));
  {
    // A source stream (match decisions) is not a movie: the walk skips it.
    events::SourceRecordUnmatched payload;
    payload.record = reaggregate_record("movielens", "x", "Nowhere");
    payload.fingerprint = payload.record.fingerprint();
    payload.reason = "no_candidates";
    payload.candidates = json::array();
    events::Event e;
    e.type = events::EventType::source_record_unmatched;
    e.source = "movielens";
    e.data = events::to_data(payload);
    store::AppendRequest req;
    req.stream = "source:movielens";
    req.events.push_back(e);
    caf::scoped_actor self{rt->system()};
    self->request(rt->journal(), caf::duration(std::chrono::seconds(10)), actors::append_atom::value, req)
        .receive([](store::AppendResult&) {}, [](caf::error& err) { FAIL(caf::to_string(err)); });
  }
  auto before = rt->log().last_sequence();
  auto summary = reaggregate(*rt);
  CHECK(summary.movies == 2);
  CHECK(summary.changed == 0);
  CHECK(summary.unchanged == 2);
  CHECK(summary.failed == 0);
  CHECK(rt->log().last_sequence() == before);
}

TEST_CASE("reaggregate after a rule change appends MovieChanged events that cite the new rules",
          "[actors][reaggregate]") {
  TempDir dir;
  std::uint64_t history_before = 0;
  {
    auto rt = actors::Runtime::open(test_config(dir)).take();
    ingest_one(*rt, reaggregate_record("imdb", "tt1", "Heat"));
    ingest_one(*rt, reaggregate_record("movielens", "tt1", "Heat (1995)"));
    ingest_one(*rt, reaggregate_record("imdb", "tt2", "Casino"));  // one source: the new order changes nothing
    REQUIRE(rt->wait_for_read_models());
    CHECK(events::movie_changed(*rt->log().read_version("tt1", 2)).fields[0].new_value == "Heat");
    history_before = rt->log().last_sequence();
  }
  auto cfg = test_config(dir);
  cfg.rules = movielens_first();
  auto rt = actors::Runtime::open(cfg).take();
  auto summary = reaggregate(*rt);
  CHECK(summary.movies == 2);
  CHECK(summary.changed == 1);
  CHECK(summary.unchanged == 1);
  CHECK(summary.fields == 1);
  CHECK(summary.failed == 0);
  REQUIRE(rt->log().last_sequence() == history_before + 1);

  auto e = last_event(*rt, "tt1");
  CHECK(e.type == events::EventType::movie_changed);
  CHECK(e.source == "rules");
  CHECK(e.causation == "rules v2");
  CHECK(e.causation_seq == 0);
  CHECK(e.correlation.rfind("reaggregate-", 0) == 0);
  auto change = events::movie_changed(e);
  CHECK(change.trigger == events::kTriggerRules);
  CHECK(change.rules_version == 2);
  CHECK(change.previous_rules_version == 1);
  REQUIRE(change.fields.size() == 1);
  CHECK(change.fields[0].field == "title");
  CHECK(change.fields[0].old_value == "Heat");
  CHECK(change.fields[0].new_value == "Heat (1995)");
  CHECK(change.fields[0].source == "movielens");
  CHECK(change.fields[0].caused_by == 3);  // the movielens SourceRecordChanged

  // Old history stays as it was: the first MovieChanged still says imdb won.
  auto first_golden = rt->log().read_version("tt1", 2);
  REQUIRE(first_golden);
  CHECK(events::movie_changed(*first_golden).fields[0].new_value == "Heat");

  auto doc = store::ReadModels(rt->db()).movie("tt1");
  REQUIRE(doc);
  CHECK((*doc)["title"] == "Heat (1995)");
  CHECK((*doc)["rules_version"] == 2);
  CHECK((*doc)["provenance"]["title"]["source"] == "movielens");

  // Running it again finds nothing left to change; the read models equal a replay.
  auto again = reaggregate(*rt);
  CHECK(again.changed == 0);
  CHECK(rt->log().last_sequence() == history_before + 1);
  auto report = store::verify(rt->db(), rt->log(), (dir / "verify").string());
  INFO((report.problems.empty() ? "" : report.problems.front()));
  CHECK(report.ok());
}

TEST_CASE("a rule change that keeps a value but changes who decided it is recorded", "[actors][reaggregate]") {
  TempDir dir;
  {
    auto rt = actors::Runtime::open(test_config(dir)).take();
    ingest_one(*rt, reaggregate_record("imdb", "tt1", "Heat"));
    ingest_one(*rt, reaggregate_record("movielens", "tt1", "Heat"));
  }
  auto cfg = test_config(dir);
  cfg.rules = movielens_first();
  auto rt = actors::Runtime::open(cfg).take();
  auto summary = reaggregate(*rt);
  CHECK(summary.changed == 1);
  auto change = events::movie_changed(last_event(*rt, "tt1"));
  REQUIRE(change.fields.size() == 1);
  CHECK(change.fields[0].old_value == change.fields[0].new_value);
  CHECK(change.fields[0].source == "movielens");
  auto doc = store::ReadModels(rt->db()).movie("tt1");
  REQUIRE(doc);
  CHECK((*doc)["provenance"]["title"]["source"] == "movielens");
}

TEST_CASE("reaggregate refuses movies decided by newer rules than the configured ones", "[actors][reaggregate]") {
  TempDir dir;
  {
    auto cfg = test_config(dir);
    cfg.rules = movielens_first();  // version 2
    auto rt = actors::Runtime::open(cfg).take();
    ingest_one(*rt, reaggregate_record("imdb", "tt1", "Heat"));
  }
  auto rt = actors::Runtime::open(test_config(dir)).take();  // back to version 1
  auto before = rt->log().last_sequence();
  auto summary = rt->reaggregate({});
  REQUIRE(summary);
  CHECK(summary->failed == 1);
  CHECK_THAT(summary->error, Catch::Contains("tt1") && Catch::Contains("newer"));
  CHECK(rt->log().last_sequence() == before);
}

TEST_CASE("reaggregate walks many movies with a bounded number in flight", "[actors][reaggregate]") {
  TempDir dir;
  auto cfg = test_config(dir);
  cfg.max_in_flight = 3;
  cfg.max_live_movies = 10;
  {
    auto rt = actors::Runtime::open(cfg).take();
    for (int i = 0; i < 1500; ++i) {
      auto id = "tt" + std::to_string(100000 + i);
      ingest_one(*rt, reaggregate_record("imdb", id, "Film " + std::to_string(i)));
      if (i % 2 == 0) ingest_one(*rt, reaggregate_record("movielens", id, "Film " + std::to_string(i) + " (ML)"));
    }
  }
  cfg.rules = movielens_first();
  auto rt = actors::Runtime::open(cfg).take();
  auto summary = reaggregate(*rt);
  CHECK(summary.movies == 1500);  // more than one page of stream ids (1024)
  CHECK(summary.changed == 750);
  CHECK(summary.unchanged == 750);
  CHECK(summary.failed == 0);
  auto doc = store::ReadModels(rt->db()).movie("tt101498");
  REQUIRE(doc);
  CHECK((*doc)["title"] == "Film 1498 (ML)");
}

TEST_CASE("recovery of a movie with 10,000 events reads only the tail after its snapshot",
          "[actors][recovery]") {
  TempDir dir;
  auto cfg = test_config(dir);  // a snapshot every 50 events, the newest 3 kept
  REQUIRE(cfg.snapshot_every == 50);
  REQUIRE(cfg.snapshots_kept == 3);
  {
    auto rt = actors::Runtime::open(cfg).take();
    for (int i = 1; i <= 5020; ++i) {
      auto outcome = ingest_one(*rt, reaggregate_record("imdb", "tt1", "Heat", 1 + i / 1000.0));
      REQUIRE(outcome.appended == 2);
    }
    REQUIRE(*rt->log().stream_version("tt1") == 10040);
    // Snapshots are written after the reply (best effort): wait for the newest.
    for (int i = 0; i < 200; ++i) {
      auto s = rt->log().latest_snapshot("tt1");
      if (s && *s && (*s)->first == 10000) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  auto db = store::Db::open((dir / "db").string());
  REQUIRE(db);
  store::EventLog log(**db);

  // Retention: only the newest three snapshots are left.
  std::vector<std::uint64_t> kept;
  auto it = (*db)->iterator(store::ColumnFamily::snapshots);
  for (it->SeekToFirst(); it->Valid(); it->Next()) kept.push_back(store::keys::version_of(it->key().ToStringView()));
  CHECK(kept == std::vector<std::uint64_t>{9900, 9950, 10000});

  auto recovered = store::recover_movie(log, "tt1");
  REQUIRE(recovered);
  CHECK(recovered->snapshot_version == 10000);
  CHECK(recovered->events_folded == 40);
  CHECK(recovered->state.version == 10040);

  // The same state as a fold of all 10,040 events.
  events::MovieState folded;
  std::uint64_t all = 0;
  REQUIRE(log.read_stream("tt1", 1, [&](const events::Event& e) {
    folded.apply(e);
    ++all;
    return true;
  }));
  CHECK(all == 10040);
  CHECK(recovered->state.to_snapshot() == folded.to_snapshot());

  // As of a point between kept snapshots: from the one before it, plus the gap.
  auto as_of = store::recover_movie(log, "tt1", 9975);
  REQUIRE(as_of);
  CHECK(as_of->snapshot_version == 9950);
  CHECK(as_of->events_folded == 25);
}
