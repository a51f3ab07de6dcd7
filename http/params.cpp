#include "http/params.hpp"

#include <algorithm>
#include <charconv>
#include <stdexcept>

#include "events/timestamp.hpp"

namespace moviec::http {

namespace {

/// Parses all of `text` as a decimal integer of type T; nullopt on anything else.
template <class T>
std::optional<T> parse_integer(const std::string& text) {
  T value{};
  const char* first = text.data();
  const char* last = text.data() + text.size();
  if (first != last && *first == '+') ++first;  // from_chars rejects a leading '+'
  auto [end, ec] = std::from_chars(first, last, value);
  if (first == last || ec != std::errc() || end != last) return std::nullopt;
  return value;
}

}  // namespace

void check_params(const Request& req, std::initializer_list<std::string_view> allowed) {
  for (auto it = req.params.begin(); it != req.params.end(); it = req.params.upper_bound(it->first)) {
    const std::string& name = it->first;
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
      std::string expected;
      for (auto a : allowed) expected += (expected.empty() ? "" : ", ") + std::string(a);
      throw std::invalid_argument("unknown parameter \"" + name + "\" (expected one of: " +
                                  expected + ")");
    }
    if (req.params.count(name) > 1)
      throw std::invalid_argument("parameter \"" + name + "\" given more than once");
  }
}

std::optional<std::string> param(const Request& req, const std::string& name) {
  auto it = req.params.find(name);
  if (it == req.params.end()) return std::nullopt;
  return it->second;
}

std::optional<int> int_param(const Request& req, const std::string& name) {
  auto text = param(req, name);
  if (!text) return std::nullopt;
  auto value = parse_integer<int>(*text);
  if (!value) throw std::invalid_argument(name + " must be an integer, got \"" + *text + "\"");
  return value;
}

std::optional<std::uint64_t> uint_param(const Request& req, const std::string& name,
                                        std::uint64_t max) {
  auto text = param(req, name);
  if (!text) return std::nullopt;
  auto value = text->empty() || (*text)[0] == '-' ? std::nullopt : parse_integer<std::uint64_t>(*text);
  if (!value || *value > max)
    throw std::invalid_argument(name + " must be a whole number from 0 to " + std::to_string(max) +
                                ", got \"" + *text + "\"");
  return value;
}

std::size_t count_param(const Request& req, const std::string& name, std::size_t fallback,
                        std::size_t max) {
  auto text = param(req, name);
  if (!text) return fallback;
  auto value = parse_integer<long long>(*text);
  if (!value || *value < 1 || static_cast<unsigned long long>(*value) > max)
    throw std::invalid_argument(name + " must be an integer from 1 to " + std::to_string(max) +
                                ", got \"" + *text + "\"");
  return static_cast<std::size_t>(*value);
}

AsOf parse_as_of(const std::string& text) {
  AsOf out;
  if (!text.empty() && text.find_first_not_of("0123456789") == std::string::npos) {
    out.sequence = parse_integer<std::uint64_t>(text);
    if (!out.sequence) throw std::invalid_argument("as_of sequence " + text + " is out of range");
  } else if (auto ms = events::parse_utc(text)) {
    out.time_ms = *ms;
  } else {
    throw std::invalid_argument("as_of must be an event sequence (e.g. 42) or an RFC 3339 time "
                                "(e.g. 2026-11-24T10:00:00Z), got \"" + text + "\"");
  }
  return out;
}

}  // namespace moviec::http
