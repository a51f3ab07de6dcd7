#pragma once
// POST /ingest/{source} for `moviec serve`: the IngestHook (http/ingest_hook.hpp)
// that turns a pushed body into a RecordReader for the source and runs it through
// the actors like a file (actors::Runtime::ingest_reader), then answers the summary.
//
// Which bodies a source takes:
// - format "layout": JSON lines (or a JSON array) and CSV/TSV alike; the layout's
//   column names are the JSON keys or the CSV header, whatever its own type;
// - format "vega_json": JSON lines or a JSON array;
// - other file formats that read one CSV file (movielens_csv, rotten_tomatoes_csv):
//   CSV, read by their own reader;
// - imdb_tsv and http_changes: none (400 saying so).
// The body is written to DATA/push/<request id>.<ext> for the reader and removed
// after the run; rejects name that file. A push is never a full snapshot: it
// removes nothing.

#include <nlohmann/json.hpp>

#include "actors/runtime.hpp"
#include "common/status.hpp"
#include "http/ingest_hook.hpp"

namespace moviec::app {

StatusOr<nlohmann::json> push_ingest(actors::Runtime& runtime, const http::PushRequest& push);

}  // namespace moviec::app
