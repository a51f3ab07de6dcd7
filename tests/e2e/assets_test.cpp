// The asset bucket as users meet it, through the real binary:
// - a layout source whose rows carry a poster path (relative to the file) and a
//   trailer; `moviec ingest` stores the files into the bucket, the golden record
//   gets posters[]/trailers[] with provenance, GET /assets/{sha256} serves them,
//   `moviec verify` checks every referenced blob and fails when one is missing;
// - POST /assets and GET /assets/{sha256} over real HTTP: token, types, the size
//   limit (assets_max_bytes), ETag and 304, one Range (206), 416, several ranges
//   (200, the whole blob), bad and unknown addresses, a blob changed on disk (500).

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "support/files.hpp"
#include "support/moviec_json.hpp"
#include "support/process.hpp"
#include "support/serve.hpp"
#include "support/temp_dir.hpp"

using nlohmann::json;
using namespace moviec::test;
namespace fs = std::filesystem;

namespace {

const char* kAssetsConfig = R"({
  "token": "secret",
  "assets_max_bytes": 40000,
  "sources": [
    {"name": "imdb", "format": "imdb_tsv"},
    {"name": "studio", "format": "layout", "options": {
      "type": "csv", "source_id": "id", "movie_id": "imdb",
      "fields": [{"column": "title", "field": "title"},
                 {"column": "poster", "field": "posters"},
                 {"column": "trailer", "field": "trailers", "type": "list", "separator": " "}]}},
    {"name": "feed", "format": "layout", "options": {
      "type": "jsonl", "source_id": "id", "movie_id": "imdb",
      "fields": [{"column": "title", "field": "title"}, {"column": "poster", "field": "posters"}]}}
  ]})";

void write_file(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

fs::path fixtures() { return examples().parent_path() / "tests" / "fixtures" / "assets"; }

/// A store with the studio source's three good rows (and four bad ones) ingested.
struct Studio {
  TempDir dir;
  std::string data = (dir / "data").string();
  std::string config = (dir / "moviec.json").string();
  json summary;

  Studio() {
    write_file(config, kAssetsConfig);
    auto in = dir / "drop";
    fs::create_directories(in / "posters");
    fs::copy_file(fixtures() / "poster.png", in / "posters" / "one.png");
    fs::copy_file(fixtures() / "trailer.webm", in / "one-trailer.webm");
    write_file(dir / "outside.png", read_file(fixtures() / "poster.png"));
    write_file(in / "notes.txt", "not an image");
    write_file(in / "studio.csv",
               "id,imdb,title,poster,trailer\n"
               "1,tt0000101,Studio One,posters/one.png,one-trailer.webm https://example.org/t1.mp4\n"
               "2,tt0000102,Studio Two,https://example.org/two.jpg,\n"
               "3,tt0000103,Studio Three,posters/one.png,\n"
               "4,tt0000104,Escapes,../outside.png,\n"
               "5,tt0000105,Absolute," + (dir / "outside.png").string() + ",\n"
               "6,tt0000106,Not An Image,notes.txt,\n"
               "7,tt0000107,Missing,posters/none.png,\n");
    summary = ingest_json(data, "studio", {(in / "studio.csv").string()}, {"--config", config});
  }
};

}  // namespace

TEST_CASE("a layout source's poster and trailer paths go into the bucket and the golden record",
          "[e2e][assets]") {
  Studio s;
  INFO(s.summary.dump());
  CHECK(s.summary["read"] == 3);
  CHECK(s.summary["rejected"] == 4);
  auto rejects = read_file(fs::path(s.data) / "rejects" / "studio.tsv");
  INFO(rejects);
  CHECK(rejects.find("poster \"../outside.png\": a path may not leave the file's directory") != std::string::npos);
  CHECK(rejects.find("an absolute path is not taken") != std::string::npos);
  CHECK(rejects.find("poster \"notes.txt\": not a known image or video file type") != std::string::npos);
  CHECK(rejects.find("poster \"posters/none.png\": cannot open") != std::string::npos);

  const std::string poster = read_file(fixtures() / "poster.png");
  const std::string trailer = read_file(fixtures() / "trailer.webm");
  Serving server(s.data, {"--config", s.config});
  auto movie = server.get("/movies/tt0000101");
  INFO(movie.dump());
  auto posters = movie["posters"];
  REQUIRE(posters.size() == 1);
  const std::string poster_address = posters[0];
  CHECK(poster_address.rfind("/assets/", 0) == 0);
  CHECK(poster_address.size() == 8 + 64);
  CHECK(movie["provenance"]["posters"]["source"] == "studio");
  CHECK(movie["provenance"]["posters"]["rule"] == "union");
  auto trailers = movie["trailers"];
  REQUIRE(trailers.size() == 2);
  CHECK(trailers[1] == "https://example.org/t1.mp4");
  const std::string trailer_address = trailers[0];

  // Same file for two movies: one blob.
  CHECK(server.get("/movies/tt0000103")["posters"][0] == poster_address);
  CHECK(server.get("/movies/tt0000102")["posters"][0] == "https://example.org/two.jpg");

  auto got = server.client().Get(poster_address.c_str());
  REQUIRE(got);
  CHECK(got->status == 200);
  CHECK(got->body == poster);
  CHECK(got->get_header_value("Content-Type") == "image/png");
  auto video = server.client().Get(trailer_address.c_str());
  REQUIRE(video);
  CHECK(video->status == 200);
  CHECK(video->body == trailer);
  CHECK(video->get_header_value("Content-Type") == "video/webm");

  // The source record in the movie's history says where the poster came from.
  auto history = server.get("/movies/tt0000101/history");
  CHECK(history.dump().find(poster_address) != std::string::npos);
  server.kill();

  auto ok = run_moviec({"verify", "--data", s.data, "--json"});
  INFO(ok.out);
  CHECK(ok.exit_code == 0);
  CHECK(json::parse(ok.out)["assets"] == 2);

  // A referenced blob that disappears fails verify, naming it.
  auto sha = trailer_address.substr(8);
  fs::remove(fs::path(s.data) / "assets" / sha.substr(0, 2) / sha);
  auto bad = run_moviec({"verify", "--data", s.data});
  INFO(bad.out);
  CHECK(bad.exit_code == 1);
  CHECK(bad.out.find("asset " + trailer_address + " (referenced by a source record): missing from the bucket") !=
        std::string::npos);
}

TEST_CASE("POST /assets stores a blob and GET /assets/{sha256} serves it with one range",
          "[e2e][assets]") {
  TempDir dir;
  auto config = (dir / "moviec.json").string();
  write_file(config, kAssetsConfig);
  Serving server((dir / "data").string(), {"--config", config});
  auto& http = server.client();
  httplib::Headers auth{{"Authorization", "Bearer secret"}};
  const std::string png = read_file(fixtures() / "poster.png");

  auto created = http.Post("/assets", auth, png, "image/png");
  REQUIRE(created);
  INFO(created->body);
  CHECK(created->status == 201);
  auto body = json::parse(created->body);
  const std::string sha = body["sha256"];
  CHECK(sha.size() == 64);
  CHECK(body["address"] == "/assets/" + sha);
  CHECK(body["size"] == png.size());
  CHECK(body["content_type"] == "image/png");
  CHECK(created->get_header_value("Location") == "/assets/" + sha);
  auto again = http.Post("/assets", auth, png, "image/png");
  REQUIRE(again);
  CHECK(again->status == 200);
  CHECK(json::parse(again->body)["sha256"] == sha);

  // Refusals: token, type, size (declared and actual), empty body.
  auto no_token = http.Post("/assets", png, "image/png");
  REQUIRE(no_token);
  CHECK(no_token->status == 401);
  auto text = http.Post("/assets", auth, "hello", "text/plain");
  REQUIRE(text);
  CHECK(text->status == 415);
  auto big = http.Post("/assets", auth, std::string(40001, 'x'), "video/mp4");
  REQUIRE(big);
  CHECK(big->status == 413);
  CHECK(big->body.find("assets_max_bytes") != std::string::npos);
  auto empty = http.Post("/assets", auth, "", "image/png");
  REQUIRE(empty);
  CHECK(empty->status == 400);

  const std::string path = "/assets/" + sha;
  auto whole = http.Get(path.c_str());
  REQUIRE(whole);
  CHECK(whole->status == 200);
  CHECK(whole->body == png);
  CHECK(whole->get_header_value("Content-Type") == "image/png");
  CHECK(whole->get_header_value("ETag") == "\"" + sha + "\"");
  CHECK(whole->get_header_value("Cache-Control") == "public, max-age=31536000, immutable");
  CHECK(whole->get_header_value("Accept-Ranges") == "bytes");

  auto cached = http.Get(path.c_str(), {{"If-None-Match", "\"" + sha + "\""}});
  REQUIRE(cached);
  CHECK(cached->status == 304);
  CHECK(cached->body.empty());

  auto part = http.Get(path.c_str(), {{"Range", "bytes=8-15"}});
  REQUIRE(part);
  CHECK(part->status == 206);
  CHECK(part->body == png.substr(8, 8));
  CHECK(part->get_header_value("Content-Range") == "bytes 8-15/" + std::to_string(png.size()));
  auto open_end = http.Get(path.c_str(), {{"Range", "bytes=100-"}});
  REQUIRE(open_end);
  CHECK(open_end->status == 206);
  CHECK(open_end->body == png.substr(100));
  auto suffix = http.Get(path.c_str(), {{"Range", "bytes=-4"}});
  REQUIRE(suffix);
  CHECK(suffix->status == 206);
  CHECK(suffix->body == png.substr(png.size() - 4));
  auto beyond = http.Get(path.c_str(), {{"Range", "bytes=" + std::to_string(png.size()) + "-"}});
  REQUIRE(beyond);
  CHECK(beyond->status == 416);
  CHECK(beyond->get_header_value("Content-Range") == "bytes */" + std::to_string(png.size()));
  auto several = http.Get(path.c_str(), {{"Range", "bytes=0-1,4-5,8-9"}});
  REQUIRE(several);
  CHECK(several->status == 200);  // several ranges: the whole blob, once
  CHECK(several->body == png);
  auto garbage = http.Get(path.c_str(), {{"Range", "bytes=9-2"}});  // httplib refuses what it cannot parse
  REQUIRE(garbage);
  CHECK(garbage->status == 416);
  CHECK(garbage->get_header_value("Content-Type") == "application/json; charset=utf-8");

  auto head = http.Head(path.c_str());
  REQUIRE(head);
  CHECK(head->status == 200);
  CHECK(head->get_header_value("Content-Length") == std::to_string(png.size()));

  auto bad = http.Get("/assets/not-a-sha");
  REQUIRE(bad);
  CHECK(bad->status == 400);
  auto unknown = http.Get(("/assets/" + std::string(64, '0')).c_str());
  REQUIRE(unknown);
  CHECK(unknown->status == 404);

  // A blob whose bytes changed on disk is an error, not the changed bytes.
  auto video = http.Post("/assets", auth, read_file(fixtures() / "trailer.webm"), "video/webm");
  REQUIRE(video);
  const std::string vsha = json::parse(video->body)["sha256"];
  write_file(dir / "data" / "assets" / vsha.substr(0, 2) / vsha, "tampered");
  auto tampered = http.Get(("/assets/" + vsha).c_str());
  REQUIRE(tampered);
  CHECK(tampered->status == 500);
  CHECK(tampered->body.find("no longer hash to its address") != std::string::npos);
}

TEST_CASE("a pushed record's poster is a URL, a path is refused", "[e2e][assets]") {
  TempDir dir;
  auto config = (dir / "moviec.json").string();
  write_file(config, kAssetsConfig);
  write_file(dir / "data" / "push" / "poster.png", "a file a push must not read");
  Serving server((dir / "data").string(), {"--config", config});
  httplib::Headers auth{{"Authorization", "Bearer secret"}};
  auto res = server.client().Post(
      "/ingest/feed", auth,
      "{\"id\": \"u\", \"imdb\": \"tt0000201\", \"title\": \"By URL\", \"poster\": \"https://example.org/p.png\"}\n"
      "{\"id\": \"p\", \"imdb\": \"tt0000202\", \"title\": \"By Path\", \"poster\": \"poster.png\"}\n",
      "application/x-ndjson");
  REQUIRE(res);
  INFO(res->body);
  auto summary = json::parse(res->body);
  CHECK(summary["changed"] == 1);
  CHECK(summary["rejected"] == 1);
  auto rejects = server.get("/sources/feed/rejects");
  REQUIRE(rejects["rejects"].size() == 1);
  CHECK(rejects["rejects"][0]["reason"].get<std::string>().find(
            "poster \"poster.png\": a path is taken only from a file") != std::string::npos);
  CHECK(server.get("/movies/tt0000201")["posters"][0] == "https://example.org/p.png");
  CHECK_FALSE(fs::exists(dir / "data" / "assets"));
}
