// moviec: the command line. Subcommands ingest, serve, verify, replay, history,
// reaggregate (app/commands.hpp).
// Exit codes: 0 success, 1 the operation failed (or verify found a difference),
// 2 invalid usage or configuration.

#include <iostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "app/commands.hpp"
#include "app/version.hpp"
#include "common/log.hpp"

using namespace moviec::app;

int main(int argc, char** argv) {
  CLI::App app{"moviec: one auditable record of every movie, from many sources"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("moviec ") + moviec::app::kVersion);
  // Given before or after the subcommand: `moviec --log-format json serve` or `moviec serve --log-format json`.
  app.fallthrough();
  std::string log_format = "text";
  std::string log_level = "info";
  app.add_option("--log-format", log_format, "log lines on stderr: text or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  app.add_option("--log-level", log_level, "lowest level logged: debug, info, warn or error")
      ->check(CLI::IsMember({"debug", "info", "warn", "error"}))
      ->capture_default_str();
  CommonOptions common;
  auto add_common = [&](CLI::App* cmd) {
    cmd->add_option("--data", common.data_dir, "data directory (overrides the config's data_dir)");
    cmd->add_option("--config", common.config_path, "JSON config file (built-in defaults without)")
        ->check(CLI::ExistingFile);
  };

  auto* ingest = app.add_subcommand("ingest", "ingest source files into the event log");
  add_common(ingest);
  std::string source = "imdb";
  std::vector<std::string> files;
  bool ingest_json = false;
  std::string rejects_path;
  ingest->add_option("--source", source, "configured source name")->capture_default_str();
  ingest->add_flag("--json", ingest_json, "print the summary as one JSON object");
  ingest->add_option("--rejects", rejects_path, "rejects file (default DATA/rejects/SOURCE.tsv)");
  ingest->add_option("files", files, "input files")->required()->check(CLI::ExistingFile);

  auto* serve = app.add_subcommand("serve", "serve the HTTP API");
  add_common(serve);
  std::string listen;
  serve->add_option("--listen", listen, "HOST:PORT (default from config: 127.0.0.1:8080)");

  auto* verify = app.add_subcommand("verify", "check the log and that read models equal a fold of it");
  add_common(verify);
  bool verify_json = false;
  verify->add_flag("--json", verify_json, "print the report as JSON");

  auto* replay = app.add_subcommand("replay", "rebuild every read model from sequence 0");
  add_common(replay);

  auto* history = app.add_subcommand("history", "print one movie's event stream, oldest first");
  add_common(history);
  std::string history_movie;
  bool history_json = false;
  history->add_option("movie_id", history_movie, "the movie id, e.g. tt0000001")->required();
  history->add_flag("--json", history_json, "one JSON object per event (as GET /movies/{id}/history)");

  auto* reaggregate = app.add_subcommand(
      "reaggregate", "decide every golden record again under the config's field rules");
  add_common(reaggregate);
  bool reaggregate_json = false;
  reaggregate->add_flag("--json", reaggregate_json, "print the summary as one JSON object");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  if (auto bad = moviec::log::setup(log_format, log_level); !bad.empty()) {
    std::cerr << "moviec: " << bad << "\n";
    return 2;
  }
  if (ingest->parsed()) return run_ingest(common, source, files, ingest_json, rejects_path);
  if (serve->parsed()) return run_serve(common, listen);
  if (verify->parsed()) return run_verify(common, verify_json);
  if (replay->parsed()) return run_replay(common);
  if (history->parsed()) return run_history(common, history_movie, history_json);
  if (reaggregate->parsed()) return run_reaggregate(common, reaggregate_json);
  return 2;
}
