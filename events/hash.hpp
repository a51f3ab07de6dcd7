#pragma once
// FNV-1a: a stable, dependency-free hash for fingerprints and deterministic event ids.
// Not cryptographic; ids combine two independent 64-bit hashes.

#include <cstdint>
#include <string>
#include <string_view>

namespace moviec::events {

inline std::uint64_t fnv1a64(std::string_view s, std::uint64_t seed = 14695981039346656037ull) {
  std::uint64_t h = seed;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

inline std::string to_hex(std::uint64_t v) {
  static const char* digits = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, v >>= 4) out[static_cast<std::size_t>(i)] = digits[v & 0xf];
  return out;
}

/// 128-bit hex id of a string: two FNV-1a passes with different seeds.
inline std::string hash_id(std::string_view s) {
  return to_hex(fnv1a64(s)) + to_hex(fnv1a64(s, 0x9e3779b97f4a7c15ull));
}

}  // namespace moviec::events
