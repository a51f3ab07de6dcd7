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

#include <optional>
#include <string>
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
std::string encode_match_record(const MovieMatchRecord& r);
/// nullopt when `bytes` is not an encoded record.
std::optional<MovieMatchRecord> decode_match_record(std::string_view bytes);
/// The facts alone, without recomputing them; false when `bytes` is not a record.
bool decode_match_facts(std::string_view bytes, events::MatchFacts& facts, std::string& title);

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

  /// Movie ids with one of the title keys `keys` and a year within `window` of
  /// `year`, at most `limit`, in key order, each once: one range scan per key, one
  /// iterator for all.
  Status block(const std::vector<std::string>& keys, int year, int window, std::size_t limit,
               std::vector<std::string>& out);

  /// The movie's match facts and title (one point lookup); false when it has none
  /// stored (a store written before they existed: the caller falls back to the
  /// movie's read model).
  StatusOr<bool> movie_facts(const std::string& movie_id, events::MatchFacts& facts, std::string& title);

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
};

}  // namespace moviec::store
