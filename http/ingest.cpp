// POST /ingest/{source}: JSON lines or CSV pushed in the body, run through the
// write side like a file (the IngestHook `serve` installs), answered with the run
// summary. Needs the bearer token.

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>

#include "http/auth.hpp"
#include "http/handlers.hpp"
#include "http/params.hpp"

namespace moviec::http {

namespace {

std::optional<PushRequest::Kind> kind_of(const std::string& content_type) {
  std::string type = content_type.substr(0, content_type.find(';'));
  type.erase(std::remove_if(type.begin(), type.end(), [](unsigned char c) { return std::isspace(c); }),
             type.end());
  std::transform(type.begin(), type.end(), type.begin(), [](unsigned char c) { return std::tolower(c); });
  if (type == "application/x-ndjson" || type == "application/jsonl" || type == "application/json-lines" ||
      type == "application/jsonlines" || type == "application/json")
    return PushRequest::Kind::json;
  if (type == "text/csv") return PushRequest::Kind::csv;
  if (type == "text/tab-separated-values") return PushRequest::Kind::tsv;
  return std::nullopt;
}

}  // namespace

StatusOr<Response> post_ingest(Context& ctx, const Request& req) {
  if (auto denied = check_token(ctx, req)) return *denied;
  check_params(req, {});
  if (!ctx.ingest) return error_response(503, "this server does not take pushes");
  auto kind = kind_of(req.content_type);
  if (!kind)
    return error_response(415, "unsupported Content-Type \"" + req.content_type +
                                   "\" (use application/x-ndjson for JSON lines, text/csv or "
                                   "text/tab-separated-values)");
  if (req.body.empty()) return error_response(400, "empty body: nothing to ingest");
  PushRequest push;
  push.source = req.captures.at(1);
  push.kind = *kind;
  push.body = req.body;
  push.request_id = new_request_id("push");
  auto summary = ctx.ingest(push);
  if (!summary) {
    if (auto refused = store_refusal(ctx)) return *refused;
    return summary.status();
  }
  bool failed = summary->value("failed", std::uint64_t{0}) > 0;
  if (failed)
    if (auto refused = store_refusal(ctx, *summary)) return *refused;  // the disk filled during the run
  return json_response(*summary, failed ? 500 : 200);
}

}  // namespace moviec::http
