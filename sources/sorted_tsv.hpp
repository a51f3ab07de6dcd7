#pragma once
// A TSV file read whole into memory and handed out line by line in key order: how
// a reader that merge-joins sorted files copes with a file that is not sorted.
// Memory is the file's bytes plus 24 bytes per line (an Entry), nothing more at
// any moment (the line count is taken first so nothing grows by doubling, and the
// sort is in place), so callers bound the file size first
// (ImdbOptions::max_unsorted_bytes). Measured: docs/sources.md.

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.hpp"
#include "sources/tsv_reader.hpp"

namespace moviec::sources {

class SortedTsv {
 public:
  /// The sort key of a line, from its first field; lines with equal keys keep
  /// their file order.
  using KeyFn = std::uint64_t (*)(std::string_view first_field);

  /// Reads `path`; the first `header_lines` lines stay first, the rest are
  /// ordered by `key`. Fails (io_error naming the file) when it cannot be read.
  static StatusOr<SortedTsv> load(const std::string& path, KeyFn key, TsvOptions options = {},
                                  std::uint64_t header_lines = 1);

  /// Like TsvReader::next: the next line in key order, with its original line
  /// number; false after the last one. Views stay valid until the next call.
  bool next(TsvLine& line);

  const Status& status() const { return status_; }
  /// Bytes of the lines handed out so far (the file's size once all are).
  std::uint64_t offset() const { return next_ == entries_.size() ? size_ : std::min(consumed_, size_); }
  std::uint64_t size() const { return size_; }

 private:
  struct Entry {
    std::uint64_t key = 0;
    std::uint64_t begin = 0;   // text_ offset
    std::uint32_t number = 0;  // line number in the file (load refuses more lines)
    std::uint32_t length = 0;  // kTooLong: the line was over max_line_bytes
  };
  static_assert(sizeof(Entry) == 24, "the documented memory cost is 24 bytes a line");
  static constexpr std::uint32_t kTooLong = UINT32_MAX;

  // --- member variables ----------------------------------------------------
  std::string text_;             // every line's text, back to back
  std::vector<Entry> entries_;   // in key order once loaded
  std::size_t next_ = 0;
  std::uint64_t consumed_ = 0;
  std::uint64_t size_ = 0;
  Status status_;
};

}  // namespace moviec::sources
