#include "sources/rotten_tomatoes_reader.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "sources/csv_input.hpp"
#include "sources/format_options.hpp"
#include "sources/seen_ids.hpp"

namespace moviec::sources {

namespace {

// What a column is for, and the names it has in the export versions.
enum class Role {
  link, title, release, streaming, runtime, genres,
  tomatometer_rating, tomatometer_count, audience_rating, audience_count,
  metadata,  // kept as metadata[key]
};

struct Column {
  const char* name;
  Role role;
  const char* key = "";  // metadata key (Role::metadata)
};

const std::vector<Column>& known_columns() {
  static const std::vector<Column> columns{
      {"rotten_tomatoes_link", Role::link},
      {"movie_title", Role::title},
      {"in_theaters_date", Role::release},
      {"original_release_date", Role::release},
      {"on_streaming_date", Role::streaming},
      {"streaming_release_date", Role::streaming},
      {"runtime_in_minutes", Role::runtime},
      {"runtime", Role::runtime},
      {"genre", Role::genres},
      {"genres", Role::genres},
      {"tomatometer_rating", Role::tomatometer_rating},
      {"tomatometer_count", Role::tomatometer_count},
      {"audience_rating", Role::audience_rating},
      {"audience_count", Role::audience_count},
      {"rating", Role::metadata, "content_rating"},
      {"content_rating", Role::metadata, "content_rating"},
      {"tomatometer_status", Role::metadata, "tomatometer_status"},
      {"audience_status", Role::metadata, "audience_status"},
      {"tomatometer_top_critics_count", Role::metadata, "tomatometer_top_critics_count"},
      {"tomatometer_fresh_critics_count", Role::metadata, "tomatometer_fresh_critics_count"},
      {"tomatometer_rotten_critics_count", Role::metadata, "tomatometer_rotten_critics_count"},
      {"audience_top_critics_count", Role::metadata, "audience_top_critics_count"},
      {"audience_fresh_critics_count", Role::metadata, "audience_fresh_critics_count"},
      {"audience_rotten_critics_count", Role::metadata, "audience_rotten_critics_count"},
      {"directors", Role::metadata, "directors"},
      {"authors", Role::metadata, "writers"},
      {"writers", Role::metadata, "writers"},
      {"actors", Role::metadata, "cast"},
      {"cast", Role::metadata, "cast"},
      {"production_company", Role::metadata, "studio"},
      {"studio_name", Role::metadata, "studio"},
  };
  return columns;
}

/// Where each role sits in one file's header (-1: absent).
struct Layout {
  std::map<Role, int> at;
  std::vector<std::pair<int, std::string>> metadata;  // column, key
  std::vector<std::string> names;                      // the header
  std::vector<bool> zero_is_missing;                   // per column

  int operator[](Role r) const {
    auto it = at.find(r);
    return it == at.end() ? -1 : it->second;
  }
};

// The header's layout, or why the file cannot be read.
std::string read_layout(const std::vector<std::string>& header, const RottenTomatoesOptions& options,
                        Layout& out) {
  out.names = header;
  out.zero_is_missing.assign(header.size(), false);
  for (std::size_t i = 0; i < header.size(); ++i) {
    const auto& name = header[i];
    out.zero_is_missing[i] = std::find(options.zero_means_missing.begin(),
                                       options.zero_means_missing.end(),
                                       name) != options.zero_means_missing.end();
    for (auto& c : known_columns()) {
      if (name != c.name) continue;
      if (c.role == Role::metadata) out.metadata.emplace_back(static_cast<int>(i), c.key);
      else if (out[c.role] < 0) out.at[c.role] = static_cast<int>(i);
    }
  }
  if (out[Role::title] < 0) return "no movie_title column; file not read";
  if (out[Role::link] < 0 && out[Role::release] < 0)
    return "neither rotten_tomatoes_link nor in_theaters_date: rows cannot be identified; file not read";
  return {};
}

class RottenTomatoesReader final : public RecordReader {
 public:
  RottenTomatoesReader(std::string source, std::vector<CsvInput> files, RottenTomatoesOptions options)
      : source_(std::move(source)), files_(std::move(files)), options_(std::move(options)) {
    today_ = today_utc();
  }

  bool next(Item& out, std::vector<Reject>& rejects) override {
    while (current_ < files_.size()) {
      CsvInput& in = files_[current_];
      if (!header_read_) {
        header_read_ = true;
        auto header = in.header(rejects);
        if (header) {
          layout_ = Layout{};
          if (auto why = read_layout(*header, options_, layout_); !why.empty()) in.refuse(rejects, why);
        }
      }
      while (const CsvRecord* rec = in.next(rejects))
        if (to_record(in, *rec, out, rejects)) return true;
      ++current_;
      header_read_ = false;
    }
    return false;
  }

  std::uint64_t bytes_read() const override {
    std::uint64_t n = 0;
    for (auto& f : files_) n += f.offset();
    return n;
  }
  std::uint64_t bytes_total() const override {
    std::uint64_t n = 0;
    for (auto& f : files_) n += f.size();
    return n;
  }

 private:
  // A column's value; empty when the file has no such column.
  static std::string_view field(const CsvRecord& rec, int column) {
    return column < 0 ? std::string_view() : trim(rec.fields[static_cast<std::size_t>(column)]);
  }

  bool missing(const CsvRecord& rec, int column) const {
    return column < 0 || is_missing(rec.fields[static_cast<std::size_t>(column)],
                                    layout_.zero_is_missing[static_cast<std::size_t>(column)]);
  }

  const std::string& name_of(int column) const { return layout_.names[static_cast<std::size_t>(column)]; }

  // A date column: "" or why the row is rejected.
  std::string date(const CsvRecord& rec, int column, std::optional<Date>& out) const {
    if (missing(rec, column)) return {};
    auto d = parse_date(field(rec, column));
    if (!d) return name_of(column) + " " + d.status().message();
    if (auto s = check_not_future(*d, today_); !s) return name_of(column) + " " + s.message();
    out = *d;
    return {};
  }

  // A rating and its count: "" or why the row is rejected.
  std::string rating(const CsvRecord& rec, const char* name, int value_column, int count_column,
                     events::SourceRecord& r) const {
    if (missing(rec, value_column)) return {};
    std::int64_t votes = 0;
    if (!missing(rec, count_column)) {
      auto n = parse_int(field(rec, count_column));
      if (!n) return fmt::format("{} \"{}\": {}", name_of(count_column), field(rec, count_column),
                                 n.status().message());
      if (*n < 0) return fmt::format("{} {}: must not be negative", name_of(count_column), *n);
      votes = *n;
    }
    auto parsed = parse_rating(name, field(rec, value_column), 0, 100);
    if (!parsed) return name_of(value_column) + " " + parsed.status().message();
    parsed->votes = votes;
    r.source_ratings.push_back(*parsed);
    return {};
  }

  // Builds `out` from a record; false (reported) when it is rejected.
  bool to_record(CsvInput& in, const CsvRecord& rec, Item& out, std::vector<Reject>& rejects) {
    auto bad = [&](std::string why, const std::string& id = {}) {
      in.reject(rejects, RejectKind::bad_value, std::move(why), id);
      return false;
    };
    auto raw_title = field(rec, layout_[Role::title]);
    auto title = normalize_title(raw_title);
    if (title.text.empty()) return bad("movie_title: empty");
    std::string id;
    if (!missing(rec, layout_[Role::link])) {
      id = std::string(field(rec, layout_[Role::link]));
    } else if (!missing(rec, layout_[Role::release])) {
      id = fmt::format("{} ({})", clean_title(raw_title), field(rec, layout_[Role::release]));
    } else {
      return bad("no rotten_tomatoes_link and no in_theaters_date: the row cannot be identified");
    }
    if (auto first = seen_.insert(id, rec.line)) {
      in.reject(rejects, RejectKind::duplicate,
                fmt::format("duplicate row for {} (first at line {})", id, first), id);
      return false;
    }

    events::SourceRecord r;
    r.source = source_;
    r.source_id = id;
    auto parts = split_title(title.text, false);
    r.title = parts.title;
    for (auto& alternate : parts.alternates) {
      events::LocalizedName name{alternate, "", "", false};
      if (name.title != r.title && std::find(r.names.begin(), r.names.end(), name) == r.names.end())
        r.names.push_back(std::move(name));
    }
    if (!title.repaired_from.empty()) r.metadata["title_repaired_from"] = title.repaired_from;

    std::optional<Date> release, streaming;
    if (auto why = date(rec, layout_[Role::release], release); !why.empty()) return bad(why, id);
    if (auto why = date(rec, layout_[Role::streaming], streaming); !why.empty()) return bad(why, id);
    if (release) {
      r.registration_date = release->iso();
      r.year = release->year;
    }
    if (streaming) r.metadata["on_streaming_date"] = streaming->iso();

    if (int column = layout_[Role::runtime]; !missing(rec, column)) {
      auto n = parse_int(field(rec, column));
      if (!n) return bad(fmt::format("{} \"{}\": {}", name_of(column), field(rec, column), n.status().message()), id);
      if (*n < 1 || *n > 100000) return bad(fmt::format("{} {}: out of range 1..100000", name_of(column), *n), id);
      r.runtime_minutes = static_cast<int>(*n);
    }
    if (auto why = rating(rec, "tomatometer", layout_[Role::tomatometer_rating],
                          layout_[Role::tomatometer_count], r);
        !why.empty())
      return bad(why, id);
    if (auto why = rating(rec, "audience", layout_[Role::audience_rating],
                          layout_[Role::audience_count], r);
        !why.empty())
      return bad(why, id);
    if (int column = layout_[Role::genres]; column >= 0)
      r.genres = split_list(rec.fields[static_cast<std::size_t>(column)], ',');
    for (auto& [column, key] : layout_.metadata)
      if (!missing(rec, column)) r.metadata[key] = std::string(field(rec, column));
    if (!missing(rec, layout_[Role::link])) r.external_ids["rotten_tomatoes"] = id;

    out.record = std::move(r);
    out.input = input_at(in.name(), rec.line);
    return true;
  }

  // --- member variables ----------------------------------------------------
  std::string source_;
  std::vector<CsvInput> files_;
  RottenTomatoesOptions options_;
  Date today_;
  std::size_t current_ = 0;  // the file being read
  bool header_read_ = false;
  Layout layout_;            // of the current file
  SeenIds seen_;             // ids of all files so far
};

}  // namespace

const std::vector<std::string>& rotten_tomatoes_columns() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (auto& c : known_columns()) out.emplace_back(c.name);
    return out;
  }();
  return names;
}

StatusOr<RottenTomatoesOptions> RottenTomatoesOptions::from_json(const nlohmann::json& options) {
  return read_format_options<RottenTomatoesOptions>(
      options, [](const std::string& key, const nlohmann::json& value, RottenTomatoesOptions& out) {
        if (key != "zero_means_missing") return unknown_format_option(key, "rotten_tomatoes_csv");
        if (!value.is_array())
          return Status::invalid("options.zero_means_missing: expected an array of column names");
        out.zero_means_missing.clear();
        const auto& known = rotten_tomatoes_columns();
        for (auto& column : value) {
          if (!column.is_string())
            return Status::invalid("options.zero_means_missing: expected an array of column names");
          auto name = column.get<std::string>();
          if (std::find(known.begin(), known.end(), name) == known.end())
            return Status::invalid(fmt::format(
                "options.zero_means_missing: \"{}\" is not a column of format rotten_tomatoes_csv",
                name));
          out.zero_means_missing.push_back(std::move(name));
        }
        return Status::ok();
      });
}

StatusOr<std::unique_ptr<RecordReader>> open_rotten_tomatoes_reader(
    const config::SourceConfig& source, const std::vector<std::string>& files,
    const RottenTomatoesOptions& options) {
  if (files.empty())
    return Status::invalid(fmt::format(
        "source \"{}\": a rotten_tomatoes_csv input needs at least one CSV file", source.name));
  std::vector<CsvInput> inputs;
  for (auto& file : files) {
    auto in = CsvInput::open(file, options.csv, options.max_rejects_per_file);
    if (!in) return in.status();
    inputs.push_back(in.take());
  }
  return std::unique_ptr<RecordReader>(
      std::make_unique<RottenTomatoesReader>(source.name, std::move(inputs), options));
}

}  // namespace moviec::sources
