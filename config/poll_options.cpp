#include "config/poll_options.hpp"

#include "config/checks.hpp"

namespace moviec::config {

using nlohmann::json;
using namespace checks;

namespace {

Status check_url(const std::string& url, const std::string& path) {
  if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0)
    return error(path, fmt::format("\"{}\" is not an http:// or https:// URL", url));
  auto rest = url.substr(url.find("//") + 2);
  if (rest.empty() || rest[0] == '/') return error(path, fmt::format("\"{}\" has no host", url));
  return Status::ok();
}

bool is_iso_date(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (s[i] < '0' || s[i] > '9') return false;
  int month = std::stoi(s.substr(5, 2)), day = std::stoi(s.substr(8, 2));
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

Status get_ms(const json& j, const std::string& path, std::int64_t min, std::chrono::milliseconds& out) {
  std::int64_t v = 0;
  if (auto s = get_int_in(j, path, min, 7LL * 24 * 3600 * 1000, v); !s) return s;
  out = std::chrono::milliseconds(v);
  return Status::ok();
}

}  // namespace

StatusOr<PollOptions> parse_poll_options(const json& j, const std::string& path) {
  PollOptions out;
  if (auto s = expect_type(j, path, j.is_object(), "an object"); !s) return s;
  if (auto s = check_keys(j, path,
                          {"changes_url", "record_url", "start_date", "interval_ms", "timeout_ms",
                           "retries", "backoff_ms", "max_backoff_ms", "headers", "layout"});
      !s)
    return s;
  for (const char* key : {"changes_url", "record_url", "layout"})
    if (!j.contains(key)) return error(child(path, key), "missing (required)");
  if (auto s = get_string(j["changes_url"], child(path, "changes_url"), out.changes_url); !s) return s;
  if (auto s = check_url(out.changes_url, child(path, "changes_url")); !s) return s;
  if (auto s = get_string(j["record_url"], child(path, "record_url"), out.record_url); !s) return s;
  if (auto s = check_url(out.record_url, child(path, "record_url")); !s) return s;
  if (out.record_url.find("{id}") == std::string::npos)
    return error(child(path, "record_url"), fmt::format("\"{}\" has no {{id}}", out.record_url));
  if (j.contains("start_date")) {
    if (auto s = get_string(j["start_date"], child(path, "start_date"), out.start_date); !s) return s;
    if (!is_iso_date(out.start_date))
      return error(child(path, "start_date"),
                   fmt::format("\"{}\" is not a date like 2024-01-31", out.start_date));
  }
  if (j.contains("interval_ms"))
    if (auto s = get_ms(j["interval_ms"], child(path, "interval_ms"), 10, out.interval); !s) return s;
  if (j.contains("timeout_ms"))
    if (auto s = get_ms(j["timeout_ms"], child(path, "timeout_ms"), 1, out.timeout); !s) return s;
  if (j.contains("retries")) {
    std::int64_t v = 0;
    if (auto s = get_int_in(j["retries"], child(path, "retries"), 0, 100, v); !s) return s;
    out.retries = static_cast<int>(v);
  }
  if (j.contains("backoff_ms"))
    if (auto s = get_ms(j["backoff_ms"], child(path, "backoff_ms"), 1, out.backoff); !s) return s;
  if (j.contains("max_backoff_ms"))
    if (auto s = get_ms(j["max_backoff_ms"], child(path, "max_backoff_ms"), 1, out.max_backoff); !s)
      return s;
  if (out.max_backoff < out.backoff)
    return error(child(path, "max_backoff_ms"), "must not be less than backoff_ms");
  if (j.contains("headers")) {
    const auto& h = j["headers"];
    auto hpath = child(path, "headers");
    if (auto s = expect_type(h, hpath, h.is_object(), "an object of strings"); !s) return s;
    for (auto& [name, value] : h.items()) {
      std::string v;
      if (auto s = get_string(value, child(hpath, name), v); !s) return s;
      if (name.empty() || name.find_first_of(":\r\n ") != std::string::npos ||
          v.find_first_of("\r\n") != std::string::npos)
        return error(child(hpath, name), "not a valid HTTP header");
      out.headers[name] = v;
    }
  }
  auto layout = parse_layout(j["layout"], child(path, "layout"), /*records_only=*/true);
  if (!layout) return layout.status();
  out.layout = layout.take();
  return out;
}

}  // namespace moviec::config
