// `moviec verify` right after a crash: read models that lag a sound log (they
// follow it asynchronously) are caught up first and reported apart, so that
// FAILED means corruption, not a lag.

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "store/column_families.hpp"
#include "store/db.hpp"
#include "store/keys.hpp"
#include "store/read_models.hpp"
#include "support/moviec_json.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

using namespace moviec::test;
using nlohmann::json;

TEST_CASE("verify catches lagging read models up and passes", "[e2e][verify]") {
  TempDir dir;
  auto data = (dir / "data").string();
  auto summary = ingest_json(data, "imdb", {std::string(MOVIEC_EXAMPLES) + "/imdb/title.basics.tsv"});
  REQUIRE(summary["appended"].get<int>() > 0);
  {
    // As if the process died before the projection wrote anything: no read
    // model rows and no checkpoint, a complete log.
    auto db = moviec::store::Db::open(data + "/db");
    REQUIRE(db);
    for (auto family : moviec::store::kReadModelFamilies) REQUIRE((*db)->clear(family));
    rocksdb::WriteBatch reset;
    reset.Delete((*db)->cf(moviec::store::ColumnFamily::checkpoints),
                 moviec::store::keys::checkpoint_key(moviec::store::Projector::kName));
    REQUIRE((*db)->write(reset, true));
  }
  auto verify = run_moviec({"verify", "--data", data, "--json"});
  INFO(verify.out);
  CHECK(verify.exit_code == 0);
  auto report = json::parse(verify.out);
  CHECK(report["ok"] == true);
  CHECK(report["read_models_caught_up"] == report["events"]);
  // Caught up for good: a second verify finds no lag.
  auto again = json::parse(run_moviec({"verify", "--data", data, "--json"}).out);
  CHECK(again["ok"] == true);
  CHECK(again["read_models_caught_up"] == 0);
}
