#include "events/field_rules.hpp"

#include <array>

namespace moviec::events {

namespace {
constexpr std::array<std::pair<Strategy, std::string_view>, 6> kStrategyNames{{
    {Strategy::source_priority, "source_priority"},
    {Strategy::highest_trust, "highest_trust"},
    {Strategy::most_recent, "most_recent"},
    {Strategy::union_lists, "union"},
    {Strategy::per_source, "per_source"},
    {Strategy::weighted_mean, "weighted_mean"},
}};
}  // namespace

std::string_view strategy_name(Strategy s) {
  for (auto& [strategy, name] : kStrategyNames)
    if (strategy == s) return name;
  return "unknown";
}

std::optional<Strategy> strategy_from_name(std::string_view name) {
  for (auto& [strategy, n] : kStrategyNames)
    if (n == name) return strategy;
  return std::nullopt;
}

const FieldRule* FieldRules::find(std::string_view field) const {
  for (auto& r : rules)
    if (r.field == field) return &r;
  return nullptr;
}

const std::vector<std::string>& golden_fields() {
  static const std::vector<std::string> fields{
      "title",  "year",          "runtime_minutes", "genres",
      "names",  "ratings",       "country_of_origin", "registration_date",
      "crating_performance", "crating_soundtrack", "crating_screenplay", "external_ids",
      "posters", "trailers"};
  return fields;
}

FieldRules FieldRules::defaults() {
  FieldRules r;
  const std::vector<std::string> facts_order{"imdb", "movielens", "rotten_tomatoes", "vega"};
  auto rule = [&](std::string field, Strategy s) {
    FieldRule f;
    f.field = std::move(field);
    f.strategy = s;
    f.priority = facts_order;
    r.rules.push_back(std::move(f));
  };
  rule("title", Strategy::source_priority);
  rule("year", Strategy::source_priority);
  rule("runtime_minutes", Strategy::source_priority);
  rule("genres", Strategy::union_lists);
  rule("names", Strategy::union_lists);
  rule("ratings", Strategy::per_source);
  rule("country_of_origin", Strategy::source_priority);
  rule("registration_date", Strategy::most_recent);
  rule("crating_performance", Strategy::weighted_mean);
  rule("crating_soundtrack", Strategy::weighted_mean);
  rule("crating_screenplay", Strategy::weighted_mean);
  rule("external_ids", Strategy::union_lists);
  rule("posters", Strategy::union_lists);
  rule("trailers", Strategy::union_lists);
  return r;
}

}  // namespace moviec::events
