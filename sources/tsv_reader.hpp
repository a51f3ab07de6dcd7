#pragma once
// A streaming reader of tab-separated lines. It reads the file in fixed-size
// chunks and keeps at most one chunk plus one line in memory, whatever the file
// size. It only splits: quoting, null markers and validation belong to the
// format readers (sources/imdb_reader.hpp) and sources/normalize.hpp.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.hpp"
#include "sources/chunked_file.hpp"

namespace moviec::sources {

struct TsvOptions {
  std::size_t chunk_bytes = 64 * 1024;      // bytes per read from the file
  std::size_t max_line_bytes = 1024 * 1024; // longer lines are reported as too_long
};

/// One line of the file. The views point into the reader's buffer and stay valid
/// until the next call to TsvReader::next.
struct TsvLine {
  std::uint64_t number = 0;              // 1-based line number
  std::string_view text;                 // without its terminator ("\n" or "\r\n")
  std::vector<std::string_view> fields;  // text split on '\t'; one empty field for ""
  bool too_long = false;                 // over max_line_bytes: text and fields are empty
};

/// Splits `text` on '\t' into `fields` (cleared first); one empty field for "".
void split_tsv_fields(std::string_view text, std::vector<std::string_view>& fields);

class TsvReader {
 public:
  /// Opens `path` for reading; fails (io_error naming the file) when it cannot.
  static StatusOr<TsvReader> open(const std::string& path, TsvOptions options = {});

  TsvReader(TsvReader&&) = default;
  TsvReader& operator=(TsvReader&&) = default;
  TsvReader(const TsvReader&) = delete;
  TsvReader& operator=(const TsvReader&) = delete;

  /// Reads the next line; false at the end of the file or after a read error
  /// (see status()). A final line without a newline is still a line; a file that
  /// ends with a newline has no empty line after it.
  bool next(TsvLine& line);

  /// ok, or the read error that ended the file early.
  const Status& status() const { return in_.status(); }

  /// Bytes consumed so far: through the end of the last line returned.
  std::uint64_t offset() const { return in_.offset(); }
  /// The file's size when it was opened.
  std::uint64_t size() const { return in_.size(); }
  const std::string& path() const { return in_.path(); }

 private:
  TsvReader(ChunkedFile in, TsvOptions options) : in_(std::move(in)), options_(options) {}

  // --- member variables ----------------------------------------------------
  ChunkedFile in_;
  TsvOptions options_;
  bool skipping_ = false;      // discarding the rest of a too-long line
  std::uint64_t line_number_ = 0;
};

}  // namespace moviec::sources
