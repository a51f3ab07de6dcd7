#include "events/event.hpp"

#include <array>

#include "events/coding.hpp"

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

const SourceRecordChanged& source_record_changed(const Event& e) {
  return std::get<SourceRecordChanged>(e.data);
}
const SourceRecordRemoved& source_record_removed(const Event& e) {
  return std::get<SourceRecordRemoved>(e.data);
}
const MovieChanged& movie_changed(const Event& e) { return std::get<MovieChanged>(e.data); }
const SourceRecordUnmatched& source_record_unmatched(const Event& e) {
  return std::get<SourceRecordUnmatched>(e.data);
}
const SourceRecordLinked& source_record_linked(const Event& e) {
  return std::get<SourceRecordLinked>(e.data);
}

EventType type_of(const Payload& p) {
  struct {
    EventType operator()(const MovieChanged&) const { return EventType::movie_changed; }
    EventType operator()(const SourceRecordChanged&) const { return EventType::source_record_changed; }
    EventType operator()(const SourceRecordRemoved&) const { return EventType::source_record_removed; }
    EventType operator()(const SourceRecordUnmatched&) const { return EventType::source_record_unmatched; }
    EventType operator()(const SourceRecordLinked&) const { return EventType::source_record_linked; }
  } visitor;
  return std::visit(visitor, p);
}

bool operator==(const SourceRecordChanged& a, const SourceRecordChanged& b) {
  return payload_json(a) == payload_json(b);
}
bool operator==(const SourceRecordRemoved& a, const SourceRecordRemoved& b) {
  return payload_json(a) == payload_json(b);
}
bool operator==(const MovieChanged& a, const MovieChanged& b) {
  return payload_json(a) == payload_json(b);
}
bool operator==(const SourceRecordUnmatched& a, const SourceRecordUnmatched& b) {
  return payload_json(a) == payload_json(b);
}
bool operator==(const SourceRecordLinked& a, const SourceRecordLinked& b) {
  return payload_json(a) == payload_json(b);
}

void resolve_causation(Event& e, std::uint64_t cause_seq) {
  if (e.causation_seq == 0) e.causation_seq = cause_seq;
  auto* change = std::get_if<MovieChanged>(&e.data);
  if (!change) return;
  for (auto& f : change->fields)
    if (f.caused_by == 0) f.caused_by = cause_seq;
}

}  // namespace moviec::events
