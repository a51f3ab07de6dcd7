#include "events/match_score.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <set>

#include <fmt/format.h>

#include "events/text.hpp"

namespace moviec::events {

using nlohmann::json;

namespace {

// Words that say nothing about a genre by themselves ("Action & Adventure").
bool is_filler(const std::string& w) { return w == "and" || w == "film" || w == "movie"; }

std::vector<std::string> genre_words(const std::vector<std::string>& genres) {
  std::set<std::string> out;
  for (auto& g : genres)
    for (auto& w : words(g))
      if (!is_filler(w)) out.insert(w);
  return {out.begin(), out.end()};
}

double title_weight(TitleKind a, TitleKind b) {
  if (a == TitleKind::partial && b == TitleKind::partial) return 0;
  if (a == TitleKind::partial || b == TitleKind::partial) return 0.65;
  if (a == TitleKind::primary && b == TitleKind::primary) return 1.0;
  return 0.92;
}

std::string_view title_label(double weight) {
  if (weight >= 1.0) return "title exact";
  if (weight >= 0.9) return "alternate title";
  return "main title only";
}

}  // namespace

MatchFacts facts_of(const SourceRecord& record) {
  MatchFacts f;
  std::vector<std::string> names;
  for (auto& n : record.names) names.push_back(n.title);
  f.titles = title_keys(record.title, names, /*repair_mojibake=*/true);
  f.year = record.year;
  f.runtime_minutes = record.runtime_minutes;
  f.genre_words = genre_words(record.genres);
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
  f.titles = title_keys(title, names, /*repair_mojibake=*/false);
  if (auto it = golden.find("year"); it != golden.end() && it->is_number_integer()) f.year = it->get<int>();
  if (auto it = golden.find("runtime_minutes"); it != golden.end() && it->is_number_integer())
    f.runtime_minutes = it->get<int>();
  std::vector<std::string> genres;
  if (auto it = golden.find("genres"); it != golden.end() && it->is_array())
    for (auto& g : *it)
      if (g.is_string()) genres.push_back(g.get<std::string>());
  f.genre_words = genre_words(genres);
  return f;
}

MatchScore score_match(const MatchFacts& record, const MatchFacts& movie) {
  MatchScore s;
  if (!record.year || !movie.year) return s;
  int year_gap = std::abs(*record.year - *movie.year);
  if (year_gap > 1) return s;

  double title = 0;
  for (auto& a : record.titles)
    for (auto& b : movie.titles)
      if (a.key == b.key) title = std::max(title, title_weight(a.kind, b.kind));
  if (title == 0) return s;

  double confidence = title * (year_gap == 0 ? 1.0 : 0.85);
  std::string why = fmt::format("{}, {}", title_label(title),
                                year_gap == 0 ? "same year" : "year one apart");
  // A year apart, and the record names another title (in brackets, an a.k.a.)
  // that this movie does not know: "Pulse (Kairo)" released 2005 in the US is not
  // the 2006 remake "Pulse".
  if (year_gap == 1) {
    bool has_other = false, shares_other = false;
    for (auto& a : record.titles) {
      if (a.kind != TitleKind::alternate) continue;
      has_other = true;
      for (auto& b : movie.titles)
        if (a.key == b.key) shares_other = true;
    }
    if (has_other && !shares_other) {
      confidence -= 0.15;
      why += ", its other title unknown here";
    }
  }
  if (record.runtime_minutes && movie.runtime_minutes) {
    int gap = std::abs(*record.runtime_minutes - *movie.runtime_minutes);
    if (gap <= 3) confidence += 0.10;
    else if (gap <= 10) confidence += 0;
    else if (gap <= 20) confidence -= 0.10;
    else confidence -= 0.20;
    why += fmt::format(", runtime {} min apart", gap);
  }
  if (!record.genre_words.empty() && !movie.genre_words.empty()) {
    bool shared = std::any_of(record.genre_words.begin(), record.genre_words.end(), [&](auto& w) {
      return std::binary_search(movie.genre_words.begin(), movie.genre_words.end(), w);
    });
    confidence += shared ? 0.05 : -0.05;
    why += shared ? ", a genre shared" : ", no genre shared";
  }
  s.confidence = std::round(std::clamp(confidence, 0.0, 1.0) * 1000) / 1000;
  s.why = std::move(why);
  return s;
}

}  // namespace moviec::events
