#pragma once
// The movie actor: the one writer of one movie's stream. It recovers from the
// latest snapshot plus the events after it, handles one record at a time (the
// journal round trip is awaited, so a movie's updates are strictly serialized),
// and mutates its state only by folding events the journal has committed.

#include <chrono>
#include <cstdint>
#include <string>

#include "actors/actors.hpp"
#include "events/field_rules.hpp"
#include "events/movie_state.hpp"
#include "store/event_log.hpp"

namespace moviec::actors {

struct MovieDeps {
  store::EventLog* log = nullptr;             // for recovery reads
  journal_actor journal;                      // for appends
  const events::FieldRules* rules = nullptr;  // outlives the actor system
  std::size_t snapshot_every = 50;
  std::chrono::seconds append_timeout{60};
};

struct movie_state {
  MovieDeps deps;
  events::MovieState movie;
  std::uint64_t snapshot_version = 0;  // version of the newest stored snapshot
  static inline const char* name = "movie";
};

movie_actor::behavior_type movie(movie_actor::stateful_pointer<movie_state> self,
                                 std::string movie_id, MovieDeps deps);

/// Rebuilds a movie's state from its newest snapshot and the events after it,
/// up to `max_version` (the whole stream by default); store::recover_movie, which
/// the read side also uses for "as of" queries, says how many events it folded.
StatusOr<events::MovieState> recover_movie(store::EventLog& log, const std::string& movie_id,
                                           std::uint64_t max_version = UINT64_MAX,
                                           std::uint64_t* snapshot_version = nullptr);

}  // namespace moviec::actors
