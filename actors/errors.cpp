#include "actors/errors.hpp"

#include <caf/actor_system.hpp>

namespace moviec::actors {

std::string message_of(const caf::error& e) {
  if (e.category() == kErrorCategory && e.context().match_elements<std::string>())
    return e.context().get_as<std::string>(0);
  return caf::to_string(e);
}

Status to_status(const caf::error& e) {
  auto message = message_of(e);
  if (e.category() != kErrorCategory) return Status::io_error(message);
  switch (static_cast<Status::Code>(e.code())) {
    case Status::Code::ok: return Status::ok();
    case Status::Code::not_found: return Status::not_found(message);
    case Status::Code::conflict: return Status::conflict(message);
    case Status::Code::invalid_argument: return Status::invalid(message);
    case Status::Code::corruption: return Status::corruption(message);
    case Status::Code::busy: return Status::busy(message);
    case Status::Code::no_space: return Status::no_space(message);
    case Status::Code::io_error: break;
  }
  return Status::io_error(message);
}

}  // namespace moviec::actors
