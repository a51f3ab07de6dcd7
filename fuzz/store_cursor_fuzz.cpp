// libFuzzer target: the paging cursors of GET /movies (ReadModels::search) and GET
// /sources/{name}/unmatched (MatchModels::unmatched_page), which seek the store at
// whatever bytes a client sends. One small store is built once (40 movies through
// the real EventLog and Projector, 30 unmatched records of one source); each input is
// a query: lines cursor, q, genre, year, reason, limit.
//
// Checked: the answer is ok; a page holds at most `limit` entries, every one after
// the cursor, in increasing id order, each matching the filters; and walking the
// pages from the input's cursor gives exactly the entries a scan of everything
// gives, each once.

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "events/event.hpp"
#include "events/matching.hpp"
#include "events/text.hpp"
#include "fuzz/fuzz_input.hpp"
#include "store/db.hpp"
#include "store/event_log.hpp"
#include "store/match_models.hpp"
#include "store/read_models.hpp"

using namespace moviec;
using nlohmann::json;

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

const char* const kWords[] = {"Heat", "Alien", "Amélie", "The", "Night", "Ça", "Z", "ß", "Toy", "Tale"};
const char* const kGenres[] = {"Drama", "Comedy", "Sci-Fi", "Film-Noir"};
const std::string kSource = "rt";

struct Store {
  std::unique_ptr<store::Db> db;
  std::unique_ptr<store::EventLog> log;
  std::vector<json> movies;  // every golden record, as stored

  Store() {
    auto dir = (fuzz::scratch() / "store").string();
    std::filesystem::remove_all(dir);
    auto opened = store::Db::open(dir);
    check(opened.is_ok());
    db = opened.take();
    log = std::make_unique<store::EventLog>(*db);
    int n = 0;
    auto append = [&](const std::string& stream, std::vector<events::Event> es) {
      store::AppendRequest req;
      req.stream = stream;
      auto head = log->stream_version(stream);
      check(head.is_ok());
      req.expected_version = *head;
      for (auto& e : es) e.id = "e" + std::to_string(++n);
      req.events = std::move(es);
      check(log->append(std::move(req), false).is_ok());
    };
    for (int i = 0; i < 40; ++i) {
      char id[16];
      std::snprintf(id, sizeof id, "tt%07d", i * 7 + 1);
      std::string title = std::string(kWords[i % 10]) + " " + kWords[(i * 3 + 1) % 10];
      events::SourceRecord r;
      r.source = "imdb";
      r.source_id = id;
      r.title = title;
      events::Event changed;
      changed.type = events::EventType::source_record_changed;
      changed.source = "imdb";
      events::SourceRecordChanged payload;
      payload.record = r;
      payload.fingerprint = r.fingerprint();
      payload.match_method = "source_movie_id";
      changed.data = events::to_data(payload);
      events::MovieChanged mc;
      mc.rules_version = 1;
      mc.fields.push_back({"title", json(), title, "imdb", "source_priority", 0});
      mc.fields.push_back({"year", json(), 1990 + i % 7, "imdb", "source_priority", 0});
      mc.fields.push_back({"genres", json(), json::array({kGenres[i % 4], kGenres[(i + 1) % 4]}), "imdb", "union", 0});
      events::Event golden;
      golden.type = events::EventType::movie_changed;
      golden.source = "imdb";
      golden.data = events::to_data(mc);
      append(id, {changed, golden});
    }
    for (int i = 0; i < 30; ++i) {
      events::SourceRecordUnmatched u;
      u.record.source = kSource;
      u.record.source_id = "m/" + std::string(kWords[i % 10]) + std::to_string(i);
      u.record.title = kWords[i % 10];
      u.fingerprint = u.record.fingerprint();
      u.reason = i % 3 == 0 ? "no_year" : "no_candidates";
      u.message = "test";
      u.candidates = json::array();
      events::Event e;
      e.type = events::EventType::source_record_unmatched;
      e.source = kSource;
      e.data = events::to_data(u);
      append(events::matching::source_stream(kSource), {e});
    }
    store::Projector projector(*db);
    check(projector.catch_up(*log).is_ok());
    auto it = db->iterator(store::ColumnFamily::movies);
    for (it->SeekToFirst(); it->Valid(); it->Next())
      movies.push_back(json::parse(it->value().ToStringView()));
  }
};

Store& the_store() {
  static Store s;
  return s;
}

bool matches(const json& doc, const std::vector<std::string>& q_words, const std::string& genre,
             const std::optional<int>& year) {
  if (year && doc.value("year", -1) != *year) return false;
  if (!genre.empty()) {
    bool found = false;
    for (auto& g : doc["genres"]) {
      auto s = g.get<std::string>();
      for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (s == genre) found = true;
    }
    if (!found) return false;
  }
  auto words = events::words(doc.value("title", ""));
  for (auto& w : q_words)
    if (std::find(words.begin(), words.end(), w) == words.end()) return false;
  return true;
}

void check_search(Store& s, const std::string& cursor, const std::string& q, std::string genre,
                  std::optional<int> year, std::size_t limit) {
  store::ReadModels models(*s.db);
  for (auto& c : genre) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto q_words = events::words(q);
  std::vector<std::string> expected;  // every match after the cursor, by id
  for (auto& doc : s.movies) {
    auto id = doc["movie_id"].get<std::string>();
    if ((cursor.empty() || id > cursor) && matches(doc, q_words, genre, year)) expected.push_back(id);
  }
  std::vector<std::string> walked;
  store::ReadModels::Query query{q, year, genre, limit, cursor};
  for (int pages = 0; pages < 100; ++pages) {
    auto page = models.search(query);
    check(page.is_ok());
    check(page->movies.size() <= limit);
    std::string last = query.cursor;
    for (auto& doc : page->movies) {
      auto id = doc["movie_id"].get<std::string>();
      check(last.empty() || id > last);
      check(matches(doc, q_words, genre, year));
      walked.push_back(id);
      last = id;
    }
    if (page->next_cursor.empty()) break;
    check(page->next_cursor > query.cursor);  // the walk moves on
    query.cursor = page->next_cursor;
  }
  check(walked == expected);
}

void check_unmatched(Store& s, const std::string& cursor, const std::string& reason, std::size_t limit) {
  store::MatchModels models(*s.db);
  std::vector<std::string> expected;
  {
    auto all = models.unmatched_page(kSource, 1000, "", "");
    check(all.is_ok());
    for (auto& r : all->records) {
      auto id = r["source_id"].get<std::string>();
      if ((cursor.empty() || id > cursor) && (reason.empty() || r.value("reason", "") == reason))
        expected.push_back(id);
    }
  }
  std::vector<std::string> walked;
  std::string at = cursor;
  for (int pages = 0; pages < 100; ++pages) {
    auto page = models.unmatched_page(kSource, limit, at, reason);
    check(page.is_ok());
    check(page->records.size() <= limit);
    std::string last = at;
    for (auto& r : page->records) {
      auto id = r["source_id"].get<std::string>();
      check(last.empty() || id > last);
      check(reason.empty() || r.value("reason", "") == reason);
      walked.push_back(id);
      last = id;
    }
    if (page->next_cursor.empty()) break;
    check(page->next_cursor > at);
    at = page->next_cursor;
  }
  check(walked == expected);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto& s = the_store();
  std::vector<std::string> lines;
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  for (std::string line; lines.size() < 6 && std::getline(in, line);) lines.push_back(line);
  lines.resize(6);
  const auto& cursor = lines[0];
  std::optional<int> year;
  if (!lines[3].empty()) year = 1985 + static_cast<unsigned char>(lines[3][0]) % 16;
  std::size_t limit = lines[5].empty() ? 20 : 1 + static_cast<unsigned char>(lines[5][0]) % 25;
  check_search(s, cursor, lines[1], lines[2], year, limit);
  check_unmatched(s, cursor, lines[4], limit);
  return 0;
}
