#pragma once
// Events: the only facts moviec stores. An Event is an envelope (where it sits in
// the log, what caused it) around a typed payload whose struct its type defines.
// The on-disk encoding is in events/coding.hpp.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "events/source_record.hpp"

namespace moviec::events {

/// Event types as stored. The numbers are on disk: never change or reuse one.
enum class EventType : std::uint8_t {
  // 0 is reserved for "unknown" so that a zeroed value never decodes as an event.
  source_record_changed = 1,  // a source published a new or changed record
  source_record_removed = 2,  // a record vanished from a full snapshot of its source
  movie_changed = 3,          // the golden record changed: per-field diffs with provenance
  source_record_unmatched = 4,  // the matcher found no movie for a record (kept, with reason)
  source_record_linked = 5,     // a person linked a record to a movie, or said "no match"
};

/// "SourceRecordChanged", ... ; the names used in JSON and over HTTP.
std::string_view type_name(EventType t);
std::optional<EventType> type_from_name(std::string_view name);

/// The schema version written on every new event. Older versions are upcast on read
/// (events/coding.cpp; the history of versions is in docs/storage.md).
///  1: the first.
///  2: MovieChanged says what triggered it ("trigger"): a source record, or a change of
///     the field rules (`moviec reaggregate`), which version 1 could not express.
inline constexpr std::uint32_t kCurrentSchemaVersion = 2;

// --- payloads -----------------------------------------------------------------

struct SourceRecordChanged {
  SourceRecord record;
  std::string fingerprint;           // record.fingerprint()
  std::string previous_fingerprint;  // empty when the source had no record with this id
  std::string match_method;          // how the record found this movie (events/matching.hpp)
  std::optional<double> match_confidence;  // title_year: the winner's score
  nlohmann::json match_candidates;         // title_year: the scored candidates, best first; null otherwise
  std::uint64_t match_basis = 0;     // the earlier event whose decision this follows; 0 = decided now
};

struct SourceRecordRemoved {
  std::string source;
  std::string source_id;
  std::string previous_fingerprint;
};

/// A record the matcher could not place in a movie. Kept whole (nothing is lost)
/// in its source's stream (events/matching.hpp), with why and who came close.
struct SourceRecordUnmatched {
  SourceRecord record;
  std::string fingerprint;
  std::string previous_fingerprint;  // of the record's previous unmatched version, if any
  std::string reason;                // events/matching.hpp: no_title, no_year, no_candidates, ...
  std::string message;               // the reason for people
  nlohmann::json candidates;         // [{movie_id, title, year, confidence, why}], best first
};

/// A person's decision about one record: it belongs to `movie_id`, or (movie_id
/// empty) to no movie at all. In the record's source stream.
struct SourceRecordLinked {
  std::string source;
  std::string source_id;
  std::string movie_id;              // empty = "no match"
  std::string by;                    // who decided
  std::string why;                   // their reason
  std::optional<SourceRecord> record;  // the record's latest version when moviec has it
  std::string fingerprint;           // of `record`
};

/// One field of the golden record that changed, and why it has its new value.
struct FieldChange {
  std::string field;
  nlohmann::json old_value;  // null when the field was empty
  nlohmann::json new_value;  // null when the field is now empty
  std::string source;        // the source whose value won
  std::string rule;          // the strategy that decided, e.g. "source_priority"
  std::uint64_t caused_by = 0;  // sequence of the source event that supplied the value
};

/// Why a movie's golden record was decided again.
inline constexpr const char* kTriggerSourceRecord = "source_record";  // a source record changed
inline constexpr const char* kTriggerRules = "rules";                 // the field rules changed

struct MovieChanged {
  std::uint32_t rules_version = 0;
  std::vector<FieldChange> fields;
  std::string trigger = kTriggerSourceRecord;  // kTriggerSourceRecord or kTriggerRules
  std::uint32_t previous_rules_version = 0;    // trigger "rules": the version decided before
};

/// An event's payload: the struct of its type. Kept typed from the actor that makes
/// the event to the read models it feeds; JSON only on disk (events/coding.hpp) and
/// at the edges (HTTP, `history`).
using Payload = std::variant<MovieChanged, SourceRecordChanged, SourceRecordRemoved,
                             SourceRecordUnmatched, SourceRecordLinked>;

struct Event {
  std::uint64_t sequence = 0;   // global, gap-free, 1-based; assigned by the journal at commit
  std::string stream;           // the movie id whose stream holds this event
  std::uint64_t version = 0;    // position in the stream, 1-based; assigned at commit
  EventType type = EventType::movie_changed;
  std::uint32_t schema_version = kCurrentSchemaVersion;
  std::int64_t time_ms = 0;     // wall clock at creation, Unix milliseconds
  std::string source;           // the source name the event came from ("rules" for re-aggregation)
  std::uint64_t causation_seq = 0;  // the event that caused this one; 0 = caused by outside input
  std::string causation;        // the outside input: "title.basics.tsv:42", a request id, ...
  std::string correlation;      // the ingest batch or request this belongs to
  std::string id;               // idempotency key: appending the same id twice writes once
  Payload data;                 // the payload: the alternative of `type`
};

/// The payload for an event of p's type.
inline Payload to_data(MovieChanged p) { return p; }
inline Payload to_data(SourceRecordChanged p) { return p; }
inline Payload to_data(SourceRecordRemoved p) { return p; }
inline Payload to_data(SourceRecordUnmatched p) { return p; }
inline Payload to_data(SourceRecordLinked p) { return p; }
/// The event type whose payload `p` is.
EventType type_of(const Payload& p);
/// The payload of an event of that type (std::bad_variant_access for another type).
const SourceRecordChanged& source_record_changed(const Event& e);
const SourceRecordRemoved& source_record_removed(const Event& e);
const MovieChanged& movie_changed(const Event& e);
const SourceRecordUnmatched& source_record_unmatched(const Event& e);
const SourceRecordLinked& source_record_linked(const Event& e);

// Equal when their JSON forms are (tests compare decoded events this way).
bool operator==(const SourceRecordChanged& a, const SourceRecordChanged& b);
bool operator==(const SourceRecordRemoved& a, const SourceRecordRemoved& b);
bool operator==(const MovieChanged& a, const MovieChanged& b);
bool operator==(const SourceRecordUnmatched& a, const SourceRecordUnmatched& b);
bool operator==(const SourceRecordLinked& a, const SourceRecordLinked& b);

/// Called by the journal once `e` has its place: an event that was built before its
/// cause had a sequence (caused_by 0 in its payload) now names `cause_seq`.
void resolve_causation(Event& e, std::uint64_t cause_seq);

}  // namespace moviec::events
