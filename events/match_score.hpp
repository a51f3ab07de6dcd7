#pragma once
// Scoring one source record against one candidate movie for the title + year
// fallback of matching: a sum of feature weights in bits (log2 of how much more
// likely the evidence is for the same film than for another film of the block,
// the Fellegi-Sunter "match weight" Splink uses), turned into a confidence
// 1 / (1 + 2^-weight) in [0, 1]. Every feature is evidence for or against; a
// feature that one side does not know counts 0 (nothing is penalized for being
// unknown).
//
//   title    the best pair of title forms (events/title_key.hpp), every known
//            title of both sides compared (title, bracketed alternates, a.k.a.,
//            original titles, akas):
//              exact            same words                                    +8.0
//              spacing          same letters, split otherwise ("Suckerpunch") +7.5
//              article_missing  the same but one side has no article          +6.5
//              article_differs  other articles ("A Trip" / "The Trip")        +3.5
//              main_title       one side is the other's main title, its
//                               subtitle missing, or its last subtitle
//                               ("Return of the Jedi")                        +3.5
//              words_within     one side's words all in the other's (not only
//                               a number more: "Toy Story 2" is a sequel), or
//                               the same last subtitle and main titles that
//                               share a word ("Ice Age 4: Continental Drift") +3.0
//              other            not a candidate
//            a pair that uses an alternate title on either side                 -0.5
//   year     0 apart 0, 1 apart -2.5, 2 apart -5.0, 3 apart -7.0; beyond the
//            window (MatchWeights::year_window, default 2): not a candidate
//   runtime  when both know it: within 3 min +1.5, 10 min +0.5, 20 min -1.5,
//            further -3.0
//   genres   when both have some: a genre word shared +0.5, none -1.5
//            (a movie's runtime or genres that the record's own source gave count 0)
//   ids      an external id both carry with the same value (kind=value)       +8.0
//   prior    every candidate                                                  -1.0
//
// So exact title and year: 7.0 bits, confidence 0.992; one year apart 0.958;
// two years apart 0.8; an alternate title one year apart 0.94. Pure functions,
// no I/O.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "events/source_record.hpp"
#include "events/title_key.hpp"

namespace moviec::events {

/// What one side knows about a film, as matching compares it.
struct MatchFacts {
  std::vector<TitleForm> titles;
  std::optional<int> year;
  std::optional<int> runtime_minutes;
  std::vector<std::string> genre_words;  // folded words of the genres, sorted ("sci fi" -> fi, sci)
  std::vector<std::pair<std::string, std::string>> external_ids;  // (kind, value), sorted
  // A record: its source. A movie: the source that gave its golden runtime and
  // genres. A movie's runtime or genres given by the record's own source came
  // from another record of that source (the one holding the movie, maybe wrongly):
  // not evidence about the movie, so that feature counts 0.
  std::string source;
  std::string runtime_source;
  std::string genres_source;
};

/// A source record's facts; mojibake repairs add forms (the record as published is kept).
MatchFacts facts_of(const SourceRecord& record);

/// A golden record's facts (the JSON of the movies read model, docs/http.md).
MatchFacts facts_of_movie(const nlohmann::json& golden);

/// The folded, deduplicated, sorted words of genre names, without fillers ("and", "film").
std::vector<std::string> genre_words(const std::vector<std::string>& genres);

/// The weights in bits (see the top of this file).
struct MatchWeights {
  double title_exact = 8.0;
  double title_spacing = 7.5;
  double title_article_missing = 6.5;
  double title_article_differs = 3.5;
  double title_main_title = 3.5;
  double title_words_within = 3.0;
  double alternate_title = -0.5;
  std::vector<double> year_gap{0.0, -2.5, -5.0, -7.0};  // by years apart
  int year_window = 2;  // candidates at most this many years apart (< year_gap.size())
  double runtime_3 = 1.5, runtime_10 = 0.5, runtime_20 = -1.5, runtime_far = -3.0;
  double genre_shared = 0.5, genre_none = -1.5;
  double external_id = 8.0;
  double prior = -1.0;
};

/// How two title forms compare (the title feature's levels, best first).
enum class TitleLevel { exact, spacing, article_missing, article_differs, main_title, words_within, other };
const char* title_level_name(TitleLevel level);
TitleLevel compare_titles(const TitleForm& a, const TitleForm& b);

struct MatchScore {
  double confidence = 0;  // 0 = not a candidate at all
  double weight = 0;      // bits; the confidence is 1 / (1 + 2^-weight)
  std::string why;        // "title exact +8, year +1 -2.5, runtime 2 min apart +1.5, prior -1 = 6.0 bits"
  nlohmann::json features = nlohmann::json::object();  // {"title": "exact", "year_gap": 1, ...}
};

/// The confidence of a weight in bits, rounded to 3 decimals.
double confidence_of(double weight);

/// `explain` false: the weight and confidence alone, `why` and `features` left
/// empty (the matcher scores every candidate so, and explains only those it keeps).
MatchScore score_match(const MatchFacts& record, const MatchFacts& movie, const MatchWeights& w = {},
                       bool explain = true);

/// The title feature alone: the best pair of title forms of both sides.
struct TitleMatch {
  bool found = false;  // false: no pair compares (not a candidate)
  TitleLevel level = TitleLevel::other;
  double weight = 0;       // the level's weight, the alternate title's included
  bool alternate = false;  // the pair uses an alternate title on either side
  const TitleForm* record_form = nullptr;
  const TitleForm* movie_form = nullptr;
};
TitleMatch best_title(const std::vector<TitleForm>& record, const std::vector<TitleForm>& movie,
                      const MatchWeights& w);

/// The features other than the title, as score_match weighs them: what the
/// matcher's fast path (actors/match_decider.cpp) computes from a movie's stored
/// facts without decoding them, so that both sum the same way.
struct OtherEvidence {
  int year_gap = 0;
  std::optional<int> runtime_gap;   // both sides know it and it counts
  std::optional<bool> genre_shared; // both sides have genres and they count
  bool external_id = false;         // an id both carry
};
/// The title feature as the explanation needs it, kept without the forms it was
/// found on (TitleMatch points into them).
struct TitleEvidence {
  TitleLevel level = TitleLevel::other;
  double weight = 0;        // TitleMatch::weight
  bool alternate = false;   // TitleMatch::alternate
  std::string record_form;  // the pair's words (form_text), when alternate
  std::string movie_form;
};
/// `title`'s evidence (the pair's words written only for an alternate title).
TitleEvidence title_evidence(const TitleMatch& title);
/// What a score is made of, as score_match finds it; the explanation is written
/// from this alone, so the matcher's fast path (which finds it on the stored bytes)
/// explains a candidate without decoding it or comparing its titles again.
struct Evidence {
  TitleEvidence title;
  OtherEvidence other;
  std::string external_id;  // "kind=value" both carry, when other.external_id
};
/// A weight in bits as the explanation writes it: rounded to hundredths, signed
/// ("+8", "-2.5"); the same text as fmt's "{:+g}" of the rounded value.
std::string signed_bits(double v);
/// The words of a title form as the explanation shows them ("star wars: a new hope").
std::string form_text(const TitleForm& form);
/// The `why` and `features` of a score made of `e`, in the order of the sum.
void explain(const Evidence& e, const MatchWeights& w, MatchScore& s);

struct Weighed {
  double weight = 0;      // bits, rounded to 2 decimals (MatchScore::weight)
  double confidence = 0;  // MatchScore::confidence
};
/// The weight and confidence of a title weight and the other evidence.
Weighed weigh(double title_weight, const OtherEvidence& e, const MatchWeights& w);

}  // namespace moviec::events
