#pragma once
// Internal to config/: validating JSON with key-path messages
// ("sources[2].options.fields[0].type: unknown type \"txt\" ..."). Each helper
// returns the first problem as a Status (invalid_argument) naming the path.

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common/status.hpp"

namespace moviec::config::checks {

inline std::string child(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}

inline std::string element(const std::string& path, std::size_t i) {
  return path + "[" + std::to_string(i) + "]";
}

inline Status error(const std::string& path, const std::string& what) {
  return Status::invalid((path.empty() ? std::string("config") : path) + ": " + what);
}

inline std::string type_name(const nlohmann::json& j) {
  if (j.is_number_integer()) return "integer";
  if (j.is_number_float()) return "number";
  return j.type_name();
}

inline std::string join_quoted(const std::vector<std::string>& names) {
  std::string out;
  for (auto& n : names) {
    if (!out.empty()) out += ", ";
    out += '"' + n + '"';
  }
  return out;
}

inline Status expect_type(const nlohmann::json& j, const std::string& path, bool ok,
                          const char* expected) {
  if (ok) return Status::ok();
  return error(path, fmt::format("expected {}, got {}", expected, type_name(j)));
}

inline Status check_keys(const nlohmann::json& obj, const std::string& path,
                         const std::vector<std::string>& allowed) {
  for (auto& [key, value] : obj.items()) {
    (void)value;
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
      return error(child(path, key),
                   fmt::format("unknown key (expected one of {})", join_quoted(allowed)));
  }
  return Status::ok();
}

inline Status get_string(const nlohmann::json& j, const std::string& path, std::string& out) {
  if (auto s = expect_type(j, path, j.is_string(), "a string"); !s) return s;
  out = j.get<std::string>();
  return Status::ok();
}

inline Status get_nonempty_string(const nlohmann::json& j, const std::string& path,
                                  std::string& out) {
  if (auto s = get_string(j, path, out); !s) return s;
  if (out.empty()) return error(path, "must not be empty");
  return Status::ok();
}

inline Status get_bool(const nlohmann::json& j, const std::string& path, bool& out) {
  if (auto s = expect_type(j, path, j.is_boolean(), "true or false"); !s) return s;
  out = j.get<bool>();
  return Status::ok();
}

inline Status get_number(const nlohmann::json& j, const std::string& path, double& out) {
  if (auto s = expect_type(j, path, j.is_number(), "a number"); !s) return s;
  out = j.get<double>();
  return Status::ok();
}

/// A whole number in [min, max].
inline Status get_int_in(const nlohmann::json& j, const std::string& path, std::int64_t min,
                         std::int64_t max, std::int64_t& out) {
  if (auto s = expect_type(j, path, j.is_number_integer(), "a whole number"); !s) return s;
  if (j.is_number_unsigned() &&
      j.get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
    return error(path, fmt::format("must be at most {}, got {}", max, j.get<std::uint64_t>()));
  out = j.get<std::int64_t>();
  if (out < min) return error(path, fmt::format("must be at least {}, got {}", min, out));
  if (out > max) return error(path, fmt::format("must be at most {}, got {}", max, out));
  return Status::ok();
}

/// A string, or an array of strings (at least one); each must not be empty.
inline Status get_names(const nlohmann::json& j, const std::string& path,
                        std::vector<std::string>& out) {
  out.clear();
  if (j.is_string()) {
    out.emplace_back();
    return get_nonempty_string(j, path, out.back());
  }
  if (auto s = expect_type(j, path, j.is_array(), "a string or an array of strings"); !s) return s;
  if (j.empty()) return error(path, "must name at least one column");
  for (std::size_t i = 0; i < j.size(); ++i) {
    out.emplace_back();
    if (auto s = get_nonempty_string(j[i], element(path, i), out.back()); !s) return s;
  }
  return Status::ok();
}

}  // namespace moviec::config::checks
