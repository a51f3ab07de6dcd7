#pragma once
// Field rules: per golden field, which strategy picks its value from the sources'
// records and what an empty result does. Pure data and logic; config/ parses them.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace moviec::events {

enum class Strategy {
  source_priority,  // first non-empty value in the rule's source order
  highest_trust,    // non-empty value of the most trusted source (config "trust")
  most_recent,      // non-empty value of the most recently changed source record
  union_lists,      // union of all sources' lists, in priority order ("union")
  per_source,       // one entry per source rating ("per_source", for ratings)
  weighted_mean,    // mean of the sources' numbers with per-source weights
};

enum class OnEmpty {
  keep,   // an empty result leaves the previous golden value in place
  clear,  // an empty result empties the golden field
};

std::string_view strategy_name(Strategy s);
std::optional<Strategy> strategy_from_name(std::string_view name);

struct FieldRule {
  std::string field;
  Strategy strategy = Strategy::source_priority;
  std::vector<std::string> priority;        // source names, most preferred first
  std::map<std::string, double> weights;    // weighted_mean: per source, default 1
  OnEmpty on_empty = OnEmpty::keep;
};

struct FieldRules {
  std::uint32_t version = 1;               // cited by every MovieChanged
  std::map<std::string, double> trust;     // highest_trust: per source, default 0
  std::vector<FieldRule> rules;            // one per golden field

  const FieldRule* find(std::string_view field) const;

  /// The built-in rules: IMDb first for facts, union of genres and names,
  /// ratings per source, C-ratings as a weighted mean.
  static FieldRules defaults();
};

/// Every golden field, in the order they are shown.
const std::vector<std::string>& golden_fields();

}  // namespace moviec::events
