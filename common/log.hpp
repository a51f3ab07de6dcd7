#pragma once
// The process's log: one line per event on stderr, through spdlog. An event has a name
// (`http_request`, `ingest_run`, `start`, ...) and fields; the format is chosen once at
// start-up (`--log-format`):
//   json  {"time":"2026-11-26T01:50:00.123Z","level":"info","event":"http_request","method":"GET",...}
//   text  2026-11-26T01:50:00.123Z info http_request method=GET route=/movies status=200 ...
// Times are UTC. Thread-safe; a line is written whole. Library code logs here, never
// to std::cout/std::cerr/caf::aout: stdout is for what a command answers.

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace moviec::log {

enum class Level { debug, info, warn, error };

/// Sets the format ("text" or "json") and the lowest level written ("debug", "info",
/// "warn", "error"). Returns an error message for an unknown value, "" when set.
/// Before any call: text, info.
std::string setup(std::string_view format, std::string_view level);

/// Writes one event when `level` is enabled. `fields` is a JSON object (or null).
void write(Level level, std::string_view event, const nlohmann::ordered_json& fields = nullptr);

inline void debug(std::string_view event, const nlohmann::ordered_json& fields = nullptr) {
  write(Level::debug, event, fields);
}
inline void info(std::string_view event, const nlohmann::ordered_json& fields = nullptr) {
  write(Level::info, event, fields);
}
inline void warn(std::string_view event, const nlohmann::ordered_json& fields = nullptr) {
  write(Level::warn, event, fields);
}
inline void error(std::string_view event, const nlohmann::ordered_json& fields = nullptr) {
  write(Level::error, event, fields);
}

/// True when `level` would be written (skip building fields otherwise).
bool enabled(Level level);

}  // namespace moviec::log
