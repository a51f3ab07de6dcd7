// moviec's subcommands, each a function of its parsed options (app/commands.hpp);
// app/main.cpp parses the command line. Apart, the two compile in parallel: the
// actor headers here and CLI11 there are each a long compile of their own.

#include "app/commands.hpp"

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <thread>

#include <unistd.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "actors/run_recorder.hpp"
#include "actors/runtime.hpp"
#include "common/log.hpp"
#include "common/metrics.hpp"
#include "app/history_printer.hpp"
#include "app/progress.hpp"
#include "app/push.hpp"
#include "config/config.hpp"
#include "http/server.hpp"
#include "events/coding.hpp"
#include "store/verify.hpp"

namespace moviec::app {
namespace {

using moviec::Status;
namespace fs = std::filesystem;

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
  moviec::metrics::set_counting(cfg->metrics);
  return cfg.take();
}

/// The value, or the reason on stderr and exit 1.
template <class T>
T or_exit(moviec::StatusOr<T> result) {
  if (!result) {
    std::cerr << "moviec: " << result.status().message() << "\n";
    std::exit(1);
  }
  return result.take();
}

std::unique_ptr<moviec::actors::Runtime> open_runtime(const moviec::config::Config& cfg) {
  return or_exit(moviec::actors::Runtime::open(cfg));
}

/// Opens the store without actors, for the offline commands.
std::unique_ptr<moviec::store::Db> open_store(const moviec::config::Config& cfg) {
  auto path = fs::path(cfg.data_dir) / "db";
  if (!fs::exists(path)) {
    std::cerr << "moviec: no moviec data in " << cfg.data_dir << "\n";
    std::exit(1);
  }
  return or_exit(moviec::store::Db::open(path.string()));
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

/// 1 when some of a run's `what` failed or its read models did not catch up (the
/// reason on stderr), else 0.
int run_exit_code(std::uint64_t failed, const char* what, const std::string& error, const Status& projected) {
  if (failed) {
    std::cerr << "moviec: " << failed << " " << what << " failed: " << error << "\n";
    return 1;
  }
  if (!projected) {
    std::cerr << "moviec: " << projected.message() << "\n";
    return 1;
  }
  return 0;
}

}  // namespace

int run_ingest(const CommonOptions& common, const std::string& source,
               const std::vector<std::string>& files, bool json, std::string rejects_path) {
  auto cfg = load_config(common);
  auto rt = open_runtime(cfg);
  if (rejects_path.empty())
    rejects_path = (fs::path(cfg.data_dir) / "rejects" / (source + ".tsv")).string();
  fs::create_directories(fs::path(rejects_path).parent_path());

  moviec::actors::IngestProgress progress;
  moviec::app::ProgressBar bar(progress, ::isatty(STDERR_FILENO) && !json);
  moviec::actors::Runtime::IngestOptions options;
  options.rejects_path = rejects_path;
  options.progress = &progress;
  // Read models are part of the job: the runtime answers once they show the run
  // (a failure to catch up is counted in the summary), so queries right after see it.
  auto summary = rt->ingest(source, files, options);
  bar.stop();
  if (!summary) {
    std::cerr << "moviec: " << summary.status().message() << "\n";
    return summary.status().code() == Status::Code::invalid_argument ? 2 : 1;
  }
  // The run's own time, as on record (GET /sources shows this summary).
  const double seconds = std::round(summary->seconds * 1000) / 1000;
  for (auto& r : summary->rejects)
    std::cerr << "moviec: rejected " << r.file << ":" << r.line << ": " << r.reason << "\n";
  if (summary->rejected > summary->rejects.size())
    std::cerr << "moviec: ... " << summary->rejected - summary->rejects.size()
              << " more rejects in " << rejects_path << "\n";
  if (json) {
    // The summary on record (GET /sources), and where the rejects are.
    auto out = moviec::actors::summary_json(*summary, summary->seconds);
    out["rejects_file"] = rejects_path;
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
  return run_exit_code(summary->failed, "records", summary->error, Status::ok());
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
  return run_exit_code(summary->failed, "movies", summary->error, projected);
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

}  // namespace moviec::app
