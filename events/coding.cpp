#include "events/coding.hpp"

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

}  // namespace

std::string encode(const Event& e) {
  // Byte for byte the dump() of the envelope as one JSON object (keys in std::map order, the
  // same escaping), without copying the payload into a second JSON tree first.
  auto quoted = [](std::string_view s) { return json(s).dump(); };
  std::string out;
  out.reserve(256);
  out += "{\"cause\":";
  out += std::to_string(e.causation_seq);
  out += ",\"corr\":";
  out += quoted(e.correlation);
  out += ",\"data\":";
  out += e.data.dump();
  out += ",\"id\":";
  out += quoted(e.id);
  out += ",\"input\":";
  out += quoted(e.causation);
  out += ",\"schema\":";
  out += std::to_string(e.schema_version);
  out += ",\"seq\":";
  out += std::to_string(e.sequence);
  out += ",\"source\":";
  out += quoted(e.source);
  out += ",\"stream\":";
  out += quoted(e.stream);
  out += ",\"time\":";
  out += std::to_string(e.time_ms);
  out += ",\"type\":";
  out += quoted(type_name(e.type));
  out += ",\"ver\":";
  out += std::to_string(e.version);
  out += '}';
  return out;
}

StatusOr<Event> decode(std::string_view bytes) {
  json j = json::parse(bytes.begin(), bytes.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return Status::corruption("event is not a JSON object");
  try {
    Event e;
    auto type = type_from_name(j.at("type").get<std::string>());
    if (!type) return Status::corruption("unknown event type " + j.at("type").dump());
    auto schema = j.at("schema").get<std::uint32_t>();
    if (schema > kCurrentSchemaVersion)
      return Status::corruption("event schema " + std::to_string(schema) + " is newer than " +
                                std::to_string(kCurrentSchemaVersion));
    upcast(j, schema);
    e.type = *type;
    e.schema_version = schema;
    e.sequence = j.at("seq").get<std::uint64_t>();
    e.stream = j.at("stream").get<std::string>();
    e.version = j.at("ver").get<std::uint64_t>();
    e.time_ms = j.at("time").get<std::int64_t>();
    e.source = j.value("source", "");
    e.causation_seq = j.value("cause", std::uint64_t{0});
    e.causation = j.value("input", "");
    e.correlation = j.value("corr", "");
    e.id = j.value("id", "");
    e.data = std::move(j.at("data"));
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
              {"data", e.data}};
}

}  // namespace moviec::events
