// Read models (store/read_models.hpp): the Projector that writes them exactly once,
// the queries that read them, and compare_read_models.

#include <catch2/catch.hpp>

#include <algorithm>
#include <memory>
#include <set>

#include <rocksdb/write_batch.h>

#include "events/title_key.hpp"
#include "store/db.hpp"
#include "store/event_log.hpp"
#include "store/keys.hpp"
#include "store/read_models.hpp"
#include "store/verify.hpp"
#include "support/temp_dir.hpp"

using namespace moviec;
using namespace moviec::store;
using events::Event;
using events::EventType;
using nlohmann::json;
using Ids = std::vector<std::string>;

namespace {

/// A log and its read models in one database, fed through the real EventLog.
struct Models {
  test::TempDir dir;
  std::unique_ptr<Db> db;
  std::unique_ptr<EventLog> log;
  std::unique_ptr<Projector> projector;
  int next_id = 0;

  Models() {
    auto opened = Db::open(dir.str());
    REQUIRE(opened);
    db = opened.take();
    log = std::make_unique<EventLog>(*db);
    projector = std::make_unique<Projector>(*db);
  }

  ReadModels read() { return ReadModels(*db); }

  void append(const std::string& movie, std::vector<Event> events) {
    auto head = log->stream_version(movie);
    REQUIRE(head);
    AppendRequest req;
    req.stream = movie;
    req.expected_version = *head;
    for (auto& e : events) e.id = "e" + std::to_string(++next_id);
    req.events = std::move(events);
    auto r = log->append(std::move(req), false);
    INFO(r.status().message());
    REQUIRE(r);
  }

  /// A source record of `movie` and the golden change it caused: `golden` maps
  /// field -> new value (null clears the field).
  void put(const std::string& movie, const json& golden, const std::string& source = "imdb",
           std::string source_id = "") {
    events::SourceRecord r;
    r.source = source;
    r.source_id = source_id.empty() ? movie : source_id;
    r.title = golden.value("title", "");
    Event changed;
    changed.type = EventType::source_record_changed;
    changed.source = source;
    changed.data = events::to_data(events::SourceRecordChanged{r, r.fingerprint(), "", "test", std::nullopt, nullptr, 0});
    events::MovieChanged mc;
    mc.rules_version = 2;
    for (auto& [field, value] : golden.items())
      mc.fields.push_back({field, json(), value, source, "source_priority", 0});
    Event golden_event;
    golden_event.type = EventType::movie_changed;
    golden_event.source = source;
    golden_event.data = events::to_data(mc);
    append(movie, {changed, golden_event});
  }

  void remove(const std::string& movie, const std::string& source, const std::string& source_id) {
    Event e;
    e.type = EventType::source_record_removed;
    e.source = source;
    e.data = events::to_data(events::SourceRecordRemoved{source, source_id, ""});
    append(movie, {e});
  }

  void project() {
    auto st = projector->catch_up(*log);
    INFO(st.message());
    REQUIRE(st);
    REQUIRE(projector->checkpoint() == log->last_sequence());
  }

  json movie(const std::string& id) {
    auto m = read().movie(id);
    INFO(id << ": " << m.status().message());
    REQUIRE(m);
    return *m;
  }

  std::vector<Event> events() {
    std::vector<Event> out;
    REQUIRE(log->read_from(0, [&](const Event& e) {
      out.push_back(e);
      return true;
    }));
    return out;
  }

  Ids search(ReadModels::Query q) {
    auto page = read().search(q);
    INFO(page.status().message());
    REQUIRE(page);
    Ids ids;
    for (auto& m : page->movies) ids.push_back(m.at("movie_id").get<std::string>());
    return ids;
  }

  Ids search_q(const std::string& q) {
    ReadModels::Query query;
    query.q = q;
    return search(query);
  }

  json stats() {
    auto s = read().stats();
    REQUIRE(s);
    return *s;
  }
};

void add_catalog(Models& m) {
  m.put("tt01", {{"title", "Amélie"}, {"year", 2001}, {"genres", {"Comedy", "Romance"}}});
  m.put("tt02", {{"title", "The Fabulous Destiny of Amélie Poulain"}, {"year", 2001}, {"genres", {"Comedy"}}});
  m.put("tt03", {{"title", "Toy Story"}, {"year", 1995}, {"genres", {"Animation", "Comedy"}}});
  m.put("tt04", {{"title", "Toy Story 2"}, {"year", 1999}, {"genres", {"Animation"}}});
  m.put("tt05", {{"title", "The Usual Suspects"}, {"year", 1995}, {"genres", {"Crime", "Thriller"}}});
  m.put("tt06", {{"title", "Schindler's List"}, {"year", 1993}, {"genres", {"Drama"}}});
  m.project();
}

std::string dump_family(Db& db, ColumnFamily f) {
  std::string out;
  auto it = db.iterator(f);
  for (it->SeekToFirst(); it->Valid(); it->Next())
    out += it->key().ToString(true) + "=" + it->value().ToString(true) + "\n";
  return out;
}

std::string dump_read_models(Db& db) {
  std::string out;
  for (auto f : kReadModelFamilies) out += dump_family(db, f);
  out += dump_family(db, ColumnFamily::checkpoints);
  return out;
}

/// The movie_index match blocking ('m') keys, which only a store folded before the
/// facts blocking holds.
Ids blocking_index_keys(Db& db) {
  Ids out;
  auto it = db.iterator(ColumnFamily::movie_index);
  for (it->Seek(keys::match_block_first()); it->Valid() && it->key().compare(keys::match_block_end()) < 0;
       it->Next())
    out.push_back(it->key().ToString());
  return out;
}

/// Writes the 'm' keys of every movie, as builds before this one did.
void put_blocking_index_keys(Db& db) {
  rocksdb::WriteBatch batch;
  auto it = db.iterator(ColumnFamily::movies);
  for (it->SeekToFirst(); it->Valid(); it->Next())
    for (auto& k : legacy_blocking_keys(json::parse(it->value().ToStringView())))
      batch.Put(db.cf(ColumnFamily::movie_index), k, "");
  REQUIRE(db.write(batch, false));
}

}  // namespace

// --- Projector ------------------------------------------------------------------------

TEST_CASE("the projector builds a movie's golden record from its events", "[store][projector]") {
  Models m;
  m.put("tt0114709", {{"title", "Toy Story"}, {"year", 1995}, {"genres", {"Animation"}}});
  m.put("tt0114709", {{"runtime_minutes", 81}}, "movielens", "1");
  m.project();

  auto doc = m.movie("tt0114709");
  CHECK(doc["movie_id"] == "tt0114709");
  CHECK(doc["title"] == "Toy Story");
  CHECK(doc["year"] == 1995);
  CHECK(doc["genres"] == json{"Animation"});
  CHECK(doc["runtime_minutes"] == 81);
  CHECK(doc["version"] == 4);
  CHECK(doc["last_sequence"] == 4);
  CHECK(doc["rules_version"] == 2);
  CHECK(doc["sources"] == json{{{"source", "imdb"}, {"source_id", "tt0114709"}},
                               {{"source", "movielens"}, {"source_id", "1"}}});
  // Provenance: the value's source, its rule and the source event that supplied it
  // (chained by the log from caused_by 0 to the record event before it).
  CHECK(doc["provenance"]["title"] == json{{"source", "imdb"}, {"rule", "source_priority"}, {"sequence", 1}});
  CHECK(doc["provenance"]["runtime_minutes"]["source"] == "movielens");
  CHECK(doc["provenance"]["runtime_minutes"]["sequence"] == 3);
}

TEST_CASE("the projector's checkpoint commits with its writes and survives a restart",
          "[store][projector]") {
  Models m;
  CHECK(m.projector->checkpoint() == 0);
  CHECK(m.read().checkpoint() == 0);
  m.put("tt1", {{"title", "A"}});
  m.put("tt2", {{"title", "B"}});
  m.project();
  CHECK(m.projector->checkpoint() == 4);
  CHECK(m.read().checkpoint() == 4);
  Projector again(*m.db);
  CHECK(again.checkpoint() == 4);
  REQUIRE(again.catch_up(*m.log));  // nothing new: nothing applied twice
  CHECK(m.stats()["movies"] == 2);
}

TEST_CASE("catch_up applies the log in chunks and reports each checkpoint", "[store][projector]") {
  Models m;
  for (int i = 0; i < 5; ++i) m.put("tt" + std::to_string(i), {{"title", "Movie"}});
  std::vector<std::uint64_t> progress;
  REQUIRE(m.projector->catch_up(*m.log, 4, [&](std::uint64_t cp) { progress.push_back(cp); }));
  CHECK(progress == std::vector<std::uint64_t>{4, 8, 10});
  CHECK(m.read().checkpoint() == 10);
  CHECK(m.stats()["movies"] == 5);
}

TEST_CASE("catch_up stops at a corrupt or missing event with the chunks before it applied, whether it reads ahead or not",
          "[store][projector]") {
  // Event 15 unreadable (the reader fails) or gone (the apply finds a gap and fails).
  for (bool missing : {false, true}) {
    Models m;
    for (int i = 0; i < 10; ++i) m.put("tt" + std::to_string(i), {{"title", "Movie"}});  // events 1-20
    rocksdb::WriteBatch damage;
    if (missing) damage.Delete(m.db->cf(ColumnFamily::log), keys::log_key(15));
    else damage.Put(m.db->cf(ColumnFamily::log), keys::log_key(15), "not an event");
    REQUIRE(m.db->write(damage, true));
    // chunk 2 or 3: 20 events are more than two chunks, a second thread reads ahead;
    // chunk 100: read and applied in place, the one unfinished chunk never applied.
    for (auto [chunk, applied] : {std::pair<std::size_t, std::uint64_t>{2, 14}, {3, 12}, {100, 0}}) {
      INFO((missing ? "missing" : "unreadable") << ", chunk " << chunk);
      if (missing && chunk == 100) applied = 0;  // 1-14 and 16-20 in one chunk: the gap fails it
      test::TempDir other;
      auto b = Db::open(other.str());
      REQUIRE(b);
      Projector replay(**b);
      std::vector<std::uint64_t> progress;
      auto st = replay.catch_up(*m.log, chunk, [&](std::uint64_t cp) { progress.push_back(cp); });
      CHECK(st.code() == Status::Code::corruption);
      CHECK_THAT(st.message(), Catch::Contains(missing ? "expected event 15, got 16" : "event 15"));
      CHECK(replay.checkpoint() == applied);
      CHECK(Projector(**b).checkpoint() == applied);  // what is stored
      CHECK(progress.size() == applied / chunk);
    }
  }
}

TEST_CASE("the projector applies a redelivered event exactly once", "[store][projector]") {
  Models m;
  m.put("tt1", {{"title", "First"}});                    // 1, 2
  m.put("tt1", {{"title", "Second"}}, "movielens", "7");  // 3, 4
  m.remove("tt1", "imdb", "tt1");                        // 5
  auto all = m.events();
  REQUIRE(all.size() == 5);
  REQUIRE(m.projector->apply(all));
  const auto before = dump_read_models(*m.db);
  auto imdb_records = [&] {
    return m.stats()["sources"].value("imdb", json::object()).value("records", 0);
  };
  CHECK(m.movie("tt1")["title"] == "Second");
  CHECK(imdb_records() == 0);
  CHECK(m.movie("tt1")["sources"].size() == 1);

  SECTION("the whole batch again") { REQUIRE(m.projector->apply(all)); }
  SECTION("an older event alone") { REQUIRE(m.projector->apply({all[0], all[1]})); }
  SECTION("through a fresh projector after a restart") {
    Projector restarted(*m.db);
    REQUIRE(restarted.apply(all));
  }
  CHECK(m.projector->checkpoint() == 5);
  CHECK(dump_read_models(*m.db) == before);
  CHECK(m.movie("tt1")["title"] == "Second");  // not rolled back to "First"
  CHECK(imdb_records() == 0);                  // the removed record not counted again
  CHECK(m.movie("tt1")["sources"].size() == 1);
}

TEST_CASE("the projector applies only the new part of an overlapping batch", "[store][projector]") {
  Models m;
  m.put("tt1", {{"title", "A"}});  // 1, 2
  m.put("tt2", {{"title", "B"}});  // 3, 4
  auto all = m.events();
  REQUIRE(m.projector->apply({all[0], all[1], all[2]}));
  CHECK(m.projector->checkpoint() == 3);
  REQUIRE(m.projector->apply({all[1], all[2], all[3]}));
  CHECK(m.projector->checkpoint() == 4);
  CHECK(m.movie("tt2")["title"] == "B");
  CHECK(m.stats()["movies"] == 2);
  CHECK(m.stats()["sources"]["imdb"]["records"] == 2);
}

TEST_CASE("the projector reports a gap in the sequence as corruption and writes nothing",
          "[store][projector]") {
  Models m;
  m.put("tt1", {{"title", "A"}});  // 1, 2
  m.put("tt2", {{"title", "B"}});  // 3, 4
  m.put("tt3", {{"title", "C"}});  // 5, 6
  auto all = m.events();
  REQUIRE(m.projector->apply({all[0], all[1]}));
  const auto before = dump_read_models(*m.db);

  SECTION("a batch that starts past the next sequence") {
    auto st = m.projector->apply({all[3]});
    CHECK(st.code() == Status::Code::corruption);
    CHECK_THAT(st.message(), Catch::Contains("expected event 3") && Catch::Contains("got 4"));
  }
  SECTION("a batch with a hole in the middle") {
    auto st = m.projector->apply({all[2], all[4], all[5]});
    CHECK(st.code() == Status::Code::corruption);
  }
  CHECK(m.projector->checkpoint() == 2);
  CHECK(m.read().checkpoint() == 2);
  CHECK(dump_read_models(*m.db) == before);
  CHECK(m.read().movie("tt2").status().code() == Status::Code::not_found);
}

TEST_CASE("an empty batch changes nothing", "[store][projector]") {
  Models m;
  REQUIRE(m.projector->apply({}));
  CHECK(m.projector->checkpoint() == 0);
  CHECK(dump_read_models(*m.db).empty());
}

TEST_CASE("a changed title replaces its words in the index", "[store][projector]") {
  Models m;
  add_catalog(m);
  CHECK(m.search_q("story") == Ids{"tt03", "tt04"});
  m.put("tt03", {{"title", "Toy Tale"}});
  m.project();
  CHECK(m.movie("tt03")["title"] == "Toy Tale");
  CHECK(m.search_q("story") == Ids{"tt04"});  // the old word no longer finds it
  CHECK(m.search_q("tale") == Ids{"tt03"});
  CHECK(m.search_q("toy") == Ids{"tt03", "tt04"});  // a kept word still does
  // No index entry is left behind for the old word.
  auto it = m.db->iterator(ColumnFamily::movie_index);
  CHECK_FALSE([&] {
    for (it->Seek(keys::title_token_prefix("story")); it->Valid(); it->Next())
      if (it->key().ToString() == keys::title_token_prefix("story") + "tt03") return true;
    return false;
  }());
}

TEST_CASE("a title changed twice in one batch leaves only the final words", "[store][projector]") {
  Models m;
  m.put("tt1", {{"title", "Alpha"}});
  m.project();
  m.put("tt1", {{"title", "Beta"}});
  m.put("tt1", {{"title", "Gamma"}});
  m.project();  // one batch: Alpha -> Beta -> Gamma
  CHECK(m.search_q("alpha").empty());
  CHECK(m.search_q("beta").empty());
  CHECK(m.search_q("gamma") == Ids{"tt1"});
  std::size_t index_entries = 0;
  auto it = m.db->iterator(ColumnFamily::movie_index);
  for (it->SeekToFirst(); it->Valid(); it->Next()) ++index_entries;
  CHECK(index_entries == 1);
}

TEST_CASE("changed year and genres move their index entries", "[store][projector]") {
  Models m;
  add_catalog(m);
  m.put("tt03", {{"year", 1996}, {"genres", {"Family"}}});
  m.project();
  ReadModels::Query y1995;
  y1995.year = 1995;
  CHECK(m.search(y1995) == Ids{"tt05"});
  ReadModels::Query y1996;
  y1996.year = 1996;
  CHECK(m.search(y1996) == Ids{"tt03"});
  ReadModels::Query animation;
  animation.genre = "animation";
  CHECK(m.search(animation) == Ids{"tt04"});
  ReadModels::Query family;
  family.genre = "family";
  CHECK(m.search(family) == Ids{"tt03"});
}

TEST_CASE("a cleared field leaves the record, its provenance and the index", "[store][projector]") {
  Models m;
  add_catalog(m);
  m.put("tt05", {{"year", nullptr}, {"genres", nullptr}});
  m.project();
  auto doc = m.movie("tt05");
  CHECK_FALSE(doc.contains("year"));
  CHECK_FALSE(doc.contains("genres"));
  CHECK_FALSE(doc["provenance"].contains("year"));
  CHECK(doc["provenance"].contains("title"));
  ReadModels::Query y1995;
  y1995.year = 1995;
  CHECK(m.search(y1995) == Ids{"tt03"});
  ReadModels::Query crime;
  crime.genre = "crime";
  CHECK(m.search(crime).empty());
  CHECK(m.search_q("usual") == Ids{"tt05"});
}

TEST_CASE("stats count movies and each source's records", "[store][projector]") {
  Models m;
  m.put("tt1", {{"title", "A"}});
  m.put("tt1", {{"year", 2000}}, "movielens", "10");
  m.put("tt2", {{"title", "B"}});
  m.project();
  auto s = m.stats();
  CHECK(s["movies"] == 2);
  CHECK(s["sources"]["imdb"]["records"] == 2);
  CHECK(s["sources"]["movielens"]["records"] == 1);

  m.put("tt1", {{"title", "A, revised"}});  // the same imdb record again: not a new one
  m.remove("tt1", "movielens", "10");
  m.remove("tt2", "imdb", "never-seen");    // unknown record: nothing to count down
  m.project();
  s = m.stats();
  CHECK(s["movies"] == 2);
  CHECK(s["sources"]["imdb"]["records"] == 2);
  CHECK(s["sources"].value("movielens", json::object()).value("records", 0) == 0);
  CHECK(m.movie("tt1")["sources"] == json{{{"source", "imdb"}, {"source_id", "tt1"}}});
}

TEST_CASE("stats of an empty database are zero", "[store][projector]") {
  Models m;
  auto s = m.stats();
  CHECK(s["movies"] == 0);
  CHECK(s["sources"] == json::object());
}

// --- ReadModels queries -------------------------------------------------------------

TEST_CASE("movie of an unknown id is not_found", "[store][search]") {
  Models m;
  add_catalog(m);
  auto missing = m.read().movie("tt99");
  REQUIRE_FALSE(missing);
  CHECK(missing.status().code() == Status::Code::not_found);
  CHECK_THAT(missing.status().message(), Catch::Contains("tt99"));
}

TEST_CASE("search by title words is case and accent insensitive", "[store][search]") {
  Models m;
  add_catalog(m);
  CHECK(m.search_q("amelie") == Ids{"tt01", "tt02"});
  CHECK(m.search_q("AMÉLIE") == Ids{"tt01", "tt02"});
  CHECK(m.search_q("Amélie") == Ids{"tt01", "tt02"});
  CHECK(m.search_q("DESTINY") == Ids{"tt02"});
  CHECK(m.search_q("schindler's") == Ids{"tt06"});
  CHECK(m.search_q("Schindlers") == Ids{"tt06"});
}

TEST_CASE("search requires every title word to match", "[store][search]") {
  Models m;
  add_catalog(m);
  CHECK(m.search_q("amelie poulain") == Ids{"tt02"});
  CHECK(m.search_q("toy story") == Ids{"tt03", "tt04"});
  CHECK(m.search_q("story 2") == Ids{"tt04"});
  CHECK(m.search_q("toy suspects").empty());
  CHECK(m.search_q("matrix").empty());
  CHECK(m.search_q("stor").empty());  // words, not prefixes
}

TEST_CASE("search filters by year", "[store][search]") {
  Models m;
  add_catalog(m);
  ReadModels::Query q;
  q.year = 1995;
  CHECK(m.search(q) == Ids{"tt03", "tt05"});
  q.q = "toy";
  CHECK(m.search(q) == Ids{"tt03"});
  q.year = 1800;
  CHECK(m.search(q).empty());
}

TEST_CASE("search filters by genre regardless of case", "[store][search]") {
  Models m;
  add_catalog(m);
  ReadModels::Query q;
  q.genre = "comedy";
  CHECK(m.search(q) == Ids{"tt01", "tt02", "tt03"});
  q.genre = "ANIMATION";
  CHECK(m.search(q) == Ids{"tt03", "tt04"});
  q.genre = "Romance";
  q.year = 2001;
  CHECK(m.search(q) == Ids{"tt01"});
  q.year = 1995;
  CHECK(m.search(q).empty());
  ReadModels::Query both;
  both.q = "toy";
  both.genre = "comedy";
  CHECK(m.search(both) == Ids{"tt03"});
}

TEST_CASE("search without filters lists every movie in id order", "[store][search]") {
  Models m;
  add_catalog(m);
  CHECK(m.search(ReadModels::Query{}) == Ids{"tt01", "tt02", "tt03", "tt04", "tt05", "tt06"});
}

namespace {
/// Every page of a query, following next_cursor; fails on a page that repeats.
std::vector<Ids> all_pages(Models& m, ReadModels::Query q) {
  std::vector<Ids> pages;
  for (int guard = 0; guard < 100; ++guard) {
    auto page = m.read().search(q);
    REQUIRE(page);
    Ids ids;
    for (auto& doc : page->movies) ids.push_back(doc.at("movie_id").get<std::string>());
    CHECK(ids.size() <= q.limit);
    pages.push_back(ids);
    if (page->next_cursor.empty()) return pages;
    CHECK(page->next_cursor != q.cursor);
    q.cursor = page->next_cursor;
  }
  FAIL("paging did not end");
  return pages;
}

Ids flatten(const std::vector<Ids>& pages) {
  Ids out;
  for (auto& p : pages) out.insert(out.end(), p.begin(), p.end());
  return out;
}
}  // namespace

TEST_CASE("paging with a cursor returns each movie exactly once", "[store][search]") {
  Models m;
  Ids expected;
  for (int i = 0; i < 40; ++i) {
    char id[8];
    std::snprintf(id, sizeof id, "m%02d", i);
    bool matches = i % 3 != 1;  // interleave movies the query does not match
    m.put(id, {{"title", matches ? "Night Movie" : "Day Film"}, {"year", 2000 + i % 2}});
    if (matches) expected.push_back(id);
  }
  m.project();
  REQUIRE(expected.size() == 27);

  SECTION("by title word") {
    ReadModels::Query q;
    q.q = "movie";
    q.limit = 7;
    auto pages = all_pages(m, q);
    CHECK(pages.size() == 4);
    CHECK(pages.front().size() == 7);
    CHECK(flatten(pages) == expected);
  }
  SECTION("over every movie") {
    ReadModels::Query q;
    q.limit = 6;
    auto ids = flatten(all_pages(m, q));
    CHECK(ids.size() == 40);
    CHECK(std::set<std::string>(ids.begin(), ids.end()).size() == 40);
    CHECK(std::is_sorted(ids.begin(), ids.end()));
  }
  SECTION("by year, with filters the index does not drive") {
    ReadModels::Query q;
    q.year = 2000;
    q.genre = "";
    q.q = "night";
    q.limit = 5;
    Ids want;
    for (auto& id : expected)
      if (std::stoi(id.substr(1)) % 2 == 0) want.push_back(id);
    CHECK(flatten(all_pages(m, q)) == want);
  }
  SECTION("a page size equal to the result count needs one page") {
    ReadModels::Query q;
    q.q = "film";
    q.limit = 13;
    auto pages = all_pages(m, q);
    REQUIRE(pages.size() == 1);
    CHECK(pages[0].size() == 13);
  }
}

// --- compare_read_models ---------------------------------------------------------------

/// The catalog, then a changed title and a removed record, projected.
void add_catalog_and_changes(Models& a) {
  add_catalog(a);
  a.put("tt03", {{"title", "Toy Tale"}});
  a.remove("tt05", "imdb", "tt05");
  a.project();
}

TEST_CASE("compare_read_models finds two projections of one log equal", "[store][compare]") {
  Models a;
  add_catalog_and_changes(a);
  test::TempDir other;
  auto b = Db::open(other.str());
  REQUIRE(b);
  Projector replay(**b);
  REQUIRE(replay.catch_up(*a.log, 1));  // one event per batch: same result
  CHECK(compare_read_models(*a.db, **b) == std::nullopt);
  CHECK(compare_read_models(**b, *a.db) == std::nullopt);
}

TEST_CASE("a rebuild, and a rebuild cut short after dropping its checkpoint, fold exactly what a fresh fold does",
          "[store][compare]") {
  Models a;
  add_catalog_and_changes(a);
  test::TempDir other;
  auto fresh = Db::open(other.str());
  REQUIRE(fresh);
  Projector fold(**fresh);
  REQUIRE(fold.catch_up(*a.log));

  // Some of the read models in table files (dropped whole by the clear), the rest
  // in the memtable (deleted key by key).
  rocksdb::FlushOptions flush;
  REQUIRE(a.db->raw()->Flush(flush, a.db->cf(ColumnFamily::movies)).ok());
  REQUIRE(a.db->raw()->Flush(flush, a.db->cf(ColumnFamily::matching)).ok());
  REQUIRE(rebuild_read_models(*a.db, *a.log));
  CHECK(compare_read_models(*a.db, **fresh) == std::nullopt);

  // Cut short: the checkpoint is gone, the old read models are still there. A
  // catch-up from 0 over them would count every movie twice; it clears them first.
  rocksdb::WriteBatch drop;
  drop.Delete(a.db->cf(ColumnFamily::checkpoints), keys::checkpoint_key(Projector::kName));
  REQUIRE(a.db->write(drop, true));
  Projector restarted(*a.db);
  REQUIRE(restarted.checkpoint() == 0);
  REQUIRE(restarted.catch_up(*a.log));
  CHECK(compare_read_models(*a.db, **fresh) == std::nullopt);
}

TEST_CASE("compare_read_models reports a differing value and a missing key", "[store][compare]") {
  Models a;
  add_catalog(a);
  test::TempDir other;
  auto b = Db::open(other.str());
  REQUIRE(b);
  Projector replay(**b);
  REQUIRE(replay.catch_up(*a.log));
  REQUIRE_FALSE(compare_read_models(*a.db, **b));

  a.put("tt06", {{"title", "Schindler's List (Remastered)"}});
  a.project();
  auto diff = compare_read_models(*a.db, **b);
  REQUIRE(diff);
  CHECK_THAT(*diff, Catch::StartsWith("movies: value of"));

  REQUIRE(replay.catch_up(*a.log));
  CHECK_FALSE(compare_read_models(*a.db, **b));

  a.put("tt07", {{"title", "Heat"}});
  a.project();
  diff = compare_read_models(*a.db, **b);
  REQUIRE(diff);
  CHECK_THAT(*diff, Catch::StartsWith("movies: extra key") && Catch::EndsWith("in the first"));

  Models empty;
  diff = compare_read_models(*empty.db, **b);
  REQUIRE(diff);
  CHECK_THAT(*diff, Catch::Contains("extra key") && Catch::Contains("second"));
}

TEST_CASE("read models do not depend on how the log was split into batches", "[store][compare]") {
  // Live projections apply whatever batch sizes arrive; verify compares them with a
  // replay. Counters that return to zero inside or across batches must agree.
  Models a;
  a.put("tt1", {{"title", "A"}});
  a.put("tt1", {{"year", 2000}}, "movielens", "1");
  a.remove("tt1", "movielens", "1");
  a.put("tt2", {{"title", "B"}}, "rt", "b");
  a.remove("tt2", "rt", "b");
  a.put("tt2", {{"genres", {"Drama"}}}, "rt", "b");
  a.put("tt1", {{"title", "A2"}});
  a.project();  // one batch

  for (std::size_t chunk : {1, 2, 3, 5}) {
    INFO("chunk " << chunk);
    test::TempDir other;
    auto b = Db::open(other.str());
    REQUIRE(b);
    Projector replay(**b);
    REQUIRE(replay.catch_up(*a.log, chunk));
    auto diff = compare_read_models(*a.db, **b);
    CHECK(diff.value_or("equal") == "equal");
  }
  auto s = a.read().stats();
  REQUIRE(s);
  CHECK((*s)["sources"]["imdb"]["records"] == 1);
  CHECK((*s)["sources"]["rt"]["records"] == 1);
  CHECK((*s)["sources"].value("movielens", json::object()).value("records", 0) == 0);
}

// --- match blocking in movie_index -------------------------------------------------------

TEST_CASE("a store folded from the first event keeps no match blocking keys in movie_index",
          "[store][projector]") {
  Models m;
  add_catalog(m);
  CHECK(blocking_index_keys(*m.db).empty());
  CHECK(m.search_q("toy story") == Ids{"tt03", "tt04"});  // the other index keys are there
}

TEST_CASE("match blocking keys an earlier build left beside the facts blocking are dropped at open, "
          "and the store verifies",
          "[store][projector]") {
  Models m;
  add_catalog(m);
  put_blocking_index_keys(*m.db);
  REQUIRE(blocking_index_keys(*m.db).size() >= 6);
  auto report = verify(*m.db, *m.log, (m.dir.path() / "verify-before").string());
  CHECK(report.ok());  // verify drops them itself
  CHECK(blocking_index_keys(*m.db).empty());

  put_blocking_index_keys(*m.db);
  Projector reopened(*m.db);
  CHECK(blocking_index_keys(*m.db).empty());
  m.put("tt07", {{"title", "Heat"}, {"year", 1995}});
  REQUIRE(reopened.catch_up(*m.log));
  CHECK(blocking_index_keys(*m.db).empty());
}

TEST_CASE("a store folded before the facts blocking keeps its match blocking keys up to date",
          "[store][projector]") {
  Models m;
  add_catalog(m);
  // As an earlier build left it: no facts blocking marker, the 'm' keys of every movie.
  rocksdb::WriteBatch drop;
  drop.Delete(m.db->cf(ColumnFamily::matching), keys::matching_key(keys::kMatchLayout, "blocking", ""));
  REQUIRE(m.db->write(drop, false));
  put_blocking_index_keys(*m.db);
  const auto before = blocking_index_keys(*m.db);

  Projector legacy(*m.db);
  CHECK(blocking_index_keys(*m.db) == before);
  m.put("tt03", {{"title", "Buzz Lightyear"}});
  m.put("tt07", {{"title", "Heat"}, {"year", 1995}});
  REQUIRE(legacy.catch_up(*m.log));
  // Exactly the keys of the movies as they are now.
  Ids expected;
  auto it = m.db->iterator(ColumnFamily::movies);
  for (it->SeekToFirst(); it->Valid(); it->Next())
    for (auto& k : legacy_blocking_keys(json::parse(it->value().ToStringView()))) expected.push_back(k);
  std::sort(expected.begin(), expected.end());
  auto after = blocking_index_keys(*m.db);
  CHECK(after == expected);
  auto has = [&](const std::string& title, int year, const std::string& id) {
    return std::count(after.begin(), after.end(),
                      keys::match_block_prefix(events::title_key(title), year) + id) == 1;
  };
  CHECK(has("Heat", 1995, "tt07"));
  CHECK(has("Buzz Lightyear", 1995, "tt03"));
  CHECK_FALSE(has("Toy Story", 1995, "tt03"));  // the old title's key went with it
  CHECK(has("Toy Story 2", 1999, "tt04"));
}
