#include "events/match_score.hpp"

#include <algorithm>
#include <iterator>
#include <cmath>
#include <cstdlib>

#include <fmt/compile.h>
#include <fmt/format.h>

#include "events/text.hpp"

namespace moviec::events {

using nlohmann::json;

namespace {

// Words that say nothing about a genre by themselves ("Action & Adventure").
bool is_filler(const std::string& w) { return w == "and" || w == "film" || w == "movie"; }

bool is_number(const std::string& w) {
  return !w.empty() && std::all_of(w.begin(), w.end(), is_ascii_digit);
}

std::vector<std::string> strong_words(const std::vector<std::string>& words, std::size_t end) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < end && i < words.size(); ++i)
    if (!is_article(words[i])) out.push_back(words[i]);
  return out;
}

std::vector<std::string> articles(const std::vector<std::string>& words) {
  std::vector<std::string> out;
  for (auto& w : words)
    if (is_article(w)) out.push_back(w);
  std::sort(out.begin(), out.end());
  return out;
}

std::string joined(const std::vector<std::string>& words) {
  std::string out;
  for (auto& w : words) out += w;
  return out;
}

/// `small`'s words all in `large` (as multisets), and what `large` has more is
/// not numbers alone (a sequel); at least two words, half of the larger one.
bool words_within(std::vector<std::string> small, std::vector<std::string> large) {
  if (small.size() < 2 || small.size() >= large.size() || small.size() * 2 < large.size()) return false;
  std::sort(small.begin(), small.end());
  std::sort(large.begin(), large.end());
  std::vector<std::string> extra;
  std::size_t i = 0;
  for (auto& w : large) {
    if (i < small.size() && small[i] == w) ++i;
    else if (i < small.size() && small[i] < w) return false;  // a word of small not in large
    else extra.push_back(w);
  }
  if (i != small.size()) return false;
  return !std::all_of(extra.begin(), extra.end(), is_number);
}

double title_weight(TitleLevel level, const MatchWeights& w) {
  switch (level) {
    case TitleLevel::exact: return w.title_exact;
    case TitleLevel::spacing: return w.title_spacing;
    case TitleLevel::article_missing: return w.title_article_missing;
    case TitleLevel::article_differs: return w.title_article_differs;
    case TitleLevel::main_title: return w.title_main_title;
    case TitleLevel::words_within: return w.title_words_within;
    case TitleLevel::other: return 0;
  }
  return 0;
}

}  // namespace

// "{:+g}" of v rounded to hundredths ("+8", "-2.5", "+0.01"). Written by hand below
// 1000: fmt formats a double of a given precision through its slow exact path (a
// fifth of explaining a candidate). Those numbers have at most five significant
// digits, so "{:+g}" (six) prints them exactly so; zero keeps fmt for its sign.
std::string signed_bits(double v) {
  const double hundredths = std::round(v * 100);
  if (hundredths == 0 || !(std::fabs(hundredths) < 100000)) return fmt::format("{:+g}", hundredths / 100);
  const long long h = static_cast<long long>(hundredths);
  const long long a = h < 0 ? -h : h;
  std::string out(1, h < 0 ? '-' : '+');
  out += std::to_string(a / 100);
  if (const int frac = static_cast<int>(a % 100)) {
    out += '.';
    out += static_cast<char>('0' + frac / 10);
    if (frac % 10) out += static_cast<char>('0' + frac % 10);
  }
  return out;
}

std::string form_text(const TitleForm& f) {
  std::string out;
  for (std::size_t i = 0; i < f.words.size(); ++i) {
    if (i) out += f.main_words == i ? ": " : " ";
    out += f.words[i];
  }
  return out;
}

const char* title_level_name(TitleLevel level) {
  switch (level) {
    case TitleLevel::exact: return "exact";
    case TitleLevel::spacing: return "spacing";
    case TitleLevel::article_missing: return "article_missing";
    case TitleLevel::article_differs: return "article_differs";
    case TitleLevel::main_title: return "main_title";
    case TitleLevel::words_within: return "words_within";
    case TitleLevel::other: return "other";
  }
  return "other";
}

TitleLevel compare_titles(const TitleForm& a, const TitleForm& b) {
  if (a.words == b.words) return TitleLevel::exact;
  auto sa = strong_words(a.words, a.words.size());
  auto sb = strong_words(b.words, b.words.size());
  // Other articles: each side has one the other lacks ("A Trip" / "The Trip"); an
  // article only one side has is a missing one.
  auto aa = articles(a.words), ab = articles(b.words);
  auto lacks = [](const std::vector<std::string>& x, const std::vector<std::string>& y) {
    return std::any_of(x.begin(), x.end(), [&](auto& w) { return !std::binary_search(y.begin(), y.end(), w); });
  };
  bool articles_differ = lacks(aa, ab) && lacks(ab, aa);
  if (!sa.empty() && sa == sb) return articles_differ ? TitleLevel::article_differs : TitleLevel::article_missing;
  if (!sa.empty() && joined(sa) == joined(sb))
    return articles_differ ? TitleLevel::article_differs : TitleLevel::spacing;
  // One side is the other's main title: "Star Wars" / "Star Wars: Episode IV - A New Hope".
  auto main_of = [](const TitleForm& with_sub, const std::vector<std::string>& whole) {
    if (with_sub.main_words == 0) return false;
    auto main = strong_words(with_sub.words, with_sub.main_words);
    return !main.empty() && main == whole && joined(main).size() >= 4;
  };
  if ((a.main_words == 0 && main_of(b, sa)) || (b.main_words == 0 && main_of(a, sb)))
    return TitleLevel::main_title;
  // One side is the other's last subtitle: "Return of the Jedi" / "Star Wars:
  // Episode VI - Return of the Jedi" (two words at least).
  auto last_of = [](const TitleForm& f) {
    return f.last_subtitle_words == 0
               ? std::vector<std::string>{}
               : strong_words(std::vector<std::string>(f.words.end() - static_cast<long>(f.last_subtitle_words),
                                                       f.words.end()),
                              f.last_subtitle_words);
  };
  auto la = last_of(a), lb = last_of(b);
  if ((a.main_words == 0 && sa.size() >= 2 && sa == lb) || (b.main_words == 0 && sb.size() >= 2 && sb == la))
    return TitleLevel::main_title;
  if (words_within(sa, sb) || words_within(sb, sa)) return TitleLevel::words_within;
  // Both with a subtitle, the same last subtitle, main titles sharing a word:
  // "Ice Age: Continental Drift" / "Ice Age 4: Continental Drift".
  if (!la.empty() && la == lb && a.main_words > 0 && b.main_words > 0) {
    auto ma = strong_words(a.words, a.main_words), mb = strong_words(b.words, b.main_words);
    if (std::any_of(ma.begin(), ma.end(), [&](auto& w) { return std::find(mb.begin(), mb.end(), w) != mb.end(); }))
      return TitleLevel::words_within;
  }
  return TitleLevel::other;
}

std::vector<std::string> genre_words(const std::vector<std::string>& genres) {
  // The same genre in the vocabularies of the sources read: MovieLens "Sci-Fi" and
  // "Children", TMDB "Science Fiction" and "Family", RT "Kids & Family", "Musical"
  // and "Music", "Mystery & Suspense" and "Thriller".
  static const std::pair<const char*, const char*> kSame[] = {
      {"sci", "science"}, {"fi", "fiction"}, {"scifi", "science"}, {"children", "family"},
      {"childrens", "family"}, {"kids", "family"}, {"musical", "music"}, {"suspense", "thriller"},
      {"biopic", "biography"}, {"animated", "animation"}, {"documentaries", "documentary"}};
  std::vector<std::string> out;
  for (auto& g : genres)
    for (auto& w : words(g)) {
      if (is_filler(w)) continue;
      for (auto& [from, to] : kSame)
        if (w == from) w = to;
      out.push_back(std::move(w));
    }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

MatchFacts facts_of(const SourceRecord& record) {
  MatchFacts f;
  std::vector<std::string> names;
  for (auto& n : record.names) names.push_back(n.title);
  f.titles = title_forms(record.title, names, /*repair_mojibake=*/true);
  f.source = record.source;
  f.year = record.year;
  f.runtime_minutes = record.runtime_minutes;
  f.genre_words = genre_words(record.genres);
  for (auto& [kind, value] : record.external_ids)
    if (!value.empty()) f.external_ids.emplace_back(kind, value);
  std::sort(f.external_ids.begin(), f.external_ids.end());
  return f;
}

MatchFacts facts_of_movie(const json& golden) {
  MatchFacts f;
  std::vector<std::string> names;
  if (auto it = golden.find("names"); it != golden.end() && it->is_array())
    for (auto& n : *it)
      if (n.is_object() && n.contains("title") && n["title"].is_string())
        names.push_back(n["title"].get<std::string>());
  std::string title;
  if (auto it = golden.find("title"); it != golden.end() && it->is_string()) title = it->get<std::string>();
  f.titles = title_forms(title, names, /*repair_mojibake=*/false);
  if (auto it = golden.find("year"); it != golden.end() && it->is_number_integer()) f.year = it->get<int>();
  if (auto it = golden.find("runtime_minutes"); it != golden.end() && it->is_number_integer())
    f.runtime_minutes = it->get<int>();
  std::vector<std::string> genres;
  if (auto it = golden.find("genres"); it != golden.end() && it->is_array())
    for (auto& g : *it)
      if (g.is_string()) genres.push_back(g.get<std::string>());
  f.genre_words = genre_words(genres);
  if (auto p = golden.find("provenance"); p != golden.end() && p->is_object()) {
    if (auto r = p->find("runtime_minutes"); r != p->end() && r->is_object()) f.runtime_source = r->value("source", "");
    if (auto g = p->find("genres"); g != p->end() && g->is_object()) f.genres_source = g->value("source", "");
  }
  // The ids its sources carry (each source's external_ids, as the read model lists them).
  if (auto it = golden.find("external_ids"); it != golden.end() && it->is_object())
    for (auto& [kind, value] : it->items())
      if (value.is_string() && !value.get<std::string>().empty())
        f.external_ids.emplace_back(kind, value.get<std::string>());
  std::sort(f.external_ids.begin(), f.external_ids.end());
  return f;
}

double confidence_of(double weight) {
  double p = 1.0 / (1.0 + std::exp2(-weight));
  return std::round(p * 1000) / 1000;
}

TitleMatch best_title(const std::vector<TitleForm>& record, const std::vector<TitleForm>& movie,
                      const MatchWeights& w) {
  TitleMatch best;
  for (auto& a : record)
    for (auto& b : movie) {
      auto level = compare_titles(a, b);
      if (level == TitleLevel::other) continue;
      double v = title_weight(level, w);
      bool alternate = a.kind != TitleKind::primary || b.kind != TitleKind::primary;
      if (alternate) v += w.alternate_title;
      if (!best.found || v > best.weight) {
        best.found = true;
        best.weight = v;
        best.level = level;
        best.alternate = alternate;
        best.record_form = &a;
        best.movie_form = &b;
      }
    }
  return best;
}

namespace {

double runtime_weight(int gap, const MatchWeights& w) {
  return gap <= 3 ? w.runtime_3 : gap <= 10 ? w.runtime_10 : gap <= 20 ? w.runtime_20 : w.runtime_far;
}

}  // namespace

Weighed weigh(double title, const OtherEvidence& e, const MatchWeights& w) {
  // The order of the sum is the order score_match explains it in.
  double weight = title + w.prior;
  weight += w.year_gap[static_cast<std::size_t>(e.year_gap)];
  if (e.runtime_gap) weight += runtime_weight(*e.runtime_gap, w);
  if (e.genre_shared) weight += *e.genre_shared ? w.genre_shared : w.genre_none;
  if (e.external_id) weight += w.external_id;
  Weighed out;
  out.weight = std::round(weight * 100) / 100;
  out.confidence = confidence_of(weight);
  if (out.confidence <= 0) out.confidence = 0.001;  // a candidate, however weak
  return out;
}

MatchScore score_match(const MatchFacts& record, const MatchFacts& movie, const MatchWeights& w, bool explain) {
  MatchScore s;
  if (!record.year || !movie.year) return s;
  int year_gap = std::abs(*record.year - *movie.year);
  int window = std::min<int>(w.year_window, static_cast<int>(w.year_gap.size()) - 1);
  if (year_gap > window) return s;

  // The best pair of titles, every known title of both sides.
  auto title = best_title(record.titles, movie.titles, w);
  if (!title.found) return s;

  OtherEvidence e;
  e.year_gap = year_gap;
  auto own = [&](const std::string& given_by) { return !given_by.empty() && given_by == record.source; };
  if (record.runtime_minutes && movie.runtime_minutes && !own(movie.runtime_source))
    e.runtime_gap = std::abs(*record.runtime_minutes - *movie.runtime_minutes);
  if (!record.genre_words.empty() && !movie.genre_words.empty() && !own(movie.genres_source))
    e.genre_shared = std::any_of(record.genre_words.begin(), record.genre_words.end(), [&](auto& g) {
      return std::binary_search(movie.genre_words.begin(), movie.genre_words.end(), g);
    });
  const std::pair<std::string, std::string>* id = nullptr;
  for (auto& x : record.external_ids)
    if (std::binary_search(movie.external_ids.begin(), movie.external_ids.end(), x)) {
      id = &x;
      break;
    }
  e.external_id = id != nullptr;
  auto weighed = weigh(title.weight, e, w);
  s.weight = weighed.weight;
  s.confidence = weighed.confidence;
  if (!explain) return s;

  Evidence ev{title_evidence(title), e, id ? id->first + "=" + id->second : std::string()};
  events::explain(ev, w, s);
  return s;
}

TitleEvidence title_evidence(const TitleMatch& title) {
  TitleEvidence t{title.level, title.weight, title.alternate, {}, {}};
  if (title.found && title.alternate) {
    t.record_form = form_text(*title.record_form);
    t.movie_form = form_text(*title.movie_form);
  }
  return t;
}

void explain(const Evidence& ev, const MatchWeights& w, MatchScore& s) {
  // Feature by feature, in the order of the sum (weigh). Written into one string
  // (format_to): the matcher explains five candidates a record.
  const TitleEvidence& t = ev.title;
  const OtherEvidence& e = ev.other;
  double weight = t.weight + w.prior;
  std::string why;
  why.reserve(128);  // about 90 characters: grown once, not four times
  auto out = std::back_inserter(why);
  fmt::format_to(out, FMT_COMPILE("title {}{} {}"), title_level_name(t.level),
                 t.alternate ? " (an alternate title)" : "", signed_bits(t.weight));
  double year = w.year_gap[static_cast<std::size_t>(e.year_gap)];
  weight += year;
  if (e.year_gap == 0)
    why += ", same year 0";
  else
    fmt::format_to(out, FMT_COMPILE(", year {} apart {}"), e.year_gap, signed_bits(year));
  if (e.runtime_gap) {
    double v = runtime_weight(*e.runtime_gap, w);
    weight += v;
    fmt::format_to(out, FMT_COMPILE(", runtime {} min apart {}"), *e.runtime_gap, signed_bits(v));
  }
  if (e.genre_shared) {
    double v = *e.genre_shared ? w.genre_shared : w.genre_none;
    weight += v;
    fmt::format_to(out, FMT_COMPILE(", {} {}"), *e.genre_shared ? "a genre shared" : "no genre shared",
                   signed_bits(v));
  }
  if (e.external_id) {
    weight += w.external_id;
    fmt::format_to(out, FMT_COMPILE(", {} on both {}"), ev.external_id, signed_bits(w.external_id));
  }
  fmt::format_to(out, FMT_COMPILE(", prior {} = {:.2f} bits"), signed_bits(w.prior), weight);
  s.why = std::move(why);
  // The same features by name, placed in the map's order, each at its end: no key
  // comparisons.
  s.features = json::object();
  auto& features = s.features.get_ref<json::object_t&>();
  auto put = [&features](const char* key, json value) {
    features.emplace_hint(features.end(), key, std::move(value));
  };
  if (e.external_id) put("external_id", ev.external_id);
  if (e.genre_shared) put("genres", *e.genre_shared ? "shared" : "none shared");
  if (e.runtime_gap) put("runtime_gap", *e.runtime_gap);
  put("title", title_level_name(t.level));
  if (t.alternate) put("title_pair", json::array({t.record_form, t.movie_form}));
  put("year_gap", e.year_gap);
}

}  // namespace moviec::events
