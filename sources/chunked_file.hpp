#pragma once
// A file read in fixed-size chunks into one buffer: what the streaming readers
// (sources/csv_reader.hpp, sources/tsv_reader.hpp) share. The reader looks at the
// bytes [pos(), end()) of data(), consumes them by advancing pos(), and calls
// fill() for more; fill() drops the consumed bytes, so the buffer holds one chunk
// plus what the reader has not consumed yet, whatever the file size.

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>

#include "common/status.hpp"

namespace moviec::sources {

class ChunkedFile {
 public:
  /// Opens `path` for reading `chunk_bytes` (at least 1) at a time; fails
  /// (io_error naming the file) when it cannot, or when it is a directory.
  static StatusOr<ChunkedFile> open(const std::string& path, std::size_t chunk_bytes);

  ChunkedFile(ChunkedFile&&) = default;
  ChunkedFile& operator=(ChunkedFile&&) = default;
  ChunkedFile(const ChunkedFile&) = delete;
  ChunkedFile& operator=(const ChunkedFile&) = delete;

  /// Moves the unconsumed bytes to the front and appends one chunk; false when
  /// nothing more could be read (the end of the file, or a read error: status()).
  /// Views into data() before the call are invalid after it.
  bool fill();

  const char* data() const { return buffer_.data(); }
  /// The first byte not consumed yet.
  std::size_t pos() const { return pos_; }
  /// One past the last byte read.
  std::size_t end() const { return end_; }
  /// Consumes n bytes (pos() + n <= end()).
  void advance(std::size_t n) { pos_ += n; }
  /// Consumes the bytes up to `p` (pos() <= p <= end()).
  void advance_to(std::size_t p) { pos_ = p; }
  /// The file has no more bytes to read (fill() has seen its end or an error).
  bool eof() const { return eof_; }

  /// ok, or the read error that ended the file early.
  const Status& status() const { return status_; }
  /// Bytes consumed so far, from the start of the file.
  std::uint64_t offset() const { return base_ + pos_; }
  /// The file's size when it was opened.
  std::uint64_t size() const { return size_; }
  const std::string& path() const { return path_; }

 private:
  struct FileCloser {
    void operator()(std::FILE* f) const { std::fclose(f); }
  };

  ChunkedFile(std::string path, std::unique_ptr<std::FILE, FileCloser> file, std::uint64_t size,
              std::size_t chunk_bytes);

  // --- member variables ----------------------------------------------------
  std::string path_;
  std::unique_ptr<std::FILE, FileCloser> file_;
  std::size_t chunk_bytes_ = 1;
  std::string buffer_;       // bytes [pos_, end_) are read but not consumed
  std::size_t pos_ = 0;
  std::size_t end_ = 0;
  std::uint64_t base_ = 0;   // file offset of buffer_[0]
  bool eof_ = false;
  std::uint64_t size_ = 0;
  Status status_;
};

}  // namespace moviec::sources
