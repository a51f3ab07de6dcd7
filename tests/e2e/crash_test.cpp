// Crash safety: kill -9 `moviec ingest` in the middle of a large file, run it
// again, and the store holds every record's events exactly once.

#include <catch2/catch.hpp>

#include <chrono>
#include <csignal>
#include <fstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "support/build_kind.hpp"
#include "support/moviec_json.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

using namespace moviec::test;
using nlohmann::json;

namespace {

void write_basics(const std::filesystem::path& file, int rows) {
  std::ofstream out(file);
  out << "tconst\ttitleType\tprimaryTitle\toriginalTitle\tisAdult\tstartYear\tendYear\truntimeMinutes\tgenres\n";
  for (int i = 1; i <= rows; ++i) {
    char tconst[16];
    std::snprintf(tconst, sizeof tconst, "tt%07d", i);
    out << tconst << "\tmovie\tGenerated Title " << i << "\tGenerated Title " << i << "\t0\t"
        << 1900 + i % 120 << "\t\\N\t" << 60 + i % 90 << "\tDrama,Comedy\n";
  }
}

}  // namespace

TEST_CASE("kill -9 during ingest loses and duplicates no event, a rerun completes", "[e2e][crash]") {
  TempDir dir;
  // Still running 1.5 s in, in either build.
  constexpr int kRows = by_build(100000, 20000);
  auto basics = dir / "title.basics.tsv";
  write_basics(basics, kRows);
  auto data = (dir / "data").string();

  {
    Process ingest({"ingest", "--data", data, "--source", "imdb", "--json", basics.string()});
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    ingest.signal(SIGKILL);
    int code = ingest.wait();
    INFO("ingest finished before it could be killed: make the file larger");
    REQUIRE(code == 128 + SIGKILL);
  }

  auto summary = ingest_json(data, "imdb", {basics.string()});
  CHECK(summary["read"] == kRows);
  // Some records were committed before the kill and are now unchanged...
  CHECK(summary["unchanged"].get<int>() > 0);
  // ...and the rest went in now.
  CHECK(summary["changed"].get<int>() + summary["unchanged"].get<int>() == kRows);

  auto verify = run_moviec({"verify", "--data", data, "--json"});
  INFO(verify.out);
  CHECK(verify.exit_code == 0);
  auto report = json::parse(verify.out);
  // Each record gives exactly one SourceRecordChanged and one MovieChanged; verify
  // has checked that every event id is stored once.
  CHECK(report["events"] == 2 * kRows);
  CHECK(report["streams"] == kRows);
}
