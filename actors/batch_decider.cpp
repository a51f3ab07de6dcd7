#include "actors/batch_decider.hpp"

#include <algorithm>

namespace moviec::actors {

BatchDecider::BatchDecider(store::Db& db, const MatchSettings& settings, const PendingHolders* holders,
                           std::size_t helpers) {
  for (std::size_t i = 0; i <= helpers; ++i) {
    deciders_.push_back(std::make_unique<MatchDecider>(db, settings));
    deciders_.back()->set_pending_holders(holders);
  }
  for (std::size_t i = 1; i <= helpers; ++i) threads_.emplace_back(&BatchDecider::helper, this, i);
}

BatchDecider::~BatchDecider() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  start_.notify_all();
  for (auto& t : threads_) t.join();
}

std::size_t BatchDecider::default_helpers() {
  auto cores = std::thread::hardware_concurrency();
  return cores <= 1 ? 0 : std::min<std::size_t>(cores - 1, 3);
}

void BatchDecider::work(MatchDecider& decider) {
  // One blocking iterator for this thread's share of the batch: the batch's decisions
  // are those of its start anyway.
  struct Held {
    store::MatchModels& m;
    explicit Held(store::MatchModels& models) : m(models) { m.hold_iterator(); }
    ~Held() { m.release_iterator(); }
  } held(decider.matches());
  try {
    for (std::size_t i; (i = next_.fetch_add(1, std::memory_order_relaxed)) < items_->size();)
      (*slots_)[i].emplace(decider.decide(*(*items_)[i].record, (*items_)[i].known_movie));
  } catch (...) {
    std::lock_guard<std::mutex> lock(mu_);
    if (!error_) error_ = std::current_exception();
    next_.store(items_->size());  // the others stop too
  }
}

void BatchDecider::helper(std::size_t index) {
  std::uint64_t seen = 0;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      start_.wait(lock, [&] { return stop_ || batch_number_ != seen; });
      if (stop_) return;
      seen = batch_number_;
      if (!open_) continue;  // woke after the caller had done the batch alone
      ++busy_;
    }
    work(*deciders_[index]);
    {
      std::lock_guard<std::mutex> lock(mu_);
      --busy_;
    }
    finished_.notify_one();
  }
}

std::vector<StatusOr<MatchDecision>> BatchDecider::decide(const std::vector<DecideItem>& items) {
  std::vector<std::optional<StatusOr<MatchDecision>>> slots(items.size());
  items_ = &items;
  slots_ = &slots;
  next_.store(0);
  const bool together = !threads_.empty() && items.size() >= kParallelFrom;
  if (together) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      error_ = nullptr;
      open_ = true;
      ++batch_number_;
    }
    start_.notify_all();
  }
  work(*deciders_[0]);
  std::exception_ptr error;
  {
    // A helper not yet awake stays out (on a busy machine it may wake late); the
    // caller waits only for those at work.
    std::unique_lock<std::mutex> lock(mu_);
    open_ = false;
    finished_.wait(lock, [&] { return busy_ == 0; });
    error = std::exchange(error_, nullptr);
  }
  items_ = nullptr;
  slots_ = nullptr;
  if (error) std::rethrow_exception(error);
  std::vector<StatusOr<MatchDecision>> out;
  out.reserve(items.size());
  for (auto& s : slots) out.push_back(std::move(*s));
  return out;
}

bool stale(const MatchDecision& d, const events::SourceRecord& record, const MatcherChanges& changes) {
  if (changes.cleared) return true;
  if (!changes.records.empty() && changes.records.count(record.source + '\0' + record.source_id)) return true;
  if (changes.holders.empty()) return false;
  for (auto& movie : d.holders_seen)
    if (changes.holders.count(movie + '\0' + record.source)) return true;
  return false;
}

}  // namespace moviec::actors
