#pragma once
// Reading the "options" object of a file format's source config: what the
// from_json of ImdbOptions, MovieLensOptions and RottenTomatoesOptions share.

#include <cstdint>
#include <string>
#include <string_view>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common/status.hpp"

namespace moviec::sources {

/// Reads options.<key>, a whole number >= 1, into `out`.
template <typename T>
Status read_positive_option(const std::string& key, const nlohmann::json& value, T& out) {
  if (!value.is_number_integer() || value.get<std::int64_t>() < 1)
    return Status::invalid(fmt::format("options.{}: expected a whole number >= 1", key));
  out = value.get<T>();
  return Status::ok();
}

/// The error for a key that format `format` does not take.
inline Status unknown_format_option(const std::string& key, std::string_view format) {
  return Status::invalid(fmt::format("options.{}: unknown option of format {}", key, format));
}

/// Reads a format's options: null gives the defaults; otherwise an object whose
/// max_rejects_per_file (every format has it) is a whole number >= 1, and whose
/// other keys go to `other(key, value, out)`, which returns the Status (for a
/// key it does not know, unknown_format_option).
template <typename Options, typename Other>
StatusOr<Options> read_format_options(const nlohmann::json& options, Other other) {
  Options out;
  if (options.is_null()) return out;
  if (!options.is_object()) return Status::invalid("options: expected an object");
  for (auto& [key, value] : options.items()) {
    Status s = key == "max_rejects_per_file"
                   ? read_positive_option(key, value, out.max_rejects_per_file)
                   : other(key, value, out);
    if (!s) return s;
  }
  return out;
}

}  // namespace moviec::sources
