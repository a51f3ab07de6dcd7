// Checking a batch's fingerprints on a worker thread while the source reads the next
// (actors/unchanged_check.hpp): the same answers as checking in place, in order, and
// a fingerprint that throws on the worker throws where the batch is collected.

#include <catch2/catch.hpp>

#include <rocksdb/write_batch.h>

#include "actors/unchanged_check.hpp"
#include "store/keys.hpp"
#include "support/temp_dir.hpp"

using namespace moviec;
using moviec::test::TempDir;

namespace {

actors::IngestItem item(const std::string& id, const std::string& title) {
  actors::IngestItem it;
  it.record.source = "imdb";
  it.record.source_id = id;
  it.record.movie_id = id;
  it.record.title = title;
  return it;
}

/// A store that holds the fingerprints of records "tt0".."tt(n-1)" titled "Film i".
std::unique_ptr<store::Db> store_with(const TempDir& dir, int n) {
  auto db = store::Db::open(dir.str()).take();
  rocksdb::WriteBatch batch;
  for (int i = 0; i < n; ++i) {
    auto it = item("tt" + std::to_string(i), "Film " + std::to_string(i));
    batch.Put(db->cf(store::ColumnFamily::fingerprints), store::keys::fingerprint_key("imdb", it.record.source_id),
              it.record.fingerprint());
  }
  REQUIRE(db->write(batch, false));
  return db;
}

}  // namespace

TEST_CASE("batches checked on the worker drop exactly the unchanged records and keep the rest in order",
          "[actors]") {
  TempDir dir;
  auto db = store_with(dir, 300);
  actors::UnchangedCheck check(*db);
  std::vector<std::string> changed_ids;
  std::size_t unchanged = 0;
  for (int start = 0; start < 400; start += 100) {  // the last batch is new records only
    actors::IngestBatch batch;
    for (int i = start; i < start + 100; ++i)
      batch.push_back(item("tt" + std::to_string(i), i % 37 == 0 ? "Changed" : "Film " + std::to_string(i)));
    if (start % 200 == 0) batch[10].fingerprint = batch[10].record.fingerprint();  // some done ahead
    if (check.pending()) {
      auto result = check.collect();
      unchanged += result.unchanged;
      for (auto& it : result.changed) changed_ids.push_back(it.record.source_id);
      CHECK(result.spare.empty());
    }
    check.start(std::move(batch));
    CHECK(check.pending());
  }
  auto last = check.collect();
  CHECK_FALSE(check.pending());
  unchanged += last.unchanged;
  for (auto& it : last.changed) {
    CHECK(it.fingerprint == it.record.fingerprint());  // filled in for the movie's event
    changed_ids.push_back(it.record.source_id);
  }
  // In place, the same: every 37th of the stored 300 changed, the 100 new ones new.
  std::vector<std::string> expected;
  for (int i = 0; i < 400; ++i)
    if (i % 37 == 0 || i >= 300) expected.push_back("tt" + std::to_string(i));
  CHECK(changed_ids == expected);
  CHECK(unchanged == 300 - 9);
  actors::IngestBatch all;
  for (int i = 0; i < 400; ++i)
    all.push_back(item("tt" + std::to_string(i), i % 37 == 0 ? "Changed" : "Film " + std::to_string(i)));
  actors::IngestBatch changed;
  CHECK(actors::drop_unchanged(*db, all, changed) == unchanged);
  CHECK(changed.size() == expected.size());
  CHECK(all.empty());
}

TEST_CASE("a fingerprint that throws on the worker throws where its batch is collected", "[actors]") {
  TempDir dir;
  auto db = store_with(dir, 3);
  actors::UnchangedCheck check(*db);
  actors::IngestBatch batch;
  batch.push_back(item("tt1", "Film 1"));
  batch.push_back(item("tt2", "not UTF-8 \xff"));  // the canonical JSON refuses it
  check.start(std::move(batch));
  CHECK_THROWS(check.collect());
  CHECK_FALSE(check.pending());
  // The worker goes on with the next batch.
  actors::IngestBatch next;
  next.push_back(item("tt0", "Film 0"));
  check.start(std::move(next));
  auto result = check.collect();
  CHECK(result.unchanged == 1);
  CHECK(result.changed.empty());
}
