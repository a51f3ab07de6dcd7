#pragma once
// The poller actor: `moviec serve` runs one per source of format http_changes.
// Each poll lists the ids changed since the stored cursor
// (sources/changes_feed.hpp), fetches and ingests each changed record as a run
// of the source (way "poll"), and stores the next cursor only once that run has
// answered with no failure, i.e. after its events are committed. A failed poll
// leaves the cursor where it was and is tried again after a backoff that doubles
// per consecutive failure (backoff_ms .. max_backoff_ms); a good one waits
// interval_ms. Blocking HTTP happens on the poller's own thread (detached) and in
// the source actor's.

#include <atomic>
#include <memory>

#include "actors/actors.hpp"
#include "actors/source.hpp"
#include "config/config.hpp"
#include "config/poll_options.hpp"

namespace moviec::actors {

struct poller_state {
  SourceDeps deps;
  config::SourceConfig source;
  config::PollOptions options;
  bool busy = false;       // a poll is running
  int failures = 0;        // consecutive failed polls
  std::uint64_t polls = 0;
  static inline const char* name = "poller";
};

/// Fails (the actor quits at once) when the source's options do not parse.
poller_actor::behavior_type poller(poller_actor::stateful_pointer<poller_state> self, SourceDeps deps,
                                   config::SourceConfig source);

}  // namespace moviec::actors
