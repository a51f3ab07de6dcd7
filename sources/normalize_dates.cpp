// Dates: parse_date and its format mini-language, and the checks that reject
// impossible dates (sources/normalize.hpp).

#include <array>
#include <cctype>
#include <ctime>

#include <fmt/format.h>

#include "events/text.hpp"
#include "sources/normalize.hpp"

namespace moviec::sources {

namespace {

using events::iequals_ascii;
using events::is_ascii_digit;

constexpr std::array<std::string_view, 12> kMonths{
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};

bool is_leap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int days_in_month(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap(year) ? 29 : kDays[month - 1];
}

// 1..12 for an English month name, full or abbreviated to 3 letters ("Sept" too).
int month_from_name(std::string_view word) {
  for (std::size_t m = 0; m < kMonths.size(); ++m) {
    if (iequals_ascii(word, kMonths[m]) || iequals_ascii(word, kMonths[m].substr(0, 3))) return static_cast<int>(m) + 1;
    if (m == 8 && iequals_ascii(word, "Sept")) return 9;
  }
  return 0;
}

// Reads min..max digits at text[j]; -1 when there are fewer, or more follow.
int read_number(std::string_view text, std::size_t& j, std::size_t min, std::size_t max) {
  std::size_t start = j;
  int value = 0;
  while (j < text.size() && is_ascii_digit(text[j]) && j - start < max) value = value * 10 + (text[j++] - '0');
  if (j - start < min || (j < text.size() && is_ascii_digit(text[j]))) return -1;
  return value;
}

// Fields a format matched; -1 where the format has no such field.
struct Fields {
  int year = -1, month = -1, day = -1;
};

// True when `format` matches all of `text`.
bool match(std::string_view format, std::string_view text, Fields& out) {
  std::size_t j = 0;
  for (std::size_t i = 0; i < format.size(); ++i) {
    char f = format[i];
    if (f == ' ') {
      if (j >= text.size() || text[j] != ' ') return false;
      while (j < text.size() && text[j] == ' ') ++j;
      continue;
    }
    if (f != '%' || i + 1 == format.size()) {
      if (j >= text.size() || std::tolower(static_cast<unsigned char>(text[j])) !=
                                  std::tolower(static_cast<unsigned char>(f)))
        return false;
      ++j;
      continue;
    }
    char spec = format[++i];
    switch (spec) {
      case 'Y':
        if ((out.year = read_number(text, j, 4, 4)) < 0) return false;
        break;
      case 'm':
        if ((out.month = read_number(text, j, 1, 2)) < 0) return false;
        break;
      case 'd':
        if ((out.day = read_number(text, j, 1, 2)) < 0) return false;
        break;
      case 'b':
      case 'B': {
        std::size_t start = j;
        while (j < text.size() && std::isalpha(static_cast<unsigned char>(text[j]))) ++j;
        out.month = month_from_name(text.substr(start, j - start));
        if (out.month == 0) return false;
        if (j < text.size() && text[j] == '.') ++j;  // "Sept." / "Jun."
        break;
      }
      case '%':
        if (j >= text.size() || text[j] != '%') return false;
        ++j;
        break;
      default:
        return false;
    }
  }
  return j == text.size();
}

// Why a matched date cannot exist, or "".
std::string impossible(const Fields& f) {
  if (f.year < 1800) return fmt::format("year {} is before 1800", f.year);
  if (f.month >= 0 && (f.month < 1 || f.month > 12)) return fmt::format("month {} is not 1-12", f.month);
  if (f.day >= 0) {
    if (f.day < 1) return fmt::format("day {} is not a day of the month", f.day);
    int days = days_in_month(f.year, f.month);
    if (f.day > days)
      return fmt::format("{} {} has {} days, not {}", kMonths[static_cast<std::size_t>(f.month - 1)],
                         f.year, days, f.day);
  }
  return {};
}

}  // namespace

std::string Date::iso() const {
  if (month == 0) return fmt::format("{:04}", year);
  if (day == 0) return fmt::format("{:04}-{:02}", year, month);
  return fmt::format("{:04}-{:02}-{:02}", year, month, day);
}

const std::vector<std::string>& default_date_formats() {
  static const std::vector<std::string> formats{"%Y-%m-%d", "%Y-%m",      "%Y",      "%b %d %Y",
                                                "%b %d, %Y", "%d %b %Y", "%B %d, %Y"};
  return formats;
}

Status check_date_format(std::string_view format) {
  bool year = false, month = false, day = false;
  for (std::size_t i = 0; i < format.size(); ++i) {
    if (format[i] != '%') continue;
    if (i + 1 == format.size())
      return Status::invalid(fmt::format("date format \"{}\" ends in a lone %", format));
    char spec = format[++i];
    bool* seen = nullptr;
    switch (spec) {
      case 'Y': seen = &year; break;
      case 'm': case 'b': case 'B': seen = &month; break;
      case 'd': seen = &day; break;
      case '%': continue;
      default:
        return Status::invalid(fmt::format(
            "date format \"{}\": unknown conversion %{} (expected %Y, %m, %d, %b, %B or %%)", format, spec));
    }
    if (*seen)
      return Status::invalid(fmt::format("date format \"{}\": %{} given twice", format, spec));
    *seen = true;
  }
  if (!year) return Status::invalid(fmt::format("date format \"{}\" has no %Y", format));
  if (day && !month)
    return Status::invalid(fmt::format("date format \"{}\" has a day but no month", format));
  return Status::ok();
}

StatusOr<Date> parse_date(std::string_view text, const std::vector<std::string>& formats) {
  text = trim(text);
  for (auto& format : formats) {
    Fields f;
    if (!match(format, text, f)) continue;
    if (auto why = impossible(f); !why.empty())
      return Status::invalid(fmt::format("\"{}\": {}", text, why));
    return Date{f.year, f.month < 0 ? 0 : f.month, f.day < 0 ? 0 : f.day};
  }
  std::string expected;
  for (auto& format : formats) expected += (expected.empty() ? "" : ", ") + format;
  return Status::invalid(fmt::format("\"{}\": not a date (expected one of {})", text, expected));
}

Date today_utc() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  return Date{tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
}

Status check_not_future(const Date& date, const Date& today) {
  bool future = date.year > today.year ||
                (date.year == today.year && date.month > today.month) ||
                (date.year == today.year && date.month == today.month && date.day > today.day);
  if (future)
    return Status::invalid(fmt::format("{} is in the future (today is {})", date.iso(), today.iso()));
  return Status::ok();
}

Status check_release_year(int year, const Date& registration) {
  if (registration.year != 0 && year > registration.year)
    return Status::invalid(
        fmt::format("year {} is after the registration date {}", year, registration.iso()));
  return Status::ok();
}

}  // namespace moviec::sources
