#pragma once
// Event encoding, shared by the writer (store::EventLog) and every reader.
//
// Each event is stored as one UTF-8 JSON object, the value of its log key
// (store/keys.hpp: big-endian u64 sequence). Envelope keys, all always present
// except where noted:
//
//   "seq"      u64     global sequence, gap-free from 1
//   "stream"   string  movie id
//   "ver"      u64     version within the stream, gap-free from 1
//   "type"     string  "SourceRecordChanged" | "SourceRecordRemoved" | "MovieChanged" |
//                      "SourceRecordUnmatched" | "SourceRecordLinked"
//   "schema"   u32     schema version of this event's payload and envelope
//   "time"     i64     Unix milliseconds at creation
//   "source"   string  source name
//   "cause"    u64     sequence of the causing event, 0 = outside input
//   "input"    string  the outside input (file:line, request id); may be ""
//   "corr"     string  correlation id (ingest batch / request); may be ""
//   "id"       string  idempotency key
//   "data"     object  payload, see events/event.hpp
//
// Readers accept any schema version <= kCurrentSchemaVersion and upcast it in
// decode(): an older event is rewritten step by step into the current shape, so
// no code past decode() ever sees an old version. A newer version is an error.

#include <string>
#include <string_view>

#include "common/status.hpp"
#include "events/event.hpp"

namespace moviec::events {

std::string encode(const Event& e);

/// Decodes and upcasts. Corruption (bad JSON, unknown type, future schema) is an error.
StatusOr<Event> decode(std::string_view bytes);

/// A payload's JSON form: the "data" of the stored event and of the HTTP form.
nlohmann::json payload_json(const Payload& p);
nlohmann::json payload_json(const SourceRecordChanged& p);
nlohmann::json payload_json(const SourceRecordRemoved& p);
nlohmann::json payload_json(const MovieChanged& p);
nlohmann::json payload_json(const SourceRecordUnmatched& p);
nlohmann::json payload_json(const SourceRecordLinked& p);

/// The JSON form served over HTTP: the envelope with readable names ("time" in Unix
/// milliseconds and "time_utc" in RFC 3339) and the payload, upcast to the current schema.
nlohmann::json to_json(const Event& e);

}  // namespace moviec::events
