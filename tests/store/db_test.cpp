// The storage port (store/db.hpp): how a store is left on disk when it closes.

#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <vector>

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
