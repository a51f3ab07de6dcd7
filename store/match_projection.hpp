#pragma once
// The writer of the `matching` read model (store/keys.hpp, docs/storage.md).
// Projector drives it inside its own batch, so its writes commit with the
// projection checkpoint: exactly once, rebuilt by `replay`, checked by `verify`.
// Everything it writes is derived from events alone:
//
//   SourceRecordChanged (movie M)  the record's state becomes matched to M by the
//                                  event's method; its unmatched entry goes; its
//                                  external ids (and its own source id) become
//                                  crosswalks to M unless another movie has them
//   SourceRecordRemoved (movie M)  a state matched to M goes, with the crosswalks
//                                  that record taught
//   SourceRecordUnmatched          state unmatched / ambiguous / no_match, and the
//                                  unmatched entry (record, reason, candidates)
//   SourceRecordLinked             the person's standing decision; a "no match"
//                                  also turns a known record's state to no_match
//   MovieChanged (movie M)         M's compact match facts (title, names, year,
//                                  runtime, genres, external ids) follow the
//                                  golden record
//
// With every state matched to M, the holder key of (M, source) names the record
// (and its method and match weight); it goes when the record leaves M.
//
// Counts per (source, state) move with every state change, so a match report is
// a handful of reads.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>

#include <nlohmann/json.hpp>
#include <rocksdb/write_batch.h>

#include "events/event.hpp"
#include "store/db.hpp"

namespace moviec::store {

class MatchProjection {
 public:
  /// Reads through `db` for state not yet touched in this batch; `db` outlives this.
  explicit MatchProjection(Db& db) : db_(db) {}
  MatchProjection(const MatchProjection&) = delete;
  MatchProjection& operator=(const MatchProjection&) = delete;

  /// Folds one event of any stream; events with nothing to say are ignored.
  /// `change`: the event's MovieChanged payload when the caller has decoded it already.
  void apply(const events::Event& e, const events::MovieChanged* change = nullptr);

  /// Adds every pending write to `batch` and forgets them.
  void write(rocksdb::WriteBatch& batch);

 private:
  /// A key's value as this batch leaves it: pending, else read once from the store;
  /// nullopt when absent or deleted. Valid until the next put or erase of that key.
  const std::optional<std::string>& bytes(const std::string& key);
  std::optional<nlohmann::json> get(const std::string& key);
  void put(const std::string& key, nlohmann::json value);
  void erase(const std::string& key);
  /// Replaces the record's state and moves its count from the old state to the new.
  void set_state(const std::string& source, const std::string& source_id,
                 std::optional<nlohmann::json> state);

  /// Drops the crosswalks `state` says its record taught, where they still name it.
  void forget_crosswalks(const nlohmann::json& state, const std::string& source,
                         const std::string& source_id);

  void on_changed(const events::Event& e);
  void on_removed(const events::Event& e);
  void on_unmatched(const events::Event& e);
  void on_linked(const events::Event& e);
  void on_movie_changed(const events::Event& e, const events::MovieChanged* change);
  void set_holder(const std::string& movie, const std::string& source, const std::string& source_id,
                  const nlohmann::json& state);
  void drop_holder(const std::string& movie, const std::string& source, const std::string& source_id);

  Db& db_;
  std::map<std::string, std::optional<std::string>> pending_;  // key -> value (nullopt: delete)
  /// Stored values read in this batch, misses too (nullopt): a record's state is
  /// looked at more than once per event.
  std::unordered_map<std::string, std::optional<std::string>> fetched_;
  std::map<std::string, std::int64_t> counts_;                 // count key -> delta
};

/// The count label of a state JSON: "matched:<method>", "unmatched", "ambiguous", "no_match".
std::string state_label(const nlohmann::json& state);

}  // namespace moviec::store
