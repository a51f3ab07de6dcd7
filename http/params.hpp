#pragma once
// Internal to http/: reading query parameters. Every failure throws
// std::invalid_argument with a message naming the parameter, which the route
// wrapper turns into a 400.

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "http/handlers.hpp"

namespace moviec::http {

/// Rejects a parameter not in `allowed` (a typo such as "years" would otherwise
/// be silently ignored) and one given more than once.
void check_params(const Request& req, std::initializer_list<std::string_view> allowed);

/// The parameter's value; nullopt when absent.
std::optional<std::string> param(const Request& req, const std::string& name);

/// A decimal integer (optional sign); absent -> nullopt.
std::optional<int> int_param(const Request& req, const std::string& name);

/// A whole number in [0, max] (sequences, seconds); absent -> nullopt.
std::optional<std::uint64_t> uint_param(const Request& req, const std::string& name,
                                        std::uint64_t max = UINT64_MAX);

/// The largest `limit` of a page any listing endpoint returns.
inline constexpr std::size_t kMaxPageLimit = 1000;

/// An integer in [1, max]; absent -> `fallback`.
std::size_t count_param(const Request& req, const std::string& name, std::size_t fallback,
                        std::size_t max);

/// The point of GET /movies/{id}?as_of=: an event sequence (all digits) or an RFC 3339
/// time (milliseconds since the epoch, UTC); exactly one is set.
struct AsOf {
  std::optional<std::uint64_t> sequence;
  std::optional<std::int64_t> time_ms;
};

/// Parses an as_of value; anything else throws std::invalid_argument naming as_of.
AsOf parse_as_of(const std::string& text);

}  // namespace moviec::http
