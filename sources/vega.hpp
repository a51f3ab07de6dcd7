#pragma once
// The vega-datasets movies.json (format "vega_json"): one JSON array (or JSON
// lines) of records with "Title", "Release Date" ("Jun 12 1998"), IMDB and Rotten
// Tomatoes ratings, grosses and budget. It is read as a built-in layout
// (config::Layout), so it behaves exactly like a config-described source.
//
// What the layout decides (docs/sources-layout.md shows it in full):
// - vega has no id: source_id is derived from the raw "Title" and "Release Date"
//   ("The Land Girls | Jun 12 1998"), with "#2", "#3" for a repeated pair in file
//   order. Remakes (same title, other date) are distinct records.
// - A numeric title (1776) is its text ("1776"); a null title rejects the row.
// - Release dates after 2012 (the data was compiled c. 2010) are two-digit years
//   expanded into the wrong century: "Dec 15 2039" is read as 1939-12-15 and the
//   repair recorded in metadata.repairs. Year and metadata.release_date come from it.
// - "IMDB Rating" (1-10, with "IMDB Votes") and "Rotten Tomatoes Rating" (0-100)
//   become two source_ratings; grosses, budget, distributor, director, MPAA
//   rating, source, creative type and the genre go to metadata and genres.
// - vega carries no movie id: its records need matching to reach a movie.

#include "config/layout.hpp"

namespace moviec::sources {

/// The built-in layout of format vega_json.
const config::Layout& vega_layout();

/// The same layout as config JSON (what a user would write for format "layout").
const char* vega_layout_json();

}  // namespace moviec::sources
