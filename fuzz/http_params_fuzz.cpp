// HTTP query parameters (http/params.hpp): the input is a query string as it follows
// '?', split and percent-decoded by cpp-httplib as the server does (parse_query_text),
// then read as every route that takes parameters reads it (the same calls, the same
// limits). Each read returns a value within its bounds or throws std::invalid_argument
// with a message (a 400); anything else escaping is a 500, and a finding.
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include <httplib.h>

#include "events/event.hpp"
#include "events/timestamp.hpp"
#include "http/params.hpp"

namespace {

using moviec::http::Request;

void check(bool ok) {
  if (!ok) std::abort();
}

/// Runs one route's reading of the parameters; a 400 is a fine outcome, with a message.
template <class F>
void route(F&& read) {
  try {
    read();
  } catch (const std::invalid_argument& e) {
    check(e.what()[0] != '\0');
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace moviec::http;
  if (size > 8192) return 0;  // httplib refuses a longer request line (414)
  const std::string query(reinterpret_cast<const char*>(data), size);
  httplib::Params parsed;
  httplib::detail::parse_query_text(query, parsed);
  Request req;
  req.params.insert(parsed.begin(), parsed.end());

  route([&] {  // GET /events (http/events.cpp)
    check_params(req, {"after", "limit", "type", "source", "wait"});
    (void)uint_param(req, "after");
    auto limit = count_param(req, "limit", 100, 1000);
    check(limit >= 1 && limit <= 1000);
    auto wait = uint_param(req, "wait", 60);
    check(!wait || *wait <= 60);
    if (auto t = param(req, "type")) (void)moviec::events::type_from_name(*t);
  });
  route([&] {  // GET /movies (http/movies.cpp)
    check_params(req, {"q", "year", "genre", "limit", "cursor"});
    (void)int_param(req, "year");
    auto limit = count_param(req, "limit", 20, 1000);
    check(limit >= 1 && limit <= 1000);
  });
  route([&] {  // GET /movies/{id}?as_of= (http/movies.cpp)
    check_params(req, {"as_of"});
    if (auto text = param(req, "as_of")) {
      auto at = parse_as_of(*text);
      check(at.sequence.has_value() != at.time_ms.has_value());
      if (at.time_ms) {  // what the answer shows as time_utc reads back as the same time
        auto again = moviec::events::parse_utc(moviec::events::format_utc(*at.time_ms));
        check(again && *again == *at.time_ms);
      }
    }
  });
  route([&] {  // GET /movies/{id}/history, /fields/{field} (http/history.cpp)
    check_params(req, {"limit", "cursor"});
    (void)count_param(req, "limit", 20, 1000);
    (void)uint_param(req, "cursor");
  });
  route([&] {  // GET /sources/{name}/rejects (http/sources.cpp)
    check_params(req, {"run", "cursor", "limit"});
    (void)uint_param(req, "run");
    (void)count_param(req, "limit", 100, 1000);
    (void)uint_param(req, "cursor");
  });
  route([&] {  // GET /sources/{name}/unmatched (http/matching.cpp)
    check_params(req, {"limit", "cursor", "reason"});
    (void)count_param(req, "limit", 20, 1000);
    (void)param(req, "cursor");
  });
  route([&] { check_params(req, {}); });  // every route without parameters
  return 0;
}
