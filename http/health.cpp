#include "http/handlers.hpp"

namespace moviec::http {

// GET /healthz: the process serves requests. Touches no storage.
StatusOr<Response> healthz(Context&, const Request&) {
  return json_response({{"status", "ok"}});
}

}  // namespace moviec::http
