#pragma once
// moviec's errors as caf::error values, so that replies carry them to requesters.

#include <string>

#include <caf/error.hpp>
#include <caf/make_message.hpp>

#include "common/status.hpp"

namespace moviec::actors {

inline const caf::atom_value kErrorCategory = caf::atom("moviec");

/// caf::error codes in the "moviec" category: Status::Code values plus one.
inline caf::error to_error(const Status& s) {
  return caf::error(static_cast<std::uint8_t>(s.code()), kErrorCategory,
                    caf::make_message(s.message()));
}

/// How many times an actor retries an append that lost to a concurrent writer
/// (is_conflict) before it reports the conflict.
inline constexpr int kMaxConflictRetries = 3;

inline bool is_conflict(const caf::error& e) {
  return e.category() == kErrorCategory &&
         e.code() == static_cast<std::uint8_t>(Status::Code::conflict);
}

/// The message of an error made by to_error, or CAF's rendering of any other.
std::string message_of(const caf::error& e);

/// Back to a Status: the code of an error made by to_error, io_error for any other
/// (a timeout, an actor that went away).
Status to_status(const caf::error& e);

}  // namespace moviec::actors
