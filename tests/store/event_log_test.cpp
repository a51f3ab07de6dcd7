// The append-only event log (store/event_log.hpp): sequences, streams, expected
// versions, idempotent retries, group commit, causation, reads and snapshots.

#include <catch2/catch.hpp>

#include <memory>

#include "events/coding.hpp"
#include "store/db.hpp"
#include "store/event_log.hpp"
#include "store/keys.hpp"
#include "support/temp_dir.hpp"

using namespace moviec;
using namespace moviec::store;
using events::Event;
using events::EventType;
using nlohmann::json;

namespace {

struct LogFixture {
  test::TempDir dir;
  std::unique_ptr<Db> db;
  std::unique_ptr<EventLog> log;

  LogFixture() { reopen(); }

  void reopen() {
    log.reset();
    db.reset();
    auto opened = Db::open(dir.str());
    REQUIRE(opened);
    db = opened.take();
    log = std::make_unique<EventLog>(*db);
  }

  std::uint64_t head(const std::string& stream) {
    auto v = log->stream_version(stream);
    REQUIRE(v);
    return *v;
  }

  std::vector<Event> all() {
    std::vector<Event> out;
    REQUIRE(log->read_from(0, [&](const Event& e) {
      out.push_back(e);
      return true;
    }));
    return out;
  }

  std::vector<Event> stream(const std::string& s, std::uint64_t from = 1) {
    std::vector<Event> out;
    REQUIRE(log->read_stream(s, from, [&](const Event& e) {
      out.push_back(e);
      return true;
    }));
    return out;
  }

  bool has_key(ColumnFamily f, const std::string& key) { return db->get(f, key).is_ok(); }
};

Event record_event(const std::string& id, const std::string& title,
                   const std::string& source_id = "tt1") {
  events::SourceRecord r;
  r.source = "imdb";
  r.source_id = source_id;
  r.title = title;
  Event e;
  e.type = EventType::source_record_changed;
  e.time_ms = 1700000000000;
  e.source = "imdb";
  e.causation = "title.basics.tsv:2";
  e.correlation = "batch-1";
  e.id = id;
  e.data = events::to_data(events::SourceRecordChanged{r, r.fingerprint(), "", "source_movie_id", std::nullopt, nullptr, 0});
  return e;
}

Event golden_event(const std::string& id, std::vector<events::FieldChange> fields) {
  Event e;
  e.type = EventType::movie_changed;
  e.source = "imdb";
  e.id = id;
  e.data = events::to_data(events::MovieChanged{1, std::move(fields)});
  return e;
}

Event removed_event(const std::string& id, const std::string& source_id) {
  Event e;
  e.type = EventType::source_record_removed;
  e.source = "imdb";
  e.id = id;
  e.data = events::to_data(events::SourceRecordRemoved{"imdb", source_id, "ffff"});
  return e;
}

AppendRequest request(const std::string& stream, std::uint64_t expected, std::vector<Event> events) {
  AppendRequest r;
  r.stream = stream;
  r.expected_version = expected;
  r.events = std::move(events);
  return r;
}

AppendResult append_ok(EventLog& log, AppendRequest req) {
  auto r = log.append(std::move(req), false);
  INFO(r.status().message());
  REQUIRE(r);
  return *r;
}

}  // namespace

// --- sequences and versions -------------------------------------------------------

TEST_CASE("the first append to a stream gets sequence 1 and version 1", "[store][log]") {
  LogFixture f;
  CHECK(f.log->last_sequence() == 0);
  CHECK(f.head("tt1") == 0);
  auto r = append_ok(*f.log, request("tt1", 0, {record_event("a", "Carmencita")}));
  CHECK(r.first_sequence == 1);
  CHECK(r.last_sequence == 1);
  CHECK(r.version == 1);
  CHECK_FALSE(r.duplicate);
  CHECK(f.log->last_sequence() == 1);
  CHECK(f.head("tt1") == 1);

  auto stored = f.log->read(1);
  REQUIRE(stored);
  CHECK(stored->sequence == 1);
  CHECK(stored->stream == "tt1");
  CHECK(stored->version == 1);
  CHECK(stored->type == EventType::source_record_changed);
  CHECK(stored->id == "a");
  CHECK(stored->causation == "title.basics.tsv:2");
  CHECK(stored->correlation == "batch-1");
  CHECK(stored->time_ms == 1700000000000);
  CHECK(events::source_record_changed(*stored).record.title == "Carmencita");
}

TEST_CASE("sequences are global and versions are per stream", "[store][log]") {
  LogFixture f;
  append_ok(*f.log, request("tt1", 0, {record_event("a1", "A"), record_event("a2", "A2")}));
  auto b = append_ok(*f.log, request("tt2", 0, {record_event("b1", "B")}));
  auto a = append_ok(*f.log, request("tt1", 2, {record_event("a3", "A3")}));
  CHECK(b.first_sequence == 3);
  CHECK(b.version == 1);
  CHECK(a.first_sequence == 4);
  CHECK(a.version == 3);
  CHECK(f.head("tt1") == 3);
  CHECK(f.head("tt2") == 1);

  auto events = f.all();
  REQUIRE(events.size() == 4);
  std::vector<std::pair<std::string, std::uint64_t>> places;
  for (std::size_t i = 0; i < events.size(); ++i) {
    CHECK(events[i].sequence == i + 1);
    places.emplace_back(events[i].stream, events[i].version);
  }
  CHECK(places == std::vector<std::pair<std::string, std::uint64_t>>{
                      {"tt1", 1}, {"tt1", 2}, {"tt2", 1}, {"tt1", 3}});
}

// --- expected versions ----------------------------------------------------------

TEST_CASE("append rejects a stale expected version", "[store][log]") {
  LogFixture f;
  append_ok(*f.log, request("tt1", 0, {record_event("a", "A")}));
  append_ok(*f.log, request("tt1", 1, {record_event("b", "B")}));

  auto stale = f.log->append(request("tt1", 1, {record_event("c", "C")}), false);
  REQUIRE_FALSE(stale);
  CHECK(stale.status().code() == Status::Code::conflict);
  CHECK_THAT(stale.status().message(), Catch::Contains("version 2") && Catch::Contains("expected 1"));

  // Nothing was written: log length, stream head, event id and meta are unchanged.
  CHECK(f.log->last_sequence() == 2);
  CHECK(f.all().size() == 2);
  CHECK(f.head("tt1") == 2);
  CHECK(f.stream("tt1").size() == 2);
  CHECK_FALSE(f.has_key(ColumnFamily::event_ids, "c"));
  CHECK_FALSE(f.log->read(3));
  auto meta = f.db->get(ColumnFamily::meta, std::string(keys::kLastSequence));
  REQUIRE(meta);
  CHECK(keys::get_be64(*meta) == 2);

  // The same event with the right version then commits as sequence 3, not 4.
  auto retry = append_ok(*f.log, request("tt1", 2, {record_event("c", "C")}));
  CHECK(retry.first_sequence == 3);
  CHECK(retry.version == 3);
}

TEST_CASE("append rejects an expected version ahead of the stream", "[store][log]") {
  LogFixture f;
  auto ahead = f.log->append(request("tt1", 1, {record_event("a", "A")}), false);
  REQUIRE_FALSE(ahead);
  CHECK(ahead.status().code() == Status::Code::conflict);
  CHECK(f.log->last_sequence() == 0);
  CHECK(f.head("tt1") == 0);
  CHECK(f.all().empty());
}

TEST_CASE("a conflicting request's side writes are not written", "[store][log]") {
  LogFixture f;
  append_ok(*f.log, request("tt1", 0, {record_event("a", "A")}));
  auto req = request("tt1", 0, {record_event("b", "B")});
  req.side_writes.push_back({ColumnFamily::fingerprints, keys::fingerprint_key("imdb", "tt1"), "fp"});
  CHECK_FALSE(f.log->append(std::move(req), false));
  CHECK_FALSE(f.has_key(ColumnFamily::fingerprints, keys::fingerprint_key("imdb", "tt1")));
}

TEST_CASE("side writes commit together with their events", "[store][log]") {
  LogFixture f;
  auto req = request("tt1", 0, {record_event("a", "A")});
  req.side_writes.push_back({ColumnFamily::fingerprints, keys::fingerprint_key("imdb", "tt1"), "fp1"});
  req.side_writes.push_back({ColumnFamily::snapshots, keys::snapshot_key("tt1", 1), "{}"});
  append_ok(*f.log, std::move(req));
  auto fp = f.db->get(ColumnFamily::fingerprints, keys::fingerprint_key("imdb", "tt1"));
  REQUIRE(fp);
  CHECK(*fp == "fp1");
  CHECK(f.has_key(ColumnFamily::snapshots, keys::snapshot_key("tt1", 1)));
}

TEST_CASE("a request with no events is invalid and writes nothing", "[store][log]") {
  LogFixture f;
  auto req = request("tt1", 0, {});
  req.side_writes.push_back({ColumnFamily::fingerprints, "k", "v"});
  auto r = f.log->append(std::move(req), false);
  REQUIRE_FALSE(r);
  CHECK(r.status().code() == Status::Code::invalid_argument);
  CHECK(f.log->last_sequence() == 0);
  CHECK_FALSE(f.has_key(ColumnFamily::fingerprints, "k"));
}

TEST_CASE("an event whose payload is of another type is invalid and writes nothing", "[store][log]") {
  LogFixture f;
  auto wrong = removed_event("r", "tt1");
  wrong.type = EventType::movie_changed;  // a MovieChanged carrying a removal's payload
  auto r = f.log->append(request("tt1", 0, {record_event("a", "Carmencita"), wrong}), false);
  REQUIRE_FALSE(r);
  CHECK(r.status().code() == Status::Code::invalid_argument);
  CHECK_THAT(r.status().message(), Catch::Contains("SourceRecordRemoved"));
  CHECK(f.log->last_sequence() == 0);
  CHECK(f.head("tt1") == 0);
}

// --- idempotency ------------------------------------------------------------------

TEST_CASE("a retried append with the same event id writes nothing", "[store][log]") {
  LogFixture f;
  append_ok(*f.log, request("tt0", 0, {record_event("x", "X", "tt0")}));
  auto first = append_ok(*f.log, request("tt1", 0, {record_event("a", "A"), golden_event("a/golden", {})}));
  CHECK(first.first_sequence == 2);
  CHECK(first.last_sequence == 3);

  // The writer never saw the reply and sends the very same request again.
  auto retry = append_ok(*f.log, request("tt1", 0, {record_event("a", "A"), golden_event("a/golden", {})}));
  CHECK(retry.duplicate);
  CHECK(retry.first_sequence == 2);
  CHECK(retry.last_sequence == 3);
  CHECK(f.log->last_sequence() == 3);
  CHECK(f.all().size() == 3);
  CHECK(f.head("tt1") == 2);
}

TEST_CASE("a retry is recognised by its event id even with a current expected version",
          "[store][log]") {
  LogFixture f;
  append_ok(*f.log, request("tt1", 0, {record_event("a", "A")}));
  // The id decides, not the version: the retry is not appended a second time.
  auto retry = append_ok(*f.log, request("tt1", 1, {record_event("a", "A")}));
  CHECK(retry.duplicate);
  CHECK(retry.first_sequence == 1);
  CHECK(f.log->last_sequence() == 1);
  CHECK(f.head("tt1") == 1);
}

TEST_CASE("the duplicate of a retry survives a reopen of the database", "[store][log]") {
  LogFixture f;
  append_ok(*f.log, request("tt1", 0, {record_event("a", "A")}));
  f.reopen();
  auto retry = append_ok(*f.log, request("tt1", 0, {record_event("a", "A")}));
  CHECK(retry.duplicate);
  CHECK(retry.first_sequence == 1);
  CHECK(f.all().size() == 1);
}

TEST_CASE("an event without an id gets a deterministic one that makes retries idempotent",
          "[store][log]") {
  LogFixture f;
  auto e = record_event("", "A");
  append_ok(*f.log, request("tt1", 0, {e}));
  auto stored = f.log->read(1);
  REQUIRE(stored);
  CHECK(stored->id.size() == 32);
  auto retry = append_ok(*f.log, request("tt1", 0, {e}));
  CHECK(retry.duplicate);
  CHECK(retry.first_sequence == 1);
  CHECK(f.all().size() == 1);
}

TEST_CASE("an event without an id that repeats an earlier payload later in its stream is appended",
          "[store][log]") {
  // Removed, re-added with the same content, removed again: the two removals carry
  // equal payloads but are different facts at different stream positions.
  LogFixture f;
  append_ok(*f.log, request("tt1", 0, {record_event("add-1", "A", "x")}));
  append_ok(*f.log, request("tt1", 1, {removed_event("", "x")}));
  append_ok(*f.log, request("tt1", 2, {record_event("add-2", "A", "x")}));
  auto again = append_ok(*f.log, request("tt1", 3, {removed_event("", "x")}));
  CHECK_FALSE(again.duplicate);
  CHECK(again.first_sequence == 4);
  CHECK(f.head("tt1") == 4);
  auto events = f.stream("tt1");
  REQUIRE(events.size() == 4);
  CHECK(events[3].type == EventType::source_record_removed);
  CHECK(events[1].id != events[3].id);
}

// --- group commit -------------------------------------------------------------------

TEST_CASE("group commit: a conflicting request fails alone and the others commit",
          "[store][log]") {
  LogFixture f;
  append_ok(*f.log, request("tt2", 0, {record_event("b0", "B")}));

  std::vector<AppendRequest> batch;
  batch.push_back(request("tt1", 0, {record_event("a1", "A"), record_event("a2", "A2")}));
  batch.push_back(request("tt2", 0, {record_event("b1", "stale")}));  // tt2 is at 1
  batch.push_back(request("tt3", 0, {record_event("c1", "C")}));
  auto results = f.log->append(batch, false);
  REQUIRE(results.size() == 3);

  REQUIRE(results[0]);
  CHECK(results[0]->first_sequence == 2);
  CHECK(results[0]->last_sequence == 3);
  CHECK(results[0]->version == 2);
  REQUIRE_FALSE(results[1]);
  CHECK(results[1].status().code() == Status::Code::conflict);
  REQUIRE(results[2]);
  CHECK(results[2]->first_sequence == 4);  // no hole where the conflict would have been
  CHECK(results[2]->version == 1);

  CHECK(f.log->last_sequence() == 4);
  CHECK(f.head("tt1") == 2);
  CHECK(f.head("tt2") == 1);
  CHECK(f.head("tt3") == 1);
  CHECK_FALSE(f.has_key(ColumnFamily::event_ids, "b1"));
  auto events = f.all();
  REQUIRE(events.size() == 4);
  for (std::size_t i = 0; i < events.size(); ++i) CHECK(events[i].sequence == i + 1);
  CHECK(events[3].stream == "tt3");
  // The batch's events now show where they landed.
  CHECK(batch[0].events[1].sequence == 3);
  CHECK(batch[2].events[0].sequence == 4);
}

TEST_CASE("group commit: requests to one stream in one batch chain their versions",
          "[store][log]") {
  LogFixture f;
  std::vector<AppendRequest> batch;
  batch.push_back(request("tt1", 0, {record_event("a1", "A")}));
  batch.push_back(request("tt1", 1, {record_event("a2", "A2")}));
  batch.push_back(request("tt1", 1, {record_event("a3", "too late")}));  // head is 2 by now
  auto results = f.log->append(batch, false);
  REQUIRE(results.size() == 3);
  REQUIRE(results[0]);
  REQUIRE(results[1]);
  CHECK(results[1]->version == 2);
  CHECK(results[1]->first_sequence == 2);
  REQUIRE_FALSE(results[2]);
  CHECK(results[2].status().code() == Status::Code::conflict);
  CHECK(f.head("tt1") == 2);
  CHECK(f.stream("tt1").size() == 2);
}

TEST_CASE("group commit: one event id twice in a batch is written once", "[store][log]") {
  LogFixture f;
  std::vector<AppendRequest> batch;
  batch.push_back(request("tt1", 0, {record_event("same", "A")}));
  batch.push_back(request("tt2", 0, {record_event("same", "A")}));
  auto results = f.log->append(batch, false);
  REQUIRE(results.size() == 2);
  CHECK(results[0]);
  CHECK_FALSE(results[1]);
  CHECK(f.log->last_sequence() == 1);
  CHECK(f.head("tt2") == 0);
}

TEST_CASE("group commit: a duplicate beside new requests reports the original", "[store][log]") {
  LogFixture f;
  append_ok(*f.log, request("tt1", 0, {record_event("a", "A")}));
  std::vector<AppendRequest> batch;
  batch.push_back(request("tt1", 0, {record_event("a", "A")}));
  batch.push_back(request("tt2", 0, {record_event("b", "B")}));
  auto results = f.log->append(batch, false);
  REQUIRE(results[0]);
  CHECK(results[0]->duplicate);
  CHECK(results[0]->first_sequence == 1);
  REQUIRE(results[1]);
  CHECK_FALSE(results[1]->duplicate);
  CHECK(results[1]->first_sequence == 2);
  CHECK(f.log->last_sequence() == 2);
}

TEST_CASE("a failed write fails every request and publishes no sequence", "[store][log]") {
  LogFixture f;
  append_ok(*f.log, request("tt1", 0, {record_event("a", "A")}));
  Db::Options ro;
  ro.read_only = true;
  auto reader = Db::open(f.dir.str(), ro);
  REQUIRE(reader);
  EventLog read_only(**reader);
  CHECK(read_only.last_sequence() == 1);

  std::vector<AppendRequest> batch;
  batch.push_back(request("tt1", 1, {record_event("b", "B")}));
  batch.push_back(request("tt2", 0, {record_event("c", "C")}));
  auto results = read_only.append(batch, false);
  REQUIRE(results.size() == 2);
  CHECK_FALSE(results[0]);
  CHECK_FALSE(results[1]);
  CHECK(read_only.last_sequence() == 1);
  CHECK(f.log->last_sequence() == 1);
  CHECK(f.all().size() == 1);
}

TEST_CASE("sequences stay gap-free across a reopen of the database", "[store][log]") {
  LogFixture f;
  append_ok(*f.log, request("tt1", 0, {record_event("a1", "A"), record_event("a2", "A")}));
  append_ok(*f.log, request("tt2", 0, {record_event("b1", "B")}));
  f.reopen();
  CHECK(f.log->last_sequence() == 3);
  CHECK(f.head("tt1") == 2);
  auto r = append_ok(*f.log, request("tt1", 2, {record_event("a3", "A")}));
  CHECK(r.first_sequence == 4);
  CHECK(r.version == 3);
  f.reopen();
  append_ok(*f.log, request("tt2", 1, {record_event("b2", "B")}));
  auto events = f.all();
  REQUIRE(events.size() == 5);
  for (std::size_t i = 0; i < events.size(); ++i) CHECK(events[i].sequence == i + 1);
  auto tt1 = f.stream("tt1");
  REQUIRE(tt1.size() == 3);
  for (std::size_t i = 0; i < tt1.size(); ++i) CHECK(tt1[i].version == i + 1);
}

// --- causation ------------------------------------------------------------------------

TEST_CASE("the events of a request are chained: each is caused by the one before",
          "[store][log]") {
  LogFixture f;
  append_ok(*f.log, request("tt0", 0, {record_event("x", "X", "tt0")}));
  append_ok(*f.log, request("tt1", 0, {record_event("a", "A")}));  // sequence 2

  auto golden = golden_event("b/golden", {{"title", "A", "B", "imdb", "source_priority", 0},
                                          {"year", json(), 1995, "imdb", "source_priority", 2}});
  auto third = golden_event("b/extra", {{"runtime_minutes", json(), 81, "imdb", "source_priority", 0}});
  auto r = append_ok(*f.log, request("tt1", 1, {record_event("b", "B"), golden, third}));
  REQUIRE(r.first_sequence == 3);

  auto first = f.log->read(3);
  auto second = f.log->read(4);
  auto last = f.log->read(5);
  REQUIRE(first);
  REQUIRE(second);
  REQUIRE(last);
  CHECK(first->causation_seq == 0);  // caused by outside input
  CHECK(second->causation_seq == 3);
  CHECK(last->causation_seq == 4);
  auto change = events::movie_changed(*second);
  REQUIRE(change.fields.size() == 2);
  CHECK(change.fields[0].caused_by == 3);  // supplied by the uncommitted record: now known
  CHECK(change.fields[1].caused_by == 2);  // an earlier committed record: kept
  CHECK(events::movie_changed(*last).fields[0].caused_by == 4);
  // The outside cause is kept beside the chained one.
  CHECK(first->causation == "title.basics.tsv:2");
}

TEST_CASE("an event's explicit cause is never overwritten by chaining", "[store][log]") {
  LogFixture f;
  auto second = record_event("b", "B");
  second.causation_seq = 1;
  append_ok(*f.log, request("tt0", 0, {record_event("x", "X", "tt0")}));
  append_ok(*f.log, request("tt1", 0, {record_event("a", "A"), second}));
  auto stored = f.log->read(3);
  REQUIRE(stored);
  CHECK(stored->causation_seq == 1);
}

TEST_CASE("chain_causation off leaves causes as given", "[store][log]") {
  LogFixture f;
  auto req = request("tt1", 0, {record_event("a", "A"),
                                golden_event("g", {{"title", json(), "A", "imdb", "source_priority", 0}})});
  req.chain_causation = false;
  append_ok(*f.log, std::move(req));
  auto stored = f.log->read(2);
  REQUIRE(stored);
  CHECK(stored->causation_seq == 0);
  CHECK(events::movie_changed(*stored).fields[0].caused_by == 0);
}

TEST_CASE("place_events gives a writer's copy exactly the places the log stored",
          "[store][log]") {
  LogFixture f;
  append_ok(*f.log, request("tt0", 0, {record_event("x", "X", "tt0")}));
  auto req = request("tt1", 0, {record_event("a", "A"),
                                golden_event("g", {{"title", json(), "A", "imdb", "source_priority", 0}})});
  auto copy = req;
  auto r = append_ok(*f.log, std::move(req));
  place_events(copy, r.first_sequence, 1);
  auto stored = f.stream("tt1");
  REQUIRE(stored.size() == copy.events.size());
  for (std::size_t i = 0; i < stored.size(); ++i) {
    INFO(i);
    CHECK(events::encode(stored[i]) == events::encode(copy.events[i]));
  }
}

// --- reads ------------------------------------------------------------------------------

TEST_CASE("read_stream visits one stream in version order from a version", "[store][log]") {
  LogFixture f;
  for (std::uint64_t v = 0; v < 5; ++v) {
    append_ok(*f.log, request("tt1", v, {record_event("a" + std::to_string(v), "A")}));
    append_ok(*f.log, request("tt2", v, {record_event("b" + std::to_string(v), "B")}));
  }
  auto from3 = f.stream("tt1", 3);
  REQUIRE(from3.size() == 3);
  CHECK(from3[0].version == 3);
  CHECK(from3[1].version == 4);
  CHECK(from3[2].version == 5);
  for (auto& e : from3) CHECK(e.stream == "tt1");
  CHECK(from3[0].sequence == 5);  // tt1 v3 was the fifth append
  CHECK(f.stream("tt1", 0).size() == 5);
  CHECK(f.stream("tt1", 6).empty());
  CHECK(f.stream("unknown").empty());
}

TEST_CASE("read_stream stops when the visitor returns false", "[store][log]") {
  LogFixture f;
  append_ok(*f.log, request("tt1", 0, {record_event("a", "A"), record_event("b", "B"),
                                       record_event("c", "C")}));
  std::vector<std::uint64_t> seen;
  REQUIRE(f.log->read_stream("tt1", 1, [&](const Event& e) {
    seen.push_back(e.version);
    return e.version < 2;
  }));
  CHECK(seen == std::vector<std::uint64_t>{1, 2});
}

TEST_CASE("read_stream never strays into a stream whose id extends its own", "[store][log]") {
  LogFixture f;
  append_ok(*f.log, request("tt1", 0, {record_event("a", "A")}));
  append_ok(*f.log, request("tt10", 0, {record_event("b", "B"), record_event("c", "C")}));
  append_ok(*f.log, request("tt", 0, {record_event("d", "D")}));
  auto tt1 = f.stream("tt1");
  REQUIRE(tt1.size() == 1);
  CHECK(tt1[0].id == "a");
  CHECK(f.stream("tt").size() == 1);
  CHECK(f.stream("tt10").size() == 2);
}

TEST_CASE("read_from visits the global log after a sequence, in order", "[store][log]") {
  LogFixture f;
  for (int i = 0; i < 300; ++i)  // past 255 and 256: keys must sort numerically
    append_ok(*f.log, request("tt" + std::to_string(i % 7), static_cast<std::uint64_t>(i / 7),
                              {record_event("e" + std::to_string(i), "T")}));
  std::vector<std::uint64_t> seqs;
  REQUIRE(f.log->read_from(250, [&](const Event& e) {
    seqs.push_back(e.sequence);
    return true;
  }));
  REQUIRE(seqs.size() == 50);
  for (std::size_t i = 0; i < seqs.size(); ++i) CHECK(seqs[i] == 251 + i);

  std::vector<std::uint64_t> first_two;
  REQUIRE(f.log->read_from(0, [&](const Event& e) {
    first_two.push_back(e.sequence);
    return first_two.size() < 2;
  }));
  CHECK(first_two == std::vector<std::uint64_t>{1, 2});
  bool visited = false;
  REQUIRE(f.log->read_from(300, [&](const Event&) { return visited = true; }));
  CHECK_FALSE(visited);
}

TEST_CASE("read of a sequence never written is not_found", "[store][log]") {
  LogFixture f;
  append_ok(*f.log, request("tt1", 0, {record_event("a", "A")}));
  auto missing = f.log->read(2);
  REQUIRE_FALSE(missing);
  CHECK(missing.status().code() == Status::Code::not_found);
  CHECK_FALSE(f.log->read(0));
}

TEST_CASE("a corrupt stored event is reported as corruption by every reader", "[store][log]") {
  LogFixture f;
  append_ok(*f.log, request("tt1", 0, {record_event("a", "A"), record_event("b", "B")}));
  REQUIRE(f.db->raw()->Put(rocksdb::WriteOptions(), f.db->cf(ColumnFamily::log), keys::log_key(2), "{not json").ok());

  auto bad = f.log->read(2);
  REQUIRE_FALSE(bad);
  CHECK(bad.status().code() == Status::Code::corruption);
  CHECK_THAT(bad.status().message(), Catch::Contains("event 2"));

  int visited = 0;
  auto st = f.log->read_from(0, [&](const Event&) { return ++visited, true; });
  CHECK(st.code() == Status::Code::corruption);
  CHECK(visited == 1);

  auto st2 = f.log->read_stream("tt1", 1, [&](const Event&) { return true; });
  CHECK(st2.code() == Status::Code::corruption);
}

// --- snapshots --------------------------------------------------------------------------

namespace {
void put_snapshot(LogFixture& f, const std::string& stream, std::uint64_t version) {
  rocksdb::WriteBatch b;
  b.Put(f.db->cf(ColumnFamily::snapshots), keys::snapshot_key(stream, version),
        "snap-" + stream + "-" + std::to_string(version));
  REQUIRE(f.db->write(b, false));
}
}  // namespace

TEST_CASE("latest_snapshot returns the newest snapshot at or below max_version",
          "[store][log]") {
  LogFixture f;
  auto none = f.log->latest_snapshot("tt1");
  REQUIRE(none);
  CHECK_FALSE(none->has_value());

  for (std::uint64_t v : {3, 6, 9, 300}) put_snapshot(f, "tt1", v);
  auto check = [&](std::uint64_t max, std::optional<std::uint64_t> expected) {
    INFO("max_version " << max);
    auto s = f.log->latest_snapshot("tt1", max);
    REQUIRE(s);
    REQUIRE(s->has_value() == expected.has_value());
    if (expected) {
      CHECK((*s)->first == *expected);
      CHECK((*s)->second == "snap-tt1-" + std::to_string(*expected));
    }
  };
  check(UINT64_MAX, 300);
  check(299, 9);
  check(256, 9);
  check(9, 9);
  check(8, 6);
  check(3, 3);
  check(2, std::nullopt);
  check(0, std::nullopt);
}

TEST_CASE("latest_snapshot never returns another stream's snapshot", "[store][log]") {
  LogFixture f;
  put_snapshot(f, "tt1", 3);
  put_snapshot(f, "tt10", 1);
  put_snapshot(f, "tt2", 5);
  auto s = f.log->latest_snapshot("tt2", 4);  // tt1's and tt10's sort just before
  REQUIRE(s);
  CHECK_FALSE(s->has_value());
  auto t = f.log->latest_snapshot("tt1");  // tt10's sorts just after
  REQUIRE(t);
  REQUIRE(t->has_value());
  CHECK((*t)->first == 3);
  auto u = f.log->latest_snapshot("tt0");
  REQUIRE(u);
  CHECK_FALSE(u->has_value());
}

TEST_CASE("prune_snapshots keeps only the newest snapshots of one stream", "[store][log]") {
  LogFixture f;
  for (std::uint64_t v : {1, 2, 255, 256, 1000}) put_snapshot(f, "tt1", v);
  put_snapshot(f, "tt10", 1);
  REQUIRE(f.log->prune_snapshots("tt1", 2));
  CHECK_FALSE(f.has_key(ColumnFamily::snapshots, keys::snapshot_key("tt1", 1)));
  CHECK_FALSE(f.has_key(ColumnFamily::snapshots, keys::snapshot_key("tt1", 2)));
  CHECK_FALSE(f.has_key(ColumnFamily::snapshots, keys::snapshot_key("tt1", 255)));
  CHECK(f.has_key(ColumnFamily::snapshots, keys::snapshot_key("tt1", 256)));
  CHECK(f.has_key(ColumnFamily::snapshots, keys::snapshot_key("tt1", 1000)));
  CHECK(f.has_key(ColumnFamily::snapshots, keys::snapshot_key("tt10", 1)));
  REQUIRE(f.log->prune_snapshots("tt1", 5));  // fewer than keep: nothing to do
  CHECK(f.has_key(ColumnFamily::snapshots, keys::snapshot_key("tt1", 256)));
  REQUIRE(f.log->prune_snapshots("tt1", 0));
  auto s = f.log->latest_snapshot("tt1");
  REQUIRE(s);
  CHECK_FALSE(s->has_value());
}

TEST_CASE("write_snapshot stores a snapshot and keeps the newest ones", "[store][log]") {
  LogFixture f;
  for (std::uint64_t v : {10, 20, 30}) REQUIRE(f.log->write_snapshot("tt1", v, "s" + std::to_string(v), 2));
  auto s = f.log->latest_snapshot("tt1");
  REQUIRE(s);
  REQUIRE(s->has_value());
  CHECK((*s)->first == 30);
  CHECK((*s)->second == "s30");
  CHECK_FALSE(f.has_key(ColumnFamily::snapshots, keys::snapshot_key("tt1", 10)));
  CHECK(f.has_key(ColumnFamily::snapshots, keys::snapshot_key("tt1", 20)));
}
