#pragma once
// Normalization at the edge, shared by every source format: null markers, strict
// number parsing, encodings, rating scales, dates, titles and lists. Every reader
// uses these so one input value means the same thing whichever file it came from.
// docs/sources.md lists the rules with examples. Pure functions, no I/O.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.hpp"
#include "events/source_record.hpp"

namespace moviec::sources {

// --- null markers ------------------------------------------------------------

/// True for the values sources use to say "no value": empty (or only spaces),
/// `\N` (IMDb) and `N/A`.
bool is_null(std::string_view value);

/// is_null(value), or, when the source says so for this column, a number equal to
/// zero ("0", "0.0", "00"): some sources write 0 for "unknown".
bool is_missing(std::string_view value, bool zero_means_missing);

/// `value` without leading and trailing ASCII whitespace.
std::string_view trim(std::string_view value);

// --- numbers -------------------------------------------------------------------

/// Parses a whole number: optional '-', then digits only; no spaces, no '+',
/// nothing after. The error (invalid_argument) says why: "empty",
/// "not a whole number", "out of range".
StatusOr<std::int64_t> parse_int(std::string_view value);

/// Parses a decimal number ("5.7", "-1", "1e3"); no spaces, no '+', nothing
/// after. The error says why: "empty", "not a number", "not a finite number".
StatusOr<double> parse_float(std::string_view value);

/// Rounds to 2 decimals.
double round2(double value);

// --- encodings -----------------------------------------------------------------

/// "" when `bytes` is well-formed UTF-8 without NUL bytes; otherwise why not:
/// "invalid UTF-8 at byte 7" (0-based), "NUL byte at byte 3".
std::string utf8_problem(std::string_view bytes);

// --- ratings -------------------------------------------------------------------

/// `value` on the common 0-100 scale: value / scale_max * 100, rounded to 2
/// decimals. 0 when scale_max is not positive.
double normalize_rating(double value, double scale_max);

/// A rating with its published scale and its normalized value filled in.
events::Rating make_rating(std::string name, double value, double scale_min, double scale_max,
                           std::int64_t votes);

/// Parses a rating published on [scale_min, scale_max] and its vote count
/// (`votes` may be empty: 0 votes). The error names the value and why:
/// "150: out of range 0..100", "\"x\": not a number", "votes -3: must not be negative".
StatusOr<events::Rating> parse_rating(std::string name, std::string_view value,
                                      double scale_min, double scale_max,
                                      std::string_view votes = {});

// --- dates -----------------------------------------------------------------------

/// A calendar date, possibly partial: month and day are 0 when the source gave
/// only a year (or a year and month).
struct Date {
  int year = 0;
  int month = 0;  // 1..12, 0 when unknown
  int day = 0;    // 1..31, 0 when unknown
  /// ISO 8601: "1998-06-12", "1998-06" or "1998".
  std::string iso() const;
  bool operator==(const Date& o) const { return year == o.year && month == o.month && day == o.day; }
};

/// The formats tried when a source names none, in order: "%Y-%m-%d", "%Y-%m",
/// "%Y", "%b %d %Y", "%b %d, %Y", "%d %b %Y", "%B %d, %Y".
const std::vector<std::string>& default_date_formats();

/// Checks a date format: literal characters and %Y (4-digit year), %m (month
/// 1-2 digits), %d (day 1-2 digits), %b / %B (English month name, short or full,
/// any case), %% (a percent sign); a space matches one or more spaces. Every
/// format needs %Y, and %d needs a month. The error says what is wrong.
Status check_date_format(std::string_view format);

/// Parses `text` (trimmed) with the first format that matches it whole. An
/// impossible date is an error with the text and the reason ("\"1999-02-29\":
/// February 1999 has 28 days, not 29", "... month 13 is not 1-12", "... year 1700
/// is before 1800"); text no format matches is "\"12/06/1998\": not a date
/// (expected one of %Y-%m-%d, ...)".
StatusOr<Date> parse_date(std::string_view text,
                          const std::vector<std::string>& formats = default_date_formats());

/// Today's date in UTC.
Date today_utc();

/// Fails when `date` lies after `today` ("2039-12-15 is in the future"); a
/// partial date is in the future when all of it is.
Status check_not_future(const Date& date, const Date& today);

/// Fails when a film's release `year` is after the date it was registered
/// (e.g. released in theatres): "year 2001 is after the registration date 1999-05-01".
Status check_release_year(int year, const Date& registration);

// --- titles ----------------------------------------------------------------------

/// `utf8` in Unicode normalization form C (composed: "e" + U+0301 -> "é").
/// Invalid UTF-8 comes back unchanged.
std::string nfc(std::string_view utf8);

/// A title as moviec stores it: trimmed, runs of whitespace made one space, NFC.
/// Empty for a null marker.
std::string clean_title(std::string_view value);

/// The title as it was before a common mis-decoding, when the repair is
/// unambiguous; nullopt otherwise (no mojibake, or more than one reading fits):
///   UTF-8 read as Mac Roman   "Gi√π la testa" -> "Giù la testa"
///   UTF-8 read as CP1252      "CafÃ© Society" -> "Café Society"
///   CP1252 read as Mac Roman  "AstÈrix"       -> "Astérix"
/// A repair must turn out-of-place characters (a capital accented letter inside a
/// lower-case word, a symbol glued to a letter, a broken UTF-8 sequence) into
/// ordinary letters and punctuation; legitimate text ("Amélie", "ÉCOLE",
/// "Alien³", "Ri¢hie Ri¢h") is left alone.
std::optional<std::string> repair_mojibake(std::string_view title);

/// clean_title plus repair_mojibake: `text` is the title to store and
/// `repaired_from` the cleaned original when a repair was made ("" otherwise);
/// readers record it as metadata["title_repaired_from"].
struct NormalizedTitle {
  std::string text;
  std::string repaired_from;
};
NormalizedTitle normalize_title(std::string_view value);

/// A trailing article moved to the front, as MovieLens writes titles:
/// "Usual Suspects, The" -> "The Usual Suspects", "Cité des enfants perdus, La"
/// -> "La Cité des enfants perdus", "École de la chair, L'" -> "L'École de la
/// chair". Articles: English The/A/An, French Le/La/Les/L'/Un/Une, Italian
/// Il/Lo/I/Gli/Una/Uno, Spanish El/Los/Las, German Der/Die/Das/Ein/Eine, Dutch
/// De/Het/Een, Scandinavian Den/Det/En/Ett. Other titles come back unchanged.
std::string move_trailing_article(std::string_view title);

/// A title taken apart the way MovieLens and Rotten Tomatoes write them:
/// "Léon: The Professional (a.k.a. The Professional) (Léon) (1994)" has the year
/// 1994, the title "Léon: The Professional" and the alternates "The Professional"
/// and "Léon". A trailing year range "(2006–2007)" gives year and end_year. Each
/// trailing bracketed part is an alternate ("a.k.a. " dropped), except one that
/// begins with a 4-digit number ("(1984 Original)"), which stays in the title.
/// The title itself is never emptied: "(500)" alone stays a title.
struct TitleParts {
  std::string title;
  std::vector<std::string> alternates;
  std::optional<int> year;
  std::optional<int> end_year;
};
TitleParts split_title(std::string_view title, bool year_suffix);

// --- lists -----------------------------------------------------------------------

/// Splits a separated list ("Drama,Short"): items trimmed, empty items dropped,
/// nothing for a null marker.
std::vector<std::string> split_list(std::string_view value, char separator);

}  // namespace moviec::sources
