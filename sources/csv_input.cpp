#include "sources/csv_input.hpp"

#include <filesystem>

#include <fmt/format.h>

#include "sources/normalize.hpp"

namespace moviec::sources {

StatusOr<CsvInput> CsvInput::open(const std::string& path, CsvOptions options, std::size_t cap,
                                  std::string unmatched) {
  auto csv = CsvReader::open(path, options);
  if (!csv) return csv.status();
  return CsvInput(csv.take(), std::filesystem::path(path).filename().string(), cap,
                  std::move(unmatched));
}

CsvInput::CsvInput(CsvReader csv, std::string name, std::size_t cap, std::string unmatched)
    : csv_(std::move(csv)), report_(std::move(name), cap, std::move(unmatched)) {}

std::optional<std::vector<std::string>> CsvInput::header(std::vector<Reject>& rejects) {
  if (!csv_.next(*record_)) {
    unusable_ = true;
    done_ = true;
    rejects.push_back(Reject{name(), 1,
                             csv_.status().is_ok() ? "empty file: no header line"
                                                   : csv_.status().message(), {}});
    return std::nullopt;
  }
  std::vector<std::string> names;
  for (auto f : record_->fields) names.emplace_back(trim(f));
  columns_ = names.size();
  names_ = names;
  return names;
}

void CsvInput::refuse(std::vector<Reject>& rejects, std::string reason) {
  unusable_ = true;
  done_ = true;
  rejects.push_back(Reject{name(), 1, std::move(reason), {}});
}

void CsvInput::reject(std::vector<Reject>& rejects, RejectKind kind, std::string reason,
                      std::string source_id) {
  report_.add(rejects, record_->line, kind, std::move(reason), std::move(source_id));
}

const CsvRecord* CsvInput::next(std::vector<Reject>& rejects) {
  if (done_) return nullptr;
  while (csv_.next(*record_)) {
    auto& r = *record_;
    if (r.too_long) {
      reject(rejects, RejectKind::malformed, r.error.empty() ? "record too long" : r.error);
      continue;
    }
    if (!r.error.empty()) {
      reject(rejects, RejectKind::malformed, r.error);
      continue;
    }
    if (r.fields.size() != columns_) {
      reject(rejects, RejectKind::malformed,
             fmt::format("expected {} columns, got {}", columns_, r.fields.size()));
      continue;
    }
    std::string problem;
    for (std::size_t i = 0; i < r.fields.size() && problem.empty(); ++i)
      if (auto p = utf8_problem(r.fields[i]); !p.empty())
        problem = fmt::format("{}: {}", names_[i], p);
    if (!problem.empty()) {
      reject(rejects, RejectKind::malformed, problem);
      continue;
    }
    return &r;
  }
  if (!csv_.status().is_ok()) report_.add(rejects, 0, RejectKind::io, csv_.status().message());
  report_.finish(rejects);
  done_ = true;
  return nullptr;
}

}  // namespace moviec::sources
