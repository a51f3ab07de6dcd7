#include "actors/match_decider.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "events/match_score.hpp"
#include "events/matching.hpp"

namespace moviec::actors {

using nlohmann::json;
namespace matching = events::matching;

namespace {

constexpr double kSameSourcePenalty = 0.25;

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

/// Another record of the same source already in this movie: two records of one
/// source are rarely one film, so the candidate is doubted.
std::string same_source_holder(const json& doc, const events::SourceRecord& r) {
  for (auto& ref : doc.value("sources", json::array()))
    if (ref.value("source", "") == r.source && ref.value("source_id", "") != r.source_id)
      return ref.value("source_id", "");
  return "";
}

std::string describe(const json& c) {
  return fmt::format("{} ({}, {}) {:.3f}", c.value("movie_id", ""), c.value("title", ""),
                     c.contains("year") ? c["year"].dump() : "no year", c.value("confidence", 0.0));
}

}  // namespace

bool is_valid_movie_id(const std::string& id) {
  return !id.empty() && id.find(':') == std::string::npos && id.find('\0') == std::string::npos;
}

StatusOr<MatchDecision> MatchDecider::decide(const events::SourceRecord& r,
                                             const std::string& known_movie) {
  // Where the record is now, if anywhere.
  std::string current;
  std::string current_method;
  std::optional<double> current_confidence;
  std::uint64_t decided = 0;
  auto state = matches_.state(r.source, r.source_id);
  if (!state) return state.status();
  if (*state && (**state).value("state", "") == "matched") {
    current = (**state).value("movie_id", "");
    current_method = (**state).value("method", "");
    if ((**state).contains("confidence")) current_confidence = (**state)["confidence"].get<double>();
    decided = (**state).value("decided", std::uint64_t{0});
  }
  if (!known_movie.empty() && known_movie != current) {
    current = known_movie;  // decided in this process, not projected yet
    decided = 0;
  }

  auto matched = [&](const std::string& movie, std::string_view method) {
    MatchDecision d;
    d.matched = true;
    d.movie_id = movie;
    d.method = std::string(method);
    if (!current.empty() && current != movie) d.current_movie = current;
    return d;
  };

  // 1. A person's word stands above everything else.
  auto person = matches_.decision(r.source, r.source_id);
  if (!person) return person.status();
  if (*person) {
    auto movie = (**person).value("movie_id", "");
    auto seq = (**person).value("sequence", std::uint64_t{0});
    if (!movie.empty()) {
      auto d = matched(movie, matching::kManual);
      d.basis = seq;
      return d;
    }
    auto d = unmatched(matching::kNoMatch, "a person said no match: " + (**person).value("by", "") +
                                               ": " + (**person).value("why", ""));
    d.basis = seq;
    d.current_movie = current;
    return d;
  }

  // 2, 3. Ids the record carries.
  auto imdb = r.external_ids.find("imdb");
  bool has_imdb = imdb != r.external_ids.end() && is_imdb_id(imdb->second);
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
  if (!current.empty()) {
    auto d = matched(current, current_method.empty() ? matching::kCrosswalk : current_method);
    d.confidence = current_confidence;
    d.basis = decided;
    return d;
  }

  // 5. Crosswalks other records taught.
  std::map<std::string, std::string> walked;  // movie -> "kind=value"
  auto walk = [&](const std::string& kind, const std::string& value) -> Status {
    auto movie = matches_.crosswalk(kind, value);
    if (!movie) return movie.status();
    if (*movie && !(*movie)->empty()) walked.emplace(**movie, kind + "=" + value);
    return Status::ok();
  };
  if (auto st = walk(r.source, r.source_id); !st) return st;
  for (auto& [kind, value] : r.external_ids)
    if (kind != "imdb")
      if (auto st = walk(kind, value); !st) return st;
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

StatusOr<json> MatchDecider::score_candidates(const events::SourceRecord& r) {
  json out = json::array();
  if (!r.year) return out;
  auto facts = events::facts_of(r);
  std::vector<std::string> ids;
  std::set<std::string> seen;
  for (auto& k : facts.titles) {
    auto block = matches_.block(k.key, *r.year, settings_.max_candidates);
    if (!block) return block.status();
    for (auto& id : *block)
      if (ids.size() < settings_.max_candidates && seen.insert(id).second) ids.push_back(id);
  }
  std::vector<json> scored;
  for (auto& id : ids) {
    auto doc = movies_.movie(id);
    if (!doc) {
      if (doc.status().code() == Status::Code::not_found) continue;  // index ahead of its doc
      return doc.status();
    }
    auto s = events::score_match(facts, events::facts_of_movie(*doc));
    if (s.confidence <= 0) continue;
    auto other = same_source_holder(*doc, r);
    if (other.empty() && pending_holders_) {
      auto it = pending_holders_->find(id + '\0' + r.source);
      if (it != pending_holders_->end() && it->second != r.source_id) other = it->second;
    }
    if (!other.empty()) {
      s.confidence = std::max(0.0, s.confidence - kSameSourcePenalty);
      s.why += ", already holds " + r.source + " record " + other;
    }
    json c{{"movie_id", id}, {"title", doc->value("title", "")}, {"confidence", s.confidence}, {"why", s.why}};
    if (doc->contains("year")) c["year"] = (*doc)["year"];
    scored.push_back(std::move(c));
  }
  std::stable_sort(scored.begin(), scored.end(), [](const json& a, const json& b) {
    auto ca = a["confidence"].get<double>(), cb = b["confidence"].get<double>();
    if (ca != cb) return ca > cb;
    return a["movie_id"].get<std::string>() < b["movie_id"].get<std::string>();
  });
  for (auto& c : scored) out.push_back(std::move(c));
  return out;
}

StatusOr<MatchDecision> MatchDecider::by_title_year(const events::SourceRecord& r) {
  if (r.title.empty() && r.names.empty())
    return unmatched(matching::kNoTitle, "the record has no title and no movie id");
  if (!r.year)
    return unmatched(matching::kNoYear, "no year: a title alone is never enough (\"" + r.title + "\")");
  auto all = score_candidates(r);
  if (!all) return all.status();
  json kept = json::array();
  for (std::size_t i = 0; i < all->size() && i < settings_.candidates_kept; ++i) kept.push_back((*all)[i]);
  if (all->empty())
    return unmatched(matching::kNoCandidates,
                     fmt::format("no movie titled \"{}\" from {} to {}", r.title, *r.year - 1, *r.year + 1));

  const json& best = (*all)[0];
  double top = best["confidence"].get<double>();
  double second = all->size() > 1 ? (*all)[1]["confidence"].get<double>() : 0.0;
  if (top < settings_.min_confidence)
    return unmatched(matching::kWeak,
                     fmt::format("best candidate {} is below {:.2f}: {}", describe(best),
                                 settings_.min_confidence, best.value("why", "")),
                     kept);
  // (An epsilon, so that 1.0 against 0.9 is the margin of 0.1 it looks like.)
  if (top - second < settings_.min_margin - 1e-9)
    return unmatched(matching::kAmbiguous,
                     fmt::format("{} and {} are too close to call (margin {:.2f} needed)",
                                 describe(best), describe((*all)[1]), settings_.min_margin),
                     kept);
  MatchDecision d;
  d.matched = true;
  d.movie_id = best["movie_id"].get<std::string>();
  d.method = std::string(matching::kTitleYear);
  d.confidence = top;
  d.candidates = std::move(kept);
  return d;
}

}  // namespace moviec::actors
