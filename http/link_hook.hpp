#pragma once
// The way from the HTTP server to the matcher, for POST /links, without http/
// knowing about actors: `moviec serve` (app/) installs a hook that hands the
// command to actors::Runtime::link and answers what happened.

#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "common/status.hpp"

namespace moviec::http {

/// A person's decision about one source record, already authorized and checked
/// for shape.
struct LinkCommand {
  std::string source;
  std::string source_id;
  std::string movie_id;   // "" = no match
  std::string by;         // who decides
  std::string why;        // their reason
  std::string request_id; // correlation of the request ("link-...")
};

/// Records the decision (a SourceRecordLinked event) and applies it; answers
/// {"sequence", "record_known", "applied", "previous_movie"}. Errors: not_found (no
/// such movie), invalid_argument, anything else for a failure. Called from several
/// HTTP worker threads at once.
using LinkHook = std::function<StatusOr<nlohmann::json>(const LinkCommand&)>;

}  // namespace moviec::http
