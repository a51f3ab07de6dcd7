#pragma once
// The port every source format implements: a pull-based stream of normalized
// SourceRecords from input files, with rejects reported as they are met. Readers
// hold a bounded amount of memory whatever the input size.

#include <charconv>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.hpp"
#include "config/config.hpp"
#include "events/source_record.hpp"
#include "sources/assets.hpp"

namespace moviec::sources {

/// Input that could not be used, and why. The rest of the input still goes through.
struct Reject {
  std::string file;
  std::uint64_t line = 0;  // 1-based; 0 when the reject is about the whole file
  std::string reason;
  std::string source_id;  // the row's id when it could be read: a removal pass counts it as seen
  std::uint64_t count = 1;  // rejected rows it stands for: more for "N more ... not listed"
};

struct Item {
  events::SourceRecord record;
  std::string input;  // where it came from, "title.basics.tsv:42": the causation of its event
};

/// An Item's input: "FILE:LINE". Written once per record read, so without fmt.
inline std::string input_at(std::string_view file, std::uint64_t line) {
  std::string out;
  out.reserve(file.size() + 21);
  out.append(file);
  out += ':';
  char digits[20];
  out.append(digits, std::to_chars(digits, digits + sizeof digits, line).ptr);
  return out;
}

class RecordReader {
 public:
  virtual ~RecordReader() = default;

  /// Fills `out` with the next record and returns true; false at the end of input.
  /// Rejected rows met on the way are appended to `rejects`.
  virtual bool next(Item& out, std::vector<Reject>& rejects) = 0;

  /// Progress: bytes consumed so far and in total (all input files).
  virtual std::uint64_t bytes_read() const = 0;
  virtual std::uint64_t bytes_total() const = 0;

  /// ok, or why the input ended early (a read error, a feed that stopped
  /// answering). A run whose reader failed is not a full snapshot: no removals.
  virtual Status status() const { return Status::ok(); }

  /// Where the reader stands, after the last record returned, as JSON to keep in
  /// a checkpoint; null when this reader cannot resume mid-way (the caller then
  /// skips records it already has instead).
  virtual nlohmann::json position() const { return nullptr; }

  /// Continues from a position() taken by a reader of the same input.
  virtual Status resume(const nlohmann::json& position) {
    (void)position;
    return Status::invalid("this reader cannot resume mid-way");
  }
};

/// Opens a reader for `source` over `files` (which file is which is decided by the
/// format, e.g. by name for IMDb). Fails for an unknown format or unreadable file.
/// Layout sources store poster and trailer paths into the bucket of `assets`
/// (default: none, paths refused: sources/assets.hpp).
StatusOr<std::unique_ptr<RecordReader>> open_reader(const config::SourceConfig& source,
                                                    const std::vector<std::string>& files,
                                                    const AssetOptions& assets = {});

}  // namespace moviec::sources
