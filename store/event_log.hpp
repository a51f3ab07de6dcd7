#pragma once
// The append-only event log: a global gap-free sequence plus one stream per movie.
//
// Invariants, all kept by append():
//  - sequences are 1, 2, 3, ... with no gap; stream versions likewise per stream;
//  - a request commits whole or not at all, in one WriteBatch with its stream index,
//    stream head, event ids, side writes and the new last sequence;
//  - a request whose expected version is not the stream's head fails with `conflict`
//    and writes nothing: there is never a silent overwrite;
//  - a request whose first event id is already stored is a duplicate: it writes
//    nothing and reports where the original landed (idempotent retry).
// Appends come from one writer (the journal actor); reads are safe from any thread.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/status.hpp"
#include "events/event.hpp"
#include "store/db.hpp"

namespace moviec::store {

/// A write that must commit atomically with a request's events (a source
/// fingerprint, a snapshot).
struct SideWrite {
  ColumnFamily family;
  std::string key;
  std::string value;
};

struct AppendRequest {
  std::string stream;
  std::uint64_t expected_version = 0;   // the stream head the writer folded up to
  std::vector<events::Event> events;    // sequence, stream and version are set at commit
  std::vector<SideWrite> side_writes;
  /// Events after the first whose cause is the event just before them in this
  /// request get it resolved here (events::resolve_causation).
  bool chain_causation = true;
};

struct AppendResult {
  std::uint64_t first_sequence = 0;
  std::uint64_t last_sequence = 0;
  std::uint64_t version = 0;  // the stream head after the append
  bool duplicate = false;     // nothing written: the same event id was appended before
};

/// Gives a request's events their place: sequences from first_sequence, versions
/// from first_version, the request's stream, and (chain_causation) the cause of each
/// event after the first. The log does this at commit; a writer that gets back an
/// AppendResult calls it on its own copy to see exactly what was stored.
void place_events(AppendRequest& request, std::uint64_t first_sequence,
                  std::uint64_t first_version);

class EventLog {
 public:
  /// Reads the last sequence; the Db must outlive the log.
  explicit EventLog(Db& db);
  EventLog(const EventLog&) = delete;
  EventLog& operator=(const EventLog&) = delete;

  /// Group commit: all requests in one WriteBatch. Results are per request, in order;
  /// a failed request (conflict) does not stop the others. A failed write fails all.
  std::vector<StatusOr<AppendResult>> append(std::vector<AppendRequest>& requests, bool sync);
  StatusOr<AppendResult> append(AppendRequest request, bool sync);

  std::uint64_t last_sequence() const { return last_sequence_.load(); }

  /// Blocks until last_sequence() > `after` or `timeout` has passed, and returns
  /// last_sequence(). Woken by every append that stores something (a catch-up
  /// subscriber's long poll: GET /events?wait=). Thread-safe.
  std::uint64_t wait_for_append(std::uint64_t after, std::chrono::milliseconds timeout) const;

  /// The stream's head version; 0 for a stream with no events.
  StatusOr<std::uint64_t> stream_version(const std::string& stream);

  /// Visits the stream's events with version >= from_version, oldest first, until
  /// `visit` returns false.
  Status read_stream(const std::string& stream, std::uint64_t from_version,
                     const std::function<bool(const events::Event&)>& visit);

  /// Visits the global log from after_sequence + 1 on, until `visit` returns false.
  /// Each event is decoded for the visit alone: `visit` may move it away.
  Status read_from(std::uint64_t after_sequence,
                   const std::function<bool(events::Event&)>& visit);

  StatusOr<events::Event> read(std::uint64_t sequence);

  /// The event at `version` of `stream`; not_found when the stream is shorter.
  StatusOr<events::Event> read_version(const std::string& stream, std::uint64_t version);

  /// The newest snapshot of a stream with version <= max_version.
  StatusOr<std::optional<std::pair<std::uint64_t, std::string>>> latest_snapshot(
      const std::string& stream, std::uint64_t max_version = UINT64_MAX);

  /// Deletes all but the newest `keep` snapshots of a stream.
  Status prune_snapshots(const std::string& stream, std::size_t keep);

  /// Stores a snapshot of `stream` at `version`, keeping the newest `keep`.
  /// Snapshots are an optimization: losing one costs a longer recovery, never data.
  Status write_snapshot(const std::string& stream, std::uint64_t version,
                        const std::string& bytes, std::size_t keep);

 private:
  Db& db_;
  ReusedWriteBatch append_batch_;  // append()'s: the log has one writer (the journal)
  std::atomic<std::uint64_t> last_sequence_{0};
  mutable std::mutex append_mu_;                 // pairs with appended_ for waiters
  mutable std::condition_variable appended_;     // notified after each stored append
};

}  // namespace moviec::store
