#pragma once
// The read side of matching: what the matcher consults before it decides, and
// what GET /sources/{name}/match-report and /unmatched serve. Thread-safe (plain
// RocksDB reads). MatchProjection (store/match_projection.hpp) is the writer.
//
// Shapes (JSON values in the `matching` family):
//   state      {"state": "matched", "movie_id", "method", "confidence"?, "sequence",
//               "decided", "crosswalks": [[kind, value], ...]}
//            | {"state": "unmatched" | "ambiguous" | "no_match", "reason", "sequence"}
//   unmatched  {"source_id", "reason", "message", "candidates": [...], "record",
//               "fingerprint", "sequence", "time"}
//   decision   {"movie_id" ("" = no match), "by", "why", "sequence", "time"}
//   crosswalk  {"movie_id", "source", "source_id", "sequence"}
//   holder     {"source_id", "method", "weight"?, "sequence"}: the record of a source a
//              movie holds (assignment: one record of a source per movie)
//   facts      MovieMatchRecord, encoded compactly (no JSON): what scoring needs of a
//              movie, so that a candidate costs one point lookup
//   block      the facts again (encode_match_record facts_only) as the value of
//              each blocking key of the movie: blocking and scoring in one scan

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.hpp"
#include "events/match_score.hpp"
#include "store/db.hpp"

namespace moviec::store {

/// What matching knows of a movie: the golden fields it compares, as written.
struct MovieMatchRecord {
  std::string title;
  std::vector<std::string> names;  // the titles of the golden `names`
  std::optional<int> year;
  std::optional<int> runtime_minutes;
  std::vector<std::string> genres;
  std::vector<std::pair<std::string, std::string>> external_ids;
  std::string runtime_source;  // the source whose runtime won (FieldChange.source)
  std::string genres_source;   // the source whose genres won
};

/// The stored form: the record's fields and its facts precomputed (title forms,
/// genre words), joined with 0x1f / 0x1e separators; version byte first.
/// `facts_only`: the names and genres as written left out (the value of a
/// blocking key: what scoring reads, decode_match_record gives them empty).
std::string encode_match_record(const MovieMatchRecord& r, bool facts_only = false);
/// nullopt when `bytes` is not an encoded record.
std::optional<MovieMatchRecord> decode_match_record(std::string_view bytes);
/// The facts alone, without recomputing them; false when `bytes` is not a record.
bool decode_match_facts(std::string_view bytes, events::MatchFacts& facts, std::string& title);

/// The fields of an encoded record that scoring reads, as views into its bytes
/// (no copy, no allocation): the matcher's fast path scores a candidate from them.
struct MatchFactsView {
  std::string_view title, year, runtime, external_ids, forms, genre_words, runtime_source, genres_source;
};
/// False when `bytes` is not an encoded record.
bool view_match_facts(std::string_view bytes, MatchFactsView& out);
/// The title forms of a MatchFactsView::forms field; false when they do not decode.
bool decode_title_forms(std::string_view forms, std::vector<events::TitleForm>& out);
/// A decimal int of a view ("" or not a number: nullopt).
std::optional<int> view_int(std::string_view s);
/// Calls `f(kind, value)` for each external id of a MatchFactsView::external_ids field.
template <class F>
void for_each_external_id(std::string_view ids, F&& f) {
  while (!ids.empty()) {
    auto end = ids.find('\x1e');
    auto id = ids.substr(0, end);
    if (auto eq = id.find('='); eq != std::string_view::npos) f(id.substr(0, eq), id.substr(eq + 1));
    if (end == std::string_view::npos) break;
    ids.remove_prefix(end + 1);
  }
}

/// The writes that keep a movie's matching facts: its 'f' record and its blocking
/// keys 'b' (one per title key of its title and names, under its year; the value
/// the facts, except for a names key when they are large: "" there, the reader
/// looks 'f' up). `before`: the record stored so far (nullopt: none). Key ->
/// value, nullopt = delete.
void match_record_writes(const std::string& movie_id, const std::optional<MovieMatchRecord>& before,
                         const MovieMatchRecord& after, std::map<std::string, std::optional<std::string>>& out);

/// Blocking hits: movies and their encoded facts ("" when the caller must look
/// them up), their bytes in one buffer, so that a hit costs no allocation of its
/// own (a record of a common title has 50 of them). The views stay valid until the
/// next add or truncate.
class BlockHits {
 public:
  std::size_t size() const { return hits_.size(); }
  bool empty() const { return hits_.empty(); }
  std::string_view movie_id(std::size_t i) const { return view(hits_[i].id_at, hits_[i].id_size); }
  std::string_view facts(std::size_t i) const { return view(hits_[i].facts_at, hits_[i].facts_size); }
  void add(std::string_view movie_id, std::string_view facts);
  /// Keeps the first `n` hits.
  void truncate(std::size_t n);
  /// True when one of the first `n` hits is `movie_id`.
  bool contains(std::string_view movie_id, std::size_t n) const;

 private:
  struct Hit {
    std::size_t id_at, id_size, facts_at, facts_size;
  };
  std::string_view view(std::size_t at, std::size_t size) const { return std::string_view(bytes_).substr(at, size); }
  std::string bytes_;
  std::vector<Hit> hits_;
};

/// Blocking windows (a title key within the year window of a year) found to hold
/// more movies than there was room for. A common title has hundreds a year in
/// gen.py's data and in a full IMDb dump: block_facts then reads such a window year
/// by year, nearest first, without first reading as many entries as there is room
/// for to find out again (a quarter of gen.py's records; 51 steps and a seek each).
/// The hits are the same either way. At most kMax windows, then it starts afresh.
class BigWindows {
 public:
  static constexpr std::size_t kMax = 1 << 16;
  bool contains(std::string_view key, int year) const {
    // Most stores have none: no key built (1.7% of a decision at 1M movies).
    return !windows_.empty() && windows_.count(name(key, year)) > 0;
  }
  void add(std::string_view key, int year) {
    if (windows_.size() >= kMax) windows_.clear();
    windows_.insert(name(key, year));
  }

 private:
  static std::string name(std::string_view key, int year) {
    std::string out(key);
    out += '\0';
    out += std::to_string(year);
    return out;
  }
  std::unordered_set<std::string> windows_;
};

/// The holder of a movie for one source (see holder above).
struct MatchHolder {
  std::string source_id;
  std::string method;
  std::optional<double> weight;  // title_year: its match weight in bits
};

class MatchModels {
 public:
  explicit MatchModels(Db& db) : db_(db) {}

  /// The record's match state; nullopt when moviec has never decided on it.
  StatusOr<std::optional<nlohmann::json>> state(const std::string& source, const std::string& source_id);
  /// The record's unmatched entry; nullopt when it is not unmatched.
  StatusOr<std::optional<nlohmann::json>> unmatched(const std::string& source, const std::string& source_id);
  /// A person's standing decision on the record (POST /links).
  StatusOr<std::optional<nlohmann::json>> decision(const std::string& source, const std::string& source_id);
  /// The movie an external id (kind = "tmdb", a source name, ...) was tied to.
  StatusOr<std::optional<std::string>> crosswalk(const std::string& kind, const std::string& value);

  /// What the matcher looks up first of a record, in one batched read: its state,
  /// a person's decision and (`with_crosswalk`) the crosswalk of its own (source,
  /// source id): the same answers as state(), decision() and crosswalk().
  struct RecordFacts {
    std::optional<nlohmann::json> state;
    std::optional<nlohmann::json> decision;
    std::optional<std::string> crosswalk;
  };
  StatusOr<RecordFacts> record_facts(const std::string& source, const std::string& source_id,
                                     bool with_crosswalk);

  /// Movie ids with one of the title keys `keys` and a year within `window` of
  /// `year`, at most `limit`, in key order, each once: one range scan per key, one
  /// iterator for all.
  Status block(const std::vector<std::string>& keys, int year, int window, std::size_t limit,
               std::vector<std::string>& out);

  /// True when the blocking keys of the matching family ('b') are complete: the
  /// matching read model was folded from the log's first event by a build that
  /// writes them (a fresh store, or one rebuilt by `moviec replay`). Otherwise the
  /// matcher blocks on movie_index 'm' and looks each candidate up (block()).
  StatusOr<bool> has_facts_blocking();

  /// Movies with one of the title keys `keys` and a year within `window` of
  /// `year`, with their facts, at most `limit`, each once, added to `out` (in no
  /// particular order): per key, its whole window when there is room for it, else
  /// year by year, nearest first (same year, then one before, one after, ...); one
  /// iterator for all. `big`, when given, remembers the windows found too big and
  /// reads them year by year at once.
  Status block_facts(const std::vector<std::string>& keys, int year, int window, std::size_t limit,
                     BlockHits& out, BigWindows* big = nullptr);

  /// Until release_iterator(), block_facts reads through one iterator made now,
  /// instead of one per call: what the store held at this point (a batch's
  /// decisions are those of its start, actors/batch_decider.hpp). Making and
  /// freeing an iterator per record was 3 % of a decision at 1 M movies.
  void hold_iterator() { held_ = db_.iterator(ColumnFamily::matching); }
  void release_iterator() { held_.reset(); }

  /// The movie's match facts and title (one point lookup); false when it has none
  /// stored (a store written before they existed: the caller falls back to the
  /// movie's read model).
  StatusOr<bool> movie_facts(const std::string& movie_id, events::MatchFacts& facts, std::string& title);

  /// The movie's encoded facts record ('f'); nullopt when it has none stored.
  StatusOr<std::optional<std::string>> movie_facts_bytes(const std::string& movie_id);

  /// The record of `source` the movie holds; nullopt when none.
  StatusOr<std::optional<MatchHolder>> holder(const std::string& movie_id, const std::string& source);

  struct UnmatchedPage {
    std::vector<nlohmann::json> records;  // unmatched entries, by source id
    std::string next_cursor;              // empty: no more
  };
  /// The source's unmatched records after `cursor` (a source id), `reason` "" = all.
  StatusOr<UnmatchedPage> unmatched_page(const std::string& source, std::size_t limit,
                                         const std::string& cursor, const std::string& reason);

  /// The match report of a source: {"source", "records", "matched", "by_method": {..},
  /// "unmatched", "ambiguous", "no_match", "match_rate"} (match_rate: percent, 2 decimals;
  /// null with no records).
  StatusOr<nlohmann::json> report(const std::string& source);

  /// Sources with at least one decided record, by name.
  StatusOr<std::vector<std::string>> sources();

 private:
  StatusOr<std::optional<nlohmann::json>> get_json(const std::string& key);
  Db& db_;
  std::unique_ptr<rocksdb::Iterator> held_;  // hold_iterator()
};

}  // namespace moviec::store
