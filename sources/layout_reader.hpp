#pragma once
// A RecordReader for any source a config::Layout describes (format "layout"),
// and for the formats defined as a built-in layout (vega_json). The files are
// read one after another, streaming: CSV (RFC 4180, sources/csv_reader.hpp), TSV
// (sources/tsv_reader.hpp), a JSON array or JSON lines (sources/json_stream.hpp).
//
// Contract:
// - One record per usable row; input is "<file name>:<line>".
// - Every unusable row becomes a Reject {file name, line, reason}; the rest goes
//   through. A poster or trailer path that cannot be stored rejects its row. A CSV/TSV header that lacks a column the layout names rejects the
//   file at line 1 (nothing is read from it). A row with more or fewer fields
//   than the header is rejected. A JSON record that is not an object is rejected.
// - Resumable (position()/resume()) for JSON input whose ids are not derived;
//   CSV, TSV and derived ids are not, and are skipped forward instead.

#include <memory>
#include <string>
#include <vector>

#include "common/status.hpp"
#include "config/config.hpp"
#include "config/layout.hpp"
#include "sources/assets.hpp"
#include "sources/record_reader.hpp"

namespace moviec::sources {

/// Checks that every file can be opened; reading starts with the first. Poster and
/// trailer paths are stored into the bucket of `assets` (sources/assets.hpp).
StatusOr<std::unique_ptr<RecordReader>> open_layout_reader(const config::SourceConfig& source,
                                                           const config::Layout& layout,
                                                           const std::vector<std::string>& files,
                                                           const AssetOptions& assets = {});

}  // namespace moviec::sources
