#include <cstddef>
#include <string>

#include "http/handlers.hpp"
#include "http/params.hpp"

namespace moviec::http {

// docs/openapi.yaml as JSON, compiled in: the build converts it (scripts/embed_openapi.py,
// run by CMakeLists.txt whenever the YAML changes) into openapi_json.cpp in the build
// directory, so the served contract is always the one the binary was built with.
extern const unsigned char kOpenApiJson[];
extern const std::size_t kOpenApiJsonSize;

// GET /openapi.json: the OpenAPI 3.1 contract of this API.
StatusOr<Response> get_openapi(Context&, const Request& req) {
  check_params(req, {});
  Response r;
  r.body.assign(reinterpret_cast<const char*>(kOpenApiJson), kOpenApiJsonSize);
  return r;
}

}  // namespace moviec::http
