#include "store/health.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <sys/statvfs.h>

#include "common/clock.hpp"
#include "common/log.hpp"

namespace moviec::store {

namespace {

constexpr std::uint64_t kMiB = 1024 * 1024;
// Below this much free space (or twice the reserve, if more) writes are serialized.
constexpr std::uint64_t kNearFullFloor = 64 * kMiB;
constexpr auto kRecoveryInterval = std::chrono::seconds(1);

std::string bytes_text(std::uint64_t n) {
  if (n >= kMiB) return fmt::format("{:.1f} MiB", static_cast<double>(n) / kMiB);
  return fmt::format("{} bytes", n);
}

}  // namespace

StoreHealth::StoreHealth(std::string path, std::uint64_t min_free_bytes)
    : path_(std::move(path)), min_free_bytes_(min_free_bytes) {
  free_bytes_.store(free_bytes_at(path_));
}

std::uint64_t StoreHealth::free_bytes_at(const std::string& path) {
  struct statvfs fs {};
  if (::statvfs(path.c_str(), &fs) != 0) return UINT64_MAX;
  return static_cast<std::uint64_t>(fs.f_bavail) * static_cast<std::uint64_t>(fs.f_frsize);
}

std::uint64_t StoreHealth::look() {
  auto free = free_bytes_at(path_);
  free_bytes_.store(free, std::memory_order_relaxed);
  near_full_.store(free < std::max(kNearFullFloor, 2 * min_free_bytes_), std::memory_order_relaxed);
  return free;
}

void StoreHealth::enter_reserve(std::uint64_t free) {
  if (!writable_.load()) return;
  reason_ = fmt::format(
      "{} free on the file system of {}, below the reserve storage.min_free_bytes ({}); writes "
      "resume once space is freed",
      bytes_text(free), path_, bytes_text(min_free_bytes_));
  no_space_ = true;
  failed_write_ = false;
  since_ms_ = now_ms();
  last_attempt_ = std::chrono::steady_clock::now();
  writable_.store(false);
  log::error("store_read_only", {{"reason", reason_}, {"free_bytes", free}});
}

Status StoreHealth::refusal() const {
  auto message = "the store is read-only: " + reason_;
  return no_space_ ? Status::no_space(message) : Status::busy(message);
}

Status StoreHealth::admit(std::uint64_t bytes, const std::function<Status()>& resume) {
  auto free = look();
  if (writable_.load()) {
    if (min_free_bytes_ == 0 || free == UINT64_MAX || free >= min_free_bytes_ + bytes)
      return Status::ok();
    std::lock_guard<std::mutex> lock(mu_);
    enter_reserve(free);
    refused_.fetch_add(1, std::memory_order_relaxed);
    return refusal();
  }
  std::lock_guard<std::mutex> lock(mu_);
  try_recover(resume);
  if (writable_.load()) return Status::ok();
  refused_.fetch_add(1, std::memory_order_relaxed);
  return refusal();
}

Status StoreHealth::write_failed(const std::string& error, bool no_space) {
  std::lock_guard<std::mutex> lock(mu_);
  refused_.fetch_add(1, std::memory_order_relaxed);
  if (failed_write_) return refusal();  // the first failure names the cause
  reason_ = no_space ? "the disk is full (" + error + "); writes resume once space is freed"
                     : "a write failed (" + error + "); writes resume once the store can write again";
  no_space_ = no_space;
  failed_write_ = true;
  if (writable_.load()) since_ms_ = now_ms();
  writable_.store(false);
  // The next look at the disk is one second away: a write racing this one is
  // refused rather than retried against the failed WAL.
  last_attempt_ = std::chrono::steady_clock::now();
  log::error("store_read_only", {{"reason", reason_}});
  return refusal();
}

void StoreHealth::try_recover(const std::function<Status()>& resume) {
  if (writable_.load()) return;
  auto now = std::chrono::steady_clock::now();
  if (now - last_attempt_ < kRecoveryInterval) return;
  last_attempt_ = now;
  auto free = look();
  if (free != UINT64_MAX && free < min_free_bytes_) return;
  if (failed_write_) {
    if (auto s = resume(); !s) {
      // busy: RocksDB's own recovery is under way (it flushes once the largest
      // memtable fits on the disk, polling every few seconds); not worth a warning.
      log::write(s.code() == Status::Code::busy ? log::Level::debug : log::Level::warn, "store_resume_failed",
                 {{"error", s.message()}, {"free_bytes", free}});
      return;
    }
  }
  log::info("store_writable", {{"was", reason_},
                               {"read_only_ms", now_ms() - since_ms_},
                               {"free_bytes", free}});
  reason_.clear();
  no_space_ = false;
  failed_write_ = false;
  since_ms_ = 0;
  writable_.store(true);
}

StoreHealth::Report StoreHealth::report(const std::function<Status()>& resume) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!writable_.load()) {
    try_recover(resume);
  } else if (auto free = look(); min_free_bytes_ > 0 && free != UINT64_MAX && free < min_free_bytes_) {
    enter_reserve(free);
  }
  Report r;
  r.writable = writable_.load();
  r.reason = reason_;
  r.no_space = no_space_;
  r.since_ms = since_ms_;
  r.free_bytes = free_bytes_.load(std::memory_order_relaxed);
  r.min_free_bytes = min_free_bytes_;
  r.refused_writes = refused_.load(std::memory_order_relaxed);
  return r;
}

}  // namespace moviec::store
