#pragma once
// The wall clock as the events and run records store it.

#include <chrono>
#include <cstdint>

namespace moviec {

/// Milliseconds since the Unix epoch, now.
inline std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace moviec
