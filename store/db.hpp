#pragma once
// The storage port: one RocksDB instance with moviec's column families. Everything
// else in store/ builds keys with store/keys.hpp and writes through write().
// RocksDB is thread-safe: the HTTP layer reads through the same Db concurrently.

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include "common/status.hpp"
#include "store/column_families.hpp"
#include "store/health.hpp"
#include "store/storage_defaults.hpp"

namespace moviec::store {

class Db {
 public:
  struct Options {
    bool create_if_missing = true;
    bool read_only = false;
    /// Writes are refused while less than this is free on the store's file system
    /// (config key storage.min_free_bytes; 0: no reserve). store/health.hpp.
    std::uint64_t min_free_bytes = 0;
    /// RocksDB's block cache, shared by every column family (config key
    /// storage.block_cache_bytes).
    std::uint64_t block_cache_bytes = kDefaultBlockCacheBytes;
  };

  /// Opens (or creates) the database under `path`. Fails with `busy` when another
  /// process holds it open for writing. A store that cannot be opened for writing
  /// because its disk is full opens read-only instead (health() says why; reads
  /// work) and turns writable by reopening once space is back.
  static StatusOr<std::unique_ptr<Db>> open(const std::string& path, Options options);
  static StatusOr<std::unique_ptr<Db>> open(const std::string& path) {
    return open(path, Options{});
  }

  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  /// The live RocksDB instance, for tests and benches that go under the port.
  rocksdb::DB* raw() { return live()->db.get(); }
  /// A column family's handle, for building a WriteBatch (a batch names families by
  /// id, which stays the same when the store is reopened).
  rocksdb::ColumnFamilyHandle* cf(ColumnFamily f) { return live()->handle(f); }
  const std::string& path() const { return path_; }

  /// Commits a batch atomically; sync=true survives power loss, false survives a
  /// process crash (WAL in the OS page cache). While the store is read-only
  /// (health()) it fails at once with no_space or busy and the reason; a failed
  /// write turns the store read-only.
  [[nodiscard]] Status write(rocksdb::WriteBatch& batch, bool sync);

  /// Whether the store takes writes, and why not; while read-only this tries to
  /// resume (at most once a second), so space freed shows without a write.
  StoreHealth::Report health();

  /// A point read; not_found when absent.
  [[nodiscard]] StatusOr<std::string> get(ColumnFamily f, const std::string& key);
  /// A point read; nullopt when absent (no status made for a miss: most of the
  /// matcher's lookups miss).
  [[nodiscard]] StatusOr<std::optional<std::string>> find(ColumnFamily f, const std::string& key);
  /// find for several keys of one family in one call (RocksDB's MultiGet).
  std::vector<StatusOr<std::optional<std::string>>> find_many(ColumnFamily f, const std::vector<std::string>& keys);

  /// Point reads of many keys of one family in one call (RocksDB's batched MultiGet:
  /// one pass over the memtables and table files for all of them); one answer per
  /// key, in order, not_found when absent.
  std::vector<StatusOr<std::string>> multi_get(ColumnFamily f, const std::vector<std::string>& keys);

  /// The same answers as multi_get, read by one iterator walking the keys in order:
  /// keys that lie close together in the family (a file read again, in the order it
  /// was first read) cost a step each instead of a point lookup (filter partition,
  /// index and data block search per key); keys far apart cost a seek each.
  std::vector<StatusOr<std::string>> scan_get(ColumnFamily f, const std::vector<std::string>& keys);

  std::unique_ptr<rocksdb::Iterator> iterator(ColumnFamily f,
                                              const rocksdb::ReadOptions& ro = {});

  /// Drops every key of a column family (used when rebuilding read models).
  [[nodiscard]] Status clear(ColumnFamily f);

 private:
  /// One open RocksDB instance and its column family handles.
  struct Instance {
    std::unique_ptr<rocksdb::DB> db;
    std::array<rocksdb::ColumnFamilyHandle*, kColumnFamilyCount> handles{};
    bool read_only = false;
    rocksdb::ColumnFamilyHandle* handle(ColumnFamily f) const { return handles[static_cast<std::size_t>(f)]; }
    ~Instance();
  };
  struct Setup;  // the RocksDB options every open of this store uses

  Db();
  static StatusOr<std::unique_ptr<Instance>> open_instance(const Setup& setup, bool read_only);
  Instance* live() const { return live_.load(std::memory_order_acquire); }
  /// After a failed write, once space is back: rocksdb::DB::Resume(); a store
  /// opened read-only on a full disk is opened for writing instead.
  Status resume();

  std::string path_;
  std::unique_ptr<Setup> setup_;
  std::unique_ptr<StoreHealth> health_;
  std::mutex near_full_mu_;  // serializes writes while the disk is nearly full
  // Every instance opened, the live one last. A reader may still be inside the
  // read-only instance a reopen replaced, so that one stays open until ~Db.
  std::vector<std::unique_ptr<Instance>> instances_;
  std::atomic<Instance*> live_{nullptr};
};

/// A WriteBatch that one writer fills again and again: its buffer keeps its size,
/// so a large batch is not grown (copied) and faulted in anew each time (a replay's
/// projection spent a tenth of its time growing fresh batches). One past kKeepBytes
/// is let go.
class ReusedWriteBatch {
 public:
  /// The batch, emptied.
  rocksdb::WriteBatch& fresh() {
    if (batch_.GetDataSize() > kKeepBytes) batch_ = rocksdb::WriteBatch();
    else batch_.Clear();
    return batch_;
  }

 private:
  static constexpr std::size_t kKeepBytes = 64u << 20;
  rocksdb::WriteBatch batch_;
};

/// Turns a RocksDB status into ours (busy for a lock held by another process).
Status from_rocksdb(const rocksdb::Status& s, const std::string& what);

}  // namespace moviec::store
