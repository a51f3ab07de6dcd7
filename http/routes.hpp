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

/// One route of the table: its method and OpenAPI path template ("/movies/{id}").
struct RouteInfo {
  std::string method;
  std::string path;
};

/// The route table, in order (tests hold it equal to docs/openapi.yaml).
std::vector<RouteInfo> route_table();

/// Registers every route of the table on `svr`, each wrapped so that no exception
/// escapes (invalid_argument -> 400, anything else -> 500) and Status errors become
/// JSON errors. A path no route matches answers 404, a known path with another
/// method 405 (with an Allow header), both as JSON. `ctx` must outlive `svr`.
void install_routes(httplib::Server& svr, Context& ctx);

}  // namespace moviec::http
