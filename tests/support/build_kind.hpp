#pragma once
// What kind of build the tests run in. Under AddressSanitizer moviec runs ~15x
// slower (20,000 IMDb rows: 78 s vs 5 s), so tests that only need "big enough to
// be still running when killed" use a smaller input there.

namespace moviec::test {

#ifdef MOVIEC_SANITIZED
inline constexpr bool kSanitized = true;
#else
inline constexpr bool kSanitized = false;
#endif

/// `release` in a release build, `sanitized` in a sanitizer build.
inline constexpr int by_build(int release, int sanitized) { return kSanitized ? sanitized : release; }

}  // namespace moviec::test
