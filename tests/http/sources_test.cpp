// GET /sources, GET /sources/{name}/rejects and the guards of POST /ingest/{source}
// (token, Content-Type), over real HTTP. Pushes that ingest are tested end to end
// in tests/e2e/push_test.cpp.

#include "fixture.hpp"
#include "store/source_runs.hpp"

using moviec::test::HttpFixture;
using moviec::test::kJson;
using moviec::test::require_error;
using namespace moviec;
using nlohmann::json;

namespace {

void configure_sources(HttpFixture& f) {
  config::SourceConfig imdb;
  imdb.name = "imdb";
  imdb.format = "imdb_tsv";
  config::SourceConfig vega;
  vega.name = "vega";
  vega.format = "vega_json";
  vega.inbox = "/srv/drop/vega";
  f.config().sources = {imdb, vega};
}

store::RunRecord run(std::uint64_t id, std::uint64_t rejected, std::string way = "cli") {
  store::RunRecord r;
  r.run = id;
  r.source = "vega";
  r.way = std::move(way);
  r.input = "movies.json";
  r.started_ms = 1764028800000;
  r.finished_ms = 1764028801500;
  r.state = "done";
  r.summary = {{"read", 10}, {"changed", 8}, {"unchanged", 0}, {"rejected", rejected}, {"appended", 16}};
  r.rejects_stored = rejected;
  return r;
}

httplib::Result post(HttpFixture& f, const std::string& path, const std::string& body,
                     const std::string& type, const std::string& token = "") {
  httplib::Headers headers;
  if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
  return f.client().Post(path.c_str(), headers, body, type.c_str());
}

}  // namespace

TEST_CASE("/sources lists every configured source, also before any run", "[http][sources]") {
  HttpFixture f;
  configure_sources(f);
  f.add_movie({"tt0000001", "One", 2001, {"Drama"}});
  f.serve();
  auto r = f.get("/sources");
  REQUIRE(r.status == 200);
  CHECK(r.content_type == kJson);
  REQUIRE(r.body["sources"].size() == 2);
  auto imdb = r.body["sources"][0];
  CHECK(imdb["name"] == "imdb");
  CHECK(imdb["format"] == "imdb_tsv");
  CHECK(imdb["records"] == 1);
  CHECK(imdb["rejects"] == 0);
  CHECK(imdb["runs"] == 0);
  CHECK(imdb["last_run"].is_null());
  CHECK(imdb["inbox"].is_null());
  auto vega = r.body["sources"][1];
  CHECK(vega["records"] == 0);
  CHECK(vega["inbox"] == "/srv/drop/vega");
}

TEST_CASE("/sources shows the last run of a source with its summary", "[http][sources]") {
  HttpFixture f;
  configure_sources(f);
  store::SourceRuns runs(f.db());
  REQUIRE(runs.put(run(100, 7)).is_ok());
  REQUIRE(runs.put(run(200, 3, "push")).is_ok());
  f.serve();
  auto vega = f.get("/sources").body["sources"][1];
  CHECK(vega["runs"] == 2);
  CHECK(vega["rejects"] == 3);
  auto last = vega["last_run"];
  CHECK(last["run"] == 200);
  CHECK(last["way"] == "push");
  CHECK(last["state"] == "done");
  CHECK(last["started"] == "2025-11-25T00:00:00.000Z");
  CHECK(last["finished"] == "2025-11-25T00:00:01.500Z");
  CHECK(last["summary"]["read"] == 10);
  CHECK(last["summary"]["appended"] == 16);
}

TEST_CASE("rejects of the latest run page with a cursor", "[http][sources]") {
  HttpFixture f;
  configure_sources(f);
  store::SourceRuns runs(f.db());
  REQUIRE(runs.put(run(100, 1)).is_ok());
  REQUIRE(runs.put_rejects("vega", 100, 0, {{"old.json", 9, "old"}}).is_ok());
  REQUIRE(runs.put(run(200, 5)).is_ok());
  std::vector<store::StoredReject> rejects;
  for (int i = 0; i < 5; ++i) rejects.push_back({"movies.json", static_cast<std::uint64_t>(10 + i), "reason " + std::to_string(i)});
  REQUIRE(runs.put_rejects("vega", 200, 0, rejects).is_ok());
  f.serve();

  auto first = f.get("/sources/vega/rejects", {{"limit", "2"}});
  REQUIRE(first.status == 200);
  CHECK(first.body["source"] == "vega");
  CHECK(first.body["run"] == 200);
  CHECK(first.body["rejected"] == 5);
  CHECK(first.body["count"] == 2);
  CHECK(first.body["rejects"][0] == json({{"file", "movies.json"}, {"line", 10}, {"reason", "reason 0"}}));
  REQUIRE(first.body["next_cursor"].is_string());
  auto second = f.get("/sources/vega/rejects", {{"limit", "2"}, {"cursor", first.body["next_cursor"]}});
  CHECK(second.body["rejects"][0]["reason"] == "reason 2");
  auto last = f.get("/sources/vega/rejects", {{"limit", "2"}, {"cursor", second.body["next_cursor"]}});
  CHECK(last.body["count"] == 1);
  CHECK(last.body["next_cursor"].is_null());

  auto older = f.get("/sources/vega/rejects", {{"run", "100"}});
  CHECK(older.body["rejects"][0]["file"] == "old.json");
}

TEST_CASE("rejects of a source with no run are an empty page", "[http][sources]") {
  HttpFixture f;
  configure_sources(f);
  f.serve();
  auto r = f.get("/sources/imdb/rejects");
  REQUIRE(r.status == 200);
  CHECK(r.body["run"].is_null());
  CHECK(r.body["rejects"].empty());
}

TEST_CASE("rejects of an unknown source or run, or with bad parameters, are errors", "[http][sources]") {
  HttpFixture f;
  configure_sources(f);
  f.serve();
  require_error(f.get("/sources/nope/rejects"), 404);
  require_error(f.get("/sources/vega/rejects", {{"run", "5"}}), 404);
  require_error(f.get("/sources/vega/rejects", {{"limit", "0"}}), 400);
  require_error(f.get("/sources/vega/rejects", {{"cursor", "x"}}), 400);
  require_error(f.get("/sources/vega/rejects", {{"page", "2"}}), 400);
}

TEST_CASE("a push is refused when the server has no token at all", "[http][sources][push]") {
  HttpFixture f;
  configure_sources(f);
  f.serve();
  auto r = HttpFixture::to_reply(post(f, "/ingest/vega", "{}\n", "application/x-ndjson", "anything"));
  require_error(r, 403);
  CHECK_THAT(r.body["error"]["message"].get<std::string>(), Catch::StartsWith("writes are disabled"));
}

TEST_CASE("a push without the right bearer token is 401", "[http][sources][push]") {
  HttpFixture f;
  configure_sources(f);
  f.config().token = "s3cret";
  f.serve();
  auto none = post(f, "/ingest/vega", "{}\n", "application/x-ndjson");
  REQUIRE(none);
  CHECK(none->get_header_value("WWW-Authenticate") == "Bearer realm=\"moviec\"");
  require_error(HttpFixture::to_reply(none), 401);
  require_error(HttpFixture::to_reply(post(f, "/ingest/vega", "{}\n", "application/x-ndjson", "wrong")), 401);
  require_error(HttpFixture::to_reply(post(f, "/ingest/vega", "{}\n", "application/x-ndjson", "s3cret-and-more")), 401);
  // The right token passes the guard; this server has no write side (no hook).
  require_error(HttpFixture::to_reply(post(f, "/ingest/vega", "{}\n", "application/x-ndjson", "s3cret")), 503);
  // GET on the push route is a 405.
  auto get = f.get("/ingest/vega");
  require_error(get, 405);
  CHECK(get.allow == "POST");
}
