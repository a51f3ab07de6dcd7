#pragma once
// The rejects of one input file, listed up to a cap per kind and counted beyond
// it, so a broken 10-million-row file reports in bounded memory. Shared by the
// format readers.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "sources/record_reader.hpp"

namespace moviec::sources {

/// Kinds of rejects, counted separately against the cap.
enum class RejectKind { malformed, bad_value, unmatched, duplicate, io };

class FileReport {
 public:
  /// `name` is the file's basename as rejects show it; `unmatched` describes
  /// RejectKind::unmatched rows in the summary ("rows without a title.basics row").
  FileReport(std::string name, std::size_t cap, std::string unmatched = "rows without a match");

  const std::string& name() const { return name_; }

  /// Lists the reject in `out` while fewer than `cap` of its kind were listed;
  /// `source_id` is the row's id when it could be read.
  void add(std::vector<Reject>& out, std::uint64_t line, RejectKind kind, std::string reason,
           std::string source_id = {});

  /// Once, at the end of the file: one summary (line 0) per kind that went over the cap.
  void finish(std::vector<Reject>& out);

 private:
  std::string describe(RejectKind kind) const;

  // --- member variables ----------------------------------------------------
  std::string name_;
  std::size_t cap_;
  std::string unmatched_;
  std::map<RejectKind, std::uint64_t> counts_;
};

}  // namespace moviec::sources
