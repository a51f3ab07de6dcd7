#include <cstddef>
#include <string>

#include "http/handlers.hpp"

namespace moviec::http {

// web/index.html, compiled in: the build turns it into web_page.cpp in the build
// directory (web/embed_page.cmake, run by CMakeLists.txt whenever the page changes).
extern const unsigned char kWebPage[];
extern const std::size_t kWebPageSize;

// GET /: the web page, the only route that answers HTML. Served from the binary, so it
// works from any directory and an installed moviec needs no web/ beside it; an edit to
// web/index.html shows after a rebuild. The page reads the JSON API from the browser.
StatusOr<Response> get_page(Context&, const Request&) {
  Response r;
  r.content_type = kHtmlType;
  r.body.assign(reinterpret_cast<const char*>(kWebPage), kWebPageSize);
  // The page comes with the binary: a browser asks again rather than keep an old one.
  r.headers.emplace_back("Cache-Control", "no-cache");
  return r;
}

}  // namespace moviec::http
