#pragma once
// Normalization at the edge, shared by every source format: null markers, strict
// number parsing, rating scales, titles and lists. Every reader uses these so one
// input value means the same thing whichever file it came from.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.hpp"
#include "events/source_record.hpp"

namespace moviec::sources {

/// True for the values sources use to say "no value": empty (or only spaces),
/// `\N` (IMDb) and `N/A`.
bool is_null(std::string_view value);

/// `value` without leading and trailing ASCII whitespace.
std::string_view trim(std::string_view value);

/// A title as moviec stores it: trimmed. Empty for a null marker.
std::string clean_title(std::string_view value);

/// Parses a whole number: optional '-', then digits only; no spaces, no '+',
/// nothing after. The error (invalid_argument) says why: "empty",
/// "not a whole number", "out of range".
StatusOr<std::int64_t> parse_int(std::string_view value);

/// Parses a decimal number ("5.7", "-1", "1e3"); no spaces, no '+', nothing
/// after. The error says why: "empty", "not a number", "not a finite number".
StatusOr<double> parse_float(std::string_view value);

/// Rounds to 2 decimals.
double round2(double value);

/// `value` on the common 0-100 scale: value / scale_max * 100, rounded to 2
/// decimals. 0 when scale_max is not positive.
double normalize_rating(double value, double scale_max);

/// A rating with its published scale and its normalized value filled in.
events::Rating make_rating(std::string name, double value, double scale_min, double scale_max,
                           std::int64_t votes);

/// Splits a separated list ("Drama,Short"): items trimmed, empty items dropped,
/// nothing for a null marker.
std::vector<std::string> split_list(std::string_view value, char separator);

}  // namespace moviec::sources
