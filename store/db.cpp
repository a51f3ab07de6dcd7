#include "store/db.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdarg>
#include <cstdio>
#include <ctime>
#include <numeric>
#include <optional>
#include <filesystem>
#include <vector>

#include <sys/time.h>

#include <rocksdb/convenience.h>
#include <rocksdb/env.h>
#include <rocksdb/options.h>
#include <rocksdb/slice_transform.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/table.h>
#include <rocksdb/utilities/options_util.h>

#include "common/log.hpp"

namespace moviec::store {

namespace {

// RocksDB's info LOG, written by moviec (issue 10, a full disk). RocksDB's own
// logger writes through a WritableFileWriter, and Debian's build asserts when a
// second line follows one that failed: on a full disk the next log line aborted
// the process (`moviec ingest` within seconds). This one writes DIR/LOG with stdio,
// drops a line it cannot write, rolls over to LOG.old at 8 MiB, and also reports
// RocksDB's errors in moviec's own log.
class InfoLog final : public rocksdb::Logger {
 public:
  explicit InfoLog(std::string dir) : Logger(rocksdb::InfoLogLevel::INFO_LEVEL), dir_(std::move(dir)) {
    std::error_code ec;
    std::filesystem::create_directories(dir_, ec);
    open();
  }
  ~InfoLog() override {
    if (file_) std::fclose(file_);
  }

  using rocksdb::Logger::Logv;
  void Logv(const rocksdb::InfoLogLevel level, const char* format, va_list ap) override {
    if (level < GetInfoLogLevel()) return;
    char text[2048];
    std::vsnprintf(text, sizeof text, format, ap);
    if (level >= rocksdb::InfoLogLevel::ERROR_LEVEL) log::warn("rocksdb", {{"message", text}});
    struct timeval now {};
    ::gettimeofday(&now, nullptr);
    struct tm t {};
    ::localtime_r(&now.tv_sec, &t);
    std::lock_guard<std::mutex> lock(mu_);
    if (!file_) return;
    std::fprintf(file_, "%04d/%02d/%02d-%02d:%02d:%02d.%06ld %s\n", t.tm_year + 1900, t.tm_mon + 1, t.tm_mday,
                 t.tm_hour, t.tm_min, t.tm_sec, static_cast<long>(now.tv_usec), text);
    std::fflush(file_);
    if (std::ftell(file_) > kRollBytes) {
      std::fclose(file_);
      std::rename((dir_ + "/LOG").c_str(), (dir_ + "/LOG.old").c_str());
      open();
    }
  }

 private:
  static constexpr long kRollBytes = 8 << 20;
  void open() {
    file_ = std::fopen((dir_ + "/LOG").c_str(), "a");
    if (file_) std::clearerr(file_);
  }

  std::string dir_;
  std::mutex mu_;
  std::FILE* file_ = nullptr;
};

// Every read-write open starts a new WAL file, and RocksDB 7.8 keeps an earlier
// one that is empty until a memtable flush (fixed in RocksDB 8.3, facebook/rocksdb
// #11313): a store opened by each CLI command and closed with nothing written
// gained an empty NNNNNN.log per open, for good. Once open we hold the store's
// lock, so an empty WAL older than our own holds nothing anyone will write: it is
// deleted (safe while WALs are not tracked in the MANIFEST, RocksDB's default).
void drop_empty_wals(rocksdb::DB& db, const std::string& path) {
  std::unique_ptr<rocksdb::LogFile> current;
  if (!db.GetCurrentWalFile(&current).ok() || !current) return;
  // Best effort and never throwing: a name or file it cannot read is left alone.
  std::error_code ec;
  for (std::filesystem::directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
    const auto name = it->path().filename().string();
    if (it->path().extension() != ".log") continue;
    std::uint64_t number = 0;
    const char* last = name.data() + name.size() - 4;
    auto [stop, failed] = std::from_chars(name.data(), last, number);
    if (failed != std::errc() || stop != last || number >= current->LogNumber()) continue;
    std::error_code file_ec;
    if (it->file_size(file_ec) != 0 || file_ec) continue;
    std::filesystem::remove(it->path(), file_ec);
  }
}

}  // namespace

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

struct Db::Setup {
  std::string path;
  rocksdb::Options options;
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
};

Db::Db() = default;

Db::Instance::~Instance() {
  // Column family handles must go before the database.
  if (db)
    for (auto* h : handles)
      if (h) db->DestroyColumnFamilyHandle(h);
}

StatusOr<std::unique_ptr<Db::Instance>> Db::open_instance(const Setup& setup, bool read_only) {
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s;
  if (read_only)
    s = rocksdb::DB::OpenForReadOnly(setup.options, setup.path, setup.descriptors, &handles, &raw);
  else
    s = rocksdb::DB::Open(setup.options, setup.path, setup.descriptors, &handles, &raw);
  if (!s.ok()) {
    auto failed = from_rocksdb(s, "opening " + setup.path);
    if (s.IsNoSpace() || s.ToString().find("No space left") != std::string::npos)
      return Status::no_space(failed.message());
    return failed;
  }
  auto instance = std::make_unique<Instance>();
  instance->db.reset(raw);
  instance->read_only = read_only;
  for (std::size_t i = 0; i < handles.size(); ++i) instance->handles[i] = handles[i];
  if (!read_only) drop_empty_wals(*raw, setup.path);
  return instance;
}

namespace {

/// The families whose memtables take insert hints (Db::open).
constexpr std::array<ColumnFamily, 8> kHintedFamilies{
    ColumnFamily::log,    ColumnFamily::streams,     ColumnFamily::stream_heads, ColumnFamily::event_ids,
    ColumnFamily::movies, ColumnFamily::movie_index, ColumnFamily::fingerprints, ColumnFamily::matching};

/// Whether the store's WAL can be replayed into hinted memtables: a new store, or one
/// whose last read-write open (its OPTIONS file) had the hints, so that everything in
/// its WAL was written under the rule of Db::open.
bool wal_written_hinted(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(std::filesystem::path(path) / "CURRENT", ec)) return true;
  rocksdb::ConfigOptions config;
  config.ignore_unknown_options = true;
  config.ignore_unsupported_options = true;
  rocksdb::DBOptions db_options;
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  if (!rocksdb::LoadLatestOptions(config, path, &db_options, &families).ok()) return false;
  for (auto& f : families)
    if (f.name == name_of(ColumnFamily::log))
      return f.options.memtable_insert_with_hint_prefix_extractor != nullptr;
  return false;
}

}  // namespace

StatusOr<std::unique_ptr<Db>> Db::open(const std::string& path, Options options) {
  auto setup = std::make_unique<Setup>();
  setup->path = path;
  rocksdb::Options& db_options = setup->options;
  db_options.create_if_missing = options.create_if_missing;
  db_options.create_missing_column_families = true;
  db_options.IncreaseParallelism(2);
  // Compactions run as SCHED_IDLE threads (RocksDB's low-priority pool): the work a
  // user waits for comes first, and compaction takes the idle CPU time. More than
  // priority: the kernel places a waking thread on a CPU that runs only SCHED_IDLE
  // work, so a pipeline's two threads (a re-ingest's reader and its check worker)
  // get a core each instead of sharing one beside a compaction. At nice 19 they did
  // not (each at 50 % of a core). Unchanged re-ingest of 1M IMDb rows, alternating on
  // one store: 2.04-2.16 s -> 1.28-1.58 s; first ingest 96.6 s (100-105 s before).
  // Flushes (the high-priority pool) keep normal priority: writes wait on them, and a
  // compaction that falls behind slows writes by RocksDB's own L0 triggers, which idles
  // the CPU it needs.
  rocksdb::Env::Default()->LowerThreadPoolCPUPriority(rocksdb::Env::Priority::LOW,
                                                      rocksdb::CpuPriority::kIdle);
  // The journal and the projection write from two threads: let one's memtable
  // insert overlap the other's WAL write.
  db_options.enable_pipelined_write = true;
#if defined(__SANITIZE_THREAD__)
  // ThreadSanitizer builds only: a write group of one writer. RocksDB's leader copies
  // the other writers' batches into its own through atomics inside Debian's
  // uninstrumented librocksdb, which TSan cannot see (tests/tsan.supp). Still needed
  // with `race:librocksdb.so` there: those reports show no librocksdb frame (the copy
  // is inlined std::string code under Db::write): without this setting test_actors
  // reported them again (2026-11-28).
  db_options.max_write_batch_group_size_bytes = 1;
#endif
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
  // RocksDB's info LOG: one file and LOG.old, each up to 8 MiB, written so that a
  // full disk costs lines, never the process (InfoLog above).
  db_options.info_log = std::make_shared<InfoLog>(path);
  // --- end of disk bounds ---------------------------------------------------------
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = rocksdb::NewLRUCache(options.block_cache_bytes);
  table.cache_index_and_filter_blocks = true;
  table.pin_l0_filter_and_index_blocks_in_cache = true;
  // Most point lookups miss (a fingerprint, event id, stream head or read model
  // that does not exist yet, the whole first run long): a Bloom filter answers
  // those without reading a block.
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10, false));
  // Filters and indexes in partitions of about 4 KiB, with the top level pinned: a
  // lookup reads the small partition it needs. With whole filter and index blocks
  // in a cache smaller than the store's metadata, each miss re-read a whole block
  // through pread (300k-movie IMDb ingest: point lookups 70% of samples; 160.8 s ->
  // 88.0 s with partitions).
  table.partition_filters = true;
  table.index_type = rocksdb::BlockBasedTableOptions::kTwoLevelIndexSearch;
  table.cache_index_and_filter_blocks_with_high_priority = true;
  table.pin_top_level_index_and_filter = true;
  table.optimize_filters_for_memory = true;
  rocksdb::ColumnFamilyOptions cf_options;
  cf_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  cf_options.write_buffer_size = 16 << 20;
  // The same for the memtable: a lookup of a key not in it (most of them in a bulk
  // load) is answered by a Bloom filter over the whole keys instead of a skip-list search.
  cf_options.memtable_whole_key_filtering = true;
  cf_options.memtable_prefix_bloom_size_ratio = 0.05;

  // The matcher seeks its blocking keys (store/match_models.hpp) for every record it
  // decides by title + year: with the index partitions of the matching family pinned,
  // a seek finds its partition without a block-cache lookup, 4 % of a decision (1 M
  // movies: about 1.3 MiB of index and 2.5 MiB of filters, 4 % of its tables).
  rocksdb::BlockBasedTableOptions matching_table = table;
  matching_table.metadata_cache_options.partition_pinning = rocksdb::PinningTier::kAll;
  rocksdb::ColumnFamilyOptions matching_options = cf_options;
  matching_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(matching_table));

  // In the families a bulk run writes most, a memtable insert starts from where the
  // last one with the same first key byte (the key's kind) went, instead of from the
  // skip list's top: the journal and the projection write each batch's keys in order
  // per family, so most inserts land near the one before. Their inserts were a third
  // of both threads' time in a first IMDb run (100 k movies, perf: MemTable::Add
  // 2,271 -> 1,391 samples).
  //
  // RocksDB 7.8 also hands a range deletion the hint of its start key's prefix,
  // though it goes into another skip list (fixed later upstream: "hints are for the
  // point key table only"): a range deletion in a hinted family corrupts the memtable
  // (an assertion in inlineskiplist.h) unless its start key is outside the hint's
  // domain. So the hinted families take range deletions from the empty key only
  // (clear()), and a WAL an unhinted open wrote (an earlier build's, with range
  // deletions from any key) is never replayed into hinted memtables: such a store is
  // opened unhinted first and flushed (kHintedFamilies, wal_written_hinted above).
  std::shared_ptr<const rocksdb::SliceTransform> hint(rocksdb::NewFixedPrefixTransform(1));
  auto descriptors = [&](bool hinted) {
    std::vector<rocksdb::ColumnFamilyDescriptor> out;
    for (std::size_t i = 0; i < kColumnFamilyCount; ++i) {
      auto family = static_cast<ColumnFamily>(i);
      auto o = family == ColumnFamily::matching ? matching_options : cf_options;
      if (hinted && std::find(kHintedFamilies.begin(), kHintedFamilies.end(), family) != kHintedFamilies.end())
        o.memtable_insert_with_hint_prefix_extractor = hint;
      out.emplace_back(std::string(kColumnFamilyNames[i]), o);
    }
    return out;
  };
  bool hinted = wal_written_hinted(path);
  if (!hinted && !options.read_only) {
    setup->descriptors = descriptors(false);
    if (auto unhinted = open_instance(*setup, false)) {
      rocksdb::FlushOptions flush;
      flush.wait = true;
      std::vector<rocksdb::ColumnFamilyHandle*> all((*unhinted)->handles.begin(), (*unhinted)->handles.end());
      hinted = (*unhinted)->db->Flush(flush, all).ok();
    }  // closed here; a failure to open or flush is the open's below to report
  }
  setup->descriptors = descriptors(hinted);

  std::unique_ptr<Db> db(new Db());
  db->path_ = path;
  auto instance = open_instance(*setup, options.read_only);
  // A full disk refuses the MANIFEST write of a read-write open: open read-only and
  // say why (reads work; writes get the refusal); resume() reopens for writing.
  std::string full_disk;  // why the store opened read-only, if it did
  if (!instance && instance.status().code() == Status::Code::no_space && !options.read_only) {
    full_disk = instance.status().message();
    log::error("store_opened_read_only", {{"path", path}, {"error", full_disk}});
    instance = open_instance(*setup, true);
    if (!instance) return Status::no_space(full_disk);  // e.g. a new store: nothing to read either
  }
  if (!instance) return instance.status();
  db->health_ = std::make_unique<StoreHealth>(path, options.read_only ? 0 : options.min_free_bytes);
  if (!full_disk.empty()) (void)db->health_->write_failed(full_disk, true);
  db->instances_.push_back(instance.take());
  db->live_.store(db->instances_.back().get(), std::memory_order_release);
  db->setup_ = std::move(setup);
  return db;
}

Db::~Db() {
  // A clean close leaves no WAL behind: otherwise the next open replays it into the
  // memtables and flushes them again (after a 100k-movie ingest, 1.7 s of the next
  // run's 2.9 s). A store opened read-only answers NotSupported. Skipped while the
  // store refuses writes and near a full disk (a flush that fails there would leave
  // RocksDB unfit); the WAL stays then, as after a crash.
  auto* db = live();
  if (db && !db->read_only && health_ && health_->writable() && !health_->near_full()) {
    rocksdb::FlushOptions flush;
    flush.wait = true;
    std::vector<rocksdb::ColumnFamilyHandle*> all(db->handles.begin(), db->handles.end());
    (void)db->db->Flush(flush, all);  // best effort: the WAL still covers what is not flushed
  }
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
  auto s = live()->db->Write(wo, &batch);
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
  auto* current = live();
  if (!current->read_only) {
    // Resume() flushes every memtable into a fresh WAL and SST files, and clears the
    // background error a failed write or flush left.
    return from_rocksdb(current->db->Resume(), "resuming the store");
  }
  // Opened read-only on a full disk: open it for writing beside the read-only
  // instance (which holds no lock) and switch to it.
  auto writable = open_instance(*setup_, false);
  if (!writable) return writable.status();
  instances_.push_back(writable.take());
  live_.store(instances_.back().get(), std::memory_order_release);
  log::info("store_reopened_for_writing", {{"path", path_}});
  return Status::ok();
}

StoreHealth::Report Db::health() {
  return health_->report([this] { return resume(); });
}

namespace {
/// A point lookup's value, copied out of RocksDB's memory (a memtable's arena, a
/// cached block) into `value`. A function of its own, never inlined, for
/// ThreadSanitizer's sake: that memory was written by another thread, ordered by
/// atomics inside Debian's uninstrumented librocksdb, which TSan cannot see, nor
/// the library's frames; its report names the caller of this function, Db::find,
/// which tests/tsan.supp lists.
[[gnu::noinline]] rocksdb::Status read_value(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* cf,
                                             const std::string& key, std::string& value) {
  rocksdb::PinnableSlice pinned(&value);  // what RocksDB copies itself lands in `value`
  auto s = db.Get(rocksdb::ReadOptions(), cf, key, &pinned);
  if (s.ok() && pinned.IsPinned()) value.assign(pinned.data(), pinned.size());
  return s;
}
}  // namespace

StatusOr<std::optional<std::string>> Db::find(ColumnFamily f, const std::string& key) {
  std::string value;
  auto* db = live();
  auto s = read_value(*db->db, db->handle(f), key, value);
  if (s.IsNotFound()) return std::optional<std::string>{};
  if (!s.ok()) return from_rocksdb(s, "get");
  return std::optional<std::string>{std::move(value)};
}

StatusOr<std::string> Db::get(ColumnFamily f, const std::string& key) {
  auto found = find(f, key);
  if (!found) return found.status();
  if (!*found) return Status::not_found(std::string(name_of(f)) + " has no such key");
  return std::move(**found);
}

std::vector<StatusOr<std::string>> Db::scan_get(ColumnFamily f, const std::vector<std::string>& keys) {
  // A few steps forward are cheaper than a seek; past them the gap is a seek.
  constexpr int kMaxSteps = 8;
  std::vector<std::size_t> order(keys.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return keys[a] < keys[b]; });
  // Values first, statuses at the end: a not-found status per key, made up front and
  // overwritten by the value, was an allocation per key of an unchanged re-ingest.
  std::vector<std::optional<std::string>> found(keys.size());
  auto it = iterator(f);
  if (!order.empty()) it->Seek(keys[order.front()]);
  for (auto i : order) {
    const rocksdb::Slice target(keys[i]);
    for (int step = 0; step < kMaxSteps && it->Valid() && it->key().compare(target) < 0; ++step) it->Next();
    if (it->Valid() && it->key().compare(target) < 0) it->Seek(target);
    // Here the iterator stands on the first key >= target (the keys come in order),
    // or at the end.
    if (!it->Valid()) {
      if (!it->status().ok()) {
        return std::vector<StatusOr<std::string>>(keys.size(), from_rocksdb(it->status(), "scan_get"));
      }
      continue;
    }
    if (it->key() == target) found[i] = it->value().ToString();
  }
  std::vector<StatusOr<std::string>> out;
  out.reserve(keys.size());
  for (auto& value : found) {
    if (value) out.emplace_back(std::move(*value));
    else out.emplace_back(Status::not_found(std::string(name_of(f)) + " has no such key"));
  }
  return out;
}

namespace {
/// MultiGet's values, copied out of RocksDB's memory: a function of its own, never
/// inlined, for ThreadSanitizer's sake, as read_value above (tests/tsan.supp).
[[gnu::noinline]] void read_values(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* cf,
                                   const std::vector<std::string>& keys, std::vector<std::string>& values,
                                   std::vector<rocksdb::Status>& statuses) {
  std::vector<rocksdb::Slice> slices(keys.begin(), keys.end());
  std::vector<rocksdb::PinnableSlice> pinned(keys.size());
  values.resize(keys.size());
  statuses.resize(keys.size());
  db.MultiGet(rocksdb::ReadOptions(), cf, keys.size(), slices.data(), pinned.data(), statuses.data());
  for (std::size_t i = 0; i < keys.size(); ++i)
    if (statuses[i].ok()) values[i].assign(pinned[i].data(), pinned[i].size());
}
}  // namespace

std::vector<StatusOr<std::optional<std::string>>> Db::find_many(ColumnFamily f,
                                                                const std::vector<std::string>& keys) {
  std::vector<std::string> values;
  std::vector<rocksdb::Status> statuses;
  auto* db = live();
  read_values(*db->db, db->handle(f), keys, values, statuses);
  std::vector<StatusOr<std::optional<std::string>>> out;
  out.reserve(keys.size());
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (statuses[i].ok()) out.emplace_back(std::optional<std::string>{std::move(values[i])});
    else if (statuses[i].IsNotFound()) out.emplace_back(std::optional<std::string>{});
    else out.emplace_back(from_rocksdb(statuses[i], "multi_get"));
  }
  return out;
}

std::vector<StatusOr<std::string>> Db::multi_get(ColumnFamily f, const std::vector<std::string>& keys) {
  std::vector<StatusOr<std::string>> out;
  out.reserve(keys.size());
  for (auto& found : find_many(f, keys)) {
    if (!found) out.emplace_back(found.status());
    else if (!*found) out.emplace_back(Status::not_found(std::string(name_of(f)) + " has no such key"));
    else out.emplace_back(std::move(**found));
  }
  return out;
}

std::unique_ptr<rocksdb::Iterator> Db::iterator(ColumnFamily f, const rocksdb::ReadOptions& ro) {
  auto* db = live();
  return std::unique_ptr<rocksdb::Iterator>(db->db->NewIterator(ro, db->handle(f)));
}

Status Db::clear(ColumnFamily f) {
  const std::string what = "clearing " + std::string(name_of(f));
  // Whole table files first (dropped, not read: replay of a 200k-event log spent 9% of
  // its time deleting the read models key by key), then what is left (L0 files, which
  // DeleteFilesInRange never drops, the memtable, files under compaction) by one range
  // tombstone from the first key left to just past the last: read key by key, that rest
  // was still 16% of a 200k-event replay. The tombstone goes at the next compaction
  // that reaches the last level.
  auto* db = live();
  if (auto st = from_rocksdb(rocksdb::DeleteFilesInRange(db->db.get(), db->handle(f), nullptr, nullptr), what); !st)
    return st;
  auto it = iterator(f);
  it->SeekToFirst();
  if (!it->Valid()) return from_rocksdb(it->status(), what);
  it->SeekToLast();
  if (!it->Valid()) return from_rocksdb(it->status(), what);
  std::string past_last = it->key().ToString();
  past_last.push_back('\0');  // the least key above the last one
  rocksdb::WriteBatch batch;
  // From the empty key, not the first one: a range deletion in a hinted family must
  // start outside the hint's domain (Db::open).
  if (auto st = from_rocksdb(batch.DeleteRange(cf(f), "", past_last), what); !st) return st;
  return write(batch, false);
}

}  // namespace moviec::store
