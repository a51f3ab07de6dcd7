#include "actors/runtime.hpp"

#include <filesystem>
#include <thread>

#include "actors/errors.hpp"
#include "actors/inbox.hpp"
#include "actors/journal.hpp"
#include "actors/matcher.hpp"
#include "actors/movie.hpp"
#include "actors/poller.hpp"
#include "actors/priority.hpp"
#include "actors/projection.hpp"
#include "actors/registry.hpp"
#include "actors/run_recorder.hpp"
#include "common/clock.hpp"
#include "common/log.hpp"
#include "sources/record_reader.hpp"
#include "store/source_runs.hpp"

namespace moviec::actors {

void use_work_sharing(caf::actor_system_config& config, std::size_t threads) {
  config.set("scheduler.policy", caf::atom("sharing"));
  config.set("scheduler.max-threads", threads);
}

StatusOr<std::unique_ptr<Runtime>> Runtime::open(const config::Config& config) {
  std::unique_ptr<Runtime> rt(new Runtime());
  rt->config_ = config;
  std::error_code ec;
  std::filesystem::create_directories(config.data_dir, ec);
  if (ec) return Status::io_error("cannot create data directory " + config.data_dir + ": " + ec.message());
  store::Db::Options db_options;
  db_options.min_free_bytes = config.storage.min_free_bytes;
  db_options.block_cache_bytes = config.storage.block_cache_bytes;
  auto db = store::Db::open((std::filesystem::path(config.data_dir) / "db").string(), db_options);
  if (!db) return db.status();
  rt->db_ = db.take();
  // This process holds the store now: a run still "running" belonged to one that
  // died, and a pushed body left in DATA/push (app/push.cpp) has no reader left.
  // On a full disk the store opens read-only (store/health.hpp): they are marked later.
  if (auto marked = store::SourceRuns(*rt->db_).mark_interrupted();
      !marked && marked.status().code() != Status::Code::no_space && marked.status().code() != Status::Code::busy)
    return marked.status();
  std::filesystem::remove_all(std::filesystem::path(config.data_dir) / "push", ec);
  rt->log_ = std::make_unique<store::EventLog>(*rt->db_);
  rt->projector_ = std::make_unique<store::Projector>(*rt->db_);

  // One worker per core (two at least).
  rt->system_config_ = std::make_unique<caf::actor_system_config>();
  use_work_sharing(*rt->system_config_, std::max(2u, std::thread::hardware_concurrency()));
  rt->system_config_->set("logger.console", caf::atom("none"));
  rt->system_ = std::make_unique<caf::actor_system>(*rt->system_config_);

  auto& sys = *rt->system_;
  rt->projection_ = sys.spawn<caf::detached>(projection, rt->log_.get(), rt->projector_.get());
  rt->journal_ = caf::actor_cast<journal_actor>(
      sys.spawn<caf::detached>(actors::journal, rt->log_.get(), rt->projection_, config.sync_writes,
                               config.journal_max_batch, config.snapshots_kept));
  MovieDeps deps;
  deps.log = rt->log_.get();
  deps.journal = rt->journal_;
  deps.rules = &rt->config_.rules;
  deps.snapshot_every = config.snapshot_every;
  rt->registry_ = sys.spawn(actors::registry, deps, RegistryOptions{config.max_live_movies,
                                                            config.movie_idle_timeout});
  MatcherDeps matcher_deps;
  matcher_deps.db = rt->db_.get();
  matcher_deps.log = rt->log_.get();
  matcher_deps.journal = rt->journal_;
  matcher_deps.registry = rt->registry_;
  matcher_deps.settings = match_settings(config.matching);
  matcher_deps.resolve_in_flight = config.max_in_flight;
  if (config.matching.threads > 0) matcher_deps.decide_helpers = config.matching.threads - 1;
  rt->matcher_ = sys.spawn(actors::matcher, matcher_deps);
  // Catch up on whatever an earlier run committed but did not project.
  caf::anon_send(rt->projection_, committed_atom::value, rt->log_->last_sequence());
  return rt;
}

Runtime::~Runtime() {
  if (system_) {
    // Watchers first, so that no new run starts; runs under way end early.
    *stopping_ = true;
    for (auto& a : inboxes_) caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
    for (auto& a : pollers_) caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
    inboxes_.clear();
    pollers_.clear();
    caf::anon_send_exit(matcher_, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(registry_, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(journal_, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(projection_, caf::exit_reason::user_shutdown);
    matcher_ = nullptr;
    registry_ = nullptr;
    journal_ = nullptr;
    projection_ = nullptr;
    system_.reset();  // waits for every actor to finish
  }
  projector_.reset();
  log_.reset();
  db_.reset();
}

StatusOr<IngestSummary> Runtime::ingest(const std::string& source_name,
                                        const std::vector<std::string>& files,
                                        IngestOptions options) {
  const auto* source_config = config_.find_source(source_name);
  if (!source_config) return Status::invalid("no source named \"" + source_name + "\" in the config");
  auto reader = sources::open_reader(*source_config, files,
                                     sources::AssetOptions{config_.data_dir, config_.assets_max_bytes});
  if (!reader) return reader.status();
  if (options.input.empty())
    for (auto& f : files)
      options.input += (options.input.empty() ? "" : ", ") + std::filesystem::path(f).filename().string();
  return ingest_reader(source_name, reader.take(), std::move(options));
}

SourceDeps Runtime::source_deps() const {
  SourceDeps deps;
  deps.sink = matcher_;
  deps.registry = registry_;
  deps.projection = projection_;
  deps.db = db_.get();
  deps.log = log_.get();
  deps.config = &config_;
  deps.stopping = stopping_;
  deps.last_urgent_ms = last_urgent_ms_;
  return deps;
}

void Runtime::start_watchers() {
  if (!inboxes_.empty() || !pollers_.empty()) return;
  for (auto& source : config_.sources) {
    if (!source.inbox.empty())
      inboxes_.push_back(system_->spawn<caf::detached>(inbox, source_deps(), source, config_.inbox_scan));
    if (source.format == "http_changes")
      pollers_.push_back(system_->spawn<caf::detached>(poller, source_deps(), source));
  }
}

StatusOr<IngestSummary> Runtime::ingest_reader(const std::string& source_name,
                                               std::unique_ptr<sources::RecordReader> reader,
                                               IngestOptions options) {
  if (!config_.find_source(source_name))
    return Status::invalid("no source named \"" + source_name + "\" in the config");
  SourceOptions so;
  so.correlation = options.correlation.empty() ? new_correlation_id(options.way) : options.correlation;
  so.rejects_path = options.rejects_path;
  so.progress = options.progress;
  so.source_name = source_name;
  so.way = options.way;
  so.input = options.input;
  so.full_snapshot = options.full_snapshot;
  const bool urgent = options.way == "push";
  so.urgent = urgent;
  auto src = spawn_source(*system_, std::shared_ptr<sources::RecordReader>(std::move(reader)),
                          source_deps(), std::move(so));
  const auto started = std::chrono::steady_clock::now();
  StatusOr<IngestSummary> result = Status::io_error("ingest did not answer");
  {
    caf::scoped_actor self{*system_};
    self->request(src, std::chrono::seconds(24 * 3600), run_atom::value)
        .receive([&](IngestSummary& summary) { result = std::move(summary); },
                 [&](caf::error& err) { result = Status::io_error("ingest failed: " + message_of(err)); });
  }
  if (!result) return result;
  // The run on record ends as the caller reports it: with what follows here and its
  // time (the summary in GET /sources is what `ingest --json` printed).
  auto on_record = [&]() -> StatusOr<IngestSummary> {
    result->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (auto st = RunRecorder::amend(*db_, source_name, *result); !st)
      log::error("run_record_not_amended", {{"source", source_name}, {"run", result->run}, {"error", st.message()}});
    return result;
  };
  auto failed = [&](const Status& st) {
    ++result->failed;
    if (result->error.empty()) result->error = st.message();
    return on_record();
  };
  // What this run added (movies, crosswalks) may place records left unmatched
  // before, of any source: once the read models show the run, try them again.
  // Read models that cannot catch up (a full disk: the store is read-only) fail
  // the run with the reason rather than lose its summary.
  if (auto st = wait_for_read_models(UINT64_MAX, std::chrono::seconds(3600), urgent); !st) return failed(st);
  auto resolved = resolve_unmatched(urgent);
  if (!resolved) return resolved.status();
  result->resolved = resolved->resolved;
  if (resolved->failed) {
    result->failed += resolved->failed;
    if (result->error.empty()) result->error = "resolving unmatched records: " + resolved->error;
  }
  // What the answer reports is in the read models when it arrives (the resolved
  // records too).
  if (auto st = wait_for_read_models(UINT64_MAX, std::chrono::seconds(300), urgent); !st) return failed(st);
  return on_record();
}

StatusOr<LinkOutcome> Runtime::link(LinkRequest request) {
  if (request.correlation.empty()) request.correlation = new_correlation_id("link");
  StatusOr<LinkOutcome> result = Status::io_error("link did not answer");
  caf::scoped_actor self{*system_};
  self->request(matcher_, std::chrono::seconds(300), link_atom::value, std::move(request))
      .receive([&](LinkOutcome& outcome) { result = std::move(outcome); },
               [&](caf::error& err) { result = to_status(err); });
  return result;
}

StatusOr<ResolveSummary> Runtime::resolve_unmatched(bool urgent) {
  StatusOr<ResolveSummary> result = Status::io_error("resolve did not answer");
  caf::scoped_actor self{*system_};
  request_at(self.ptr(), urgent, matcher_, std::chrono::seconds(24 * 3600), resolve_atom::value)
      .receive([&](ResolveSummary& summary) { result = std::move(summary); },
               [&](caf::error& err) { result = Status::io_error("resolve failed: " + message_of(err)); });
  return result;
}

StatusOr<ReaggregateSummary> Runtime::reaggregate(ReaggregateOptions options) {
  ReaggregatorOptions ro;
  ro.causation = options.causation.empty()
                     ? "rules v" + std::to_string(config_.rules.version)
                     : options.causation;
  ro.correlation =
      options.correlation.empty() ? new_correlation_id("reaggregate") : options.correlation;
  ro.max_in_flight = config_.max_in_flight;
  ro.progress = options.progress;
  auto walker = system_->spawn<caf::detached>(reaggregator, db_.get(), registry_, ro);
  StatusOr<ReaggregateSummary> result = Status::io_error("reaggregate did not answer");
  caf::scoped_actor self{*system_};
  self->request(walker, std::chrono::seconds(24 * 3600), run_atom::value)
      .receive([&](ReaggregateSummary& summary) { result = std::move(summary); },
               [&](caf::error& err) {
                 result = Status::io_error("reaggregate failed: " + message_of(err));
               });
  return result;
}

Status Runtime::wait_for_read_models(std::uint64_t sequence, std::chrono::seconds timeout, bool urgent) {
  if (sequence == UINT64_MAX) sequence = log_->last_sequence();
  Status result = Status::ok();
  caf::scoped_actor self{*system_};
  request_at(self.ptr(), urgent, projection_, timeout, wait_atom::value, sequence)
      .receive([&](std::uint64_t) {},
               [&](caf::error& err) { result = Status::io_error("read models did not catch up: " + message_of(err)); });
  return result;
}

}  // namespace moviec::actors
