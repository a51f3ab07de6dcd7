#pragma once
// A real store in a temp dir, real events, the real projector and a real Server on
// 127.0.0.1:<free port>, queried with httplib::Client.

#include <memory>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "config/config.hpp"
#include "events/event.hpp"
#include "http/server.hpp"
#include "store/db.hpp"
#include "store/event_log.hpp"
#include "store/read_models.hpp"
#include "support/temp_dir.hpp"

namespace moviec::test {

struct MovieSpec {
  std::string id;
  std::string title;
  int year = 0;
  std::vector<std::string> genres;
};

struct Reply {
  int status = 0;
  std::string content_type;
  std::string allow;
  nlohmann::json body;  // parsed; discarded when not JSON
};

class HttpFixture {
 public:
  HttpFixture() {
    auto db = store::Db::open(dir_.str() + "/db");
    REQUIRE(db.is_ok());
    db_ = db.take();
    log_ = std::make_unique<store::EventLog>(*db_);
  }
  ~HttpFixture() {
    client_.reset();
    if (server_) server_->stop();
  }

  store::Db& db() { return *db_; }
  store::EventLog& log() { return *log_; }

  /// Appends what a movie actor would for one IMDb record: SourceRecordChanged,
  /// then a MovieChanged setting title, year and genres, citing it.
  void add_movie(const MovieSpec& m) {
    events::SourceRecord record;
    record.source = "imdb";
    record.source_id = m.id;
    record.movie_id = m.id;
    record.title = m.title;
    record.year = m.year;
    record.genres = m.genres;

    events::Event changed;
    changed.type = events::EventType::source_record_changed;
    changed.source = "imdb";
    changed.causation = "title.basics.tsv:" + m.id;
    changed.data = events::to_data(
        events::SourceRecordChanged{record, record.fingerprint(), "", "source_movie_id", std::nullopt, nullptr, 0});

    events::MovieChanged golden;
    golden.rules_version = 1;
    auto field = [&](const char* name, nlohmann::json value) {
      golden.fields.push_back({name, nullptr, std::move(value), "imdb", "source_priority", 0});
    };
    field("title", m.title);
    field("year", m.year);
    field("genres", m.genres);
    events::Event movie;
    movie.type = events::EventType::movie_changed;
    movie.source = "imdb";
    movie.data = events::to_data(golden);

    store::AppendRequest req;
    req.stream = m.id;
    req.expected_version = 0;
    req.events = {changed, movie};
    auto appended = log_->append(std::move(req), false);
    REQUIRE(appended.is_ok());
  }

  /// Projects the log into the read models and starts the server.
  void serve() {
    store::Projector projector(*db_);
    REQUIRE(projector.catch_up(*log_).is_ok());
    server_ = std::make_unique<http::Server>(*db_, *log_, config_);
    auto bound = server_->bind("127.0.0.1", 0);
    REQUIRE(bound.is_ok());
    server_->start();
    REQUIRE(server_->is_running());
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
    client_->set_connection_timeout(5);
    client_->set_read_timeout(10);
  }

  /// The server's configuration; change it before serve().
  config::Config& config() { return config_; }
  http::Server& server() { return *server_; }
  httplib::Client& client() { return *client_; }

  Reply get(const std::string& path) { return to_reply(client_->Get(path.c_str())); }
  Reply get(const std::string& path, const httplib::Params& params) {
    return to_reply(client_->Get(path.c_str(), params, httplib::Headers{}));
  }

  static Reply to_reply(const httplib::Result& r) {
    REQUIRE(r);
    Reply out;
    out.status = r->status;
    out.content_type = r->get_header_value("Content-Type");
    out.allow = r->get_header_value("Allow");
    out.body = nlohmann::json::parse(r->body, nullptr, false);
    return out;
  }

 private:
  TempDir dir_;
  std::unique_ptr<store::Db> db_;
  std::unique_ptr<store::EventLog> log_;
  config::Config config_;
  std::unique_ptr<http::Server> server_;
  std::unique_ptr<httplib::Client> client_;
};

inline constexpr const char* kJson = "application/json; charset=utf-8";

/// Checks the error format: {"error": {"status": N, "message": "..."}}.
inline void require_error(const Reply& r, int status) {
  CHECK(r.status == status);
  CHECK(r.content_type == kJson);
  REQUIRE(r.body.is_object());
  REQUIRE(r.body.contains("error"));
  CHECK(r.body["error"]["status"] == status);
  CHECK(r.body["error"]["message"].is_string());
  CHECK_FALSE(r.body["error"]["message"].get<std::string>().empty());
}

}  // namespace moviec::test
