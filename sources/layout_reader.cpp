#include "sources/layout_reader.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <optional>

#include <fmt/format.h>

#include "sources/csv_reader.hpp"
#include "sources/json_stream.hpp"
#include "sources/layout_mapper.hpp"
#include "sources/normalize.hpp"
#include "sources/seen_ids.hpp"
#include "sources/tsv_reader.hpp"

namespace moviec::sources {

namespace {

namespace fs = std::filesystem;

/// A CSV/TSV row as a Row: mapper column i is field index[i] of the row.
class TableRow : public Row {
 public:
  TableRow(const std::vector<std::string_view>& fields, const std::vector<std::size_t>& index)
      : fields_(fields), index_(index) {}
  Cell cell(std::size_t column) const override {
    Cell c;
    auto at = index_[column];
    if (at >= fields_.size()) return c;
    c.kind = Cell::Kind::text;
    c.text = fields_[at];
    return c;
  }

 private:
  const std::vector<std::string_view>& fields_;
  const std::vector<std::size_t>& index_;
};

std::string join(const std::vector<std::string_view>& names) {
  std::string out;
  for (auto n : names) out += (out.empty() ? "" : ", ") + std::string(n);
  return out;
}

class LayoutReader final : public RecordReader {
 public:
  LayoutReader(const config::SourceConfig& source, const config::Layout& layout,
               std::vector<std::string> files, std::uint64_t total, AssetOptions assets)
      : mapper_(source.name, layout), files_(std::move(files)), total_(total), assets_(std::move(assets)) {}

  bool next(Item& out, std::vector<Reject>& rejects) override {
    for (;;) {
      if (!json_ && !csv_ && !tsv_ && !open_next(rejects)) return false;
      bool got = json_ ? next_json(out, rejects) : next_table(out, rejects);
      if (got) return true;
      close_current();
      if (!status_.is_ok()) return false;
    }
  }

  std::uint64_t bytes_read() const override {
    std::uint64_t current = json_ ? json_->offset() : csv_ ? csv_->offset() : tsv_ ? tsv_->offset() : 0;
    return done_bytes_ + current;
  }
  std::uint64_t bytes_total() const override { return total_; }
  Status status() const override { return status_; }

  nlohmann::json position() const override {
    if (!mapper_.layout().is_json() || mapper_.derives_ids()) return nullptr;
    nlohmann::json p{{"file", opened_}, {"name", name_}};
    if (json_) {
      auto at = json_->position();
      p["offset"] = at.offset;
      p["line"] = at.line;
      p["state"] = at.state;
    }
    return p;
  }

  Status resume(const nlohmann::json& p) override {
    if (!mapper_.layout().is_json() || mapper_.derives_ids())
      return RecordReader::resume(p);
    if (!p.is_object() || !p.contains("file") || !p["file"].is_number_unsigned())
      return Status::invalid("bad resume position " + p.dump());
    auto file = p["file"].get<std::size_t>();
    if (file == 0 || file > files_.size())
      return Status::invalid(fmt::format("resume position names file {} of {}", file, files_.size()));
    close_current();
    done_bytes_ = 0;
    for (std::size_t i = 0; i + 1 < file; ++i) {
      std::error_code ec;
      auto size = fs::file_size(files_[i], ec);
      done_bytes_ += ec ? 0 : size;
    }
    next_file_ = file - 1;
    std::vector<Reject> ignored;
    if (!open_next(ignored)) return Status::io_error("cannot reopen " + files_[file - 1]);
    if (!p.contains("offset")) return Status::ok();
    JsonStreamPosition at;
    at.offset = p.value("offset", std::uint64_t{0});
    at.line = p.value("line", std::uint64_t{1});
    at.state = p.value("state", 0);
    return json_->seek(at);
  }

 private:
  // Opens files_[next_file_]; false when there is none left or it failed (status_).
  bool open_next(std::vector<Reject>& rejects) {
    while (next_file_ < files_.size()) {
      const std::string& path = files_[next_file_++];
      opened_ = next_file_;
      name_ = fs::path(path).filename().string();
      dir_ = fs::path(path).parent_path();
      const auto& layout = mapper_.layout();
      if (layout.is_json()) {
        auto s = JsonStream::open(path, layout.type == "jsonl" ? JsonContainer::lines : JsonContainer::detect);
        if (!s) return fail(s.status());
        json_.emplace(s.take());
        return true;
      }
      Status opened = layout.type == "tsv" ? open_tsv(path) : open_csv(path);
      if (!opened) return fail(opened);
      if (read_header(rejects)) return true;
      close_current();  // rejected at its header: go on with the next file
    }
    return false;
  }

  Status open_csv(const std::string& path) {
    CsvOptions options;
    options.delimiter = mapper_.layout().delimiter;
    auto r = CsvReader::open(path, options);
    if (!r) return r.status();
    csv_.emplace(r.take());
    return Status::ok();
  }

  Status open_tsv(const std::string& path) {
    auto r = TsvReader::open(path);
    if (!r) return r.status();
    tsv_.emplace(r.take());
    return Status::ok();
  }

  bool fail(const Status& s) {
    status_ = s;
    return false;
  }

  void close_current() {
    done_bytes_ += json_ ? json_->size() : csv_ ? csv_->size() : tsv_ ? tsv_->size() : 0;
    if (json_ && !json_->status().is_ok()) status_ = json_->status();
    if (csv_ && !csv_->status().is_ok()) status_ = csv_->status();
    if (tsv_ && !tsv_->status().is_ok()) status_ = tsv_->status();
    json_.reset();
    csv_.reset();
    tsv_.reset();
  }

  // Reads one CSV/TSV row into fields_; false at the end of the file.
  bool read_row(std::uint64_t& line, std::string& problem) {
    problem.clear();
    if (csv_) {
      if (!csv_->next(csv_row_)) return false;
      line = csv_row_.line;
      fields_ = csv_row_.fields;
      if (csv_row_.too_long && csv_row_.error.empty()) problem = "row longer than the reader's limit";
      else problem = csv_row_.error;
      return true;
    }
    if (!tsv_->next(tsv_row_)) return false;
    line = tsv_row_.number;
    fields_ = tsv_row_.fields;
    if (tsv_row_.too_long) problem = "row longer than the reader's limit";
    return true;
  }

  // Maps the layout's columns to positions in a row; false (file rejected) when a
  // column is missing from the header.
  bool read_header(std::vector<Reject>& rejects) {
    const auto& layout = mapper_.layout();
    const auto& columns = mapper_.columns();
    index_.assign(columns.size(), SIZE_MAX);
    if (!layout.header) {
      width_ = layout.columns.size();
      for (std::size_t i = 0; i < columns.size(); ++i)
        for (std::size_t k = 0; k < layout.columns.size(); ++k)
          if (layout.columns[k] == columns[i]) index_[i] = k;
      return true;
    }
    std::uint64_t line = 0;
    std::string problem;
    if (!read_row(line, problem)) {
      rejects.push_back({name_, 1, "empty file (expected a header row)", ""});
      return false;
    }
    if (!problem.empty()) {
      rejects.push_back({name_, line, "header row: " + problem, ""});
      return false;
    }
    width_ = fields_.size();
    for (std::size_t i = 0; i < columns.size(); ++i) {
      for (std::size_t k = 0; k < fields_.size(); ++k)
        if (trim(fields_[k]) == columns[i]) {
          index_[i] = k;
          break;
        }
      if (index_[i] == SIZE_MAX) {
        rejects.push_back({name_, line,
                           fmt::format("no column \"{}\" in the header (it has: {})", columns[i],
                                       join(fields_)),
                           ""});
        return false;
      }
    }
    return true;
  }

  bool next_table(Item& out, std::vector<Reject>& rejects) {
    std::uint64_t line = 0;
    std::string problem;
    while (read_row(line, problem)) {
      if (!problem.empty()) {
        rejects.push_back({name_, line, problem, ""});
        continue;
      }
      if (fields_.size() != width_) {
        rejects.push_back({name_, line,
                           fmt::format("expected {} fields, got {}", width_, fields_.size()), ""});
        continue;
      }
      TableRow row(fields_, index_);
      if (map(row, line, out, rejects)) return true;
    }
    return false;
  }

  bool next_json(Item& out, std::vector<Reject>& rejects) {
    JsonElement e;
    while (json_->next(e)) {
      if (!e.problem.empty()) {
        rejects.push_back({name_, e.line, e.problem, ""});
        continue;
      }
      auto value = parse_json_record(e.text);
      if (!value) {
        rejects.push_back({name_, e.line, value.status().message(), ""});
        continue;
      }
      if (!value->is_object()) {
        rejects.push_back({name_, e.line,
                           fmt::format("expected a JSON object, got {}", value->type_name()), ""});
        continue;
      }
      JsonRow row(*value, mapper_.columns());
      if (map(row, e.line, out, rejects)) return true;
    }
    return false;
  }

  bool map(const Row& row, std::uint64_t line, Item& out, std::vector<Reject>& rejects) {
    std::string id;
    auto record = mapper_.map(row, id);
    if (!record) {
      rejects.push_back({name_, line, record.status().message(), id});
      return false;
    }
    if (!record->posters.empty() || !record->trailers.empty())
      if (auto s = resolve_assets(*record, dir_, assets_); !s) {
        rejects.push_back({name_, line, s.message(), id});
        return false;
      }
    if (!mapper_.derives_ids() && is_repeat(id, line, rejects)) return false;
    out.record = record.take();
    out.input = input_at(name_, line);
    return true;
  }

  // A second row for one source id is rejected: the first stands, as a table with
  // that id as its key would keep it. (Derived ids never repeat: the mapper numbers
  // their repeats.) Ids seen before a resume's seek are not remembered.
  bool is_repeat(const std::string& id, std::uint64_t line, std::vector<Reject>& rejects) {
    auto first = seen_.insert(id, (std::uint64_t{opened_} << kFileShift) | line);
    if (first == 0) return false;
    auto first_file = first >> kFileShift, first_line = first & ((std::uint64_t{1} << kFileShift) - 1);
    auto where = first_file == opened_
                     ? fmt::format("line {}", first_line)
                     : fmt::format("{}:{}", fs::path(files_[first_file - 1]).filename().string(), first_line);
    rejects.push_back({name_, line, fmt::format("duplicate row for {} (first at {})", id, where), id});
    return true;
  }

  static constexpr int kFileShift = 48;  // seen_ keeps (file number << 48) | line

  // --- member variables ----------------------------------------------------
  LayoutMapper mapper_;
  SeenIds seen_;                 // source ids of all files so far (not derived ones)
  std::vector<std::string> files_;
  std::size_t next_file_ = 0;    // index of the next file to open
  std::size_t opened_ = 0;       // 1-based number of the file being read
  std::string name_;             // its file name, for inputs and rejects
  fs::path dir_;                 // its directory: poster and trailer paths are relative to it
  std::optional<JsonStream> json_;
  std::optional<CsvReader> csv_;
  std::optional<TsvReader> tsv_;
  CsvRecord csv_row_;
  TsvLine tsv_row_;
  std::vector<std::string_view> fields_;  // the current CSV/TSV row
  std::vector<std::size_t> index_;        // mapper column -> position in a row
  std::size_t width_ = 0;                 // fields per row
  std::uint64_t done_bytes_ = 0;
  std::uint64_t total_ = 0;
  Status status_;
  AssetOptions assets_;
};

}  // namespace

StatusOr<std::unique_ptr<RecordReader>> open_layout_reader(const config::SourceConfig& source,
                                                           const config::Layout& layout,
                                                           const std::vector<std::string>& files,
                                                           const AssetOptions& assets) {
  if (files.empty()) return Status::invalid(fmt::format("source \"{}\": no input files", source.name));
  std::uint64_t total = 0;
  for (auto& f : files) {
    std::error_code ec;
    if (!fs::is_regular_file(f, ec))
      return Status::invalid(fmt::format("{}: {}", f, fs::exists(f, ec) ? "not a regular file" : "no such file"));
    total += fs::file_size(f, ec);
    std::FILE* probe = std::fopen(f.c_str(), "rb");
    if (!probe) return Status::io_error(fmt::format("{}: cannot open: {}", f, std::strerror(errno)));
    std::fclose(probe);
  }
  return std::unique_ptr<RecordReader>(new LayoutReader(source, layout, files, total, assets));
}

}  // namespace moviec::sources
