#pragma once
// moviec's subcommands (app/commands.cpp), called by app/main.cpp once the command
// line is parsed. Each returns the process's exit code: 0 success, 1 the operation
// failed (or verify found a difference), 2 invalid usage or configuration.

#include <string>
#include <vector>

namespace moviec::app {

/// The options every subcommand takes.
struct CommonOptions {
  std::string data_dir;     // --data: overrides the config's data_dir
  std::string config_path;  // --config: "" = the built-in defaults
};

int run_ingest(const CommonOptions& common, const std::string& source,
               const std::vector<std::string>& files, bool json, std::string rejects_path);
int run_serve(const CommonOptions& common, const std::string& listen);
int run_history(const CommonOptions& common, const std::string& movie_id, bool json);
int run_reaggregate(const CommonOptions& common, bool json);
int run_verify(const CommonOptions& common, bool json);
int run_replay(const CommonOptions& common);

}  // namespace moviec::app
