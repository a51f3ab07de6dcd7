#include "sources/file_report.hpp"

#include <fmt/format.h>

namespace moviec::sources {

FileReport::FileReport(std::string name, std::size_t cap, std::string unmatched)
    : name_(std::move(name)), cap_(cap), unmatched_(std::move(unmatched)) {}

void FileReport::add(std::vector<Reject>& out, std::uint64_t line, RejectKind kind,
                     std::string reason, std::string source_id) {
  if (++counts_[kind] <= cap_)
    out.push_back(Reject{name_, line, std::move(reason), std::move(source_id)});
}

void FileReport::finish(std::vector<Reject>& out) {
  for (auto& [kind, n] : counts_)
    if (n > cap_)
      out.push_back(Reject{name_, 0,
                           fmt::format("{} more {} not listed ({} in all; "
                                       "max_rejects_per_file is {})",
                                       n - cap_, describe(kind), n, cap_),
                           {}, n - cap_});
  counts_.clear();
}

std::string FileReport::describe(RejectKind kind) const {
  switch (kind) {
    case RejectKind::malformed: return "malformed rows";
    case RejectKind::bad_value: return "rows with bad values";
    case RejectKind::unmatched: return unmatched_;
    case RejectKind::duplicate: return "duplicate rows";
    case RejectKind::io: return "read errors";
  }
  return "rows";
}

}  // namespace moviec::sources
