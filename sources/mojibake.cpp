// repair_mojibake (sources/normalize.hpp): undoes a wrong legacy decoding of a
// title when exactly one plausible reading exists.
//
// Three readings are tried. Each maps every character back to the byte it was
// shown for, then decodes those bytes as they were meant:
//   A  UTF-8 shown as Mac Roman     "Gi√π"    -> bytes C3 B9      -> "Giù"
//   B  UTF-8 shown as CP1252/Latin-1 "CafÃ©"  -> bytes C3 A9      -> "Café"
//   C  CP1252 shown as Mac Roman    "AstÈrix" -> byte E9 as CP1252 -> "Astérix"
// A and B need the bytes to be well-formed UTF-8 holding a multi-byte character,
// which legitimate text almost never is, and a result of ordinary characters. C
// always decodes, so it is only tried when A's bytes are not such UTF-8, and it
// needs the original to have out-of-place characters and the result none, with
// every changed character a Latin letter or a common punctuation mark.

#include <utf8proc.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

#include "sources/normalize.hpp"
#include "events/mojibake.hpp"
#include "events/text.hpp"

namespace moviec::sources {

namespace {

using CodePoints = std::vector<long>;

std::optional<CodePoints> decode(std::string_view s) {
  CodePoints out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    long cp = events::next_code_point(s, i);
    if (cp < 0) return std::nullopt;
    out.push_back(cp);
  }
  return out;
}

std::string encode(const CodePoints& cps) {
  std::string out;
  for (long cp : cps) events::append_utf8(out, cp);
  return out;
}

using events::cp1252_byte;
using events::cp1252_char;
using events::mac_roman_byte;

template <class ToByte>
std::optional<std::string> to_bytes(const CodePoints& cps, ToByte to_byte) {
  std::string bytes;
  for (long cp : cps) {
    int b = to_byte(cp);
    if (b < 0) return std::nullopt;
    bytes.push_back(static_cast<char>(b));
  }
  return bytes;
}

utf8proc_category_t category(long cp) { return utf8proc_category(static_cast<utf8proc_int32_t>(cp)); }

bool is_letter(long cp) {
  auto c = category(cp);
  return c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO;
}
bool is_alnum(long cp) {
  auto c = category(cp);
  return is_letter(cp) || (c >= UTF8PROC_CATEGORY_ND && c <= UTF8PROC_CATEGORY_NO);
}
bool is_lower(long cp) { return category(cp) == UTF8PROC_CATEGORY_LL; }
bool is_upper(long cp) { return category(cp) == UTF8PROC_CATEGORY_LU; }

// Symbols that in a Latin title only appear through a wrong decoding when they
// touch a letter or digit: math signs, modifier letters, daggers, ...
bool is_odd_symbol(long cp) {
  switch (category(cp)) {
    case UTF8PROC_CATEGORY_SM: case UTF8PROC_CATEGORY_SC: case UTF8PROC_CATEGORY_SK:
    case UTF8PROC_CATEGORY_SO: case UTF8PROC_CATEGORY_LM:
      return true;
    default:
      break;
  }
  switch (cp) {
    case 0x2030: case 0x2021: case 0x2020: case 0x2022: case 0x00b6: case 0x00a7: case 0x00b7:
    case 0x03c0: case 0x03a9: case 0x0192: case 0x0131: case 0xfb01: case 0xfb02: case 0x00b5:
      return true;
    default:
      return false;
  }
}

// How many characters are out of place: a capital letter inside a lower-case word
// ("AstÈrix", "CachÈ"), a small letter inside a capitalised one ("WALLáE"), or an
// odd symbol glued to a letter or digit ("Gi√π", "2Ω").
int out_of_place(const CodePoints& cps) {
  int n = 0;
  for (std::size_t k = 0; k < cps.size(); ++k) {
    long cp = cps[k];
    if (cp < 0x80) continue;
    long prev = k > 0 ? cps[k - 1] : 0;
    long next = k + 1 < cps.size() ? cps[k + 1] : 0;
    if (is_upper(cp) && is_letter(prev) && (is_lower(prev) || is_lower(next))) ++n;
    else if (is_lower(cp) && is_upper(prev) && is_upper(next)) ++n;  // "WALLáE"
    else if (is_odd_symbol(cp) && (is_alnum(prev) || is_alnum(next))) ++n;
  }
  return n;
}

// True when a repaired title holds only characters a title may hold: letters,
// numbers, punctuation, spaces and signs; never a combining mark left over after
// composition (NFC), a control, private use or an unassigned code point.
bool ordinary(const CodePoints& cps) {
  auto composed = decode(nfc(encode(cps)));
  if (!composed) return false;
  for (long cp : *composed) {
    if (cp < 0x80) {
      if (cp < 0x20 || cp == 0x7f) return false;
      continue;
    }
    auto c = category(cp);
    if ((c >= UTF8PROC_CATEGORY_MN && c <= UTF8PROC_CATEGORY_ME) || c == UTF8PROC_CATEGORY_CN ||
        c >= UTF8PROC_CATEGORY_ZL)
      return false;
  }
  return true;
}

// What reading C may turn a character into: a Latin letter or a common mark.
bool ordinary_latin(long cp) {
  if (cp < 0x80) return true;
  if (cp >= 0xc0 && cp <= 0x24f) return cp != 0xd7 && cp != 0xf7;
  switch (cp) {
    case 0x2026: case 0x2013: case 0x2014: case 0x2018: case 0x2019: case 0x201c: case 0x201d:
    case 0x00bd: case 0x00bc: case 0x00be:
      return true;
    default:
      return false;
  }
}

// The characters behind `bytes` when they are UTF-8 holding a multi-byte character.
std::optional<CodePoints> as_utf8(const std::optional<std::string>& bytes, std::size_t chars) {
  if (!bytes) return std::nullopt;
  auto out = decode(*bytes);
  if (!out || out->size() == chars) return std::nullopt;
  return out;
}

// Readings A and B: the bytes behind the characters are UTF-8.
std::optional<CodePoints> utf8_reading(const CodePoints& cps, bool mac_roman) {
  auto out = as_utf8(mac_roman ? to_bytes(cps, mac_roman_byte) : to_bytes(cps, cp1252_byte),
                     cps.size());
  if (!out || !ordinary(*out) || out_of_place(*out) > out_of_place(cps)) return std::nullopt;
  return out;
}

// Reading C: the bytes behind the characters are CP1252.
std::optional<CodePoints> cp1252_reading(const CodePoints& cps) {
  if (out_of_place(cps) == 0) return std::nullopt;
  auto bytes = to_bytes(cps, mac_roman_byte);
  if (!bytes || as_utf8(bytes, cps.size())) return std::nullopt;  // then it is reading A
  CodePoints out;
  for (char b : *bytes) {
    long cp = cp1252_char(static_cast<unsigned char>(b));
    if (cp < 0 || !ordinary_latin(cp)) return std::nullopt;
    out.push_back(cp);
  }
  if (out_of_place(out) != 0) return std::nullopt;
  return out;
}

}  // namespace

std::optional<std::string> repair_mojibake(std::string_view title) {
  auto cps = decode(title);
  if (!cps) return std::nullopt;
  if (std::all_of(cps->begin(), cps->end(), [](long cp) { return cp < 0x80; })) return std::nullopt;
  std::vector<CodePoints> readings;
  for (auto reading : {utf8_reading(*cps, true), utf8_reading(*cps, false), cp1252_reading(*cps)})
    if (reading && *reading != *cps &&
        std::find(readings.begin(), readings.end(), *reading) == readings.end())
      readings.push_back(*reading);
  if (readings.size() != 1) return std::nullopt;  // none, or ambiguous
  return encode(readings.front());
}

}  // namespace moviec::sources
