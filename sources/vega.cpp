#include "sources/vega.hpp"

#include <cstdio>
#include <cstdlib>

#include "common/log.hpp"

namespace moviec::sources {

const char* vega_layout_json() {
  return R"({
  "type": "json",
  "source_id": ["Title", "Release Date"],
  "fields": [
    {"column": "Title", "field": "title", "required": true},
    {"column": "Release Date", "field": "year", "type": "date", "formats": ["%b %d %Y"],
     "repair_century_after": 2012},
    {"column": "Release Date", "field": "metadata.release_date", "type": "date",
     "formats": ["%b %d %Y"], "repair_century_after": 2012},
    {"column": "IMDB Rating", "field": "source_ratings", "type": "rating", "name": "imdb",
     "scale": [1, 10], "votes": "IMDB Votes"},
    {"column": "Rotten Tomatoes Rating", "field": "source_ratings", "type": "rating",
     "name": "rotten_tomatoes", "scale": [0, 100]},
    {"column": "Running Time min", "field": "runtime_minutes", "type": "int"},
    {"column": "Major Genre", "field": "genres", "type": "text"},
    {"column": "Director", "field": "metadata.director"},
    {"column": "Distributor", "field": "metadata.distributor"},
    {"column": "MPAA Rating", "field": "metadata.mpaa_rating"},
    {"column": "Source", "field": "metadata.source"},
    {"column": "Creative Type", "field": "metadata.creative_type"},
    {"column": "US Gross", "field": "metadata.us_gross", "type": "int"},
    {"column": "Worldwide Gross", "field": "metadata.worldwide_gross", "type": "int"},
    {"column": "US DVD Sales", "field": "metadata.us_dvd_sales", "type": "int"},
    {"column": "Production Budget", "field": "metadata.production_budget", "type": "int"}
  ]
})";
}

const config::Layout& vega_layout() {
  static const config::Layout layout = [] {
    auto parsed = config::parse_layout(nlohmann::json::parse(vega_layout_json()), "vega_json");
    // The text above is fixed at build time and covered by tests: failing here is a bug.
    if (!parsed) {
      log::error("builtin_layout_invalid", {{"layout", "vega_json"}, {"error", parsed.status().message()}});
      std::abort();
    }
    return parsed.take();
  }();
  return layout;
}

}  // namespace moviec::sources
