// The audit endpoints over real HTTP (in-process Server on a loopback port):
// GET /movies/{id}/history, /movies/{id}/fields/{field}, /movies/{id}?as_of=, and
// the global feed GET /events with its long poll, woken by a second thread that
// appends through the same EventLog while the request waits.

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <thread>

#include "events/field_rules.hpp"
#include "events/movie_state.hpp"
#include "events/timestamp.hpp"
#include "fixture.hpp"
#include "store/movie_recovery.hpp"

using namespace moviec;
using namespace moviec::test;
using nlohmann::json;

namespace {

constexpr std::int64_t kT0 = 1795514400000;  // 2026-11-24T10:00:00Z

/// A fixture whose movies are written as movie actors write them, one record at a
/// time at a chosen time: SourceRecordChanged, then MovieChanged when a field changes.
class AuditFixture : public HttpFixture {
 public:
  void put(const std::string& movie, const std::string& source, const std::string& title,
           double rating, std::int64_t time_ms) {
    events::SourceRecord r;
    r.source = source;
    r.source_id = source + "-" + movie;
    r.movie_id = movie;
    r.title = title;
    r.year = 1995;
    r.source_ratings.push_back({source, rating, 1, 10, 10, rating * 10});
    auto folded = store::recover_movie(log(), movie);
    REQUIRE(folded);
    auto next = folded->state;
    next.sources[{r.source, r.source_id}] = events::SourceEntry{r, r.fingerprint(), 0};
    events::Event changed;
    changed.type = events::EventType::source_record_changed;
    changed.source = source;
    changed.time_ms = time_ms;
    changed.causation = source + ".tsv:" + std::to_string(++line_);
    changed.correlation = "ingest-test";
    changed.data = events::to_data(events::SourceRecordChanged{r, r.fingerprint(), "", "source_movie_id", std::nullopt, nullptr, 0});
    store::AppendRequest req;
    req.stream = movie;
    req.expected_version = folded->state.version;
    req.events.push_back(changed);
    auto fields = events::aggregate(next, rules_);
    if (!fields.empty()) {
      auto golden = changed;
      golden.type = events::EventType::movie_changed;
      golden.data = events::to_data(events::MovieChanged{rules_.version, fields});
      req.events.push_back(golden);
    }
    REQUIRE(log().append(std::move(req), false));
  }

  /// Projects whatever was appended since serve().
  void project() {
    store::Projector projector(db());
    REQUIRE(projector.catch_up(log()));
  }

 private:
  events::FieldRules rules_ = events::FieldRules::defaults();
  int line_ = 0;
};

/// tt1: imdb at T0 (seq 1-2), movielens at T0+60s (seq 3-4: a new rating, no new title),
/// imdb retitled at T0+120s (seq 5-6). tt2 in between (seq 7-8 at T0+180 s).
void three_versions(AuditFixture& f) {
  f.put("tt1", "imdb", "Heat", 8.2, kT0);
  f.put("tt1", "movielens", "Heat (1995)", 4.0, kT0 + 60000);
  f.put("tt1", "imdb", "Heat!", 8.3, kT0 + 120000);
  f.put("tt2", "imdb", "Casino", 8.2, kT0 + 180000);
}

json strip_as_of(json doc) {
  doc.erase("as_of");
  return doc;
}

}  // namespace

TEST_CASE("history lists a movie's stream oldest first with causation, correlation and field diffs",
          "[http][audit]") {
  AuditFixture f;
  three_versions(f);
  f.serve();
  auto r = f.get("/movies/tt1/history");
  REQUIRE(r.status == 200);
  CHECK(r.content_type == kJson);
  CHECK(r.body["movie_id"] == "tt1");
  CHECK(r.body["version"] == 6);
  CHECK(r.body["count"] == 6);
  CHECK(r.body["next_cursor"].is_null());
  auto& events = r.body["events"];
  REQUIRE(events.size() == 6);
  for (std::size_t i = 0; i < events.size(); ++i) {
    CHECK(events[i]["version"] == i + 1);
    CHECK(events[i]["sequence"] == i + 1);
    for (auto key : {"time", "time_utc", "type", "source", "causation", "causation_seq", "correlation", "event_id"})
      CHECK(events[i].contains(key));
  }
  CHECK(events[0]["type"] == "SourceRecordChanged");
  CHECK(events[0]["time_utc"] == "2026-11-24T10:00:00.000Z");
  CHECK(events[0]["causation"] == "imdb.tsv:1");
  CHECK(events[0]["correlation"] == "ingest-test");
  CHECK(events[1]["type"] == "MovieChanged");
  CHECK(events[1]["causation_seq"] == 1);
  CHECK(events[1]["data"]["trigger"] == "source_record");
  auto& title = events[1]["data"]["fields"][0];
  CHECK(title["field"] == "title");
  CHECK(title["old"].is_null());
  CHECK(title["new"] == "Heat");
  CHECK(title["source"] == "imdb");
  CHECK(title["rule"] == "source_priority");
  auto& retitle = events[5]["data"]["fields"][0];
  CHECK(retitle["old"] == "Heat");
  CHECK(retitle["new"] == "Heat!");
}

TEST_CASE("history pages with limit and next_cursor", "[http][audit]") {
  AuditFixture f;
  three_versions(f);
  f.serve();
  std::vector<std::uint64_t> seen;
  std::string cursor;
  for (int page = 0; page < 10; ++page) {
    auto path = "/movies/tt1/history?limit=4" + (cursor.empty() ? "" : "&cursor=" + cursor);
    auto r = f.get(path);
    REQUIRE(r.status == 200);
    for (auto& e : r.body["events"]) seen.push_back(e["version"]);
    if (r.body["next_cursor"].is_null()) break;
    CHECK(r.body["count"] == 4);
    cursor = r.body["next_cursor"];
  }
  CHECK(seen == std::vector<std::uint64_t>{1, 2, 3, 4, 5, 6});
  require_error(f.get("/movies/tt1/history?cursor=abc"), 400);
  require_error(f.get("/movies/tt1/history?cursor=0"), 400);
  require_error(f.get("/movies/tt1/history?limit=0"), 400);
  require_error(f.get("/movies/tt1/history?limit=1001"), 400);
  require_error(f.get("/movies/tt1/history?since=1"), 400);
  require_error(f.get("/movies/tt9/history"), 404);
  CHECK(f.get("/movies/tt1/history?cursor=99").body["events"].empty());
}

TEST_CASE("a field's story lists every value it had, when, from which source and rule", "[http][audit]") {
  AuditFixture f;
  three_versions(f);
  f.serve();
  auto r = f.get("/movies/tt1/fields/title");
  REQUIRE(r.status == 200);
  CHECK(r.body["movie_id"] == "tt1");
  CHECK(r.body["field"] == "title");
  auto& values = r.body["values"];
  REQUIRE(values.size() == 2);  // movielens' title never won under source_priority
  CHECK(values[0]["value"] == "Heat");
  CHECK(values[0]["old"].is_null());
  CHECK(values[0]["sequence"] == 2);
  CHECK(values[0]["time_utc"] == "2026-11-24T10:00:00.000Z");
  CHECK(values[0]["source"] == "imdb");
  CHECK(values[0]["rule"] == "source_priority");
  CHECK(values[0]["rules_version"] == 1);
  CHECK(values[0]["trigger"] == "source_record");
  CHECK(values[0]["from"]["sequence"] == 1);
  CHECK(values[0]["from"]["input"] == "imdb.tsv:1");
  CHECK(values[0]["from"]["source_id"] == "imdb-tt1");
  CHECK(values[1]["value"] == "Heat!");
  CHECK(values[1]["old"] == "Heat");
  CHECK(values[1]["sequence"] == 6);
  CHECK(values[1]["from"]["input"] == "imdb.tsv:3");

  auto ratings = f.get("/movies/tt1/fields/ratings");
  REQUIRE(ratings.body["values"].size() == 3);
  CHECK(ratings.body["values"][1]["value"]["movielens"]["value"] == 4.0);
  CHECK(ratings.body["values"][1]["source"] == "imdb,movielens");

  auto page = f.get("/movies/tt1/fields/title?limit=1");
  CHECK(page.body["count"] == 1);
  REQUIRE(page.body["next_cursor"].is_string());
  auto rest = f.get("/movies/tt1/fields/title?cursor=" + page.body["next_cursor"].get<std::string>());
  REQUIRE(rest.body["values"].size() == 1);
  CHECK(rest.body["values"][0]["value"] == "Heat!");

  CHECK(f.get("/movies/tt1/fields/country_of_origin").body["values"].empty());
  require_error(f.get("/movies/tt1/fields/titel"), 404);
  require_error(f.get("/movies/tt9/fields/title"), 404);
}

TEST_CASE("as_of a sequence rebuilds the golden record as it was then", "[http][audit]") {
  AuditFixture f;
  three_versions(f);
  f.serve();
  auto first = f.get("/movies/tt1?as_of=2");
  REQUIRE(first.status == 200);
  CHECK(first.body["title"] == "Heat");
  CHECK(first.body["version"] == 2);
  CHECK(first.body["last_sequence"] == 2);
  CHECK(first.body["ratings"]["imdb"]["value"] == 8.2);
  CHECK_FALSE(first.body["ratings"].contains("movielens"));
  CHECK(first.body["provenance"]["title"] == json({{"source", "imdb"}, {"rule", "source_priority"}, {"sequence", 1}}));
  CHECK(first.body["sources"].size() == 1);
  CHECK(first.body["as_of"]["sequence"] == 2);
  CHECK(first.body["as_of"]["version"] == 2);
  CHECK(first.body["as_of"]["events_folded"] == 2);

  // Between the movie's events (seq 5 is its SourceRecordChanged without golden change yet).
  auto mid = f.get("/movies/tt1?as_of=5");
  CHECK(mid.body["title"] == "Heat");
  CHECK(mid.body["version"] == 5);
  CHECK(mid.body["sources"].size() == 2);

  // At or after its last event: exactly the current document, byte for byte.
  auto current = f.get("/movies/tt1");
  for (auto seq : {"6", "7", "8", "1000"}) {
    INFO(seq);
    auto then = f.get(std::string("/movies/tt1?as_of=") + seq);
    CHECK(strip_as_of(then.body).dump() == current.body.dump());
  }
  require_error(f.get("/movies/tt2?as_of=6"), 404);  // tt2 did not exist yet
  require_error(f.get("/movies/tt9?as_of=6"), 404);
}

TEST_CASE("as_of a time rebuilds the golden record as it was at that moment", "[http][audit]") {
  AuditFixture f;
  three_versions(f);
  f.serve();
  auto at = [&](const std::string& time) { return f.get("/movies/tt1", {{"as_of", time}}); };
  CHECK(at("2026-11-24T10:00:00Z").body["version"] == 2);
  CHECK(at("2026-11-24T10:00:59.999Z").body["title"] == "Heat");
  auto minute = at("2026-11-24T10:01:00Z");
  CHECK(minute.body["version"] == 4);
  CHECK(minute.body["ratings"].contains("movielens"));
  CHECK(minute.body["as_of"]["time_utc"] == "2026-11-24T10:01:00.000Z");
  CHECK(at("2026-11-24T12:02:00+02:00").body["title"] == "Heat!");  // 10:02 UTC
  CHECK(strip_as_of(at("2030-01-01T00:00:00Z").body).dump() == f.get("/movies/tt1").body.dump());
  require_error(at("2026-11-24T09:59:59Z"), 404);
  require_error(at("yesterday"), 400);
  require_error(at("2026-11-24T10:00:00"), 400);
  require_error(at("2026-02-30T10:00:00Z"), 400);
  require_error(f.get("/movies/tt1?as_of=1&as_of=2"), 400);
  require_error(f.get("/movies/tt1?as_of=99999999999999999999999"), 400);
}

TEST_CASE("as_of starts from the nearest snapshot at or before the point", "[http][audit]") {
  AuditFixture f;
  for (int i = 0; i < 30; ++i) f.put("tt1", "imdb", "Heat", 1 + i * 0.25, kT0 + i * 1000);
  // Snapshots at versions 20 and 40, as a movie actor leaves them.
  for (std::uint64_t v : {20, 40}) {
    auto state = store::recover_movie(f.log(), "tt1", v);
    REQUIRE(state);
    REQUIRE(f.log().write_snapshot("tt1", v, state->state.to_snapshot().dump(), 3));
  }
  f.serve();
  auto r = f.get("/movies/tt1?as_of=45");
  REQUIRE(r.status == 200);
  CHECK(r.body["as_of"]["snapshot_version"] == 40);
  CHECK(r.body["as_of"]["events_folded"] == 5);
  // Version 45 is record 22's SourceRecordChanged; its MovieChanged (46) is later.
  CHECK(r.body["ratings"]["imdb"]["value"] == 1 + 21 * 0.25);
  CHECK(r.body["sources"].size() == 1);
  auto early = f.get("/movies/tt1?as_of=19");
  CHECK(early.body["as_of"]["snapshot_version"] == 0);
  CHECK(early.body["as_of"]["events_folded"] == 19);
  auto last = f.get("/movies/tt1?as_of=60");
  CHECK(last.body["as_of"]["snapshot_version"] == 40);
  CHECK(strip_as_of(last.body).dump() == f.get("/movies/tt1").body.dump());
}

TEST_CASE("the event feed returns the log in order, filtered and paged", "[http][audit]") {
  AuditFixture f;
  three_versions(f);
  f.serve();
  auto all = f.get("/events");
  REQUIRE(all.status == 200);
  CHECK(all.body["count"] == 8);
  CHECK(all.body["next_after"] == 8);
  CHECK(all.body["last_sequence"] == 8);
  for (std::size_t i = 0; i < 8; ++i) CHECK(all.body["events"][i]["sequence"] == i + 1);

  auto page = f.get("/events?after=2&limit=3");
  CHECK(page.body["count"] == 3);
  CHECK(page.body["events"][0]["sequence"] == 3);
  CHECK(page.body["next_after"] == 5);

  auto movies = f.get("/events?type=MovieChanged");
  CHECK(movies.body["count"] == 4);
  for (auto& e : movies.body["events"]) CHECK(e["type"] == "MovieChanged");
  auto ml = f.get("/events?source=movielens");
  CHECK(ml.body["count"] == 2);
  CHECK(ml.body["events"][0]["stream"] == "tt1");
  auto both = f.get("/events?source=movielens&type=SourceRecordChanged&after=3");
  CHECK(both.body["count"] == 0);
  CHECK(both.body["next_after"] == 8);
  CHECK(f.get("/events?after=8").body["count"] == 0);
  CHECK(f.get("/events?after=100").body["next_after"] == 100);

  require_error(f.get("/events?type=Nope"), 400);
  require_error(f.get("/events?after=-1"), 400);
  require_error(f.get("/events?after=x"), 400);
  require_error(f.get("/events?limit=0"), 400);
  require_error(f.get("/events?wait=61"), 400);
  require_error(f.get("/events?wait=1.5"), 400);
  require_error(f.get("/events?colour=red"), 400);
}

TEST_CASE("a long poll on the feed answers as soon as another thread appends", "[http][audit]") {
  AuditFixture f;
  three_versions(f);
  f.serve();
  std::thread writer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    f.put("tt3", "imdb", "Ronin", 7.2, kT0 + 240000);
  });
  auto started = std::chrono::steady_clock::now();
  auto r = f.get("/events?after=8&wait=20");
  auto waited = std::chrono::steady_clock::now() - started;
  writer.join();
  REQUIRE(r.status == 200);
  REQUIRE(r.body["count"] == 2);
  CHECK(r.body["events"][0]["sequence"] == 9);
  CHECK(r.body["events"][0]["stream"] == "tt3");
  CHECK(r.body["next_after"] == 10);
  CHECK(waited >= std::chrono::milliseconds(300));
  CHECK(waited < std::chrono::seconds(10));
}

TEST_CASE("a filtered long poll sleeps through events it does not want", "[http][audit]") {
  AuditFixture f;
  three_versions(f);
  f.serve();
  std::thread writer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    f.put("tt3", "imdb", "Ronin", 7.2, kT0 + 240000);      // seq 9-10: not movielens
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    f.put("tt3", "movielens", "Ronin", 3.5, kT0 + 300000);  // seq 11-12
  });
  auto started = std::chrono::steady_clock::now();
  auto r = f.get("/events?after=8&source=movielens&wait=20");
  auto waited = std::chrono::steady_clock::now() - started;
  writer.join();
  REQUIRE(r.body["count"].get<int>() >= 1);
  CHECK(r.body["events"][0]["sequence"] == 11);
  CHECK(r.body["events"][0]["source"] == "movielens");
  CHECK(waited >= std::chrono::milliseconds(400));
}

TEST_CASE("a long poll with nothing new answers empty when its wait is over", "[http][audit]") {
  AuditFixture f;
  three_versions(f);
  f.serve();
  auto started = std::chrono::steady_clock::now();
  auto r = f.get("/events?after=8&wait=1");
  auto waited = std::chrono::steady_clock::now() - started;
  CHECK(r.status == 200);
  CHECK(r.body["count"] == 0);
  CHECK(r.body["next_after"] == 8);
  CHECK(waited >= std::chrono::milliseconds(900));
  CHECK(waited < std::chrono::seconds(5));
}

TEST_CASE("stopping the server ends a waiting long poll promptly", "[http][audit]") {
  AuditFixture f;
  three_versions(f);
  f.serve();
  std::atomic<int> status{0};
  std::thread poller([&] {
    httplib::Client client("127.0.0.1", f.server().port());
    client.set_read_timeout(30);
    auto r = client.Get("/events?after=8&wait=60");
    status = r ? r->status : -1;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  auto started = std::chrono::steady_clock::now();
  f.server().stop();
  auto stopping = std::chrono::steady_clock::now() - started;
  poller.join();
  CHECK(stopping < std::chrono::seconds(5));
  CHECK(status == 200);
}

TEST_CASE("a source's stream of match decisions is not a movie to the audit endpoints", "[http][audit]") {
  AuditFixture f;
  three_versions(f);
  events::Event unmatched;
  unmatched.type = events::EventType::source_record_unmatched;
  unmatched.source = "movielens";
  events::SourceRecordUnmatched payload;
  payload.record.source = "movielens";
  payload.record.source_id = "99";
  payload.record.title = "Nowhere";
  payload.fingerprint = payload.record.fingerprint();
  payload.reason = "no_candidates";
  payload.message = "no movie with this title within a year";
  payload.candidates = json::array();
  unmatched.data = events::to_data(payload);
  store::AppendRequest req;
  req.stream = "source:movielens";
  req.events.push_back(unmatched);
  REQUIRE(f.log().append(std::move(req), false));
  f.serve();
  require_error(f.get("/movies/source:movielens/history"), 404);
  require_error(f.get("/movies/source:movielens/fields/title"), 404);
  require_error(f.get("/movies/source:movielens?as_of=9"), 404);
  CHECK(f.get("/events?after=8").body["events"][0]["stream"] == "source:movielens");
}
