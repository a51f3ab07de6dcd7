#include "http/handlers.hpp"
#include "http/params.hpp"

namespace moviec::http {

// GET /stats: log length, read-model counters and how far the projection has got.
// The values are separate reads, not one snapshot: while the projector works they may
// come from adjacent batches, and "events" runs ahead of "projection_checkpoint"
// until the projector has caught up.
StatusOr<Response> get_stats(Context& ctx, const Request& req) {
  check_params(req, {});
  auto stats = ctx.models.stats();
  if (!stats) return stats.status();
  nlohmann::json body = stats.take();
  body["events"] = ctx.log.last_sequence();
  body["projection_checkpoint"] = ctx.models.checkpoint();
  return json_response(body);
}

}  // namespace moviec::http
