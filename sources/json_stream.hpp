#pragma once
// A streaming splitter of JSON records: one top-level array of records
// (`[{...}, {...}]`, any size) or JSON lines (one record per line). It keeps at
// most one chunk plus one record in memory, whatever the input size, and does not
// parse: it finds where each record starts and ends (by bracket depth, outside
// strings), so a broken record is reported alone and the rest still goes through.
// Turning a record's text into JSON is parse_json_record's job.
//
// Contract:
// - Records come in input order with the line their first byte is on (1-based).
// - A record longer than max_record_bytes, an array that is cut off inside a
//   record, input that is not an array when one is required, and bytes after the
//   closing `]` each give one JsonElement with a `problem` (and no text); reading
//   goes on where it can (after a too-long record) or ends (everything else).
// - Blank lines in JSON lines are skipped; `\r\n` and a UTF-8 byte-order mark are
//   accepted; a trailing comma before `]` is tolerated.
// - position()/seek() resume at a record boundary of the same input (inbox
//   checkpoints): seek to a position taken after record N and the next record is N+1.

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/status.hpp"

namespace moviec::sources {

enum class JsonContainer {
  detect,  // an array when the first byte is '[', else JSON lines
  array,   // one top-level array of records
  lines,   // one record per line
};

struct JsonStreamOptions {
  std::size_t chunk_bytes = 64 * 1024;
  std::size_t max_record_bytes = 16 * 1024 * 1024;
};

/// One record's bytes, or why there is no usable record here.
struct JsonElement {
  std::uint64_t line = 0;   // line of the record's first byte
  std::string_view text;    // trimmed record text; valid until the next call to next()
  std::string problem;      // non-empty: unusable input here (text is empty)
};

/// A record boundary to resume from: byte offset, line number and scanner state.
struct JsonStreamPosition {
  std::uint64_t offset = 0;
  std::uint64_t line = 1;
  int state = 0;
};

class JsonStream {
 public:
  /// Opens a file; fails (io_error naming the file) when it cannot be read.
  static StatusOr<JsonStream> open(const std::string& path, JsonContainer container,
                                   JsonStreamOptions options = {});
  /// Reads from memory (a pushed request body); `name` stands for it in messages.
  static JsonStream from_memory(std::string name, std::shared_ptr<const std::string> bytes,
                                JsonContainer container, JsonStreamOptions options = {});

  JsonStream(JsonStream&&) noexcept;
  JsonStream& operator=(JsonStream&&) noexcept;
  ~JsonStream();

  /// The next record (or problem); false at the end of the input or after a read
  /// error (see status()).
  bool next(JsonElement& out);

  /// ok, or the read error that ended the input early.
  const Status& status() const { return status_; }
  /// Where the stream stands: after the last record returned.
  JsonStreamPosition position() const;
  /// Continues from a position() taken on the same input.
  Status seek(const JsonStreamPosition& position);

  std::uint64_t offset() const { return base_ + scan_; }
  std::uint64_t size() const { return size_; }
  const std::string& name() const { return name_; }
  /// The container found (array or lines); `detect` until the first byte is seen.
  JsonContainer container() const { return container_; }

 private:
  struct Source;  // a file or a string in memory
  enum State : int { kStart = 0, kArray = 1, kArrayClosed = 2, kLines = 3, kEnd = 4 };

  JsonStream(std::string name, std::unique_ptr<Source> source, std::uint64_t size,
             JsonContainer container, JsonStreamOptions options);

  int peek();      // the byte at scan_ (reading more when needed); -1 at end of input
  void advance();  // past the byte at scan_, counting lines
  bool fill();     // appends a chunk, keeping [begin_, end_); false when nothing came
  void skip_space();
  bool next_in_array(JsonElement& out);
  bool next_line(JsonElement& out);

  // --- member variables ----------------------------------------------------
  std::string name_;
  std::unique_ptr<Source> source_;
  JsonContainer container_;
  JsonStreamOptions options_;
  std::string buffer_;
  std::size_t begin_ = 0;      // first byte still needed (start of the record being read)
  std::size_t scan_ = 0;       // next byte to look at
  std::size_t end_ = 0;        // bytes [0, end_) of buffer_ hold input
  std::uint64_t base_ = 0;     // input offset of buffer_[0]
  std::uint64_t line_ = 1;     // line of the byte at scan_
  std::uint64_t size_ = 0;
  bool eof_ = false;
  bool discarding_ = false;    // inside a too-long record: scanned bytes are dropped
  State state_ = kStart;
  Status status_;
};

/// Parses one record's text. The error (invalid_argument) says where and why:
/// "invalid JSON at byte 12 of the record: syntax error ...".
StatusOr<nlohmann::json> parse_json_record(std::string_view text);

}  // namespace moviec::sources
