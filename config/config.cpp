#include "config/config.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>
#include <string_view>

#include <fmt/format.h>

#include "config/checks.hpp"
#include "config/layout.hpp"
#include "config/poll_options.hpp"

namespace moviec::config {

using nlohmann::json;

using namespace checks;

namespace {

// Formats a reader exists for; sources::open_reader dispatches on the same names.
const std::vector<std::string>& known_formats() {
  static const std::vector<std::string> formats{"imdb_tsv",  "movielens_csv", "rotten_tomatoes_csv",
                                                "vega_json", "layout",        "http_changes"};
  return formats;
}

// Per format, the keys its "options" object may hold.
const std::vector<std::string>& known_options(const std::string& format) {
  static const std::vector<std::string> imdb{"max_rejects_per_file", "max_unsorted_bytes",
                                                 "sort_memory_bytes"};
  static const std::vector<std::string> movielens{"max_rejects_per_file"};
  static const std::vector<std::string> rotten_tomatoes{"max_rejects_per_file", "zero_means_missing"};
  static const std::vector<std::string> none;
  if (format == "imdb_tsv") return imdb;
  if (format == "movielens_csv") return movielens;
  if (format == "rotten_tomatoes_csv") return rotten_tomatoes;
  return none;
}

bool is_source_name(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
         });
}

// A whole number >= 1 (counts, sizes and durations where zero makes no sense).
Status get_positive(const json& j, const std::string& path, std::uint64_t max,
                    std::uint64_t& out) {
  if (auto s = expect_type(j, path, j.is_number_integer(), "a whole number"); !s) return s;
  if (j.is_number_unsigned()) {
    out = j.get<std::uint64_t>();
  } else {
    auto v = j.get<std::int64_t>();
    if (v < 1) return error(path, fmt::format("must be at least 1, got {}", v));
    out = static_cast<std::uint64_t>(v);
  }
  if (out < 1) return error(path, "must be at least 1, got 0");
  if (out > max) return error(path, fmt::format("must be at most {}, got {}", max, out));
  return Status::ok();
}

Status get_size(const json& j, const std::string& path, std::size_t& out) {
  std::uint64_t v = 0;
  if (auto s = get_positive(j, path, std::numeric_limits<std::int64_t>::max(), v); !s) return s;
  out = static_cast<std::size_t>(v);
  return Status::ok();
}

// A number >= 0 (trust, weights).
Status get_non_negative(const json& j, const std::string& path, double& out) {
  if (auto s = expect_type(j, path, j.is_number(), "a number"); !s) return s;
  out = j.get<double>();
  if (out < 0) return error(path, fmt::format("must not be negative, got {}", out));
  return Status::ok();
}

Status check_listen(const std::string& listen, const std::string& path) {
  auto bad = [&](const std::string& why) {
    return error(path, fmt::format("\"{}\" is not host:port ({})", listen, why));
  };
  auto colon = listen.rfind(':');
  if (colon == std::string::npos) return bad("no port");
  std::string host = listen.substr(0, colon);
  std::string port = listen.substr(colon + 1);
  if (host.empty()) return bad("empty host");
  if (host.find_first_of(" \t\r\n/") != std::string::npos) return bad("bad host");
  if (host.find(':') != std::string::npos &&
      (host.size() < 3 || host.front() != '[' || host.back() != ']'))
    return bad("an IPv6 host needs [brackets]");
  if (port.empty() || port.size() > 5 ||
      !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return bad("port must be a number");
  auto number = std::stoul(port);
  if (number < 1 || number > 65535) return bad("port must be 1-65535");
  return Status::ok();
}

Status parse_options(const json& j, const std::string& path, const std::string& format,
                     json& out) {
  if (auto s = expect_type(j, path, j.is_object(), "an object"); !s) return s;
  // Formats described by their options as a whole (config/layout.hpp, poll_options.hpp).
  if (format == "layout" || format == "http_changes") {
    auto checked = format == "layout" ? parse_layout(j, path).status()
                                      : parse_poll_options(j, path).status();
    if (!checked) return checked;
    out = j;
    return Status::ok();
  }
  const auto& allowed = known_options(format);
  for (auto& [key, value] : j.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
      return error(child(path, key),
                   allowed.empty()
                       ? fmt::format("unknown key (format \"{}\" takes no options)", format)
                       : fmt::format("unknown key (expected one of {})", join_quoted(allowed)));
    if (key == "max_rejects_per_file" || key == "max_unsorted_bytes" || key == "sort_memory_bytes") {
      std::uint64_t v = 0;
      if (auto s = get_positive(value, child(path, key),
                                std::numeric_limits<std::int64_t>::max(), v);
          !s)
        return s;
    }
    if (key == "zero_means_missing") {
      // Column names; the reader checks that its format has them.
      bool names = value.is_array() && std::all_of(value.begin(), value.end(),
                                                   [](const json& v) { return v.is_string(); });
      if (auto s = expect_type(value, child(path, key), names, "an array of column names"); !s)
        return s;
    }
  }
  out = j;
  return Status::ok();
}

Status parse_source(const json& j, const std::string& path, SourceConfig& out) {
  if (auto s = expect_type(j, path, j.is_object(), "an object"); !s) return s;
  if (auto s = check_keys(j, path, {"name", "format", "removals", "options", "inbox", "inbox_marker"});
      !s)
    return s;
  if (!j.contains("name")) return error(child(path, "name"), "missing (required)");
  if (!j.contains("format")) return error(child(path, "format"), "missing (required)");
  if (auto s = get_string(j["name"], child(path, "name"), out.name); !s) return s;
  if (!is_source_name(out.name))
    return error(child(path, "name"),
                 fmt::format("\"{}\" is not a source name (use a-z, 0-9 and _)", out.name));
  if (auto s = get_string(j["format"], child(path, "format"), out.format); !s) return s;
  const auto& formats = known_formats();
  if (std::find(formats.begin(), formats.end(), out.format) == formats.end())
    return error(child(path, "format"), fmt::format("unknown format \"{}\" (expected one of {})",
                                                    out.format, join_quoted(formats)));
  if (j.contains("removals"))
    if (auto s = get_bool(j["removals"], child(path, "removals"), out.removals); !s) return s;
  if (j.contains("options")) {
    if (auto s = parse_options(j["options"], child(path, "options"), out.format, out.options); !s)
      return s;
  } else if (out.format == "layout" || out.format == "http_changes") {
    return error(child(path, "options"),
                 fmt::format("missing (format \"{}\" is described by its options)", out.format));
  }
  if (j.contains("inbox")) {
    if (auto s = get_string(j["inbox"], child(path, "inbox"), out.inbox); !s) return s;
    if (!out.inbox.empty() && out.format == "http_changes")
      return error(child(path, "inbox"), "an http_changes source is polled and has no inbox");
  }
  if (j.contains("inbox_marker"))
    if (auto s = get_bool(j["inbox_marker"], child(path, "inbox_marker"), out.inbox_marker); !s)
      return s;
  return Status::ok();
}

Status parse_sources(const json& j, const std::string& path, std::vector<SourceConfig>& out) {
  if (auto s = expect_type(j, path, j.is_array(), "an array"); !s) return s;
  std::vector<SourceConfig> sources;
  for (std::size_t i = 0; i < j.size(); ++i) {
    SourceConfig source;
    if (auto s = parse_source(j[i], element(path, i), source); !s) return s;
    for (auto& earlier : sources)
      if (earlier.name == source.name)
        return error(child(element(path, i), "name"),
                     fmt::format("duplicate source name \"{}\"", source.name));
    sources.push_back(std::move(source));
  }
  out = std::move(sources);
  return Status::ok();
}

// An object mapping source names to non-negative numbers ("trust", "weights").
Status parse_source_numbers(const json& j, const std::string& path,
                            std::map<std::string, double>& out) {
  if (auto s = expect_type(j, path, j.is_object(), "an object"); !s) return s;
  std::map<std::string, double> values;
  for (auto& [key, value] : j.items()) {
    if (!is_source_name(key))
      return error(child(path, key),
                   fmt::format("\"{}\" is not a source name (use a-z, 0-9 and _)", key));
    if (auto s = get_non_negative(value, child(path, key), values[key]); !s) return s;
  }
  out = std::move(values);
  return Status::ok();
}

Status parse_rule(const json& j, const std::string& path, events::FieldRule& out) {
  if (auto s = expect_type(j, path, j.is_object(), "an object"); !s) return s;
  if (auto s = check_keys(j, path, {"strategy", "priority", "on_empty", "weights"}); !s) return s;
  if (!j.contains("strategy")) return error(child(path, "strategy"), "missing (required)");
  std::string name;
  if (auto s = get_string(j["strategy"], child(path, "strategy"), name); !s) return s;
  auto strategy = events::strategy_from_name(name);
  if (!strategy) {
    std::vector<std::string> names;
    for (auto s : {events::Strategy::source_priority, events::Strategy::highest_trust,
                   events::Strategy::most_recent, events::Strategy::union_lists,
                   events::Strategy::per_source, events::Strategy::weighted_mean})
      names.emplace_back(events::strategy_name(s));
    return error(child(path, "strategy"),
                 fmt::format("unknown strategy \"{}\" (expected one of {})", name,
                             join_quoted(names)));
  }
  out.strategy = *strategy;
  if (j.contains("priority")) {
    const auto& p = j["priority"];
    auto ppath = child(path, "priority");
    if (auto s = expect_type(p, ppath, p.is_array(), "an array of source names"); !s) return s;
    out.priority.clear();
    for (std::size_t i = 0; i < p.size(); ++i) {
      std::string source;
      if (auto s = get_string(p[i], element(ppath, i), source); !s) return s;
      if (!is_source_name(source))
        return error(element(ppath, i),
                     fmt::format("\"{}\" is not a source name (use a-z, 0-9 and _)", source));
      if (std::find(out.priority.begin(), out.priority.end(), source) != out.priority.end())
        return error(element(ppath, i), fmt::format("duplicate source \"{}\"", source));
      out.priority.push_back(std::move(source));
    }
  }
  if (j.contains("on_empty")) {
    std::string on_empty;
    if (auto s = get_string(j["on_empty"], child(path, "on_empty"), on_empty); !s) return s;
    if (on_empty == "keep") out.on_empty = events::OnEmpty::keep;
    else if (on_empty == "clear") out.on_empty = events::OnEmpty::clear;
    else
      return error(child(path, "on_empty"),
                   fmt::format("unknown value \"{}\" (expected \"keep\" or \"clear\")", on_empty));
  }
  if (j.contains("weights"))
    if (auto s = parse_source_numbers(j["weights"], child(path, "weights"), out.weights); !s)
      return s;
  return Status::ok();
}

Status parse_rules(const json& j, const std::string& path, events::FieldRules& out) {
  if (auto s = expect_type(j, path, j.is_object(), "an object"); !s) return s;
  if (auto s = check_keys(j, path, {"version", "trust", "fields"}); !s) return s;
  if (j.contains("version")) {
    std::uint64_t v = 0;
    if (auto s = get_positive(j["version"], child(path, "version"),
                              std::numeric_limits<std::uint32_t>::max(), v);
        !s)
      return s;
    out.version = static_cast<std::uint32_t>(v);
  }
  if (j.contains("trust"))
    if (auto s = parse_source_numbers(j["trust"], child(path, "trust"), out.trust); !s) return s;
  if (j.contains("fields")) {
    const auto& fields = j["fields"];
    auto fpath = child(path, "fields");
    if (auto s = expect_type(fields, fpath, fields.is_object(), "an object"); !s) return s;
    const auto& golden = events::golden_fields();
    for (auto& [field, rule_json] : fields.items()) {
      if (std::find(golden.begin(), golden.end(), field) == golden.end())
        return error(child(fpath, field),
                     fmt::format("unknown field (expected one of {})", join_quoted(golden)));
      // A rule in the file replaces the default rule for its field as a whole.
      events::FieldRule rule;
      rule.field = field;
      if (auto s = parse_rule(rule_json, child(fpath, field), rule); !s) return s;
      auto it = std::find_if(out.rules.begin(), out.rules.end(),
                             [&](const events::FieldRule& r) { return r.field == rule.field; });
      if (it != out.rules.end()) *it = std::move(rule);
      else out.rules.push_back(std::move(rule));
    }
  }
  return Status::ok();
}

// A number from 0 to 1 (confidences).
Status get_fraction(const json& j, const std::string& path, double& out) {
  if (auto s = expect_type(j, path, j.is_number(), "a number"); !s) return s;
  out = j.get<double>();
  if (out < 0 || out > 1) return error(path, fmt::format("must be from 0 to 1, got {}", out));
  return Status::ok();
}

Status parse_matching(const json& j, const std::string& path, MatchingConfig& out) {
  if (auto s = expect_type(j, path, j.is_object(), "an object"); !s) return s;
  if (j.contains("min_margin"))
    return error(child(path, "min_margin"),
                 "replaced by \"min_margin_bits\": the margin is in bits of match weight now (docs/config.md)");
  if (auto s = check_keys(j, path, {"min_confidence", "min_margin_bits", "year_window", "max_candidates",
                                    "several_per_movie", "threads"});
      !s)
    return s;
  if (j.contains("min_confidence"))
    if (auto s = get_fraction(j["min_confidence"], child(path, "min_confidence"), out.min_confidence); !s)
      return s;
  if (j.contains("min_margin_bits")) {
    if (auto s = checks::get_number(j["min_margin_bits"], child(path, "min_margin_bits"), out.min_margin_bits); !s)
      return s;
    if (out.min_margin_bits < 0 || out.min_margin_bits > 30)
      return error(child(path, "min_margin_bits"), fmt::format("must be from 0 to 30, got {}", out.min_margin_bits));
  }
  if (j.contains("year_window")) {
    std::int64_t window = 0;
    if (auto s = checks::get_int_in(j["year_window"], child(path, "year_window"), 0, 3, window); !s) return s;
    out.year_window = static_cast<int>(window);
  }
  if (j.contains("several_per_movie")) {  // an array of source names, maybe empty
    const auto& names = j["several_per_movie"];
    auto npath = child(path, "several_per_movie");
    if (!names.is_array()) return error(npath, fmt::format("expected an array of source names, got {}", names.dump()));
    out.several_per_movie.clear();
    if (!names.empty())
      if (auto s = checks::get_names(names, npath, out.several_per_movie); !s) return s;
  }
  if (j.contains("max_candidates"))
    if (auto s = get_size(j["max_candidates"], child(path, "max_candidates"), out.max_candidates); !s)
      return s;
  if (j.contains("threads")) {
    std::int64_t threads = 0;
    if (auto s = checks::get_int_in(j["threads"], child(path, "threads"), 0, 64, threads); !s) return s;
    out.threads = static_cast<std::size_t>(threads);
  }
  return Status::ok();
}

}  // namespace

const SourceConfig* Config::find_source(const std::string& name) const {
  for (auto& s : sources)
    if (s.name == name) return &s;
  return nullptr;
}

Config Config::defaults() {
  Config c;
  for (auto [name, format] : {std::pair{"imdb", "imdb_tsv"}, {"movielens", "movielens_csv"},
                              {"rotten_tomatoes", "rotten_tomatoes_csv"}}) {
    SourceConfig source;
    source.name = name;
    source.format = format;
    c.sources.push_back(std::move(source));
  }
  c.rules = events::FieldRules::defaults();
  return c;
}

StatusOr<Config> parse(const json& j) {
  Config c = Config::defaults();
  if (auto s = expect_type(j, "", j.is_object(), "an object"); !s) return s;
  if (auto s = check_keys(j, "",
                          {"data_dir", "listen", "token", "max_in_flight", "max_projection_lag", "interactive_projection_lag", "max_live_movies",
                           "movie_idle_timeout_ms", "snapshot_every", "snapshots_kept",
                           "journal_max_batch", "sync_writes", "metrics", "inbox_scan_ms", "inbox_checkpoint_every", "sources", "matching",
                           "http_workers", "http_max_connections", "http_max_body_bytes", "http_header_timeout_ms",
                           "http_body_timeout_ms", "storage", "assets_max_bytes",
                           "rules"});
      !s)
    return s;
  if (j.contains("data_dir")) {
    if (auto s = get_string(j["data_dir"], "data_dir", c.data_dir); !s) return s;
    if (c.data_dir.empty()) return error("data_dir", "must not be empty");
  }
  if (j.contains("listen")) {
    if (auto s = get_string(j["listen"], "listen", c.listen); !s) return s;
    if (auto s = check_listen(c.listen, "listen"); !s) return s;
  }
  if (j.contains("token"))
    if (auto s = get_string(j["token"], "token", c.token); !s) return s;
  struct SizeKey {
    const char* key;
    std::size_t* value;
  };
  for (auto [key, value] : {SizeKey{"max_in_flight", &c.max_in_flight},
                            SizeKey{"max_projection_lag", &c.max_projection_lag},
                            SizeKey{"interactive_projection_lag", &c.interactive_projection_lag},
                            SizeKey{"max_live_movies", &c.max_live_movies},
                            SizeKey{"snapshot_every", &c.snapshot_every},
                            SizeKey{"snapshots_kept", &c.snapshots_kept},
                            SizeKey{"journal_max_batch", &c.journal_max_batch},
                            SizeKey{"inbox_checkpoint_every", &c.inbox_checkpoint_every},
                            SizeKey{"http_workers", &c.http_workers},
                            SizeKey{"http_max_connections", &c.http_max_connections},
                            SizeKey{"http_max_body_bytes", &c.http_max_body_bytes},
                            SizeKey{"assets_max_bytes", &c.assets_max_bytes}})
    if (j.contains(key))
      if (auto s = get_size(j[key], key, *value); !s) return s;
  if (c.http_max_connections < c.http_workers)
    return error("http_max_connections", "must be at least http_workers (" + std::to_string(c.http_workers) + ")");
  for (auto [key, value] : {std::pair<const char*, std::chrono::milliseconds*>{"http_header_timeout_ms", &c.http_header_timeout},
                            {"http_body_timeout_ms", &c.http_body_timeout}})
    if (j.contains(key)) {
      std::size_t ms = 0;
      if (auto s = get_size(j[key], key, ms); !s) return s;
      *value = std::chrono::milliseconds(static_cast<std::int64_t>(ms));
    }
  if (j.contains("movie_idle_timeout_ms")) {
    std::size_t ms = 0;
    if (auto s = get_size(j["movie_idle_timeout_ms"], "movie_idle_timeout_ms", ms); !s) return s;
    c.movie_idle_timeout = std::chrono::milliseconds(static_cast<std::int64_t>(ms));
  }
  if (j.contains("sync_writes"))
    if (auto s = get_bool(j["sync_writes"], "sync_writes", c.sync_writes); !s) return s;
  if (j.contains("metrics"))
    if (auto s = get_bool(j["metrics"], "metrics", c.metrics); !s) return s;
  if (j.contains("inbox_scan_ms")) {
    std::size_t ms = 0;
    if (auto s = get_size(j["inbox_scan_ms"], "inbox_scan_ms", ms); !s) return s;
    c.inbox_scan = std::chrono::milliseconds(static_cast<std::int64_t>(ms));
  }
  if (j.contains("storage")) {
    const auto& storage = j["storage"];
    if (auto s = expect_type(storage, "storage", storage.is_object(), "an object"); !s) return s;
    if (auto s = check_keys(storage, "storage", {"min_free_bytes", "block_cache_bytes"}); !s) return s;
    if (storage.contains("min_free_bytes")) {
      const auto& v = storage["min_free_bytes"];
      if (auto s = expect_type(v, "storage.min_free_bytes", v.is_number_integer(), "a whole number"); !s)
        return s;
      if (v.is_number_unsigned()) c.storage.min_free_bytes = v.get<std::uint64_t>();
      else if (auto n = v.get<std::int64_t>(); n < 0)
        return error("storage.min_free_bytes", fmt::format("must not be negative, got {}", n));
      else c.storage.min_free_bytes = static_cast<std::uint64_t>(n);
    }
    if (storage.contains("block_cache_bytes")) {
      std::int64_t bytes = 0;
      if (auto s = get_int_in(storage["block_cache_bytes"], "storage.block_cache_bytes", 1 << 20,
                              std::numeric_limits<std::int64_t>::max(), bytes);
          !s)
        return s;
      c.storage.block_cache_bytes = static_cast<std::uint64_t>(bytes);
    }
  }
  if (j.contains("sources"))
    if (auto s = parse_sources(j["sources"], "sources", c.sources); !s) return s;
  if (j.contains("matching"))
    if (auto s = parse_matching(j["matching"], "matching", c.matching); !s) return s;
  if (j.contains("rules"))
    if (auto s = parse_rules(j["rules"], "rules", c.rules); !s) return s;
  return c;
}

StatusOr<Config> load(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec))
    return Status::not_found(fmt::format("{}: no such config file", path));
  if (std::filesystem::is_directory(path, ec))
    return Status::invalid(fmt::format("{}: is a directory, not a config file", path));
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::io_error(fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Status::io_error(fmt::format("{}: read error", path));
  json j;
  // nlohmann reports syntax errors only by exception; turn it into a value here.
  try {
    j = json::parse(text.str());
  } catch (const json::parse_error& e) {
    std::string what = e.what();
    if (auto p = what.find("] "); p != std::string::npos) what = what.substr(p + 2);
    return Status::invalid(fmt::format("{}: invalid JSON at byte {}: {}", path, e.byte, what));
  } catch (const json::exception& e) {  // e.g. out_of_range: a number too big for a double
    std::string what = e.what();
    if (auto p = what.find("] "); p != std::string::npos) what = what.substr(p + 2);
    return Status::invalid(fmt::format("{}: invalid JSON: {}", path, what));
  }
  auto c = parse(j);
  if (!c) return Status::invalid(fmt::format("{}: {}", path, c.status().message()));
  return c;
}

json to_json(const Config& c) {
  json sources = json::array();
  for (auto& s : c.sources)
    sources.push_back(
        {{"name", s.name}, {"format", s.format}, {"removals", s.removals}, {"options", s.options},
         {"inbox", s.inbox}, {"inbox_marker", s.inbox_marker}});
  json fields = json::object();
  for (auto& r : c.rules.rules) {
    json weights = json::object();
    for (auto& [source, w] : r.weights) weights[source] = w;
    fields[r.field] = {{"strategy", std::string(events::strategy_name(r.strategy))},
                       {"priority", r.priority},
                       {"on_empty", r.on_empty == events::OnEmpty::keep ? "keep" : "clear"},
                       {"weights", weights}};
  }
  json trust = json::object();
  for (auto& [source, t] : c.rules.trust) trust[source] = t;
  return {{"data_dir", c.data_dir},
          {"listen", c.listen},
          {"token", c.token},
          {"max_in_flight", c.max_in_flight},
          {"max_projection_lag", c.max_projection_lag},
          {"interactive_projection_lag", c.interactive_projection_lag},
          {"max_live_movies", c.max_live_movies},
          {"movie_idle_timeout_ms", c.movie_idle_timeout.count()},
          {"snapshot_every", c.snapshot_every},
          {"snapshots_kept", c.snapshots_kept},
          {"journal_max_batch", c.journal_max_batch},
          {"sync_writes", c.sync_writes},
          {"metrics", c.metrics},
          {"inbox_scan_ms", c.inbox_scan.count()},
          {"inbox_checkpoint_every", c.inbox_checkpoint_every},
          {"http_workers", c.http_workers},
          {"http_max_connections", c.http_max_connections},
          {"http_max_body_bytes", c.http_max_body_bytes},
          {"http_header_timeout_ms", c.http_header_timeout.count()},
          {"http_body_timeout_ms", c.http_body_timeout.count()},
          {"storage", {{"min_free_bytes", c.storage.min_free_bytes}, {"block_cache_bytes", c.storage.block_cache_bytes}}},
          {"assets_max_bytes", c.assets_max_bytes},
          {"sources", sources},
          {"matching", {{"min_confidence", c.matching.min_confidence},
                        {"min_margin_bits", c.matching.min_margin_bits},
                        {"year_window", c.matching.year_window},
                        {"max_candidates", c.matching.max_candidates},
                        {"threads", c.matching.threads},
                        {"several_per_movie", c.matching.several_per_movie}}},
          {"rules", {{"version", c.rules.version}, {"trust", trust}, {"fields", fields}}}};
}

}  // namespace moviec::config
