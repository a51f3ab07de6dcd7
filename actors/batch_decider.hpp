#pragma once
// A batch's match decisions on every core. A title + year decision is reads and
// arithmetic (about 36 µs of CPU with 1 M movies in the store, bench/match_bench.py),
// and the matcher is one actor: one core. BatchDecider decides a batch's records on
// the caller's thread and on helper threads at once, each taking the next record not
// yet taken, each with a MatchDecider of its own. Their reads go to RocksDB, safe
// from several threads; the pending holders (in-process assignments) are only read
// while they run, as the matcher's thread is busy deciding too.
//
// The decisions are those of the batch's start: a record's decision does not see
// what an earlier record of the same batch changed in the matcher (a holder it
// placed or took out, the record's own recent movie). The matcher applies them in
// order and decides again, on its own thread, a record whose decision looked at
// anything an earlier one changed (MatchDecision::holders_seen, stale()); so the
// outcome is the one deciding record by record would give.

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

#include "actors/match_decider.hpp"
#include "store/db.hpp"

namespace moviec::actors {

struct DecideItem {
  const events::SourceRecord* record = nullptr;
  std::string known_movie;  // as MatchDecider::decide's
};

class BatchDecider {
 public:
  /// `helpers`: threads beside the caller's while a batch is decided (0: the
  /// caller's alone). `holders` as MatchDecider::set_pending_holders.
  BatchDecider(store::Db& db, const MatchSettings& settings, const PendingHolders* holders,
               std::size_t helpers = default_helpers());
  ~BatchDecider();  // stops the helpers
  BatchDecider(const BatchDecider&) = delete;
  BatchDecider& operator=(const BatchDecider&) = delete;

  /// One decision per item, in order. A batch smaller than kParallelFrom is decided
  /// on the caller's thread. An exception a decision throws is thrown here.
  std::vector<StatusOr<MatchDecision>> decide(const std::vector<DecideItem>& items);

  /// Helper threads for this machine: one fewer than its cores, at most 3
  /// (config matching.threads sets the threads instead).
  static std::size_t default_helpers();
  std::size_t helpers() const { return deciders_.size() - 1; }

  static constexpr std::size_t kParallelFrom = 8;

 private:
  /// Decides items of the current batch until none is left.
  void work(MatchDecider& decider);
  void helper(std::size_t index);

  // The helpers live as long as the decider: a thread started per batch cost 20 %
  // more CPU than the decisions (RocksDB and the allocator set up per thread again).
  std::vector<std::unique_ptr<MatchDecider>> deciders_;  // [0] the caller's, then one per helper
  std::vector<std::thread> threads_;
  std::mutex mu_;
  std::condition_variable start_;     // a batch for the helpers, or stop
  std::condition_variable finished_;  // the helpers are done with it
  std::uint64_t batch_number_ = 0;    // guarded by mu_: the batch the helpers are to take
  bool open_ = false;                 // guarded by mu_: helpers may still join the batch
  std::size_t busy_ = 0;              // guarded by mu_: helpers at the batch
  bool stop_ = false;                 // guarded by mu_
  // The batch: set before batch_number_ moves on, read by the helpers after.
  const std::vector<DecideItem>* items_ = nullptr;
  std::vector<std::optional<StatusOr<MatchDecision>>>* slots_ = nullptr;
  std::atomic<std::size_t> next_{0};  // the next item not taken
  std::exception_ptr error_;          // guarded by mu_: the first exception of the batch
};

/// Changes the matcher made since a batch's decisions were taken, to tell which
/// decision is stale: holders placed or taken out ("movie\0source"), records whose
/// recent movie changed ("source\0id"), or everything (the maps were cleared).
/// Noted only while a batch is carried out (start() to stop()): changes made
/// between batches come before the next batch's decisions, which see them.
class MatcherChanges {
 public:
  void start() {
    holders.clear();
    records.clear();
    cleared = false;
    tracking_ = true;
  }
  void stop() {
    start();
    tracking_ = false;
  }
  void holder(std::string key) {
    if (tracking_) holders.insert(std::move(key));
  }
  void record(std::string key) {
    if (tracking_) records.insert(std::move(key));
  }
  void all() { cleared = tracking_; }
  bool empty() const { return holders.empty() && records.empty() && !cleared; }

  std::unordered_set<std::string> holders;
  std::unordered_set<std::string> records;
  bool cleared = false;

 private:
  bool tracking_ = false;
};

/// Whether `d`, decided for `record` at the batch's start, may differ from a
/// decision taken now, after `changes`.
bool stale(const MatchDecision& d, const events::SourceRecord& record, const MatcherChanges& changes);

}  // namespace moviec::actors
