#pragma once
// A TSV file handed out line by line in key order: how a reader that merge-joins
// sorted files copes with a file that is not sorted.
//
// Memory is bounded by Spill::memory_bytes. A file whose bytes plus 24 bytes a
// line (an Entry) fit is read whole and sorted in place (the line count is taken
// first, so nothing grows by doubling). A bigger one is an external merge sort:
// pieces of at most memory_bytes (text + entries) are sorted in memory and written
// as runs to unnamed files in Spill::dir (created with mkstemp and unlinked at
// once: nothing is left behind, even after kill -9), then the runs are merged
// through one read buffer each (memory_bytes shared between them, 4 KiB..1 MiB
// each). Disk: the file's size plus 16 bytes a line, for as long as it is read.
// Measured: docs/sources.md.

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.hpp"
#include "sources/tsv_reader.hpp"

namespace moviec::sources {

/// Where and past what size SortedTsv sorts a file on disk.
struct SortSpill {
  std::string dir;                           // runs go here; empty: the system temp dir
  std::uint64_t memory_bytes = 64ull << 20;  // text + 24 B a line held at once
};

class SortedTsv {
 public:
  /// The sort key of a line, from its first field; lines with equal keys keep
  /// their file order.
  using KeyFn = std::uint64_t (*)(std::string_view first_field);

  using Spill = SortSpill;

  /// Reads `path`; the first `header_lines` lines stay first, the rest are
  /// ordered by `key`. Fails (io_error naming the file, or the run directory and
  /// the reason, e.g. a full disk) when it cannot be read or a run cannot be written.
  static StatusOr<SortedTsv> load(const std::string& path, KeyFn key, TsvOptions options = {},
                                  std::uint64_t header_lines = 1, Spill spill = {});

  SortedTsv() = default;
  SortedTsv(SortedTsv&&) noexcept = default;
  SortedTsv& operator=(SortedTsv&&) noexcept = default;
  ~SortedTsv();

  /// Like TsvReader::next: the next line in key order, with its original line
  /// number; false after the last one (or on a read error of a run: status()).
  /// Views stay valid until the next call.
  bool next(TsvLine& line);

  const Status& status() const { return status_; }
  /// Bytes of the lines handed out so far (the file's size once all are).
  std::uint64_t offset() const { return finished() ? size_ : std::min(consumed_, size_); }
  std::uint64_t size() const { return size_; }
  /// Runs written to disk; 0 when the file was sorted in memory.
  std::size_t runs() const { return runs_.size(); }

 private:
  struct Entry {
    std::uint64_t key = 0;
    std::uint64_t begin = 0;   // text_ offset
    std::uint32_t number = 0;  // line number in the file (load refuses more lines)
    std::uint32_t length = 0;  // kTooLong: the line was over max_line_bytes
  };
  static_assert(sizeof(Entry) == 24, "the documented memory cost is 24 bytes a line");
  static constexpr std::uint32_t kTooLong = UINT32_MAX;

  /// One sorted run on disk, read back one line at a time.
  struct Run {
    int fd = -1;                     // while written (the file owns it once merging)
    std::FILE* file = nullptr;
    std::unique_ptr<char[]> buffer;  // its stdio buffer
    std::uint64_t key = 0;           // the current line's
    std::uint32_t number = 0;
    std::uint32_t length = 0;
    std::string text;
    Run() = default;
    Run(const Run&) = delete;
    Run& operator=(const Run&) = delete;
    ~Run() {
      if (file) std::fclose(file);
      else if (fd >= 0) close_fd(fd);
    }
    static void close_fd(int fd);
  };

  static bool before(const Entry& a, const Entry& b) {
    return a.key != b.key ? a.key < b.key : a.number < b.number;
  }
  Status write_run(const std::string& dir);
  Status start_merge(std::uint64_t memory_bytes);
  Status run_error(const char* what, const std::string& dir, int error) const;
  /// Reads run `r`'s next line; false at its end (status_ set on a read error).
  bool advance(Run& r);
  bool finished() const {
    return done_ || (runs_.empty() ? next_ == entries_.size() : heap_.empty());
  }
  bool next_in_memory(TsvLine& line);
  bool next_merged(TsvLine& line);

  // --- member variables ----------------------------------------------------
  std::string text_;             // every line's text, back to back (in memory)
  std::vector<Entry> entries_;   // in key order once loaded (in memory)
  std::size_t next_ = 0;
  std::vector<std::unique_ptr<Run>> runs_;  // on disk
  std::vector<Run*> heap_;       // runs with a current line, smallest first (std heap)
  std::string current_;          // the line handed out from a run
  std::string path_;
  std::uint64_t consumed_ = 0;
  std::uint64_t size_ = 0;
  bool done_ = false;
  Status status_;
};

}  // namespace moviec::sources
