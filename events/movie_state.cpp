#include "events/movie_state.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "events/json_number.hpp"

namespace moviec::events {

using nlohmann::json;

namespace {

bool is_empty(const json& v) {
  return v.is_null() || (v.is_string() && v.get_ref<const std::string&>().empty()) ||
         (v.is_array() && v.empty()) || (v.is_object() && v.empty());
}

template <class T>
json optional_json(const std::optional<T>& v) {
  return v ? json(*v) : json();
}

/// Candidate entries in the order a rule prefers them: listed sources first in the
/// rule's order, then the rest by name; within a source the most recent record first.
std::vector<const SourceEntry*> by_priority(const MovieState& s, const FieldRule& rule) {
  std::vector<const SourceEntry*> out;
  for (auto& [key, entry] : s.sources) out.push_back(&entry);
  auto rank = [&](const SourceEntry* e) {
    auto it = std::find(rule.priority.begin(), rule.priority.end(), e->record.source);
    return static_cast<std::size_t>(it - rule.priority.begin());
  };
  auto recency = [](const SourceEntry* e) {  // uncommitted (0) is the newest
    return e->sequence == 0 ? UINT64_MAX : e->sequence;
  };
  std::stable_sort(out.begin(), out.end(), [&](auto* a, auto* b) {
    if (rank(a) != rank(b)) return rank(a) < rank(b);
    if (a->record.source != b->record.source) return a->record.source < b->record.source;
    return recency(a) > recency(b);
  });
  return out;
}

std::string join_sources(const std::set<std::string>& names) {
  std::string out;
  for (auto& n : names) out += (out.empty() ? "" : ",") + n;
  return out;
}

struct Decision {
  json value;
  std::string source;
  std::uint64_t sequence = 0;
};

Decision pick_first(const std::vector<const SourceEntry*>& order, const std::string& field) {
  for (auto* e : order) {
    auto v = field_value(e->record, field);
    if (!is_empty(v)) return {std::move(v), e->record.source, e->sequence};
  }
  return {};
}

std::uint64_t newest(std::uint64_t a, std::uint64_t b) {
  if (a == 0 || b == 0) return 0;  // an uncommitted contributor is the cause
  return std::max(a, b);
}

Decision decide(const MovieState& s, const FieldRules& rules, const FieldRule& rule) {
  auto order = by_priority(s, rule);
  switch (rule.strategy) {
    case Strategy::source_priority:
      return pick_first(order, rule.field);
    case Strategy::highest_trust: {
      auto trust = [&](const SourceEntry* e) {
        auto it = rules.trust.find(e->record.source);
        return it == rules.trust.end() ? 0.0 : it->second;
      };
      std::stable_sort(order.begin(), order.end(),
                       [&](auto* a, auto* b) { return trust(a) > trust(b); });
      return pick_first(order, rule.field);
    }
    case Strategy::most_recent: {
      std::stable_sort(order.begin(), order.end(), [](auto* a, auto* b) {
        auto ra = a->sequence == 0 ? UINT64_MAX : a->sequence;
        auto rb = b->sequence == 0 ? UINT64_MAX : b->sequence;
        return ra > rb;
      });
      return pick_first(order, rule.field);
    }
    case Strategy::union_lists: {
      Decision d;
      std::set<std::string> contributors;
      bool first = true;
      for (auto* e : order) {
        auto v = field_value(e->record, rule.field);
        if (is_empty(v)) continue;
        if (v.is_object()) {  // maps (external ids): first source to name a key wins it
          if (d.value.is_null()) d.value = json::object();
          for (auto& [k, item] : v.items())
            if (!d.value.contains(k)) d.value[k] = item;
        } else {
          if (d.value.is_null()) d.value = json::array();
          for (auto& item : v)
            if (std::find(d.value.begin(), d.value.end(), item) == d.value.end())
              d.value.push_back(item);
        }
        contributors.insert(e->record.source);
        d.sequence = first ? e->sequence : newest(d.sequence, e->sequence);
        first = false;
      }
      d.source = join_sources(contributors);
      return d;
    }
    case Strategy::per_source: {
      Decision d;
      std::set<std::string> contributors;
      bool first = true;
      for (auto* e : order) {
        for (auto& r : e->record.source_ratings) {
          auto key = r.name.empty() ? e->record.source : r.name;
          if (d.value.is_null()) d.value = json::object();
          if (d.value.contains(key)) continue;
          json entry = rating_json(r);
          entry["source"] = e->record.source;
          d.value[key] = std::move(entry);
          contributors.insert(e->record.source);
          d.sequence = first ? e->sequence : newest(d.sequence, e->sequence);
          first = false;
        }
      }
      d.source = join_sources(contributors);
      return d;
    }
    case Strategy::weighted_mean: {
      double sum = 0, weights = 0;
      Decision d;
      std::set<std::string> contributors;
      bool first = true;
      for (auto* e : order) {
        auto v = field_value(e->record, rule.field);
        if (!v.is_number()) continue;
        auto w_it = rule.weights.find(e->record.source);
        double w = w_it == rule.weights.end() ? 1.0 : w_it->second;
        if (w <= 0) continue;
        sum += w * v.get<double>();
        weights += w;
        contributors.insert(e->record.source);
        d.sequence = first ? e->sequence : newest(d.sequence, e->sequence);
        first = false;
      }
      if (weights > 0) d.value = std::round(sum / weights * 100.0) / 100.0;
      d.source = join_sources(contributors);
      return d;
    }
  }
  return {};
}

}  // namespace

json field_value(const SourceRecord& r, const std::string& f) {
  if (f == "title") return r.title.empty() ? json() : json(r.title);
  if (f == "year") return optional_json(r.year);
  if (f == "runtime_minutes") return optional_json(r.runtime_minutes);
  if (f == "genres") return r.genres.empty() ? json() : json(r.genres);
  if (f == "names") return r.names.empty() ? json() : json(r.names);
  if (f == "posters") return r.posters.empty() ? json() : json(r.posters);
  if (f == "trailers") return r.trailers.empty() ? json() : json(r.trailers);
  if (f == "country_of_origin")
    return r.country_of_origin.empty() ? json() : json(r.country_of_origin);
  if (f == "registration_date")
    return r.registration_date.empty() ? json() : json(r.registration_date);
  if (f == "crating_performance") return optional_json(r.crating_performance);
  if (f == "crating_soundtrack") return optional_json(r.crating_soundtrack);
  if (f == "crating_screenplay") return optional_json(r.crating_screenplay);
  if (f == "external_ids") return r.external_ids.empty() ? json() : json(r.external_ids);
  if (f == "ratings") {
    if (r.source_ratings.empty()) return json();
    json out = json::array();
    for (auto& x : r.source_ratings) out.push_back(rating_json(x));
    return out;
  }
  return json();
}

std::vector<FieldChange> aggregate(const MovieState& s, const FieldRules& rules,
                                   bool provenance_too) {
  std::vector<FieldChange> changes;
  for (auto& field : golden_fields()) {
    const FieldRule* rule = rules.find(field);
    if (!rule) continue;
    Decision d = decide(s, rules, *rule);
    auto old_it = s.golden.find(field);
    json old_value = old_it == s.golden.end() ? json() : old_it->second.value;
    if (is_empty(d.value)) {
      if (rule->on_empty == OnEmpty::keep || old_value.is_null()) continue;
      changes.push_back({field, old_value, json(), "", std::string(strategy_name(rule->strategy)),
                         0});
      continue;
    }
    std::string rule_name(strategy_name(rule->strategy));
    if (d.value == old_value) {
      const auto& old = old_it->second;
      if (!provenance_too ||
          (old.source == d.source && old.rule == rule_name && old.sequence == d.sequence))
        continue;
    }
    changes.push_back({field, std::move(old_value), std::move(d.value), std::move(d.source),
                       std::move(rule_name), d.sequence});
  }
  return changes;
}

void apply_field_changes(GoldenRecord& golden, const MovieChanged& change) {
  for (auto& f : change.fields) {
    if (f.new_value.is_null()) golden.erase(f.field);
    else golden[f.field] = GoldenField{f.new_value, f.source, f.rule, f.caused_by};
  }
}

void MovieState::apply(const Event& e) {
  if (movie_id.empty()) movie_id = e.stream;
  version = e.version;
  last_sequence = e.sequence;
  switch (e.type) {
    case EventType::source_record_changed: {
      auto& p = source_record_changed(e);
      SourceKey key{p.record.source, p.record.source_id};
      sources[key] = SourceEntry{p.record, p.fingerprint, e.sequence};
      break;
    }
    case EventType::source_record_removed: {
      auto& p = source_record_removed(e);
      sources.erase(SourceKey{p.source, p.source_id});
      break;
    }
    case EventType::movie_changed: {
      auto& p = movie_changed(e);
      rules_version = p.rules_version;
      apply_field_changes(golden, p);
      break;
    }
    case EventType::source_record_unmatched:
    case EventType::source_record_linked:
      break;  // source-stream events (events/matching.hpp): never in a movie's stream
  }
}

json MovieState::to_snapshot() const {
  json src = json::array();
  for (auto& [key, entry] : sources)
    src.push_back(json{{"record", entry.record},
                       {"fingerprint", entry.fingerprint},
                       {"seq", entry.sequence}});
  json gold = json::object();
  for (auto& [field, g] : golden)
    gold[field] = json{{"value", g.value}, {"source", g.source}, {"rule", g.rule},
                       {"seq", g.sequence}};
  return json{{"movie_id", movie_id}, {"version", version}, {"last_seq", last_sequence},
              {"rules_version", rules_version}, {"sources", src}, {"golden", gold}};
}

MovieState MovieState::from_snapshot(const json& j) {
  MovieState s;
  s.movie_id = j.value("movie_id", "");
  s.version = json_integer(j, "version", std::uint64_t{0});
  s.last_sequence = json_integer(j, "last_seq", std::uint64_t{0});
  s.rules_version = json_integer(j, "rules_version", 0u);
  for (auto& e : j.value("sources", json::array())) {
    SourceEntry entry{e.at("record").get<SourceRecord>(), e.value("fingerprint", ""),
                      json_integer(e, "seq", std::uint64_t{0})};
    SourceKey key{entry.record.source, entry.record.source_id};
    s.sources.emplace(std::move(key), std::move(entry));
  }
  // Bound to a name: items() of the temporary j.value(...) would be used after it dies.
  const json golden = j.value("golden", json::object());
  for (auto& [field, g] : golden.items())
    s.golden[field] = GoldenField{g.value("value", json()), g.value("source", ""),
                                  g.value("rule", ""), json_integer(g, "seq", std::uint64_t{0})};
  return s;
}

}  // namespace moviec::events
