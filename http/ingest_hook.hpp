#pragma once
// The way from the HTTP server to the write side, for POST /ingest/{source},
// without http/ knowing about actors: `moviec serve` (app/) installs a hook that
// turns the pushed body into a RecordReader and runs it through the actors
// (actors::Runtime), and answers the run's summary.

#include <functional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/status.hpp"

namespace moviec::http {

/// A pushed body, already authorized.
struct PushRequest {
  enum class Kind { json, csv, tsv };  // from the Content-Type
  std::string source;                  // the {source} of the path
  Kind kind = Kind::json;              // json: JSON lines (or one JSON array)
  std::string_view body;               // valid during the call
  std::string request_id;              // correlation of the run ("push-...")
};

/// Ingests a push and answers the summary the CLI prints (`read`, `changed`,
/// `unchanged`, `rejected`, `appended`, `seconds`, ...). Errors: not_found (no
/// such source), invalid_argument (the source cannot take this kind of body; the
/// message says what it takes), anything else for a failed run. Called from
/// several HTTP worker threads at once.
using IngestHook = std::function<StatusOr<nlohmann::json>(const PushRequest&)>;

}  // namespace moviec::http
