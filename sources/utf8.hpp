#pragma once
// UTF-8 decoding and encoding for the normalization code (sources/normalize*.cpp,
// sources/mojibake.cpp). Internal: format readers use sources/normalize.hpp.

#include <cstdint>
#include <string>
#include <string_view>

namespace moviec::sources::utf8 {

/// Decodes the code point at s[i] and advances i past it; -1 (advancing one
/// byte) for an invalid sequence: truncated, overlong, surrogate, > U+10FFFF.
inline long next(std::string_view s, std::size_t& i) {
  auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) {
    ++i;
    return c;
  }
  int extra = 0;
  if ((c >> 5) == 0x6) extra = 1;
  else if ((c >> 4) == 0xe) extra = 2;
  else if ((c >> 3) == 0x1e) extra = 3;
  else {
    ++i;
    return -1;
  }
  if (i + static_cast<std::size_t>(extra) >= s.size()) {
    ++i;
    return -1;
  }
  long cp = c & (0x3f >> extra);
  for (int k = 1; k <= extra; ++k) {
    auto cc = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
    if ((cc >> 6) != 0x2) {
      ++i;
      return -1;
    }
    cp = (cp << 6) | (cc & 0x3f);
  }
  static constexpr long kMinimum[] = {0, 0x80, 0x800, 0x10000};
  if (cp < kMinimum[extra] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
    ++i;
    return -1;
  }
  i += static_cast<std::size_t>(extra) + 1;
  return cp;
}

/// Appends the UTF-8 encoding of `cp` (0..U+10FFFF, not a surrogate).
inline void append(std::string& out, long cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xc0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xe0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else {
    out.push_back(static_cast<char>(0xf0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  }
}

}  // namespace moviec::sources::utf8
