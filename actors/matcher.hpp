#pragma once
// The matcher actor: between the sources and the registry, it decides which movie
// each record belongs to (actors/match_decider.hpp) and records the decision as
// events, so that every decision is in the log:
//
//  - matched:   the item goes on to its movie actor, which appends the
//               SourceRecordChanged carrying match_method (+ confidence and
//               candidates for title_year, match_basis when it follows an earlier
//               decision). A record that must move (a person relinked it, or it
//               now carries another movie's id) is first removed from its old movie.
//  - unmatched: SourceRecordUnmatched in the source's stream "source:NAME", with
//               the record's fingerprint in the same batch. The matcher is the only
//               writer of source streams; it tracks their heads itself.
//  - link:      SourceRecordLinked (who, why) in the source stream, then the record
//               (when moviec has it) flows into the linked movie with method
//               "manual", or out of its movie for "no match".
//  - displace:  a title_year record that takes a movie from a weaker record of its
//               source (actors/match_decider.hpp, assignment): the weaker one is
//               removed from the movie (SourceRecordRemoved, caused by "displaced
//               by SOURCE ID: W bits > V bits"), then decided again, and lands in
//               another movie or in the unmatched log; a chain of displacements
//               is followed to at most kMaxDisplacements records.
//  - resolve:   a pass that first applies every person's decision its record does
//               not show yet (a stop between the link event and its application),
//               then sends every unmatched record now matchable (a new movie, a new
//               crosswalk) into its movie; a person's "no match" stays. Runtime runs
//               one after every ingest.
//
// Decisions read the read models, which trail the log by a little; decisions this
// process made and the projection has not shown yet are remembered in memory
// (bounded), so a record seen twice in quick succession goes to the same movie.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "actors/actors.hpp"
#include "actors/batch_decider.hpp"
#include "actors/match_decider.hpp"
#include "store/db.hpp"
#include "store/event_log.hpp"

namespace moviec::actors {

struct MatcherDeps {
  store::Db* db = nullptr;           // read models; outlives the actor system
  store::EventLog* log = nullptr;    // source stream heads and recorded events
  journal_actor journal;             // appends to source streams
  registry_actor registry;           // movie actors
  MatchSettings settings;
  std::chrono::seconds timeout{300};  // per request to the journal or a movie
  std::size_t resolve_in_flight = 256;
  std::size_t recent_kept = 200000;   // in-memory decisions remembered at most
  std::size_t decide_helpers = BatchDecider::default_helpers();  // threads deciding a batch beside the matcher's
};

struct matcher_state {
  MatcherDeps deps;
  std::unique_ptr<MatchDecider> decider;
  std::unique_ptr<BatchDecider> batch_decider;  // a batch's decisions on every core
  MatcherChanges changes;  // what the matcher changed since the current batch was decided
  std::unordered_map<std::string, std::uint64_t> heads;    // source stream -> its head, as appended
  std::unordered_map<std::string, std::string> recent;     // "source\0id" -> movie routed to
  PendingHolders holders;                                  // "movie\0source" -> the record routed there
  // Records placed by title + year that the read models may not show yet, so that a
  // displaced one can be decided again: "source\0id" -> (record, fingerprint).
  std::unordered_map<std::string, std::pair<events::SourceRecord, std::string>> placed;
  // Records on their way into a movie ("source\0id"), and what waits for their
  // arrival: a displacement must not overtake the record it takes out.
  std::unordered_map<std::string, std::vector<std::function<void()>>> arriving;

  // -- the resolve pass in progress -----------------------------------------------
  bool resolving = false;
  int resolve_phase = 0;             // 0: people's decisions, 1: unmatched records
  std::string resolve_cursor;        // the last unmatched key looked at
  bool resolve_exhausted = false;
  std::size_t resolve_in_flight = 0;
  ResolveSummary resolve_summary;
  std::string resolve_correlation;
  std::vector<caf::typed_response_promise<ResolveSummary>> resolve_waiters;       // answered by this pass
  std::vector<caf::typed_response_promise<ResolveSummary>> resolve_next_waiters;  // asked during it: another pass

  static inline const char* name = "matcher";
};

matcher_actor::behavior_type matcher(matcher_actor::stateful_pointer<matcher_state> self,
                                     MatcherDeps deps);

}  // namespace moviec::actors
