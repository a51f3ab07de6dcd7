#include "http/handlers.hpp"

namespace moviec::http {

namespace {

nlohmann::json storage_json(const store::StoreHealth::Report& h) {
  nlohmann::json out{{"state", h.writable ? "writable" : "read_only"},
                     {"free_bytes", h.free_bytes},
                     {"min_free_bytes", h.min_free_bytes},
                     {"refused_writes", h.refused_writes}};
  if (!h.writable) {
    out["reason"] = h.reason;
    out["since_ms"] = h.since_ms;
  }
  return out;
}

}  // namespace

// GET /healthz: the process serves requests (200 whenever it answers). "status" is
// "ok", or "degraded" while the store is read-only (a full disk: reads work, writes
// are refused; store/health.hpp). Reads no data, only the store's state.
StatusOr<Response> healthz(Context& ctx, const Request&) {
  auto h = ctx.db.health();
  return json_response({{"status", h.writable ? "ok" : "degraded"}, {"storage", storage_json(h)}});
}

std::optional<Response> store_refusal(Context& ctx, const nlohmann::json& summary) {
  auto h = ctx.db.health();
  if (h.writable) return std::nullopt;
  int status = h.no_space ? 507 : 503;
  nlohmann::json body{{"error", {{"status", status}, {"message", "the store is read-only: " + h.reason}}}};
  if (!summary.is_null()) body["summary"] = summary;
  auto r = json_response(body, status);
  r.headers.emplace_back("Retry-After", "10");
  return r;
}

}  // namespace moviec::http
