// The demo as a newcomer meets it: scripts/load_demo.sh (what README's first
// command, scripts/demo.sh, runs after the build) loads examples/ with the real
// binary, `moviec serve --config examples/demo/moviec.json` serves it, and:
// - over HTTP, a modern film has MovieLens, Rotten Tomatoes and vega, its runtime
//   conflict decided by source_priority, and a poster in the bucket; a classic has
//   IMDb, MovieLens and vega, its year conflict decided the same way;
// - in headless Chromium (tests/web/browse.mjs), the front (#/) shows those films as
//   cards: their sources, the conflict, the ratings as bars on one 0-100 scale and a
//   decoded poster.
// Loading again appends nothing. Browser part skipped with a WARN without Chromium,
// node or node_modules/playwright-core. MOVIEC_SCREENSHOTS=DIR keeps the screenshot.

#include <catch2/catch.hpp>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "support/process.hpp"
#include "support/temp_dir.hpp"
#include "web/browser.hpp"

using nlohmann::json;
using namespace moviec::test;
namespace fs = std::filesystem;

namespace {

int load_demo(const std::string& data) {
  std::string cmd = "MOVIEC=" + shell_quote(MOVIEC_BINARY) + " bash " +
                    shell_quote((kRepoRoot / "scripts/load_demo.sh").string()) + " " + shell_quote(data) +
                    " >/dev/null 2>&1";
  return std::system(cmd.c_str());
}

json get(httplib::Client& c, const std::string& path) {
  auto res = c.Get(path.c_str());
  REQUIRE(res);
  INFO(path << " -> " << res->status << " " << res->body.substr(0, 300));
  REQUIRE(res->status == 200);
  return json::parse(res->body);
}

std::set<std::string> sources_of(const json& movie) {
  std::set<std::string> out;
  for (auto& s : movie["sources"]) out.insert(s["source"].get<std::string>());
  return out;
}

/// browse() and what every demo view must be: ready, no console error.
json browse_ready(const std::vector<std::string>& args) {
  auto seen = browse(args);
  INFO(seen.dump(1));
  REQUIRE_FALSE(seen.contains("failure"));
  CHECK(seen["state"] == "ready");
  CHECK(seen["console_errors"].empty());
  return seen;
}

}  // namespace

TEST_CASE("the demo loads films several sources describe and the front shows them", "[web][demo]") {
  TempDir dir;
  auto data = (dir / "demo-data").string();
  REQUIRE(load_demo(data) == 0);
  const std::string config = (kRepoRoot / "examples/demo/moviec.json").string();
  Server server(data, {"--config", config});
  httplib::Client http("127.0.0.1", server.port());
  http.set_read_timeout(60);

  // A modern film: MovieLens, Rotten Tomatoes, vega (and the posters source).
  auto gladiator = get(http, "/movies/tt0172495");
  INFO(gladiator.dump());
  CHECK(sources_of(gladiator) == std::set<std::string>{"movielens", "posters", "rotten_tomatoes", "vega"});
  CHECK(gladiator["title"] == "Gladiator");
  CHECK(gladiator["runtime_minutes"] == 171);  // RT 171, vega 150: source_priority puts RT first
  CHECK(gladiator["provenance"]["runtime_minutes"]["source"] == "rotten_tomatoes");
  CHECK(gladiator["provenance"]["runtime_minutes"]["rule"] == "source_priority");
  REQUIRE(gladiator["posters"].size() == 1);
  auto poster = http.Get(gladiator["posters"][0].get<std::string>().c_str());
  REQUIRE(poster);
  CHECK(poster->status == 200);
  CHECK(poster->get_header_value("Content-Type") == "image/png");
  CHECK(poster->body.substr(1, 3) == "PNG");

  // A classic: IMDb, MovieLens, vega; vega says 1933, MovieLens and IMDb 1934. MovieLens
  // (examples/movielens, loaded first) set it; IMDb agreeing later changes nothing.
  auto night = get(http, "/movies/tt0025316");
  INFO(night.dump());
  CHECK(sources_of(night) == std::set<std::string>{"imdb", "movielens", "posters", "vega"});
  CHECK(night["year"] == 1934);
  CHECK(night["provenance"]["year"]["source"] == "movielens");
  CHECK(night["runtime_minutes"] == 105);  // IMDb's: neither MovieLens nor vega has one
  CHECK(night["ratings"].contains("imdb"));
  CHECK(night["ratings"].contains("movielens"));
  CHECK(night["ratings"].contains("rotten_tomatoes"));  // vega's Rotten Tomatoes rating

  // Toy Story's "trailer" (the generated test pattern) is in the bucket too.
  auto toy = get(http, "/movies/tt0114709");
  REQUIRE(toy["trailers"].size() == 1);
  auto clip = http.Get(toy["trailers"][0].get<std::string>().c_str(), {{"Range", "bytes=0-3"}});
  REQUIRE(clip);
  CHECK(clip->status == 206);
  CHECK(clip->get_header_value("Content-Type") == "video/webm");

  // The browser's front page.
  auto missing = missing_browser_tools();
  if (!missing.empty()) {
    WARN("browser part skipped: " << missing << " (scripts/setup.sh installs it)");
  } else {
    const std::string base = "http://127.0.0.1:" + std::to_string(server.port());
    auto seen = browse_ready({"front", base, screenshot_path(dir, "demo-front.png")});
    REQUIRE(seen["cards"].size() == 11);  // the 11 films of examples/demo
    json card_gladiator, card_night;
    for (auto& c : seen["cards"]) {
      CHECK(c["sources"].size() >= 3);
      CHECK(c["poster"].is_object());
      if (c["poster"].is_object()) CHECK(c["poster"]["width"] == 120);  // decoded
      CHECK(c["bars"].size() >= 3);
      for (auto& b : c["bars"]) {
        CHECK(b["value"].get<double>() >= 0);
        CHECK(b["value"].get<double>() <= 100);
      }
      if (c["movie"] == "tt0172495") card_gladiator = c;
      if (c["movie"] == "tt0025316") card_night = c;
    }
    REQUIRE(card_gladiator.is_object());
    REQUIRE(card_night.is_object());
    CHECK(card_gladiator["sources"] == json{"movielens", "posters", "rotten_tomatoes", "vega"});
    REQUIRE(card_gladiator["conflicts"].size() == 1);
    CHECK(card_gladiator["conflicts"][0].get<std::string>().find(
              "runtime_minutes: rotten_tomatoes 171, vega 150 → 171 (rotten_tomatoes by rule source_priority)") !=
          std::string::npos);
    CHECK(card_night["sources"] == json{"imdb", "movielens", "posters", "vega"});
    bool year_conflict = false;
    for (auto& c : card_night["conflicts"])
      if (c.get<std::string>().find("year: movielens 1934, imdb 1934, vega 1933 → 1934 (movielens by rule source_priority)") != std::string::npos)
        year_conflict = true;
    CHECK(year_conflict);
    // Ratings side by side: IMDb's own, vega's IMDb and Rotten Tomatoes figures, MovieLens's mean.
    std::set<std::string> labels;
    for (auto& b : card_night["bars"]) labels.insert(b["label"].get<std::string>());
    CHECK(labels.count("imdb · imdb") == 1);
    CHECK(labels.count("vega · imdb") == 1);
    CHECK(labels.count("vega · rotten_tomatoes") == 1);
    CHECK(labels.count("movielens · movielens") == 1);

    // A movie's charts: every source's ratings on 0-100, and its history as a timeline.
    auto movie = browse_ready({"charts", base, "#/movies/tt0172495", screenshot_path(dir, "demo-movie.png")});
    INFO(movie.dump(1));
    auto bars = movie["charts"]["ratings-chart"]["bars"];
    std::map<std::string, double> rating;
    for (auto& b : bars) rating[b["label"].get<std::string>()] = b["value"].get<double>();
    CHECK(rating.size() == 5);  // MovieLens's mean, RT's tomatometer and audience, vega's IMDb and RT
    CHECK(rating.count("rotten_tomatoes · tomatometer") == 1);
    CHECK(rating["vega · imdb"] == Approx(83.0));  // 8.3 of 10
    CHECK(rating["vega · rotten_tomatoes"] == Approx(77.0));
    auto marks = movie["charts"]["timeline"]["marks"];
    auto history = get(http, "/movies/tt0172495/history?limit=1000");
    REQUIRE(marks.size() == history["events"].size());  // one mark per event, oldest first
    std::set<std::string> lanes, kinds;
    for (std::size_t i = 0; i < marks.size(); ++i) {
      CHECK(marks[i]["seq"] == history["events"][i]["sequence"]);
      lanes.insert(marks[i]["lane"].get<std::string>());
      kinds.insert(marks[i]["kind"].get<std::string>());
    }
    CHECK(lanes == std::set<std::string>{"golden record", "movielens", "posters", "rotten_tomatoes", "vega"});
    CHECK(kinds == std::set<std::string>{"change", "record"});

    // The sources page: a match-rate bar per source with records, and each last run's speed.
    auto sources = browse_ready({"charts", base, "#/sources", screenshot_path(dir, "demo-sources.png")});
    INFO(sources.dump(1));
    std::map<std::string, double> rate;
    for (auto& b : sources["charts"]["match-chart"]["bars"]) rate[b["label"].get<std::string>()] = b["value"].get<double>();
    CHECK(rate.size() == 5);
    CHECK(rate["posters"] == Approx(100.0));
    CHECK(rate["imdb"] == Approx(100.0));
    CHECK(rate["vega"] > 0);
    CHECK(sources["charts"]["speed-chart"]["bars"].size() == 5);
  }

  // Loading again: every file unchanged, nothing appended.
  auto before = get(http, "/stats")["events"];
  server.process().signal(SIGTERM);
  server.process().wait();
  REQUIRE(load_demo(data) == 0);
  Server again(data, {"--config", config});
  httplib::Client http2("127.0.0.1", again.port());
  CHECK(get(http2, "/stats")["events"] == before);
}
