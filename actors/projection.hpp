#pragma once
// The projection actor: tails the log into the read models. Told of each commit,
// it catches up from its checkpoint (stored in the same WriteBatch as the read-model
// writes, so every event is applied exactly once, across crashes too).

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <vector>

#include "actors/actors.hpp"
#include "store/event_log.hpp"
#include "store/read_models.hpp"

namespace moviec::actors {

struct projection_state {
  store::EventLog* log = nullptr;
  store::Projector* projector = nullptr;
  std::multimap<std::uint64_t, caf::typed_response_promise<std::uint64_t>> waiters;
  std::uint64_t announced = 0;  /// the last sequence a journal commit message named
  /// The highest log sequence a waiter saw unannounced, checked after kAnnounceGrace.
  std::uint64_t recheck_scheduled = 0;
  static constexpr std::chrono::milliseconds kAnnounceGrace{250};
  /// Why the last apply failed (logged once until one succeeds); ok while none has.
  Status failure;
  bool failing() const { return !failure.is_ok(); }
  /// While failing, the log is read again at most once per kRetryInterval: a
  /// read-only store fails every apply, and each retry decodes the whole backlog.
  std::chrono::steady_clock::time_point retry_after{};
  static constexpr std::chrono::seconds kRetryInterval{1};

  /// Journal commits held to be applied as one batch: the commits queued together
  /// (a first IMDb run committed about 240 events at a time), up to kMaxHeldEvents.
  std::vector<std::shared_ptr<const std::vector<events::Event>>> held;
  std::size_t held_events = 0;
  bool flush_scheduled = false;
  static constexpr std::size_t kMaxHeldEvents = 4096;
  /// The last sequence applied or held.
  std::uint64_t held_through() const {
    return held.empty() ? projector->checkpoint() : held.back()->back().sequence;
  }

  static inline const char* name = "projection";
};

projection_actor::behavior_type projection(projection_actor::stateful_pointer<projection_state> self,
                                           store::EventLog* log, store::Projector* projector);

}  // namespace moviec::actors
