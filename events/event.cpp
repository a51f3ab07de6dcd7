#include "events/event.hpp"

#include <array>

namespace moviec::events {

using nlohmann::json;

namespace {
constexpr std::array<std::pair<EventType, std::string_view>, 5> kTypeNames{{
    {EventType::source_record_changed, "SourceRecordChanged"},
    {EventType::source_record_removed, "SourceRecordRemoved"},
    {EventType::movie_changed, "MovieChanged"},
    {EventType::source_record_unmatched, "SourceRecordUnmatched"},
    {EventType::source_record_linked, "SourceRecordLinked"},
}};
}  // namespace

std::string_view type_name(EventType t) {
  for (auto& [type, name] : kTypeNames)
    if (type == t) return name;
  return "Unknown";
}

std::optional<EventType> type_from_name(std::string_view name) {
  for (auto& [type, n] : kTypeNames)
    if (n == name) return type;
  return std::nullopt;
}

json to_data(const SourceRecordChanged& p) {
  json j{{"record", p.record}, {"fingerprint", p.fingerprint}};
  if (!p.previous_fingerprint.empty()) j["previous_fingerprint"] = p.previous_fingerprint;
  if (!p.match_method.empty()) j["match_method"] = p.match_method;
  if (p.match_confidence) j["match_confidence"] = *p.match_confidence;
  if (!p.match_candidates.is_null()) j["match_candidates"] = p.match_candidates;
  if (p.match_basis != 0) j["match_basis"] = p.match_basis;
  return j;
}

json to_data(const SourceRecordUnmatched& p) {
  json j{{"record", p.record},
         {"fingerprint", p.fingerprint},
         {"reason", p.reason},
         {"message", p.message},
         {"candidates", p.candidates.is_null() ? json::array() : p.candidates}};
  if (!p.previous_fingerprint.empty()) j["previous_fingerprint"] = p.previous_fingerprint;
  return j;
}

json to_data(const SourceRecordLinked& p) {
  json j{{"source", p.source}, {"source_id", p.source_id}, {"movie_id", p.movie_id},
         {"by", p.by},         {"why", p.why}};
  if (p.record) {
    j["record"] = *p.record;
    j["fingerprint"] = p.fingerprint;
  }
  return j;
}

json to_data(const SourceRecordRemoved& p) {
  return json{{"source", p.source},
              {"source_id", p.source_id},
              {"previous_fingerprint", p.previous_fingerprint}};
}

json to_data(const MovieChanged& p) {
  json fields = json::array();
  for (auto& f : p.fields)
    fields.push_back(json{{"field", f.field},
                          {"old", f.old_value},
                          {"new", f.new_value},
                          {"source", f.source},
                          {"rule", f.rule},
                          {"caused_by", f.caused_by}});
  json j{{"rules_version", p.rules_version}, {"trigger", p.trigger}, {"fields", std::move(fields)}};
  if (p.trigger == kTriggerRules) j["previous_rules_version"] = p.previous_rules_version;
  return j;
}

SourceRecordChanged source_record_changed(const Event& e) {
  SourceRecordChanged p;
  p.record = e.data.at("record").get<SourceRecord>();
  p.fingerprint = e.data.value("fingerprint", "");
  p.previous_fingerprint = e.data.value("previous_fingerprint", "");
  p.match_method = e.data.value("match_method", "");
  if (auto it = e.data.find("match_confidence"); it != e.data.end() && it->is_number())
    p.match_confidence = it->get<double>();
  if (auto it = e.data.find("match_candidates"); it != e.data.end()) p.match_candidates = *it;
  p.match_basis = e.data.value("match_basis", std::uint64_t{0});
  return p;
}

SourceRecordUnmatched source_record_unmatched(const Event& e) {
  SourceRecordUnmatched p;
  p.record = e.data.at("record").get<SourceRecord>();
  p.fingerprint = e.data.value("fingerprint", "");
  p.previous_fingerprint = e.data.value("previous_fingerprint", "");
  p.reason = e.data.value("reason", "");
  p.message = e.data.value("message", "");
  p.candidates = e.data.value("candidates", json::array());
  return p;
}

SourceRecordLinked source_record_linked(const Event& e) {
  SourceRecordLinked p;
  p.source = e.data.value("source", "");
  p.source_id = e.data.value("source_id", "");
  p.movie_id = e.data.value("movie_id", "");
  p.by = e.data.value("by", "");
  p.why = e.data.value("why", "");
  if (auto it = e.data.find("record"); it != e.data.end() && it->is_object())
    p.record = it->get<SourceRecord>();
  p.fingerprint = e.data.value("fingerprint", "");
  return p;
}

SourceRecordRemoved source_record_removed(const Event& e) {
  return {e.data.value("source", ""), e.data.value("source_id", ""),
          e.data.value("previous_fingerprint", "")};
}

MovieChanged movie_changed(const Event& e) {
  MovieChanged p;
  p.rules_version = e.data.value("rules_version", 0u);
  p.trigger = e.data.value("trigger", std::string(kTriggerSourceRecord));
  p.previous_rules_version = e.data.value("previous_rules_version", 0u);
  // Found, not value(): value() would copy the whole array (and each old and new value) first.
  auto fields = e.data.find("fields");
  if (fields == e.data.end() || !fields->is_array()) return p;
  p.fields.reserve(fields->size());
  static const json null_value;
  auto member = [](const json& f, const char* key) -> const json& {
    auto it = f.find(key);
    return it == f.end() ? null_value : *it;
  };
  for (auto& f : *fields)
    p.fields.push_back(FieldChange{f.value("field", ""), member(f, "old"), member(f, "new"),
                                   f.value("source", ""), f.value("rule", ""),
                                   f.value("caused_by", std::uint64_t{0})});
  return p;
}

void resolve_causation(Event& e, std::uint64_t cause_seq) {
  if (e.causation_seq == 0) e.causation_seq = cause_seq;
  if (e.type != EventType::movie_changed) return;
  auto it = e.data.find("fields");
  if (it == e.data.end()) return;
  for (auto& f : *it)
    if (f.value("caused_by", std::uint64_t{0}) == 0) f["caused_by"] = cause_seq;
}

}  // namespace moviec::events
