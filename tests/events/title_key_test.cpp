// Title keys for matching (events/title_key.hpp), with the quirks of the real files:
// MovieLens "Title, The (Alternate) (a.k.a. Other) (1995)", vega and Rotten
// Tomatoes mojibake, subtitles, Roman numerals.

#include <catch2/catch.hpp>

#include <algorithm>

#include "events/mojibake.hpp"
#include "events/title_key.hpp"

using namespace moviec::events;

namespace {

bool has_key(const std::vector<TitleKey>& keys, const std::string& key, TitleKind kind) {
  return std::find(keys.begin(), keys.end(), TitleKey{key, kind}) != keys.end();
}

}  // namespace

TEST_CASE("a trailing article moves to the front", "[title_key]") {
  CHECK(move_trailing_article("Usual Suspects, The") == "The Usual Suspects");
  CHECK(move_trailing_article("Farewell to Arms, A") == "A Farewell to Arms");
  CHECK(move_trailing_article("Misérables, Les") == "Les Misérables");
  CHECK(move_trailing_article("Boot, Das") == "Das Boot");
  CHECK(move_trailing_article("Argent, L'") == "L'Argent");
  // A comma that is part of the title stays.
  CHECK(move_trailing_article("Paris, Texas") == "Paris, Texas");
  CHECK(move_trailing_article("Good, the Bad and the Ugly, The") == "The Good, the Bad and the Ugly");
}

TEST_CASE("MovieLens titles come apart into main title and alternates, year dropped", "[title_key]") {
  auto p = split_title("Léon: The Professional (a.k.a. The Professional) (Léon) (1994)");
  CHECK(p.main == "Léon: The Professional");
  CHECK(p.alternates == std::vector<std::string>{"The Professional", "Léon"});

  p = split_title("City of Lost Children, The (Cité des enfants perdus, La) (1995)");
  CHECK(p.main == "The City of Lost Children");
  CHECK(p.alternates == std::vector<std::string>{"La Cité des enfants perdus"});

  p = split_title("Usual Suspects, The (1995)");
  CHECK(p.main == "The Usual Suspects");
  CHECK(p.alternates.empty());

  p = split_title("Babylon 5: In the Beginning (1998-1999)");
  CHECK(p.main == "Babylon 5: In the Beginning");

  // A title that is all brackets is not taken apart.
  CHECK(split_title("(500) Days of Summer (2009)").main == "(500) Days of Summer");
}

TEST_CASE("a title key ignores case, accents, punctuation, spacing and a leading article", "[title_key]") {
  CHECK(title_key("The Usual Suspects") == "usualsuspects");
  CHECK(title_key("USUAL SUSPECTS") == "usualsuspects");
  CHECK(title_key("Amélie") == title_key("Amelie"));
  CHECK(title_key("Spider-Man") == title_key("Spiderman"));
  CHECK(title_key("Schindler's List") == title_key("Schindlers List"));
  CHECK(title_key("Beauty & the Beast") == title_key("Beauty and the Beast"));
  CHECK(title_key("Rocky II") == title_key("Rocky 2"));
  CHECK(title_key("The Naked Gun 2½: The Smell of Fear") == title_key("Naked Gun 2 1/2: The Smell of Fear"));
  // "Die" is not dropped: Die Hard is not "Hard".
  CHECK(title_key("Die Hard") == "diehard");
  // A one-word title keeps its only word.
  CHECK(title_key("The") == "the");
  CHECK(title_key("!!!") == "");
}

TEST_CASE("Usual Suspects, The and The Usual Suspects have the same primary key", "[title_key]") {
  auto movielens = title_keys("Usual Suspects, The (1995)", {}, true);
  auto imdb = title_keys("The Usual Suspects", {}, false);
  CHECK(has_key(movielens, "usualsuspects", TitleKind::primary));
  CHECK(has_key(imdb, "usualsuspects", TitleKind::primary));
}

TEST_CASE("a.k.a. and bracketed alternates and akas become alternate keys", "[title_key]") {
  auto keys = title_keys("Léon: The Professional (a.k.a. The Professional) (Léon) (1994)", {}, true);
  CHECK(has_key(keys, "leontheprofessional", TitleKind::primary));
  CHECK(has_key(keys, "professional", TitleKind::alternate));
  // "Léon" is both a bracketed alternate and the part before the subtitle: the
  // stronger kind wins.
  CHECK(has_key(keys, "leon", TitleKind::alternate));

  auto with_akas = title_keys("Nosferatu: A Symphony of Horror", {"Nosferatu, eine Symphonie des Grauens"}, false);
  CHECK(has_key(with_akas, "nosferatuasymphonyofhorror", TitleKind::primary));
  CHECK(has_key(with_akas, "nosferatueinesymphoniedesgrauens", TitleKind::alternate));
  CHECK(has_key(with_akas, "nosferatu", TitleKind::partial));
}

TEST_CASE("the parts before and after a subtitle are partial keys, unless too short", "[title_key]") {
  auto keys = title_keys("Star Wars: Episode IV - A New Hope", {}, false);
  CHECK(has_key(keys, "starwarsepisode4anewhope", TitleKind::primary));
  CHECK(has_key(keys, "starwars", TitleKind::partial));
  auto m = title_keys("M - Eine Stadt sucht einen Mörder", {}, false);
  CHECK_FALSE(has_key(m, "m", TitleKind::partial));
  // The last subtitle is a partial key too ("Return of the Jedi" finds Star Wars VI).
  CHECK(has_key(m, "einestadtsuchteinenmorder", TitleKind::partial));
  CHECK(has_key(title_keys("Star Wars: Episode VI - Return of the Jedi", {}, false), "returnofthejedi",
                TitleKind::partial));
}

TEST_CASE("the last subtitle follows the last separator of any kind", "[title_key]") {
  // ":", " - ", an en dash and an em dash between spaces; the last one wins.
  CHECK(has_key(title_keys("Alien Nation: Dark Horizon - Millennium", {}, false), "millennium", TitleKind::partial));
  CHECK(has_key(title_keys("Alien Nation - Dark Horizon: Millennium", {}, false), "millennium", TitleKind::partial));
  CHECK(has_key(title_keys("Alien Nation: Dark Horizon \xe2\x80\x93 Millennium", {}, false), "millennium",
                TitleKind::partial));
  CHECK(has_key(title_keys("Alien Nation \xe2\x80\x94 Dark Horizons", {}, false), "darkhorizons",
                TitleKind::partial));
  // A hyphen inside a word, or a dash without spaces, separates nothing.
  auto hyphen = title_keys("Spider-Man Returns Again", {}, false);
  CHECK(std::none_of(hyphen.begin(), hyphen.end(), [](auto& k) { return k.kind == TitleKind::partial; }));
  // A separator that starts the title leaves no subtitle, and no main title.
  auto leading = title_keys(": The Forgotten Millennium", {}, false);
  CHECK(std::none_of(leading.begin(), leading.end(), [](auto& k) { return k.kind == TitleKind::partial; }));
}

TEST_CASE("mojibake from Rotten Tomatoes and vega is repaired into extra keys", "[title_key][mojibake]") {
  // Rotten Tomatoes: UTF-8 read as Mac Roman.
  CHECK(repair_utf8_read_as_mac_roman("Gi\xe2\x88\x9a\xcf\x80 la testa") == std::string("Giù la testa"));
  CHECK(repair_utf8_read_as_mac_roman("L\xe2\x88\x9a\xc2\xa9on: The Professional") ==
        std::string("Léon: The Professional"));
  // vega: CP1252 read as Mac Roman.
  CHECK(repair_cp1252_read_as_mac_roman("Per qualche dollaro in pi\xcb\x98") ==
        std::string("Per qualche dollaro in più"));
  CHECK(repair_cp1252_read_as_mac_roman("The Naked Gun 2\xce\xa9: The Smell of Fear") ==
        std::string("The Naked Gun 2½: The Smell of Fear"));
  // Nothing to repair in plain ASCII; no repair where Mac Roman has no byte.
  CHECK_FALSE(repair_utf8_read_as_mac_roman("Toy Story"));
  CHECK_FALSE(repair_cp1252_read_as_mac_roman("Alien\xc2\xb3"));

  auto keys = title_keys("Gi\xe2\x88\x9a\xcf\x80 la testa", {}, true);
  CHECK(has_key(keys, title_key("Giù la testa"), TitleKind::primary));
  auto vega = title_keys("Le Fabuleux destin d'Am\xc3\x88lie Poulain", {}, true);
  CHECK(has_key(vega, title_key("Le Fabuleux destin d'Amélie Poulain"), TitleKind::primary));
}

TEST_CASE("number words and Roman numerals up to twenty are digits in keys and forms", "[title_key]") {
  CHECK(title_key("Daddy's Home Two") == title_key("Daddy's Home 2"));
  CHECK(title_key("Rocky XV") == title_key("Rocky 15"));
  // "one", "i", "v" and "x" stay words.
  CHECK(title_key("One Day") == "oneday");
  CHECK(title_key("Malcolm X") == "malcolmx");
  CHECK(title_form("Ocean's Twelve").words == std::vector<std::string>{"oceans", "12"});
}

TEST_CASE("a title form keeps its articles and knows where its main title ends", "[title_key]") {
  auto f = title_form("Star Wars: Episode VII - The Force Awakens");
  CHECK(f.words == std::vector<std::string>{"star", "wars", "episode", "7", "the", "force", "awakens"});
  CHECK(f.main_words == 2);
  CHECK(title_form("The Trip").words == std::vector<std::string>{"the", "trip"});
  CHECK(title_form("The Trip").main_words == 0);
  CHECK(is_article("the"));
  CHECK_FALSE(is_article("die"));
  // Every title of a film, primary first; a bracketed alternate and akas are alternates.
  auto forms = title_forms("City of Lost Children, The (Cité des enfants perdus, La) (1995)", {"Kairo"}, false);
  REQUIRE(forms.size() >= 3);
  CHECK(forms[0].kind == TitleKind::primary);
  CHECK(forms[0].words == std::vector<std::string>{"the", "city", "of", "lost", "children"});
  CHECK(std::any_of(forms.begin(), forms.end(), [](auto& f) {
    return f.kind == TitleKind::alternate && f.words == std::vector<std::string>{"kairo"};
  }));
}
