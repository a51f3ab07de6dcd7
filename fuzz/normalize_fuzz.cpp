// The normalizers: dates in the default and a given format, titles (cleaning, NFC,
// mojibake repair, articles, year suffixes: sources/normalize.hpp), the matching keys
// made of titles (events/title_key.hpp, events/text.hpp), numbers, ratings and lists.
// The input's first line is a date format, the rest the value.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "events/text.hpp"
#include "events/title_key.hpp"
#include "sources/normalize.hpp"

namespace {
void check(bool ok) {
  if (!ok) std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace moviec::sources;
  using moviec::StatusOr;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  auto nl = in.find('\n');
  std::string_view format = nl == std::string_view::npos ? std::string_view() : in.substr(0, nl);
  std::string_view value = nl == std::string_view::npos ? in : in.substr(nl + 1);

  auto check_date = [](const StatusOr<Date>& date) {
    if (!date) return;  // refused, with a reason
    check(date->month >= 0 && date->month <= 12 && date->day >= 0 && date->day <= 31);
    check(date->day == 0 || date->month != 0);
    (void)date->iso();
    (void)check_not_future(*date, today_utc());
    (void)check_release_year(date->year, *date);
  };
  check_date(parse_date(value));
  if (!format.empty() && check_date_format(format)) check_date(parse_date(value, {std::string(format)}));
  if (utf8_problem(value).empty()) {  // the readers refuse invalid UTF-8 before these
    auto composed = nfc(value);
    check(nfc(composed) == composed);
    (void)clean_title(value);
    (void)repair_mojibake(value);
    (void)normalize_title(value);
    (void)move_trailing_article(value);
    (void)split_title(value, true);
    (void)split_title(value, false);
    (void)moviec::events::title_keys(value, {std::string(format)}, true);
    (void)moviec::events::title_forms(value, {}, true);
    (void)moviec::events::words(value);
  }
  (void)trim(value);
  (void)is_null(value);
  (void)parse_int(value);
  (void)parse_float(value);
  if (auto r = parse_rating("r", value, 0, 10, format)) 
    check(r->value >= 0 && r->value <= 10 && r->normalized >= 0 && r->normalized <= 100);
  (void)split_list(value, ',');
  (void)split_list(value, '|');
  return 0;
}
