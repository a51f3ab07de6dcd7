#include "events/coding.hpp"

#include "events/coding_fast.hpp"
#include "events/json_number.hpp"
#include "events/json_writer.hpp"
#include "events/timestamp.hpp"

namespace moviec::events {

using nlohmann::json;

namespace {


// Upcasters: each turns schema version N into N+1, on the envelope as stored (before
// any field is read). Add one per schema bump and never edit an old one: stored events
// of every version must keep decoding. docs/storage.md lists the versions.

/// 1 -> 2: MovieChanged gained "trigger" (what made the movie decide its fields again).
/// Every version-1 MovieChanged was appended by a movie actor in the same request as the
/// source record event it cites (re-aggregation did not exist yet), so its trigger is a
/// source record.
void upcast_1_to_2(json& j) {
  if (j.at("type") != "MovieChanged") return;
  auto& data = j.at("data");
  if (data.is_object() && !data.contains("trigger")) data["trigger"] = kTriggerSourceRecord;
}

void upcast(json& j, std::uint32_t& version) {
  while (version < kCurrentSchemaVersion) {
    switch (version) {
      case 1:
        upcast_1_to_2(j);
        break;
      default:  // 0 was never written; nothing to do
        break;
    }
    ++version;
  }
}

// --- payloads as JSON (the key sets and their order are the stored format) ----------

void write_payload(JsonWriter& w, const SourceRecordChanged& p) {
  w.begin_object();
  w.member("fingerprint", p.fingerprint);
  if (p.match_basis != 0) w.member("match_basis", p.match_basis);
  if (!p.match_candidates.is_null()) w.member("match_candidates", p.match_candidates);
  if (p.match_confidence) w.member("match_confidence", *p.match_confidence);
  if (!p.match_method.empty()) w.member("match_method", p.match_method);
  if (!p.previous_fingerprint.empty()) w.member("previous_fingerprint", p.previous_fingerprint);
  w.next("record");
  write_json(w, p.record);
  w.end_object();
}

void write_payload(JsonWriter& w, const SourceRecordUnmatched& p) {
  w.begin_object();
  w.next("candidates");
  if (p.candidates.is_null()) w.value(json::array());
  else w.value(p.candidates);
  w.member("fingerprint", p.fingerprint);
  w.member("message", p.message);
  if (!p.previous_fingerprint.empty()) w.member("previous_fingerprint", p.previous_fingerprint);
  w.member("reason", p.reason);
  w.next("record");
  write_json(w, p.record);
  w.end_object();
}

void write_payload(JsonWriter& w, const SourceRecordLinked& p) {
  w.begin_object();
  w.member("by", p.by);
  if (p.record) w.member("fingerprint", p.fingerprint);
  w.member("movie_id", p.movie_id);
  if (p.record) {
    w.next("record");
    write_json(w, *p.record);
  }
  w.member("source", p.source);
  w.member("source_id", p.source_id);
  w.member("why", p.why);
  w.end_object();
}

void write_payload(JsonWriter& w, const SourceRecordRemoved& p) {
  w.begin_object();
  w.member("previous_fingerprint", p.previous_fingerprint);
  w.member("source", p.source);
  w.member("source_id", p.source_id);
  w.end_object();
}

void write_payload(JsonWriter& w, const MovieChanged& p) {
  w.begin_object();
  w.next("fields");
  w.begin_array();
  for (auto& f : p.fields) {
    w.next();
    w.begin_object();
    w.member("caused_by", f.caused_by);
    w.member("field", f.field);
    w.member("new", f.new_value);
    w.member("old", f.old_value);
    w.member("rule", f.rule);
    w.member("source", f.source);
    w.end_object();
  }
  w.end_array();
  if (p.trigger == kTriggerRules) w.member("previous_rules_version", p.previous_rules_version);
  w.member("rules_version", p.rules_version);
  w.member("trigger", p.trigger);
  w.end_object();
}

/// The payload of an event of type `t` from its stored JSON (upcast already).
Payload payload_from_json(EventType t, const json& d) {
  switch (t) {
    case EventType::source_record_changed: {
      SourceRecordChanged p;
      p.record = d.at("record").get<SourceRecord>();
      p.fingerprint = d.value("fingerprint", "");
      p.previous_fingerprint = d.value("previous_fingerprint", "");
      p.match_method = d.value("match_method", "");
      if (auto it = d.find("match_confidence"); it != d.end() && it->is_number())
        p.match_confidence = it->get<double>();
      if (auto it = d.find("match_candidates"); it != d.end()) p.match_candidates = *it;
      p.match_basis = json_integer(d, "match_basis", std::uint64_t{0});
      return p;
    }
    case EventType::source_record_unmatched: {
      SourceRecordUnmatched p;
      p.record = d.at("record").get<SourceRecord>();
      p.fingerprint = d.value("fingerprint", "");
      p.previous_fingerprint = d.value("previous_fingerprint", "");
      p.reason = d.value("reason", "");
      p.message = d.value("message", "");
      p.candidates = d.value("candidates", json::array());
      return p;
    }
    case EventType::source_record_linked: {
      SourceRecordLinked p;
      p.source = d.value("source", "");
      p.source_id = d.value("source_id", "");
      p.movie_id = d.value("movie_id", "");
      p.by = d.value("by", "");
      p.why = d.value("why", "");
      if (auto it = d.find("record"); it != d.end() && it->is_object())
        p.record = it->get<SourceRecord>();
      p.fingerprint = d.value("fingerprint", "");
      return p;
    }
    case EventType::source_record_removed:
      return SourceRecordRemoved{d.value("source", ""), d.value("source_id", ""),
                                 d.value("previous_fingerprint", "")};
    case EventType::movie_changed: {
      MovieChanged p;
      p.rules_version = json_integer(d, "rules_version", 0u);
      p.trigger = d.value("trigger", std::string(kTriggerSourceRecord));
      p.previous_rules_version = json_integer(d, "previous_rules_version", 0u);
      // Found, not value(): value() would copy the whole array (and each old and new value) first.
      auto fields = d.find("fields");
      if (fields == d.end() || !fields->is_array()) return p;
      p.fields.reserve(fields->size());
      static const json null_value;
      auto member = [](const json& f, const char* key) -> const json& {
        auto it = f.find(key);
        return it == f.end() ? null_value : *it;
      };
      for (auto& f : *fields)
        p.fields.push_back(FieldChange{f.value("field", ""), member(f, "old"), member(f, "new"),
                                       f.value("source", ""), f.value("rule", ""),
                                       json_integer(f, "caused_by", std::uint64_t{0})});
      return p;
    }
  }
  throw json::other_error::create(501, "unknown event type", nullptr);
}

}  // namespace

json payload_json(const SourceRecordChanged& p) {
  json j{{"record", p.record}, {"fingerprint", p.fingerprint}};
  if (!p.previous_fingerprint.empty()) j["previous_fingerprint"] = p.previous_fingerprint;
  if (!p.match_method.empty()) j["match_method"] = p.match_method;
  if (p.match_confidence) j["match_confidence"] = *p.match_confidence;
  if (!p.match_candidates.is_null()) j["match_candidates"] = p.match_candidates;
  if (p.match_basis != 0) j["match_basis"] = p.match_basis;
  return j;
}

json payload_json(const SourceRecordUnmatched& p) {
  json j{{"record", p.record},
         {"fingerprint", p.fingerprint},
         {"reason", p.reason},
         {"message", p.message},
         {"candidates", p.candidates.is_null() ? json::array() : p.candidates}};
  if (!p.previous_fingerprint.empty()) j["previous_fingerprint"] = p.previous_fingerprint;
  return j;
}

json payload_json(const SourceRecordLinked& p) {
  json j{{"source", p.source}, {"source_id", p.source_id}, {"movie_id", p.movie_id},
         {"by", p.by},         {"why", p.why}};
  if (p.record) {
    j["record"] = *p.record;
    j["fingerprint"] = p.fingerprint;
  }
  return j;
}

json payload_json(const SourceRecordRemoved& p) {
  return json{{"source", p.source},
              {"source_id", p.source_id},
              {"previous_fingerprint", p.previous_fingerprint}};
}

json payload_json(const MovieChanged& p) {
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

json payload_json(const Payload& p) {
  return std::visit([](const auto& x) { return payload_json(x); }, p);
}

std::string encode(const Event& e) {
  // Byte for byte the dump() of the envelope as one JSON object (keys in std::map order,
  // nlohmann's number formatting and escaping), written straight from the typed payload.
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  w.member("cause", e.causation_seq);
  w.member("corr", e.correlation);
  w.next("data");
  std::visit([&](const auto& p) { write_payload(w, p); }, e.data);
  w.member("id", e.id);
  w.member("input", e.causation);
  w.member("schema", e.schema_version);
  w.member("seq", e.sequence);
  w.member("source", e.source);
  w.member("stream", e.stream);
  w.member("time", e.time_ms);
  w.member("type", type_name(e.type));
  w.member("ver", e.version);
  w.end_object();
  return std::move(w.finish_string());
}

StatusOr<Event> decode(std::string_view bytes) {
  // Events of the current schema, nearly all of them, are read straight into their
  // payload; the rest (older schemas to upcast, anything malformed) take this path.
  if (auto e = detail::decode_current(bytes)) return std::move(*e);
  return detail::decode_tree(bytes);
}

StatusOr<Event> detail::decode_tree(std::string_view bytes) {
  json j = json::parse(bytes.begin(), bytes.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return Status::corruption("event is not a JSON object");
  try {
    Event e;
    auto type = type_from_name(j.at("type").get<std::string>());
    if (!type) return Status::corruption("unknown event type " + j.at("type").dump());
    auto schema = json_integer<std::uint32_t>(j.at("schema"));
    if (schema > kCurrentSchemaVersion)
      return Status::corruption("event schema " + std::to_string(schema) + " is newer than " +
                                std::to_string(kCurrentSchemaVersion));
    upcast(j, schema);
    e.type = *type;
    e.schema_version = schema;
    e.sequence = json_integer<std::uint64_t>(j.at("seq"));
    e.stream = j.at("stream").get<std::string>();
    e.version = json_integer<std::uint64_t>(j.at("ver"));
    e.time_ms = json_integer<std::int64_t>(j.at("time"));
    e.source = j.value("source", "");
    e.causation_seq = json_integer(j, "cause", std::uint64_t{0});
    e.causation = j.value("input", "");
    e.correlation = j.value("corr", "");
    e.id = j.value("id", "");
    e.data = payload_from_json(e.type, j.at("data"));
    return e;
  } catch (const json::exception& ex) {
    return Status::corruption(std::string("malformed event: ") + ex.what());
  }
}

json to_json(const Event& e) {
  return json{{"sequence", e.sequence},
              {"stream", e.stream},
              {"version", e.version},
              {"type", type_name(e.type)},
              {"schema_version", e.schema_version},
              {"time", e.time_ms},
              {"time_utc", format_utc(e.time_ms)},
              {"source", e.source},
              {"causation_seq", e.causation_seq},
              {"causation", e.causation},
              {"correlation", e.correlation},
              {"event_id", e.id},
              {"data", payload_json(e.data)}};
}

}  // namespace moviec::events
