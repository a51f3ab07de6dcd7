#pragma once
// What each source did, kept for GET /sources and GET /sources/{name}/rejects:
// one record per ingest run (however it came in: CLI, push, inbox, poll) and the
// rows it rejected. The source side writes (actors/source), the HTTP side reads.
// Reports, not facts: nothing here is part of the event log, and old runs are
// pruned (the newest kRunsKept per source stay, with their rejects).
// Keys: store/keys.hpp (source_runs, rejects).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.hpp"
#include "store/db.hpp"

namespace moviec::store {

/// One ingest run of one source.
struct RunRecord {
  std::uint64_t run = 0;          // unique, increasing: new_run_id()
  std::string source;
  std::string way;                // "cli", "push", "inbox" or "poll"
  std::string input;              // what was read: file names, a request, a feed window
  std::int64_t started_ms = 0;    // Unix milliseconds
  std::int64_t finished_ms = 0;   // 0 while running (or when the process died mid-run)
  std::string state;              // "running", "done", "failed" or "interrupted" (the
                                  // process stopped mid-run; see mark_interrupted)
  nlohmann::json summary = nlohmann::json::object();  // read, changed, ..., as the CLI prints it
  std::uint64_t rejects_stored = 0;  // rejects kept for this run (at most kRejectsKeptPerRun)

  nlohmann::json to_json() const;
  static RunRecord from_json(const nlohmann::json& j);
};

struct StoredReject {
  std::string file;
  std::uint64_t line = 0;
  std::string reason;
};

struct RejectPage {
  std::vector<std::pair<std::uint64_t, StoredReject>> rejects;  // (n, reject), ascending n
  std::optional<std::uint64_t> next;                            // n to continue from
};

class SourceRuns {
 public:
  static constexpr std::size_t kRunsKept = 20;                  // per source
  static constexpr std::uint64_t kRejectsKeptPerRun = 100000;   // the rest only counted

  /// `db` must outlive this object. Thread-safe (RocksDB is).
  explicit SourceRuns(Db& db) : db_(db) {}

  /// A fresh run id: microseconds since the epoch, made strictly increasing within
  /// the process (two runs never share an id).
  static std::uint64_t new_run_id();

  /// Stores (or overwrites) a run record; with `prune`, drops this source's runs
  /// older than the newest kRunsKept, with their rejects.
  Status put(const RunRecord& run, bool prune = false);
  /// Stores rejects n = first, first + 1, ... of a run (those past kRejectsKeptPerRun are dropped).
  Status put_rejects(const std::string& source, std::uint64_t run, std::uint64_t first,
                     const std::vector<StoredReject>& rejects);

  /// At the start of a process that holds the store: every run still "running"
  /// was cut short by the end of an earlier process (a crash, kill -9) and is
  /// marked "interrupted", with the time and the reason. An inbox run resumed
  /// from its checkpoint becomes "running" again. Returns how many were marked.
  StatusOr<std::uint64_t> mark_interrupted();

  /// The newest run of a source; nullopt when it has none.
  StatusOr<std::optional<RunRecord>> latest(const std::string& source);
  StatusOr<std::optional<RunRecord>> get(const std::string& source, std::uint64_t run);
  /// How many runs of the source are kept.
  StatusOr<std::uint64_t> count(const std::string& source);
  /// Up to `limit` rejects of a run from n = `from` on.
  StatusOr<RejectPage> rejects(const std::string& source, std::uint64_t run, std::uint64_t from,
                               std::size_t limit);

 private:
  Status prune(const std::string& source);
  Db& db_;
};

}  // namespace moviec::store
