#pragma once
// Scoring one source record against one candidate movie for the title + year
// fallback of matching. The score is a confidence in [0, 1]: how sure moviec is
// that both describe the same film, from what both sides know.
//
//   title   best pair of keys (events/title_key.hpp) equal on both sides:
//           primary = primary 1.0; primary or alternate = alternate 0.92;
//           a partial key on one side 0.65 (partial = partial never counts:
//           "Alien: Resurrection" is not "Alien: Covenant")
//   year    equal x1.0, one apart x0.85, further apart: not a candidate; one apart
//           and the record names another title (brackets, a.k.a.) that the movie
//           does not know: -0.15
//   runtime when both know it: within 3 min +0.10, within 10 min 0, within 20 min
//           -0.10, further -0.20 (a mild penalty: some sources' runtimes are plainly
//           wrong, e.g. vega's "Running Time min" is 20-100 min off for many films)
//   genres  when both have some: a shared genre word +0.05, none -0.05
//
// Exact title and year alone is 1.0; exact title one year apart 0.85; an
// alternate title one year apart needs runtime or genres to reach the default
// acceptance of 0.8. Pure functions, no I/O.

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "events/source_record.hpp"
#include "events/title_key.hpp"

namespace moviec::events {

/// What one side knows about a film, as matching compares it.
struct MatchFacts {
  std::vector<TitleKey> titles;
  std::optional<int> year;
  std::optional<int> runtime_minutes;
  std::vector<std::string> genre_words;  // folded words of the genres ("sci fi" -> sci, fi)
};

/// A source record's facts; mojibake repairs add keys (the record as published is kept).
MatchFacts facts_of(const SourceRecord& record);

/// A golden record's facts (the JSON of the movies read model, docs/http.md).
MatchFacts facts_of_movie(const nlohmann::json& golden);

struct MatchScore {
  double confidence = 0;  // 0 = not a candidate at all
  std::string why;        // "title exact, year +1, runtime 2 min apart"
};

MatchScore score_match(const MatchFacts& record, const MatchFacts& movie);

}  // namespace moviec::events
