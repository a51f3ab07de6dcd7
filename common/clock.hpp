#pragma once
// The wall clock as the events and run records store it, and the ids made of it.

#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <string>

namespace moviec {

/// Milliseconds since the Unix epoch, now.
inline std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

/// A correlation id for a run, a link or a resolve pass: "prefix-<ms>-<pid>".
inline std::string new_correlation_id(const std::string& prefix) {
  return prefix + "-" + std::to_string(now_ms()) + "-" + std::to_string(::getpid());
}

}  // namespace moviec
