#pragma once
// Mojibake: text whose bytes were decoded with the wrong legacy code page and
// then stored as UTF-8. Two forms are common in the movie files moviec reads:
//
//   UTF-8 read as Mac Roman     "Gi√π la testa"  (bytes C3 B9 shown as "√π")  -> "Giù la testa"
//   CP1252 read as Mac Roman    "AstÈrix"        (byte E9 shown as "È")        -> "Astérix"
//
// Both repairs map each character back to its Mac Roman byte and decode those
// bytes as they were meant. A repair is only a guess: matching uses repaired
// titles as extra keys beside the original, never instead of it.

#include <optional>
#include <string>
#include <string_view>

namespace moviec::events {

// The code pages both repairs work with (also used by sources/mojibake.cpp).

/// The Mac Roman byte that displays as code point `cp`; -1 when there is none.
int mac_roman_byte(long cp);
/// The byte CP1252 (or Latin-1, for the C1 controls) displays as `cp`; -1 when none.
int cp1252_byte(long cp);
/// The code point CP1252 byte `b` stands for; -1 where CP1252 defines none.
long cp1252_char(unsigned char b);

/// The text as it was before UTF-8 bytes were read as Mac Roman; nullopt when the
/// text has no non-ASCII character, holds a character Mac Roman cannot encode, or
/// its Mac Roman bytes are not well-formed UTF-8.
std::optional<std::string> repair_utf8_read_as_mac_roman(std::string_view text);

/// The text as it was before CP1252 bytes were read as Mac Roman; nullopt when the
/// text has no non-ASCII character or holds one Mac Roman cannot encode or CP1252
/// cannot decode.
std::optional<std::string> repair_cp1252_read_as_mac_roman(std::string_view text);

}  // namespace moviec::events
