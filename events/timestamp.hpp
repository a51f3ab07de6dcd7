#pragma once
// Event times as people read and write them: RFC 3339 in UTC. Events store Unix
// milliseconds (Event::time_ms); HTTP answers and `moviec history` show this form,
// and `?as_of=` accepts it.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace moviec::events {

/// "2026-11-24T10:00:00.123Z": UTC, always with milliseconds.
std::string format_utc(std::int64_t unix_ms);

/// Parses "2026-11-24T10:00:00Z", with an optional fraction of a second
/// ("…:00.5Z", up to 9 digits, truncated to milliseconds), an offset instead of "Z"
/// ("…:00+02:00"), a space instead of "T", or a date alone ("2026-11-24" = midnight
/// UTC). Returns Unix milliseconds; nullopt for anything else, including impossible
/// dates (2026-02-30) and years outside 1970..9999.
std::optional<std::int64_t> parse_utc(std::string_view text);

}  // namespace moviec::events
