// Server lifecycle: bind, start, run, stop; keep-alive latency and concurrency.

#include <atomic>
#include <chrono>
#include <thread>

#include "fixture.hpp"

using moviec::Status;
using moviec::test::HttpFixture;
using moviec::test::TempDir;

namespace {
struct Store {
  TempDir dir;
  std::unique_ptr<moviec::store::Db> db;
  std::unique_ptr<moviec::store::EventLog> log;
  moviec::config::Config config;
  Store() {
    auto opened = moviec::store::Db::open(dir.str() + "/db");
    REQUIRE(opened.is_ok());
    db = opened.take();
    log = std::make_unique<moviec::store::EventLog>(*db);
  }
};
}  // namespace

TEST_CASE("binding a port that is taken fails with busy, naming the address", "[http]") {
  Store s;
  moviec::http::Server first(*s.db, *s.log, s.config);
  REQUIRE(first.bind("127.0.0.1", 0).is_ok());
  REQUIRE(first.port() > 0);
  first.start();

  moviec::http::Server second(*s.db, *s.log, s.config);
  auto st = second.bind("127.0.0.1", first.port());
  REQUIRE_FALSE(st.is_ok());
  CHECK(st.code() == Status::Code::busy);
  CHECK(st.message().find("127.0.0.1:" + std::to_string(first.port())) != std::string::npos);
  CHECK(second.port() == 0);
  second.run();  // not bound: returns at once
  second.start();
  CHECK_FALSE(second.is_running());

  // A second bind of a bound server is refused.
  CHECK(first.bind("127.0.0.1", 0).code() == Status::Code::invalid_argument);
}

TEST_CASE("bind() without arguments uses config.listen", "[http]") {
  Store s;
  s.config.listen = "127.0.0.1:0";
  moviec::http::Server server(*s.db, *s.log, s.config);
  REQUIRE(server.bind().is_ok());
  CHECK(server.port() > 0);

  s.config.listen = "127.0.0.1";
  moviec::http::Server bad(*s.db, *s.log, s.config);
  CHECK(bad.bind().code() == Status::Code::invalid_argument);
}

TEST_CASE("listen addresses parse as host:port", "[http]") {
  using moviec::http::parse_listen;
  auto a = parse_listen("127.0.0.1:8080");
  REQUIRE(a.is_ok());
  CHECK(a->host == "127.0.0.1");
  CHECK(a->port == 8080);
  auto v6 = parse_listen("[::1]:9000");
  REQUIRE(v6.is_ok());
  CHECK(v6->host == "::1");
  auto bare = parse_listen(":80");
  REQUIRE(bare.is_ok());
  CHECK(bare->host == "127.0.0.1");
  for (const char* bad : {"localhost", "h:", "h:65536", "h:-1", "h:80x"}) {
    INFO(bad);
    CHECK(parse_listen(bad).status().code() == Status::Code::invalid_argument);
  }
}

TEST_CASE("run blocks until stop, and stop is idempotent from other threads", "[http]") {
  Store s;
  moviec::http::Server server(*s.db, *s.log, s.config);
  REQUIRE(server.bind("127.0.0.1", 0).is_ok());
  std::atomic<bool> returned{false};
  std::thread runner([&] {
    server.run();
    returned = true;
  });
  for (int i = 0; i < 5000 && !server.is_running(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  REQUIRE(server.is_running());
  httplib::Client client("127.0.0.1", server.port());
  auto r = client.Get("/healthz");
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK_FALSE(returned);

  // Two "signal threads" at once, then a third call after the fact.
  std::thread a([&] { server.stop(); });
  std::thread b([&] { server.stop(); });
  a.join();
  b.join();
  CHECK_FALSE(server.is_running());  // stop() returns after run() has left the listen loop
  runner.join();                     // so run() returns: this does not hang
  CHECK(returned);
  server.stop();
  CHECK_FALSE(server.is_running());
  server.start();  // a stopped server does not restart
  CHECK_FALSE(server.is_running());
}

TEST_CASE("stop before run makes run return at once", "[http]") {
  Store s;
  moviec::http::Server server(*s.db, *s.log, s.config);
  REQUIRE(server.bind("127.0.0.1", 0).is_ok());
  server.stop();
  server.run();
  CHECK_FALSE(server.is_running());
}

TEST_CASE("the destructor of a started server stops it", "[http]") {
  Store s;
  int port = 0;
  {
    moviec::http::Server server(*s.db, *s.log, s.config);
    REQUIRE(server.bind("127.0.0.1", 0).is_ok());
    server.start();
    REQUIRE(server.is_running());
    port = server.port();
  }
  // The port is free again.
  moviec::http::Server again(*s.db, *s.log, s.config);
  CHECK(again.bind("127.0.0.1", port).is_ok());
}

TEST_CASE("keep-alive requests are not delayed by Nagle", "[http]") {
  HttpFixture f;
  f.add_movie({"tt0000001", "One", 2001, {"Drama"}});
  f.serve();
  f.client().set_keep_alive(true);
  constexpr int kRequests = 100;
  auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < kRequests; ++i) REQUIRE(f.get("/movies/tt0000001").status == 200);
  auto elapsed = std::chrono::steady_clock::now() - t0;
  // With Nagle on, each response waits ~40 ms for a delayed ACK: 4 s in all.
  CHECK(elapsed < std::chrono::seconds(2));
}

TEST_CASE("32 keep-alive clients are served at the same time", "[http]") {
  HttpFixture f;
  f.add_movie({"tt0000001", "One", 2001, {"Drama"}});
  f.serve();
  // Every client holds its connection open across a barrier that needs all of them:
  // with fewer workers than clients, the late ones wait for an idle keep-alive
  // connection to time out (5 s) before they are served at all.
  const int kClients = static_cast<int>(moviec::config::Config::defaults().http_workers);
  std::atomic<int> ok{0}, arrived{0}, resent{0};
  // A GET that failed before any answer (no response at all: the connection dropped
  // as it was sent) is sent once more, as HTTP clients do with an idempotent request
  // (RFC 9112 9.3.1); httplib 0.11 does not. Seen once under ASan in CI (2026-11-27:
  // 351 of 352 answered, all 351 logged 200 by the server, the other never logged).
  auto get = [&](httplib::Client& client, const char* path) {
    auto r = client.Get(path);
    if (!r) {
      ++resent;
      r = client.Get(path);
    }
    return r;
  };
  auto t0 = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (int c = 0; c < kClients; ++c)
    threads.emplace_back([&] {
      httplib::Client client("127.0.0.1", f.server().port());
      client.set_keep_alive(true);
      client.set_read_timeout(20);
      auto a = get(client, "/movies/tt0000001");
      if (a && a->status == 200) ++ok;
      ++arrived;
      auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
      while (arrived < kClients && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      for (int i = 0; i < 10; ++i) {
        auto b = get(client, i % 2 ? "/movies/tt0000001" : "/movies?q=one");
        if (b && b->status == 200) ++ok;
      }
    });
  for (auto& t : threads) t.join();
  CHECK(ok == kClients * 11);
  CHECK(resent <= 1);
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(4));
}
