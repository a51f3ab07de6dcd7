#include "actors/run_recorder.hpp"

#include <algorithm>
#include <cmath>

#include "common/clock.hpp"
#include "common/log.hpp"
#include "common/metrics.hpp"

namespace moviec::actors {

nlohmann::json summary_json(const IngestSummary& s, double seconds) {
  nlohmann::json out{{"read", s.read},           {"changed", s.changed},
                     {"unchanged", s.unchanged}, {"rejected", s.rejected},
                     {"appended", s.appended},   {"seconds", std::round(seconds * 1000) / 1000},
                     {"failed", s.failed},       {"removed", s.removed},
                     {"unmatched", s.unmatched}, {"resolved", s.resolved}};
  if (s.resumed_from) out["resumed_from"] = s.resumed_from;
  if (!s.error.empty()) out["error"] = s.error;
  return out;
}

RunRecorder::RunRecorder(store::Db& db, std::string source, std::string way, std::string input,
                         std::uint64_t run, std::uint64_t rejects_stored, std::int64_t started_ms)
    : runs_(db) {
  record_.run = run ? run : store::SourceRuns::new_run_id();
  record_.source = std::move(source);
  record_.way = std::move(way);
  record_.input = std::move(input);
  record_.started_ms = started_ms ? started_ms : now_ms();
  record_.state = "running";
  next_reject_ = buffer_first_ = rejects_stored;
}

Status RunRecorder::start() {
  record_.rejects_stored = std::min(next_reject_, store::SourceRuns::kRejectsKeptPerRun);
  return runs_.put(record_);
}

Status RunRecorder::reject(const sources::Reject& r) {
  if (next_reject_++ >= store::SourceRuns::kRejectsKeptPerRun) return Status::ok();  // counted only
  buffer_.push_back({r.file, r.line, r.reason});
  return buffer_.size() >= kBatch ? flush() : Status::ok();
}

Status RunRecorder::flush() {
  if (buffer_.empty()) {
    buffer_first_ = next_reject_;
    return Status::ok();
  }
  auto s = runs_.put_rejects(record_.source, record_.run, buffer_first_, buffer_);
  buffer_.clear();
  buffer_first_ = next_reject_;
  return s;
}

Status RunRecorder::finish(const IngestSummary& summary, double seconds) {
  auto flushed = flush();
  record_.finished_ms = now_ms();
  record_.state = summary.failed > 0 ? "failed" : "done";
  record_.summary = summary_json(summary, seconds);
  record_.rejects_stored = std::min(next_reject_, store::SourceRuns::kRejectsKeptPerRun);
  auto stored = runs_.put(record_, /*prune=*/true);
  metrics::source_run(record_.source, record_.way, summary.failed > 0, summary.read, summary.changed,
                      summary.unchanged, summary.rejected);
  log::write(summary.failed > 0 ? log::Level::error : log::Level::info, "ingest_run",
             {{"source", record_.source}, {"way", record_.way}, {"input", record_.input},
              {"run", record_.run}, {"state", record_.state}, {"summary", record_.summary}});
  return flushed.is_ok() ? stored : flushed;
}

Status RunRecorder::amend(store::Db& db, const std::string& source, const IngestSummary& summary) {
  if (summary.run == 0) return Status::ok();
  store::SourceRuns runs(db);
  auto got = runs.get(source, summary.run);
  if (!got) return got.status();
  if (!*got) return Status::ok();
  auto record = std::move(**got);
  record.finished_ms = now_ms();
  record.state = summary.failed > 0 ? "failed" : "done";
  record.summary = summary_json(summary, summary.seconds);
  return runs.put(record);
}

Status RunRecorder::record_failed(store::Db& db, std::string source, std::string way,
                                  std::string input, const Status& why) {
  RunRecorder recorder(db, std::move(source), std::move(way), std::move(input));
  IngestSummary summary;
  summary.failed = 1;
  summary.error = why.message();
  return recorder.finish(summary, 0);
}

}  // namespace moviec::actors
