// The http_changes feed client against a fake TMDB-shaped feed on loopback.

#include "sources/changes_feed.hpp"

#include <catch2/catch.hpp>

#include "sources/normalize.hpp"
#include "support/fake_feed.hpp"

using namespace moviec;
using nlohmann::json;

namespace {

config::PollOptions options_for(const test::FakeFeed& feed) {
  auto j = json{{"changes_url", feed.url("/movie/changes")},
                {"record_url", feed.url("/movie/{id}")},
                {"start_date", "2024-01-01"},
                {"timeout_ms", 300},
                {"retries", 2},
                {"backoff_ms", 5},
                {"max_backoff_ms", 20},
                {"layout", {{"source_id", "id"}, {"movie_id", "imdb_id"},
                            {"fields", {{{"column", "title"}, {"field", "title"}},
                                        {{"column", "release_date"}, {"field", "year"}, {"type", "date"}},
                                        {{"column", "vote_average"}, {"field", "source_ratings"}, {"type", "rating"},
                                         {"name", "tmdb"}, {"scale", {0, 10}}, {"votes", "vote_count"}}}}}}};
  auto parsed = config::parse_poll_options(j, "options");
  REQUIRE(parsed.is_ok());
  return parsed.take();
}

config::SourceConfig tmdb_source() {
  config::SourceConfig s;
  s.name = "tmdb";
  s.format = "http_changes";
  return s;
}

}  // namespace

TEST_CASE("the first window starts at the configured date and ends today", "[sources][poll]") {
  test::FakeFeed feed;
  auto options = options_for(feed);
  auto q = sources::next_query(nullptr, options);
  CHECK(q["start_date"] == "2024-01-01");
  CHECK(q["end_date"] == sources::today_utc().iso());
  CHECK(sources::next_query(json{{"start_date", "2024-02-03"}}, options)["start_date"] == "2024-02-03");
  CHECK(sources::next_query(json{{"cursor", "abc"}}, options) == json{{"cursor", "abc"}});
}

TEST_CASE("every page of changed ids is listed, each id once", "[sources][poll]") {
  test::FakeFeed feed;
  feed.set_changed({"603", "604", "605", "603", "tt0133093"}, 2);
  auto options = options_for(feed);
  sources::HttpFetcher fetcher(options, nullptr);
  auto window = sources::list_changes(fetcher, options, json{{"start_date", "2024-01-01"}, {"end_date", "2024-01-02"}});
  REQUIRE(window.is_ok());
  CHECK(window->ids == std::vector<std::string>{"603", "604", "605", "tt0133093"});
  CHECK(window->next_cursor == json{{"start_date", "2024-01-02"}});
  auto requests = feed.requests();
  REQUIRE(requests.size() == 3);
  CHECK(requests[0] == "/movie/changes?end_date=2024-01-02&page=1&start_date=2024-01-01");
  CHECK(requests[2] == "/movie/changes?end_date=2024-01-02&page=3&start_date=2024-01-01");
}

TEST_CASE("a feed that gives a cursor is asked with it next time", "[sources][poll]") {
  test::FakeFeed feed;
  feed.set_changed({"1"});
  feed.set_next_cursor("c-42");
  auto options = options_for(feed);
  sources::HttpFetcher fetcher(options, nullptr);
  auto window = sources::list_changes(fetcher, options, json{{"cursor", "c-41"}});
  REQUIRE(window.is_ok());
  CHECK(window->next_cursor == json{{"cursor", "c-42"}});
  CHECK(feed.requests()[0] == "/movie/changes?cursor=c-41&page=1");
}

TEST_CASE("failed requests are retried with backoff until the retries run out", "[sources][poll]") {
  test::FakeFeed feed;
  feed.set_changed({"7"});
  auto options = options_for(feed);
  sources::HttpFetcher fetcher(options, nullptr);
  feed.fail_next(2, 503);  // two failures, then the third attempt succeeds
  auto ok = sources::list_changes(fetcher, options, json{{"cursor", "x"}});
  REQUIRE(ok.is_ok());
  CHECK(ok->ids == std::vector<std::string>{"7"});
  CHECK(fetcher.requests() == 3);

  feed.fail_next(3, 500);  // more failures than retries
  auto failed = fetcher.get(feed.url("/movie/changes"));
  REQUIRE_FALSE(failed.is_ok());
  CHECK(failed.status().code() == Status::Code::io_error);
  CHECK_THAT(failed.status().message(), Catch::EndsWith("failed after 3 attempts: HTTP 500"));

  feed.fail_next(1, 401);  // not worth retrying
  auto denied = fetcher.get(feed.url("/movie/changes"));
  REQUIRE_FALSE(denied.is_ok());
  CHECK_THAT(denied.status().message(), Catch::EndsWith("failed after 1 attempt: HTTP 401"));
}

TEST_CASE("a request that takes longer than the timeout fails", "[sources][poll]") {
  test::FakeFeed feed;
  auto options = options_for(feed);
  options.retries = 0;
  sources::HttpFetcher fetcher(options, nullptr);
  feed.stall_next(1, std::chrono::milliseconds(1500));
  auto start = std::chrono::steady_clock::now();
  auto r = fetcher.get(feed.url("/movie/changes"));
  auto took = std::chrono::steady_clock::now() - start;
  REQUIRE_FALSE(r.is_ok());
  CHECK(took < std::chrono::milliseconds(1200));
}

TEST_CASE("changed records are fetched and mapped, a missing one is a reject", "[sources][poll]") {
  test::FakeFeed feed;
  feed.set_record("603", {{"id", 603}, {"imdb_id", "tt0133093"}, {"title", "The Matrix"},
                          {"release_date", "1999-03-30"}, {"vote_average", 8.2}, {"vote_count", 25000}});
  feed.set_record("604", {{"id", 604}, {"title", "Bad"}, {"vote_average", 11}});
  auto options = options_for(feed);
  auto reader = sources::open_changes_reader(tmdb_source(), options, {"603", "999", "604"}, nullptr);
  std::vector<sources::Item> items;
  std::vector<sources::Reject> rejects;
  sources::Item item;
  while (reader->next(item, rejects)) items.push_back(item);
  CHECK(reader->status().is_ok());
  REQUIRE(items.size() == 1);
  CHECK(items[0].record.source == "tmdb");
  CHECK(items[0].record.source_id == "603");
  CHECK(items[0].record.movie_id == "tt0133093");
  CHECK(items[0].record.year == 1999);
  CHECK(items[0].record.source_ratings.at(0).votes == 25000);
  CHECK(items[0].input == "GET /movie/603");
  REQUIRE(rejects.size() == 2);
  CHECK(rejects[0].file == "/movie/999");
  CHECK_THAT(rejects[0].reason, Catch::StartsWith("record 999: not found at "));
  CHECK(rejects[1].reason == "column \"vote_average\": 11: out of range 0..10");
  CHECK(rejects[1].source_id == "604");
}

TEST_CASE("a feed that stops answering ends the input with an error", "[sources][poll]") {
  test::FakeFeed feed;
  feed.set_record("1", {{"id", 1}, {"title", "A"}});
  auto options = options_for(feed);
  auto reader = sources::open_changes_reader(tmdb_source(), options, {"1", "2"}, nullptr);
  std::vector<sources::Reject> rejects;
  sources::Item item;
  REQUIRE(reader->next(item, rejects));
  feed.fail_next(10, 502);
  CHECK_FALSE(reader->next(item, rejects));
  CHECK(reader->status().code() == Status::Code::io_error);
}
