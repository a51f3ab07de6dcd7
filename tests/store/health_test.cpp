// The store's write admission (store/health.hpp): the free-space reserve refuses a
// write before it reaches RocksDB, the store reports read-only with the reason, and
// reads go on. (The full disk itself: tests/e2e/disk_full_test.cpp.)

#include <catch2/catch.hpp>

#include <memory>

#include "store/db.hpp"
#include "support/temp_dir.hpp"

using namespace moviec;
using namespace moviec::store;

namespace {

std::unique_ptr<Db> open_db(const test::TempDir& dir, std::uint64_t min_free_bytes) {
  Db::Options options;
  options.min_free_bytes = min_free_bytes;
  auto db = Db::open(dir.str(), options);
  REQUIRE(db);
  return db.take();
}

Status put(Db& db, const std::string& key) {
  rocksdb::WriteBatch batch;
  batch.Put(db.cf(ColumnFamily::meta), key, "v");
  return db.write(batch, false);
}

}  // namespace

TEST_CASE("a write below the free-space reserve is refused with no_space and the reason", "[store]") {
  test::TempDir dir;
  {
    auto db = open_db(dir, 0);
    REQUIRE(put(*db, "before"));
    auto h = db->health();
    CHECK(h.writable);
    CHECK(h.reason.empty());
    CHECK(h.free_bytes > 0);
  }
  auto db = open_db(dir, std::uint64_t{1} << 60);  // more than any disk has free
  auto refused = put(*db, "after");
  CHECK(refused.code() == Status::Code::no_space);
  CHECK_THAT(refused.message(), Catch::Contains("read-only") && Catch::Contains("storage.min_free_bytes"));
  auto h = db->health();
  CHECK_FALSE(h.writable);
  CHECK(h.no_space);
  CHECK(h.since_ms > 0);
  CHECK(h.refused_writes == 1);
  CHECK(h.min_free_bytes == std::uint64_t{1} << 60);
  // Reads go on; the refused write left nothing.
  CHECK(db->get(ColumnFamily::meta, "before"));
  CHECK(db->get(ColumnFamily::meta, "after").status().code() == Status::Code::not_found);
  CHECK(put(*db, "again").code() == Status::Code::no_space);
  CHECK(db->health().refused_writes == 2);
}

TEST_CASE("a store with no reserve takes writes whatever the free space", "[store]") {
  test::TempDir dir;
  auto db = open_db(dir, 0);
  for (int i = 0; i < 10; ++i) REQUIRE(put(*db, "k" + std::to_string(i)));
  CHECK(db->health().writable);
  CHECK(db->health().refused_writes == 0);
}
