#include "sources/normalize.hpp"

#include <charconv>
#include <cmath>

#include <fmt/format.h>

#include "events/text.hpp"

namespace moviec::sources {

namespace {
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }
}  // namespace

std::string_view trim(std::string_view value) {
  while (!value.empty() && is_space(value.front())) value.remove_prefix(1);
  while (!value.empty() && is_space(value.back())) value.remove_suffix(1);
  return value;
}

bool is_null(std::string_view value) {
  value = trim(value);
  return value.empty() || value == "\\N" || value == "N/A";
}

bool is_missing(std::string_view value, bool zero_means_missing) {
  if (is_null(value)) return true;
  if (!zero_means_missing) return false;
  auto n = parse_float(trim(value));
  return n.is_ok() && *n == 0;
}

StatusOr<std::int64_t> parse_int(std::string_view value) {
  if (value.empty()) return Status::invalid("empty");
  std::int64_t out = 0;
  auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), out);
  if (ec == std::errc::result_out_of_range) return Status::invalid("out of range");
  if (ec != std::errc() || ptr != value.data() + value.size())
    return Status::invalid("not a whole number");
  return out;
}

StatusOr<double> parse_float(std::string_view value) {
  if (value.empty()) return Status::invalid("empty");
  // from_chars also accepts "inf" and "nan"; only plain decimals are numbers here.
  for (char c : value)
    if (!((c >= '0' && c <= '9') || c == '.' || c == '-' || c == 'e' || c == 'E'))
      return Status::invalid("not a number");
  double out = 0;
  auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), out);
  if (ec == std::errc::result_out_of_range) return Status::invalid("not a finite number");
  if (ec != std::errc() || ptr != value.data() + value.size())
    return Status::invalid("not a number");
  if (!std::isfinite(out)) return Status::invalid("not a finite number");
  return out;
}

double round2(double value) { return std::round(value * 100.0) / 100.0; }

std::string utf8_problem(std::string_view bytes) {
  for (std::size_t i = 0; i < bytes.size();) {
    std::size_t at = i;
    long cp = events::next_code_point(bytes, i);
    if (cp < 0) return fmt::format("invalid UTF-8 at byte {}", at);
    if (cp == 0) return fmt::format("NUL byte at byte {}", at);
  }
  return {};
}

double normalize_rating(double value, double scale_max) {
  if (!(scale_max > 0)) return 0;
  return round2(value / scale_max * 100.0);
}

events::Rating make_rating(std::string name, double value, double scale_min, double scale_max,
                           std::int64_t votes) {
  events::Rating r;
  r.name = std::move(name);
  r.value = value;
  r.scale_min = scale_min;
  r.scale_max = scale_max;
  r.votes = votes;
  r.normalized = normalize_rating(value, scale_max);
  return r;
}

StatusOr<events::Rating> parse_rating(std::string name, std::string_view value, double scale_min,
                                      double scale_max, std::string_view votes) {
  value = trim(value);
  auto v = parse_float(value);
  if (!v) return Status::invalid(fmt::format("\"{}\": {}", value, v.status().message()));
  if (*v < scale_min || *v > scale_max)
    return Status::invalid(fmt::format("{}: out of range {}..{}", value, scale_min, scale_max));
  std::int64_t count = 0;
  votes = trim(votes);
  if (!is_null(votes)) {
    auto n = parse_int(votes);
    if (!n) return Status::invalid(fmt::format("votes \"{}\": {}", votes, n.status().message()));
    if (*n < 0) return Status::invalid(fmt::format("votes {}: must not be negative", *n));
    count = *n;
  }
  return make_rating(std::move(name), *v, scale_min, scale_max, count);
}

std::vector<std::string> split_list(std::string_view value, char separator) {
  std::vector<std::string> out;
  if (is_null(value)) return out;
  std::size_t start = 0;
  for (;;) {
    auto stop = value.find(separator, start);
    auto item = trim(value.substr(start, stop == std::string_view::npos ? stop : stop - start));
    if (!item.empty() && !is_null(item)) out.emplace_back(item);
    if (stop == std::string_view::npos) break;
    start = stop + 1;
  }
  return out;
}

}  // namespace moviec::sources
