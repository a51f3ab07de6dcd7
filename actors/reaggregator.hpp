#pragma once
// The reaggregator: `moviec reaggregate`. After the field rules changed, it walks
// every stream of the log (the stream_heads column family, in key order) and asks
// each movie actor, through the registry, to decide its golden record again under
// the rules it was configured with. At most max_in_flight movies are asked at once,
// so memory stays bounded however many movies there are. The movie actors do the
// appending: each stream keeps its one writer. Runs detached (it reads RocksDB).

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <string>

#include "actors/actors.hpp"
#include "store/db.hpp"

namespace moviec::actors {

/// Live counters for a progress display; written by the reaggregator.
struct ReaggregateProgress {
  std::atomic<std::uint64_t> done{0};
};

struct ReaggregatorOptions {
  std::string causation;        // names the rule change on every event appended
  std::string correlation;      // this run
  std::size_t max_in_flight = 512;
  std::chrono::seconds movie_timeout{300};
  ReaggregateProgress* progress = nullptr;
};

struct reaggregator_state {
  store::Db* db = nullptr;
  registry_actor registry;
  ReaggregatorOptions options;
  std::deque<std::string> next_ids;  // read from stream_heads, not yet sent
  std::string last_read;             // the last stream id read; the next page starts after it
  bool all_read = false;
  std::size_t in_flight = 0;
  ReaggregateSummary summary;
  caf::typed_response_promise<ReaggregateSummary> done;
  bool running = false;
  static inline const char* name = "reaggregator";
};

reaggregator_actor::behavior_type reaggregator(
    reaggregator_actor::stateful_pointer<reaggregator_state> self, store::Db* db,
    registry_actor registry, ReaggregatorOptions options);

}  // namespace moviec::actors
