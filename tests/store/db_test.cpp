// The storage port (store/db.hpp): how a store is left on disk when it closes.

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include <rocksdb/db.h>
#include <rocksdb/utilities/options_util.h>

#include "store/db.hpp"
#include "support/temp_dir.hpp"

using namespace moviec;
using namespace moviec::store;

namespace {

/// Bytes in the store's write-ahead log files (*.log; RocksDB's info LOG has no extension).
std::uintmax_t wal_bytes(const std::string& path) {
  std::uintmax_t total = 0;
  for (auto& entry : std::filesystem::directory_iterator(path))
    if (entry.path().extension() == ".log") total += entry.file_size();
  return total;
}

/// Keys whose byte order is their number's order.
std::string fmt_key(int i) {
  auto digits = std::to_string(i);
  return "k" + std::string(6 - digits.size(), '0') + digits;
}

}  // namespace

TEST_CASE("a store closed cleanly leaves its writes in tables, not in a WAL the next open must replay", "[store]") {
  test::TempDir dir;
  {
    auto db = Db::open(dir.str());
    REQUIRE(db);
    rocksdb::WriteBatch batch;
    for (int i = 0; i < 1000; ++i)
      batch.Put((*db)->cf(ColumnFamily::meta), "key" + std::to_string(i), std::string(100, 'v'));
    REQUIRE((*db)->write(batch, true));
    CHECK(wal_bytes(dir.str()) > 100000);  // written through the WAL, as every write is
  }
  CHECK(wal_bytes(dir.str()) == 0);
  auto db = Db::open(dir.str());
  REQUIRE(db);
  auto value = (*db)->get(ColumnFamily::meta, "key999");
  REQUIRE(value);
  CHECK(*value == std::string(100, 'v'));
}

TEST_CASE("opening a store again and again leaves no empty WAL files behind", "[store]") {
  test::TempDir dir;
  auto wal_files = [&] {
    int n = 0;
    for (auto& entry : std::filesystem::directory_iterator(dir.str())) n += entry.path().extension() == ".log";
    return n;
  };
  for (int i = 0; i < 6; ++i) {
    auto db = Db::open(dir.str());
    REQUIRE(db);
    if (i == 2) {  // a write in between: it goes to tables at close, as ever
      rocksdb::WriteBatch batch;
      batch.Put((*db)->cf(ColumnFamily::meta), "written", "yes");
      REQUIRE((*db)->write(batch, true));
    }
    CHECK(wal_files() == 1);  // its own, and none of the earlier opens'
  }
  auto db = Db::open(dir.str());
  REQUIRE(db);
  auto value = (*db)->get(ColumnFamily::meta, "written");
  REQUIRE(value);
  CHECK(*value == "yes");
}

TEST_CASE("scan_get answers as multi_get does, keys in any order, near and far apart, present or not", "[store]") {
  test::TempDir dir;
  auto db = Db::open(dir.str());
  REQUIRE(db);
  rocksdb::WriteBatch batch;
  for (int i = 0; i < 2000; i += 2)  // even keys only: every odd one is a miss between two hits
    batch.Put((*db)->cf(ColumnFamily::fingerprints), fmt_key(i), "v" + std::to_string(i));
  REQUIRE((*db)->write(batch, true));
  std::vector<std::string> keys;
  // Dense runs, gaps wider than the iterator steps, a duplicate, before the first and
  // past the last key, out of order.
  for (int i : {1999, 0, 1, 2, 3, 4, 500, 1998, 4, 3000, 40, 41, 42, 1200, 1202, 1204})
    keys.push_back(fmt_key(i));
  keys.push_back("");
  keys.push_back("zzz");
  auto scanned = (*db)->scan_get(ColumnFamily::fingerprints, keys);
  auto looked_up = (*db)->multi_get(ColumnFamily::fingerprints, keys);
  REQUIRE(scanned.size() == keys.size());
  int hits = 0;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    INFO("key " << keys[i]);
    REQUIRE(bool(scanned[i]) == bool(looked_up[i]));
    if (scanned[i]) {
      CHECK(*scanned[i] == *looked_up[i]);
      ++hits;
    } else {
      CHECK(scanned[i].status().code() == Status::Code::not_found);
    }
  }
  CHECK(hits == 11);  // 0 2 4 500 1998 4 40 42 1200 1202 1204
}

TEST_CASE("find answers nothing for a missing key and find_many answers each key in order", "[store]") {
  test::TempDir dir;
  auto db = Db::open(dir.str());
  REQUIRE(db);
  rocksdb::WriteBatch batch;
  batch.Put((*db)->cf(ColumnFamily::matching), "a", "1");
  batch.Put((*db)->cf(ColumnFamily::matching), "c", "");
  REQUIRE((*db)->write(batch, true));
  auto a = (*db)->find(ColumnFamily::matching, "a");
  REQUIRE(a);
  CHECK(*a == std::optional<std::string>("1"));
  auto b = (*db)->find(ColumnFamily::matching, "b");
  REQUIRE(b);
  CHECK_FALSE(b->has_value());
  CHECK((*db)->get(ColumnFamily::matching, "b").status().code() == Status::Code::not_found);
  auto many = (*db)->find_many(ColumnFamily::matching, {"c", "b", "a", "a"});
  REQUIRE(many.size() == 4);
  for (auto& f : many) REQUIRE(f);
  CHECK(*many[0] == std::optional<std::string>(""));  // present, empty
  CHECK_FALSE(many[1]->has_value());
  CHECK(*many[2] == std::optional<std::string>("1"));
  CHECK(*many[3] == std::optional<std::string>("1"));
}

namespace {

/// Opens the store's RocksDB as an earlier build did (every family, no memtable insert
/// hints) and leaves `write`'s batch in the WAL only: a crash of that build.
void write_as_an_unhinted_build_crashing(const std::string& path,
                                         const std::function<void(rocksdb::DB&, std::vector<rocksdb::ColumnFamilyHandle*>&)>& write) {
  rocksdb::Options options;
  options.create_if_missing = true;
  options.create_missing_column_families = true;
  options.avoid_flush_during_shutdown = true;
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  for (auto name : kColumnFamilyNames) families.emplace_back(std::string(name), rocksdb::ColumnFamilyOptions());
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  REQUIRE(rocksdb::DB::Open(options, path, families, &handles, &raw).ok());
  write(*raw, handles);
  for (auto* h : handles) raw->DestroyColumnFamilyHandle(h);
  delete raw;
}

}  // namespace

TEST_CASE("a WAL with range deletions from an earlier build is replayed without memtable insert hints", "[store]") {
  // RocksDB 7.8 gives a range deletion the insert hint of its start key's prefix, for
  // the other skip list of the memtable: replayed into hinted memtables, such a WAL
  // failed an assertion (store/db.cpp, Db::open).
  test::TempDir dir;
  auto movie_index = static_cast<std::size_t>(ColumnFamily::movie_index);
  write_as_an_unhinted_build_crashing(dir.str(), [&](rocksdb::DB& db, auto& handles) {
    rocksdb::WriteBatch batch;
    for (int i = 0; i < 100; ++i) batch.Put(handles[movie_index], fmt_key(i), "");
    batch.DeleteRange(handles[movie_index], fmt_key(10), fmt_key(20));
    for (int i = 100; i < 200; ++i) batch.Put(handles[movie_index], fmt_key(i), "");
    batch.DeleteRange(handles[movie_index], fmt_key(150), fmt_key(160));
    REQUIRE(db.Write(rocksdb::WriteOptions(), &batch).ok());
  });
  REQUIRE(wal_bytes(dir.str()) > 0);

  for (int open = 0; open < 2; ++open) {  // the second open: hinted from the start
    auto db = Db::open(dir.str());
    REQUIRE(db);
    auto it = (*db)->iterator(ColumnFamily::movie_index);
    std::vector<std::string> keys;
    for (it->SeekToFirst(); it->Valid(); it->Next()) keys.push_back(it->key().ToString());
    CHECK(keys.size() == (open == 0 ? 180u : 280u));
    CHECK(std::find(keys.begin(), keys.end(), fmt_key(15)) == keys.end());
    CHECK(std::find(keys.begin(), keys.end(), fmt_key(155)) == keys.end());
    CHECK(std::find(keys.begin(), keys.end(), fmt_key(160)) != keys.end());
    // Writes in key order and a clear() (a range deletion from the empty key) work on
    // the hinted memtables.
    rocksdb::WriteBatch batch;
    for (int i = 300; i < 400; ++i) batch.Put((*db)->cf(ColumnFamily::movie_index), fmt_key(i), "");
    REQUIRE((*db)->write(batch, true));
    if (open == 1) {
      REQUIRE((*db)->clear(ColumnFamily::movie_index));
      auto after = (*db)->iterator(ColumnFamily::movie_index);
      after->SeekToFirst();
      CHECK(!after->Valid());
    }
  }
  // The last open had the hints, and says so in its OPTIONS file.
  rocksdb::ConfigOptions config;
  config.ignore_unknown_options = true;
  rocksdb::DBOptions db_options;
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  REQUIRE(rocksdb::LoadLatestOptions(config, dir.str(), &db_options, &families).ok());
  for (auto& f : families)
    if (f.name == "movie_index") CHECK(f.options.memtable_insert_with_hint_prefix_extractor != nullptr);
}
