#pragma once
// moviec's answers as JSON, for the end-to-end tests: the summary a command
// prints with --json (moviec ingest), and the body of an HTTP GET.

#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "support/process.hpp"

namespace moviec::test {

/// Runs `moviec ARGS...`, REQUIREs exit code 0 and returns the JSON object its
/// output ends with (what --json prints last).
inline nlohmann::json run_moviec_json(const std::vector<std::string>& args) {
  auto r = run_moviec(args);
  INFO(r.out);
  REQUIRE(r.exit_code == 0);
  return nlohmann::json::parse(r.out.substr(r.out.rfind('{')));
}

/// `moviec ingest --data DATA --source SOURCE --json EXTRA... FILES...`: its summary.
inline nlohmann::json ingest_json(const std::string& data, const std::string& source,
                                  const std::vector<std::string>& files,
                                  const std::vector<std::string>& extra = {}) {
  std::vector<std::string> args{"ingest", "--data", data, "--source", source, "--json"};
  args.insert(args.end(), extra.begin(), extra.end());
  args.insert(args.end(), files.begin(), files.end());
  return run_moviec_json(args);
}

/// GET path; REQUIREs an answer with `expected_status`; its body as JSON.
inline nlohmann::json get_json(httplib::Client& client, const std::string& path,
                               int expected_status = 200) {
  auto res = client.Get(path.c_str());
  REQUIRE(res);
  INFO(path << " -> " << res->body);
  REQUIRE(res->status == expected_status);
  return nlohmann::json::parse(res->body);
}

}  // namespace moviec::test
