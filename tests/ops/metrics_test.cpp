// GET /metrics as an operator meets it: the real binary takes a push, its page passes
// `promtool check metrics`, and a real Prometheus (Debian's prometheus 2.42, started
// here on a free loopback port with a scrape config pointing at the server) answers
// moviec_events_appended_total through its own HTTP API.
//
// Without /usr/bin/promtool or /usr/bin/prometheus those checks are skipped with a
// WARN (scripts/setup.sh installs the prometheus package); the page checks always run.

#include <catch2/catch.hpp>

#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <thread>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "support/files.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

extern char** environ;

using namespace moviec::test;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

const std::string kMetricsToken = "metrics-token";

void write_file(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out << text;
}

/// examples/layout's config (imdb, rt_export with an inbox) plus `feed`, JSON lines
/// that carry their movie id, a token, and the config key `metrics`.
fs::path write_config(const fs::path& dir, bool metrics) {
  std::ifstream in(examples() / "layout/moviec.json");
  json config = json::parse(in);
  for (auto& s : config["sources"])
    if (s["name"] == "rt_export") s["inbox"] = (dir / "inbox").string();
  config["sources"].push_back(json::parse(R"({"name": "feed", "format": "layout", "options": {
      "type": "jsonl", "source_id": "id", "movie_id": "imdb",
      "fields": [{"column": "title", "field": "title", "required": true},
                 {"column": "year", "field": "year", "type": "int"}]}})"));
  config["token"] = kMetricsToken;
  config["metrics"] = metrics;
  config["inbox_scan_ms"] = 600000;  // the inbox is looked into at start, then not for 10 min
  write_file(dir / "moviec.json", config.dump(2));
  return dir / "moviec.json";
}

/// A served store that took two pushes: three feed records with their movie ids and
/// one without a title (rejected), then examples/layout/rotten_tomatoes.csv (16 rows
/// that match no movie).
struct Pushed {
  TempDir dir;
  std::unique_ptr<Server> server;
  std::unique_ptr<httplib::Client> client;

  explicit Pushed(bool metrics = true) {
    auto config = write_config(dir.path(), metrics);
    server = std::make_unique<Server>((dir / "data").string(),
                                      std::vector<std::string>{"--config", config.string()});
    client = std::make_unique<httplib::Client>("127.0.0.1", server->port());
    client->set_read_timeout(60);
    httplib::Headers auth{{"Authorization", "Bearer " + kMetricsToken}};
    auto feed = client->Post("/ingest/feed", auth,
                             R"({"id": "a", "imdb": "tt0000001", "title": "Carmencita", "year": 1894}
{"id": "b", "imdb": "tt0000002", "title": "Le clown et ses chiens", "year": 1892}
{"id": "c", "imdb": "tt0000003", "title": "Pauvre Pierrot", "year": 1892}
{"id": "d", "imdb": "tt0000004", "year": 1892}
)",
                             "application/x-ndjson");
    REQUIRE(feed);
    INFO(feed->body);
    REQUIRE(feed->status == 200);
    auto res = client->Post("/ingest/rt_export", auth, read_file(examples() / "layout/rotten_tomatoes.csv"),
                            "text/csv");
    REQUIRE(res);
    INFO(res->body);
    REQUIRE(res->status == 200);
  }

  std::string page() {
    auto res = client->Get("/metrics");
    REQUIRE(res);
    REQUIRE(res->status == 200);
    return res->body;
  }

  /// The page once `ready(page)` holds, or after 10 s. A request is counted after
  /// its answer has been written (httplib's logger), so a client can be faster.
  template <class Ready>
  std::string page_when(Ready ready) {
    auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    auto p = page();
    while (!ready(p) && std::chrono::steady_clock::now() < until) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      p = page();
    }
    return p;
  }
};

/// The value of the first sample line `name{...labels...} value` matching `series`.
double sample(const std::string& page, const std::string& series) {
  std::regex line("^" + series + " ([0-9.e+-]+)$", std::regex::multiline);
  std::smatch m;
  if (!std::regex_search(page, m, line)) return -1;
  return std::stod(m[1].str());
}

int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

/// A child process by argv, stopped (SIGTERM, then waited for) when this goes.
class Child {
 public:
  explicit Child(std::vector<std::string> argv, const fs::path& log) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    std::vector<char*> args;
    for (auto& a : argv) args.push_back(a.data());
    args.push_back(nullptr);
    int rc = posix_spawn(&pid_, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) pid_ = -1;
  }
  ~Child() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      int status = 0;
      ::waitpid(pid_, &status, 0);
    }
  }
  bool started() const { return pid_ > 0; }

 private:
  pid_t pid_ = -1;
};

}  // namespace

TEST_CASE("GET /metrics counts what an ingest did, in the exposition format", "[ops]") {
  Pushed pushed;
  const std::string pushes = R"(moviec_http_requests_total\{method="POST",route="/ingest/\{source\}",status="200"\})";
  auto page = pushed.page_when([&](const std::string& p) { return sample(p, pushes) == 2; });
  INFO(page);
  CHECK(sample(page, R"(moviec_events_appended_total\{type="SourceRecordChanged"\})") == 3);
  CHECK(sample(page, R"(moviec_events_appended_total\{type="MovieChanged"\})") == 3);
  CHECK(sample(page, R"(moviec_events_appended_total\{type="SourceRecordUnmatched"\})") == 16);
  CHECK(sample(page, R"(moviec_source_records_changed_total\{source="feed"\})") == 3);
  CHECK(sample(page, R"(moviec_source_records_rejected_total\{source="feed"\})") == 1);
  CHECK(sample(page, R"(moviec_source_records_read_total\{source="rt_export"\})") == 16);
  CHECK(sample(page, R"(moviec_source_records_unchanged_total\{source="rt_export"\})") == 0);
  CHECK(sample(page, R"(moviec_source_runs_total\{source="rt_export",state="done",way="push"\})") == 1);
  CHECK(sample(page, R"(moviec_unmatched_records\{source="rt_export"\})") == 16);
  CHECK(sample(page, "moviec_movies") == 3);
  CHECK(sample(page, "moviec_journal_batch_events_count") >= 1);
  CHECK(sample(page, "moviec_journal_commit_seconds_count") >= 1);
  CHECK(sample(page, "moviec_movie_actors_spawned_total") == 3);
  CHECK(sample(page, "moviec_movie_actors_live") == 3);
  CHECK(sample(page, "moviec_projection_lag_events") == 0);
  CHECK(sample(page, "moviec_rocksdb_size_bytes") > 0);
  CHECK(sample(page, R"(moviec_inbox_files_waiting\{source="rt_export"\})") == 0);
  // Files dropped after the start wait for the next look; hidden and .tmp files never count.
  write_file(pushed.dir / "inbox/more.csv", "movie_title\nX\n");
  write_file(pushed.dir / "inbox/.partial.csv", "movie_title\n");
  write_file(pushed.dir / "inbox/next.csv.tmp", "movie_title\n");
  CHECK(sample(page, pushes) == 2);
  CHECK(page.find("# TYPE moviec_http_request_duration_seconds histogram") != std::string::npos);
  CHECK(page.find("# TYPE moviec_events_appended_total counter") != std::string::npos);

  // A request the page saw is counted on the next one, under its route template.
  pushed.client->Get("/movies/tt0000000");
  const std::string not_found = R"(moviec_http_requests_total\{method="GET",route="/movies/\{id\}",status="404"\})";
  page = pushed.page_when([&](const std::string& p) { return sample(p, not_found) == 1; });
  CHECK(sample(page, not_found) == 1);
  CHECK(sample(page, R"(moviec_http_requests_total\{method="GET",route="/metrics",status="200"\})") >= 1);
  CHECK(sample(page, R"(moviec_inbox_files_waiting\{source="rt_export"\})") == 1);
}

TEST_CASE("with metrics off nothing is counted and the page shows what is on record", "[ops]") {
  Pushed pushed(false);
  auto page = pushed.page();
  INFO(page);
  CHECK(page.find("moviec_events_appended_total") == std::string::npos);
  CHECK(page.find("moviec_http_requests_total") == std::string::npos);
  CHECK(page.find("moviec_movie_actors_spawned_total") == std::string::npos);
  CHECK(sample(page, "moviec_movies") == 3);
  CHECK(sample(page, R"(moviec_unmatched_records\{source="rt_export"\})") == 16);
  CHECK(sample(page, "moviec_log_last_sequence") > 0);
}

TEST_CASE("the /metrics page passes promtool check metrics", "[ops]") {
  if (!fs::exists("/usr/bin/promtool")) {
    WARN("skipped: /usr/bin/promtool is missing (scripts/setup.sh installs prometheus)");
    return;
  }
  Pushed pushed;
  auto file = pushed.dir / "metrics.txt";
  write_file(file, pushed.page());
  auto [exit_code, out] = run_shell("/usr/bin/promtool check metrics < " + shell_quote(file.string()) + " 2>&1");
  INFO(out);
  CHECK(exit_code == 0);
  CHECK(out.empty());  // promtool prints every problem; a clean page prints nothing
}

TEST_CASE("a real Prometheus scrapes moviec_events_appended_total after an ingest", "[ops]") {
  if (!fs::exists("/usr/bin/prometheus")) {
    WARN("skipped: /usr/bin/prometheus is missing (scripts/setup.sh installs prometheus)");
    return;
  }
  Pushed pushed;
  const int port = free_port();
  auto config = pushed.dir / "prometheus.yml";
  write_file(config, "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
                     "scrape_configs:\n  - job_name: moviec\n    metrics_path: /metrics\n"
                     "    static_configs:\n      - targets: ['127.0.0.1:" +
                         std::to_string(pushed.server->port()) + "']\n");
  Child prometheus({"/usr/bin/prometheus", "--config.file=" + config.string(),
                    "--storage.tsdb.path=" + (pushed.dir / "tsdb").string(),
                    "--web.listen-address=127.0.0.1:" + std::to_string(port)},
                   pushed.dir / "prometheus.log");
  REQUIRE(prometheus.started());

  httplib::Client api("127.0.0.1", port);
  api.set_connection_timeout(1);
  api.set_read_timeout(5);
  json answer;
  double appended = 0;
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < until && appended <= 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    auto res = api.Get("/api/v1/query?query=sum(moviec_events_appended_total)");
    if (!res || res->status != 200) continue;
    answer = json::parse(res->body, nullptr, false);
    if (!answer.is_object() || answer["status"] != "success") continue;
    auto& result = answer["data"]["result"];
    if (result.is_array() && !result.empty())
      appended = std::stod(result[0]["value"][1].get<std::string>());
  }
  INFO(answer.dump() << "\nprometheus log:\n" << read_file(pushed.dir / "prometheus.log"));
  CHECK(appended >= 22);

  // The target is healthy in Prometheus's own view.
  auto targets = api.Get("/api/v1/targets");
  REQUIRE(targets);
  auto t = json::parse(targets->body, nullptr, false);
  REQUIRE(t.is_object());
  REQUIRE(t["data"]["activeTargets"].size() == 1);
  CHECK(t["data"]["activeTargets"][0]["health"] == "up");
}
