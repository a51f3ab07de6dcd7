// Titles: cleaning, Unicode NFC, article order and taking a title apart
// (sources/normalize.hpp). Mojibake repair is in sources/mojibake.cpp.

#include <utf8proc.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>
#include <memory>

#include "sources/normalize.hpp"
#include "events/text.hpp"

namespace moviec::sources {

namespace {

using events::iequals_ascii;
using events::is_ascii_digit;

// Articles MovieLens moves to the end of a title ("Postman, The (Postino, Il)").
constexpr std::array<std::string_view, 31> kArticles{
    "The", "A",   "An",  "Le",  "La",  "Les", "L'",  "Un",  "Une", "Il",  "Lo",
    "I",   "Gli", "Una", "Uno", "El",  "Los", "Las", "Der", "Die", "Das", "Ein",
    "Eine", "De", "Het", "Een", "Den", "Det", "En",  "Ett", "L’"};

// The index of the '(' that opens the ')' at the end of s; npos when unbalanced.
std::size_t opening_paren(std::string_view s) {
  int depth = 0;
  for (std::size_t i = s.size(); i-- > 0;) {
    if (s[i] == ')') ++depth;
    else if (s[i] == '(' && --depth == 0) return i;
  }
  return std::string_view::npos;
}

// "1995", "2006–2007", "2006-2007", "2006-": the year and the end year, if any.
bool parse_year_group(std::string_view inner, std::optional<int>& year, std::optional<int>& end_year) {
  inner = trim(inner);
  if (inner.size() < 4 || !std::all_of(inner.begin(), inner.begin() + 4, is_ascii_digit)) return false;
  int first = std::stoi(std::string(inner.substr(0, 4)));
  auto rest = inner.substr(4);
  std::optional<int> last;
  if (!rest.empty()) {
    if (rest.substr(0, 1) == "-") rest.remove_prefix(1);
    else if (rest.substr(0, 3) == "\u2013" || rest.substr(0, 3) == "\u2014") rest.remove_prefix(3);
    else return false;
    rest = trim(rest);
    if (!rest.empty()) {
      if (rest.size() != 4 || !std::all_of(rest.begin(), rest.end(), is_ascii_digit)) return false;
      last = std::stoi(std::string(rest));
    }
  }
  year = first;
  end_year = last;
  return true;
}

}  // namespace

// True when NFC leaves `utf8` as it is because every code point is below U+0300:
// composition needs a combining mark, and the first ones are at U+0300.
static bool below_combining_marks(std::string_view utf8) {
  for (std::size_t i = 0; i < utf8.size();) {
    long cp = events::next_code_point(utf8, i);
    if (cp < 0 || cp >= 0x300) return false;
  }
  return true;
}

std::string nfc(std::string_view utf8) {
  if (below_combining_marks(utf8) || !utf8_problem(utf8).empty()) return std::string(utf8);
  std::string input(utf8);  // utf8proc wants a NUL-terminated string
  std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> out(
      utf8proc_NFC(reinterpret_cast<const utf8proc_uint8_t*>(input.c_str())), &std::free);
  if (!out) return input;
  return std::string(reinterpret_cast<const char*>(out.get()));
}

std::string clean_title(std::string_view value) {
  if (is_null(value)) return {};
  value = trim(value);
  std::string out;
  out.reserve(value.size());
  bool space = false;
  for (char c : value) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v') {
      space = true;
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return nfc(out);
}

NormalizedTitle normalize_title(std::string_view value) {
  NormalizedTitle out;
  out.text = clean_title(value);
  if (auto repaired = repair_mojibake(out.text)) {
    out.repaired_from = std::move(out.text);
    out.text = clean_title(*repaired);
  }
  return out;
}

std::string move_trailing_article(std::string_view title) {
  title = trim(title);
  auto comma = title.rfind(", ");
  if (comma == std::string_view::npos || comma == 0) return std::string(title);
  auto article = trim(title.substr(comma + 2));
  auto it = std::find_if(kArticles.begin(), kArticles.end(),
                         [&](std::string_view a) { return iequals_ascii(a, article); });
  if (it == kArticles.end()) return std::string(title);
  std::string out(article);
  // "L'" joins the next word: "École de la chair, L'" -> "L'École de la chair".
  bool joins = out.back() == '\'' || (out.size() >= 3 && out.substr(out.size() - 3) == "\u2019");
  if (!joins) out += ' ';
  out += trim(title.substr(0, comma));
  return out;
}

TitleParts split_title(std::string_view title, bool year_suffix) {
  TitleParts parts;
  std::string_view s = trim(title);
  if (year_suffix && !s.empty() && s.back() == ')') {
    auto open = opening_paren(s);
    if (open != std::string_view::npos && open > 0 &&
        parse_year_group(s.substr(open + 1, s.size() - open - 2), parts.year, parts.end_year))
      s = trim(s.substr(0, open));
  }
  std::vector<std::string> alternates;  // collected back to front
  while (!s.empty() && s.back() == ')') {
    auto open = opening_paren(s);
    if (open == std::string_view::npos) break;
    auto rest = trim(s.substr(0, open));
    auto inner = trim(s.substr(open + 1, s.size() - open - 2));
    if (rest.empty()) break;  // "(500)" alone is the title
    if (inner.size() >= 4 && std::all_of(inner.begin(), inner.begin() + 4, is_ascii_digit)) break;
    if (inner.size() >= 6 && iequals_ascii(inner.substr(0, 6), "a.k.a.")) inner = trim(inner.substr(6));
    if (!inner.empty()) alternates.emplace_back(inner);
    s = rest;
  }
  parts.title = std::string(s);
  parts.alternates.assign(alternates.rbegin(), alternates.rend());
  return parts;
}

}  // namespace moviec::sources
