// A movie's poster and trailer on the web page, in real headless Chromium driven by
// playwright-core (tests/web/browse.mjs): a layout source's row names a poster and
// a trailer file beside it, `moviec ingest` puts them in the asset bucket, and the
// movie view shows the image (decoded: it has a size) and a <video> that loads its
// metadata and seeks to 2.5 s, fetching /assets/{sha256} with Range (206).
//
// Skipped with a WARN without /usr/bin/chromium, node or node_modules/playwright-core
// (scripts/setup.sh installs all three). MOVIEC_SCREENSHOTS=DIR keeps the screenshot.

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "support/moviec_json.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"
#include "web/browser.hpp"

using nlohmann::json;
using namespace moviec::test;
namespace fs = std::filesystem;

namespace {

const char* kConfig = R"({
  "sources": [
    {"name": "studio", "format": "layout", "options": {
      "type": "csv", "source_id": "id", "movie_id": "imdb",
      "fields": [{"column": "title", "field": "title"}, {"column": "year", "field": "year", "type": "int"},
                 {"column": "poster", "field": "posters"}, {"column": "trailer", "field": "trailers"}]}}
  ]})";

}  // namespace

TEST_CASE("a movie shows its poster and plays its trailer, seeking by Range", "[web][browser][assets]") {
  auto missing = missing_browser_tools();
  if (!missing.empty()) {
    WARN("skipped: " << missing << " (scripts/setup.sh installs it)");
    return;
  }
  TempDir dir;
  auto config = (dir / "moviec.json").string();
  std::ofstream(config) << kConfig;
  auto drop = dir / "drop";
  fs::create_directories(drop);
  fs::copy_file(kRepoRoot / "tests/fixtures/assets/poster.png", drop / "poster.png");
  fs::copy_file(kRepoRoot / "tests/fixtures/assets/trailer.webm", drop / "trailer.webm");
  std::ofstream(drop / "studio.csv") << "id,imdb,title,year,poster,trailer\n"
                                        "1,tt0000301,Media Test,1999,poster.png,trailer.webm\n";
  auto data = (dir / "data").string();
  auto summary = ingest_json(data, "studio", {(drop / "studio.csv").string()}, {"--config", config});
  REQUIRE(summary["changed"] == 1);

  Server server(data, {"--config", config});
  auto seen = browse({"media", "http://127.0.0.1:" + std::to_string(server.port()), "tt0000301",
                      screenshot_path(dir, "movie-media.png")});
  INFO(seen.dump(1));
  REQUIRE_FALSE(seen.contains("failure"));
  CHECK(seen["state"] == "ready");
  CHECK(seen["console_errors"].empty());

  // The poster: the bucket address of the fixture, decoded at its 120 x 180 pixels.
  REQUIRE(seen["poster"].is_object());
  CHECK(seen["poster"]["src"].get<std::string>().rfind("/assets/", 0) == 0);
  CHECK(seen["poster"]["width"] == 120);
  CHECK(seen["poster"]["height"] == 180);

  // The trailer: 4 s, and a seek to 2.5 s lands there with a frame to show.
  REQUIRE(seen["trailer"].is_object());
  CHECK(seen["trailer"]["error"].is_null());
  CHECK(seen["trailer"]["duration"].get<double>() == Approx(4.0).margin(0.2));
  CHECK(seen["trailer"]["current_time"].get<double>() == Approx(2.5).margin(0.01));
  CHECK(seen["trailer"]["ready_state"].get<int>() >= 1);

  // Chromium fetched the video with a Range header and got 206 with Content-Range.
  const std::string video = seen["trailer"]["src"];
  bool ranged = false;
  for (auto& r : seen["assets"])
    if (r["path"] == video && r["status"] == 206 && r["range"].is_string() &&
        r["content_range"].is_string() && r["content_range"].get<std::string>().rfind("bytes ", 0) == 0)
      ranged = true;
  CHECK(ranged);
}
