#include "sources/movielens_reader.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <unordered_map>

#include <fmt/format.h>

#include "sources/csv_input.hpp"
#include "sources/file_roles.hpp"
#include "sources/format_options.hpp"
#include "sources/normalize.hpp"
#include "sources/seen_ids.hpp"

namespace moviec::sources {

StatusOr<MovieLensOptions> MovieLensOptions::from_json(const nlohmann::json& options) {
  return read_format_options<MovieLensOptions>(
      options, [](const std::string& key, const nlohmann::json&, MovieLensOptions&) {
        return unknown_format_option(key, "movielens_csv");
      });
}

StatusOr<MovieLensFiles> classify_movielens(const std::string& source,
                                            const std::vector<std::string>& files) {
  MovieLensFiles out;
  auto sorted = sort_files_by_name(
      files, {{"movies", &out.movies}, {"links", &out.links}, {"ratings", &out.ratings}}, source,
      "a MovieLens file",
      "expected a name containing \"movies\", \"links\" or \"ratings\"; tags.csv is not ingested");
  if (!sorted) return sorted;
  return out;
}

namespace {

const std::vector<std::string> kMoviesHeader{"movieId", "title", "genres"};
const std::vector<std::string> kLinksHeader{"movieId", "imdbId", "tmdbId"};
const std::vector<std::string> kRatingsHeader{"userId", "movieId", "rating", "timestamp"};

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (auto& n : names) out += (out.empty() ? "" : ",") + n;
  return out;
}

// Reads the header of `in`; false (with a reject at line 1) when it is not `expected`.
bool check_header(CsvInput& in, const std::vector<std::string>& expected,
                  std::vector<Reject>& rejects) {
  auto header = in.header(rejects);
  if (!header) return false;
  if (*header != expected) {
    in.refuse(rejects, fmt::format("unexpected header \"{}\" (expected \"{}\"); file not read",
                                   joined(*header), joined(expected)));
    return false;
  }
  return true;
}

// A movieId: a positive whole number; "" or why not.
std::string parse_movie_id(std::string_view text, std::uint64_t& out) {
  text = trim(text);
  auto n = parse_int(text);
  if (!n) return fmt::format("movieId \"{}\": {}", text, n.status().message());
  if (*n < 1) return fmt::format("movieId {}: must be positive", *n);
  out = static_cast<std::uint64_t>(*n);
  return {};
}

// An optional id of digits (imdbId, tmdbId); "" or why not.
std::string parse_digits(const char* column, std::string_view text, std::optional<std::uint64_t>& out) {
  text = trim(text);
  out.reset();
  if (is_null(text)) return {};
  auto n = parse_int(text);
  if (!n || *n < 1)
    return fmt::format("{} \"{}\": {}", column, text, n ? "must be positive" : n.status().message());
  out = static_cast<std::uint64_t>(*n);
  return {};
}

/// One links.csv row, in 32 bytes: ids are positive, so 0 means none.
struct Link {
  std::uint64_t movie = 0;
  std::uint64_t imdb = 0;
  std::uint64_t tmdb = 0;
  std::uint64_t line : 63;
  std::uint64_t used : 1;
  Link() : line(0), used(0) {}
};
static_assert(sizeof(Link) == 32);

/// The ratings of one movie so far.
struct RatingSum {
  std::uint64_t half_stars = 0;  // sum of ratings x 2: exact
  std::uint64_t count = 0;
  std::uint64_t first_line = 0;
  bool used = false;
};

class MovieLensReader final : public RecordReader {
 public:
  MovieLensReader(std::string source, CsvInput movies, std::optional<CsvInput> links,
                  std::optional<CsvInput> ratings)
      : source_(std::move(source)),
        movies_(std::move(movies)),
        links_(std::move(links)),
        ratings_(std::move(ratings)) {}

  bool next(Item& out, std::vector<Reject>& rejects) override {
    if (!started_) {
      started_ = true;
      start(rejects);
    }
    while (const CsvRecord* rec = movies_.next(rejects))
      if (to_record(*rec, out, rejects)) return true;
    if (!finished_) {
      finished_ = true;
      report_unmatched(rejects);
    }
    return false;
  }

  std::uint64_t bytes_read() const override {
    return movies_.offset() + (links_ ? links_->offset() : 0) + (ratings_ ? ratings_->offset() : 0);
  }
  std::uint64_t bytes_total() const override {
    return movies_.size() + (links_ ? links_->size() : 0) + (ratings_ ? ratings_->size() : 0);
  }

 private:
  // Before the first record: the headers, then links and ratings read whole.
  void start(std::vector<Reject>& rejects) {
    if (!check_header(movies_, kMoviesHeader, rejects)) {
      for (auto* side : {links_ ? &*links_ : nullptr, ratings_ ? &*ratings_ : nullptr}) {
        if (!side) continue;
        rejects.push_back(
            Reject{side->name(), 0, "not read: " + movies_.name() + " is unusable", {}});
        side->close();
      }
      return;
    }
    if (links_ && check_header(*links_, kLinksHeader, rejects)) load_links(rejects);
    if (ratings_ && check_header(*ratings_, kRatingsHeader, rejects)) load_ratings(rejects);
  }

  void load_links(std::vector<Reject>& rejects) {
    CsvInput& in = *links_;
    while (const CsvRecord* rec = in.next(rejects)) {
      Link link;
      link.line = rec->line;
      std::optional<std::uint64_t> imdb, tmdb;
      std::string why = parse_movie_id(rec->fields[0], link.movie);
      if (why.empty()) why = parse_digits("imdbId", rec->fields[1], imdb);
      if (why.empty()) why = parse_digits("tmdbId", rec->fields[2], tmdb);
      if (!why.empty()) {
        in.reject(rejects, RejectKind::bad_value, why);
        continue;
      }
      link.imdb = imdb.value_or(0);
      link.tmdb = tmdb.value_or(0);
      links_table_.push_back(link);
    }
    std::stable_sort(links_table_.begin(), links_table_.end(),
                     [](const Link& a, const Link& b) { return a.movie < b.movie; });
    // A second row for one movieId: the first in the file wins (kept in place).
    std::size_t kept = 0;
    for (std::size_t i = 0; i < links_table_.size(); ++i) {
      const Link& link = links_table_[i];
      if (kept > 0 && links_table_[kept - 1].movie == link.movie) {
        in.report().add(rejects, link.line, RejectKind::duplicate,
                        fmt::format("duplicate links row for movieId {} (first at line {})",
                                    link.movie, static_cast<std::uint64_t>(links_table_[kept - 1].line)),
                        std::to_string(link.movie));
        continue;
      }
      links_table_[kept++] = link;
    }
    links_table_.resize(kept);
    links_table_.shrink_to_fit();
  }

  void load_ratings(std::vector<Reject>& rejects) {
    CsvInput& in = *ratings_;
    while (const CsvRecord* rec = in.next(rejects)) {
      std::uint64_t movie = 0;
      if (auto why = parse_movie_id(rec->fields[1], movie); !why.empty()) {
        in.reject(rejects, RejectKind::bad_value, why);
        continue;
      }
      auto text = trim(rec->fields[2]);
      auto value = parse_float(text);
      if (!value) {
        in.reject(rejects, RejectKind::bad_value,
                  fmt::format("rating \"{}\": {}", text, value.status().message()), std::to_string(movie));
        continue;
      }
      double half = *value * 2;
      if (*value < 0.5 || *value > 5 || std::fabs(half - std::round(half)) > 1e-9) {
        in.reject(rejects, RejectKind::bad_value,
                  fmt::format("rating {}: not on the scale 0.5-5 in half stars", text),
                  std::to_string(movie));
        continue;
      }
      auto& sum = ratings_by_movie_[movie];
      if (sum.count == 0) sum.first_line = rec->line;
      sum.half_stars += static_cast<std::uint64_t>(std::llround(half));
      ++sum.count;
    }
  }

  // Builds `out` from a movies.csv record; false (reported) when it is rejected.
  bool to_record(const CsvRecord& rec, Item& out, std::vector<Reject>& rejects) {
    std::uint64_t movie = 0;
    if (auto why = parse_movie_id(rec.fields[0], movie); !why.empty()) {
      movies_.reject(rejects, RejectKind::bad_value, why);
      return false;
    }
    std::string id = std::to_string(movie);
    if (auto first = seen_.insert(id, rec.line)) {
      movies_.reject(rejects, RejectKind::duplicate,
                     fmt::format("duplicate row for movieId {} (first at line {})", id, first), id);
      return false;
    }
    auto title = normalize_title(rec.fields[1]);
    auto parts = split_title(title.text, true);
    events::SourceRecord r;
    r.source = source_;
    r.source_id = id;
    r.title = move_trailing_article(parts.title);
    if (r.title.empty()) {
      movies_.reject(rejects, RejectKind::bad_value, "empty title", id);
      return false;
    }
    if (parts.year && (*parts.year < 1800 || *parts.year > 2200)) {
      movies_.reject(rejects, RejectKind::bad_value,
                     fmt::format("year {} in the title: out of range 1800..2200", *parts.year), id);
      return false;
    }
    r.year = parts.year;
    if (parts.end_year) r.metadata["end_year"] = std::to_string(*parts.end_year);
    if (!title.repaired_from.empty()) r.metadata["title_repaired_from"] = title.repaired_from;
    for (auto& alternate : parts.alternates) {
      events::LocalizedName name{move_trailing_article(alternate), "", "", false};
      if (name.title != r.title && std::find(r.names.begin(), r.names.end(), name) == r.names.end())
        r.names.push_back(std::move(name));
    }
    for (auto& genre : split_list(rec.fields[2], '|'))
      if (genre != "(no genres listed)") r.genres.push_back(std::move(genre));
    r.external_ids["movielens"] = id;
    attach(movie, r);
    out.record = std::move(r);
    out.input = input_at(movies_.name(), rec.line);
    return true;
  }

  void attach(std::uint64_t movie, events::SourceRecord& r) {
    auto link = std::lower_bound(links_table_.begin(), links_table_.end(), movie,
                                 [](const Link& l, std::uint64_t m) { return l.movie < m; });
    if (link != links_table_.end() && link->movie == movie) {
      link->used = 1;
      if (link->imdb) {
        r.movie_id = fmt::format("tt{:07}", link->imdb);
        r.external_ids["imdb"] = r.movie_id;
      }
      if (link->tmdb) r.external_ids["tmdb"] = std::to_string(link->tmdb);
    }
    auto sum = ratings_by_movie_.find(movie);
    if (sum != ratings_by_movie_.end()) {
      sum->second.used = true;
      double mean = static_cast<double>(sum->second.half_stars) / 2.0 /
                    static_cast<double>(sum->second.count);
      r.source_ratings.push_back(make_rating("movielens", round2(mean), 0.5, 5,
                                             static_cast<std::int64_t>(sum->second.count)));
    }
  }

  // After movies.csv: links rows and rated movies that no movies row used.
  void report_unmatched(std::vector<Reject>& rejects) {
    if (movies_.unusable()) return;
    if (links_) {
      std::vector<const Link*> unused;
      for (auto& link : links_table_)
        if (!link.used) unused.push_back(&link);
      std::sort(unused.begin(), unused.end(),
                [](const Link* a, const Link* b) {
                  return static_cast<std::uint64_t>(a->line) < static_cast<std::uint64_t>(b->line);
                });
      for (auto* link : unused)
        links_->report().add(rejects, static_cast<std::uint64_t>(link->line), RejectKind::unmatched,
                             fmt::format("no movies.csv row for movieId {} in this input", link->movie),
                             std::to_string(link->movie));
      links_->report().finish(rejects);
    }
    if (ratings_) {
      std::vector<std::pair<std::uint64_t, const RatingSum*>> unused;
      for (auto& [movie, sum] : ratings_by_movie_)
        if (!sum.used) unused.emplace_back(movie, &sum);
      std::sort(unused.begin(), unused.end(),
                [](auto& a, auto& b) { return a.second->first_line < b.second->first_line; });
      for (auto& [movie, sum] : unused)
        ratings_->report().add(
            rejects, sum->first_line, RejectKind::unmatched,
            fmt::format("no movies.csv row for movieId {} in this input ({} ratings, the first here)",
                        movie, sum->count),
            std::to_string(movie));
      ratings_->report().finish(rejects);
    }
  }

  // --- member variables ----------------------------------------------------
  std::string source_;
  CsvInput movies_;
  std::optional<CsvInput> links_;
  std::optional<CsvInput> ratings_;
  std::vector<Link> links_table_;  // sorted by movieId once loaded
  std::unordered_map<std::uint64_t, RatingSum> ratings_by_movie_;
  SeenIds seen_;                   // movieIds of movies.csv rows so far
  bool started_ = false;
  bool finished_ = false;
};

}  // namespace

StatusOr<std::unique_ptr<RecordReader>> open_movielens_reader(const config::SourceConfig& source,
                                                              const MovieLensFiles& files,
                                                              const MovieLensOptions& options) {
  if (files.movies.empty())
    return Status::invalid(fmt::format(
        "source \"{}\": a movielens_csv input needs a movies.csv file", source.name));
  auto movies = CsvInput::open(files.movies, options.csv, options.max_rejects_per_file,
                               "rows without a movies.csv row");
  if (!movies) return movies.status();
  std::optional<CsvInput> links, ratings;
  if (!files.links.empty()) {
    auto in = CsvInput::open(files.links, options.csv, options.max_rejects_per_file,
                             "rows without a movies.csv row");
    if (!in) return in.status();
    links.emplace(in.take());
  }
  if (!files.ratings.empty()) {
    auto in = CsvInput::open(files.ratings, options.csv, options.max_rejects_per_file,
                             "rated movies without a movies.csv row");
    if (!in) return in.status();
    ratings.emplace(in.take());
  }
  return std::unique_ptr<RecordReader>(std::make_unique<MovieLensReader>(
      source.name, movies.take(), std::move(links), std::move(ratings)));
}

}  // namespace moviec::sources
