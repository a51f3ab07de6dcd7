#pragma once
// All key encodings, in one place. Byte order rule: every integer in a key is a
// fixed-width big-endian u64, so RocksDB's bytewise order is numeric order.
// Composite keys join their parts with a 0x00 byte; ids and names never hold one
// (sources reject NUL bytes as invalid input).
//
//   log            BE64(sequence)
//   streams        movie_id 0x00 BE64(version)
//   stream_heads   movie_id
//   event_ids      event_id
//   snapshots      movie_id 0x00 BE64(version)
//   checkpoints    projection name
//   fingerprints   source 0x00 source_id
//   movies         movie_id
//   movie_index    't' 0x00 token 0x00 movie_id     title word (folded, see search_tokens)
//                  'y' 0x00 BE64(year) 0x00 movie_id
//                  'g' 0x00 genre (lower case) 0x00 movie_id
//                  'm' 0x00 title key 0x00 BE64(year) 0x00 movie_id  match blocking (events/title_key.hpp),
//                      only in a store folded before the matching family's 'b' keys (no 'v')
//   stats          "movies" | "source_records" 0x00 source     -> decimal count
//   meta           "last_sequence"                              -> BE64
//   source_runs    source 0x00 BE64(run id)             -> run record JSON (store/source_runs.hpp)
//   rejects        source 0x00 BE64(run id) BE64(n)     -> {"file", "line", "reason"} JSON
//   source_cursors source 0x00 name                     -> JSON: inbox checkpoint, poll cursor
//   matching       'l' 0x00 source 0x00 source_id  -> the record's match state JSON (store/match_models.hpp)
//                  'u' 0x00 source 0x00 source_id  -> unmatched entry JSON: record, reason, candidates
//                  'p' 0x00 source 0x00 source_id  -> a person's standing decision JSON (POST /links)
//                  'x' 0x00 id kind 0x00 id value  -> crosswalk JSON: movie_id and the record that taught it
//                  'n' 0x00 source 0x00 state      -> decimal count of the source's records in that state
//                  'f' 0x00 movie_id 0x00          -> the movie's match facts, compact (store/match_models.hpp)
//                  'h' 0x00 movie_id 0x00 source   -> the record of that source the movie holds (JSON)
//                  'b' 0x00 title key 0x00 BE64(year) 0x00 movie_id -> the movie's match facts (or "":
//                                  see 'f'): blocking and scoring in one range scan (store/match_models.hpp)
//                  'v' 0x00 "blocking" 0x00        -> "1": the 'b' keys are complete (folded from the first event)

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace moviec::store::keys {

inline void put_be64(std::string& out, std::uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>((v >> shift) & 0xff));
}

inline std::string be64(std::uint64_t v) {
  std::string s;
  put_be64(s, v);
  return s;
}

inline std::uint64_t get_be64(std::string_view s) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < 8 && i < s.size(); ++i) v = (v << 8) | static_cast<unsigned char>(s[i]);
  return v;
}

inline std::string log_key(std::uint64_t seq) { return be64(seq); }

inline std::string stream_prefix(std::string_view movie_id) {
  std::string k(movie_id);
  k.push_back('\0');
  return k;
}
inline std::string stream_key(std::string_view movie_id, std::uint64_t version) {
  auto k = stream_prefix(movie_id);
  put_be64(k, version);
  return k;
}
/// The version part of a streams or snapshots key.
inline std::uint64_t version_of(std::string_view key) {
  return key.size() < 8 ? 0 : get_be64(key.substr(key.size() - 8));
}

inline std::string stream_head_key(std::string_view movie_id) { return std::string(movie_id); }
inline std::string event_id_key(std::string_view id) { return std::string(id); }
inline std::string snapshot_key(std::string_view movie_id, std::uint64_t version) {
  return stream_key(movie_id, version);
}
inline std::string checkpoint_key(std::string_view name) { return std::string(name); }

inline std::string fingerprint_key(std::string_view source, std::string_view source_id) {
  std::string k(source);
  k.push_back('\0');
  k.append(source_id);
  return k;
}

inline std::string movie_key(std::string_view movie_id) { return std::string(movie_id); }

// --- movie_index ---------------------------------------------------------------
inline std::string index_prefix(char kind, std::string_view term) {
  std::string k{kind, '\0'};
  k.append(term);
  k.push_back('\0');
  return k;
}
inline std::string title_token_prefix(std::string_view token) { return index_prefix('t', token); }
inline std::string year_prefix(int year) {
  return index_prefix('y', be64(static_cast<std::uint64_t>(year)));
}
inline std::string genre_prefix(std::string_view genre_lower) { return index_prefix('g', genre_lower); }
/// Match blocking: every movie with title key `key` and year `year`.
inline std::string match_block_prefix(std::string_view key, int year) {
  auto k = index_prefix('m', key);
  put_be64(k, static_cast<std::uint64_t>(year));
  k.push_back('\0');
  return k;
}
/// Every match blocking key of movie_index lies in [match_block_first(), match_block_end()).
inline std::string match_block_first() { return std::string("m\0", 2); }
inline std::string match_block_end() { return "m\x01"; }
/// The movie id at the end of any movie_index key with a known prefix.
inline std::string_view index_movie_id(std::string_view key, std::size_t prefix_size) {
  return key.substr(prefix_size);
}

// --- matching ----------------------------------------------------------------------
// Kinds of key in the matching family (see the table at the top).
inline constexpr char kMatchState = 'l';
inline constexpr char kMatchUnmatched = 'u';
inline constexpr char kMatchDecision = 'p';
inline constexpr char kMatchCrosswalk = 'x';
inline constexpr char kMatchCount = 'n';
inline constexpr char kMatchFacts = 'f';
inline constexpr char kMatchHolder = 'h';
inline constexpr char kMatchBlock = 'b';
inline constexpr char kMatchLayout = 'v';
/// Blocking in the matching family: every movie with title key `key` and year `year`.
inline std::string match_facts_block_prefix(std::string_view key, int year) {
  auto k = index_prefix(kMatchBlock, key);
  put_be64(k, static_cast<std::uint64_t>(year));
  k.push_back('\0');
  return k;
}

/// kind 0x00 a 0x00 b
inline std::string matching_key(char kind, std::string_view a, std::string_view b) {
  auto k = index_prefix(kind, a);
  k.append(b);
  return k;
}
/// Every key of one kind and first part: kind 0x00 a 0x00
inline std::string matching_prefix(char kind, std::string_view a) { return index_prefix(kind, a); }

// --- stats and meta --------------------------------------------------------------
inline constexpr std::string_view kMoviesCount = "movies";
inline std::string source_records_key(std::string_view source) {
  std::string k("source_records");
  k.push_back('\0');
  k.append(source);
  return k;
}
inline constexpr std::string_view kSourceRecordsPrefix{"source_records\0", 15};
inline constexpr std::string_view kLastSequence = "last_sequence";

// --- source runs, rejects and cursors (written by the source side) -----------------
/// Every key of one source in source_runs, rejects or source_cursors: source 0x00
inline std::string source_prefix(std::string_view source) {
  std::string k(source);
  k.push_back('\0');
  return k;
}
/// source_runs: source 0x00 BE64(run id)
inline std::string run_key(std::string_view source, std::uint64_t run) {
  auto k = source_prefix(source);
  put_be64(k, run);
  return k;
}
/// The run id at the end of a source_runs key.
inline std::uint64_t run_of(std::string_view key) { return version_of(key); }
/// rejects: source 0x00 BE64(run id) BE64(n), n = 0, 1, ... in the order met
inline std::string reject_key(std::string_view source, std::uint64_t run, std::uint64_t n) {
  auto k = run_key(source, run);
  put_be64(k, n);
  return k;
}
/// The n at the end of a rejects key.
inline std::uint64_t reject_index_of(std::string_view key) { return version_of(key); }
/// source_cursors: source 0x00 name ("inbox" 0x00 file name, "poll")
inline std::string cursor_key(std::string_view source, std::string_view name) {
  auto k = source_prefix(source);
  k.append(name);
  return k;
}

}  // namespace moviec::store::keys
