#pragma once
// MovieLens (ml-latest, ml-latest-small) as a RecordReader: movies.csv, with
// links.csv and ratings.csv joined by movieId when given.
//
// Contract:
// - One record per usable movies.csv row, in file order; source_id is the
//   movieId and input is "movies.csv:<line>" (the line where the row starts).
// - The title is taken apart (sources/normalize.hpp split_title): the year out of
//   "(1995)", a range "(2006–2007)" gives metadata end_year, bracketed parts and
//   "(a.k.a. ...)" become names, a trailing article moves to the front
//   ("Usual Suspects, The" -> "The Usual Suspects"). Genres split on '|';
//   "(no genres listed)" is no genre.
// - links.csv: imdbId gives movie_id "tt" + at least 7 digits (external_ids
//   "imdb"), tmdbId external_ids "tmdb" (may be empty). Without links.csv, or for a
//   movie without a links row, movie_id stays empty: matching resolves those.
// - ratings.csv: per movie, the mean of its ratings (0.5-5 in half stars,
//   rounded to 2 decimals) and their count become one rating "movielens" on the
//   scale 0.5-5. The file is read once, before the first record, into one
//   accumulator per rated movie (about 64 bytes each): memory grows with the
//   number of movies, never with the number of ratings. links.csv is held as a
//   table of 32 bytes a row.
// - Rejects carry file and line: malformed records (sources/csv_input.hpp), bad
//   values (a movieId that is not a positive whole number, a rating off the half
//   star scale, an imdbId that is not digits), duplicates (a second movies or
//   links row for one movieId), and links rows or rated movies with no movies.csv
//   row ("no movies.csv row for movieId N in this input"), listed at the end. A
//   wrong header rejects its file at line 1 and nothing of it is read.
// - At most max_rejects_per_file rejects of one kind are listed per file; the
//   rest are counted in one summary reject (line 0).

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.hpp"
#include "config/config.hpp"
#include "sources/csv_reader.hpp"
#include "sources/record_reader.hpp"

namespace moviec::sources {

/// Which file plays which part; empty when not given.
struct MovieLensFiles {
  std::string movies;   // movies.csv, required
  std::string links;    // links.csv
  std::string ratings;  // ratings.csv
};

struct MovieLensOptions {
  std::size_t max_rejects_per_file = 10000;  // listed rejects per file and kind
  CsvOptions csv;

  /// Reads a source's "options" object (docs/sources.md, format movielens_csv).
  static StatusOr<MovieLensOptions> from_json(const nlohmann::json& options);
};

/// Sorts `files` into their parts by name ("movies", "links", "ratings" in the
/// basename); fails for another file, a part given twice or a missing file.
StatusOr<MovieLensFiles> classify_movielens(const std::string& source,
                                            const std::vector<std::string>& files);

/// Opens the files; fails (io_error naming the file) when one cannot be opened,
/// and (invalid_argument) when there is no movies file.
StatusOr<std::unique_ptr<RecordReader>> open_movielens_reader(const config::SourceConfig& source,
                                                              const MovieLensFiles& files,
                                                              const MovieLensOptions& options = {});

}  // namespace moviec::sources
