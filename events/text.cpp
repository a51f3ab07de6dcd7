#include "events/text.hpp"

#include <cstdint>

namespace moviec::events {

namespace {

// U+00C0..U+017F (Latin-1 Supplement letters, Latin Extended-A) folded to ASCII;
// "" marks a symbol (× ÷). Generated from Unicode decompositions.
const char* const kLatinFold[192] = {
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
    "d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y", "th", "ss",
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
    "d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y", "th", "y",
    "a", "a", "a", "a", "a", "a", "c", "c", "c", "c", "c", "c", "c", "c", "d", "d",
    "d", "d", "e", "e", "e", "e", "e", "e", "e", "e", "e", "e", "g", "g", "g", "g",
    "g", "g", "g", "g", "h", "h", "h", "h", "i", "i", "i", "i", "i", "i", "i", "i",
    "i", "i", "ij", "ij", "j", "j", "k", "k", "k", "l", "l", "l", "l", "l", "l", "l",
    "l", "l", "l", "n", "n", "n", "n", "n", "n", "n", "n", "n", "o", "o", "o", "o",
    "o", "o", "oe", "oe", "r", "r", "r", "r", "r", "r", "s", "s", "s", "s", "s", "s",
    "s", "s", "t", "t", "t", "t", "t", "t", "u", "u", "u", "u", "u", "u", "u", "u",
    "u", "u", "u", "u", "w", "w", "y", "y", "y", "z", "z", "z", "z", "z", "z", "s"};

}  // namespace

bool is_valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();)
    if (next_code_point(s, i) < 0) return false;
  return true;
}

std::string fold(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    long cp = next_code_point(s, i);
    if (cp < 0) continue;
    if (cp < 0x80) {
      char c = static_cast<char>(cp);
      if (c >= 'A' && c <= 'Z') out.push_back(static_cast<char>(c - 'A' + 'a'));
      else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) out.push_back(c);
      else if (c == '\'') continue;  // "Schindler's" -> "schindlers"
      else out.push_back(' ');
    } else if (cp >= 0xc0 && cp <= 0x17f) {
      const char* f = kLatinFold[cp - 0xc0];
      out += *f ? f : " ";
    } else if (cp == 0x2019 || cp == 0x2018) {
      continue;  // typographic apostrophes, as '\''
    } else if ((cp >= 0x2000 && cp <= 0x206f) || (cp >= 0x80 && cp < 0xc0)) {
      out.push_back(' ');  // general punctuation, Latin-1 symbols
    } else if (cp >= 0x391 && cp <= 0x3a9) {
      append_utf8(out, cp + 0x20);  // Greek capitals
    } else if (cp >= 0x410 && cp <= 0x42f) {
      append_utf8(out, cp + 0x20);  // Cyrillic capitals
    } else {
      append_utf8(out, cp);
    }
  }
  return out;
}

std::vector<std::string> words(std::string_view s) {
  std::vector<std::string> out;
  out.reserve(8);  // a title's words, grown once at most
  std::string folded = fold(s);
  std::string current;
  for (char c : folded) {
    if (c == ' ') {
      if (!current.empty()) out.push_back(std::move(current));
      current.clear();
    } else {
      current.push_back(c);
    }
  }
  if (!current.empty()) out.push_back(std::move(current));
  return out;
}

}  // namespace moviec::events
