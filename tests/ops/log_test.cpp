// The log as an operator reads it: `moviec --log-format json serve` writes one JSON
// object a line on stderr (the start-up config with the token blanked, each HTTP
// request, each ingest run, errors with their context); `--log-format text` the same
// as words; `--log-level` filters; a bad value is a usage error.

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "support/files.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

using namespace moviec::test;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

const std::string kLogToken = "log-secret-token";

/// A config with one JSON-lines source that carries its movie ids, and a token.
fs::path write_config(const fs::path& dir) {
  json config{{"token", kLogToken},
              {"sources", json::parse(R"([{"name": "feed", "format": "layout", "options": {
                  "type": "jsonl", "source_id": "id", "movie_id": "imdb",
                  "fields": [{"column": "title", "field": "title", "required": true}]}}])")}};
  std::ofstream(dir / "moviec.json") << config.dump();
  return dir / "moviec.json";
}

/// `moviec ARGS... serve` with its stderr going to `log` (the child inherits fd 2).
std::unique_ptr<Server> serve_logging_to(const fs::path& log, const std::string& data,
                                         std::vector<std::string> extra) {
  int saved = ::dup(2);
  int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  REQUIRE(fd >= 0);
  ::dup2(fd, 2);
  ::close(fd);
  std::unique_ptr<Server> server;
  try {
    server = std::make_unique<Server>(data, std::move(extra));
  } catch (...) {
    ::dup2(saved, 2);
    ::close(saved);
    throw;
  }
  ::dup2(saved, 2);
  ::close(saved);
  return server;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out.push_back(line);
  return out;
}

}  // namespace

TEST_CASE("serve with the json log format writes one JSON object a line: start, requests, runs, stop", "[ops]") {
  TempDir dir;
  auto config = write_config(dir.path());
  auto log = dir / "serve.log";
  {
    auto server = serve_logging_to(log, (dir / "data").string(),
                                   {"--config", config.string(), "--log-format", "json"});
    httplib::Client client("127.0.0.1", server->port());
    REQUIRE(client.Get("/movies?limit=1"));
    REQUIRE(client.Get("/nope"));
    auto push = client.Post("/ingest/feed", {{"Authorization", "Bearer " + kLogToken}},
                            "{\"id\": \"a\", \"imdb\": \"tt0000001\", \"title\": \"Carmencita\"}\n",
                            "application/x-ndjson");
    REQUIRE(push);
    REQUIRE(push->status == 200);
  }  // SIGTERM: the server logs its stop and exits

  auto text = read_file(log);
  INFO(text);
  CHECK(text.find(kLogToken) == std::string::npos);  // the token never reaches the log
  json start, request, missing, run, stopping;
  for (auto& line : lines_of(text)) {
    auto j = json::parse(line, nullptr, false);
    INFO(line);
    REQUIRE(j.is_object());  // every line, not only ours
    CHECK(j["time"].is_string());
    CHECK(j["level"].is_string());
    REQUIRE(j["event"].is_string());
    if (j["event"] == "start") start = j;
    if (j["event"] == "http_request" && j["path"] == "/movies") request = j;
    if (j["event"] == "http_request" && j["path"] == "/nope") missing = j;
    if (j["event"] == "ingest_run") run = j;
    if (j["event"] == "stopping") stopping = j;
  }
  REQUIRE(start.is_object());
  CHECK(start["command"] == "serve");
  CHECK(start["config"]["token"] == "(set)");
  CHECK(start["config"]["sources"][0]["name"] == "feed");

  REQUIRE(request.is_object());
  CHECK(request["level"] == "info");
  CHECK(request["method"] == "GET");
  CHECK(request["route"] == "/movies");
  CHECK(request["status"] == 200);
  CHECK(request["us"].is_number_integer());
  CHECK(request["bytes"].get<int>() > 0);

  REQUIRE(missing.is_object());
  CHECK(missing["route"] == "unmatched");
  CHECK(missing["status"] == 404);

  REQUIRE(run.is_object());
  CHECK(run["source"] == "feed");
  CHECK(run["way"] == "push");
  CHECK(run["state"] == "done");
  CHECK(run["summary"]["read"] == 1);
  CHECK(run["summary"]["changed"] == 1);

  CHECK(stopping.is_object());
}

TEST_CASE("the text log format writes words and log level warn keeps requests out", "[ops]") {
  TempDir dir;
  auto config = write_config(dir.path());
  auto log = dir / "serve.log";
  {
    auto server = serve_logging_to(log, (dir / "data").string(), {"--config", config.string()});
    httplib::Client client("127.0.0.1", server->port());
    REQUIRE(client.Get("/healthz"));
  }
  auto text = read_file(log);
  INFO(text);
  CHECK(text.find(" info http_request method=GET path=/healthz route=/healthz status=200 us=") !=
        std::string::npos);
  CHECK(text.find(" info start command=serve ") != std::string::npos);
  CHECK(text.find(kLogToken) == std::string::npos);

  auto quiet_log = dir / "quiet.log";
  {
    auto server = serve_logging_to(quiet_log, (dir / "data").string(),
                                   {"--config", config.string(), "--log-level", "warn"});
    httplib::Client client("127.0.0.1", server->port());
    REQUIRE(client.Get("/healthz"));
  }
  auto quiet = read_file(quiet_log);
  INFO(quiet);
  CHECK(quiet.find("http_request") == std::string::npos);
  CHECK(quiet.find("start") == std::string::npos);
}

TEST_CASE("a failed start is logged as an error with its reason", "[ops]") {
  TempDir dir;
  auto log = dir / "err.log";
  std::string cmd = shell_quote(MOVIEC_BINARY) + " --log-format json serve --data " +
                    shell_quote((dir / "data").string()) + " --listen 127.0.0.1:99999 2> " +
                    shell_quote(log.string());
  int status = std::system(cmd.c_str());
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 2);
  auto lines = lines_of(read_file(log));
  REQUIRE(lines.size() == 1);
  auto j = json::parse(lines[0], nullptr, false);
  REQUIRE(j.is_object());
  CHECK(j["level"] == "error");
  CHECK(j["event"] == "start_failed");
  CHECK(j["error"].get<std::string>().find("65535") != std::string::npos);
}

TEST_CASE("an unknown --log-format or --log-level is a usage error", "[ops]") {
  CHECK(run_moviec({"--log-format", "xml", "verify", "--data", "/nonexistent"}).exit_code == 2);
  CHECK(run_moviec({"--log-level", "loud", "verify", "--data", "/nonexistent"}).exit_code == 2);
}
