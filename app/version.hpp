#pragma once
// The version `moviec --version` prints: "0.1.0 (git c2256d0)", written at build time by
// app/version.cmake from the CMake project version and `git describe`.

namespace moviec::app {
extern const char* const kVersion;
}  // namespace moviec::app
