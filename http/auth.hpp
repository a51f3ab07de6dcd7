#pragma once
// Internal to http/: the bearer token every write and admin call needs.

#include <optional>

#include "http/handlers.hpp"

namespace moviec::http {

/// nullopt when the request carries `Authorization: Bearer <config token>`.
/// Otherwise the answer to send: 403 when no token is configured at all (writes
/// are disabled), 401 with `WWW-Authenticate: Bearer` for a missing or wrong one.
/// The token is compared in constant time.
std::optional<Response> check_token(const Context& ctx, const Request& req);

}  // namespace moviec::http
