#include "store/read_models.hpp"

#include <algorithm>
#include <array>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <set>
#include <thread>

#include "events/matching.hpp"
#include "events/text.hpp"
#include "events/title_key.hpp"
#include "store/keys.hpp"
#include "store/match_models.hpp"
#include "store/match_projection.hpp"
#include "store/movie_doc.hpp"

namespace moviec::store {

using events::Event;
using events::EventType;
using nlohmann::json;

namespace {

std::string lower_ascii(std::string s) {
  for (auto& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

/// The movie_index keys a golden record should have; with the match blocking 'm'
/// keys only where the matcher reads them (`legacy_blocking`).
std::set<std::string> index_keys(const MovieDoc& doc, bool legacy_blocking) {
  std::set<std::string> out;
  const std::string& id = doc.movie_id;
  const json title = doc.value("title"), year = doc.value("year"), genres = doc.value("genres");
  if (title.is_string())
    for (auto& w : events::words(title.get<std::string>())) out.insert(keys::title_token_prefix(w) + id);
  if (year.is_number_integer()) out.insert(keys::year_prefix(year.get<int>()) + id);
  if (genres.is_array())
    for (auto& genre : genres)
      if (genre.is_string()) out.insert(keys::genre_prefix(lower_ascii(genre.get<std::string>())) + id);
  if (legacy_blocking)
    for (auto& k : legacy_blocking_keys(json{{"movie_id", id}, {"title", title}, {"year", year},
                                             {"names", doc.value("names")}}))
      out.insert(std::move(k));
  return out;
}

/// The fields index_keys reads: a document whose fields these are unchanged keeps
/// its index keys, and a batch works them out only for the others.
constexpr std::array<const char*, 4> kIndexedFields{"title", "year", "genres", "names"};

/// The document with only the fields index_keys reads.
MovieDoc indexed_part(const MovieDoc& doc) {
  MovieDoc out;
  out.movie_id = doc.movie_id;
  for (const char* name : kIndexedFields)
    if (auto f = doc.fields.find(name); f != doc.fields.end()) out.fields.emplace(name, f->second);
  return out;
}

bool same_indexed_fields(const MovieDoc& a, const MovieDoc& b) {
  for (const char* name : kIndexedFields) {
    auto x = a.fields.find(name), y = b.fields.find(name);
    bool in_a = x != a.fields.end(), in_b = y != b.fields.end();
    if (in_a != in_b || (in_a && x->second.json != y->second.json)) return false;
  }
  return true;
}

std::int64_t read_counter(Db& db, const std::string& key) {
  auto v = db.get(ColumnFamily::stats, key);
  if (!v) return 0;
  try {
    return std::stoll(*v);
  } catch (...) {
    return 0;
  }
}

}  // namespace

std::vector<std::string> legacy_blocking_keys(const json& doc) {
  // Every title key of the title and its names, under the year. A movie without a
  // year is never blocked.
  std::vector<std::string> out;
  auto y = doc.find("year");
  auto t = doc.find("title");
  if (y == doc.end() || !y->is_number_integer() || t == doc.end() || !t->is_string()) return out;
  std::vector<std::string> names;
  if (auto n = doc.find("names"); n != doc.end() && n->is_array())
    for (auto& name : *n)
      if (name.is_object() && name.contains("title") && name["title"].is_string())
        names.push_back(name["title"].get<std::string>());
  const std::string id = doc.value("movie_id", "");
  for (auto& k : events::title_keys(t->get<std::string>(), names, /*repair_mojibake=*/false))
    out.push_back(keys::match_block_prefix(k.key, y->get<int>()) + id);
  return out;
}

Status drop_unread_blocking_keys(Db& db) {
  auto facts_blocking = MatchModels(db).has_facts_blocking();
  if (!facts_blocking) return facts_blocking.status();
  if (!*facts_blocking) return Status::ok();  // the matcher still reads them
  const std::string first = keys::match_block_first(), end = keys::match_block_end();
  // Key by key, not by a range deletion: movie_index takes memtable insert hints,
  // and a range deletion there must start at the empty key (store/db.cpp).
  auto it = db.iterator(ColumnFamily::movie_index);
  rocksdb::WriteBatch batch;
  for (it->Seek(first); it->Valid() && it->key().compare(end) < 0; it->Next()) {
    batch.Delete(db.cf(ColumnFamily::movie_index), it->key());
    if (batch.Count() >= 10000) {
      if (auto st = db.write(batch, false); !st) return st;
      batch.Clear();
    }
  }
  if (auto st = from_rocksdb(it->status(), "movie_index"); !st) return st;
  return batch.Count() ? db.write(batch, false) : Status::ok();
}

// --- Projector ------------------------------------------------------------------

struct Projector::Pending {
  std::map<std::string, MovieDoc> docs;                   // touched docs, current state
  std::map<std::string, MovieDoc> indexed_before;        // their indexed fields before the batch
  std::set<std::string> created;                          // docs that did not exist
  std::map<std::string, std::int64_t> counters;           // stats key -> delta
};

Projector::Projector(Db& target) : db_(target) {
  auto cp = db_.get(ColumnFamily::checkpoints, keys::checkpoint_key(kName));
  if (cp) checkpoint_ = keys::get_be64(*cp);
  auto facts_blocking = MatchModels(db_).has_facts_blocking();
  legacy_blocking_ = facts_blocking && !*facts_blocking;
  // Builds before this one wrote the 'm' keys beside the facts blocking too. On a
  // store opened read-only (a full disk) they stay until a later open: nothing
  // reads them meanwhile.
  (void)drop_unread_blocking_keys(db_);
}

MovieDoc& Projector::doc_for(const std::string& movie_id, bool first_event, Pending& p) {
  auto it = p.docs.find(movie_id);
  if (it != p.docs.end()) return it->second;
  StatusOr<std::string> stored = Status::not_found("");
  if (!first_event) stored = db_.get(ColumnFamily::movies, keys::movie_key(movie_id));
  std::optional<MovieDoc> doc;
  if (stored) doc = MovieDoc::parse(*stored);
  if (doc) {
    p.indexed_before[movie_id] = indexed_part(*doc);
  } else {
    if (!stored) p.created.insert(movie_id);
    doc.emplace();
    doc->movie_id = movie_id;
    p.indexed_before[movie_id].movie_id = movie_id;
  }
  return p.docs.emplace(movie_id, std::move(*doc)).first->second;
}

void Projector::apply_one(const Event& e, const events::MovieChanged* change, Pending& p) {
  MovieDoc& doc = doc_for(e.stream, e.version == 1, p);
  doc.version = e.version;
  doc.last_sequence = e.sequence;
  switch (e.type) {
    case EventType::source_record_changed: {
      auto& r = events::source_record_changed(e).record;
      if (doc.attach_source(r.source, r.source_id))
        p.counters[keys::source_records_key(r.source)] += 1;
      break;
    }
    case EventType::source_record_removed: {
      auto& removed = events::source_record_removed(e);
      if (doc.detach_source(removed.source, removed.source_id))
        p.counters[keys::source_records_key(removed.source)] -= 1;
      break;
    }
    case EventType::movie_changed: {
      doc.rules_version = change->rules_version;
      for (auto& f : change->fields) doc.set_field(f.field, f.new_value, f.source, f.rule, f.caused_by);
      break;
    }
    case EventType::source_record_unmatched:
    case EventType::source_record_linked:
      break;  // source streams only; MatchProjection folds them
  }
}

Status Projector::apply(const std::vector<Event>& batch) { return apply_batches({&batch}); }

Status Projector::apply_batches(const std::vector<const std::vector<Event>*>& batches) {
  Pending p;
  MatchProjection matching(db_);  // the matching read model, committed in the same batch
  std::uint64_t next = checkpoint_;
  for (const auto* batch : batches)
    for (auto& e : *batch) {
      if (e.sequence <= next) continue;  // already applied
      if (e.sequence != next + 1)
        return Status::corruption("projection gap: expected event " + std::to_string(next + 1) +
                                  ", got " + std::to_string(e.sequence));
      // Folding from the first event writes the facts blocking (MatchProjection), and
      // the matcher then blocks on it alone.
      if (e.sequence == 1) legacy_blocking_ = false;
      const auto* decoded = std::get_if<events::MovieChanged>(&e.data);
      // A source stream holds match decisions, not a movie (events/matching.hpp).
      if (!events::matching::is_source_stream(e.stream)) apply_one(e, decoded, p);
      matching.apply(e, decoded);
      next = e.sequence;
    }
  if (next == checkpoint_) return Status::ok();

  rocksdb::WriteBatch& wb = batch_.fresh();
  matching.write(wb);
  // The index changes of the whole batch go in key order: each lands near the one
  // before in the memtable, which its insert hint (store/db.cpp) starts from.
  std::vector<std::pair<std::string, bool>> index_changes;  // key, put (else delete)
  for (auto& [id, doc] : p.docs) {
    wb.Put(db_.cf(ColumnFamily::movies), keys::movie_key(id), doc.render());
    const MovieDoc& before = p.indexed_before[id];
    if (same_indexed_fields(before, doc)) continue;
    auto old_keys = index_keys(before, legacy_blocking_);
    auto new_keys = index_keys(doc, legacy_blocking_);
    for (auto& k : old_keys)
      if (!new_keys.count(k)) index_changes.emplace_back(k, false);
    for (auto& k : new_keys)
      if (!old_keys.count(k)) index_changes.emplace_back(k, true);
  }
  std::sort(index_changes.begin(), index_changes.end());
  for (auto& [key, put] : index_changes) {
    if (put) wb.Put(db_.cf(ColumnFamily::movie_index), key, "");
    else wb.Delete(db_.cf(ColumnFamily::movie_index), key);
  }
  if (!p.created.empty())
    p.counters[std::string(keys::kMoviesCount)] += static_cast<std::int64_t>(p.created.size());
  // A counter at zero is stored as no key, so the bytes do not depend on where the
  // batches were cut (a batch whose changes cancel out writes nothing at all).
  for (auto& [key, delta] : p.counters) {
    if (delta == 0) continue;
    auto value = read_counter(db_, key) + delta;
    if (value == 0) wb.Delete(db_.cf(ColumnFamily::stats), key);
    else wb.Put(db_.cf(ColumnFamily::stats), key, std::to_string(value));
  }
  wb.Put(db_.cf(ColumnFamily::checkpoints), keys::checkpoint_key(kName), keys::be64(next));
  if (auto st = db_.write(wb, false); !st) return st;
  checkpoint_ = next;
  return Status::ok();
}

namespace {

/// Chunks of decoded events between the thread that reads the log and the one that
/// applies them; applied chunks go back to the reader to be destroyed there.
struct ChunkHandoff {
  static constexpr std::size_t kAhead = 2;  // chunks read ahead of the apply, at most

  std::mutex mu;
  std::condition_variable changed;
  std::deque<std::vector<Event>> read;     // in log order, to apply
  std::vector<std::vector<Event>> spent;   // applied
  bool reading_done = false;
  bool stop_reading = false;  // the apply failed: nothing more is wanted
  Status read_status = Status::ok();

  /// Reader: queues a chunk, waiting while kAhead are queued; false when the applier
  /// wants no more. Destroys the chunks the applier gave back, outside the lock.
  bool put(std::vector<Event> chunk) {
    std::vector<std::vector<Event>> garbage;
    {
      std::unique_lock<std::mutex> lock(mu);
      changed.wait(lock, [&] { return read.size() < kAhead || stop_reading; });
      if (stop_reading) return false;
      read.push_back(std::move(chunk));
      garbage.swap(spent);
    }
    changed.notify_all();
    return true;
  }

  void finish(Status status) {
    {
      std::lock_guard<std::mutex> lock(mu);
      reading_done = true;
      read_status = std::move(status);
    }
    changed.notify_all();
  }

  /// Applier: the next chunk, or nullopt once the reader is done and all were taken.
  std::optional<std::vector<Event>> take() {
    std::unique_lock<std::mutex> lock(mu);
    changed.wait(lock, [&] { return !read.empty() || reading_done; });
    if (read.empty()) return std::nullopt;
    auto chunk = std::move(read.front());
    read.pop_front();
    lock.unlock();
    changed.notify_all();
    return chunk;
  }

  void give_back(std::vector<Event> chunk) {
    std::lock_guard<std::mutex> lock(mu);
    spent.push_back(std::move(chunk));
  }

  void stop() {
    {
      std::lock_guard<std::mutex> lock(mu);
      stop_reading = true;
    }
    changed.notify_all();
  }
};

}  // namespace

Status Projector::catch_up(EventLog& log, std::size_t chunk,
                           const std::function<void(std::uint64_t)>& progress) {
  // From sequence 0 the read models must be empty: anything there is left by a
  // rebuild that was cut short (rebuild_read_models drops the checkpoint first).
  if (checkpoint_ == 0)
    for (auto family : kReadModelFamilies)
      if (auto st = db_.clear(family); !st) return st;
  chunk = std::max<std::size_t>(chunk, 1);

  // A few chunks behind (the projection after a commit it missed): read and apply
  // them here.
  if (log.last_sequence() - std::min(log.last_sequence(), checkpoint_) <= 2 * chunk) {
    std::vector<Event> batch;
    batch.reserve(chunk);
    Status status = Status::ok();
    auto flush = [&] {
      if (batch.empty()) return true;
      status = apply(batch);
      batch.clear();
      if (status && progress) progress(checkpoint_);
      return status.is_ok();
    };
    auto st = log.read_from(checkpoint_, [&](Event& e) {
      batch.push_back(std::move(e));
      return batch.size() < chunk || flush();
    });
    if (!st) return st;
    flush();
    return status;
  }

  // Further behind (a replay, a restart after a long ingest): reading and decoding
  // the log, and destroying what was applied, are about a third of the work (perf,
  // 2026-11-27); a second thread does them, a chunk or two ahead. The chunks and
  // their order are the same as above, so the read models are the same bytes.
  ChunkHandoff handoff;
  const std::uint64_t from = checkpoint_;
  std::thread reader([&] {
    std::vector<Event> batch;
    batch.reserve(chunk);
    bool wanted = true;
    auto st = log.read_from(from, [&](Event& e) {
      batch.push_back(std::move(e));
      if (batch.size() < chunk) return true;
      wanted = handoff.put(std::move(batch));
      batch = {};
      batch.reserve(chunk);
      return wanted;
    });
    if (st && wanted && !batch.empty()) handoff.put(std::move(batch));
    handoff.finish(std::move(st));
  });
  Status status = Status::ok();
  while (auto batch = handoff.take()) {
    status = apply(*batch);
    handoff.give_back(std::move(*batch));
    if (!status) {
      handoff.stop();
      break;
    }
    if (progress) progress(checkpoint_);
  }
  reader.join();
  if (!status) return status;
  return handoff.read_status;
}

// --- ReadModels -------------------------------------------------------------------

StatusOr<json> ReadModels::movie(const std::string& movie_id) {
  auto stored = db_.get(ColumnFamily::movies, keys::movie_key(movie_id));
  if (!stored) {
    if (stored.status().code() == Status::Code::not_found)
      return Status::not_found("no movie with id " + movie_id);
    return stored.status();
  }
  json doc = json::parse(*stored, nullptr, false);
  if (doc.is_discarded()) return Status::corruption("stored movie " + movie_id + " is not JSON");
  return doc;
}

StatusOr<ReadModels::Page> ReadModels::search(const Query& query) {
  constexpr std::size_t kMaxScanned = 50000;  // bounds one request; the cursor continues
  auto q_words = events::words(query.q);
  std::string genre = lower_ascii(query.genre);

  // Drive the scan by the most selective index we have: a title word (the longest,
  // as a guess at the rarest), else the year, else the genre, else every movie.
  std::string prefix;
  ColumnFamily family = ColumnFamily::movie_index;
  if (!q_words.empty()) {
    auto longest = *std::max_element(q_words.begin(), q_words.end(),
                                      [](auto& a, auto& b) { return a.size() < b.size(); });
    prefix = keys::title_token_prefix(longest);
  } else if (query.year) {
    prefix = keys::year_prefix(*query.year);
  } else if (!genre.empty()) {
    prefix = keys::genre_prefix(genre);
  } else {
    family = ColumnFamily::movies;
  }

  auto matches = [&](const json& doc) {
    if (query.year && doc.value("year", -1) != *query.year) return false;
    if (!genre.empty()) {
      bool found = false;
      for (auto& g : doc.value("genres", json::array()))
        if (g.is_string() && lower_ascii(g.get<std::string>()) == genre) found = true;
      if (!found) return false;
    }
    if (!q_words.empty()) {
      auto title_words = events::words(doc.value("title", ""));
      for (auto& w : q_words)
        if (std::find(title_words.begin(), title_words.end(), w) == title_words.end()) return false;
    }
    return true;
  };

  Page page;
  auto it = db_.iterator(family);
  it->Seek(prefix + query.cursor);
  std::size_t scanned = 0;
  std::string last_id;  // the last id looked at: the next page starts after it
  for (; it->Valid(); it->Next()) {
    auto key = it->key().ToStringView();
    if (key.substr(0, prefix.size()) != prefix) break;
    std::string id(keys::index_movie_id(key, prefix.size()));
    if (!query.cursor.empty() && id <= query.cursor) continue;
    if (scanned >= kMaxScanned) {
      page.next_cursor = last_id;
      break;
    }
    ++scanned;
    json doc;
    if (family == ColumnFamily::movies) {
      doc = json::parse(it->value().ToStringView(), nullptr, false);
    } else {
      auto m = movie(id);
      if (m) doc = m.take();
      else doc = json(json::value_t::discarded);  // index ahead of a concurrent doc write: skip
    }
    if (doc.is_discarded() || !matches(doc)) {
      last_id = id;
      continue;
    }
    // A full page gets a cursor only once a further match exists, so that a
    // cursor never leads to an empty page.
    if (page.movies.size() >= query.limit) {
      page.next_cursor = last_id;
      break;
    }
    last_id = id;
    page.movies.push_back(std::move(doc));
  }
  if (auto st = from_rocksdb(it->status(), "search"); !st) return st;
  return page;
}

StatusOr<json> ReadModels::stats() {
  json sources = json::object();
  auto it = db_.iterator(ColumnFamily::stats);
  const std::string prefix(keys::kSourceRecordsPrefix);
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    std::string source(it->key().ToStringView().substr(prefix.size()));
    sources[source] = json{{"records", std::stoll(it->value().ToString())}};
  }
  return json{{"movies", read_counter(db_, std::string(keys::kMoviesCount))}, {"sources", sources}};
}

std::uint64_t ReadModels::checkpoint() {
  auto cp = db_.get(ColumnFamily::checkpoints, keys::checkpoint_key(Projector::kName));
  return cp ? keys::get_be64(*cp) : 0;
}

json movie_document(const events::MovieState& state) {
  MovieDoc doc;
  doc.movie_id = state.movie_id;
  doc.version = state.version;
  doc.last_sequence = state.last_sequence;
  doc.rules_version = state.rules_version;
  for (auto& [key, entry] : state.sources) doc.attach_source(key.first, key.second);
  for (auto& [field, g] : state.golden) doc.set_field(field, g.value, g.source, g.rule, g.sequence);
  return json::parse(doc.render());
}

std::optional<std::string> compare_read_models(Db& a, Db& b) {
  for (auto family : kReadModelFamilies) {
    auto ia = a.iterator(family);
    auto ib = b.iterator(family);
    ia->SeekToFirst();
    ib->SeekToFirst();
    for (; ia->Valid() && ib->Valid(); ia->Next(), ib->Next()) {
      if (ia->key() != ib->key())
        return std::string(name_of(family)) + ": key " + ia->key().ToString(true) + " vs " +
               ib->key().ToString(true);
      if (ia->value() != ib->value())
        return std::string(name_of(family)) + ": value of " + ia->key().ToString(true) +
               " differs:\n  " + ia->value().ToString() + "\n  " + ib->value().ToString();
    }
    if (ia->Valid() || ib->Valid())
      return std::string(name_of(family)) + ": " +
             (ia->Valid() ? "extra key " + ia->key().ToString(true) + " in the first"
                          : "extra key " + ib->key().ToString(true) + " in the second");
  }
  return std::nullopt;
}

}  // namespace moviec::store
