// moviec: the command line. Subcommands ingest, serve, verify, replay, history,
// reaggregate.
// Exit codes: 0 success, 1 the operation failed (or verify found a difference),
// 2 invalid usage or configuration.

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <thread>

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "actors/runtime.hpp"
#include "common/log.hpp"
#include "app/history_printer.hpp"
#include "app/progress.hpp"
#include "app/push.hpp"
#include "app/version.hpp"
#include "config/config.hpp"
#include "http/server.hpp"
#include "events/coding.hpp"
#include "store/verify.hpp"

namespace {

using moviec::Status;
namespace fs = std::filesystem;

struct CommonOptions {
  std::string data_dir;
  std::string config_path;
};

/// The config as the start-up log shows it: the token blanked.
nlohmann::json config_for_log(const moviec::config::Config& cfg) {
  auto j = moviec::config::to_json(cfg);
  j["token"] = cfg.token.empty() ? "" : "(set)";
  return j;
}

/// Loads the config (defaults when no file) and applies command-line overrides.
/// Exits with 2 and one clear message when it is invalid.
moviec::config::Config load_config(const CommonOptions& common) {
  auto cfg = common.config_path.empty() ? moviec::StatusOr<moviec::config::Config>(
                                              moviec::config::Config::defaults())
                                        : moviec::config::load(common.config_path);
  if (!cfg) {
    std::cerr << "moviec: invalid config: " << cfg.status().message() << "\n";
    std::exit(2);
  }
  if (!common.data_dir.empty()) cfg->data_dir = common.data_dir;
  if (const char* token = std::getenv("MOVIEC_TOKEN"); token && *token) cfg->token = token;
  return cfg.take();
}

std::unique_ptr<moviec::actors::Runtime> open_runtime(const moviec::config::Config& cfg) {
  auto rt = moviec::actors::Runtime::open(cfg);
  if (!rt) {
    std::cerr << "moviec: " << rt.status().message() << "\n";
    std::exit(1);
  }
  return rt.take();
}

int run_ingest(const CommonOptions& common, const std::string& source,
               const std::vector<std::string>& files, bool json, std::string rejects_path) {
  auto cfg = load_config(common);
  auto started = std::chrono::steady_clock::now();
  auto rt = open_runtime(cfg);
  if (rejects_path.empty())
    rejects_path = (fs::path(cfg.data_dir) / "rejects" / (source + ".tsv")).string();
  fs::create_directories(fs::path(rejects_path).parent_path());

  moviec::actors::IngestProgress progress;
  moviec::app::ProgressBar bar(progress, ::isatty(STDERR_FILENO) && !json);
  moviec::actors::Runtime::IngestOptions options;
  options.rejects_path = rejects_path;
  options.progress = &progress;
  auto summary = rt->ingest(source, files, options);
  // Read models are part of the job: queries right after `ingest` see the data.
  Status projected = summary ? rt->wait_for_read_models() : Status::ok();
  bar.stop();
  if (!summary) {
    std::cerr << "moviec: " << summary.status().message() << "\n";
    return summary.status().code() == Status::Code::invalid_argument ? 2 : 1;
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  seconds = std::round(seconds * 1000) / 1000;
  for (auto& r : summary->rejects)
    std::cerr << "moviec: rejected " << r.file << ":" << r.line << ": " << r.reason << "\n";
  if (summary->rejected > summary->rejects.size())
    std::cerr << "moviec: ... " << summary->rejected - summary->rejects.size()
              << " more rejects in " << rejects_path << "\n";
  if (json) {
    nlohmann::json out{{"read", summary->read},         {"changed", summary->changed},
                       {"unchanged", summary->unchanged}, {"rejected", summary->rejected},
                       {"appended", summary->appended}, {"seconds", seconds},
                       {"failed", summary->failed},     {"rejects_file", rejects_path},
                       {"unmatched", summary->unmatched}, {"resolved", summary->resolved},
                       {"removed", summary->removed}};
    if (!summary->error.empty()) out["error"] = summary->error;
    std::cout << out.dump() << std::endl;
  } else {
    std::cout << fmt::format("read {}, changed {}, unchanged {}, rejected {}, appended {} events in {:.3f} s",
                             summary->read, summary->changed, summary->unchanged, summary->rejected,
                             summary->appended, seconds);
    if (summary->rejected) std::cout << " (rejects: " << rejects_path << ")";
    if (summary->unmatched || summary->resolved)
      std::cout << fmt::format("; {} matched no movie (GET /sources/{}/unmatched), {} earlier unmatched resolved",
                               summary->unmatched, source, summary->resolved);
    std::cout << std::endl;
  }
  if (summary->failed) {
    std::cerr << "moviec: " << summary->failed << " records failed: " << summary->error << "\n";
    return 1;
  }
  if (!projected) {
    std::cerr << "moviec: " << projected.message() << "\n";
    return 1;
  }
  return 0;
}

int run_serve(const CommonOptions& common, const std::string& listen) {
  auto cfg = load_config(common);
  if (!listen.empty()) cfg.listen = listen;
  auto address = moviec::http::parse_listen(cfg.listen);
  if (!address) {
    moviec::log::error("start_failed", {{"error", "--listen: " + address.status().message()}});
    return 2;
  }
  moviec::log::info("start", {{"command", "serve"}, {"config_file", common.config_path},
                              {"config", config_for_log(cfg)}});
  // Signals are taken by sigwait below, not by whichever thread they hit.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  auto rt = open_runtime(cfg);
  if (auto st = rt->wait_for_read_models(); !st)
    moviec::log::error("read_models_behind", {{"error", st.message()}});
  moviec::http::Server server(rt->db(), rt->log(), rt->config());
  // POST /ingest/{source} runs through the actors like a file.
  server.set_ingest_hook([&rt](const moviec::http::PushRequest& push) {
    return moviec::app::push_ingest(*rt, push);
  });
  rt->start_watchers();  // inboxes and polled feeds
  // POST /links: a person's link or "no match" goes to the matcher as an event.
  server.set_link_hook([&rt](const moviec::http::LinkCommand& cmd)
                           -> moviec::StatusOr<nlohmann::json> {
    auto outcome = rt->link({cmd.source, cmd.source_id, cmd.movie_id, cmd.by, cmd.why, cmd.request_id});
    if (!outcome) return outcome.status();
    return nlohmann::json{{"sequence", outcome->sequence},
                          {"record_known", outcome->record_known},
                          {"applied", outcome->applied},
                          {"previous_movie", outcome->previous_movie.empty()
                                                 ? nlohmann::json()
                                                 : nlohmann::json(outcome->previous_movie)}};
  });
  if (auto st = server.bind(address->host, address->port); !st) {
    moviec::log::error("start_failed", {{"error", st.message()}});
    return 1;
  }
  server.start();
  std::cout << "moviec serving http://" << address->host << ":" << server.port() << " (data "
            << cfg.data_dir << ", " << rt->log().last_sequence() << " events)" << std::endl;
  moviec::log::info("serving", {{"listen", address->host + ":" + std::to_string(server.port())},
                                {"data_dir", cfg.data_dir},
                                {"events", rt->log().last_sequence()}});
  int sig = 0;
  sigwait(&signals, &sig);
  moviec::log::info("stopping", {{"signal", sig == SIGINT ? "SIGINT" : "SIGTERM"}});
  server.stop();
  return 0;
}

/// Opens the store without actors, for the offline commands.
std::unique_ptr<moviec::store::Db> open_store(const moviec::config::Config& cfg) {
  auto path = fs::path(cfg.data_dir) / "db";
  if (!fs::exists(path)) {
    std::cerr << "moviec: no moviec data in " << cfg.data_dir << "\n";
    std::exit(1);
  }
  auto db = moviec::store::Db::open(path.string());
  if (!db) {
    std::cerr << "moviec: " << db.status().message() << "\n";
    std::exit(1);
  }
  return db.take();
}

/// Opens the store for reading only, so that it works while `serve` or `ingest`
/// holds it; falls back to a normal open (e.g. a store missing a newer column family).
std::unique_ptr<moviec::store::Db> open_store_for_reading(const moviec::config::Config& cfg) {
  auto path = fs::path(cfg.data_dir) / "db";
  if (fs::exists(path)) {
    moviec::store::Db::Options options;
    options.read_only = true;
    options.create_if_missing = false;
    if (auto db = moviec::store::Db::open(path.string(), options)) return db.take();
  }
  return open_store(cfg);
}

int run_history(const CommonOptions& common, const std::string& movie_id, bool json) {
  auto cfg = load_config(common);
  auto db = open_store_for_reading(cfg);
  moviec::store::EventLog log(*db);
  auto head = log.stream_version(movie_id);
  if (!head) {
    std::cerr << "moviec: " << head.status().message() << "\n";
    return 1;
  }
  if (*head == 0) {
    std::cerr << "moviec: no movie with id " << movie_id << " in " << cfg.data_dir << "\n";
    return 1;
  }
  if (!json) std::cout << movie_id << ": " << *head << " events, oldest first\n\n";
  auto st = log.read_stream(movie_id, 1, [&](const moviec::events::Event& e) {
    if (json) std::cout << moviec::events::to_json(e).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    else moviec::app::print_history_event(std::cout, e);
    return true;
  });
  std::cout << std::flush;
  if (!st) {
    std::cerr << "moviec: " << st.message() << "\n";
    return 1;
  }
  return 0;
}

int run_reaggregate(const CommonOptions& common, bool json) {
  auto cfg = load_config(common);
  auto started = std::chrono::steady_clock::now();
  auto rt = open_runtime(cfg);
  moviec::actors::Runtime::ReaggregateOptions options;
  options.causation = "rules v" + std::to_string(cfg.rules.version) + " (" +
                      (common.config_path.empty() ? std::string("built-in defaults")
                                                  : fs::path(common.config_path).filename().string()) +
                      ")";
  auto summary = rt->reaggregate(options);
  Status projected = summary ? rt->wait_for_read_models() : Status::ok();
  if (!summary) {
    std::cerr << "moviec: " << summary.status().message() << "\n";
    return 1;
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  seconds = std::round(seconds * 1000) / 1000;
  if (json) {
    nlohmann::json out{{"movies", summary->movies},   {"changed", summary->changed},
                       {"unchanged", summary->unchanged}, {"fields", summary->fields},
                       {"failed", summary->failed},   {"appended", summary->changed},
                       {"rules_version", cfg.rules.version}, {"seconds", seconds}};
    if (!summary->error.empty()) out["error"] = summary->error;
    std::cout << out.dump() << std::endl;
  } else {
    std::cout << fmt::format("reaggregated {} movies under rules v{}: {} changed ({} fields), {} "
                             "unchanged, {} failed; appended {} events in {:.3f} s",
                             summary->movies, cfg.rules.version, summary->changed, summary->fields,
                             summary->unchanged, summary->failed, summary->changed, seconds)
              << std::endl;
  }
  if (summary->failed) {
    std::cerr << "moviec: " << summary->failed << " movies failed: " << summary->error << "\n";
    return 1;
  }
  if (!projected) {
    std::cerr << "moviec: " << projected.message() << "\n";
    return 1;
  }
  return 0;
}

int run_verify(const CommonOptions& common, bool json) {
  auto cfg = load_config(common);
  auto db = open_store(cfg);
  moviec::store::EventLog log(*db);
  moviec::store::AssetBucket bucket(cfg.data_dir);
  auto report = moviec::store::verify(*db, log, (fs::path(cfg.data_dir) / "verify.tmp").string(), &bucket);
  if (json) {
    std::cout << nlohmann::json{{"ok", report.ok()},
                                {"events", report.events},
                                {"streams", report.streams},
                                {"read_model_checkpoint", report.read_model_checkpoint},
                                {"read_models_caught_up", report.read_models_caught_up},
                                {"assets", report.assets},
                                {"problems", report.problems}}
                     .dump()
              << std::endl;
  } else if (report.ok()) {
    std::cout << "ok: " << report.events << " events in " << report.streams
              << " streams; read models equal a fold of the log";
    if (report.assets) std::cout << "; " << report.assets << " assets present and whole";
    if (report.read_models_caught_up)
      std::cout << " (they lagged " << report.read_models_caught_up << " events and were caught up)";
    std::cout << std::endl;
  } else {
    for (auto& p : report.problems) std::cout << "problem: " << p << "\n";
    std::cout << "verify FAILED (" << report.problems.size() << " problems)" << std::endl;
  }
  return report.ok() ? 0 : 1;
}

int run_replay(const CommonOptions& common) {
  auto cfg = load_config(common);
  auto db = open_store(cfg);
  moviec::store::EventLog log(*db);
  auto started = std::chrono::steady_clock::now();
  const bool tty = ::isatty(STDERR_FILENO);
  auto st = moviec::store::rebuild_read_models(*db, log, [&](std::uint64_t checkpoint) {
    if (tty) std::cerr << "\rreplayed " << checkpoint << " / " << log.last_sequence() << " events" << std::flush;
  });
  if (tty) std::cerr << "\n";
  if (!st) {
    std::cerr << "moviec: replay failed: " << st.message() << "\n";
    return 1;
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::cout << fmt::format("replayed {} events in {:.3f} s ({:.0f} events/s)", log.last_sequence(),
                           seconds, seconds > 0 ? log.last_sequence() / seconds : 0.0)
            << std::endl;
  return 0;
}

}  // namespace

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
