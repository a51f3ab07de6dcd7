// The matcher's decision on the layouts a store can have (actors/match_decider.hpp):
// the blocking keys with the facts as their values (a store folded by this build),
// movie_index blocking with a facts record per movie (folded by an earlier build,
// before `moviec replay`), and no facts record at all (the movie's read model).
// The same records get the same candidates, weights and explanations on all three.

#include <catch2/catch.hpp>

#include <memory>

#include <rocksdb/write_batch.h>

#include "actors/batch_decider.hpp"
#include "actors/match_decider.hpp"
#include "events/matching.hpp"
#include "store/db.hpp"
#include "store/event_log.hpp"
#include "store/keys.hpp"
#include "store/read_models.hpp"
#include "support/temp_dir.hpp"

using namespace moviec;
using nlohmann::json;

namespace {

struct Store {
  test::TempDir dir;
  std::unique_ptr<store::Db> db;
  std::unique_ptr<store::EventLog> log;
  int next_id = 0;

  Store() {
    auto opened = store::Db::open(dir.str());
    REQUIRE(opened);
    db = opened.take();
    log = std::make_unique<store::EventLog>(*db);
  }

  /// A movie as the projection sees it: a source record and the golden change.
  void movie(const std::string& id, const json& golden, const std::string& source = "imdb") {
    events::SourceRecord r;
    r.source = source;
    r.source_id = id;
    r.title = golden.value("title", "");
    events::Event changed;
    changed.type = events::EventType::source_record_changed;
    changed.source = source;
    changed.data = events::to_data(events::SourceRecordChanged{r, r.fingerprint(), "", "test", std::nullopt, nullptr, 0});
    events::MovieChanged mc;
    mc.rules_version = 2;
    for (auto& [field, value] : golden.items()) mc.fields.push_back({field, json(), value, source, "test", 0});
    events::Event golden_event;
    golden_event.type = events::EventType::movie_changed;
    golden_event.source = source;
    golden_event.data = events::to_data(mc);
    auto head = log->stream_version(id);
    REQUIRE(head);
    store::AppendRequest req;
    req.stream = id;
    req.expected_version = *head;
    req.events = {changed, golden_event};
    for (auto& e : req.events) e.id = "e" + std::to_string(++next_id);
    REQUIRE(log->append(std::move(req), false));
  }

  void project() {
    store::Projector projector(*db);
    REQUIRE(projector.catch_up(*log));
  }

  /// Deletes every key of the matching family that starts with `kind` 0x00.
  void drop(char kind) {
    rocksdb::WriteBatch batch;
    auto it = db->iterator(store::ColumnFamily::matching);
    const std::string prefix{kind, '\0'};
    for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next())
      batch.Delete(db->cf(store::ColumnFamily::matching), it->key());
    REQUIRE(db->write(batch, false));
  }

  /// Turns the store into one an earlier build folded: no facts blocking marker,
  /// and the movie_index 'm' blocking keys of every movie (which this build writes
  /// only in such a store).
  void as_legacy_blocking() {
    drop(store::keys::kMatchLayout);
    rocksdb::WriteBatch batch;
    auto it = db->iterator(store::ColumnFamily::movies);
    for (it->SeekToFirst(); it->Valid(); it->Next())
      for (auto& k : store::legacy_blocking_keys(json::parse(it->value().ToStringView())))
        batch.Put(db->cf(store::ColumnFamily::movie_index), k, "");
    REQUIRE(db->write(batch, false));
  }

  json candidates(const events::SourceRecord& r) {
    actors::MatchDecider decider(*db, actors::MatchSettings{});
    auto c = decider.score_candidates(r);
    INFO(c.status().message());
    REQUIRE(c);
    return *c;
  }

  std::string decide(const events::SourceRecord& r) {
    actors::MatchDecider decider(*db, actors::MatchSettings{});
    auto d = decider.decide(r);
    REQUIRE(d);
    return d->matched ? d->movie_id : d->reason + ": " + d->message + " " + d->candidates.dump();
  }
};

events::SourceRecord rt(const std::string& id, const std::string& title, int year,
                        std::optional<int> runtime = std::nullopt, std::vector<std::string> genres = {}) {
  events::SourceRecord r;
  r.source = "rotten_tomatoes";
  r.source_id = id;
  r.title = title;
  r.year = year;
  r.runtime_minutes = runtime;
  r.genres = std::move(genres);
  return r;
}

}  // namespace

TEST_CASE("title + year decisions are the same on the blocking keys, the facts records and the read models",
          "[match_decider]") {
  Store s;
  s.movie("tt1", {{"title", "The Usual Suspects"}, {"year", 1995}, {"runtime_minutes", 106},
                  {"genres", {"Crime", "Mystery"}}});
  s.movie("tt2", {{"title", "Heat"}, {"year", 1995}, {"runtime_minutes", 170}, {"genres", {"Action"}}});
  s.movie("tt3", {{"title", "Heat"}, {"year", 1986}, {"runtime_minutes", 101}, {"genres", {"Action"}}});
  s.movie("tt4", {{"title", "Star Wars: Episode IV - A New Hope"}, {"year", 1977}, {"runtime_minutes", 121},
                  {"genres", {"Sci-Fi", "Adventure"}}});
  s.movie("tt5", {{"title", "Das Boot"}, {"year", 1981},
                  {"names", {{{"title", "The Boat"}, {"region", "US"}}}}, {"external_ids", {{"tmdb", "387"}}}});
  s.movie("tt6", {{"title", "Love"}, {"year", 2015}, {"genres", {"Drama"}}}, "rotten_tomatoes");
  s.movie("tt7", {{"title", "Love"}, {"year", 2016}, {"runtime_minutes", 130}});
  s.project();

  std::vector<events::SourceRecord> records{
      rt("m/suspects", "Usual Suspects, The", 1995, 105, {"Mystery & Suspense"}),
      rt("m/heat", "Heat", 1995, 171, {"Action & Adventure"}),
      rt("m/heat_x", "Heat", 1996),
      rt("m/star_wars", "Star Wars", 1977, 121, {"Science Fiction & Fantasy"}),
      rt("m/new_hope", "A New Hope", 1978),
      rt("m/boat", "The Boat", 1982, std::nullopt, {"Drama"}),
      rt("m/love", "Love", 2015, 131, {"Drama", "Romance"}),
      rt("m/none", "Nothing Like It", 2000),
  };
  records[5].external_ids["tmdb"] = "387";

  std::vector<json> on_blocking_keys;
  std::vector<std::string> decided;
  for (auto& r : records) {
    on_blocking_keys.push_back(s.candidates(r));
    decided.push_back(s.decide(r));
  }
  CHECK(on_blocking_keys[0].size() == 1);
  CHECK(decided[0] == "tt1");
  CHECK(decided[1] == "tt2");
  CHECK(decided[3] == "tt4");
  CHECK(decided[5] == "tt5");
  CHECK(on_blocking_keys[6].size() == 2);
  CHECK(on_blocking_keys[7].empty());

  // As a store of an earlier build: movie_index blocking and a facts record lookup.
  s.as_legacy_blocking();
  for (std::size_t i = 0; i < records.size(); ++i) {
    INFO(records[i].source_id);
    CHECK(s.candidates(records[i]) == on_blocking_keys[i]);
    CHECK(s.decide(records[i]) == decided[i]);
  }
  // Older still: no facts record, the golden record of the read model.
  s.drop(store::keys::kMatchFacts);
  for (std::size_t i = 0; i < records.size(); ++i) {
    INFO(records[i].source_id);
    CHECK(s.candidates(records[i]) == on_blocking_keys[i]);
    CHECK(s.decide(records[i]) == decided[i]);
  }
}

TEST_CASE("a candidate found by one of its many other titles is scored from its facts record",
          "[match_decider]") {
  Store s;
  json names = json::array();
  for (int i = 0; i < 40; ++i)
    names.push_back({{"title", "A Rather Long Localized Title Number " + std::to_string(i)}, {"region", "XX"}});
  s.movie("tt1", {{"title", "Heat"}, {"year", 1995}, {"names", names}});
  s.project();
  auto c = s.candidates(rt("m/x", "A Rather Long Localized Title Number 7", 1995));
  REQUIRE(c.size() == 1);
  CHECK(c[0]["movie_id"] == "tt1");
  CHECK(c[0]["title"] == "Heat");
  CHECK(c[0]["features"]["title"] == "exact");
  CHECK(c[0]["features"]["title_pair"].is_array());  // an alternate title
}

TEST_CASE("a batch decided on several threads gets the decisions taken one by one, with what they looked at",
          "[match_decider][batch]") {
  Store s;
  for (int i = 0; i < 30; ++i)
    s.movie("tt" + std::to_string(100 + i), {{"title", i % 3 ? "Heat" : "Ran"}, {"year", 1990 + i % 7},
                                             {"runtime_minutes", 90 + i}});
  s.project();
  std::vector<events::SourceRecord> records;
  for (int i = 0; i < 50; ++i)
    records.push_back(rt("m/" + std::to_string(i), i % 2 ? "Heat" : "Ran", 1989 + i % 9,
                         i % 4 ? std::optional<int>(90 + i % 31) : std::nullopt));
  actors::PendingHolders holders;
  // A strong holder in process: the records that want tt101 are "taken" or go elsewhere.
  holders[std::string("tt101") + '\0' + "rotten_tomatoes"] =
      store::MatchHolder{"m/held", std::string(events::matching::kTitleYear), 100.0};
  actors::MatchDecider one(*s.db, actors::MatchSettings{});
  one.set_pending_holders(&holders);
  std::vector<actors::DecideItem> items;
  for (auto& r : records) items.push_back({&r, ""});
  std::size_t saw_held = 0;
  for (auto& r : records) {
    auto d = one.decide(r);
    REQUIRE(d);
    saw_held += d->candidates.dump().find("\"held_by\"") != std::string::npos;
  }
  CHECK(saw_held > 0);
  for (std::size_t helpers : {0, 1, 3}) {
    actors::BatchDecider batch(*s.db, actors::MatchSettings{}, &holders, helpers);
    CHECK(batch.helpers() == helpers);
    for (int round = 0; round < 3; ++round) {  // the helpers take batch after batch
      auto decided = batch.decide(items);
      REQUIRE(decided.size() == records.size());
      for (std::size_t i = 0; i < records.size(); ++i) {
        INFO(helpers << " helpers, record " << i);
        auto alone = one.decide(records[i]);
        REQUIRE(alone);
        REQUIRE(decided[i]);
        CHECK(decided[i]->matched == alone->matched);
        CHECK(decided[i]->movie_id == alone->movie_id);
        CHECK(decided[i]->reason == alone->reason);
        CHECK(decided[i]->candidates == alone->candidates);
        CHECK(decided[i]->holders_seen == alone->holders_seen);
      }
    }
  }
  // What each decision looked at decides whether a change since makes it stale.
  auto decided = one.decide(records[1]);  // "Heat": its candidates' holders were looked up
  REQUIRE(decided);
  REQUIRE_FALSE(decided->holders_seen.empty());
  actors::MatcherChanges changes;
  CHECK_FALSE(actors::stale(*decided, records[1], changes));
  changes.holders.insert("tt999" + std::string(1, '\0') + "rotten_tomatoes");
  changes.records.insert("rotten_tomatoes" + std::string(1, '\0') + "m/other");
  CHECK_FALSE(actors::stale(*decided, records[1], changes));
  changes.holders.insert(decided->holders_seen[0] + std::string(1, '\0') + "vega");  // another source's holder
  CHECK_FALSE(actors::stale(*decided, records[1], changes));
  auto held = changes;
  held.holders.insert(decided->holders_seen[0] + std::string(1, '\0') + "rotten_tomatoes");
  CHECK(actors::stale(*decided, records[1], held));
  auto same_record = changes;
  same_record.records.insert("rotten_tomatoes" + std::string(1, '\0') + "m/1");
  CHECK(actors::stale(*decided, records[1], same_record));
  auto cleared = changes;
  cleared.cleared = true;
  CHECK(actors::stale(*decided, records[1], cleared));
}
