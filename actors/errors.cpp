#include "actors/errors.hpp"

#include <caf/actor_system.hpp>

namespace moviec::actors {

std::string message_of(const caf::error& e) {
  if (e.category() == kErrorCategory && e.context().match_elements<std::string>())
    return e.context().get_as<std::string>(0);
  return caf::to_string(e);
}

}  // namespace moviec::actors
