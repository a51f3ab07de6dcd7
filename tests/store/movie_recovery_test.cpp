// Rebuilding one movie from the log (store/movie_recovery.hpp): from its newest
// snapshot plus the tail, up to a version or to a point found by a predicate; and
// movie_document(), which renders the result exactly as the projector stores it.

#include <catch2/catch.hpp>

#include <chrono>
#include <memory>
#include <thread>

#include "events/field_rules.hpp"
#include "events/movie_state.hpp"
#include "store/db.hpp"
#include "store/event_log.hpp"
#include "store/movie_recovery.hpp"
#include "store/read_models.hpp"
#include "support/temp_dir.hpp"

using namespace moviec;
using namespace moviec::store;
using events::Event;
using events::EventType;
using nlohmann::json;

namespace {

/// A log whose movies are written as a movie actor writes them: each record is a
/// SourceRecordChanged plus, when the rules decide differently, a MovieChanged.
struct Log {
  test::TempDir dir;
  std::unique_ptr<Db> db;
  std::unique_ptr<EventLog> log;
  events::FieldRules rules = events::FieldRules::defaults();
  std::int64_t clock_ms = 1795514400000;  // 2026-11-24T10:00:00Z, +1 s per record

  Log() {
    auto opened = Db::open(dir.str());
    REQUIRE(opened);
    db = opened.take();
    log = std::make_unique<EventLog>(*db);
  }

  events::MovieState fold(const std::string& movie) {
    auto r = recover_movie(*log, movie);
    REQUIRE(r);
    return r->state;
  }

  /// Appends what a movie actor appends for `record`; returns the stream version.
  std::uint64_t put(const std::string& movie, events::SourceRecord record) {
    record.movie_id = movie;
    auto state = fold(movie);
    clock_ms += 1000;
    Event changed;
    changed.type = EventType::source_record_changed;
    changed.source = record.source;
    changed.time_ms = clock_ms;
    changed.causation = record.source + ".tsv:" + std::to_string(clock_ms);
    changed.data = events::to_data(events::SourceRecordChanged{record, record.fingerprint(), "", "test", std::nullopt, nullptr, 0});
    auto next = state;
    next.sources[{record.source, record.source_id}] = events::SourceEntry{record, record.fingerprint(), 0};
    AppendRequest req;
    req.stream = movie;
    req.expected_version = state.version;
    req.events.push_back(changed);
    auto fields = events::aggregate(next, rules);
    if (!fields.empty()) {
      Event golden;
      golden.type = EventType::movie_changed;
      golden.source = record.source;
      golden.time_ms = clock_ms;
      golden.data = events::to_data(events::MovieChanged{rules.version, fields});
      req.events.push_back(golden);
    }
    auto r = log->append(std::move(req), false);
    REQUIRE(r);
    return r->version;
  }

  void remove(const std::string& movie, const std::string& source, const std::string& source_id) {
    auto state = fold(movie);
    Event e;
    e.type = EventType::source_record_removed;
    e.source = source;
    e.time_ms = (clock_ms += 1000);
    e.data = events::to_data(events::SourceRecordRemoved{source, source_id, "x"});
    AppendRequest req;
    req.stream = movie;
    req.expected_version = state.version;
    req.events.push_back(e);
    REQUIRE(log->append(std::move(req), false));
  }

  void snapshot(const std::string& movie) {
    auto state = fold(movie);
    REQUIRE(log->write_snapshot(movie, state.version, state.to_snapshot().dump(), 3));
  }
};

events::SourceRecord rec(const std::string& source, const std::string& id, const std::string& title,
                         int year, double rating = 5.0) {
  events::SourceRecord r;
  r.source = source;
  r.source_id = id;
  r.title = title;
  r.year = year;
  r.genres = {"Drama"};
  r.source_ratings.push_back({source, rating, 1, 10, 10, rating * 10});
  return r;
}

}  // namespace

TEST_CASE("recovery starts at the newest snapshot and folds only the events after it", "[store][recovery]") {
  Log l;
  for (int i = 1; i <= 30; ++i) l.put("tt1", rec("imdb", "tt1", "Film", 2000, i / 4.0));
  REQUIRE(l.fold("tt1").version == 60);
  l.snapshot("tt1");  // at version 60
  for (int i = 31; i <= 35; ++i) l.put("tt1", rec("imdb", "tt1", "Film", 2000, i / 4.0));

  auto r = recover_movie(*l.log, "tt1");
  REQUIRE(r);
  CHECK(r->snapshot_version == 60);
  CHECK(r->events_folded == 10);
  CHECK(r->state.version == 70);
  CHECK(r->state.golden.at("ratings").value["imdb"]["value"] == 35 / 4.0);

  // Before the snapshot there is none to start from: the whole prefix is folded.
  auto early = recover_movie(*l.log, "tt1", 20);
  REQUIRE(early);
  CHECK(early->snapshot_version == 0);
  CHECK(early->events_folded == 20);
  CHECK(early->state.golden.at("ratings").value["imdb"]["value"] == 10 / 4.0);
}

TEST_CASE("a movie recovered from a snapshot equals one folded from the first event", "[store][recovery]") {
  Log l;
  for (int i = 1; i <= 10; ++i) l.put("tt1", rec(i % 2 ? "imdb" : "movielens", "m" + std::to_string(i % 3), "T" + std::to_string(i), 1990 + i));
  l.snapshot("tt1");
  for (int i = 11; i <= 14; ++i) l.put("tt1", rec("imdb", "m" + std::to_string(i % 3), "T" + std::to_string(i), 1990 + i));
  auto with_snapshot = recover_movie(*l.log, "tt1");
  REQUIRE(with_snapshot);
  CHECK(with_snapshot->snapshot_version > 0);

  events::MovieState from_scratch;
  REQUIRE(l.log->read_stream("tt1", 1, [&](const Event& e) {
    from_scratch.apply(e);
    return true;
  }));
  CHECK(with_snapshot->state.to_snapshot() == from_scratch.to_snapshot());
}

TEST_CASE("last_version_where finds the last event of a sequence or time by binary search", "[store][recovery]") {
  Log l;
  // Two movies interleaved, so that a movie's sequences have gaps.
  std::vector<std::uint64_t> seq_of_version{0};
  for (int i = 0; i < 25; ++i) {
    l.put("tt1", rec("imdb", "tt1", "A", 2000, 1 + i % 9));
    l.put("tt2", rec("imdb", "tt2", "B", 2001, 1 + i % 9));
  }
  REQUIRE(l.log->read_stream("tt1", 1, [&](const Event& e) {
    seq_of_version.push_back(e.sequence);
    return true;
  }));
  const auto head = seq_of_version.size() - 1;
  for (std::uint64_t seq = 0; seq <= l.log->last_sequence() + 1; ++seq) {
    std::uint64_t expected = 0;
    for (std::uint64_t v = 1; v <= head; ++v)
      if (seq_of_version[v] <= seq) expected = v;
    auto found = last_version_where(*l.log, "tt1", [&](const Event& e) { return e.sequence <= seq; });
    REQUIRE(found);
    CHECK(*found == expected);
  }
  // By time: each record is 1 s after the one before; both events of a record share it.
  auto first = l.log->read_version("tt1", 1);
  REQUIRE(first);
  auto t = first->time_ms;
  auto at = [&](std::int64_t ms) {
    auto v = last_version_where(*l.log, "tt1", [&](const Event& e) { return e.time_ms <= ms; });
    REQUIRE(v);
    return *v;
  };
  CHECK(at(t - 1) == 0);
  CHECK(at(t) == 2);
  CHECK(at(t + 1999) == 2);  // tt2's record took the next second
  CHECK(at(t + 2000) == 4);
  CHECK(at(t + 1000000) == head);
  CHECK(*last_version_where(*l.log, "nope", [](const Event&) { return true; }) == 0);
}

TEST_CASE("recover_movie_until gives the movie as it was at that point", "[store][recovery]") {
  Log l;
  l.put("tt1", rec("imdb", "tt1", "First title", 2000));
  auto mid = l.log->last_sequence();
  l.put("tt1", rec("imdb", "tt1", "Second title", 2000));
  l.snapshot("tt1");
  l.put("tt1", rec("imdb", "tt1", "Third title", 2000));

  auto then = recover_movie_until(*l.log, "tt1", [&](const Event& e) { return e.sequence <= mid; });
  REQUIRE(then);
  CHECK(then->state.version == 2);
  CHECK(then->state.golden.at("title").value == "First title");
  CHECK(then->snapshot_version == 0);

  auto later = recover_movie_until(*l.log, "tt1", [&](const Event& e) { return e.sequence <= 100; });
  REQUIRE(later);
  CHECK(later->state.golden.at("title").value == "Third title");
  CHECK(later->snapshot_version == 4);
  CHECK(later->events_folded == 2);

  auto before = recover_movie_until(*l.log, "tt1", [](const Event&) { return false; });
  REQUIRE(before);
  CHECK(before->state.version == 0);
}

TEST_CASE("movie_document of a folded movie is byte-identical to the projector's document", "[store][recovery]") {
  Log l;
  l.put("tt1", rec("movielens", "1", "Toy Story", 1995, 4.0));
  l.put("tt1", rec("imdb", "tt1", "Toy Story", 1995, 8.3));
  l.put("tt1", rec("rotten_tomatoes", "toy_story", "Toy Story", 1995, 10));
  l.put("tt1", rec("imdb", "tt1", "Toy Story (1995)", 1995, 8.4));
  l.remove("tt1", "movielens", "1");
  l.put("tt1", rec("movielens", "1", "Toy Story", 1995, 4.5));
  l.put("tt2", rec("imdb", "tt2", "Heat", 1995));
  l.put("tt3", rec("vega", "v3", "Ghost", 1990));
  l.remove("tt3", "vega", "v3");

  Projector projector(*l.db);
  REQUIRE(projector.catch_up(*l.log));
  ReadModels models(*l.db);
  for (std::string id : {"tt1", "tt2", "tt3"}) {
    INFO(id);
    auto stored = l.db->get(ColumnFamily::movies, id);
    REQUIRE(stored);
    CHECK(movie_document(l.fold(id)).dump() == *stored);
  }
  // Sources are listed in (source, source_id) order, whatever order they came in.
  auto doc = models.movie("tt1");
  REQUIRE(doc);
  CHECK((*doc)["sources"] == json::parse(R"([{"source":"imdb","source_id":"tt1"},
      {"source":"movielens","source_id":"1"},{"source":"rotten_tomatoes","source_id":"toy_story"}])"));
}

TEST_CASE("wait_for_append returns as soon as another thread appends, or at the timeout", "[store][recovery]") {
  Log l;
  l.put("tt1", rec("imdb", "tt1", "A", 2000));
  const auto last = l.log->last_sequence();

  auto started = std::chrono::steady_clock::now();
  CHECK(l.log->wait_for_append(last, std::chrono::milliseconds(150)) == last);
  CHECK(std::chrono::steady_clock::now() - started >= std::chrono::milliseconds(140));

  CHECK(l.log->wait_for_append(last - 1, std::chrono::seconds(10)) == last);  // already past

  std::thread writer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    l.put("tt2", rec("imdb", "tt2", "B", 2000));
  });
  started = std::chrono::steady_clock::now();
  auto seen = l.log->wait_for_append(last, std::chrono::seconds(20));
  auto waited = std::chrono::steady_clock::now() - started;
  writer.join();
  CHECK(seen > last);
  CHECK(waited < std::chrono::seconds(10));
}
