#pragma once
// Rebuilding one movie's state from the log: its newest snapshot at or before the
// wanted point, plus the events of its stream after the snapshot up to that point.
// The movie actor recovers this way when it starts; the HTTP read side answers
// "as of" queries (GET /movies/{id}?as_of=) the same way. Reads only; thread-safe.

#include <cstdint>
#include <functional>
#include <string>

#include "common/status.hpp"
#include "events/movie_state.hpp"
#include "store/event_log.hpp"

namespace moviec::store {

struct MovieRecovery {
  events::MovieState state;            // version 0 (nothing applied) for an empty stream
  std::uint64_t snapshot_version = 0;  // the snapshot it started from; 0 = none, from event 1
  std::uint64_t events_folded = 0;     // events read and applied after the snapshot
};

/// The movie after every event of its stream up to `max_version` (all by default).
StatusOr<MovieRecovery> recover_movie(EventLog& log, const std::string& movie_id,
                                      std::uint64_t max_version = UINT64_MAX);

/// True for the events of a stream that belong to the wanted past: `sequence <= N`,
/// `time_ms <= T`. Must hold for a prefix of the stream and fail for the rest.
using EventPredicate = std::function<bool(const events::Event&)>;

/// The newest version of `movie_id`'s stream whose event satisfies `in_past`, found by
/// binary search (O(log n) event reads); 0 when not even the first event does.
StatusOr<std::uint64_t> last_version_where(EventLog& log, const std::string& movie_id,
                                           const EventPredicate& in_past);

/// The movie as it was after the last event satisfying `in_past`
/// (last_version_where, then recover_movie up to that version).
StatusOr<MovieRecovery> recover_movie_until(EventLog& log, const std::string& movie_id,
                                            const EventPredicate& in_past);

}  // namespace moviec::store
