#pragma once
// One CSV input file of a format reader (MovieLens, Rotten Tomatoes): the header
// read first, then only well-formed records. The generic faults of a record are
// reported here, each as a reject with the file and the line where the record
// starts: too long, bad quoting, a wrong number of columns, invalid UTF-8.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.hpp"
#include "sources/csv_reader.hpp"
#include "sources/file_report.hpp"
#include "sources/record_reader.hpp"

namespace moviec::sources {

class CsvInput {
 public:
  /// Opens `path`; rejects name the file by its basename. `unmatched` describes
  /// RejectKind::unmatched rows in the summary of rejects beyond `cap`.
  static StatusOr<CsvInput> open(const std::string& path, CsvOptions options, std::size_t cap,
                                 std::string unmatched = "rows without a match");

  /// Reads the header line; nullopt (with a reject at line 1) for an empty file.
  /// Records then need as many fields as the header has.
  std::optional<std::vector<std::string>> header(std::vector<Reject>& rejects);

  /// Gives the file up at the header: one reject at line 1, nothing more is read.
  void refuse(std::vector<Reject>& rejects, std::string reason);

  /// The next well-formed record; nullptr at the end of the file, when the
  /// report's summary has been added to `rejects`.
  const CsvRecord* next(std::vector<Reject>& rejects);

  /// Stops reading: the rest of the file is neither read nor reported.
  void close() { done_ = true; }

  /// Reports the current record as rejected.
  void reject(std::vector<Reject>& rejects, RejectKind kind, std::string reason,
              std::string source_id = {});

  /// Line where the current record starts.
  std::uint64_t line() const { return record_->line; }
  const std::string& name() const { return report_.name(); }
  FileReport& report() { return report_; }
  bool unusable() const { return unusable_; }
  bool done() const { return done_; }
  std::uint64_t offset() const { return done_ ? csv_.size() : csv_.offset(); }
  std::uint64_t size() const { return csv_.size(); }

  CsvInput(CsvInput&&) = default;

 private:
  CsvInput(CsvReader csv, std::string name, std::size_t cap, std::string unmatched);

  // --- member variables ----------------------------------------------------
  CsvReader csv_;
  FileReport report_;
  std::unique_ptr<CsvRecord> record_ = std::make_unique<CsvRecord>();  // on the heap: its views survive moves
  std::size_t columns_ = 0;
  std::vector<std::string> names_;  // the header's column names
  bool unusable_ = false;
  bool done_ = false;
};

}  // namespace moviec::sources
