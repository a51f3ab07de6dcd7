// The storage port (store/db.hpp): how a store is left on disk when it closes.

#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

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
