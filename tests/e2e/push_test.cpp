// POST /ingest/{source} over real HTTP against the real `moviec serve`: JSON lines
// and CSV bodies, the summary the CLI prints, rejects, and the bearer token.

#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>

#include <nlohmann/json.hpp>

#include "support/serve.hpp"
#include "support/temp_dir.hpp"

using nlohmann::json;
using namespace moviec::test;

namespace {

const char* kPushConfig = R"({
  "token": "%TOKEN%",
  "sources": [
    {"name": "feed", "format": "layout", "options": {
      "type": "jsonl", "source_id": "id", "movie_id": "imdb",
      "fields": [{"column": "title", "field": "title", "required": true},
                 {"column": "year", "field": "year", "type": "int"},
                 {"column": "genres", "field": "genres", "type": "list", "separator": "|"}]}},
    {"name": "sheet", "format": "layout", "options": {
      "type": "csv", "source_id": "id", "movie_id": "imdb",
      "fields": [{"column": "title", "field": "title"}, {"column": "year", "field": "year", "type": "int"}]}},
    {"name": "vega", "format": "vega_json"}
  ]})";

std::string write_push_config(const TempDir& dir, const std::string& token) {
  std::string text = kPushConfig;
  text.replace(text.find("%TOKEN%"), 7, token);
  auto path = (dir / "moviec.json").string();
  std::ofstream(path) << text;
  return path;
}

struct Reply {
  int status = 0;
  json body;
  std::string authenticate;
};

Reply push(Serving& s, const std::string& source, const std::string& body, const std::string& type,
           const std::string& token) {
  httplib::Headers headers;
  if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
  auto res = s.client().Post(("/ingest/" + source).c_str(), headers, body, type.c_str());
  REQUIRE(res);
  INFO(res->body);
  return {res->status, json::parse(res->body, nullptr, false), res->get_header_value("WWW-Authenticate")};
}

const std::string kPushLines =
    "{\"id\": \"a\", \"imdb\": \"tt0000101\", \"title\": \"Pushed One\", \"year\": 1999, \"genres\": \"Drama|War\"}\n"
    "{\"id\": \"b\", \"imdb\": \"tt0000102\", \"year\": 2000}\n"
    "{\"id\": \"c\", \"imdb\": \"tt0000103\", \"title\": \"Pushed Three\", \"year\": 2001}\n";

}  // namespace

TEST_CASE("a JSON lines push is ingested and answered with the CLI's summary", "[e2e][push]") {
  TempDir dir;
  Serving s((dir / "data").string(), {"--config", write_push_config(dir, "s3cret")});

  auto r = push(s, "feed", kPushLines, "application/x-ndjson", "s3cret");
  REQUIRE(r.status == 200);
  for (auto key : {"read", "changed", "unchanged", "rejected", "appended", "seconds"})
    CHECK(r.body.contains(key));
  CHECK(r.body["read"] == 2);
  CHECK(r.body["changed"] == 2);
  CHECK(r.body["rejected"] == 1);
  CHECK(r.body["appended"] == 4);
  CHECK(r.body["failed"] == 0);

  // The push waited for the read models: the movie is there at once.
  auto movie = s.get("/movies/tt0000101");
  CHECK(movie["title"] == "Pushed One");
  CHECK(movie["genres"] == json({"Drama", "War"}));

  auto rejects = s.get("/sources/feed/rejects");
  REQUIRE(rejects["rejects"].size() == 1);
  CHECK(rejects["rejects"][0]["line"] == 2);
  CHECK(rejects["rejects"][0]["reason"] == "column \"title\": missing (required)");
  CHECK_THAT(rejects["rejects"][0]["file"].get<std::string>(), Catch::StartsWith("push-"));
  auto feed = source_of(s.get("/sources"), "feed");
  CHECK(feed["last_run"]["way"] == "push");
  CHECK(feed["records"] == 2);

  auto again = push(s, "feed", kPushLines, "application/x-ndjson", "s3cret");
  REQUIRE(again.status == 200);
  CHECK(again.body["unchanged"] == 2);
  CHECK(again.body["appended"] == 0);
}

TEST_CASE("a push without the right token changes nothing", "[e2e][push]") {
  TempDir dir;
  Serving s((dir / "data").string(), {"--config", write_push_config(dir, "s3cret")});
  auto before = s.get("/stats")["events"];
  auto none = push(s, "feed", kPushLines, "application/x-ndjson", "");
  CHECK(none.status == 401);
  CHECK(none.authenticate == "Bearer realm=\"moviec\"");
  CHECK(push(s, "feed", kPushLines, "application/x-ndjson", "guess").status == 401);
  CHECK(s.get("/stats")["events"] == before);
  int status = 0;
  s.get("/movies/tt0000101", &status);
  CHECK(status == 404);
}

TEST_CASE("with no token configured, pushes are refused", "[e2e][push]") {
  TempDir dir;
  Serving s((dir / "data").string(), {"--config", write_push_config(dir, "")});
  auto r = push(s, "feed", kPushLines, "application/x-ndjson", "anything");
  CHECK(r.status == 403);
  CHECK_THAT(r.body["error"]["message"].get<std::string>(), Catch::StartsWith("writes are disabled"));
}

TEST_CASE("the MOVIEC_TOKEN environment variable sets the token", "[e2e][push]") {
  TempDir dir;
  ::setenv("MOVIEC_TOKEN", "from-env", 1);
  Serving s((dir / "data").string(), {"--config", write_push_config(dir, "")});
  ::unsetenv("MOVIEC_TOKEN");
  CHECK(push(s, "feed", kPushLines, "application/x-ndjson", "from-env").status == 200);
}

TEST_CASE("a CSV push is read by the source's columns, JSON lines fit a CSV source too", "[e2e][push]") {
  TempDir dir;
  Serving s((dir / "data").string(), {"--config", write_push_config(dir, "k")});
  auto csv = push(s, "sheet", "id,imdb,title,year\n1,tt0000201,\"Sheet, The\",1950\n2,tt0000202,Other,19x0\n",
                  "text/csv", "k");
  REQUIRE(csv.status == 200);
  CHECK(csv.body["read"] == 1);
  CHECK(csv.body["rejected"] == 1);
  CHECK(s.get("/movies/tt0000201")["title"] == "The Sheet");
  auto lines = push(s, "sheet", "{\"id\": 3, \"imdb\": \"tt0000203\", \"title\": \"By Lines\", \"year\": 1960}\n",
                    "application/x-ndjson", "k");
  REQUIRE(lines.status == 200);
  CHECK(lines.body["changed"] == 1);
  CHECK(s.get("/movies/tt0000203")["year"] == 1960);
}

TEST_CASE("a push a source cannot take is a clear 4xx", "[e2e][push]") {
  TempDir dir;
  Serving s((dir / "data").string(), {"--config", write_push_config(dir, "k")});
  auto csv_to_vega = push(s, "vega", "Title\nX\n", "text/csv", "k");
  CHECK(csv_to_vega.status == 400);
  CHECK_THAT(csv_to_vega.body["error"]["message"].get<std::string>(), Catch::Contains("JSON"));
  CHECK(push(s, "nope", kPushLines, "application/x-ndjson", "k").status == 404);
  CHECK(push(s, "feed", kPushLines, "text/plain", "k").status == 415);
  CHECK(push(s, "feed", "", "application/x-ndjson", "k").status == 400);
}

TEST_CASE("vega records pushed as JSON lines go through matching", "[e2e][push]") {
  TempDir dir;
  Serving s((dir / "data").string(), {"--config", write_push_config(dir, "k")});
  auto r = push(s, "vega",
                "{\"Title\": \"The Land Girls\", \"Release Date\": \"Jun 12 1998\", \"IMDB Rating\": 6.1, \"IMDB Votes\": 1071}\n",
                "application/x-ndjson", "k");
  REQUIRE(r.status == 200);
  CHECK(r.body["read"] == 1);
  CHECK(r.body["changed"] == 1);
  CHECK(r.body["unmatched"] == 1);  // no movie in the store to match
}
