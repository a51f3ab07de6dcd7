#pragma once
// Internal to http/: the one route table and the edge where errors become JSON.
// Only server.cpp (and tests) include this; handlers never see httplib.

#include <string>
#include <vector>

#include "common/status.hpp"
#include "http/handlers.hpp"

namespace httplib {
class Server;
}

namespace moviec::http {

/// The HTTP status for a Status error: not_found 404, invalid_argument 400,
/// conflict 409, busy 503, everything else 500.
int http_status(Status::Code code);

/// The methods some route answers on `path`, e.g. "GET, HEAD"; empty for none.
std::string allowed_methods(const std::string& path);

/// True when some route answers `method` (HEAD counts as GET).
bool implements_method(const std::string& method);

/// One route of the table: its method and OpenAPI path template ("/movies/{id}").
struct RouteInfo {
  std::string method;
  std::string path;
};

/// The route table, in order (tests hold it equal to docs/openapi.yaml).
std::vector<RouteInfo> route_table();

/// Marks the start of a request on the calling thread, for its duration in the
/// metrics and the request log; the server's pre-routing handler calls it first
/// (httplib has one pre-routing handler, and the server's decides admission).
void note_request_start();

/// Registers every route of the table on `svr`, each wrapped so that no exception
/// escapes (invalid_argument -> 400, anything else -> 500) and Status errors become
/// JSON errors. A path no route matches answers 404, a known path with another
/// method 405 (with an Allow header), both as JSON. `ctx` must outlive `svr`.
void install_routes(httplib::Server& svr, Context& ctx);

}  // namespace moviec::http
