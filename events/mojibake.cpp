#include "events/mojibake.hpp"

#include <cstdint>

#include "events/text.hpp"

namespace moviec::events {

namespace {

// Mac Roman bytes 0x80..0xFF as Unicode code points (generated from Python's
// mac_roman codec; 0xDB is the euro sign, as in Mac OS 8.5 and later).
constexpr std::uint16_t kMacRoman[128] = {
    0x00c4, 0x00c5, 0x00c7, 0x00c9, 0x00d1, 0x00d6, 0x00dc, 0x00e1, 0x00e0, 0x00e2, 0x00e4,
    0x00e3, 0x00e5, 0x00e7, 0x00e9, 0x00e8, 0x00ea, 0x00eb, 0x00ed, 0x00ec, 0x00ee, 0x00ef,
    0x00f1, 0x00f3, 0x00f2, 0x00f4, 0x00f6, 0x00f5, 0x00fa, 0x00f9, 0x00fb, 0x00fc, 0x2020,
    0x00b0, 0x00a2, 0x00a3, 0x00a7, 0x2022, 0x00b6, 0x00df, 0x00ae, 0x00a9, 0x2122, 0x00b4,
    0x00a8, 0x2260, 0x00c6, 0x00d8, 0x221e, 0x00b1, 0x2264, 0x2265, 0x00a5, 0x00b5, 0x2202,
    0x2211, 0x220f, 0x03c0, 0x222b, 0x00aa, 0x00ba, 0x03a9, 0x00e6, 0x00f8, 0x00bf, 0x00a1,
    0x00ac, 0x221a, 0x0192, 0x2248, 0x2206, 0x00ab, 0x00bb, 0x2026, 0x00a0, 0x00c0, 0x00c3,
    0x00d5, 0x0152, 0x0153, 0x2013, 0x2014, 0x201c, 0x201d, 0x2018, 0x2019, 0x00f7, 0x25ca,
    0x00ff, 0x0178, 0x2044, 0x20ac, 0x2039, 0x203a, 0xfb01, 0xfb02, 0x2021, 0x00b7, 0x201a,
    0x201e, 0x2030, 0x00c2, 0x00ca, 0x00c1, 0x00cb, 0x00c8, 0x00cd, 0x00ce, 0x00cf, 0x00cc,
    0x00d3, 0x00d4, 0xf8ff, 0x00d2, 0x00da, 0x00db, 0x00d9, 0x0131, 0x02c6, 0x02dc, 0x00af,
    0x02d8, 0x02d9, 0x02da, 0x00b8, 0x02dd, 0x02db, 0x02c7};

// CP1252 bytes 0x80..0x9F as code points; 0 where CP1252 defines none.
constexpr std::uint16_t kCp1252High[32] = {
    0x20ac, 0,      0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017d, 0,      0,      0x2018, 0x2019, 0x201c, 0x201d, 0x2022,
    0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0,      0x017e, 0x0178};

/// `text` encoded in Mac Roman; nullopt when a character has no Mac Roman byte,
/// the text is not UTF-8, or it is plain ASCII (nothing to repair).
std::optional<std::string> to_mac_roman(std::string_view text) {
  std::string bytes;
  bool non_ascii = false;
  for (std::size_t i = 0; i < text.size();) {
    long cp = next_code_point(text, i);
    int b = cp < 0 ? -1 : mac_roman_byte(cp);
    if (b < 0) return std::nullopt;
    non_ascii = non_ascii || b >= 0x80;
    bytes.push_back(static_cast<char>(b));
  }
  if (!non_ascii) return std::nullopt;
  return bytes;
}

}  // namespace

int mac_roman_byte(long cp) {
  if (cp < 0x80) return static_cast<int>(cp);
  for (int i = 0; i < 128; ++i)
    if (kMacRoman[i] == cp) return 0x80 + i;
  return -1;
}

int cp1252_byte(long cp) {
  if (cp < 0x100) return static_cast<int>(cp);
  for (int i = 0; i < 32; ++i)
    if (kCp1252High[i] == cp) return 0x80 + i;
  return -1;
}

long cp1252_char(unsigned char b) {
  if (b < 0x80 || b >= 0xa0) return b;
  return kCp1252High[b - 0x80] == 0 ? -1 : kCp1252High[b - 0x80];
}

std::optional<std::string> repair_utf8_read_as_mac_roman(std::string_view text) {
  auto bytes = to_mac_roman(text);
  if (!bytes || !is_valid_utf8(*bytes)) return std::nullopt;
  return bytes;
}

std::optional<std::string> repair_cp1252_read_as_mac_roman(std::string_view text) {
  auto bytes = to_mac_roman(text);
  if (!bytes) return std::nullopt;
  std::string out;
  for (char c : *bytes) {
    auto b = static_cast<unsigned char>(c);
    long cp = cp1252_char(b);
    if (cp < 0) return std::nullopt;
    append_utf8(out, cp);
  }
  return out;
}

}  // namespace moviec::events
