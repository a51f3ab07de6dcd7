#pragma once
// Every RocksDB column family moviec uses. The ids index the handle table and the
// names are on disk: never rename or renumber one; add new ones at the end.

#include <array>
#include <cstdint>
#include <string_view>

namespace moviec::store {

enum class ColumnFamily : std::uint8_t {
  default_family = 0,  // RocksDB's own; unused
  log = 1,             // sequence -> encoded event (events/coding.hpp)
  streams = 2,         // (movie id, version) -> sequence
  stream_heads = 3,    // movie id -> latest version
  event_ids = 4,       // event id -> sequence (idempotent appends)
  snapshots = 5,       // (movie id, version) -> MovieState snapshot JSON
  checkpoints = 6,     // projection name -> last applied sequence
  fingerprints = 7,    // (source, source id) -> fingerprint of the last record emitted
  movies = 8,          // read model: movie id -> golden record JSON
  movie_index = 9,     // read model: search index (token / year / genre, movie id) -> ""
  stats = 10,          // read model: counters
  meta = 11,           // log metadata: last sequence
  matching = 12,       // read model: match decisions, unmatched records, crosswalks, counts
  source_runs = 13,    // (source, run id) -> summary of one ingest run (written by the source side)
  rejects = 14,        // (source, run id, n) -> one rejected input row of that run
  source_cursors = 15, // (source, name) -> where a source stands: inbox checkpoints, poll cursors
};

inline constexpr std::size_t kColumnFamilyCount = 16;

inline constexpr std::array<std::string_view, kColumnFamilyCount> kColumnFamilyNames{
    "default",  "log",          "streams", "stream_heads", "event_ids", "snapshots",
    "checkpoints", "fingerprints", "movies", "movie_index", "stats",   "meta",
    "matching", "source_runs", "rejects", "source_cursors"};

/// The read models: what a projection writes and `verify`/`replay` rebuild.
inline constexpr std::array<ColumnFamily, 4> kReadModelFamilies{
    ColumnFamily::movies, ColumnFamily::movie_index, ColumnFamily::stats, ColumnFamily::matching};

constexpr std::string_view name_of(ColumnFamily cf) {
  return kColumnFamilyNames[static_cast<std::size_t>(cf)];
}

}  // namespace moviec::store
