#pragma once
// The report of one source run as it goes, for GET /sources and
// GET /sources/{name}/rejects: the run record (state "running", then "done" or
// "failed" with the summary) and every reject, buffered and written in batches to
// store::SourceRuns. Written by the source side only, and once more by the runtime
// when the run is over (amend). Not thread-safe: one source actor owns it.

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "actors/actors.hpp"
#include "store/db.hpp"
#include "store/source_runs.hpp"

namespace moviec::actors {

/// The summary as the CLI prints it with --json and POST /ingest answers it:
/// read, changed, unchanged, rejected, appended, seconds, plus failed, removed,
/// unmatched, resolved and error when there is one.
nlohmann::json summary_json(const IngestSummary& summary, double seconds);

class RunRecorder {
 public:
  static constexpr std::size_t kBatch = 256;  // rejects per write

  /// A new run, or (run != 0) the continuation of a run resumed from a checkpoint,
  /// whose first `rejects_stored` rejects are already stored.
  RunRecorder(store::Db& db, std::string source, std::string way, std::string input,
              std::uint64_t run = 0, std::uint64_t rejects_stored = 0, std::int64_t started_ms = 0);
  RunRecorder(const RunRecorder&) = delete;
  RunRecorder& operator=(const RunRecorder&) = delete;

  std::uint64_t run() const { return record_.run; }
  std::int64_t started_ms() const { return record_.started_ms; }
  /// Rejects numbered so far (stored, or buffered to be).
  std::uint64_t rejects_seen() const { return next_reject_; }

  /// Stores the record with state "running".
  Status start();
  /// Numbers and buffers one reject; writes the buffer when it is full.
  Status reject(const sources::Reject& r);
  /// Writes buffered rejects.
  Status flush();
  /// Stores the final record ("failed" when summary.failed > 0) and prunes old runs.
  Status finish(const IngestSummary& summary, double seconds);

  /// The record of a finished run, completed by the runtime after the source's part:
  /// the resolve pass's count, a failure after it, the whole run's time. GET /sources
  /// then shows what `ingest --json` and POST /ingest print. Nothing when the run
  /// is not on record.
  static Status amend(store::Db& db, const std::string& source, const IngestSummary& summary);

  /// A run that failed before any record was read (a file that cannot be opened,
  /// a poll that cannot reach its feed): on record all the same, with the reason.
  static Status record_failed(store::Db& db, std::string source, std::string way, std::string input,
                              const Status& why);

 private:
  store::SourceRuns runs_;
  store::RunRecord record_;
  std::vector<store::StoredReject> buffer_;
  std::uint64_t buffer_first_ = 0;  // number of buffer_[0]
  std::uint64_t next_reject_ = 0;
};

}  // namespace moviec::actors
