// A JSON number too big for a double (1e999) is a reject with file:line and the
// reason, through every way in: `moviec ingest`, POST /ingest/{source} and an
// inbox. Each answers promptly; the rows around it are ingested.

#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "support/serve.hpp"
#include "support/temp_dir.hpp"

using nlohmann::json;
using namespace moviec::test;
namespace fs = std::filesystem;

namespace {

std::string write_hostile_config(const TempDir& dir) {
  json feed{{"type", "jsonl"}, {"source_id", "id"}, {"movie_id", "imdb"},
            {"fields", {{{"column", "title"}, {"field", "title"}, {"required", true}}}}};
  json config{{"token", "s3cret"},
              {"inbox_scan_ms", 100},
              {"sources",
               {{{"name", "feed"}, {"format", "layout"}, {"options", feed}, {"inbox", (dir / "inbox").string()}},
                {{"name", "vega"}, {"format", "vega_json"}}}}};
  auto path = (dir / "moviec.json").string();
  std::ofstream(path) << config.dump(2);
  return path;
}

// Line 2 has the number (under a key no field maps), line 3 one under a mapped key.
const std::string kHostileLines =
    "{\"id\": \"a\", \"imdb\": \"tt0000201\", \"title\": \"Before\"}\n"
    "{\"id\": \"b\", \"imdb\": \"tt0000202\", \"title\": \"Huge\", \"extra\": 1e999}\n"
    "{\"id\": \"c\", \"imdb\": \"tt0000203\", \"title\": -1e999}\n"
    "{\"id\": \"d\", \"imdb\": \"tt0000204\", \"title\": \"After\"}\n";

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace

TEST_CASE("moviec ingest rejects a number too big for a double and finishes", "[e2e][robust]") {
  TempDir dir;
  auto config = write_hostile_config(dir);
  auto file = dir / "vega.json";
  std::ofstream(file) << "[{\"Title\": 1e999},\n {\"Title\": \"Kept\", \"Release Date\": \"Feb 03 2001\"}]\n";
  auto started = std::chrono::steady_clock::now();
  // `timeout` bounds the test if moviec hangs (as it did: a 24 h request timeout).
  std::string cmd = "timeout -s KILL 60 " + shell_quote(MOVIEC_BINARY) + " ingest --json --data " +
                    shell_quote((dir / "data").string()) + " --config " + shell_quote(config) +
                    " --source vega " + shell_quote(file.string()) + " 2>&1";
  auto [exit_code, out] = run_shell(cmd);
  INFO(out);
  CHECK(seconds_since(started) < 30);
  CHECK(exit_code == 0);
  CHECK_THAT(out, Catch::Contains("vega.json:1: invalid JSON in the record: number overflow"));
  auto summary = json::parse(out.substr(out.rfind('{')));
  CHECK(summary["read"] == 1);
  CHECK(summary["rejected"] == 1);
  CHECK(summary["failed"] == 0);
}

TEST_CASE("a pushed number too big for a double is a reject and the push is answered", "[e2e][robust]") {
  TempDir dir;
  Serving s((dir / "data").string(), {"--config", write_hostile_config(dir)});
  s.client().set_read_timeout(30);
  httplib::Headers auth{{"Authorization", "Bearer s3cret"}};
  for (int i = 0; i < 3; ++i) {  // a pinned worker per push was the old failure: try a few
    auto started = std::chrono::steady_clock::now();
    auto res = s.client().Post("/ingest/feed", auth, kHostileLines, "application/x-ndjson");
    REQUIRE(res);
    INFO(res->body);
    CHECK(seconds_since(started) < 20);
    CHECK(res->status == 200);
    auto body = json::parse(res->body);
    CHECK(body["rejected"] == 2);
    CHECK(body["failed"] == 0);
    CHECK(body["read"] == 2);
  }
  auto rejects = s.get("/sources/feed/rejects");
  REQUIRE(rejects["rejects"].size() >= 2);
  CHECK(rejects["rejects"][0]["line"] == 2);
  CHECK_THAT(rejects["rejects"][0]["reason"].get<std::string>(), Catch::Contains("number overflow"));
  CHECK(s.get("/movies/tt0000204")["title"] == "After");
  int health = 0;
  s.get("/healthz", &health);
  CHECK(health == 200);
}

TEST_CASE("an inbox file with a number too big for a double is processed, not stuck", "[e2e][robust]") {
  TempDir dir;
  Serving s((dir / "data").string(), {"--config", write_hostile_config(dir)});
  drop_file(dir / "inbox" / "huge.jsonl", kHostileLines);
  REQUIRE(wait_until([&] { return fs::exists(dir / "inbox" / "processed" / "huge.jsonl"); },
                     std::chrono::seconds(30)));
  // The inbox keeps going: the next file is taken too.
  drop_file(dir / "inbox" / "next.jsonl", "{\"id\": \"e\", \"imdb\": \"tt0000205\", \"title\": \"Next\"}\n");
  REQUIRE(wait_until([&] { return fs::exists(dir / "inbox" / "processed" / "next.jsonl"); },
                     std::chrono::seconds(30)));
  auto feed = source_of(s.get("/sources"), "feed");
  CHECK(feed["last_run"]["state"] == "done");
  CHECK(wait_until([&] { return s.get("/movies/tt0000204")["title"] == "After"; }, std::chrono::seconds(30)));
}

TEST_CASE("rejected counts every reject, also those beyond the listed sample", "[e2e][robust]") {
  TempDir dir;
  json config{{"sources", {{{"name", "ml"}, {"format", "movielens_csv"}, {"options", {{"max_rejects_per_file", 2}}}}}}};
  auto config_path = (dir / "moviec.json").string();
  std::ofstream(config_path) << config.dump();
  std::ofstream(dir / "movies.csv") << "movieId,title,genres\n1,A (2001),Drama\n";
  std::string ratings = "userId,movieId,rating,timestamp\n";
  for (int i = 0; i < 10; ++i) ratings += "1,1,9,1\n";  // 10 ratings off the scale
  std::ofstream(dir / "ratings.csv") << ratings;
  auto r = run_moviec({"ingest", "--json", "--data", (dir / "data").string(), "--config", config_path, "--source",
                       "ml", (dir / "movies.csv").string(), (dir / "ratings.csv").string()});
  INFO(r.out);
  REQUIRE(r.exit_code == 0);
  auto summary = json::parse(r.out.substr(r.out.rfind('{')));
  CHECK(summary["rejected"] == 10);
}
