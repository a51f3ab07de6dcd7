#include "http/handlers.hpp"

#include "common/clock.hpp"

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

std::string new_request_id(const std::string& prefix) {
  static std::atomic<std::uint64_t> counter{0};
  return prefix + "-" + std::to_string(now_ms()) + "-" + std::to_string(++counter);
}

}  // namespace moviec::http
