#pragma once
// A streaming reader of tab-separated lines. It reads the file in fixed-size
// chunks and keeps at most one chunk plus one line in memory, whatever the file
// size. It only splits: quoting, null markers and validation belong to the
// format readers (sources/imdb_reader.hpp) and sources/normalize.hpp.

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.hpp"

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
  const Status& status() const { return status_; }

  /// Bytes consumed so far: through the end of the last line returned.
  std::uint64_t offset() const { return offset_; }
  /// The file's size when it was opened.
  std::uint64_t size() const { return size_; }
  const std::string& path() const { return path_; }

 private:
  struct FileCloser {
    void operator()(std::FILE* f) const { std::fclose(f); }
  };

  TsvReader(std::string path, std::unique_ptr<std::FILE, FileCloser> file, std::uint64_t size,
            TsvOptions options);

  // Moves the unconsumed bytes to the front and appends one chunk; false when
  // nothing more can be read (end of file or error).
  bool fill();

  // --- member variables ----------------------------------------------------
  std::string path_;
  std::unique_ptr<std::FILE, FileCloser> file_;
  TsvOptions options_;
  std::string buffer_;         // bytes [begin_, end_) are read but not consumed
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
  bool eof_ = false;           // the file has no more bytes to read
  bool skipping_ = false;      // discarding the rest of a too-long line
  std::uint64_t line_number_ = 0;
  std::uint64_t offset_ = 0;
  std::uint64_t size_ = 0;
  Status status_;
};

}  // namespace moviec::sources
