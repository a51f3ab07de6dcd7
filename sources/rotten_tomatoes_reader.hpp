#pragma once
// The Rotten Tomatoes movies export (the Kaggle "rotten_tomatoes_movies.csv" of
// 2019/2020 and subsets of it) as a RecordReader. Columns are found by their
// header names, so the 2019 names (genre, in_theaters_date, runtime_in_minutes)
// and the 2020 ones (genres, original_release_date, runtime) both work, and
// columns may be missing or in any order; unknown columns are ignored.
//
// Contract:
// - One record per usable row, in file order (several files one after the
//   other); input is "<file>:<line>" (the line where the row starts).
// - source_id is rotten_tomatoes_link ("m/the_italian_job") when the file has
//   it; otherwise "<movie_title> (<in_theaters_date>)" as written in the file,
//   e.g. "The Italian Job (1969-01-01)". A second row with the same id is a
//   duplicate and rejected. No movie_id: matching resolves it.
// - title: cleaned, mojibake repaired (metadata title_repaired_from), trailing
//   bracketed parts as names ("Duck, You Sucker (A Fistful of Dynamite) (Giù la
//   testa)"). in_theaters_date -> registration_date (ISO) and year;
//   tomatometer_rating/_count and audience_rating/_count -> ratings
//   "tomatometer" and "audience" on 0-100; genre -> genres (comma-separated);
//   runtime -> runtime_minutes; rating (MPAA), statuses, on_streaming_date, the
//   critic counts and the people columns -> metadata.
// - Rejects carry file and line: malformed records (sources/csv_input.hpp), an
//   empty title, an impossible or future date, a rating outside 0..100, a bad
//   count or runtime. A header without movie_title, or without both
//   rotten_tomatoes_link and in_theaters_date, rejects its file at line 1.
// - Options: zero_means_missing lists columns where 0 means "no value"
//   (default: the runtime columns); max_rejects_per_file caps listed rejects.

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.hpp"
#include "config/config.hpp"
#include "sources/csv_reader.hpp"
#include "sources/normalize.hpp"
#include "sources/record_reader.hpp"

namespace moviec::sources {

struct RottenTomatoesOptions {
  std::size_t max_rejects_per_file = 10000;
  std::vector<std::string> zero_means_missing{"runtime_in_minutes", "runtime"};
  CsvOptions csv;

  /// Reads a source's "options" object (docs/sources.md, format rotten_tomatoes_csv).
  static StatusOr<RottenTomatoesOptions> from_json(const nlohmann::json& options);
};

/// The columns the reader knows, in the names of both export versions.
const std::vector<std::string>& rotten_tomatoes_columns();

/// Opens the files; fails (io_error naming the file) when one cannot be opened
/// and (invalid_argument) when none is given.
StatusOr<std::unique_ptr<RecordReader>> open_rotten_tomatoes_reader(
    const config::SourceConfig& source, const std::vector<std::string>& files,
    const RottenTomatoesOptions& options = {});

}  // namespace moviec::sources
