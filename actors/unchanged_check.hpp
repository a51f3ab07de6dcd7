#pragma once
// Which records of a batch are unchanged: each record's fingerprint (computed here
// when the source left it empty) against the one stored for its (source, source id),
// all of a batch's keys read in one Db::scan_get.
//
// UnchangedCheck runs that on a worker thread of its own, one batch at a time, so a
// source reads its next batch while the last one is checked: an unchanged re-ingest
// is about half reading and half fingerprinting and looking up (perf, 300k IMDb rows),
// two stages for two cores. The source takes the results in the order it started the
// batches, so what it counts and sends on is the same as checking in place.

#include <atomic>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "actors/actors.hpp"
#include "store/db.hpp"

namespace moviec::actors {

/// Fills in the missing fingerprints of `items`, moves the items whose stored
/// fingerprint differs (new, changed, or unreadable) to the end of `changed` in order,
/// drops the unchanged ones, and answers how many those were. `items` is left empty,
/// its capacity kept for the next batch.
std::size_t drop_unchanged(store::Db& db, IngestBatch& items, IngestBatch& changed);

class UnchangedCheck {
 public:
  struct Result {
    IngestBatch changed;        // as drop_unchanged()
    std::size_t unchanged = 0;
    IngestBatch spare;          // the batch's own vector, empty: fill it with the next one
  };

  explicit UnchangedCheck(store::Db& db);
  ~UnchangedCheck();  // waits for the batch being checked, then stops the worker
  UnchangedCheck(const UnchangedCheck&) = delete;
  UnchangedCheck& operator=(const UnchangedCheck&) = delete;

  /// Starts checking `items`. Only when nothing is pending (collect() first).
  void start(IngestBatch items);
  /// Started and not yet collected.
  bool pending() const { return pending_; }
  /// The worker is still at it (so the caller may do some of the next batch's work).
  bool busy() const;
  /// Waits for the started batch. A fingerprint that threw on the worker throws here.
  Result collect();

 private:
  void work();

  store::Db& db_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool pending_ = false;  // the caller's view: started, not collected
  bool has_job_ = false;  // guarded by mu_: a batch waits for the worker or is on it
  std::atomic<bool> done_{false};  // set under mu_: the worker finished the batch
  bool stop_ = false;     // guarded by mu_
  Result job_;
  std::exception_ptr error_;
  std::thread worker_;
};

}  // namespace moviec::actors
