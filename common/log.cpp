#include "common/log.hpp"

#include <atomic>
#include <memory>
#include <mutex>

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace moviec::log {

namespace {

using nlohmann::json;
using nlohmann::ordered_json;

std::atomic<bool> g_json{false};

/// One logger for the process, writing unbuffered to stderr. Never destroyed: a
/// thread still logging while the process exits finds it alive.
spdlog::logger& logger() {
  static auto* l = new std::shared_ptr<spdlog::logger>([] {
    auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
    auto made = std::make_shared<spdlog::logger>("moviec", sink);
    made->set_formatter(std::make_unique<spdlog::pattern_formatter>(
        "%Y-%m-%dT%H:%M:%S.%eZ %l %v", spdlog::pattern_time_type::utc));
    made->set_level(spdlog::level::info);
    made->flush_on(spdlog::level::trace);
    return made;
  }());
  return **l;
}

spdlog::level::level_enum to_spdlog(Level level) {
  switch (level) {
    case Level::debug: return spdlog::level::debug;
    case Level::info: return spdlog::level::info;
    case Level::warn: return spdlog::level::warn;
    case Level::error: return spdlog::level::err;
  }
  return spdlog::level::info;
}

template <class J>
std::string dump(const J& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

/// A text value: bare when it is a plain word, JSON otherwise (quoted, escaped).
std::string text_value(const ordered_json& v) {
  if (v.is_string()) {
    const auto& s = v.get_ref<const std::string&>();
    bool plain = !s.empty();
    for (unsigned char c : s)
      if (c <= ' ' || c == '"' || c == '=' || c == '\\' || c >= 0x7f) plain = false;
    if (plain) return s;
  }
  return dump(v);
}

}  // namespace

std::string setup(std::string_view format, std::string_view level) {
  if (format != "text" && format != "json")
    return "log format must be text or json, got \"" + std::string(format) + "\"";
  spdlog::level::level_enum lvl;
  if (level == "debug") lvl = spdlog::level::debug;
  else if (level == "info") lvl = spdlog::level::info;
  else if (level == "warn") lvl = spdlog::level::warn;
  else if (level == "error") lvl = spdlog::level::err;
  else return "log level must be debug, info, warn or error, got \"" + std::string(level) + "\"";
  g_json = format == "json";
  // The JSON line is built whole in write(); spdlog adds time and level around it.
  logger().set_formatter(std::make_unique<spdlog::pattern_formatter>(
      g_json ? R"({"time":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l",%v})" : "%Y-%m-%dT%H:%M:%S.%eZ %l %v",
      spdlog::pattern_time_type::utc));
  logger().set_level(lvl);
  return "";
}

bool enabled(Level level) { return logger().should_log(to_spdlog(level)); }

void write(Level level, std::string_view event, const ordered_json& fields) {
  auto lvl = to_spdlog(level);
  auto& l = logger();
  if (!l.should_log(lvl)) return;
  std::string line;
  if (g_json) {
    line = "\"event\":" + dump(json(event));
    if (fields.is_object())
      for (auto& [key, value] : fields.items()) line += "," + dump(json(key)) + ":" + dump(value);
  } else {
    line = std::string(event);
    if (fields.is_object())
      for (auto& [key, value] : fields.items()) line += " " + key + "=" + text_value(value);
  }
  l.log(lvl, "{}", line);
}

}  // namespace moviec::log
