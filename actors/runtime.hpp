#pragma once
// The running system: the RocksDB store, the actor system and the long-lived
// actors (journal, projection, registry). `moviec ingest` and `moviec serve` each
// own one. Destruction stops the actors before the store closes.

#include <atomic>
#include <chrono>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>

#include "actors/actors.hpp"
#include "actors/reaggregator.hpp"
#include "actors/source.hpp"
#include "common/status.hpp"
#include "config/config.hpp"
#include "store/db.hpp"
#include "store/event_log.hpp"
#include "store/read_models.hpp"

namespace moviec::actors {

class Runtime {
 public:
  /// Opens the store under config.data_dir (created if missing) and starts the
  /// actors. Read models catch up with the log in the background.
  static StatusOr<std::unique_ptr<Runtime>> open(const config::Config& config);
  ~Runtime();
  Runtime(const Runtime&) = delete;
  Runtime& operator=(const Runtime&) = delete;

  struct IngestOptions {
    std::string rejects_path;          // "" = DATA/rejects/SOURCE.tsv
    IngestProgress* progress = nullptr;
    std::string correlation;           // "" = a fresh id for this run
    std::string way = "cli";           // how the input came in: "cli", "push" (GET /sources)
    std::string input;                 // what it is, for the run record; "" = the file names
    bool full_snapshot = true;         // the whole source: vanished records are removed
                                       // (when the source has removals)
  };

  /// Ingests `files` as the configured source `source_name` through the matcher;
  /// returns when every record is acknowledged (durable) or failed. Then, once the
  /// read models show the run, one resolve pass (resolve_unmatched) gives earlier
  /// unmatched records of every source their chance; summary.resolved counts them.
  /// Does not wait for the read models to show the resolved records.
  StatusOr<IngestSummary> ingest(const std::string& source_name,
                                 const std::vector<std::string>& files, IngestOptions options);

  /// The same for a reader made elsewhere (POST /ingest builds one from the body).
  StatusOr<IngestSummary> ingest_reader(const std::string& source_name,
                                        std::unique_ptr<sources::RecordReader> reader,
                                        IngestOptions options);

  /// `moviec serve`: starts an inbox actor for every source with an inbox and a
  /// poller for every http_changes source. They stop with the runtime. Once.
  void start_watchers();

  /// What a source run needs (actors/source.hpp).
  SourceDeps source_deps() const;

  struct ReaggregateOptions {
    std::string causation;             // names the rule change; "" = "rules vN"
    std::string correlation;           // "" = a fresh id for this run
    ReaggregateProgress* progress = nullptr;
  };

  /// Re-decides every movie's golden record under the configured field rules
  /// (`moviec reaggregate`); returns when every movie has answered. Does not wait
  /// for read models.
  StatusOr<ReaggregateSummary> reaggregate(ReaggregateOptions options);

  /// A person's link or "no match" for one record (POST /links), through the matcher.
  StatusOr<LinkOutcome> link(LinkRequest request);

  /// One pass over every unmatched record, sending those now matchable into their
  /// movies (matcher_actor). Reads the read models as they stand.
  /// `urgent`: asked at high priority, ahead of bulk work queued at the matcher.
  StatusOr<ResolveSummary> resolve_unmatched(bool urgent = false);

  /// Blocks until the read models include `sequence` (default: the whole log).
  Status wait_for_read_models(std::uint64_t sequence = UINT64_MAX,
                              std::chrono::seconds timeout = std::chrono::seconds(3600),
                              bool urgent = false);

  store::Db& db() { return *db_; }
  store::EventLog& log() { return *log_; }
  const config::Config& config() const { return config_; }
  caf::actor_system& system() { return *system_; }
  registry_actor registry() const { return registry_; }
  matcher_actor matcher() const { return matcher_; }
  journal_actor journal() const { return journal_; }

 private:
  Runtime() = default;

  config::Config config_;
  std::unique_ptr<store::Db> db_;
  std::unique_ptr<store::EventLog> log_;
  std::unique_ptr<store::Projector> projector_;
  std::unique_ptr<caf::actor_system_config> system_config_;
  std::unique_ptr<caf::actor_system> system_;
  projection_actor projection_;
  journal_actor journal_;
  registry_actor registry_;
  matcher_actor matcher_;
  std::vector<inbox_actor> inboxes_;
  std::vector<poller_actor> pollers_;
  std::shared_ptr<std::atomic<bool>> stopping_ = std::make_shared<std::atomic<bool>>(false);
  // When an urgent run (a push) last began, set by the run: bulk runs pace closer meanwhile.
  std::shared_ptr<std::atomic<std::int64_t>> last_urgent_ms_ =
      std::make_shared<std::atomic<std::int64_t>>(std::numeric_limits<std::int64_t>::min() / 2);
};

/// The scheduler moviec runs on: work sharing over `threads` workers. CAF's default,
/// work stealing, is slow for the large fan-outs of a bulk ingest
/// (../shared/notes/toolchain.md). Tests of actor behaviour use it too.
void use_work_sharing(caf::actor_system_config& config, std::size_t threads);

}  // namespace moviec::actors
