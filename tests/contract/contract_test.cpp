// The OpenAPI contract (docs/openapi.yaml, served as GET /openapi.json) against the
// real binary: the route table and the document name the same routes; @redocly/cli
// lints the document; and tests/contract/contract.mjs asks a real `moviec serve` every
// route, happy path and each documented error, validating every answer with ajv.
//
// The npm tools come from package.json/package-lock.json (scripts/setup.sh runs npm ci).
// Without node or node_modules the tests that need them are skipped with a WARN; the
// route-table test always runs.

#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "http/routes.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

using namespace moviec::test;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

const fs::path kRoot = MOVIEC_SOURCE_DIR;
const std::string kToken = "contract-token";

/// `command` run by the shell; its stdout and stderr, and the exit code.
CommandResult shell(const std::string& command) {
  CommandResult r;
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  REQUIRE(pipe);
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) r.out.append(buf, n);
  int status = ::pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return r;
}

bool have_node() { return shell("node --version").exit_code == 0; }

/// Why the npm tools cannot run, or "" when they can.
std::string npm_tools_missing() {
  if (!have_node()) return "node is not installed (scripts/setup.sh installs it)";
  if (!fs::exists(kRoot / "node_modules/ajv") || !fs::exists(kRoot / "node_modules/.bin/redocly"))
    return "node_modules/ is missing: run npm ci in " + kRoot.string() + " (scripts/setup.sh does)";
  return "";
}

void write_file(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out << text;
}

/// A config with examples/' sources: imdb, movielens and the layout source rt_export
/// (with an inbox), `token` when given.
fs::path write_config(const fs::path& dir, const std::string& token) {
  std::ifstream in(examples() / "layout/moviec.json");
  json config = json::parse(in);
  config["sources"].push_back({{"name", "movielens"}, {"format", "movielens_csv"}});
  for (auto& s : config["sources"])
    if (s["name"] == "rt_export") s["inbox"] = (dir / "inbox").string();
  if (!token.empty()) config["token"] = token;
  auto path = dir / "moviec.json";
  write_file(path, config.dump(2));
  return path;
}

void ingest(const std::string& data, const fs::path& config, const std::string& source,
            const std::vector<std::string>& files) {
  std::vector<std::string> args{"ingest", "--data", data, "--config", config.string(), "--source",
                                source, "--json"};
  args.insert(args.end(), files.begin(), files.end());
  auto r = run_moviec(args);
  INFO(r.out);
  REQUIRE(r.exit_code == 0);
}

}  // namespace

TEST_CASE("the contract describes exactly the routes of the route table", "[contract]") {
  TempDir dir;
  Server server((dir / "data").string());
  httplib::Client client("127.0.0.1", server.port());
  auto res = client.Get("/openapi.json");
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(res->get_header_value("Content-Type") == "application/json; charset=utf-8");
  auto spec = json::parse(res->body, nullptr, false);
  REQUIRE(spec.is_object());
  CHECK(spec["openapi"] == "3.1.0");

  std::set<std::pair<std::string, std::string>> documented;
  for (auto& [path, item] : spec["paths"].items())
    for (auto& [method, op] : item.items()) {
      (void)op;
      std::string m = method;
      for (auto& c : m) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      if (m == "GET" || m == "POST" || m == "PUT" || m == "PATCH" || m == "DELETE")
        documented.emplace(m, path);
    }
  std::set<std::pair<std::string, std::string>> served;
  for (auto& r : moviec::http::route_table()) served.emplace(r.method, r.path);
  for (auto& [method, path] : served) {
    INFO("served but not documented: " << method << " " << path);
    CHECK(documented.count({method, path}) == 1);
  }
  for (auto& [method, path] : documented) {
    INFO("documented but not served: " << method << " " << path);
    CHECK(served.count({method, path}) == 1);
  }
}

TEST_CASE("docs/openapi.yaml passes the Redocly lint", "[contract]") {
  if (auto missing = npm_tools_missing(); !missing.empty()) {
    WARN("skipped: " << missing);
    return;
  }
  auto r = shell("cd " + shell_quote(kRoot.string()) +
                 " && timeout 120 node_modules/.bin/redocly lint --format stylish docs/openapi.yaml");
  INFO(r.out);
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("valid") != std::string::npos);
  CHECK(r.out.find("warning") == std::string::npos);
}

TEST_CASE("every route of the real server answers as docs/openapi.yaml says", "[contract]") {
  if (auto missing = npm_tools_missing(); !missing.empty()) {
    WARN("skipped: " << missing);
    return;
  }
  TempDir dir;
  auto data = (dir / "data").string();
  auto config = write_config(dir.path(), kToken);
  auto ex = examples();
  ingest(data, config, "imdb",
         {(ex / "imdb/title.basics.tsv").string(), (ex / "imdb/title.ratings.tsv").string(),
          (ex / "imdb/title.akas.tsv").string()});
  ingest(data, config, "movielens",
         {(ex / "movielens/movies.csv").string(), (ex / "movielens/links.csv").string(),
          (ex / "movielens/ratings.csv").string()});
  ingest(data, config, "rt_export", {(ex / "layout/rotten_tomatoes.csv").string()});
  Server server(data, {"--config", config.string()});

  TempDir open_dir;
  auto open_config = write_config(open_dir.path(), "");
  Server no_token((open_dir / "data").string(), {"--config", open_config.string()});

  auto url = [](const Server& s) { return "http://127.0.0.1:" + std::to_string(s.port()); };
  auto r = shell("cd " + shell_quote(kRoot.string()) + " && timeout 300 node tests/contract/contract.mjs " +
                 shell_quote(url(server)) + " " + shell_quote(url(no_token)) + " " + shell_quote(kToken));
  INFO(r.out);
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("every answer matches") != std::string::npos);
}
