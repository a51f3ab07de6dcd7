#include "http/routes.hpp"

#include <chrono>
#include <exception>
#include <regex>
#include <stdexcept>
#include <string>
#include <vector>

#include <httplib.h>

#include "common/log.hpp"
#include "common/metrics.hpp"
#include "http/connection.hpp"

namespace moviec::http {

namespace {

struct Route {
  const char* method;  // GET, POST, PUT, PATCH or DELETE (GET also answers HEAD)
  const char* path;    // OpenAPI path template: a {name} segment matches one path segment
  const char* name;    // names the handler in 500 messages
  Handler handler;
};

// The whole API, documented in docs/http.md and described by docs/openapi.yaml (a test
// holds the two equal). One line per route.
//   method   path                             name              handler
const Route kRoutes[] = {
    {"GET",   "/",                             "page",           &get_page},
    {"GET",   "/healthz",                      "healthz",        &healthz},
    {"GET",   "/metrics",                      "metrics",        &get_metrics},
    {"GET",   "/openapi.json",                 "openapi",        &get_openapi},
    {"GET",   "/movies",                       "search_movies",  &search_movies},
    {"GET",   "/movies/{id}",                  "get_movie",      &get_movie},
    {"GET",   "/movies/{id}/history",          "movie_history",  &get_movie_history},
    {"GET",   "/movies/{id}/fields/{field}",   "field_story",    &get_field_story},
    {"GET",   "/events",                       "events",         &get_events},
    {"GET",   "/stats",                        "get_stats",      &get_stats},
    {"GET",   "/sources",                      "list_sources",   &list_sources},
    {"GET",   "/sources/{name}/rejects",       "source_rejects", &get_source_rejects},
    {"GET",   "/sources/{name}/match-report",  "match_report",   &get_match_report},
    {"GET",   "/sources/{name}/unmatched",     "unmatched",      &get_unmatched},
    {"POST",  "/links",                        "links",          &post_link},
    {"POST",  "/ingest/{source}",              "ingest",         &post_ingest},
    {"POST",  "/assets",                       "post_asset",     &post_asset},
    {"GET",   "/assets/{sha256}",              "get_asset",      &get_asset},
};

/// The regex of a path template: "{x}" becomes one segment "([^/]+)", '.' is literal.
std::string pattern_of(const std::string& path) {
  std::string out;
  for (std::size_t i = 0; i < path.size(); ++i) {
    if (path[i] == '{') {
      i = path.find('}', i);
      out += "([^/]+)";
    } else if (path[i] == '.') {
      out += "\\.";
    } else {
      out += path[i];
    }
  }
  return out;
}

/// The compiled patterns, in kRoutes order.
const std::vector<std::regex>& route_patterns() {
  static const std::vector<std::regex> patterns = [] {
    std::vector<std::regex> out;
    for (auto& r : kRoutes) out.emplace_back(pattern_of(r.path));
    return out;
  }();
  return patterns;
}

/// What one worker thread knows about the request it is answering, between the
/// pre-routing handler and the logger (httplib runs both on the request's thread).
struct InFlight {
  std::chrono::steady_clock::time_point started{};
  const Route* route = nullptr;  // null: no route matched (404, 405, malformed)
};
thread_local InFlight t_in_flight;

Request to_request(const httplib::Request& h) {
  Request r;
  r.method = h.method;
  r.path = h.path;
  for (auto& m : h.matches) r.captures.push_back(m.str());
  r.params.insert(h.params.begin(), h.params.end());
  r.body = h.body;
  r.authorization = h.get_header_value("Authorization");
  r.content_type = h.get_header_value("Content-Type");
  r.range = h.get_header_value("Range");
  r.if_none_match = h.get_header_value("If-None-Match");
  return r;
}

/// Runs one handler; whatever happens, the result is a Response.
Response invoke(const Route& route, Context& ctx, const httplib::Request& h) {
  try {
    auto result = route.handler(ctx, to_request(h));
    if (result) return result.take();
    return error_response(http_status(result.status().code()), result.status().message());
  } catch (const std::invalid_argument& e) {
    return error_response(400, e.what());
  } catch (const std::exception& e) {
    return error_response(500, std::string(route.name) + ": " + e.what());
  } catch (...) {
    return error_response(500, std::string(route.name) + ": unknown exception");
  }
}

void write(const Response& r, httplib::Response& out) {
  out.status = r.status;
  out.set_content(r.body, r.content_type);
  for (auto& [name, value] : r.headers) out.set_header(name, value);
}

/// A short reason for a status httplib itself produced (bad request line, ...).
std::string reason(int status) {
  switch (status) {
    case 400: return "bad request";
    case 413: return "payload too large";
    case 414: return "URI too long";
    case 416: return "range not satisfiable";
    case 417: return "expectation failed";
    default: return "HTTP error " + std::to_string(status);
  }
}

/// Called by httplib for every response with status >= 400. A body means a handler
/// already wrote its JSON error; an empty one is httplib's own 404 (no route
/// matched this method) or another 4xx of its own (malformed request).
httplib::Server::HandlerResponse on_error(const httplib::Request& req, httplib::Response& res) {
  if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
  if (auto edge = edge_error(req, res.status)) {  // a request cut short (http/connection.hpp)
    write(*edge, res);
    return httplib::Server::HandlerResponse::Handled;
  }
  if (res.status == 404) {
    auto allowed = allowed_methods(req.path);
    if (!allowed.empty()) {
      write(error_response(405, "method " + req.method + " not allowed on " + req.path +
                                    " (allowed: " + allowed + ")"),
            res);
      res.set_header("Allow", allowed);
    } else {
      write(error_response(404, "no route for " + req.method + " " + req.path), res);
    }
  } else {
    write(error_response(res.status, reason(res.status)), res);
  }
  return httplib::Server::HandlerResponse::Handled;
}

/// Only reached if something throws outside invoke(); keeps the JSON promise anyway.
void on_exception(const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
  std::string message = "internal error";
  try {
    if (ep) std::rethrow_exception(ep);
  } catch (const std::exception& e) {
    message += std::string(": ") + e.what();
  } catch (...) {
  }
  write(error_response(500, message), res);
}

}  // namespace

std::string allowed_methods(const std::string& path) {
  std::string out;
  auto& patterns = route_patterns();
  for (std::size_t i = 0; i < patterns.size(); ++i) {
    if (!std::regex_match(path, patterns[i])) continue;
    std::string m = kRoutes[i].method;
    if (m == "GET") m += ", HEAD";
    if (out.find(m) == std::string::npos) out += (out.empty() ? "" : ", ") + m;
  }
  return out;
}

bool implements_method(const std::string& method) {
  const std::string m = method == "HEAD" ? "GET" : method;
  for (auto& r : kRoutes)
    if (m == r.method) return true;
  return false;
}

int http_status(Status::Code code) {
  switch (code) {
    case Status::Code::ok: return 200;
    case Status::Code::not_found: return 404;
    case Status::Code::invalid_argument: return 400;
    case Status::Code::conflict: return 409;
    case Status::Code::busy: return 503;
    case Status::Code::no_space: return 507;  // Insufficient Storage
    case Status::Code::io_error:
    case Status::Code::corruption: return 500;
  }
  return 500;
}

std::vector<RouteInfo> route_table() {
  std::vector<RouteInfo> out;
  for (auto& r : kRoutes) out.push_back({r.method, r.path});
  return out;
}

void note_request_start() { t_in_flight = InFlight{std::chrono::steady_clock::now(), nullptr}; }

void install_routes(httplib::Server& svr, Context& ctx) {
  route_patterns();  // compile now, not under the first request
  for (const Route& route : kRoutes) {
    const std::string pattern = pattern_of(route.path);
    auto handler = [&ctx, &route](const httplib::Request& req, httplib::Response& res) {
      t_in_flight.route = &route;
      write(invoke(route, ctx, req), res);
    };
    const std::string method = route.method;
    if (method == "GET") svr.Get(pattern, handler);
    else if (method == "POST") svr.Post(pattern, handler);
    else if (method == "PUT") svr.Put(pattern, handler);
    else if (method == "PATCH") svr.Patch(pattern, handler);
    else if (method == "DELETE") svr.Delete(pattern, handler);
    else throw std::logic_error(std::string("route table: unsupported method ") + route.method);
  }

  svr.set_error_handler(httplib::Server::HandlerWithResponse(on_error));
  svr.set_exception_handler(on_exception);

  // Every answer is counted (GET /metrics) and logged, under its route template,
  // timed from note_request_start() (the server's pre-routing handler).
  svr.set_logger([](const httplib::Request& req, const httplib::Response& res) {
    auto now = std::chrono::steady_clock::now();
    auto started = t_in_flight.started == std::chrono::steady_clock::time_point{} ? now
                                                                                 : t_in_flight.started;
    const char* route = t_in_flight.route ? t_in_flight.route->path : "unmatched";
    t_in_flight = InFlight{};
    auto micros = std::chrono::duration_cast<std::chrono::microseconds>(now - started).count();
    metrics::http_request(route, req.method, res.status, static_cast<double>(micros) / 1e6);
    if (log::enabled(log::Level::info))
      log::info("http_request", {{"method", req.method},
                                 {"path", req.path},
                                 {"route", route},
                                 {"status", res.status},
                                 {"us", micros},
                                 {"bytes", res.body.size()}});
  });
}

}  // namespace moviec::http
