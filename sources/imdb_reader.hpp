#pragma once
// The IMDb non-commercial dataset as a RecordReader: title.basics.tsv joined with
// title.ratings.tsv and, when given, title.akas.tsv.
//
// Contract:
// - One record per usable title.basics row, in tconst order; input is
//   "title.basics.tsv:<line>", the row's line in the file.
// - The files are merge-joined by tconst. A file sorted by tconst numerically (as
//   IMDb ships them) streams: memory is bounded by one line per file plus the
//   akas of one title, whatever its size. Each file is checked first (one pass
//   over its first column); one that is not sorted is read whole and sorted in
//   memory when it is at most max_unsorted_bytes, so no row is lost, and is
//   otherwise not read at all: one reject (line 0) says "not sorted by tconst and
//   larger than max_unsorted_bytes ...; sort it first".
// - Every unusable row becomes a Reject {basename, line, reason}; the rest goes
//   through. A wrong header rejects the file at line 1 and nothing is read from
//   it. A ratings or akas row whose tconst has no basics row is rejected ("no
//   title.basics row for ttNNN in this input"). A second row for one tconst in
//   basics or ratings is a duplicate and rejected.
// - At most max_rejects_per_file rejects of one kind are listed per file; the
//   rest are counted in one summary reject (line 0) at the end of that file.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/status.hpp"
#include "config/config.hpp"
#include "sources/record_reader.hpp"
#include "sources/tsv_reader.hpp"

namespace moviec::sources {

/// Which file plays which part; empty when not given.
struct ImdbFiles {
  std::string basics;   // title.basics.tsv, required
  std::string ratings;  // title.ratings.tsv
  std::string akas;     // title.akas.tsv
};

struct ImdbOptions {
  std::size_t max_rejects_per_file = 10000;  // listed rejects per file and kind
  std::uint64_t max_unsorted_bytes = 256ull << 20;  // largest unsorted file sorted (else refused)
  std::uint64_t sort_memory_bytes = 64ull << 20;    // memory to sort one; beyond it, runs on disk
  std::string sort_dir;  // where those runs go (not an option: open_reader sets DATA/tmp)
  TsvOptions tsv;

  /// Reads a source's "options" object (docs/config.md, format imdb_tsv).
  static StatusOr<ImdbOptions> from_json(const nlohmann::json& options);
};

/// True for an IMDb title id: "tt" followed by one or more digits.
bool is_imdb_id(std::string_view id);

/// IMDb ids in numeric order: shorter first, then bytewise ("tt9" < "tt10").
bool imdb_id_less(std::string_view a, std::string_view b);

/// Opens the files; fails (io_error naming the file) when one cannot be opened,
/// and (invalid_argument) when there is no basics file.
StatusOr<std::unique_ptr<RecordReader>> open_imdb_reader(const config::SourceConfig& source,
                                                         const ImdbFiles& files,
                                                         const ImdbOptions& options = {});

}  // namespace moviec::sources
