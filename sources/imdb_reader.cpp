#include "sources/imdb_reader.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <map>
#include <optional>
#include <variant>

#include <fmt/format.h>

#include "events/text.hpp"
#include "sources/file_report.hpp"
#include "sources/format_options.hpp"
#include "sources/normalize.hpp"
#include "sources/sorted_tsv.hpp"

namespace moviec::sources {

bool is_imdb_id(std::string_view id) {
  return id.size() > 2 && id.substr(0, 2) == "tt" &&
         std::all_of(id.begin() + 2, id.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool imdb_id_less(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return a.size() < b.size();
  return a < b;
}

StatusOr<ImdbOptions> ImdbOptions::from_json(const nlohmann::json& options) {
  return read_format_options<ImdbOptions>(
      options, [](const std::string& key, const nlohmann::json& value, ImdbOptions& out) {
        if (key == "max_unsorted_bytes") return read_positive_option(key, value, out.max_unsorted_bytes);
        if (key == "sort_memory_bytes") return read_positive_option(key, value, out.sort_memory_bytes);
        return unknown_format_option(key, "imdb_tsv");
      });
}

namespace {

using Kind = RejectKind;

// --- rows --------------------------------------------------------------------
// Each row type names its header and parses the fields after the generic checks
// (column count, tconst) into values, returning why it cannot, or "".

std::string parse_year(const char* column, std::string_view v, std::optional<int>& out) {
  if (is_null(v)) return {};
  auto n = parse_int(v);
  if (!n) return fmt::format("{} \"{}\": {}", column, v, n.status().message());
  if (*n < 1800 || *n > 2200) return fmt::format("{} {}: out of range 1800..2200", column, *n);
  out = static_cast<int>(*n);
  return {};
}

std::string parse_flag(const char* column, std::string_view v, std::string& out) {
  if (is_null(v)) return {};
  if (v != "0" && v != "1") return fmt::format("{} \"{}\": expected 0 or 1", column, v);
  out = std::string(v);
  return {};
}

struct BasicsRow {
  static constexpr std::array<std::string_view, 9> kColumns{
      "tconst",    "titleType", "primaryTitle",   "originalTitle", "isAdult",
      "startYear", "endYear",   "runtimeMinutes", "genres"};
  static constexpr bool kRepeats = false;

  std::string tconst, title_type, primary_title, original_title, is_adult;
  std::optional<int> start_year, end_year, runtime_minutes;
  std::vector<std::string> genres;

  std::string parse(const std::vector<std::string_view>& f) {
    *this = {};  // rows are reused: nothing may carry over from the previous one
    tconst = std::string(f[0]);
    title_type = is_null(f[1]) ? std::string() : std::string(trim(f[1]));
    primary_title = clean_title(f[2]);
    // Most rows repeat the primary title as the original one: cleaned once, and
    // left empty here (to_record adds an original title only when it differs).
    if (f[3] != f[2]) original_title = clean_title(f[3]);
    if (primary_title.empty()) primary_title = original_title;
    if (primary_title.empty()) return "no primaryTitle or originalTitle";
    if (auto e = parse_flag("isAdult", f[4], is_adult); !e.empty()) return e;
    if (auto e = parse_year("startYear", f[5], start_year); !e.empty()) return e;
    if (auto e = parse_year("endYear", f[6], end_year); !e.empty()) return e;
    if (!is_null(f[7])) {
      auto n = parse_int(f[7]);
      if (!n) return fmt::format("runtimeMinutes \"{}\": {}", f[7], n.status().message());
      if (*n < 0 || *n > 1000000)
        return fmt::format("runtimeMinutes {}: out of range 0..1000000", *n);
      if (*n > 0) runtime_minutes = static_cast<int>(*n);  // 0 means unknown
    }
    genres = split_list(f[8], ',');
    return {};
  }
};

struct RatingsRow {
  static constexpr std::array<std::string_view, 3> kColumns{"tconst", "averageRating",
                                                            "numVotes"};
  static constexpr bool kRepeats = false;

  std::string tconst;
  double rating = 0;
  std::int64_t votes = 0;

  std::string parse(const std::vector<std::string_view>& f) {
    *this = {};  // rows are reused: nothing may carry over from the previous one
    tconst = std::string(f[0]);
    auto r = parse_float(f[1]);
    if (!r) return fmt::format("averageRating \"{}\": {}", f[1], r.status().message());
    if (*r < 1 || *r > 10) return fmt::format("averageRating {}: out of range 1..10", f[1]);
    rating = *r;
    auto v = parse_int(f[2]);
    if (!v) return fmt::format("numVotes \"{}\": {}", f[2], v.status().message());
    if (*v < 0) return fmt::format("numVotes {}: must not be negative", *v);
    votes = *v;
    return {};
  }
};

struct AkaRow {
  static constexpr std::array<std::string_view, 8> kColumns{
      "titleId", "ordering", "title", "region", "language", "types", "attributes",
      "isOriginalTitle"};
  static constexpr bool kRepeats = true;  // one row per title and language/region

  std::string tconst;
  events::LocalizedName name;

  std::string parse(const std::vector<std::string_view>& f) {
    *this = {};  // rows are reused: nothing may carry over from the previous one
    tconst = std::string(f[0]);
    auto ordering = parse_int(f[1]);
    if (!ordering) return fmt::format("ordering \"{}\": {}", f[1], ordering.status().message());
    if (*ordering < 0) return fmt::format("ordering {}: must not be negative", *ordering);
    name.title = clean_title(f[2]);
    if (name.title.empty()) return "empty title";
    if (!is_null(f[3])) name.region = std::string(trim(f[3]));
    if (!is_null(f[4])) name.language = std::string(trim(f[4]));
    std::string original;
    if (auto e = parse_flag("isOriginalTitle", f[7], original); !e.empty()) return e;
    name.is_original = original == "1";
    return {};
  }
};

// --- one input file ------------------------------------------------------------

/// A file that is not read at all, and why (reported as one reject at line 0).
struct Refused {
  std::string reason;
  std::uint64_t size = 0;
};

/// Where the lines of an input come from: the file itself when it is sorted by
/// tconst, a sorted copy (sources/sorted_tsv.hpp) when it is not, or nowhere.
using Lines = std::variant<TsvReader, SortedTsv, Refused>;

/// One TSV file as a stream of checked rows of type Row, in tconst order. Rows
/// that fail a check are reported and skipped.
template <class Row>
class Input {
 public:
  Input(Lines lines, std::string name, std::size_t cap)
      : lines_(std::move(lines)),
        report_(std::move(name), cap, "rows without a title.basics row") {}

  /// The current row, reading on as needed; nullptr at the end of the file.
  Row* peek(std::vector<Reject>& rejects) {
    if (has_row_) return &row_;
    if (done_) return nullptr;
    if (!header_checked_) {
      header_checked_ = true;
      if (auto* refused = std::get_if<Refused>(&lines_)) {
        unusable_ = true;
        rejects.push_back(Reject{report_.name(), 0, refused->reason, {}});
        return finish(rejects);
      }
      if (!check_header(rejects)) return finish(rejects);
    }
    while (next_line()) {
      if (accept(rejects)) {
        has_row_ = true;
        return &row_;
      }
    }
    if (!status().is_ok()) report_.add(rejects, 0, Kind::io, status().message());
    return finish(rejects);
  }

  /// Line of the current row.
  std::uint64_t line() const { return line_.number; }
  /// Consumes the current row.
  void pop() { has_row_ = false; }

  /// Stops reading; the rest of the file is neither read nor reported.
  void close() { done_ = true; has_row_ = false; }
  bool unusable() const { return unusable_; }
  bool done() const { return done_; }

  FileReport& report() { return report_; }
  std::uint64_t offset() const {
    if (auto* tsv = std::get_if<TsvReader>(&lines_)) return tsv->offset();
    if (auto* sorted = std::get_if<SortedTsv>(&lines_)) return sorted->offset();
    return done_ ? size() : 0;
  }
  std::uint64_t size() const {
    if (auto* tsv = std::get_if<TsvReader>(&lines_)) return tsv->size();
    if (auto* sorted = std::get_if<SortedTsv>(&lines_)) return sorted->size();
    return std::get<Refused>(lines_).size;
  }

 private:
  bool next_line() {
    if (auto* tsv = std::get_if<TsvReader>(&lines_)) return tsv->next(line_);
    if (auto* sorted = std::get_if<SortedTsv>(&lines_)) return sorted->next(line_);
    return false;
  }

  Status status() const {
    if (auto* tsv = std::get_if<TsvReader>(&lines_)) return tsv->status();
    if (auto* sorted = std::get_if<SortedTsv>(&lines_)) return sorted->status();
    return Status::ok();
  }

  Row* finish(std::vector<Reject>& rejects) {
    done_ = true;
    report_.finish(rejects);
    return nullptr;
  }

  bool check_header(std::vector<Reject>& rejects) {
    auto expected = [] {
      std::string s;
      for (auto c : Row::kColumns) s += (s.empty() ? "" : ", ") + std::string(c);
      return s;
    };
    if (!next_line()) {
      unusable_ = true;
      report_.add(rejects, 1, Kind::malformed,
                  status().is_ok() ? "empty file: no header line (expected " + expected() + ")"
                                   : status().message());
      return false;
    }
    auto fields = line_.fields;
    if (!fields.empty() && fields[0].substr(0, 3) == "\xEF\xBB\xBF") fields[0].remove_prefix(3);
    if (!std::equal(fields.begin(), fields.end(), Row::kColumns.begin(), Row::kColumns.end())) {
      unusable_ = true;
      report_.add(rejects, 1, Kind::malformed,
                  "unexpected header (expected " + expected() + "); file not read");
      return false;
    }
    return true;
  }

  // Checks line_; true when it became row_.
  bool accept(std::vector<Reject>& rejects) {
    const auto n = line_.number;
    auto bad = [&](Kind kind, std::string reason) {
      report_.add(rejects, n, kind, std::move(reason));
      return false;
    };
    if (line_.too_long) return bad(Kind::malformed, "line too long");
    const auto text = line_.text;
    if (text.find('\0') != std::string_view::npos) return bad(Kind::malformed, "NUL byte in line");
    if (!events::is_valid_utf8(text)) return bad(Kind::malformed, "invalid UTF-8");
    if (text.empty()) return bad(Kind::malformed, "empty line");
    if (line_.fields.size() != Row::kColumns.size())
      return bad(Kind::malformed, fmt::format("expected {} columns, got {}", Row::kColumns.size(),
                                              line_.fields.size()));
    const auto key = line_.fields[0];
    if (!is_imdb_id(key))
      return bad(Kind::malformed,
                 fmt::format("{} \"{}\" is not an IMDb id (tt and digits)", Row::kColumns[0], key));
    if (!last_key_.empty()) {
      if (imdb_id_less(key, last_key_)) {
        // Invariant: accepted rows ascend; rows behind the highest key are skipped.
        if (unsorted_reported_) return false;
        unsorted_reported_ = true;
        return bad(Kind::malformed,
                   fmt::format("not sorted by tconst: {} comes after {} (line {}); rows out "
                               "of order are skipped",
                               key, last_key_, last_line_));
      }
      if (key == last_key_ && !Row::kRepeats)
        return bad(Kind::duplicate, fmt::format("duplicate row for {} (first at line {})", key,
                                                last_line_));
    }
    if (key != last_key_) {
      last_key_ = std::string(key);
      last_line_ = n;
    }
    if (auto reason = row_.parse(line_.fields); !reason.empty())
      return bad(Kind::bad_value, std::move(reason));
    return true;
  }

  // --- member variables ----------------------------------------------------
  Lines lines_;
  FileReport report_;
  TsvLine line_;
  Row row_;
  bool has_row_ = false;
  bool header_checked_ = false;
  bool done_ = false;
  bool unusable_ = false;
  std::string last_key_;         // highest tconst accepted so far
  std::uint64_t last_line_ = 0;  // line where last_key_ first appeared
  bool unsorted_reported_ = false;
};

// --- the reader ----------------------------------------------------------------

class ImdbReader final : public RecordReader {
 public:
  ImdbReader(std::string source, Input<BasicsRow> basics,
             std::optional<Input<RatingsRow>> ratings, std::optional<Input<AkaRow>> akas)
      : source_(std::move(source)),
        basics_(std::move(basics)),
        ratings_(std::move(ratings)),
        akas_(std::move(akas)) {}

  bool next(Item& out, std::vector<Reject>& rejects) override {
    if (BasicsRow* b = basics_.peek(rejects)) {
      out.input = input_at(basics_.report().name(), basics_.line());
      out.record = to_record(std::move(*b));
      basics_.pop();
      attach(out.record, rejects);
      return true;
    }
    // Basics is done: what is left in the other files has no basics row.
    if (ratings_) finish_side(*ratings_, rejects);
    if (akas_) finish_side(*akas_, rejects);
    return false;
  }

  std::uint64_t bytes_read() const override {
    return basics_.offset() + (ratings_ ? ratings_->offset() : 0) +
           (akas_ ? akas_->offset() : 0);
  }
  std::uint64_t bytes_total() const override {
    return basics_.size() + (ratings_ ? ratings_->size() : 0) + (akas_ ? akas_->size() : 0);
  }

 private:
  /// The row's values move into the record: the row is consumed (popped) next.
  events::SourceRecord to_record(BasicsRow&& b) const {
    events::SourceRecord r;
    r.source = source_;
    r.source_id = b.tconst;
    r.movie_id = b.tconst;
    if (!b.original_title.empty() && b.original_title != b.primary_title)
      r.names.push_back(events::LocalizedName{std::move(b.original_title), "", "", true});
    r.title = std::move(b.primary_title);
    r.year = b.start_year;
    r.runtime_minutes = b.runtime_minutes;
    r.genres = std::move(b.genres);
    if (!b.title_type.empty()) r.metadata.emplace("title_type", std::move(b.title_type));
    if (!b.is_adult.empty()) r.metadata.emplace("is_adult", std::move(b.is_adult));
    if (b.end_year) r.metadata.emplace("end_year", std::to_string(*b.end_year));
    r.external_ids.emplace("imdb", std::move(b.tconst));
    return r;
  }

  template <class Row>
  void reject_unmatched(Input<Row>& in, const Row& row, std::vector<Reject>& rejects) {
    in.report().add(rejects, in.line(), Kind::unmatched,
                    fmt::format("no title.basics row for {} in this input", row.tconst));
  }

  // Joins the rating and akas of record r (its tconst is the current basics key);
  // rows the other files hold for smaller tconsts have no basics row.
  void attach(events::SourceRecord& r, std::vector<Reject>& rejects) {
    const auto& key = r.source_id;
    if (ratings_) {
      const RatingsRow* row = nullptr;
      while ((row = ratings_->peek(rejects)) && imdb_id_less(row->tconst, key)) {
        reject_unmatched(*ratings_, *row, rejects);
        ratings_->pop();
      }
      if (row && row->tconst == key) {
        r.source_ratings.push_back(make_rating("imdb", row->rating, 1, 10, row->votes));
        ratings_->pop();
      }
    }
    if (akas_) {
      const AkaRow* row = nullptr;
      while ((row = akas_->peek(rejects)) && imdb_id_less(row->tconst, key)) {
        reject_unmatched(*akas_, *row, rejects);
        akas_->pop();
      }
      for (; row && row->tconst == key; row = akas_->peek(rejects)) {
        if (std::find(r.names.begin(), r.names.end(), row->name) == r.names.end())
          r.names.push_back(row->name);
        akas_->pop();
      }
    }
  }

  template <class Row>
  void finish_side(Input<Row>& in, std::vector<Reject>& rejects) {
    if (in.done()) return;
    if (basics_.unusable()) {
      rejects.push_back(Reject{in.report().name(), 0,
                               "not read: " + basics_.report().name() + " is unusable", {}});
      in.close();
      return;
    }
    while (const Row* row = in.peek(rejects)) {
      reject_unmatched(in, *row, rejects);
      in.pop();
    }
  }

  // --- member variables ----------------------------------------------------
  std::string source_;
  Input<BasicsRow> basics_;
  std::optional<Input<RatingsRow>> ratings_;
  std::optional<Input<AkaRow>> akas_;
};

std::string basename(const std::string& path) {
  return std::filesystem::path(path).filename().string();
}

// The sort key of a tconst, in imdb_id_less order: (digit count, number). 1 for a
// field that is no IMDb id (such lines are rejected when read, ahead of the rest);
// the maximum for ids too long to encode. 0 is the header's.
std::uint64_t tconst_key(std::string_view id) {
  if (!is_imdb_id(id)) return 1;
  auto digits = id.substr(2);
  if (digits.size() > 17) return std::numeric_limits<std::uint64_t>::max();
  std::uint64_t n = 0;
  for (char c : digits) n = n * 10 + static_cast<std::uint64_t>(c - '0');
  return (static_cast<std::uint64_t>(digits.size()) << 57) | n;
}

// Whether the well-formed rows of a file (`columns` columns, an IMDb id first)
// ascend by tconst. One pass over the file that stops at the first row out of
// order; it only finds line ends, counts tabs and reads the first field, in
// 1 MiB chunks plus at most one line of max_line_bytes.
StatusOr<bool> sorted_by_tconst(const std::string& path, std::size_t columns,
                                const TsvOptions& options) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!file) return Status::io_error(fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
  bool header = true;
  std::uint64_t last = 0;
  // False when `line` comes before the last well-formed row.
  auto in_order = [&](std::string_view line) {
    if (header) {
      header = false;
      return true;
    }
    if (static_cast<std::size_t>(std::count(line.begin(), line.end(), '\t')) + 1 != columns) return true;
    auto key = tconst_key(line.substr(0, line.find('\t')));
    if (key == 1) return true;
    if (key < last) return false;
    last = key;
    return true;
  };
  std::vector<char> buffer(1 << 20);
  std::string carry;   // the start of a line that goes on in the next chunk
  bool skipping = false;  // inside a line longer than max_line_bytes (rejected when read)
  std::size_t n = 0;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), file.get())) > 0) {
    std::string_view chunk(buffer.data(), n);
    std::size_t start = 0;
    for (;;) {
      auto nl = chunk.find('\n', start);
      auto piece = chunk.substr(start, nl == std::string_view::npos ? nl : nl - start);
      if (!skipping) {
        if (nl == std::string_view::npos || !carry.empty()) carry.append(piece);
        if (carry.size() > options.max_line_bytes) {
          carry.clear();
          skipping = true;
        }
      }
      if (nl == std::string_view::npos) break;
      if (!skipping && !in_order(carry.empty() ? piece : std::string_view(carry))) return false;
      carry.clear();
      skipping = false;
      start = nl + 1;
    }
  }
  if (!skipping && !carry.empty() && !in_order(carry)) return false;
  return true;  // a read error is met again, and reported, when the file is read
}

// The lines of one input: the file itself when it is sorted by tconst, a sorted
// copy (in memory up to sort_memory_bytes, else runs on disk merged) when it is not
// and fits max_unsorted_bytes, else none (refused).
StatusOr<Lines> open_lines(const std::string& path, std::size_t columns,
                           const ImdbOptions& options) {
  auto tsv = TsvReader::open(path, options.tsv);
  if (!tsv) return tsv.status();
  auto sorted = sorted_by_tconst(path, columns, options.tsv);
  if (!sorted) return sorted.status();
  if (*sorted) return Lines(tsv.take());
  if (tsv->size() > options.max_unsorted_bytes)
    return Lines(Refused{
        fmt::format("not sorted by tconst and larger than max_unsorted_bytes ({} bytes > {}); "
                    "file not read: sort it by tconst first (keep the header line, then "
                    "sort -t$'\\t' -k1,1V) or raise max_unsorted_bytes",
                    tsv->size(), options.max_unsorted_bytes),
        tsv->size()});
  auto sorted_copy = SortedTsv::load(path, tconst_key, options.tsv, 1,
                                     {options.sort_dir, options.sort_memory_bytes});
  if (!sorted_copy) return sorted_copy.status();
  return Lines(sorted_copy.take());
}

}  // namespace

StatusOr<std::unique_ptr<RecordReader>> open_imdb_reader(const config::SourceConfig& source,
                                                         const ImdbFiles& files,
                                                         const ImdbOptions& options) {
  if (files.basics.empty())
    return Status::invalid(fmt::format(
        "source \"{}\": an imdb_tsv input needs a title.basics.tsv file", source.name));
  auto basics = open_lines(files.basics, BasicsRow::kColumns.size(), options);
  if (!basics) return basics.status();
  std::optional<Input<RatingsRow>> ratings;
  if (!files.ratings.empty()) {
    auto lines = open_lines(files.ratings, RatingsRow::kColumns.size(), options);
    if (!lines) return lines.status();
    ratings.emplace(lines.take(), basename(files.ratings), options.max_rejects_per_file);
  }
  std::optional<Input<AkaRow>> akas;
  if (!files.akas.empty()) {
    auto lines = open_lines(files.akas, AkaRow::kColumns.size(), options);
    if (!lines) return lines.status();
    akas.emplace(lines.take(), basename(files.akas), options.max_rejects_per_file);
  }
  Input<BasicsRow> basics_input(basics.take(), basename(files.basics),
                                options.max_rejects_per_file);
  return std::unique_ptr<RecordReader>(std::make_unique<ImdbReader>(
      source.name, std::move(basics_input), std::move(ratings), std::move(akas)));
}

}  // namespace moviec::sources
