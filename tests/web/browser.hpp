#pragma once
// Real headless Chromium for the page tests: tests/web/browse.mjs (playwright-core)
// opens the page, does one scenario and prints one JSON object of what it saw.

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace moviec::test {

inline std::filesystem::path repo_root() { return std::filesystem::path(MOVIEC_EXAMPLES).parent_path(); }
inline const std::filesystem::path kRepoRoot = repo_root();

/// Why the browser tests cannot run here ("" when they can); scripts/setup.sh installs each.
inline std::string missing_browser_tools() {
  if (!std::filesystem::exists("/usr/bin/chromium")) return "/usr/bin/chromium is absent";
  if (std::system("node --version >/dev/null 2>&1") != 0) return "node is not installed";
  if (!std::filesystem::exists(repo_root() / "node_modules/playwright-core"))
    return "node_modules/playwright-core is missing: run npm ci in " + repo_root().string();
  return "";
}

/// Runs tests/web/browse.mjs with `args` (bounded at 120 s); the JSON object it printed.
inline nlohmann::json browse(const std::vector<std::string>& args) {
  std::string cmd = "cd " + shell_quote(repo_root().string()) + " && timeout 120 node tests/web/browse.mjs";
  for (auto& a : args) cmd += " " + shell_quote(a);
  auto run = run_shell(cmd);
  INFO(run.out);
  REQUIRE(run.exit_code == 0);
  auto at = run.out.rfind("{\"assets\"");  // browse.mjs prints one JSON object, its first key "assets"
  REQUIRE(at != std::string::npos);
  return nlohmann::json::parse(run.out.substr(at));
}

/// Where a screenshot goes: MOVIEC_SCREENSHOTS=DIR keeps it, else the test's temp dir.
inline std::string screenshot_path(const TempDir& dir, const std::string& name) {
  if (const char* keep = std::getenv("MOVIEC_SCREENSHOTS")) return (std::filesystem::path(keep) / name).string();
  return (dir / name).string();
}

}  // namespace moviec::test
