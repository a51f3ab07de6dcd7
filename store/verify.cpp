#include "store/verify.hpp"

#include <filesystem>
#include <set>

#include "events/coding.hpp"
#include "store/keys.hpp"
#include "store/read_models.hpp"

namespace moviec::store {

namespace {

constexpr std::size_t kMaxProblems = 20;

void problem(VerifyReport& r, std::string text) {
  if (r.problems.size() < kMaxProblems) r.problems.push_back(std::move(text));
}

/// The bucket addresses a SourceRecordChanged's record references.
void collect_assets(const events::Event& e, std::set<std::string>& out) {
  if (e.type != events::EventType::source_record_changed) return;
  auto& record = events::source_record_changed(e).record;
  for (auto* refs : {&record.posters, &record.trailers})
    for (auto& ref : *refs)
      if (auto sha = asset_sha_of(ref)) out.insert(*sha);
}

void check_log(Db& db, EventLog& log, VerifyReport& r, std::set<std::string>& assets) {
  std::uint64_t expected = 1;
  auto st = log.read_from(0, [&](const events::Event& e) {
    collect_assets(e, assets);
    if (e.sequence != expected) {
      problem(r, "log gap: expected sequence " + std::to_string(expected) + ", found " +
                     std::to_string(e.sequence));
      expected = e.sequence;
    }
    ++expected;
    ++r.events;
    auto owner = db.get(ColumnFamily::event_ids, keys::event_id_key(e.id));
    if (!owner || keys::get_be64(*owner) != e.sequence)
      problem(r, "event " + std::to_string(e.sequence) + ": its id " + e.id +
                     (owner ? " belongs to event " + std::to_string(keys::get_be64(*owner))
                            : " is not indexed"));
    auto indexed = db.get(ColumnFamily::streams, keys::stream_key(e.stream, e.version));
    if (!indexed || keys::get_be64(*indexed) != e.sequence)
      problem(r, "event " + std::to_string(e.sequence) + ": stream index of " + e.stream + "@" +
                     std::to_string(e.version) + " does not point at it");
    return true;
  });
  if (!st) problem(r, st.message());
  if (r.events != log.last_sequence())
    problem(r, "the log holds " + std::to_string(r.events) + " events but its last sequence is " +
                   std::to_string(log.last_sequence()));
}

void check_streams(Db& db, VerifyReport& r) {
  auto heads = db.iterator(ColumnFamily::stream_heads);
  for (heads->SeekToFirst(); heads->Valid(); heads->Next()) {
    ++r.streams;
    std::string stream = heads->key().ToString();
    std::uint64_t head = keys::get_be64(heads->value().ToStringView());
    std::uint64_t expected = 1;
    auto prefix = keys::stream_prefix(stream);
    auto it = db.iterator(ColumnFamily::streams);
    for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
      if (it->key().size() != prefix.size() + 8) continue;
      auto version = keys::version_of(it->key().ToStringView());
      if (version != expected)
        problem(r, "stream " + stream + ": expected version " + std::to_string(expected) +
                       ", found " + std::to_string(version));
      expected = version + 1;
    }
    if (expected - 1 != head)
      problem(r, "stream " + stream + ": head says " + std::to_string(head) + ", index ends at " +
                     std::to_string(expected - 1));
  }
}

}  // namespace

VerifyReport verify(Db& db, EventLog& log, const std::string& scratch_dir, const AssetBucket* bucket) {
  VerifyReport report;
  std::set<std::string> assets;
  check_log(db, log, report, assets);
  check_streams(db, report);
  if (bucket) {
    report.assets = assets.size();
    for (auto& sha : assets)
      if (auto st = bucket->check(sha); !st)
        problem(report, "asset " + asset_address(sha) + " (referenced by a source record): " +
                            (st.code() == Status::Code::not_found ? "missing from the bucket" : st.message()));
  }

  // The read models follow the log asynchronously, so after a crash (kill -9)
  // they may lag it; the next start folds the rest. Verify folds it first, the
  // same way, and reports the lag apart: FAILED means corruption, not a lag.
  ReadModels models(db);
  // Match blocking keys an earlier build wrote and nothing reads are not part of
  // the read models a fold writes (Projector, which drops them at open too).
  if (auto st = drop_unread_blocking_keys(db); !st)
    problem(report, "dropping unread match blocking keys failed: " + st.message());
  const auto lagging_at = models.checkpoint();
  if (lagging_at < log.last_sequence() && report.problems.empty()) {
    Projector projector(db);
    if (auto st = projector.catch_up(log); !st)
      problem(report, "catching the read models up with the log failed: " + st.message());
    else
      report.read_models_caught_up = models.checkpoint() - lagging_at;
  }
  report.read_model_checkpoint = models.checkpoint();
  if (report.read_model_checkpoint != log.last_sequence())
    problem(report, "read models are at sequence " + std::to_string(report.read_model_checkpoint) +
                        ", the log at " + std::to_string(log.last_sequence()));

  std::error_code ec;
  std::filesystem::remove_all(scratch_dir, ec);
  {
    auto scratch = Db::open(scratch_dir);
    if (!scratch) {
      problem(report, "cannot open scratch database: " + scratch.status().message());
      return report;
    }
    Projector fold(**scratch);
    if (auto st = fold.catch_up(log); !st) problem(report, "folding the log failed: " + st.message());
    else if (auto diff = compare_read_models(db, **scratch))
      problem(report, "read models differ from a fold of the log: " + *diff);
  }
  std::filesystem::remove_all(scratch_dir, ec);
  return report;
}

Status rebuild_read_models(Db& db, EventLog& log,
                           const std::function<void(std::uint64_t)>& progress) {
  // The checkpoint goes first: a rebuild cut short (kill -9) leaves checkpoint 0 over
  // what was not cleared yet, and Projector::catch_up from 0 clears that first.
  rocksdb::WriteBatch reset;
  reset.Delete(db.cf(ColumnFamily::checkpoints), keys::checkpoint_key(Projector::kName));
  if (auto st = db.write(reset, true); !st) return st;
  Projector projector(db);
  return projector.catch_up(log, 5000, progress);
}

}  // namespace moviec::store
