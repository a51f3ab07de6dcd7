#include <fstream>
#include <sstream>

#include "http/handlers.hpp"

#ifndef MOVIEC_WEB_DIR
#define MOVIEC_WEB_DIR "web"
#endif

namespace moviec::http {

// GET /: the web page (web/index.html), read on each request so edits show at once.
// The only route that answers HTML.
StatusOr<Response> get_page(Context&, const Request&) {
  const std::string path = std::string(MOVIEC_WEB_DIR) + "/index.html";
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::not_found("no web page installed (" + path + ")");
  std::ostringstream body;
  body << in.rdbuf();
  Response r;
  r.content_type = kHtmlType;
  r.body = body.str();
  return r;
}

}  // namespace moviec::http
