#include "http/range.hpp"

#include <algorithm>
#include <charconv>
#include <optional>
#include <string_view>

namespace moviec::http {

namespace {

std::optional<std::uint64_t> number(std::string_view s) {
  std::uint64_t n = 0;
  if (s.empty() || s.size() > 19) return std::nullopt;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return n;
}

}  // namespace

RangeAsk parse_range(const std::string& header, std::uint64_t size) {
  RangeAsk ask;
  constexpr std::string_view unit = "bytes=";
  if (header.size() > 200 || header.compare(0, unit.size(), unit) != 0) return ask;
  std::string_view spec(header);
  spec.remove_prefix(unit.size());
  while (!spec.empty() && spec.front() == ' ') spec.remove_prefix(1);
  while (!spec.empty() && spec.back() == ' ') spec.remove_suffix(1);
  if (spec.find(',') != std::string_view::npos) return ask;  // several ranges: whole
  auto dash = spec.find('-');
  if (dash == std::string_view::npos) return ask;
  auto first_text = spec.substr(0, dash), last_text = spec.substr(dash + 1);
  if (first_text.empty()) {  // a suffix: the last N bytes
    auto n = number(last_text);
    if (!n) return ask;
    if (*n == 0 || size == 0) return {RangeAsk::unsatisfiable, {}};
    ask.kind = RangeAsk::one;
    ask.range = {size - std::min(*n, size), size - 1};
    return ask;
  }
  auto first = number(first_text);
  if (!first) return ask;
  std::optional<std::uint64_t> last;
  if (!last_text.empty()) {
    last = number(last_text);
    if (!last || *last < *first) return ask;  // syntactically invalid: ignored
  }
  if (*first >= size) return {RangeAsk::unsatisfiable, {}};
  ask.kind = RangeAsk::one;
  ask.range = {*first, last ? std::min(*last, size - 1) : size - 1};
  return ask;
}

}  // namespace moviec::http
