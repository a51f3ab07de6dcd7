#pragma once
// The journal actor: the one writer of the event log. Appends from many movie
// actors that arrive together are committed together in one WriteBatch (group
// commit): a request joins the pending batch, and the batch is written when the
// journal's mailbox has drained past it or the batch is full. A reply means the
// events are stored (fsynced when sync_writes), so acknowledged events survive kill -9.

#include <cstdint>
#include <string>
#include <tuple>
#include <vector>

#include "actors/actors.hpp"
#include "store/event_log.hpp"

namespace moviec::actors {

struct journal_state {
  // -- configuration --------------------------------------------------------------
  store::EventLog* log = nullptr;    /// the log; outlives the actor system
  projection_actor projection;       /// told the new last sequence after each commit
  bool sync = true;                  /// fsync each commit
  std::size_t max_batch = 1024;      /// requests per commit at most
  std::size_t snapshots_kept = 3;    /// snapshots retained per movie

  // -- the pending commit -----------------------------------------------------------
  std::vector<store::AppendRequest> pending;
  std::vector<caf::typed_response_promise<store::AppendResult>> promises;
  std::vector<std::tuple<std::string, std::uint64_t, std::string>> snapshots;
  bool flush_scheduled = false;

  static inline const char* name = "journal";
};

/// The journal's own interface: its public protocol plus the flush it sends itself.
using journal_impl = journal_actor::extend<caf::reacts_to<flush_atom>>;

journal_impl::behavior_type journal(journal_impl::stateful_pointer<journal_state> self,
                                    store::EventLog* log, projection_actor projection,
                                    bool sync, std::size_t max_batch, std::size_t snapshots_kept);

}  // namespace moviec::actors
