#pragma once
// Internal to http/: the plain request and response every handler sees, and the
// named handlers the route table (http/routes.cpp) points at. No httplib types
// here: handlers are ordinary functions of (Context, Request), one file per
// resource (movies.cpp, stats.cpp, health.cpp, page.cpp).
//
// Handler contract: return a Response, or a Status error that routes.cpp maps to
// an HTTP status. Throwing std::invalid_argument means "the client sent a bad
// request" (400, its what() is the message); any other exception is a 500.

#include <atomic>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.hpp"
#include "config/config.hpp"
#include "http/ingest_hook.hpp"
#include "http/link_hook.hpp"
#include "store/db.hpp"
#include "store/event_log.hpp"
#include "store/read_models.hpp"

namespace moviec::http {

inline constexpr const char* kJsonType = "application/json; charset=utf-8";
inline constexpr const char* kHtmlType = "text/html; charset=utf-8";

/// What a handler may read. Lives as long as the Server; shared by all worker
/// threads, so everything reachable from it must be thread-safe for reads.
struct Context {
  store::Db& db;
  store::EventLog& log;
  store::ReadModels models;  // stateless view over db
  const config::Config& config;
  std::atomic<bool> stopping{false};  // set by Server::stop(): long polls return at once
  std::atomic<int> waiting{0};        // requests in a long poll now (GET /events?wait=)
  IngestHook ingest;                  // POST /ingest/{source}; empty: the server takes no pushes
  LinkHook link;                      // POST /links; empty: the server takes no links
};

struct Request {
  std::string method;
  std::string path;                                // percent-decoded
  std::vector<std::string> captures;               // the route regex's groups, [0] = whole path
  std::multimap<std::string, std::string> params;  // query parameters, percent-decoded
  std::string body;
  std::string authorization;                       // the Authorization header, "" when absent
  std::string content_type;                        // the Content-Type header, "" when absent
  std::string range;                               // the Range header, "" when absent (GET /assets only)
  std::string if_none_match;                       // the If-None-Match header, "" when absent
};

struct Response {
  int status = 200;
  std::string content_type = kJsonType;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers (WWW-Authenticate)
};

using Handler = StatusOr<Response> (*)(Context&, const Request&);

/// A JSON response. Invalid UTF-8 in stored strings is replaced, never thrown on.
Response json_response(const nlohmann::json& body, int status = 200);

/// {"error": {"status": 404, "message": "..."}}
Response error_response(int status, const std::string& message);

/// A request id no other request of this process has: PREFIX-<epoch ms>-<counter>
/// (POST /ingest: "push", POST /links: "link").
std::string new_request_id(const std::string& prefix);

// --- handlers, by resource ------------------------------------------------------

StatusOr<Response> healthz(Context& ctx, const Request& req);        // health.cpp
/// 507 (no space) or 503 with the reason while the store is read-only, with
/// `summary` (a cut-short run) beside the error when not null; nullopt when writable.
std::optional<Response> store_refusal(Context& ctx, const nlohmann::json& summary = nullptr);  // health.cpp
StatusOr<Response> get_movie(Context& ctx, const Request& req);      // movies.cpp
StatusOr<Response> search_movies(Context& ctx, const Request& req);  // movies.cpp
StatusOr<Response> get_stats(Context& ctx, const Request& req);      // stats.cpp
StatusOr<Response> get_page(Context& ctx, const Request& req);       // page.cpp
StatusOr<Response> get_movie_history(Context& ctx, const Request& req);  // history.cpp
StatusOr<Response> get_field_story(Context& ctx, const Request& req);    // history.cpp
StatusOr<Response> get_events(Context& ctx, const Request& req);         // events.cpp
StatusOr<Response> list_sources(Context& ctx, const Request& req);        // sources.cpp
StatusOr<Response> get_source_rejects(Context& ctx, const Request& req);  // sources.cpp
StatusOr<Response> post_ingest(Context& ctx, const Request& req);         // ingest.cpp
StatusOr<Response> get_match_report(Context& ctx, const Request& req);    // matching.cpp
StatusOr<Response> get_unmatched(Context& ctx, const Request& req);       // matching.cpp
StatusOr<Response> post_link(Context& ctx, const Request& req);           // links.cpp
StatusOr<Response> get_metrics(Context& ctx, const Request& req);         // metrics.cpp
StatusOr<Response> get_openapi(Context& ctx, const Request& req);         // openapi.cpp
StatusOr<Response> post_asset(Context& ctx, const Request& req);          // assets.cpp
StatusOr<Response> get_asset(Context& ctx, const Request& req);           // assets.cpp

}  // namespace moviec::http
