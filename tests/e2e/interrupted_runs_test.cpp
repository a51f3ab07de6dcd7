// A push cut short by kill -9: the next start marks its run "interrupted" (not
// "running" forever) and removes the body it left in DATA/push.

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "support/serve.hpp"
#include "support/temp_dir.hpp"

using nlohmann::json;
using namespace moviec::test;
namespace fs = std::filesystem;

namespace {

std::string write_interrupted_config(const TempDir& dir) {
  json feed{{"type", "jsonl"}, {"source_id", "id"}, {"movie_id", "imdb"},
            {"fields", {{{"column", "title"}, {"field", "title"}}}}};
  json config{{"token", "s3cret"}, {"sources", {{{"name", "feed"}, {"format", "layout"}, {"options", feed}}}}};
  auto path = (dir / "moviec.json").string();
  std::ofstream(path) << config.dump();
  return path;
}

std::size_t files_in(const fs::path& dir) {
  std::error_code ec;
  std::size_t n = 0;
  for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator(); ++it) ++n;
  return n;
}

}  // namespace

TEST_CASE("a push cut short by kill -9 is marked interrupted and its body removed", "[e2e][crash]") {
  TempDir dir;
  auto data = (dir / "data").string();
  auto config = write_interrupted_config(dir);
  std::ostringstream body;
  for (int i = 1; i <= 200000; ++i) {
    char id[16];
    std::snprintf(id, sizeof id, "tt%07d", i);
    body << R"({"id": ")" << i << R"(", "imdb": ")" << id << R"(", "title": "Pushed )" << i << "\"}\n";
  }
  {
    Serving s(data, {"--config", config});
    std::thread pusher([&] {
      httplib::Client client("127.0.0.1", s.port());
      client.set_read_timeout(120);
      (void)client.Post("/ingest/feed", {{"Authorization", "Bearer s3cret"}}, body.str(), "application/x-ndjson");
    });
    // Kill once the run is on record and its body on disk.
    bool running = wait_until([&] {
      auto feed = source_of(s.get("/sources"), "feed");
      return feed.is_object() && feed["last_run"].is_object() && feed["last_run"]["state"] == "running";
    });
    CHECK(files_in(fs::path(data) / "push") == 1);
    s.kill();
    pusher.join();
    REQUIRE(running);
  }
  Serving again(data, {"--config", config});
  auto feed = source_of(again.get("/sources"), "feed");
  CHECK(feed["last_run"]["state"] == "interrupted");
  CHECK_THAT(feed["last_run"]["summary"]["error"].get<std::string>(), Catch::StartsWith("interrupted"));
  CHECK(files_in(fs::path(data) / "push") == 0);
}
