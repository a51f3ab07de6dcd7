#pragma once
// Text folding shared by search, matching and normalization: case and accent
// insensitive forms of titles. Input is UTF-8; invalid bytes are dropped. Also
// the one UTF-8 decoder and encoder (inline: the sources' normalization runs it
// on every field of every record).

#include <cctype>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace moviec::events {

/// Lower case, Latin accents removed (é -> e, ß -> ss, æ -> ae), every other
/// non-alphanumeric code point turned into a space. Non-Latin letters are kept.
std::string fold(std::string_view utf8);

/// The words of fold(text), in order, duplicates kept.
std::vector<std::string> words(std::string_view utf8);

/// ASCII case-insensitive equality ("SEPT" == "Sept"); other bytes must match exactly.
inline bool iequals_ascii(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

/// '0'..'9'.
inline bool is_ascii_digit(char c) { return c >= '0' && c <= '9'; }

/// True when the bytes are well-formed UTF-8 (no overlongs, no surrogates).
bool is_valid_utf8(std::string_view bytes);

/// Decodes the code point at s[i] and advances i past it; -1 (advancing one
/// byte) for an invalid sequence: truncated, overlong, surrogate, > U+10FFFF.
inline long next_code_point(std::string_view s, std::size_t& i) {
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

/// Appends the UTF-8 encoding of code point `cp` (0..U+10FFFF, not a surrogate).
inline void append_utf8(std::string& out, long cp) {
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

}  // namespace moviec::events
