#pragma once
// The vocabulary of matching, as stored on events and served over HTTP: the
// streams that hold a source's match decisions, the methods that tie a record to
// a movie, and the reasons a record stays unmatched. All names are on disk.
//
// Streams: a movie's stream is named by its movie id ("tt0114709"). A record that
// is in no movie, and every person's link decision, lives in its source's stream
// "source:NAME" (source names are [a-z0-9_], so no movie id looks like one).

#include <string>
#include <string_view>

namespace moviec::events::matching {

inline constexpr std::string_view kSourceStreamPrefix = "source:";

inline std::string source_stream(std::string_view source) {
  return std::string(kSourceStreamPrefix) + std::string(source);
}
inline bool is_source_stream(std::string_view stream) {
  return stream.substr(0, kSourceStreamPrefix.size()) == kSourceStreamPrefix;
}
/// The source of a source stream; "" for a movie stream.
inline std::string_view source_of_stream(std::string_view stream) {
  return is_source_stream(stream) ? stream.substr(kSourceStreamPrefix.size()) : std::string_view{};
}

// --- how a record found its movie (SourceRecordChanged.match_method), in the order tried
inline constexpr std::string_view kManual = "manual";                 // a person linked it (POST /links)
inline constexpr std::string_view kSourceMovieId = "source_movie_id"; // the record's own id is the movie id (IMDb)
inline constexpr std::string_view kExternalId = "external_id";        // it carries an IMDb id its source crosswalked (MovieLens links)
inline constexpr std::string_view kCrosswalk = "crosswalk";           // an id another source tied to a movie
inline constexpr std::string_view kTitleYear = "title_year";          // title + year (within matching.year_window), scored

// --- why a record is in no movie (SourceRecordUnmatched.reason)
inline constexpr std::string_view kNoTitle = "no_title";            // nothing to compare
inline constexpr std::string_view kNoYear = "no_year";              // title alone is never enough
inline constexpr std::string_view kNoCandidates = "no_candidates";  // no movie with the title within a year
inline constexpr std::string_view kWeak = "weak";                   // the best candidate scored below min_confidence
inline constexpr std::string_view kAmbiguous = "ambiguous";         // two or more candidates too close to call
inline constexpr std::string_view kTaken = "taken";                 // every good candidate holds a stronger record of the source
inline constexpr std::string_view kNoMatch = "no_match";            // a person said it matches no movie
inline constexpr std::string_view kInvalidMovieId = "invalid_movie_id";  // the movie id it carries cannot be one

}  // namespace moviec::events::matching
