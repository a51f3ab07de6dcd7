#include "sources/normalize.hpp"

#include <fstream>
#include <map>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "sources/csv_reader.hpp"
#include "support/temp_dir.hpp"

using namespace moviec::sources;

TEST_CASE("null markers are backslash N, N/A and empty", "[sources][normalize]") {
  CHECK(is_null("\\N"));
  CHECK(is_null("N/A"));
  CHECK(is_null(""));
  CHECK(is_null("  "));
  CHECK_FALSE(is_null("0"));
  CHECK_FALSE(is_null("N"));
  CHECK_FALSE(is_null("n/a movie"));
}

TEST_CASE("titles are trimmed and null markers become empty", "[sources][normalize]") {
  CHECK(clean_title("  Carmencita \t") == "Carmencita");
  CHECK(clean_title("\\N").empty());
  CHECK(clean_title("Le clown et ses chiens") == "Le clown et ses chiens");
  CHECK(trim(" a b ") == "a b");
}

TEST_CASE("whole numbers parse strictly", "[sources][normalize]") {
  CHECK(*parse_int("1894") == 1894);
  CHECK(*parse_int("-3") == -3);
  CHECK(*parse_int("007") == 7);
  CHECK(parse_int("").status().message() == "empty");
  for (auto bad : {"12a", " 12", "12 ", "+1", "1.5", "1e3", "abc", "\\N", "-"})
    CHECK(parse_int(bad).status().message() == "not a whole number");
  CHECK(parse_int("99999999999999999999").status().message() == "out of range");
  CHECK(parse_int("x").status().code() == moviec::Status::Code::invalid_argument);
}

TEST_CASE("decimal numbers parse strictly", "[sources][normalize]") {
  CHECK(*parse_float("5.7") == Approx(5.7));
  CHECK(*parse_float("10") == 10.0);
  CHECK(*parse_float("-0.5") == -0.5);
  CHECK(*parse_float("1e1") == 10.0);
  CHECK(parse_float("").status().message() == "empty");
  for (auto bad : {"5,7", " 5.7", "5.7 ", "+5", "abc", "5.7.1", "\\N", ".", "-"})
    CHECK(parse_float(bad).status().message() == "not a number");
  for (auto bad : {"nan", "inf", "infinity"})
    CHECK(parse_float(bad).status().message() == "not a number");
  CHECK(parse_float("1e999").status().message() == "not a finite number");
}

TEST_CASE("ratings normalize to 0-100 rounded to 2 decimals", "[sources][normalize]") {
  CHECK(normalize_rating(5.7, 10) == 57.0);
  CHECK(normalize_rating(3.5, 5) == 70.0);
  CHECK(normalize_rating(2, 3) == 66.67);
  CHECK(normalize_rating(7.25, 10) == 72.5);
  CHECK(normalize_rating(1, 0) == 0.0);
  auto r = make_rating("imdb", 5.7, 1, 10, 2150);
  CHECK(r.name == "imdb");
  CHECK(r.value == 5.7);
  CHECK(r.scale_min == 1);
  CHECK(r.scale_max == 10);
  CHECK(r.votes == 2150);
  CHECK(r.normalized == 57.0);
}

TEST_CASE("lists split, trim and drop empty items", "[sources][normalize]") {
  CHECK(split_list("Documentary,Short", ',') == std::vector<std::string>{"Documentary", "Short"});
  CHECK(split_list(" Drama , ,War,", ',') == std::vector<std::string>{"Drama", "War"});
  CHECK(split_list("\\N", ',').empty());
  CHECK(split_list("", ',').empty());
  CHECK(split_list("Comedy", ',') == std::vector<std::string>{"Comedy"});
}

// --- null markers --------------------------------------------------------------

TEST_CASE("zero means missing only where the source says so", "[sources][normalize]") {
  CHECK(is_missing("\\N", false));
  CHECK(is_missing("N/A", false));
  CHECK(is_missing(" ", false));
  CHECK_FALSE(is_missing("0", false));
  CHECK(is_missing("0", true));
  CHECK(is_missing("0.0", true));
  CHECK(is_missing("00", true));
  CHECK_FALSE(is_missing("0.5", true));
  CHECK_FALSE(is_missing("10", true));
  CHECK_FALSE(is_missing("zero", true));
}

// --- encodings -------------------------------------------------------------------

TEST_CASE("invalid UTF-8 and NUL bytes are named with their byte offset", "[sources][normalize]") {
  CHECK(utf8_problem("Am\xC3\xA9lie").empty());
  CHECK(utf8_problem("").empty());
  CHECK(utf8_problem("Am\xE9lie") == "invalid UTF-8 at byte 2");       // Latin-1 é
  CHECK(utf8_problem("ab\xC0\xAF") == "invalid UTF-8 at byte 2");      // overlong '/'
  CHECK(utf8_problem("x\xED\xA0\x80") == "invalid UTF-8 at byte 1");   // surrogate
  CHECK(utf8_problem("abc\xC3") == "invalid UTF-8 at byte 3");         // truncated
  CHECK(utf8_problem(std::string("ab\0c", 4)) == "NUL byte at byte 2");
}

// --- ratings ---------------------------------------------------------------------

TEST_CASE("ratings keep value, scale and votes and are checked against their scale",
          "[sources][normalize]") {
  auto tomatometer = parse_rating("tomatometer", "83", 0, 100, "29");
  REQUIRE(tomatometer.is_ok());
  CHECK(*tomatometer == moviec::events::Rating{"tomatometer", 83, 0, 100, 29, 83});
  auto movielens = parse_rating("movielens", "3.92", 0.5, 5, "215");
  REQUIRE(movielens.is_ok());
  CHECK(movielens->normalized == 78.4);
  CHECK(movielens->scale_min == 0.5);
  CHECK(parse_rating("imdb", "5.7", 1, 10)->votes == 0);
  CHECK(parse_rating("tomatometer", "150", 0, 100).status().message() == "150: out of range 0..100");
  CHECK(parse_rating("imdb", "0.5", 1, 10).status().message() == "0.5: out of range 1..10");
  CHECK(parse_rating("x", "abc", 0, 100).status().message() == "\"abc\": not a number");
  CHECK(parse_rating("x", "50", 0, 100, "-3").status().message() == "votes -3: must not be negative");
  CHECK(parse_rating("x", "50", 0, 100, "many").status().message() ==
        "votes \"many\": not a whole number");
}

// --- dates -----------------------------------------------------------------------

TEST_CASE("dates parse in ISO, month-name and year-only forms", "[sources][normalize]") {
  CHECK(parse_date("1998-06-12")->iso() == "1998-06-12");
  CHECK(parse_date("Jun 12 1998")->iso() == "1998-06-12");   // vega
  CHECK(parse_date("12 June 1998")->iso() == "1998-06-12");
  CHECK(parse_date("June 12, 1998")->iso() == "1998-06-12");
  CHECK(parse_date("Sept. 3 1999")->iso() == "1999-09-03");
  CHECK(parse_date("1998")->iso() == "1998");
  CHECK(*parse_date("1998") == Date{1998, 0, 0});
  CHECK(parse_date("1998-06")->iso() == "1998-06");
  CHECK(parse_date("  2003-10-07 ")->iso() == "2003-10-07");
  CHECK(parse_date("2000-02-29")->iso() == "2000-02-29");  // a leap year
}

TEST_CASE("impossible dates are rejected with the reason", "[sources][normalize]") {
  CHECK(parse_date("1999-02-29").status().message() == "\"1999-02-29\": February 1999 has 28 days, not 29");
  CHECK(parse_date("1900-02-29").status().message() == "\"1900-02-29\": February 1900 has 28 days, not 29");
  CHECK(parse_date("1998-13-01").status().message() == "\"1998-13-01\": month 13 is not 1-12");
  CHECK(parse_date("1998-00-10").status().message() == "\"1998-00-10\": month 0 is not 1-12");
  CHECK(parse_date("Jun 31 1998").status().message() == "\"Jun 31 1998\": June 1998 has 30 days, not 31");
  CHECK(parse_date("1998-06-00").status().message() == "\"1998-06-00\": day 0 is not a day of the month");
  CHECK(parse_date("1700-01-01").status().message() == "\"1700-01-01\": year 1700 is before 1800");
  CHECK_THAT(parse_date("12/06/1998").status().message(),
             Catch::StartsWith("\"12/06/1998\": not a date (expected one of %Y-%m-%d, %Y-%m, %Y"));
  CHECK_FALSE(parse_date("Juno 12 1998").is_ok());
  CHECK_FALSE(parse_date("19980612").is_ok());
  CHECK_FALSE(parse_date("").is_ok());
}

TEST_CASE("date formats come from a list and are checked", "[sources][normalize]") {
  std::vector<std::string> formats{"%d.%m.%Y", "%m/%d/%Y"};
  CHECK(parse_date("12.06.1998", formats)->iso() == "1998-06-12");
  CHECK(parse_date("06/12/1998", formats)->iso() == "1998-06-12");
  CHECK_FALSE(parse_date("1998-06-12", formats).is_ok());
  CHECK(parse_date("100%1998", {"100%%%Y"})->iso() == "1998");
  CHECK(check_date_format("%Y-%m-%d").is_ok());
  CHECK(check_date_format("%b %d %Y").is_ok());
  CHECK(check_date_format("%d/%m").message() == "date format \"%d/%m\" has no %Y");
  CHECK(check_date_format("%Y %d").message() == "date format \"%Y %d\" has a day but no month");
  CHECK(check_date_format("%Y-%q").message() ==
        "date format \"%Y-%q\": unknown conversion %q (expected %Y, %m, %d, %b, %B or %%)");
  CHECK(check_date_format("%Y %Y").message() == "date format \"%Y %Y\": %Y given twice");
  CHECK(check_date_format("%Y%").message() == "date format \"%Y%\" ends in a lone %");
  for (auto& f : default_date_formats()) CHECK(check_date_format(f).is_ok());
}

TEST_CASE("dates in the future and release years after registration are rejected",
          "[sources][normalize]") {
  Date today{2025, 11, 25};
  CHECK(check_not_future(Date{2025, 11, 25}, today).is_ok());
  CHECK(check_not_future(Date{2025, 0, 0}, today).is_ok());
  CHECK(check_not_future(Date{2025, 11, 0}, today).is_ok());
  CHECK(check_not_future(Date{1939, 12, 15}, today).is_ok());
  // vega's Gone with the Wind: "Dec 15 2039".
  CHECK(check_not_future(*parse_date("Dec 15 2039"), today).message() ==
        "2039-12-15 is in the future (today is 2025-11-25)");
  CHECK_FALSE(check_not_future(Date{2025, 11, 26}, today).is_ok());
  CHECK_FALSE(check_not_future(Date{2025, 12, 0}, today).is_ok());
  CHECK_FALSE(check_not_future(Date{2026, 0, 0}, today).is_ok());
  auto now = today_utc();
  CHECK(now.year >= 2024);
  CHECK(check_not_future(now, now).is_ok());

  CHECK(check_release_year(1999, Date{1999, 5, 1}).is_ok());
  CHECK(check_release_year(1998, Date{1999, 5, 1}).is_ok());
  CHECK(check_release_year(2001, Date{1999, 5, 1}).message() ==
        "year 2001 is after the registration date 1999-05-01");
  CHECK(check_release_year(2001, Date{}).is_ok());  // no registration date: nothing to compare
}

// --- titles ----------------------------------------------------------------------

TEST_CASE("titles are composed to Unicode NFC and whitespace runs become one space",
          "[sources][normalize]") {
  CHECK(nfc("Ame\xCC\x81lie") == "Am\xC3\xA9lie");  // e + combining acute -> é
  CHECK(nfc("Am\xC3\xA9lie") == "Am\xC3\xA9lie");
  CHECK(nfc("plain") == "plain");
  CHECK(nfc("bad\xFF") == "bad\xFF");  // invalid UTF-8 is left to the reader's check
  CHECK(clean_title("  Justice League: Doom  ") == "Justice League: Doom");
  CHECK(clean_title("Les Visiteurs\t (The  Visitors )") == "Les Visiteurs (The Visitors )");
  CHECK(clean_title("Ame\xCC\x81lie ") == "Am\xC3\xA9lie");
  CHECK(clean_title("N/A").empty());
}

TEST_CASE("a trailing article moves to the front in the languages MovieLens uses",
          "[sources][normalize]") {
  CHECK(move_trailing_article("Usual Suspects, The") == "The Usual Suspects");
  CHECK(move_trailing_article("Walk in the Clouds, A") == "A Walk in the Clouds");
  CHECK(move_trailing_article("Awfully Big Adventure, An") == "An Awfully Big Adventure");
  CHECK(move_trailing_article("Cité des enfants perdus, La") == "La Cité des enfants perdus");
  CHECK(move_trailing_article("Misérables, Les") == "Les Misérables");
  CHECK(move_trailing_article("École de la chair, L'") == "L'École de la chair");
  CHECK(move_trailing_article("Postino, Il") == "Il Postino");
  CHECK(move_trailing_article("Bambini ci guardano, I") == "I Bambini ci guardano");
  CHECK(move_trailing_article("Día de la Bestia, El") == "El Día de la Bestia");
  CHECK(move_trailing_article("Himmel über Berlin, Der") == "Der Himmel über Berlin");
  CHECK(move_trailing_article("Blechtrommel, Die") == "Die Blechtrommel");
  CHECK(move_trailing_article("Boot, Das") == "Das Boot");
  CHECK(move_trailing_article("Sjunde inseglet, Det") == "Det Sjunde inseglet");
  CHECK(move_trailing_article("Adventures of Priscilla, Queen of the Desert, The") ==
        "The Adventures of Priscilla, Queen of the Desert");
  // Not an article: unchanged.
  CHECK(move_trailing_article("Hello, Dolly!") == "Hello, Dolly!");
  CHECK(move_trailing_article("Honey, I Shrunk the Kids") == "Honey, I Shrunk the Kids");
  CHECK(move_trailing_article("Crouching Tiger, Hidden Dragon") == "Crouching Tiger, Hidden Dragon");
  CHECK(move_trailing_article("The Matrix") == "The Matrix");
  CHECK(move_trailing_article(", The") == ", The");
}

TEST_CASE("a title splits into year, main title and bracketed alternates", "[sources][normalize]") {
  auto leon = split_title("Léon: The Professional (a.k.a. The Professional) (Léon) (1994)", true);
  CHECK(leon.title == "Léon: The Professional");
  CHECK(leon.alternates == std::vector<std::string>{"The Professional", "Léon"});
  CHECK(leon.year == 1994);
  CHECK_FALSE(leon.end_year);

  auto toy = split_title("Toy Story (1995)", true);
  CHECK(toy.title == "Toy Story");
  CHECK(toy.alternates.empty());
  CHECK(toy.year == 1995);

  auto death_note = split_title("Death Note: Desu nôto (2006–2007)", true);
  CHECK(death_note.title == "Death Note: Desu nôto");
  CHECK(death_note.year == 2006);
  CHECK(death_note.end_year == 2007);

  auto no_year = split_title("Babylon 5", true);
  CHECK(no_year.title == "Babylon 5");
  CHECK_FALSE(no_year.year);

  auto city = split_title("City of Lost Children, The (Cité des enfants perdus, La) (1995)", true);
  CHECK(city.title == "City of Lost Children, The");
  CHECK(city.alternates == std::vector<std::string>{"Cité des enfants perdus, La"});

  auto rec = split_title("[REC]² (2009)", true);
  CHECK(rec.title == "[REC]²");

  auto eight = split_title("8 1/2 (8½) (1963)", true);
  CHECK(eight.title == "8 1/2");
  CHECK(eight.alternates == std::vector<std::string>{"8½"});

  // Without a year suffix (Rotten Tomatoes): a group that starts with a year stays.
  auto ghostbusters = split_title("Ghostbusters (1984 Original)", false);
  CHECK(ghostbusters.title == "Ghostbusters (1984 Original)");
  CHECK(ghostbusters.alternates.empty());
  CHECK_FALSE(ghostbusters.year);
  auto visitors = split_title("Les Visiteurs (The Visitors )", false);
  CHECK(visitors.title == "Les Visiteurs");
  CHECK(visitors.alternates == std::vector<std::string>{"The Visitors"});
  CHECK(split_title("(500)", true).title == "(500)");
  CHECK(split_title("Unbalanced (x", true).title == "Unbalanced (x");
}

TEST_CASE("mojibake is repaired when only one reading fits", "[sources][normalize]") {
  // UTF-8 read as Mac Roman (Rotten Tomatoes export).
  CHECK(repair_mojibake("Gi√π la testa") == "Giù la testa");
  CHECK(repair_mojibake("√Åtame! (Tie Me Up! Tie Me Down!)") == "Átame! (Tie Me Up! Tie Me Down!)");
  CHECK(repair_mojibake("La Double Vie de V√©ronique") == "La Double Vie de Véronique");
  CHECK(repair_mojibake("D√©j√† Vu") == "Déjà Vu");
  // UTF-8 read as CP1252.
  CHECK(repair_mojibake("CafÃ© Society") == "Café Society");
  CHECK(repair_mojibake("PokÃ©mon") == "Pokémon");
  // CP1252 read as Mac Roman (vega movies.json).
  CHECK(repair_mojibake("AstÈrix aux Jeux Olympiques") == "Astérix aux Jeux Olympiques");
  CHECK(repair_mojibake("LÈon") == "Léon");
  CHECK(repair_mojibake("CachÈ") == "Caché");
  CHECK(repair_mojibake("De battre mon coeur s'est arrÍtÈ") == "De battre mon coeur s'est arrêté");
  CHECK(repair_mojibake("Per qualche dollaro in pi˘") == "Per qualche dollaro in più");
  CHECK(repair_mojibake("The Naked Gun 2Ω: The Smell of Fear") == "The Naked Gun 2½: The Smell of Fear");
  CHECK(repair_mojibake("Die F‰lscher") == "Die Fälscher");
  CHECK(repair_mojibake("Obsluhoval jsem anglickÈho kr·le") == "Obsluhoval jsem anglického krále");
  // Legitimate text is left alone.
  for (auto ok : {"Amélie", "Déjà Vu", "ÉCOLE", "Ötzi", "Alien³", "Ri¢hie Ri¢h", "[REC]²",
                  "M. Hulot’s Holiday", "¡Three Amigos!", "8 ½ Women", "Brand™", "Ковальська сцена",
                  "Tie Me Up! Tie Me Down! (¡Átame!)", "“École”", "plain ascii", "São Paulo"})
    CHECK_FALSE(repair_mojibake(ok));
  // Ambiguous: a lone capital between spaces could be either.
  CHECK_FALSE(repair_mojibake("I Love You Ö Don't Touch Me!"));
  CHECK_FALSE(repair_mojibake("bad\xFF"));
}

TEST_CASE("normalize_title cleans, repairs and says what it repaired", "[sources][normalize]") {
  auto t = normalize_title("  Gi√π la testa ");
  CHECK(t.text == "Giù la testa");
  CHECK(t.repaired_from == "Gi√π la testa");
  auto plain = normalize_title(" Toy Story ");
  CHECK(plain.text == "Toy Story");
  CHECK(plain.repaired_from.empty());
  CHECK(normalize_title("\\N").text.empty());
}

// --- the real files ----------------------------------------------------------------

namespace {

// Column `column` of every record of a CSV file, header skipped.
std::vector<std::string> csv_column(const std::string& path, std::size_t column) {
  std::vector<std::string> out;
  auto reader = CsvReader::open(path);
  REQUIRE(reader.is_ok());
  CsvRecord rec;
  bool header = true;
  while (reader->next(rec)) {
    if (header) {
      header = false;
      continue;
    }
    if (rec.fields.size() > column) out.emplace_back(rec.fields[column]);
  }
  return out;
}

}  // namespace

TEST_CASE("real titles: RT and vega mojibake repaired, MovieLens and IMDb titles untouched",
          "[sources][normalize][shared]") {
  if (!moviec::test::have_shared_data()) {
    WARN("shared data not found; skipping");
    return;
  }
  auto data = moviec::test::shared_data();

  // Every Rotten Tomatoes title with "√" is UTF-8 read as Mac Roman; all repair.
  auto rt = csv_column((data / "rotten-tomatoes-kaggle-subset" / "rotten_tomatoes_movies.csv").string(), 0);
  REQUIRE(rt.size() == 5511);
  std::size_t mojibake = 0, repaired = 0;
  for (auto& title : rt) {
    bool has = title.find("√") != std::string::npos;
    auto fixed = repair_mojibake(title);
    mojibake += has;
    repaired += fixed.has_value();
    if (has) {
      INFO(title);
      CHECK(fixed.has_value());
    }
    if (fixed) {
      INFO(title << " -> " << *fixed);
      CHECK(has);
    }
  }
  CHECK(mojibake == 30);
  CHECK(repaired == 30);

  // vega movies.json: CP1252 read as Mac Roman; titles with a sure sign are repaired.
  std::ifstream in(data / "vega-datasets-movies" / "movies.json");
  auto movies = nlohmann::json::parse(in);
  std::map<std::string, std::string> fixed;
  for (auto& m : movies) {
    if (!m["Title"].is_string()) continue;
    auto title = m["Title"].get<std::string>();
    if (auto r = repair_mojibake(title)) fixed[title] = *r;
  }
  CHECK(fixed == std::map<std::string, std::string>{
                     {"AimÈe & Jaguar", "Aimée & Jaguar"},
                     {"AstÈrix aux Jeux Olympiques", "Astérix aux Jeux Olympiques"},
                     {"CachÈ", "Caché"},
                     {"De battre mon coeur s'est arrÍtÈ", "De battre mon coeur s'est arrêté"},
                     {"Die F‰lscher", "Die Fälscher"},
                     {"DÈj‡ Vu", "Déjà Vu"},
                     {"IndigËnes", "Indigènes"},
                     {"Joyeux NoÎl", "Joyeux Noël"},
                     {"La MÙme", "La Môme"},
                     {"La mala educaciÛn", "La mala educación"},
                     {"Le Fabuleux destin d'AmÈlie Poulain", "Le Fabuleux destin d'Amélie Poulain"},
                     {"Les BronzÈs 3: amis pour la vie", "Les Bronzés 3: amis pour la vie"},
                     {"LÈon", "Léon"},
                     {"MoliËre", "Molière"},
                     {"Obsluhoval jsem anglickÈho kr·le", "Obsluhoval jsem anglického krále"},
                     {"Per qualche dollaro in pi˘", "Per qualche dollaro in più"},
                     {"The Naked Gun 2Ω: The Smell of Fear", "The Naked Gun 2½: The Smell of Fear"},
                 });

  // MovieLens titles are clean UTF-8: none is "repaired".
  auto ml = csv_column((data / "movielens-ml-latest-small" / "movies.csv").string(), 1);
  REQUIRE(ml.size() == 9742);
  for (auto& title : ml) {
    auto r = repair_mojibake(title);
    INFO(title << " -> " << r.value_or(""));
    CHECK_FALSE(r.has_value());
  }

  // Nor are IMDb titles and akas.
  for (auto file : {"imdb-tsv-samples/katzi23-truncated/title.basics.tsv",
                    "imdb-tsv-samples/artemchapaev-tiny/title.akas.tsv"}) {
    std::ifstream tsv(data / file);
    std::string line;
    std::size_t checked = 0;
    while (std::getline(tsv, line)) {
      auto a = line.find('\t');
      auto b = line.find('\t', a + 1);
      auto c = line.find('\t', b + 1);
      if (c == std::string::npos) continue;
      std::string title = line.substr(b + 1, c - b - 1);  // third column: primaryTitle, title
      ++checked;
      auto r = repair_mojibake(title);
      INFO(title << " -> " << r.value_or(""));
      CHECK_FALSE(r.has_value());
    }
    CHECK(checked > 100);
  }
}
