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

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.hpp"
#include "store/db.hpp"

namespace moviec::store {

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

  /// Movie ids with title key `key` and a year within one of `year`, at most `limit`.
  StatusOr<std::vector<std::string>> block(const std::string& key, int year, std::size_t limit);

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
