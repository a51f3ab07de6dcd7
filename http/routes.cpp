#include "http/routes.hpp"

#include <exception>
#include <regex>
#include <stdexcept>
#include <string>
#include <vector>

#include <httplib.h>

#include "http/connection.hpp"

namespace moviec::http {

namespace {

struct Route {
  const char* method;   // GET, POST, PUT, PATCH or DELETE (GET also answers HEAD)
  const char* pattern;  // ECMAScript regex matched against the whole decoded path
  const char* name;     // names the handler in 500 messages
  Handler handler;
};

// The whole API, documented in docs/http.md. One line per route.
//   method   path                 name              handler
const Route kRoutes[] = {
    {"GET",   R"(/)",               "page",           &get_page},
    {"GET",   R"(/healthz)",        "healthz",        &healthz},
    {"GET",   R"(/movies)",         "search_movies",  &search_movies},
    {"GET",   R"(/movies/([^/]+))", "get_movie",      &get_movie},
    {"GET",   R"(/movies/([^/]+)/history)", "movie_history", &get_movie_history},
    {"GET",   R"(/movies/([^/]+)/fields/([^/]+))", "field_story", &get_field_story},
    {"GET",   R"(/events)",         "events",         &get_events},
    {"GET",   R"(/stats)",          "get_stats",      &get_stats},
    {"GET",   R"(/sources)",        "list_sources",   &list_sources},
    {"GET",   R"(/sources/([^/]+)/rejects)", "source_rejects", &get_source_rejects},
    {"GET",   R"(/sources/([^/]+)/match-report)", "match_report", &get_match_report},
    {"GET",   R"(/sources/([^/]+)/unmatched)", "unmatched",  &get_unmatched},
    {"POST",  R"(/links)",          "links",          &post_link},
    {"POST",  R"(/ingest/([^/]+))", "ingest",         &post_ingest},
};

/// The compiled patterns, in kRoutes order.
const std::vector<std::regex>& route_patterns() {
  static const std::vector<std::regex> patterns = [] {
    std::vector<std::regex> out;
    for (auto& r : kRoutes) out.emplace_back(r.pattern);
    return out;
  }();
  return patterns;
}

Request to_request(const httplib::Request& h) {
  Request r;
  r.method = h.method;
  r.path = h.path;
  for (auto& m : h.matches) r.captures.push_back(m.str());
  r.params.insert(h.params.begin(), h.params.end());
  r.body = h.body;
  r.authorization = h.get_header_value("Authorization");
  r.content_type = h.get_header_value("Content-Type");
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
    case Status::Code::io_error:
    case Status::Code::corruption: return 500;
  }
  return 500;
}

void install_routes(httplib::Server& svr, Context& ctx) {
  route_patterns();  // compile now, not under the first request
  for (const Route& route : kRoutes) {
    auto handler = [&ctx, &route](const httplib::Request& req, httplib::Response& res) {
      write(invoke(route, ctx, req), res);
    };
    const std::string method = route.method;
    if (method == "GET") svr.Get(route.pattern, handler);
    else if (method == "POST") svr.Post(route.pattern, handler);
    else if (method == "PUT") svr.Put(route.pattern, handler);
    else if (method == "PATCH") svr.Patch(route.pattern, handler);
    else if (method == "DELETE") svr.Delete(route.pattern, handler);
    else throw std::logic_error(std::string("route table: unsupported method ") + route.method);
  }

  svr.set_error_handler(httplib::Server::HandlerWithResponse(on_error));
  svr.set_exception_handler(on_exception);
}

}  // namespace moviec::http
