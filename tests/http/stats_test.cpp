// GET /stats and GET /healthz.

#include "fixture.hpp"

using moviec::test::HttpFixture;
using moviec::test::kJson;
using nlohmann::json;

TEST_CASE("/healthz answers ok with the store writable", "[http]") {
  HttpFixture f;
  f.serve();
  auto r = f.get("/healthz");
  CHECK(r.status == 200);
  CHECK(r.content_type == kJson);
  const json& body = r.body;
  CHECK(body["status"] == "ok");
  CHECK(body["storage"]["state"] == "writable");
  CHECK(body["storage"]["free_bytes"].get<std::uint64_t>() > 0);
  CHECK(body["storage"]["refused_writes"] == 0);
  CHECK_FALSE(body["storage"].contains("reason"));
}

TEST_CASE("/stats counts events, movies, source records and the projection checkpoint", "[http]") {
  HttpFixture f;
  f.add_movie({"tt0000001", "One", 2001, {"Drama"}});
  f.add_movie({"tt0000002", "Two", 2002, {"Drama"}});
  f.add_movie({"tt0000003", "Three", 2003, {"Drama"}});
  f.serve();

  auto r = f.get("/stats");
  REQUIRE(r.status == 200);
  CHECK(r.content_type == kJson);
  CHECK(r.body == json({{"events", 6},
                        {"movies", 3},
                        {"sources", {{"imdb", {{"records", 3}}}}},
                        {"projection_checkpoint", 6}}));

  // Appended but not yet projected: the log runs ahead of the checkpoint.
  f.add_movie({"tt0000004", "Four", 2004, {"Drama"}});
  auto ahead = f.get("/stats");
  CHECK(ahead.body["events"] == 8);
  CHECK(ahead.body["projection_checkpoint"] == 6);
  CHECK(ahead.body["movies"] == 3);
}

TEST_CASE("/stats of an empty store is all zeros", "[http]") {
  HttpFixture f;
  f.serve();
  auto r = f.get("/stats");
  REQUIRE(r.status == 200);
  CHECK(r.body == json({{"events", 0}, {"movies", 0}, {"sources", json::object()}, {"projection_checkpoint", 0}}));
}
