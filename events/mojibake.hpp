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

/// The text as it was before UTF-8 bytes were read as Mac Roman; nullopt when the
/// text has no non-ASCII character, holds a character Mac Roman cannot encode, or
/// its Mac Roman bytes are not well-formed UTF-8.
std::optional<std::string> repair_utf8_read_as_mac_roman(std::string_view text);

/// The text as it was before CP1252 bytes were read as Mac Roman; nullopt when the
/// text has no non-ASCII character or holds one Mac Roman cannot encode or CP1252
/// cannot decode.
std::optional<std::string> repair_cp1252_read_as_mac_roman(std::string_view text);

}  // namespace moviec::events
