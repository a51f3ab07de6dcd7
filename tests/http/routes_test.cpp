// The route table's edges: unknown paths, wrong methods, status mapping.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fixture.hpp"
#include "http/routes.hpp"
#include "store/keys.hpp"

using moviec::Status;
using moviec::test::HttpFixture;
using moviec::test::require_error;

TEST_CASE("an unknown route answers 404 with a JSON error", "[http]") {
  HttpFixture f;
  f.serve();
  for (const char* path : {"/nope", "/movies/", "/movies/tt1/extra", "/healthz/x", "/stats.json"}) {
    INFO(path);
    auto r = f.get(path);
    require_error(r, 404);
  }
  CHECK(f.get("/nope").body["error"]["message"] == "no route for GET /nope");
}

TEST_CASE("a known path with the wrong method answers 405 with an Allow header", "[http]") {
  HttpFixture f;
  f.serve();
  auto post = HttpFixture::to_reply(f.client().Post("/movies", "{}", "application/json"));
  require_error(post, 405);
  CHECK(post.allow == "GET, HEAD");
  CHECK(post.body["error"]["message"].get<std::string>().find("POST") != std::string::npos);

  require_error(HttpFixture::to_reply(f.client().Delete("/movies/tt0000001")), 405);
  require_error(HttpFixture::to_reply(f.client().Put("/healthz", "", "text/plain")), 405);
  // An unknown path stays 404 whatever the method.
  require_error(HttpFixture::to_reply(f.client().Post("/nope", "x", "text/plain")), 404);
  // The connection is still usable after a rejected request with a body.
  CHECK(f.get("/healthz").status == 200);
}

TEST_CASE("Status codes map to HTTP statuses", "[http]") {
  using moviec::http::http_status;
  CHECK(http_status(Status::Code::ok) == 200);
  CHECK(http_status(Status::Code::not_found) == 404);
  CHECK(http_status(Status::Code::invalid_argument) == 400);
  CHECK(http_status(Status::Code::conflict) == 409);
  CHECK(http_status(Status::Code::busy) == 503);
  CHECK(http_status(Status::Code::io_error) == 500);
  CHECK(http_status(Status::Code::corruption) == 500);
}

TEST_CASE("a request httplib cannot parse answers 400 with a JSON error", "[http]") {
  HttpFixture f;
  f.serve();
  int sock = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(sock >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(f.server().port()));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(sock, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0);
  const std::string garbage = "NOT A REQUEST\r\n\r\n";
  REQUIRE(::send(sock, garbage.data(), garbage.size(), 0) == static_cast<ssize_t>(garbage.size()));
  std::string answer;
  char buf[4096];
  for (ssize_t n; (n = ::recv(sock, buf, sizeof(buf), 0)) > 0;) answer.append(buf, static_cast<std::size_t>(n));
  ::close(sock);
  INFO(answer);
  CHECK(answer.rfind("HTTP/1.1 400", 0) == 0);
  CHECK(answer.find("application/json; charset=utf-8") != std::string::npos);
  CHECK(answer.find(R"({"error":{"message":"bad request","status":400}})") != std::string::npos);
}

TEST_CASE("an exception in a handler answers 500 with a JSON error naming the handler", "[http]") {
  HttpFixture f;
  f.serve();
  // A stored record whose title is not a string makes the search filter throw.
  rocksdb::WriteBatch wb;
  using moviec::store::ColumnFamily;
  namespace keys = moviec::store::keys;
  wb.Put(f.db().cf(ColumnFamily::movies), keys::movie_key("tt0000001"),
         R"({"movie_id":"tt0000001","title":5})");
  wb.Put(f.db().cf(ColumnFamily::movie_index), keys::title_token_prefix("five") + "tt0000001", "");
  REQUIRE(f.db().write(wb, false).is_ok());

  auto r = f.get("/movies", {{"q", "five"}});
  require_error(r, 500);
  CHECK(r.body["error"]["message"].get<std::string>().rfind("search_movies: ", 0) == 0);
  // The server keeps serving.
  CHECK(f.get("/healthz").status == 200);
}
