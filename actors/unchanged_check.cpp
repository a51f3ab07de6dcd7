#include "actors/unchanged_check.hpp"

#include <string>
#include <utility>

#include "store/keys.hpp"

namespace moviec::actors {

std::size_t drop_unchanged(store::Db& db, IngestBatch& items, IngestBatch& changed) {
  std::vector<std::string> keys;
  keys.reserve(items.size());
  for (auto& item : items) {
    if (item.fingerprint.empty()) item.fingerprint = item.record.fingerprint();
    keys.push_back(store::keys::fingerprint_key(item.record.source, item.record.source_id));
  }
  auto stored = db.scan_get(store::ColumnFamily::fingerprints, keys);
  std::size_t unchanged = 0;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (stored[i] && items[i].record.matches_fingerprint(*stored[i], items[i].fingerprint)) ++unchanged;
    else changed.push_back(std::move(items[i]));
  }
  items.clear();
  return unchanged;
}

UnchangedCheck::UnchangedCheck(store::Db& db) : db_(db), worker_([this] { work(); }) {}

UnchangedCheck::~UnchangedCheck() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  worker_.join();
}

void UnchangedCheck::start(IngestBatch items) {
  {
    std::lock_guard lock(mu_);
    job_.spare = std::move(items);  // the worker replaces job_ whole with its result
    has_job_ = true;
    done_ = false;
  }
  pending_ = true;
  cv_.notify_all();
}

bool UnchangedCheck::busy() const { return pending_ && !done_.load(std::memory_order_acquire); }

UnchangedCheck::Result UnchangedCheck::collect() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return done_.load(); });
  pending_ = false;
  has_job_ = false;
  done_ = false;
  if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
  return std::move(job_);
}

void UnchangedCheck::work() {
  std::unique_lock lock(mu_);
  for (;;) {
    cv_.wait(lock, [&] { return stop_ || (has_job_ && !done_); });
    if (stop_) return;
    Result result{{}, 0, std::move(job_.spare)};
    lock.unlock();
    std::exception_ptr error;
    try {
      result.unchanged = drop_unchanged(db_, result.spare, result.changed);
    } catch (...) {
      error = std::current_exception();
    }
    lock.lock();
    job_ = std::move(result);
    error_ = error;
    done_ = true;
    cv_.notify_all();
  }
}

}  // namespace moviec::actors
