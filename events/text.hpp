#pragma once
// Text folding shared by search, matching and normalization: case and accent
// insensitive forms of titles. Input is UTF-8; invalid bytes are dropped.

#include <string>
#include <string_view>
#include <vector>

namespace moviec::events {

/// Lower case, Latin accents removed (é -> e, ß -> ss, æ -> ae), every other
/// non-alphanumeric code point turned into a space. Non-Latin letters are kept.
std::string fold(std::string_view utf8);

/// The words of fold(text), in order, duplicates kept.
std::vector<std::string> words(std::string_view utf8);

/// True when the bytes are well-formed UTF-8 (no overlongs, no surrogates).
bool is_valid_utf8(std::string_view bytes);

/// Decodes the code point at s[i] and advances i past it; -1 (advancing one
/// byte) for an invalid sequence: truncated, overlong, surrogate, > U+10FFFF.
long next_code_point(std::string_view s, std::size_t& i);

/// Appends the UTF-8 encoding of code point `cp` (0..U+10FFFF).
void append_utf8(std::string& out, long cp);

}  // namespace moviec::events
