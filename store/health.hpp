#pragma once
// Whether the store takes writes: healthy, or read-only with a reason (issue 10, a
// full disk). One per Db (Db::health()); the journal, the projection, the HTTP
// threads and the run recorder all write through Db::write, which asks here first.
//
// The store turns read-only
//  - before the cliff: a write that would leave less than `storage.min_free_bytes`
//    free on the store's file system is refused before it reaches RocksDB;
//  - after the first failed write (ENOSPC, any I/O or background error): every
//    later write is refused here. Debian's RocksDB has its asserts compiled in, and
//    a second write to a WAL that failed once aborts the process.
// Reads keep working throughout. It turns writable again by itself: at most once a
// second, a refused write or a health query checks the free space and, after a
// failed write, lets Db call rocksdb::DB::Resume() (which writes a fresh WAL).

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>

#include "common/status.hpp"

namespace moviec::store {

class StoreHealth {
 public:
  /// What GET /healthz and the CLI show.
  struct Report {
    bool writable = true;
    std::string reason;             // why not writable; "" when writable
    bool no_space = false;          // the reason is free space (HTTP 507); else 503
    std::int64_t since_ms = 0;      // unix ms it turned read-only; 0 when writable
    std::uint64_t free_bytes = 0;   // free on the store's file system at the last look
    std::uint64_t min_free_bytes = 0;
    std::uint64_t refused_writes = 0;  // writes refused since the process started
  };

  /// `path`: a directory on the store's file system. `min_free_bytes` 0: no reserve.
  StoreHealth(std::string path, std::uint64_t min_free_bytes);

  /// Before a write of about `bytes`: ok, or the refusal (no_space or busy, with
  /// the reason) when the store is read-only or the write would go below the
  /// reserve. `resume` is called (at most once a second, never concurrently) while
  /// read-only after a failed write once free space is back; ok means writable again.
  Status admit(std::uint64_t bytes, const std::function<Status()>& resume);

  /// After a failed write: the store turns read-only with `error` as the reason
  /// (`no_space` when the error was ENOSPC); returns the refusal later writes get.
  Status write_failed(const std::string& error, bool no_space);

  /// The state now; while read-only it first tries to turn writable again
  /// (as admit does), so a health check sees space come back without a write.
  Report report(const std::function<Status()>& resume);

  /// True when a write may be the one that fills the disk: free space is within
  /// twice the reserve (64 MiB at least). Db serializes writes then, so no second
  /// write races one that fails.
  bool near_full() const { return near_full_.load(std::memory_order_relaxed); }

  bool writable() const { return writable_.load(); }
  std::uint64_t min_free_bytes() const { return min_free_bytes_; }

  /// Free bytes on the file system holding `path` (statvfs f_bavail); UINT64_MAX
  /// when it cannot be read (then no reserve is enforced).
  static std::uint64_t free_bytes_at(const std::string& path);

 private:
  std::uint64_t look();                                     // reads the free space
  void enter_reserve(std::uint64_t free);                   // mu_ held
  Status refusal() const;                                   // mu_ held
  void try_recover(const std::function<Status()>& resume);  // mu_ held

  const std::string path_;
  const std::uint64_t min_free_bytes_;
  std::atomic<bool> writable_{true};
  std::atomic<bool> near_full_{false};
  std::atomic<std::uint64_t> refused_{0};
  std::atomic<std::uint64_t> free_bytes_{0};
  mutable std::mutex mu_;
  // Under mu_:
  std::string reason_;
  bool no_space_ = false;
  bool failed_write_ = false;  // read-only after a failed write (needs Resume), not only the reserve
  std::int64_t since_ms_ = 0;
  std::chrono::steady_clock::time_point last_attempt_{};
};

}  // namespace moviec::store
