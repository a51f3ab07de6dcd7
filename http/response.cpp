#include "http/handlers.hpp"

namespace moviec::http {

using nlohmann::json;

Response json_response(const json& body, int status) {
  Response r;
  r.status = status;
  r.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  return r;
}

Response error_response(int status, const std::string& message) {
  return json_response(json{{"error", {{"status", status}, {"message", message}}}}, status);
}

}  // namespace moviec::http
