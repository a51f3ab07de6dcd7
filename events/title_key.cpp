#include "events/title_key.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <map>

#include "events/mojibake.hpp"
#include "events/text.hpp"

namespace moviec::events {

namespace {

// Articles MovieLens and others move behind a comma ("Boot, Das"), in the
// languages of the files moviec reads. Lower case; compared case-insensitively.
constexpr std::array<std::string_view, 34> kTrailingArticles{
    "the", "a",  "an", "la",  "le",  "les", "l'",  "il",   "lo",  "gli", "i",   "el",
    "los", "las", "un", "una", "une", "uno", "der", "die",  "das", "den", "det", "de",
    "het", "een", "o",  "os",  "as",  "um",  "uma", "ein",  "eine", "en"};

// Leading articles a key drops. A short list on purpose: words that are articles
// in any title ("Die Hard" keeps its "die").
constexpr std::array<std::string_view, 12> kDroppedArticles{
    "the", "a", "an", "la", "le", "les", "il", "el", "los", "las", "der", "das"};

// Roman numerals and number words written as digits ("Rocky II", "Daddy's Home
// Two"). "i", "v", "x" and "one" stay words: too often a word or a letter.
constexpr std::array<std::pair<std::string_view, std::string_view>, 47> kNumbers{
    {{"ii", "2"},     {"iii", "3"},    {"iv", "4"},       {"vi", "6"},       {"vii", "7"},
     {"viii", "8"},   {"ix", "9"},     {"xi", "11"},      {"xii", "12"},     {"xiii", "13"},
     {"xiv", "14"},   {"xv", "15"},    {"xvi", "16"},     {"xvii", "17"},    {"xviii", "18"},
     {"xix", "19"},   {"xx", "20"},    {"two", "2"},      {"three", "3"},    {"four", "4"},
     {"five", "5"},   {"six", "6"},    {"seven", "7"},    {"eight", "8"},    {"nine", "9"},
     {"ten", "10"},   {"eleven", "11"}, {"twelve", "12"},  {"thirteen", "13"}, {"fourteen", "14"},
     {"fifteen", "15"}, {"sixteen", "16"}, {"seventeen", "17"}, {"eighteen", "18"}, {"nineteen", "19"},
     {"twenty", "20"}, {"thirty", "30"}, {"forty", "40"}, {"fifty", "50"}, {"sixty", "60"},
     {"seventy", "70"}, {"eighty", "80"}, {"ninety", "90"},
     // Abbreviations written out either way ("Dr. Dolittle", "Doctor Dolittle").
     {"dr", "doctor"}, {"mr", "mister"}, {"st", "saint"}, {"vs", "versus"}}};

// Articles as scoring weighs them (weak words); a superset of kDroppedArticles.
constexpr std::array<std::string_view, 16> kArticles{
    "the", "a", "an", "la", "le", "les", "l", "il", "el", "los", "las", "der", "das", "un", "une", "una"};

// A partial key shorter than this says too little ("M" of "M - Eine Stadt ...").
constexpr std::size_t kMinPartialKey = 4;
constexpr std::size_t kMinSubtitleKey = 6;

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

/// "1995", "1995-1996", "1995–", "1995-": a year in brackets, not a title.
bool is_year_like(std::string_view s) {
  s = trim(s);
  if (s.size() < 4 || !std::all_of(s.begin(), s.begin() + 4, is_ascii_digit)) return false;
  s.remove_prefix(4);
  if (s.empty()) return true;
  if (s.front() == '-') s.remove_prefix(1);
  else if (s.substr(0, 3) == "\xe2\x80\x93") s.remove_prefix(3);  // en dash
  else return false;
  return s.empty() || (s.size() == 4 && std::all_of(s.begin(), s.end(), is_ascii_digit));
}

/// Position of the '(' matching the ')' that ends `s`; npos when unbalanced.
std::size_t opening_of_last_group(std::string_view s) {
  int depth = 0;
  for (std::size_t i = s.size(); i-- > 0;) {
    if (s[i] == ')') ++depth;
    else if (s[i] == '(' && --depth == 0) return i;
  }
  return std::string_view::npos;
}

std::string strip_aka(std::string_view s) {
  s = trim(s);
  auto lower = lower_ascii(s.substr(0, 7));
  if (lower.rfind("a.k.a. ", 0) == 0) s.remove_prefix(7);
  else if (lower.rfind("aka ", 0) == 0) s.remove_prefix(4);
  return std::string(trim(s));
}

/// The length of the subtitle separator that starts at `i` of `title`: ":", or a
/// hyphen, en or em dash between spaces (" - ", " – ", " — "); 0: none.
std::size_t separator_at(std::string_view title, std::size_t i) {
  if (title[i] == ':') return 1;
  if (title[i] != ' ') return 0;
  if (i + 2 < title.size() && title[i + 1] == '-' && title[i + 2] == ' ') return 3;
  if (i + 4 < title.size() && title.compare(i + 1, 2, "\xe2\x80") == 0 &&
      (title[i + 3] == '\x93' || title[i + 3] == '\x94') && title[i + 4] == ' ')
    return 5;
  return 0;
}

/// The main title before a subtitle separator; "" when there is none.
std::string_view before_subtitle(std::string_view title) {
  for (std::size_t i = 0; i < title.size(); ++i)
    if (separator_at(title, i) > 0) return i == 0 ? std::string_view() : trim(title.substr(0, i));
  return {};
}

/// The last part after a subtitle separator ("The Empire Strikes Back" of "Star
/// Wars: Episode V - The Empire Strikes Back"); "" when there is none. One backward
/// scan (rfind of each separator compared at every position: 1 % of a match decision).
std::string_view last_subtitle(std::string_view title) {
  for (std::size_t i = title.size(); i-- > 0;)
    if (auto len = separator_at(title, i); len > 0)
      return i == 0 ? std::string_view() : trim(title.substr(i + len));
  return {};
}

void add_key(std::map<std::string, TitleKind>& keys, std::string key, TitleKind kind) {
  if (key.empty()) return;
  auto [it, inserted] = keys.emplace(std::move(key), kind);
  if (!inserted && kind < it->second) it->second = kind;
}

void add_title(std::map<std::string, TitleKind>& keys, std::string_view title, TitleKind main_kind,
               bool with_partial) {
  auto parts = split_title(title);
  add_key(keys, title_key(parts.main), main_kind);
  add_key(keys, title_key(parts.unsplit), TitleKind::alternate);
  for (auto& alt : parts.alternates) add_key(keys, title_key(alt), TitleKind::alternate);
  if (with_partial) {
    auto partial = title_key(before_subtitle(parts.main));
    if (partial.size() >= kMinPartialKey) add_key(keys, std::move(partial), TitleKind::partial);
    // The last subtitle as well: "Return of the Jedi" finds "Star Wars: Episode VI -
    // Return of the Jedi"; "Ice Age: The Meltdown" finds "Ice Age 2: The Meltdown".
    auto sub = title_key(last_subtitle(parts.main));
    if (sub.size() >= kMinSubtitleKey) add_key(keys, std::move(sub), TitleKind::partial);
  }
}

}  // namespace

std::string_view kind_name(TitleKind kind) {
  switch (kind) {
    case TitleKind::primary: return "primary";
    case TitleKind::alternate: return "alternate";
    case TitleKind::partial: return "partial";
  }
  return "unknown";
}

std::string move_trailing_article(std::string_view title) {
  title = trim(title);
  auto comma = title.rfind(", ");
  if (comma == std::string_view::npos) return std::string(title);
  auto article = trim(title.substr(comma + 2));
  auto lower = lower_ascii(article);
  if (std::find(kTrailingArticles.begin(), kTrailingArticles.end(), lower) == kTrailingArticles.end())
    return std::string(title);
  std::string out(article);
  if (out.back() != '\'') out += ' ';  // "L'" joins the word: "Argent, L'" -> "L'Argent"
  out += trim(title.substr(0, comma));
  return out;
}

TitleParts split_title(std::string_view title) {
  TitleParts parts;
  std::string_view s = trim(title);
  std::vector<std::string> alternates;  // collected back to front
  std::string_view without_year = s;
  bool year_seen = false;
  while (!s.empty() && s.back() == ')') {
    auto open = opening_of_last_group(s);
    if (open == std::string_view::npos) break;
    auto rest = trim(s.substr(0, open));
    if (rest.empty()) break;  // the whole title is in brackets
    auto inner = s.substr(open + 1, s.size() - open - 2);
    if (is_year_like(inner) && !year_seen && alternates.empty()) {
      year_seen = true;
      without_year = rest;
    } else {
      auto alt = strip_aka(inner);
      if (!alt.empty()) alternates.push_back(move_trailing_article(alt));
    }
    s = rest;
  }
  parts.main = move_trailing_article(s);
  parts.alternates.assign(alternates.rbegin(), alternates.rend());
  // The unsplit title keeps its brackets: "Birdman or (The Unexpected Virtue of
  // Ignorance)" is one title, not a title and an alternate.
  parts.unsplit = move_trailing_article(without_year);
  return parts;
}

namespace {

/// The first letters of kNumbers' words: most words start with none of them.
constexpr std::array<bool, 256> kNumberFirstLetters = [] {
  std::array<bool, 256> letters{};
  for (auto& [word, number] : kNumbers) letters[static_cast<unsigned char>(word[0])] = true;
  return letters;
}();

std::string_view number_word(const std::string& word) {
  if (word.empty() || !kNumberFirstLetters[static_cast<unsigned char>(word[0])]) return word;
  auto n = std::find_if(kNumbers.begin(), kNumbers.end(), [&](auto& r) { return r.first == word; });
  return n == kNumbers.end() ? std::string_view(word) : n->second;
}

/// The text words are taken from: "&" as "and", vulgar fractions as digits,
/// apostrophes dropped ("Schindler's" is one word, as in keys).
std::string prepare(std::string_view title, bool drop_apostrophes) {
  std::string text;
  text.reserve(title.size() + 8);
  for (std::size_t i = 0; i < title.size(); ++i) {
    char c = title[i];
    if (c == '&') {
      text += " and ";
    } else if (c == '\xc2' && i + 1 < title.size() && (title[i + 1] == '\xbd' || title[i + 1] == '\xbc' ||
                                                       title[i + 1] == '\xbe')) {
      text += title[i + 1] == '\xbd' ? " 1/2" : title[i + 1] == '\xbc' ? " 1/4" : " 3/4";
      ++i;
    } else if (c == '\xe2' && i + 2 < title.size() && title[i + 1] == '\x85' &&
               (title[i + 2] == '\x93' || title[i + 2] == '\x94')) {
      text += title[i + 2] == '\x93' ? " 1/3" : " 2/3";  // "The Naked Gun 33⅓"
      i += 2;
    } else if (drop_apostrophes && c == '\'') {
    } else if (drop_apostrophes && c == '\xe2' && i + 2 < title.size() && title[i + 1] == '\x80' &&
               title[i + 2] == '\x99') {
      i += 2;  // U+2019, the typographic apostrophe
    } else {
      text.push_back(c);
    }
  }
  return text;
}

/// "3D" and "3-D" name a format, not the film ("Shark Night 3D"): left out.
void drop_3d(std::vector<std::string>& w) {
  if (std::none_of(w.begin(), w.end(), [](const std::string& x) { return x == "3d" || x == "3"; })) return;
  std::vector<std::string> out;
  for (std::size_t i = 0; i < w.size(); ++i) {
    if (w[i] == "3d") continue;
    if (w[i] == "3" && i + 1 < w.size() && w[i + 1] == "d") {
      ++i;
      continue;
    }
    out.push_back(std::move(w[i]));
  }
  if (!out.empty()) w = std::move(out);
}

std::vector<std::string> form_words(std::string_view title) {
  auto w = words(prepare(title, true));
  drop_3d(w);
  if (w.size() < 2) return w;  // "Nine" is not "9": a number word alone is the title
  for (auto& word : w) {
    auto n = number_word(word);
    if (n.data() != word.data()) word = std::string(n);
  }
  return w;
}

}  // namespace

bool is_article(std::string_view word) {
  return std::find(kArticles.begin(), kArticles.end(), word) != kArticles.end();
}

TitleForm title_form(std::string_view title) {
  TitleForm f;
  auto main = before_subtitle(title);
  f.words = form_words(title);
  if (!main.empty()) {
    auto n = form_words(main).size();
    if (n > 0 && n < f.words.size()) f.main_words = n;
  }
  auto last = last_subtitle(title);
  if (f.main_words > 0 && !last.empty()) {
    auto n = form_words(last).size();
    if (n > 0 && n < f.words.size()) f.last_subtitle_words = n;
  }
  return f;
}

std::vector<TitleForm> title_forms(std::string_view title, const std::vector<std::string>& other_names,
                                   bool repair_mojibake) {
  std::vector<TitleForm> out;
  auto add = [&](std::string_view text, TitleKind kind) {
    auto f = title_form(text);
    if (f.words.empty()) return;
    f.kind = kind;
    for (auto& o : out)
      if (o.words == f.words && o.main_words == f.main_words) return;  // primary came first
    out.push_back(std::move(f));
  };
  auto add_title = [&](std::string_view text, TitleKind kind) {
    auto parts = split_title(text);
    add(parts.main, kind);
    add(parts.unsplit, TitleKind::alternate);
    for (auto& alt : parts.alternates) add(alt, TitleKind::alternate);
  };
  auto with_repairs = [&](std::string_view text, TitleKind kind) {
    add_title(text, kind);
    if (!repair_mojibake) return;
    if (auto fixed = repair_utf8_read_as_mac_roman(text)) add_title(*fixed, kind);
    if (auto fixed = repair_cp1252_read_as_mac_roman(text)) add_title(*fixed, kind);
  };
  with_repairs(title, TitleKind::primary);
  for (auto& name : other_names) with_repairs(name, TitleKind::alternate);
  std::stable_sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.kind < b.kind; });
  return out;
}

std::string title_key(std::string_view title) {
  // Vulgar fractions as digits: "2½" and "2 1/2" agree ("The Naked Gun 2½").
  auto text = prepare(title, false);
  auto w = words(text);
  drop_3d(w);
  if (w.size() > 1 &&
      std::find(kDroppedArticles.begin(), kDroppedArticles.end(), w.front()) != kDroppedArticles.end())
    w.erase(w.begin());
  std::string key;
  for (auto& word : w) key += w.size() < 2 ? std::string_view(word) : number_word(word);
  return key;
}

std::vector<TitleKey> title_keys(std::string_view title, const std::vector<std::string>& other_names,
                                 bool repair_mojibake) {
  std::map<std::string, TitleKind> keys;
  auto add_with_repairs = [&](std::string_view text, TitleKind kind, bool with_partial) {
    add_title(keys, text, kind, with_partial);
    if (!repair_mojibake) return;
    if (auto fixed = repair_utf8_read_as_mac_roman(text)) add_title(keys, *fixed, kind, with_partial);
    if (auto fixed = repair_cp1252_read_as_mac_roman(text)) add_title(keys, *fixed, kind, with_partial);
  };
  add_with_repairs(title, TitleKind::primary, true);
  for (auto& name : other_names) add_with_repairs(name, TitleKind::alternate, false);
  std::vector<TitleKey> out;
  for (auto& [key, kind] : keys) out.push_back({key, kind});
  std::stable_sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.kind < b.kind; });
  return out;
}

}  // namespace moviec::events
