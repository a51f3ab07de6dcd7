#include "http/auth.hpp"

#include <string>

namespace moviec::http {

namespace {
// Equal strings; the time depends on the lengths only, not on where they differ.
bool same(const std::string& a, const std::string& b) {
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  for (std::size_t i = 0; i < a.size(); ++i)
    diff |= static_cast<unsigned char>(a[i] ^ (i < b.size() ? b[i] : 0));
  return diff == 0;
}
}  // namespace

std::optional<Response> check_token(const Context& ctx, const Request& req) {
  if (ctx.config.token.empty())
    return error_response(403, "writes are disabled: no token is configured (set \"token\" in the "
                               "config or MOVIEC_TOKEN)");
  const std::string prefix = "Bearer ";
  const std::string& auth = req.authorization;
  if (auth.size() > prefix.size() && auth.compare(0, prefix.size(), prefix) == 0 &&
      same(auth.substr(prefix.size()), ctx.config.token))
    return std::nullopt;
  auto r = error_response(401, auth.empty() ? "missing bearer token (Authorization: Bearer <token>)"
                                            : "wrong bearer token");
  r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"moviec\"");
  return r;
}

}  // namespace moviec::http
