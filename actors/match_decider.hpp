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
//   6. title + year within matching.year_window, scored
//      (events/match_score.hpp): a clear winner only              title_year
//   7. otherwise unmatched, with the reason and the candidates
//
// Assignment (6): within one source a movie holds at most one record of that
// source (unless matching.several_per_movie names the source). A candidate held
// by another record of the source is taken when this record's match weight for it
// is higher than the holder's (strictly; a tie keeps the holder) and the holder
// was placed by title + year; the decision then names the holder it displaces,
// which the matcher takes out and decides again. A holder placed by a person
// (manual) or by an id is never displaced: its movie is not a candidate.

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "common/status.hpp"
#include "config/config.hpp"
#include "events/match_score.hpp"
#include "events/source_record.hpp"
#include "store/match_models.hpp"
#include "store/read_models.hpp"

namespace moviec::actors {

struct MatchSettings {
  double min_confidence = 0.8;      // a title_year winner scores at least this
  double min_margin_bits = 2.0;     // ... and this many bits of match weight more than the runner-up
  std::size_t max_candidates = 50;  // movies scored per record at most
  std::size_t candidates_kept = 5;  // candidates recorded on the event
  events::MatchWeights weights;     // weights.year_window: matching.year_window
  std::set<std::string> several_per_movie;  // sources whose records may share a movie
  bool one_per_movie(const std::string& source) const { return several_per_movie.count(source) == 0; }
};

/// The settings of `config.matching`.
MatchSettings match_settings(const config::MatchingConfig& config);

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
  std::optional<double> weight;       // title_year: the match weight in bits
  std::string displaces;              // title_year: the source id of the holder it takes the movie from
  std::optional<double> displaced_weight;  // ... and that holder's weight
  // -- both ------------------------------------------------------------------------
  nlohmann::json candidates = nlohmann::json::array();  // scored, best first (title_year)
  std::vector<std::string> holders_seen;  // movies whose holder of this source the decision looked at
};

/// Records placed in movies that the read models may not show yet, by the key
/// "movie_id\0source".
using PendingHolders = std::unordered_map<std::string, store::MatchHolder>;

class MatchDecider {
 public:
  MatchDecider(store::Db& db, MatchSettings settings)
      : matches_(db), movies_(db), settings_(settings) {}

  /// Decides for `record`. `known_movie` is a decision the caller made for this
  /// record that the read models may not show yet (it stands in for step 4).
  /// `again`: the record was displaced from `known_movie` and is decided anew
  /// (step 4 is skipped, it does not stay; a crosswalk to `known_movie` does not
  /// count: it taught it itself there).
  StatusOr<MatchDecision> decide(const events::SourceRecord& record,
                                 const std::string& known_movie = "", bool again = false);

  /// Step 6 alone: the scored candidates of `record`, best first (all of them).
  StatusOr<nlohmann::json> score_candidates(const events::SourceRecord& record);

  /// Records routed into movies that the read models may not show yet; they
  /// hold their movies for assignment as the holder keys do. The map must outlive
  /// the decider; nullptr = none.
  void set_pending_holders(const PendingHolders* holders) { pending_holders_ = holders; }

  const MatchSettings& settings() const { return settings_; }
  store::MatchModels& matches() { return matches_; }

 private:
  StatusOr<MatchDecision> by_title_year(const events::SourceRecord& record);
  /// True once the matching family's blocking keys are complete (MatchModels::has_facts_blocking).
  StatusOr<bool> facts_blocking();
  StatusOr<std::optional<store::MatchHolder>> holder_of(const std::string& movie, const events::SourceRecord& r);

  store::MatchModels matches_;
  store::ReadModels movies_;
  MatchSettings settings_;
  const PendingHolders* pending_holders_ = nullptr;
  bool facts_blocking_ = false;
  store::BigWindows big_windows_;  // blocking windows this decider found too big to read whole
};

/// True for a usable movie id: not empty, no ':' (source streams use it), no NUL.
bool is_valid_movie_id(const std::string& id);

}  // namespace moviec::actors
