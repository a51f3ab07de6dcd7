#include "events/timestamp.hpp"

#include <cstdio>

namespace moviec::events {

namespace {

// Days since 1970-01-01 of a proleptic Gregorian date, and back (H. Hinnant's
// civil-date algorithms); no time zone database and no locale involved.
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void civil_from_days(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2);
}

unsigned days_in_month(std::int64_t y, unsigned m) {
  static const unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

/// Reads exactly `n` digits at `pos`; false when they are not all digits.
bool digits(std::string_view s, std::size_t& pos, std::size_t n, unsigned& out) {
  if (pos + n > s.size()) return false;
  out = 0;
  for (std::size_t i = 0; i < n; ++i) {
    char c = s[pos + i];
    if (c < '0' || c > '9') return false;
    out = out * 10 + static_cast<unsigned>(c - '0');
  }
  pos += n;
  return true;
}

bool expect(std::string_view s, std::size_t& pos, char c) {
  if (pos >= s.size() || s[pos] != c) return false;
  ++pos;
  return true;
}

}  // namespace

std::string format_utc(std::int64_t unix_ms) {
  std::int64_t days = unix_ms / 86400000;
  std::int64_t ms_of_day = unix_ms % 86400000;
  if (ms_of_day < 0) {
    ms_of_day += 86400000;
    --days;
  }
  std::int64_t y;
  unsigned m, d;
  civil_from_days(days, y, m, d);
  const auto secs = ms_of_day / 1000;
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lld.%03lldZ",
                static_cast<long long>(y), m, d, static_cast<long long>(secs / 3600),
                static_cast<long long>(secs / 60 % 60), static_cast<long long>(secs % 60),
                static_cast<long long>(ms_of_day % 1000));
  return buf;
}

std::optional<std::int64_t> parse_utc(std::string_view s) {
  std::size_t pos = 0;
  unsigned year, month, day;
  if (!digits(s, pos, 4, year) || !expect(s, pos, '-') || !digits(s, pos, 2, month) ||
      !expect(s, pos, '-') || !digits(s, pos, 2, day))
    return std::nullopt;
  if (year < 1970 || month < 1 || month > 12 || day < 1 || day > days_in_month(year, month))
    return std::nullopt;
  std::int64_t ms = days_from_civil(year, month, day) * 86400000;
  if (pos == s.size()) return ms;  // a date alone: midnight UTC

  if (s[pos] != 'T' && s[pos] != 't' && s[pos] != ' ') return std::nullopt;
  ++pos;
  unsigned hour, minute, second;
  if (!digits(s, pos, 2, hour) || !expect(s, pos, ':') || !digits(s, pos, 2, minute) ||
      !expect(s, pos, ':') || !digits(s, pos, 2, second))
    return std::nullopt;
  if (hour > 23 || minute > 59 || second > 60) return std::nullopt;  // 60: a leap second
  ms += (hour * 3600 + minute * 60 + second) * 1000LL;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    std::size_t first = pos;
    unsigned fraction_ms = 0, scale = 100;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      fraction_ms += static_cast<unsigned>(s[pos] - '0') * scale;
      scale /= 10;
      ++pos;
    }
    if (pos == first || pos - first > 9) return std::nullopt;
    ms += fraction_ms;
  }
  if (pos >= s.size()) return std::nullopt;  // the zone is required with a time
  if (s[pos] == 'Z' || s[pos] == 'z') {
    ++pos;
  } else if (s[pos] == '+' || s[pos] == '-') {
    const int sign = s[pos] == '+' ? 1 : -1;
    ++pos;
    unsigned oh, om;
    if (!digits(s, pos, 2, oh) || !expect(s, pos, ':') || !digits(s, pos, 2, om) || oh > 23 ||
        om > 59)
      return std::nullopt;
    ms -= sign * static_cast<std::int64_t>(oh * 3600 + om * 60) * 1000;
  } else {
    return std::nullopt;
  }
  if (pos != s.size()) return std::nullopt;
  return ms;
}

}  // namespace moviec::events
