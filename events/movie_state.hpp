#pragma once
// The state of one movie, folded from its stream: the latest record of every
// source that maps to it and the golden record with per-field provenance.
// The movie actor owns one; snapshots store it; the projection renders the same
// golden fields into the read model. Mutated only by apply(committed event).

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "events/event.hpp"
#include "events/field_rules.hpp"

namespace moviec::events {

/// A source's current record for this movie.
struct SourceEntry {
  SourceRecord record;
  std::string fingerprint;
  std::uint64_t sequence = 0;  // the SourceRecordChanged that set it; 0 = not yet committed
};

/// One golden field's value and where it came from.
struct GoldenField {
  nlohmann::json value;
  std::string source;
  std::string rule;
  std::uint64_t sequence = 0;  // the source event that supplied the value
};

using GoldenRecord = std::map<std::string, GoldenField>;
using SourceKey = std::pair<std::string, std::string>;  // (source, source_id)

/// Applies a MovieChanged's field diffs to a golden record (shared with projections).
void apply_field_changes(GoldenRecord& golden, const MovieChanged& change);

struct MovieState {
  std::string movie_id;
  std::uint64_t version = 0;   // stream version of the last applied event
  std::uint64_t last_sequence = 0;
  std::uint32_t rules_version = 0;
  std::map<SourceKey, SourceEntry> sources;
  GoldenRecord golden;

  /// Folds one committed event of this movie's stream.
  void apply(const Event& e);

  nlohmann::json to_snapshot() const;
  static MovieState from_snapshot(const nlohmann::json& j);
};

/// Runs `rules` over the sources in `state` and returns the fields whose value
/// differs from state.golden (empty: the golden record would not change).
/// A value supplied by an uncommitted entry (sequence 0) gets caused_by 0, which the
/// journal resolves to the sequence of the event committed just before it.
/// With `provenance_too` (re-aggregation under new rules), a field whose value stays
/// but whose source, rule or source event would change is reported as well, so the
/// provenance always says what the current rules decided.
std::vector<FieldChange> aggregate(const MovieState& state, const FieldRules& rules,
                                   bool provenance_too = false);

/// A field's value in one source record as JSON; null when the record has none.
nlohmann::json field_value(const SourceRecord& r, const std::string& field);

}  // namespace moviec::events
