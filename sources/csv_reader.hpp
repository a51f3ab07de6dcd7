#pragma once
// A streaming RFC 4180 CSV reader. It reads the file in fixed-size chunks and
// keeps one chunk plus one record in memory, whatever the file size.
//
// What it accepts:
// - fields separated by the delimiter (',' unless told otherwise), records ended
//   by "\n" or "\r\n"; a final record without a line break is still a record;
// - quoted fields ("a, b"), a doubled quote inside them for one quote
//   ("say ""hi"""), and line breaks inside them (kept as they are);
// - a UTF-8 byte-order mark at the start of the file (dropped);
// - a quote inside an unquoted field is kept as a character (12" vinyl).
// Blank lines (no byte before the line break) are not records and are skipped.
// A record over max_record_bytes is skipped (too_long). A quoted field that runs
// past it is taken for an unclosed quote: the record ends at the next line break
// after the limit, and the line after it is read as a new record, so a stray
// quote costs its own row and not the rows up to the next quote in the file.
// It only splits: headers, null markers, UTF-8 checks and values belong to the
// format readers and sources/normalize.hpp.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.hpp"
#include "sources/chunked_file.hpp"

namespace moviec::sources {

struct CsvOptions {
  char delimiter = ',';
  std::size_t chunk_bytes = 64 * 1024;        // bytes per read from the file
  std::size_t max_record_bytes = 1024 * 1024; // longer records are reported as too_long
};

/// One record. The field views point into the record's own buffer and stay valid
/// until the record is passed to CsvReader::next again; so a record is not copied.
struct CsvRecord {
  CsvRecord() = default;
  CsvRecord(const CsvRecord&) = delete;
  CsvRecord& operator=(const CsvRecord&) = delete;

  std::uint64_t line = 0;      // physical line (1-based) where the record starts
  std::uint64_t end_line = 0;  // physical line where it ends (> line when a quoted field spans lines)
  std::vector<std::string_view> fields;  // unquoted, unescaped values
  bool too_long = false;       // over max_record_bytes: fields are empty, the record was skipped
  std::string error;           // "" or why the record is malformed (fields are still filled)

  // --- storage behind `fields` ---
  std::string buffer;
  std::vector<std::size_t> ends;  // end offset of each field in buffer
};

class CsvReader {
 public:
  /// Opens `path`; fails (io_error naming the file) when it cannot.
  static StatusOr<CsvReader> open(const std::string& path, CsvOptions options = {});

  CsvReader(CsvReader&&) = default;
  CsvReader& operator=(CsvReader&&) = default;
  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  /// Reads the next record; false at the end of the file or after a read error
  /// (see status()).
  bool next(CsvRecord& record);

  /// ok, or the read error that ended the file early.
  const Status& status() const { return in_.status(); }
  /// Bytes consumed so far: through the end of the last record returned.
  std::uint64_t offset() const { return in_.offset(); }
  /// The file's size when it was opened.
  std::uint64_t size() const { return in_.size(); }
  const std::string& path() const { return in_.path(); }

 private:
  CsvReader(ChunkedFile in, CsvOptions options) : in_(std::move(in)), options_(options) {}

  // --- member variables ----------------------------------------------------
  ChunkedFile in_;
  CsvOptions options_;
  bool at_start_ = true;        // nothing consumed yet: a byte-order mark may follow
  std::uint64_t line_ = 1;      // physical line of the next byte
};

}  // namespace moviec::sources
