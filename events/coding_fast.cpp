#include "events/coding_fast.hpp"

#include <cstdint>
#include <limits>
#include <string>

#include <simdjson.h>

#include "events/coding.hpp"

namespace moviec::events::detail {

namespace {

using nlohmann::json;
using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::element_type;
using simdjson::dom::object;

// Each reader below accepts exactly the JSON type the nlohmann path takes without
// converting; anything else (a null, a number where a string belongs, a float where
// an integer belongs) abandons the fast path, and decode() decides on its own path.
struct Unusual {};

std::string_view text(element e) {
  std::string_view s;
  if (e.get_string().get(s)) throw Unusual{};
  return s;
}
std::string string_of(element e) { return std::string(text(e)); }
std::uint64_t u64(element e) {
  std::uint64_t v;
  if (e.get_uint64().get(v)) throw Unusual{};
  return v;
}
std::int64_t i64(element e) {
  std::int64_t v;
  if (e.get_int64().get(v)) throw Unusual{};
  return v;
}
std::uint32_t u32(element e) {
  auto v = u64(e);
  if (v > std::numeric_limits<std::uint32_t>::max()) throw Unusual{};
  return static_cast<std::uint32_t>(v);
}
int i32(element e) {
  auto v = i64(e);
  if (v < std::numeric_limits<int>::min() || v > std::numeric_limits<int>::max()) throw Unusual{};
  return static_cast<int>(v);
}
double number(element e) {
  double v;
  if (e.get_double().get(v)) throw Unusual{};
  return v;
}
bool boolean(element e) {
  bool v;
  if (e.get_bool().get(v)) throw Unusual{};
  return v;
}
object object_of(element e) {
  object o;
  if (e.get_object().get(o)) throw Unusual{};
  return o;
}
array array_of(element e) {
  array a;
  if (e.get_array().get(a)) throw Unusual{};
  return a;
}

/// Any JSON value as nlohmann's parser would build it (a non-negative integer is
/// unsigned there; a later duplicate key wins).
json any(element e) {
  switch (e.type()) {
    case element_type::ARRAY: {
      json out = json::array();
      for (element x : array_of(e)) out.push_back(any(x));
      return out;
    }
    case element_type::OBJECT: {
      json out = json::object();
      for (auto field : object_of(e)) out[std::string(field.key)] = any(field.value);
      return out;
    }
    case element_type::INT64: {
      auto v = i64(e);
      return v >= 0 ? json(static_cast<std::uint64_t>(v)) : json(v);
    }
    case element_type::UINT64: return json(u64(e));
    case element_type::DOUBLE: return json(number(e));
    case element_type::STRING: return json(string_of(e));
    case element_type::BOOL: return json(boolean(e));
    case element_type::NULL_VALUE: return json(nullptr);
  }
  throw Unusual{};
}

std::vector<std::string> strings(element e) {
  std::vector<std::string> out;
  for (element x : array_of(e)) out.push_back(string_of(x));
  return out;
}

std::map<std::string, std::string> string_map(element e) {
  std::map<std::string, std::string> out;
  for (auto field : object_of(e)) out[std::string(field.key)] = string_of(field.value);
  return out;
}

/// A record's metadata: strings, and numbers (kept as number_text, their keys in
/// metadata_numbers) as events::from_json reads them.
void metadata(element e, SourceRecord& r) {
  for (auto field : object_of(e)) {
    std::string key(field.key);
    auto& value = r.metadata[key];
    switch (field.value.type()) {
      case element_type::STRING:
        value = string_of(field.value);
        r.metadata_numbers.erase(key);  // a later duplicate key wins
        continue;
      case element_type::INT64: value = std::to_string(i64(field.value)); break;
      case element_type::UINT64: value = std::to_string(u64(field.value)); break;
      case element_type::DOUBLE: value = number_text(number(field.value)); break;
      default: throw Unusual{};
    }
    r.metadata_numbers.insert(std::move(key));
  }
}

Rating rating(element e) {
  Rating r;
  for (auto [key, v] : object_of(e)) {
    if (key == "name") r.name = string_of(v);
    else if (key == "value") r.value = number(v);
    else if (key == "scale_min") r.scale_min = number(v);
    else if (key == "scale_max") r.scale_max = number(v);
    else if (key == "votes") r.votes = i64(v);
    else if (key == "normalized") r.normalized = number(v);
  }
  return r;
}

LocalizedName localized_name(element e) {
  LocalizedName n;
  for (auto [key, v] : object_of(e)) {
    if (key == "title") n.title = string_of(v);
    else if (key == "region") n.region = string_of(v);
    else if (key == "language") n.language = string_of(v);
    else if (key == "is_original") n.is_original = boolean(v);
  }
  return n;
}

/// events::from_json(json, SourceRecord&), member for member.
SourceRecord record(element e) {
  SourceRecord r;
  auto optional_number = [](element v, std::optional<double>& out) {
    if (v.is_null()) out.reset();
    else out = number(v);
  };
  auto optional_int = [](element v, std::optional<int>& out) {
    if (v.is_null()) out.reset();
    else out = i32(v);
  };
  for (auto [key, v] : object_of(e)) {
    if (key == "source") r.source = string_of(v);
    else if (key == "source_id") r.source_id = string_of(v);
    else if (key == "movie_id") r.movie_id = string_of(v);
    else if (key == "title") r.title = string_of(v);
    else if (key == "country_of_origin") r.country_of_origin = string_of(v);
    else if (key == "source_ratings") {
      r.source_ratings.clear();
      for (element x : array_of(v)) r.source_ratings.push_back(rating(x));
    } else if (key == "registration_date") r.registration_date = string_of(v);
    else if (key == "names") {
      r.names.clear();
      for (element x : array_of(v)) r.names.push_back(localized_name(x));
    } else if (key == "genres") r.genres = strings(v);
    else if (key == "crating_performance") optional_number(v, r.crating_performance);
    else if (key == "crating_soundtrack") optional_number(v, r.crating_soundtrack);
    else if (key == "crating_screenplay") optional_number(v, r.crating_screenplay);
    else if (key == "year") optional_int(v, r.year);
    else if (key == "runtime_minutes") optional_int(v, r.runtime_minutes);
    else if (key == "external_ids") r.external_ids = string_map(v);
    else if (key == "metadata") metadata(v, r);
    else if (key == "posters") r.posters = strings(v);
    else if (key == "trailers") r.trailers = strings(v);
  }
  return r;
}

// The payloads, as payload_from_json in events/coding.cpp reads them.

SourceRecordChanged record_changed(object d) {
  SourceRecordChanged p;
  bool has_record = false;
  for (auto [key, v] : d) {
    if (key == "record") p.record = record(v), has_record = true;
    else if (key == "fingerprint") p.fingerprint = string_of(v);
    else if (key == "previous_fingerprint") p.previous_fingerprint = string_of(v);
    else if (key == "match_method") p.match_method = string_of(v);
    else if (key == "match_confidence") {
      if (v.is_number()) p.match_confidence = number(v);
      else p.match_confidence.reset();
    } else if (key == "match_candidates") p.match_candidates = any(v);
    else if (key == "match_basis") p.match_basis = u64(v);
  }
  if (!has_record) throw Unusual{};
  return p;
}

SourceRecordUnmatched record_unmatched(object d) {
  SourceRecordUnmatched p;
  p.candidates = json::array();
  bool has_record = false;
  for (auto [key, v] : d) {
    if (key == "record") p.record = record(v), has_record = true;
    else if (key == "fingerprint") p.fingerprint = string_of(v);
    else if (key == "previous_fingerprint") p.previous_fingerprint = string_of(v);
    else if (key == "reason") p.reason = string_of(v);
    else if (key == "message") p.message = string_of(v);
    else if (key == "candidates") p.candidates = any(v);
  }
  if (!has_record) throw Unusual{};
  return p;
}

SourceRecordLinked record_linked(object d) {
  SourceRecordLinked p;
  for (auto [key, v] : d) {
    if (key == "source") p.source = string_of(v);
    else if (key == "source_id") p.source_id = string_of(v);
    else if (key == "movie_id") p.movie_id = string_of(v);
    else if (key == "by") p.by = string_of(v);
    else if (key == "why") p.why = string_of(v);
    else if (key == "record") {
      if (v.is_object()) p.record = record(v);
      else p.record.reset();
    } else if (key == "fingerprint") p.fingerprint = string_of(v);
  }
  return p;
}

SourceRecordRemoved record_removed(object d) {
  SourceRecordRemoved p;
  for (auto [key, v] : d) {
    if (key == "source") p.source = string_of(v);
    else if (key == "source_id") p.source_id = string_of(v);
    else if (key == "previous_fingerprint") p.previous_fingerprint = string_of(v);
  }
  return p;
}

FieldChange field_change(element e) {
  FieldChange f;
  for (auto [key, v] : object_of(e)) {
    if (key == "field") f.field = string_of(v);
    else if (key == "old") f.old_value = any(v);
    else if (key == "new") f.new_value = any(v);
    else if (key == "source") f.source = string_of(v);
    else if (key == "rule") f.rule = string_of(v);
    else if (key == "caused_by") f.caused_by = u64(v);
  }
  return f;
}

MovieChanged movie_changed(object d) {
  MovieChanged p;
  for (auto [key, v] : d) {
    if (key == "rules_version") p.rules_version = u32(v);
    else if (key == "trigger") p.trigger = string_of(v);
    else if (key == "previous_rules_version") p.previous_rules_version = u32(v);
    else if (key == "fields") {
      p.fields.clear();
      if (!v.is_array()) continue;
      for (element f : array_of(v)) p.fields.push_back(field_change(f));
    }
  }
  return p;
}

Payload payload(EventType type, element data) {
  auto d = object_of(data);
  switch (type) {
    case EventType::source_record_changed: return record_changed(d);
    case EventType::source_record_removed: return record_removed(d);
    case EventType::movie_changed: return movie_changed(d);
    case EventType::source_record_unmatched: return record_unmatched(d);
    case EventType::source_record_linked: return record_linked(d);
  }
  throw Unusual{};
}

}  // namespace

std::optional<Event> decode_current(std::string_view bytes) {
  // simdjson takes a control character inside a string as it is; nlohmann's parser
  // (and JSON) refuse it, and the writer never leaves one unescaped.
  for (unsigned char c : bytes)
    if (c < 0x20) return std::nullopt;
  // One parser per thread, its buffers reused from event to event.
  thread_local simdjson::dom::parser parser;
  element root;
  if (parser.parse(bytes.data(), bytes.size()).get(root)) return std::nullopt;
  try {
    Event e;
    std::optional<EventType> type;
    element data;
    // The members decode() requires.
    bool has_schema = false, has_seq = false, has_stream = false, has_ver = false,
         has_time = false, has_data = false;
    for (auto [key, v] : object_of(root)) {
      if (key == "type") {
        type = type_from_name(text(v));
        if (!type) return std::nullopt;
      } else if (key == "schema") {
        e.schema_version = u32(v), has_schema = true;
      } else if (key == "seq") e.sequence = u64(v), has_seq = true;
      else if (key == "stream") e.stream = string_of(v), has_stream = true;
      else if (key == "ver") e.version = u64(v), has_ver = true;
      else if (key == "time") e.time_ms = i64(v), has_time = true;
      else if (key == "source") e.source = string_of(v);
      else if (key == "cause") e.causation_seq = u64(v);
      else if (key == "input") e.causation = string_of(v);
      else if (key == "corr") e.correlation = string_of(v);
      else if (key == "id") e.id = string_of(v);
      else if (key == "data") data = v, has_data = true;
    }
    if (!type || !has_schema || !has_seq || !has_stream || !has_ver || !has_time || !has_data ||
        e.schema_version != kCurrentSchemaVersion)
      return std::nullopt;
    e.type = *type;
    e.data = payload(*type, data);
    return e;
  } catch (const Unusual&) {
    return std::nullopt;
  }
}

}  // namespace moviec::events::detail
