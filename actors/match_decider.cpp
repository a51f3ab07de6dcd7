#include "actors/match_decider.hpp"

#include <algorithm>
#include <cstdlib>
#include <deque>
#include <map>
#include <set>

#include <fmt/format.h>

#include "events/match_score.hpp"
#include "events/matching.hpp"

namespace moviec::actors {

using nlohmann::json;
namespace matching = events::matching;

namespace {

bool is_imdb_id(const std::string& id) {
  return id.size() > 2 && id[0] == 't' && id[1] == 't' &&
         std::all_of(id.begin() + 2, id.end(), [](char c) { return c >= '0' && c <= '9'; });
}

MatchDecision unmatched(std::string_view reason, std::string message, json candidates = json::array()) {
  MatchDecision d;
  d.reason = std::string(reason);
  d.message = std::move(message);
  d.candidates = std::move(candidates);
  return d;
}

std::string describe(const json& c) {
  return fmt::format("{} ({}, {}) {:.3f} ({:.2f} bits)", c.value("movie_id", ""), c.value("title", ""),
                     c.contains("year") ? c["year"].dump() : "no year", c.value("confidence", 0.0),
                     c.value("weight", 0.0));
}

}  // namespace

bool is_valid_movie_id(const std::string& id) {
  return !id.empty() && id.find(':') == std::string::npos && id.find('\0') == std::string::npos;
}

MatchSettings match_settings(const config::MatchingConfig& c) {
  MatchSettings s;
  s.min_confidence = c.min_confidence;
  s.min_margin_bits = c.min_margin_bits;
  s.max_candidates = c.max_candidates;
  s.weights.year_window = c.year_window;
  s.several_per_movie = {c.several_per_movie.begin(), c.several_per_movie.end()};
  return s;
}

StatusOr<MatchDecision> MatchDecider::decide(const events::SourceRecord& r,
                                             const std::string& known_movie, bool again) {
  // Where the record is now, if anywhere.
  std::string current;
  std::string current_method;
  std::optional<double> current_confidence;
  std::uint64_t decided = 0;
  auto imdb = r.external_ids.find("imdb");
  bool has_imdb = imdb != r.external_ids.end() && is_imdb_id(imdb->second);
  // The state, a person's decision and (for a record without ids that decide it) the
  // crosswalk of its own id, in one batched read: most of them miss.
  auto looked_up = matches_.record_facts(r.source, r.source_id, r.movie_id.empty() && !has_imdb);
  if (!looked_up) return looked_up.status();
  const auto& state = looked_up->state;
  if (state && state->value("state", "") == "matched") {
    current = state->value("movie_id", "");
    current_method = state->value("method", "");
    if (state->contains("confidence")) current_confidence = (*state)["confidence"].get<double>();
    decided = state->value("decided", std::uint64_t{0});
  }
  if (!known_movie.empty() && known_movie != current) {
    current = known_movie;  // decided in this process, not projected yet
    decided = 0;
  }
  // Displaced from known_movie: already out of it, and what it taught there (its own
  // id as a crosswalk) may not be projected away yet: not a way back.
  const std::string displaced_from = again ? known_movie : std::string();
  if (again) current.clear();

  auto matched = [&](const std::string& movie, std::string_view method) {
    MatchDecision d;
    d.matched = true;
    d.movie_id = movie;
    d.method = std::string(method);
    if (!current.empty() && current != movie) d.current_movie = current;
    return d;
  };

  // 1. A person's word stands above everything else.
  if (const auto& person = looked_up->decision) {
    auto movie = person->value("movie_id", "");
    auto seq = person->value("sequence", std::uint64_t{0});
    if (!movie.empty()) {
      auto d = matched(movie, matching::kManual);
      d.basis = seq;
      return d;
    }
    auto d = unmatched(matching::kNoMatch, "a person said no match: " + person->value("by", "") +
                                               ": " + person->value("why", ""));
    d.basis = seq;
    d.current_movie = current;
    return d;
  }

  // 2, 3. Ids the record carries.
  if (!r.movie_id.empty()) {
    if (!is_valid_movie_id(r.movie_id))
      return unmatched(matching::kInvalidMovieId, "the record's movie id \"" + r.movie_id +
                                                      "\" cannot be a movie id (it holds ':')");
    // A reader that filled movie_id from a crosswalk of its own (MovieLens links.csv:
    // movieId 1 -> tt0114709) says so by the IMDb id beside it: that is a crosswalk
    // the record carries, not the source's own id for the movie (IMDb's tconst).
    bool own_id = r.source_id == r.movie_id || !has_imdb || imdb->second != r.movie_id;
    return matched(r.movie_id, own_id ? matching::kSourceMovieId : matching::kExternalId);
  }
  if (has_imdb) return matched(imdb->second, matching::kExternalId);

  // 4. Matched before: stay.
  if (!current.empty() && !again) {
    auto d = matched(current, current_method.empty() ? matching::kCrosswalk : current_method);
    d.confidence = current_confidence;
    d.basis = decided;
    return d;
  }

  // 5. Crosswalks other records taught.
  std::map<std::string, std::string> walked;  // movie -> "kind=value"
  auto walked_to = [&](const std::optional<std::string>& movie, const std::string& kind, const std::string& value) {
    if (movie && !movie->empty() && *movie != displaced_from) walked.emplace(*movie, kind + "=" + value);
  };
  walked_to(looked_up->crosswalk, r.source, r.source_id);  // looked up with the state
  for (auto& [kind, value] : r.external_ids)
    if (kind != "imdb") {
      auto movie = matches_.crosswalk(kind, value);
      if (!movie) return movie.status();
      walked_to(*movie, kind, value);
    }
  if (walked.size() == 1) return matched(walked.begin()->first, matching::kCrosswalk);
  if (walked.size() > 1) {
    json candidates = json::array();
    std::string list;
    for (auto& [movie, via] : walked) {
      candidates.push_back(json{{"movie_id", movie}, {"why", "crosswalk " + via}});
      list += (list.empty() ? "" : ", ") + movie + " by " + via;
    }
    return unmatched(matching::kAmbiguous, "its ids lead to different movies: " + list, candidates);
  }

  // 6, 7. Title and year.
  return by_title_year(r);
}

StatusOr<std::optional<store::MatchHolder>> MatchDecider::holder_of(const std::string& movie,
                                                                    const events::SourceRecord& r) {
  if (pending_holders_) {
    auto it = pending_holders_->find(movie + '\0' + r.source);
    if (it != pending_holders_->end()) {
      if (it->second.source_id == r.source_id) return std::optional<store::MatchHolder>{};
      auto h = it->second;
      if (h.method != matching::kManual) {
        auto person = matches_.decision(r.source, h.source_id);
        if (!person) return person.status();
        if (*person && (**person).value("movie_id", "") == movie) h.method = std::string(matching::kManual);
      }
      return std::optional<store::MatchHolder>{std::move(h)};
    }
  }
  auto h = matches_.holder(movie, r.source);
  if (!h) return h.status();
  if (*h && (**h).source_id == r.source_id) return std::optional<store::MatchHolder>{};
  if (*h && (**h).method != matching::kManual) {
    // A person linked it where it already was: the link holds it, whatever placed it.
    auto person = matches_.decision(r.source, (**h).source_id);
    if (!person) return person.status();
    if (*person && (**person).value("movie_id", "") == movie) (**h).method = std::string(matching::kManual);
  }
  return h;
}

namespace {

struct Candidate {
  std::string movie_id;
  std::string title;  // set when explained
  std::optional<int> year;
  double weight = 0;      // bits (events::MatchScore::weight)
  double confidence = 0;  // events::MatchScore::confidence
  std::string_view facts;  // the movie's encoded facts (store/match_models.hpp, in Scoring), explained from
  std::optional<events::MatchFacts> decoded;  // or its facts from the read model (a store from before them)
  // What its score is made of, found on the stored facts: the explanation is
  // written from it (events::explain) without decoding them.
  std::size_t title_result = 0;  // Scoring::titles
  events::OtherEvidence other;
  std::string external_id;  // "kind=value" both carry
  std::optional<events::MatchScore> explained;
  std::optional<store::MatchHolder> holder;  // looked up only where it matters
};

/// The title feature of one distinct set of title forms, as a record compares
/// with it: candidates that share their forms (a block of films of one title)
/// compare once.
struct TitleResult {
  std::string forms;  // MatchFactsView::forms as stored
  bool found = false;
  events::TitleEvidence title;  // its weight, and what the explanation says of it
};

/// What a record's candidates were scored against: the record's facts, and the
/// title results of the stored candidates.
struct Scoring {
  events::MatchFacts record;
  const events::MatchWeights* weights = nullptr;
  std::vector<TitleResult> titles;
  store::BlockHits hits;              // the candidates' facts
  std::deque<std::string> looked_up;  // ... and those looked up one by one

  /// The candidate's score with its explanation (`why`, `features`), computed once (until
  /// to_json takes it).
  events::MatchScore& explain(Candidate& c) const {
    if (c.explained) return *c.explained;
    if (c.decoded) {  // from the read model: scored whole
      c.explained = events::score_match(record, *c.decoded, *weights, /*explain=*/true);
      return *c.explained;
    }
    store::MatchFactsView v;
    store::view_match_facts(c.facts, v);  // it was viewed when it was scored
    c.title = std::string(v.title);
    events::Evidence e{titles[c.title_result].title, c.other, c.external_id};
    events::MatchScore s;
    s.weight = c.weight;
    s.confidence = c.confidence;
    events::explain(e, *weights, s);
    c.explained = std::move(s);
    return *c.explained;
  }

  /// The candidate as its decision records it. Its explanation moves into the JSON
  /// (copying its features cost 3 % of a decision) and is made again if asked again.
  json to_json(Candidate& c) const {
    auto& s = explain(c);
    // Members placed one by one (an initializer list copies each value once more), in
    // the map's order, each at its end: no key comparisons (5 candidates a record).
    json j(json::value_t::object);
    auto& o = j.get_ref<json::object_t&>();
    auto put = [&o](const char* key, auto&& value) {
      o.emplace_hint(o.end(), key, std::forward<decltype(value)>(value));
    };
    put("confidence", c.confidence);
    put("features", std::move(s.features));
    if (c.holder) {
      json held(json::value_t::object);
      auto& h = held.get_ref<json::object_t&>();
      h.emplace("source_id", c.holder->source_id);
      h.emplace("method", c.holder->method);
      if (c.holder->weight) h.emplace("weight", *c.holder->weight);
      put("held_by", std::move(held));
    }
    put("movie_id", c.movie_id);
    put("title", c.title);
    put("weight", c.weight);
    put("why", std::move(s.why));
    if (c.year) put("year", *c.year);
    c.explained.reset();  // moved out
    return j;
  }
};

/// Scores a movie from its encoded facts without decoding them (views, no
/// allocation but for a new set of title forms): the same weight and confidence
/// events::score_match gives (both sum through events::weigh), and the evidence
/// its explanation is written from. False: corrupt.
bool score_stored(const events::MatchFacts& record, std::string_view bytes, const events::MatchWeights& w,
                  std::vector<TitleResult>& titles, Candidate& c) {
  auto& year = c.year;
  auto& confidence = c.confidence;
  confidence = 0;
  store::MatchFactsView v;
  if (!store::view_match_facts(bytes, v)) return false;
  year = store::view_int(v.year);
  if (!record.year || !year) return true;
  int gap = std::abs(*record.year - *year);
  int window = std::min<int>(w.year_window, static_cast<int>(w.year_gap.size()) - 1);
  if (gap > window) return true;
  const TitleResult* title = nullptr;
  for (std::size_t i = 0; i < titles.size() && !title; ++i)
    if (titles[i].forms == v.forms) {
      title = &titles[i];
      c.title_result = i;
    }
  if (!title) {
    std::vector<events::TitleForm> forms;
    if (!store::decode_title_forms(v.forms, forms)) return false;
    auto best = events::best_title(record.titles, forms, w);
    c.title_result = titles.size();
    titles.push_back(TitleResult{std::string(v.forms), best.found, events::title_evidence(best)});
    title = &titles.back();
  }
  if (!title->found) return true;
  events::OtherEvidence& e = c.other;
  e.year_gap = gap;
  auto own = [&](std::string_view given_by) { return !given_by.empty() && given_by == record.source; };
  auto runtime = store::view_int(v.runtime);
  if (record.runtime_minutes && runtime && !own(v.runtime_source))
    e.runtime_gap = std::abs(*record.runtime_minutes - *runtime);
  if (!record.genre_words.empty() && !v.genre_words.empty() && !own(v.genres_source)) {
    bool shared = false;
    for (std::string_view rest = v.genre_words; !shared;) {
      auto sp = rest.find(' ');
      auto word = rest.substr(0, sp);
      if (!word.empty() && std::binary_search(record.genre_words.begin(), record.genre_words.end(), word,
                                              [](const auto& a, const auto& b) {
                                                return std::string_view(a) < std::string_view(b);
                                              }))
        shared = true;
      if (sp == std::string_view::npos) break;
      rest.remove_prefix(sp + 1);
    }
    e.genre_shared = shared;
  }
  // The first of the record's ids (in its order) the movie carries too, as score_match finds it.
  for (auto& [k, x] : record.external_ids) {
    store::for_each_external_id(v.external_ids, [&](std::string_view kind, std::string_view value) {
      if (k == kind && x == value) e.external_id = true;
    });
    if (e.external_id) {
      c.external_id = k + "=" + x;
      break;
    }
  }
  auto weighed = events::weigh(title->title.weight, e, w);
  c.weight = weighed.weight;
  confidence = weighed.confidence;
  return true;
}

/// The scored candidates of `r`, best first (by weight, then movie id).
Status scored_candidates(store::MatchModels& matches, store::ReadModels& movies, const MatchSettings& settings,
                         bool facts_blocking, const events::SourceRecord& r, Scoring& scoring,
                         std::vector<Candidate>& out, store::BigWindows* big_windows) {
  scoring.weights = &settings.weights;
  if (!r.year) return Status::ok();
  scoring.record = events::facts_of(r);
  std::vector<std::string> names;
  for (auto& n : r.names) names.push_back(n.title);
  std::vector<std::string> keys;
  for (auto& k : events::title_keys(r.title, names, /*repair_mojibake=*/true)) keys.push_back(std::move(k.key));
  auto& hits = scoring.hits;
  if (facts_blocking) {
    // The facts come with the blocking keys: one range scan per key.
    if (auto st = matches.block_facts(keys, *r.year, settings.weights.year_window, settings.max_candidates, hits,
                                      big_windows);
        !st)
      return st;
  } else {
    // A store folded by an earlier build: movie_index blocking, a lookup per candidate.
    std::vector<std::string> ids;
    if (auto st = matches.block(keys, *r.year, settings.weights.year_window, settings.max_candidates, ids); !st)
      return st;
    for (auto& id : ids) hits.add(id, "");
  }
  auto& titles = scoring.titles;
  std::vector<Candidate> scored;
  scored.reserve(hits.size());
  for (std::size_t i = 0; i < hits.size(); ++i) {
    Candidate c;
    c.movie_id = std::string(hits.movie_id(i));
    c.facts = hits.facts(i);
    if (c.facts.empty()) {  // not on its blocking key (large), or a store from before them
      auto found = matches.movie_facts_bytes(c.movie_id);
      if (!found) return found.status();
      if (*found) {
        c.facts = scoring.looked_up.emplace_back(std::move(**found));
      } else {  // a store from before the compact facts: the read model
        auto doc = movies.movie(c.movie_id);
        if (!doc) {
          if (doc.status().code() == Status::Code::not_found) continue;  // index ahead of its doc
          return doc.status();
        }
        c.decoded = events::facts_of_movie(*doc);
        c.title = doc->value("title", "");
        c.year = c.decoded->year;
        auto s = events::score_match(scoring.record, *c.decoded, settings.weights, /*explain=*/false);
        if (s.confidence <= 0) continue;
        c.weight = s.weight;
        c.confidence = s.confidence;
        scored.push_back(std::move(c));
        continue;
      }
    }
    if (!score_stored(scoring.record, c.facts, settings.weights, titles, c))
      return Status::corruption("matching: the match facts of " + c.movie_id + " do not decode");
    if (c.confidence <= 0) continue;
    scored.push_back(std::move(c));
  }
  // Best first: by weight, then movie id (a total order: the ids differ). Sorted by
  // index, and each candidate moved once.
  std::vector<std::uint32_t> order(scored.size());
  for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    if (scored[a].weight != scored[b].weight) return scored[a].weight > scored[b].weight;
    return scored[a].movie_id < scored[b].movie_id;
  });
  out.reserve(out.size() + order.size());
  for (auto i : order) out.push_back(std::move(scored[i]));
  return Status::ok();
}

}  // namespace

StatusOr<bool> MatchDecider::facts_blocking() {
  if (facts_blocking_) return true;
  auto has = matches_.has_facts_blocking();
  if (!has) return has.status();
  facts_blocking_ = *has;  // once complete, it stays so (replay rebuilds it whole)
  return *has;
}

StatusOr<json> MatchDecider::score_candidates(const events::SourceRecord& r) {
  auto blocking = facts_blocking();
  if (!blocking) return blocking.status();
  std::vector<Candidate> all;
  Scoring scoring;
  if (auto st = scored_candidates(matches_, movies_, settings_, *blocking, r, scoring, all, &big_windows_); !st)
    return st;
  json out = json::array();
  for (auto& c : all) out.push_back(scoring.to_json(c));
  return out;
}

StatusOr<MatchDecision> MatchDecider::by_title_year(const events::SourceRecord& r) {
  if (r.title.empty() && r.names.empty())
    return unmatched(matching::kNoTitle, "the record has no title and no movie id");
  if (!r.year)
    return unmatched(matching::kNoYear, "no year: a title alone is never enough (\"" + r.title + "\")");
  auto blocking = facts_blocking();
  if (!blocking) return blocking.status();
  std::vector<Candidate> all;
  Scoring scoring;
  if (auto st = scored_candidates(matches_, movies_, settings_, *blocking, r, scoring, all, &big_windows_); !st)
    return st;
  if (all.empty())
    return unmatched(matching::kNoCandidates,
                     fmt::format("no movie titled \"{}\" from {} to {}", r.title,
                                 *r.year - settings_.weights.year_window, *r.year + settings_.weights.year_window));

  // Assignment: a candidate held by another record of this source is open only to
  // a stronger claim on it; the others are passed over (and say why). Holders are
  // looked up best first, until the choice and its runner-up are known.
  std::vector<std::size_t> open, taken;
  std::vector<std::string> holders_seen;
  const bool one = settings_.one_per_movie(r.source);
  for (std::size_t i = 0; i < all.size() && open.size() < 2; ++i) {
    auto& c = all[i];
    if (one && c.confidence >= settings_.min_confidence) {
      holders_seen.push_back(c.movie_id);
      auto held = holder_of(c.movie_id, r);
      if (!held) return held.status();
      c.holder = std::move(*held);
    }
    if (c.holder) {
      bool can_take = c.holder->method == matching::kTitleYear && c.holder->weight &&
                      c.weight > *c.holder->weight + 1e-9;
      if (!can_take) {
        taken.push_back(i);
        continue;
      }
    }
    open.push_back(i);
  }
  // What the decision depends on beyond the store (actors/batch_decider.hpp).
  auto seen = [&](MatchDecision d) {
    d.holders_seen = std::move(holders_seen);
    return d;
  };
  json kept = json::array();
  for (std::size_t i = 0; i < all.size() && i < settings_.candidates_kept; ++i)
    kept.push_back(scoring.to_json(all[i]));
  // A candidate's description, from its JSON: the one kept, or made for it (the
  // holders are known by now).
  auto describe_i = [&](std::size_t i) { return describe(i < kept.size() ? kept[i] : scoring.to_json(all[i])); };
  // The message is made before the kept candidates move into the decision.
  auto not_matched = [&](std::string_view reason, std::string message) {
    return seen(unmatched(reason, std::move(message), std::move(kept)));
  };

  // The good candidates are held by stronger records: say so, rather than "weak"
  // for what is left.
  if (!taken.empty() && (open.empty() || all[open[0]].confidence < settings_.min_confidence)) {
    auto& best = all[taken[0]];
    return not_matched(matching::kTaken,
                       fmt::format("every candidate is held by a stronger record of {}: {} holds {} ({})", r.source,
                                   best.holder->source_id, describe_i(taken[0]), best.holder->method));
  }
  auto& best = all[open[0]];
  double top = best.confidence;
  double top_w = best.weight;
  if (top < settings_.min_confidence)
    return not_matched(matching::kWeak,
                       fmt::format("best candidate {} is below {:.2f}: {}{}", describe_i(open[0]),
                                   settings_.min_confidence, scoring.explain(best).why,
                                   open.size() > 1 ? "; runner-up " + describe_i(open[1]) : std::string()));
  if (open.size() > 1 && top_w - all[open[1]].weight < settings_.min_margin_bits - 1e-9)
    return not_matched(matching::kAmbiguous,
                       fmt::format("{} and {} are too close to call ({:.2f} bits apart, {:.2f} needed)",
                                   describe_i(open[0]), describe_i(open[1]), top_w - all[open[1]].weight,
                                   settings_.min_margin_bits));
  MatchDecision d;
  d.matched = true;
  d.movie_id = best.movie_id;
  d.method = std::string(matching::kTitleYear);
  d.confidence = top;
  d.weight = top_w;
  if (best.holder) {
    d.displaces = best.holder->source_id;
    d.displaced_weight = best.holder->weight;
  }
  // The chosen candidate first, then the others as scored (moved, not copied).
  json ordered = json::array();
  auto& list = ordered.get_ref<json::array_t&>();
  list.reserve(std::min(kept.size() + 1, settings_.candidates_kept));
  list.push_back(open[0] < kept.size() ? std::move(kept[open[0]]) : scoring.to_json(all[open[0]]));
  for (std::size_t i = 0; i < kept.size() && list.size() < settings_.candidates_kept; ++i)
    if (i != open[0]) list.push_back(std::move(kept[i]));
  d.candidates = std::move(ordered);
  return seen(std::move(d));
}

}  // namespace moviec::actors
