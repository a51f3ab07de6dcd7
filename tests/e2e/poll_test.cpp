// An http_changes source polled by the real `moviec serve` from a fake TMDB-shaped
// feed the test runs on loopback: changed records become movies, the cursor moves
// only after a good poll, failures back off and leave the cursor, and a restart
// goes on from the stored cursor.

#include <catch2/catch.hpp>

#include <fstream>

#include <nlohmann/json.hpp>

#include "support/fake_feed.hpp"
#include "support/serve.hpp"
#include "support/temp_dir.hpp"

using nlohmann::json;
using namespace moviec::test;

namespace {

std::string write_poll_config(const TempDir& dir, const FakeFeed& feed) {
  json config{
      {"sources",
       {{{"name", "tmdb"},
         {"format", "http_changes"},
         {"options",
          {{"changes_url", feed.url("/movie/changes")},
           {"record_url", feed.url("/movie/{id}")},
           {"start_date", "2024-01-01"},
           {"interval_ms", 200},
           {"timeout_ms", 2000},
           {"retries", 1},
           {"backoff_ms", 100},
           {"max_backoff_ms", 2000},
           {"layout",
            {{"source_id", "id"},
             {"movie_id", "imdb_id"},
             {"fields",
              {{{"column", "title"}, {"field", "title"}},
               {{"column", "release_date"}, {"field", "year"}, {"type", "date"}},
               {{"column", "vote_average"}, {"field", "source_ratings"}, {"type", "rating"},
                {"name", "tmdb"}, {"scale", {0, 10}}, {"votes", "vote_count"}}}}}}}}}}}};
  auto path = (dir / "moviec.json").string();
  std::ofstream(path) << config.dump(2);
  return path;
}

json matrix(const std::string& title) {
  return {{"id", 603}, {"imdb_id", "tt0133093"}, {"title", title}, {"release_date", "1999-03-30"},
          {"vote_average", 8.2}, {"vote_count", 25000}};
}

bool asked_for(const FakeFeed& feed, const std::string& needle) {
  for (auto& r : feed.requests())
    if (r.find(needle) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("changed records of a polled feed become movies and the cursor moves on", "[e2e][poll]") {
  FakeFeed feed;
  feed.set_record("603", matrix("The Matrix"));
  feed.set_record("604", {{"id", 604}, {"imdb_id", "tt0234215"}, {"title", "The Matrix Reloaded"},
                          {"release_date", "2003-05-15"}});
  feed.set_changed({"603", "604", "999"});  // 999 is gone: a reject, not a failure
  TempDir dir;
  Serving s((dir / "data").string(), {"--config", write_poll_config(dir, feed)});

  // Two movies, two streams: neither's read model waits for the other's.
  REQUIRE(wait_until([&] { return s.get("/movies/tt0133093")["title"] == "The Matrix"; }));
  REQUIRE(wait_until([&] { return s.get("/movies/tt0234215")["year"] == 2003; }));
  REQUIRE(wait_until([&] { return source_of(s.get("/sources"), "tmdb")["cursor"].is_object(); }));
  auto tmdb = source_of(s.get("/sources"), "tmdb");
  CHECK(tmdb["last_run"]["way"] == "poll");
  CHECK(tmdb["last_run"]["summary"]["rejected"] == 1);
  auto end_date = tmdb["cursor"]["start_date"].get<std::string>();
  CHECK(feed.requests().front() == "/movie/changes?end_date=" + end_date + "&page=1&start_date=2024-01-01");
  // The next polls start where the last one ended.
  REQUIRE(wait_until([&] { return asked_for(feed, "page=1&start_date=" + end_date); }));

  // A record that changes in the feed changes the movie.
  feed.set_record("603", matrix("The Matrix (restored)"));
  feed.set_changed({"603"});
  REQUIRE(wait_until([&] { return s.get("/movies/tt0133093")["title"] == "The Matrix (restored)"; }));
}

TEST_CASE("a failing feed backs off and leaves the cursor, a restart goes on from it", "[e2e][poll]") {
  FakeFeed feed;
  feed.set_record("603", matrix("The Matrix"));
  feed.set_changed({"603"});
  feed.set_next_cursor("c1");
  TempDir dir;
  auto config = write_poll_config(dir, feed);
  auto data = (dir / "data").string();
  {
    Serving s(data, {"--config", config});
    REQUIRE(wait_until([&] { return source_of(s.get("/sources"), "tmdb")["cursor"] == json({{"cursor", "c1"}}); }));

    // The feed now fails every request: polls fail, the cursor stays at c1.
    feed.set_next_cursor("c2");
    feed.fail_next(1000000, 503);
    feed.clear_requests();
    REQUIRE(wait_until([&] { return source_of(s.get("/sources"), "tmdb")["last_run"]["state"] == "failed"; }));
    auto failed = source_of(s.get("/sources"), "tmdb");
    CHECK(failed["cursor"] == json({{"cursor", "c1"}}));
    CHECK_THAT(failed["last_run"]["summary"]["error"].get<std::string>(), Catch::Contains("HTTP 503"));
    // Backing off: after four failed polls (two attempts each) the waits are 800,
    // then 1600 ms: at most two more polls in 1.5 s, where the 200 ms interval
    // would have made seven.
    REQUIRE(wait_until([&] { return feed.requests().size() >= 8; }));
    feed.clear_requests();
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    CHECK(feed.requests().size() <= 4);

    // Recovered: the next poll moves the cursor to c2.
    feed.fail_next(0);
    REQUIRE(wait_until([&] { return source_of(s.get("/sources"), "tmdb")["cursor"] == json({{"cursor", "c2"}}); }));
  }
  feed.clear_requests();
  Serving again(data, {"--config", config});
  REQUIRE(wait_until([&] { return !feed.requests().empty(); }));
  CHECK(feed.requests().front() == "/movie/changes?cursor=c2&page=1");
}
