#pragma once
// Integers read out of JSON that may be a float: nlohmann's get<int>() of a float
// outside the integer's range is undefined behaviour (a cast), so a stored event
// or snapshot with such a number must be refused, not cast.

#include <cmath>
#include <limits>

#include <nlohmann/json.hpp>

namespace moviec::events {

/// `j` as an Int: an integer as nlohmann converts it, a float only when it is in range
/// (truncated, as nlohmann does). Otherwise a type_error, as for any mistyped value.
template <class Int>
Int json_integer(const nlohmann::json& j) {
  if (j.is_number_float()) {
    double d = j.get<double>();
    // The limits as doubles: max() rounds up to 2^63 (or 2^64), which is out of range.
    constexpr double low = static_cast<double>(std::numeric_limits<Int>::min());
    constexpr double high = static_cast<double>(std::numeric_limits<Int>::max());
    if (!(d >= low && d < high + 1.0))
      throw nlohmann::json::type_error::create(302, "number out of range for an integer", &j);
    return static_cast<Int>(d);
  }
  return j.get<Int>();
}

/// The member `key` of object `j` as an Int (json_integer), or `fallback` when it is absent.
template <class Int>
Int json_integer(const nlohmann::json& j, const char* key, Int fallback) {
  if (!j.is_object()) throw nlohmann::json::type_error::create(306, "cannot use value() with a non-object", &j);
  auto it = j.find(key);
  return it == j.end() ? fallback : json_integer<Int>(*it);
}

}  // namespace moviec::events
