#pragma once
// The matcher's decision, apart from its actor so that it can be tested without
// one: which movie a source record belongs to, how that was decided, or why it
// belongs to none. It only reads (the matching and movie read models); the
// matcher actor turns its answer into events.
//
// Order, first that applies wins (events/matching.hpp names the methods):
//   1. a person's standing decision (POST /links): that movie, or "no match"
//   2. the record carries the movie id as its own id (IMDb)      source_movie_id
//   3. it carries an IMDb id from a crosswalk of its source
//      (external_ids.imdb = tt..., MovieLens links.csv)          external_id
//   4. it was matched before: the movie it is in                  (the earlier method)
//   5. an id it carries, or its own (source, source_id), was
//      tied to a movie by another record                          crosswalk
//   6. normalized title + year within one, scored
//      (events/match_score.hpp): a clear winner only              title_year
//   7. otherwise unmatched, with the reason and the candidates

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "common/status.hpp"
#include "events/source_record.hpp"
#include "store/match_models.hpp"
#include "store/read_models.hpp"

namespace moviec::actors {

struct MatchSettings {
  double min_confidence = 0.8;   // a title_year winner scores at least this
  double min_margin = 0.1;       // ... and this much more than the runner-up
  std::size_t max_candidates = 50;  // movies scored per record at most
  std::size_t candidates_kept = 5;  // candidates recorded on the event
};

struct MatchDecision {
  bool matched = false;
  // -- matched ---------------------------------------------------------------------
  std::string movie_id;
  std::string method;
  std::optional<double> confidence;   // title_year
  std::uint64_t basis = 0;            // the earlier event this follows (4, and 1's link event)
  std::string current_movie;          // the movie the record is in now, when it must move
  // -- unmatched -------------------------------------------------------------------
  std::string reason;
  std::string message;
  // -- both ------------------------------------------------------------------------
  nlohmann::json candidates = nlohmann::json::array();  // scored, best first (title_year)
};

class MatchDecider {
 public:
  MatchDecider(store::Db& db, MatchSettings settings)
      : matches_(db), movies_(db), settings_(settings) {}

  /// Decides for `record`. `known_movie` is a decision the caller made for this
  /// record that the read models may not show yet (it stands in for step 4).
  StatusOr<MatchDecision> decide(const events::SourceRecord& record,
                                 const std::string& known_movie = "");

  /// Step 6 alone: the scored candidates of `record`, best first (all of them).
  StatusOr<nlohmann::json> score_candidates(const events::SourceRecord& record);

  /// Records routed into movies that the read models may not show yet:
  /// "movie_id\0source" -> source_id. They count as holders for the same-source
  /// doubt (two records of one source in one run must not both land in a movie).
  /// The map must outlive the decider; nullptr = none.
  void set_pending_holders(const std::unordered_map<std::string, std::string>* holders) {
    pending_holders_ = holders;
  }

  const MatchSettings& settings() const { return settings_; }
  store::MatchModels& matches() { return matches_; }

 private:
  StatusOr<MatchDecision> by_title_year(const events::SourceRecord& record);

  store::MatchModels matches_;
  store::ReadModels movies_;
  MatchSettings settings_;
  const std::unordered_map<std::string, std::string>* pending_holders_ = nullptr;
};

/// True for a usable movie id: not empty, no ':' (source streams use it), no NUL.
bool is_valid_movie_id(const std::string& id);

}  // namespace moviec::actors
