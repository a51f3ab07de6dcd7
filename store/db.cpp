#include "store/db.hpp"

#include <rocksdb/options.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/table.h>

namespace moviec::store {

Status from_rocksdb(const rocksdb::Status& s, const std::string& what) {
  if (s.ok()) return Status::ok();
  auto msg = what + ": " + s.ToString();
  if (s.IsNotFound()) return Status::not_found(msg);
  if (s.IsBusy() || s.IsTimedOut()) return Status::busy(msg);
  if (s.IsIOError() && s.ToString().find("lock") != std::string::npos)
    return Status::busy(what + ": the data directory is in use by another moviec process (" +
                        s.ToString() + ")");
  if (s.IsCorruption()) return Status::corruption(msg);
  if (s.IsInvalidArgument()) return Status::invalid(msg);
  return Status::io_error(msg);
}

StatusOr<std::unique_ptr<Db>> Db::open(const std::string& path, Options options) {
  rocksdb::Options db_options;
  db_options.create_if_missing = options.create_if_missing;
  db_options.create_missing_column_families = true;
  db_options.IncreaseParallelism(2);
  // The journal and the projection write from two threads: let one's memtable
  // insert overlap the other's WAL write.
  db_options.enable_pipelined_write = true;
  // Keep memory bounded whatever the input and store size: one budget for the
  // memtables of all column families together (16 of them at 16 MiB, twice over,
  // would be 512 MiB), and index and filter blocks inside the small shared block
  // cache instead of held per open table file (those grow with the store).
  db_options.db_write_buffer_size = 96 << 20;
  // --- disk bounds (issue 10, robustness; keep this block self-contained) --------
  // One WAL serves all column families, and a WAL file is deleted only once every
  // family with data in it has flushed. Families written rarely (runs, cursors,
  // crosswalks) kept the WAL of a whole bulk ingest alive (300k rows: 737 MiB of
  // WAL beside 230 MiB of tables). Past this total RocksDB flushes the families
  // that hold the oldest WAL file. It is above the memtable budget, so it forces
  // no flush a full memtable would not.
  db_options.max_total_wal_size = 128 << 20;
  // RocksDB's own info LOG files: a few, not the default 1000.
  db_options.keep_log_file_num = 4;
  db_options.max_log_file_size = 8 << 20;
  // --- end of disk bounds ---------------------------------------------------------
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = rocksdb::NewLRUCache(64 << 20);
  table.cache_index_and_filter_blocks = true;
  table.pin_l0_filter_and_index_blocks_in_cache = true;
  // Most point lookups miss (a fingerprint, event id, stream head or read model
  // that does not exist yet, the whole first run long): a Bloom filter answers
  // those without reading a block.
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10, false));
  table.optimize_filters_for_memory = true;
  rocksdb::ColumnFamilyOptions cf_options;
  cf_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  cf_options.write_buffer_size = 16 << 20;

  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (auto name : kColumnFamilyNames) descriptors.emplace_back(std::string(name), cf_options);

  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s;
  if (options.read_only)
    s = rocksdb::DB::OpenForReadOnly(db_options, path, descriptors, &handles, &raw);
  else
    s = rocksdb::DB::Open(db_options, path, descriptors, &handles, &raw);
  if (!s.ok()) return from_rocksdb(s, "opening " + path);

  std::unique_ptr<Db> db(new Db());
  db->path_ = path;
  db->health_ = std::make_unique<StoreHealth>(path, options.read_only ? 0 : options.min_free_bytes);
  db->db_.reset(raw);
  for (std::size_t i = 0; i < handles.size(); ++i) db->handles_[i] = handles[i];
  return db;
}

Db::~Db() {
  // Column family handles must go before the database.
  for (auto* h : handles_)
    if (h) db_->DestroyColumnFamilyHandle(h);
}

Status Db::write(rocksdb::WriteBatch& batch, bool sync) {
  // --- full disk (issue 10; store/health.hpp) -------------------------------------
  auto resume = [this] { return this->resume(); };
  if (auto admitted = health_->admit(batch.GetDataSize(), resume); !admitted) return admitted;
  // Near a full disk one write at a time: a write racing the one that fails could
  // reach the failed WAL before the store is read-only.
  std::unique_lock<std::mutex> serial(near_full_mu_, std::defer_lock);
  if (health_->near_full()) {
    serial.lock();
    if (!health_->writable())
      if (auto admitted = health_->admit(batch.GetDataSize(), resume); !admitted) return admitted;
  }
  rocksdb::WriteOptions wo;
  wo.sync = sync;
  auto s = db_->Write(wo, &batch);
  if (s.ok()) return Status::ok();
  auto status = from_rocksdb(s, "write");
  // A failed write leaves RocksDB unfit for another (below): read-only until Resume().
  if (!s.IsBusy() && !s.IsTimedOut() && !s.IsTryAgain() && !s.IsInvalidArgument() && !s.IsNotFound()) {
    bool no_space = s.IsNoSpace() || s.ToString().find("No space left") != std::string::npos;
    return health_->write_failed(status.message(), no_space);  // the refusal, with the reason
  }
  return status;
}

Status Db::resume() {
  // Resume() flushes every memtable into a fresh WAL and SST files, and clears the
  // background error a failed write or flush left.
  return from_rocksdb(db_->Resume(), "resuming the store");
}

StoreHealth::Report Db::health() {
  return health_->report([this] { return resume(); });
}

StatusOr<std::string> Db::get(ColumnFamily f, const std::string& key) {
  std::string value;
  auto s = db_->Get(rocksdb::ReadOptions(), cf(f), key, &value);
  if (s.IsNotFound()) return Status::not_found(std::string(name_of(f)) + " has no such key");
  if (!s.ok()) return from_rocksdb(s, "get");
  return value;
}

std::unique_ptr<rocksdb::Iterator> Db::iterator(ColumnFamily f, const rocksdb::ReadOptions& ro) {
  return std::unique_ptr<rocksdb::Iterator>(db_->NewIterator(ro, cf(f)));
}

Status Db::clear(ColumnFamily f) {
  // Key by key in one batch: read models are rebuilt rarely and this keeps no range tombstones.
  rocksdb::WriteBatch batch;
  auto it = iterator(f);
  for (it->SeekToFirst(); it->Valid(); it->Next()) batch.Delete(cf(f), it->key());
  return write(batch, false);
}

}  // namespace moviec::store
