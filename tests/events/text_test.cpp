// Text folding for search and matching (events/text.hpp).

#include <catch2/catch.hpp>

#include "events/text.hpp"

using moviec::events::fold;
using moviec::events::is_valid_utf8;
using moviec::events::words;
using Words = std::vector<std::string>;

TEST_CASE("fold lower-cases ASCII letters and keeps digits", "[text]") {
  CHECK(fold("The Usual SUSPECTS 1995") == "the usual suspects 1995");
  CHECK(fold("abcxyz0189") == "abcxyz0189");
  CHECK(fold("") == "");
}

TEST_CASE("fold removes Latin accents", "[text]") {
  CHECK(fold("Amélie") == "amelie");
  CHECK(fold("ÉCOLE") == "ecole");
  CHECK(fold("Señor Niño") == "senor nino");
  CHECK(fold("Ça") == "ca");
  CHECK(fold("Øresund") == "oresund");
  CHECK(fold("Ångström") == "angstrom");
  CHECK(fold("Łódź") == "lodz");
  CHECK(fold("Dvořák") == "dvorak");
  CHECK(fold("ÿ") == "y");
}

TEST_CASE("fold expands ligatures and sharp s", "[text]") {
  CHECK(fold("Straße") == "strasse");
  CHECK(fold("Æon Flux") == "aeon flux");
  CHECK(fold("æ") == "ae");
  CHECK(fold("Cœur") == "coeur");
  CHECK(fold("Þór") == "thor");
  CHECK(fold("Ĳssel") == "ijssel");
}

TEST_CASE("fold drops apostrophes so possessives stay one word", "[text]") {
  CHECK(fold("Schindler's List") == "schindlers list");
  CHECK(fold("Schindler\xE2\x80\x99s List") == "schindlers list");  // U+2019
  CHECK(fold("\xE2\x80\x98Til Death") == "til death");             // U+2018
  CHECK(fold("Rock 'n' Roll") == "rock n roll");
}

TEST_CASE("fold turns punctuation and symbols into spaces", "[text]") {
  CHECK(fold("Se7en: Director's Cut") == "se7en  directors cut");
  CHECK(fold("Mission: Impossible - Fallout") == "mission  impossible   fallout");
  CHECK(fold("a.b,c;d!e?f(g)h") == "a b c d e f g h");
  CHECK(fold("2\xC3\x97" "3") == "2 3");              // U+00D7 multiplication sign
  CHECK(fold("x\xC2\xBFy") == "x y");                 // U+00BF inverted question mark
  CHECK(fold("Alien\xE2\x80\x94" "Covenant") == "alien covenant");  // U+2014 em dash
  CHECK(fold("tab\there") == "tab here");
}

TEST_CASE("fold lower-cases Greek and Cyrillic capitals and keeps other scripts", "[text]") {
  CHECK(fold("\xCE\x91\xCE\x92\xCE\x93") == "\xCE\xB1\xCE\xB2\xCE\xB3");        // ΑΒΓ -> αβγ
  CHECK(fold("\xD0\x9C\xD0\x98\xD0\xA0") == "\xD0\xBC\xD0\xB8\xD1\x80");        // МИР -> мир
  CHECK(fold("\xE5\x8D\x83\xE3\x81\xA8\xE5\x8D\x83\xE5\xB0\x8B") ==
        "\xE5\x8D\x83\xE3\x81\xA8\xE5\x8D\x83\xE5\xB0\x8B");                       // 千と千尋
  CHECK(fold("\xF0\x9F\x8E\xAC") == "\xF0\x9F\x8E\xAC");                          // U+1F3AC
}

TEST_CASE("fold drops invalid bytes and keeps the valid text around them", "[text]") {
  CHECK(fold("ab\xFF" "cd") == "abcd");
  CHECK(fold("caf\xC3") == "caf");          // truncated é at the end
  CHECK(fold("\xC0\xAF" "x") == "x");       // overlong '/' is not a slash
  CHECK(fold("a\xED\xA0\x80" "b") == "ab");  // surrogate
}

TEST_CASE("fold makes accented and plain spellings equal", "[text]") {
  CHECK(fold("Le Fabuleux Destin d'Amélie Poulain") == fold("LE FABULEUX DESTIN D'AMELIE POULAIN"));
  CHECK(fold("Crème Brûlée") == fold("creme brulee"));
}

TEST_CASE("words splits folded text on every non-alphanumeric run", "[text]") {
  CHECK(words("The Usual Suspects") == Words{"the", "usual", "suspects"});
  CHECK(words("  Mission: Impossible -- Fallout!  ") == Words{"mission", "impossible", "fallout"});
  CHECK(words("Amélie") == Words{"amelie"});
  CHECK(words("Schindler's List") == Words{"schindlers", "list"});
  CHECK(words("Straße") == Words{"strasse"});
}

TEST_CASE("words keeps duplicates and order", "[text]") {
  CHECK(words("New York, New York") == Words{"new", "york", "new", "york"});
  CHECK(words("b a b") == Words{"b", "a", "b"});
}

TEST_CASE("words of text without letters or digits is empty", "[text]") {
  CHECK(words("").empty());
  CHECK(words("   ").empty());
  CHECK(words("?!-- ...").empty());
  CHECK(words("\xFF\xFE").empty());
}

TEST_CASE("is_valid_utf8 accepts well-formed text of every length", "[text]") {
  CHECK(is_valid_utf8(""));
  CHECK(is_valid_utf8("plain ASCII"));
  CHECK(is_valid_utf8("Amélie"));                          // 2 bytes
  CHECK(is_valid_utf8("\xE2\x82\xAC"));                    // € 3 bytes
  CHECK(is_valid_utf8("\xF0\x9F\x8E\xAC"));                // 4 bytes
  CHECK(is_valid_utf8("\xC2\x80"));                        // U+0080, smallest 2-byte
  CHECK(is_valid_utf8("\xE0\xA0\x80"));                    // U+0800, smallest 3-byte
  CHECK(is_valid_utf8("\xF0\x90\x80\x80"));                // U+10000, smallest 4-byte
  CHECK(is_valid_utf8("\xED\x9F\xBF"));                    // U+D7FF, just below surrogates
  CHECK(is_valid_utf8("\xEE\x80\x80"));                    // U+E000, just above
  CHECK(is_valid_utf8("\xF4\x8F\xBF\xBF"));                // U+10FFFF, the largest
  CHECK(is_valid_utf8(std::string_view("a\0b", 3)));       // NUL is a code point
}

TEST_CASE("is_valid_utf8 rejects overlong encodings", "[text]") {
  CHECK_FALSE(is_valid_utf8("\xC0\x80"));          // NUL in 2 bytes
  CHECK_FALSE(is_valid_utf8("\xC1\xBF"));          // U+007F in 2 bytes
  CHECK_FALSE(is_valid_utf8("\xE0\x80\xAF"));      // '/' in 3 bytes
  CHECK_FALSE(is_valid_utf8("\xE0\x9F\xBF"));      // U+07FF in 3 bytes
  CHECK_FALSE(is_valid_utf8("\xF0\x80\x80\xAF"));  // '/' in 4 bytes
  CHECK_FALSE(is_valid_utf8("\xF0\x8F\xBF\xBF"));  // U+FFFF in 4 bytes
}

TEST_CASE("is_valid_utf8 rejects surrogates", "[text]") {
  CHECK_FALSE(is_valid_utf8("\xED\xA0\x80"));              // U+D800
  CHECK_FALSE(is_valid_utf8("\xED\xBF\xBF"));              // U+DFFF
  CHECK_FALSE(is_valid_utf8("\xED\xA0\xBD\xED\xB8\x80"));  // a CESU-8 pair
}

TEST_CASE("is_valid_utf8 rejects truncated sequences", "[text]") {
  CHECK_FALSE(is_valid_utf8("\xC3"));
  CHECK_FALSE(is_valid_utf8("caf\xC3"));
  CHECK_FALSE(is_valid_utf8("\xE2\x82"));
  CHECK_FALSE(is_valid_utf8("\xF0\x9F\x8E"));
  CHECK_FALSE(is_valid_utf8("\xE2\x82" "a"));  // continuation replaced by ASCII
  CHECK_FALSE(is_valid_utf8("\xC3" "\xC3\xA9"));
}

TEST_CASE("is_valid_utf8 rejects stray and impossible bytes", "[text]") {
  CHECK_FALSE(is_valid_utf8("\x80"));               // lone continuation
  CHECK_FALSE(is_valid_utf8("a\xBF" "b"));
  CHECK_FALSE(is_valid_utf8("\xFE"));
  CHECK_FALSE(is_valid_utf8("\xFF"));
  CHECK_FALSE(is_valid_utf8("\xF8\x88\x80\x80\x80"));  // 5-byte form
  CHECK_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));      // U+110000, beyond Unicode
  CHECK_FALSE(is_valid_utf8("\xF5\x80\x80\x80"));
}
