// The inbox of `moviec serve`: complete files (renamed in, or with a .ready marker)
// are ingested and moved to processed/ or failed/; after kill -9 mid-file the
// restart resumes from the checkpoint and ends where an uninterrupted run ends.

#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "support/build_kind.hpp"
#include "support/ids.hpp"
#include "support/serve.hpp"
#include "support/temp_dir.hpp"

using nlohmann::json;
using namespace moviec::test;
namespace fs = std::filesystem;

namespace {

json feed_layout() {
  return json::parse(R"({"type": "jsonl", "source_id": "id", "movie_id": "imdb",
    "fields": [{"column": "title", "field": "title", "required": true},
               {"column": "year", "field": "year", "type": "int"},
               {"column": "genres", "field": "genres", "type": "list", "separator": "|"}]})");
}

std::string write_inbox_config(const TempDir& dir, std::size_t checkpoint_every = 10000) {
  json config{{"inbox_scan_ms", 100},
              {"inbox_checkpoint_every", checkpoint_every},
              {"sources",
               {{{"name", "feed"}, {"format", "layout"}, {"options", feed_layout()},
                 {"inbox", (dir / "inbox").string()}},
                {{"name", "marked"}, {"format", "layout"}, {"options", feed_layout()},
                 {"inbox", (dir / "marked").string()}, {"inbox_marker", true}},
                {{"name", "imdb"}, {"format", "imdb_tsv"}, {"inbox", (dir / "imdb").string()}}}}};
  auto path = (dir / "moviec.json").string();
  std::ofstream(path) << config.dump(2);
  return path;
}

/// GET path of the movie the line for record `i` names.
std::string movie_path(int i) { return "/movies/" + imdb_id(i); }

std::string lines(int from, int to) {
  std::ostringstream out;
  for (int i = from; i <= to; ++i) {
    out << R"({"id": ")" << i << R"(", "imdb": ")" << imdb_id(i) << R"(", "title": "Dropped )" << i
        << R"(", "year": )" << 1900 + i % 120 << R"(, "genres": "Drama|Comedy"})" << "\n";
  }
  return out.str();
}

bool present(const fs::path& p) { return fs::exists(p); }

}  // namespace

TEST_CASE("a file renamed into the inbox is ingested and moved to processed", "[e2e][inbox]") {
  TempDir dir;
  Serving s((dir / "data").string(), {"--config", write_inbox_config(dir)});
  drop_file(dir / "inbox" / "a.jsonl", lines(1, 3) + "{\"id\": \"x\"}\n");
  REQUIRE(wait_until([&] { return present(dir / "inbox" / "processed" / "a.jsonl"); }));
  CHECK_FALSE(present(dir / "inbox" / "a.jsonl"));
  // The file moves once its events are committed; the read models follow.
  CHECK(wait_until([&] { return s.get("/movies/tt0000002")["title"] == "Dropped 2"; }));
  auto feed = source_of(s.get("/sources"), "feed");
  CHECK(feed["inbox"] == (dir / "inbox").string());
  CHECK(feed["last_run"]["way"] == "inbox");
  CHECK(feed["last_run"]["input"] == "a.jsonl");
  CHECK(feed["last_run"]["state"] == "done");
  CHECK(feed["last_run"]["summary"]["read"] == 3);
  CHECK(feed["rejects"] == 1);
  auto rejects = s.get("/sources/feed/rejects");
  CHECK(rejects["rejects"][0] == json({{"file", "a.jsonl"}, {"line", 4},
                                       {"reason", "column \"title\": missing (required)"}}));
}

TEST_CASE("with inbox_marker only files with a .ready marker are taken", "[e2e][inbox]") {
  TempDir dir;
  Serving s((dir / "data").string(), {"--config", write_inbox_config(dir)});
  fs::create_directories(dir / "marked");
  std::ofstream(dir / "marked" / "b.jsonl") << lines(10, 11);
  std::this_thread::sleep_for(std::chrono::milliseconds(800));
  CHECK(present(dir / "marked" / "b.jsonl"));  // still being written, as far as moviec knows
  int status = 0;
  s.get("/movies/tt0000010", &status);
  CHECK(status == 404);
  std::ofstream(dir / "marked" / "b.jsonl.ready");
  REQUIRE(wait_until([&] { return present(dir / "marked" / "processed" / "b.jsonl"); }));
  CHECK_FALSE(present(dir / "marked" / "b.jsonl.ready"));
  CHECK(wait_until([&] { return s.get("/movies/tt0000010")["title"] == "Dropped 10"; }));
}

TEST_CASE("a file its source cannot read goes to failed with the reason", "[e2e][inbox]") {
  TempDir dir;
  Serving s((dir / "data").string(), {"--config", write_inbox_config(dir)});
  fs::create_directories(dir / "imdb");
  drop_file(dir / "imdb" / "notes.txt", "not an imdb file\n");
  REQUIRE(wait_until([&] { return present(dir / "imdb" / "failed" / "notes.txt"); }));
  std::ifstream error(dir / "imdb" / "failed" / "notes.txt.error");
  std::string reason((std::istreambuf_iterator<char>(error)), std::istreambuf_iterator<char>());
  CHECK_THAT(reason, Catch::Contains("not an IMDb file"));
  auto imdb = source_of(s.get("/sources"), "imdb");
  CHECK(imdb["last_run"]["way"] == "inbox");
  CHECK(imdb["last_run"]["state"] == "failed");
}

TEST_CASE("kill -9 mid-file: the restart resumes from the checkpoint and ends as an uninterrupted run",
          "[e2e][inbox][crash]") {
  constexpr int kRecords = by_build(30000, 12000);  // killed after 3,000
  constexpr std::size_t kEvery = 500;
  TempDir dir;
  auto config = write_inbox_config(dir, kEvery);
  auto file = lines(1, kRecords);

  // Interrupted: killed once part of the file is in.
  auto data = (dir / "data").string();
  {
    Serving s(data, {"--config", config});
    drop_file(dir / "inbox" / "big.jsonl", file);
    bool partway = wait_until([&] {
      auto events = s.get("/stats")["events"];
      return events.is_number() && events.get<int>() >= 2 * 3000;
    }, std::chrono::seconds(300));
    REQUIRE(partway);
    s.kill();
  }
  INFO("the file was done before the kill: make it larger");
  REQUIRE(present(dir / "inbox" / "big.jsonl"));
  REQUIRE_FALSE(present(dir / "inbox" / "processed" / "big.jsonl"));

  json interrupted_stats, sample;
  {
    Serving s(data, {"--config", config});
    REQUIRE(wait_until([&] { return present(dir / "inbox" / "processed" / "big.jsonl"); },
                       std::chrono::seconds(600)));
    auto feed = source_of(s.get("/sources"), "feed");
    auto summary = feed["last_run"]["summary"];
    INFO(summary.dump());
    CHECK(feed["last_run"]["state"] == "done");
    CHECK(summary["read"] == kRecords);
    CHECK(summary["failed"] == 0);
    // It went on from a checkpoint, not from the top: only the records committed
    // after the last checkpoint were read again (unchanged).
    CHECK(summary["resumed_from"].get<int>() >= 2000);
    CHECK(summary["unchanged"].get<int>() <= static_cast<int>(kEvery) + 512);
    CHECK(summary["changed"].get<int>() + summary["unchanged"].get<int>() == kRecords);
    REQUIRE(wait_until([&] {
      auto st = s.get("/stats");
      return st["projection_checkpoint"] == st["events"];
    }));
    interrupted_stats = s.get("/stats");
    sample = json::array({s.get("/movies/tt0000001"), s.get(movie_path(kRecords / 2)), s.get(movie_path(kRecords))});
  }

  // Uninterrupted, for comparison.
  TempDir other;
  auto other_config = write_inbox_config(other, kEvery);
  auto other_data = (other / "data").string();
  json clean_stats, clean_sample;
  {
    Serving s(other_data, {"--config", other_config});
    drop_file(other / "inbox" / "big.jsonl", file);
    REQUIRE(wait_until([&] { return present(other / "inbox" / "processed" / "big.jsonl"); },
                       std::chrono::seconds(600)));
    REQUIRE(wait_until([&] {
      auto st = s.get("/stats");
      return st["projection_checkpoint"] == st["events"];
    }));
    clean_stats = s.get("/stats");
    clean_sample = json::array({s.get("/movies/tt0000001"), s.get(movie_path(kRecords / 2)), s.get(movie_path(kRecords))});
  }

  CHECK(interrupted_stats["events"] == 2 * kRecords);
  CHECK(interrupted_stats["events"] == clean_stats["events"]);
  CHECK(interrupted_stats["movies"] == clean_stats["movies"]);
  CHECK(interrupted_stats["sources"] == clean_stats["sources"]);
  for (std::size_t i = 0; i < sample.size(); ++i) {
    for (auto key : {"title", "year", "genres", "version", "sources"})
      CHECK(sample[i][key] == clean_sample[i][key]);
  }
  auto verify = run_moviec({"verify", "--data", data, "--json"});
  INFO(verify.out);
  CHECK(verify.exit_code == 0);
}
