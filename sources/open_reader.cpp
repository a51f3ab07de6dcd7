// open_reader: picks the reader for a source's format and tells it which input
// file is which.


#include <fmt/format.h>

#include "config/layout.hpp"
#include "sources/file_roles.hpp"
#include "sources/imdb_reader.hpp"
#include "sources/layout_reader.hpp"
#include "sources/movielens_reader.hpp"
#include "sources/rotten_tomatoes_reader.hpp"
#include "sources/vega.hpp"
#include "sources/record_reader.hpp"

namespace moviec::sources {

namespace {

// IMDb files are recognised by their basename: title.basics.tsv, a renamed
// "2024-basics.tsv", ... Each role may be given once.
StatusOr<ImdbFiles> classify_imdb(const config::SourceConfig& source,
                                  const std::vector<std::string>& files) {
  ImdbFiles out;
  auto sorted = sort_files_by_name(
      files, {{"basics", &out.basics}, {"ratings", &out.ratings}, {"akas", &out.akas}}, source.name,
      "an IMDb file", "expected a name containing \"basics\", \"ratings\" or \"akas\"");
  if (!sorted) return sorted;
  return out;
}

}  // namespace

StatusOr<std::unique_ptr<RecordReader>> open_reader(const config::SourceConfig& source,
                                                    const std::vector<std::string>& files,
                                                    const AssetOptions& assets) {
  if (source.format == "imdb_tsv") {
    auto options = ImdbOptions::from_json(source.options);
    if (!options)
      return Status::invalid(
          fmt::format("source \"{}\": {}", source.name, options.status().message()));
    // An unsorted file too big to sort in memory is sorted in runs under DATA/tmp/
    // (the system temp dir when no store is given).
    if (!assets.data_dir.empty()) options->sort_dir = (assets.data_dir / "tmp").string();
    auto imdb = classify_imdb(source, files);
    if (!imdb) return imdb.status();
    auto reader = open_imdb_reader(source, *imdb, *options);
    if (!reader) return Status::invalid(reader.status().message());
    return reader;
  }
  if (source.format == "movielens_csv") {
    auto options = MovieLensOptions::from_json(source.options);
    if (!options)
      return Status::invalid(
          fmt::format("source \"{}\": {}", source.name, options.status().message()));
    auto parts = classify_movielens(source.name, files);
    if (!parts) return parts.status();
    auto reader = open_movielens_reader(source, *parts, *options);
    if (!reader) return Status::invalid(reader.status().message());
    return reader;
  }
  if (source.format == "rotten_tomatoes_csv") {
    auto options = RottenTomatoesOptions::from_json(source.options);
    if (!options)
      return Status::invalid(
          fmt::format("source \"{}\": {}", source.name, options.status().message()));
    auto reader = open_rotten_tomatoes_reader(source, files, *options);
    if (!reader) return Status::invalid(reader.status().message());
    return reader;
  }
  if (source.format == "vega_json") return open_layout_reader(source, vega_layout(), files, assets);
  if (source.format == "layout") {
    auto layout = config::parse_layout(source.options, "sources." + source.name + ".options");
    if (!layout) return layout.status();
    return open_layout_reader(source, *layout, files, assets);
  }
  if (source.format == "http_changes")
    return Status::invalid(fmt::format(
        "source \"{}\" is polled (format http_changes): it has no files; `moviec serve` polls it",
        source.name));
  return Status::invalid(fmt::format(
      "source \"{}\": unknown format \"{}\" (known formats: \"imdb_tsv\", \"movielens_csv\", \"rotten_tomatoes_csv\", \"vega_json\", \"layout\")", source.name,
      source.format));
}

}  // namespace moviec::sources
