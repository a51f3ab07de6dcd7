#include "store/source_runs.hpp"

#include <atomic>
#include <chrono>

#include "common/clock.hpp"
#include "store/keys.hpp"

namespace moviec::store {

using nlohmann::json;

namespace {
bool starts_with(const rocksdb::Slice& key, const std::string& prefix) {
  return key.size() >= prefix.size() && key.ToStringView().substr(0, prefix.size()) == prefix;
}

StatusOr<json> parse_stored(const std::string& bytes, const std::string& what) {
  auto j = json::parse(bytes, nullptr, false);
  if (j.is_discarded()) return Status::corruption(what + " is not JSON");
  return j;
}
}  // namespace

json RunRecord::to_json() const {
  return json{{"run", run},           {"source", source},       {"way", way},
              {"input", input},       {"started_ms", started_ms}, {"finished_ms", finished_ms},
              {"state", state},       {"summary", summary},     {"rejects_stored", rejects_stored}};
}

RunRecord RunRecord::from_json(const json& j) {
  RunRecord r;
  r.run = j.value("run", std::uint64_t{0});
  r.source = j.value("source", "");
  r.way = j.value("way", "");
  r.input = j.value("input", "");
  r.started_ms = j.value("started_ms", std::int64_t{0});
  r.finished_ms = j.value("finished_ms", std::int64_t{0});
  r.state = j.value("state", "");
  r.summary = j.value("summary", json::object());
  r.rejects_stored = j.value("rejects_stored", std::uint64_t{0});
  return r;
}

std::uint64_t SourceRuns::new_run_id() {
  static std::atomic<std::uint64_t> last{0};
  auto now = static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                            std::chrono::system_clock::now().time_since_epoch())
                                            .count());
  auto prev = last.load();
  std::uint64_t next;
  do {
    next = std::max(now, prev + 1);
  } while (!last.compare_exchange_weak(prev, next));
  return next;
}

Status SourceRuns::put(const RunRecord& run, bool prune_old) {
  rocksdb::WriteBatch batch;
  batch.Put(db_.cf(ColumnFamily::source_runs), keys::run_key(run.source, run.run),
            run.to_json().dump(-1, ' ', false, json::error_handler_t::replace));
  if (auto s = db_.write(batch, false); !s) return s;
  return prune_old ? prune(run.source) : Status::ok();
}

Status SourceRuns::put_rejects(const std::string& source, std::uint64_t run, std::uint64_t first,
                               const std::vector<StoredReject>& rejects) {
  rocksdb::WriteBatch batch;
  std::uint64_t n = first;
  for (auto& r : rejects) {
    if (n >= kRejectsKeptPerRun) break;
    json j{{"file", r.file}, {"line", r.line}, {"reason", r.reason}};
    batch.Put(db_.cf(ColumnFamily::rejects), keys::reject_key(source, run, n++),
              j.dump(-1, ' ', false, json::error_handler_t::replace));
  }
  if (batch.Count() == 0) return Status::ok();
  return db_.write(batch, false);
}

StatusOr<std::optional<RunRecord>> SourceRuns::latest(const std::string& source) {
  auto prefix = keys::source_prefix(source);
  auto it = db_.iterator(ColumnFamily::source_runs);
  it->SeekForPrev(keys::run_key(source, UINT64_MAX));
  if (!it->Valid() || !starts_with(it->key(), prefix)) {
    if (!it->status().ok()) return from_rocksdb(it->status(), "reading source runs");
    return std::optional<RunRecord>();
  }
  auto j = parse_stored(it->value().ToString(), "run record of " + source);
  if (!j) return j.status();
  return std::optional<RunRecord>(RunRecord::from_json(*j));
}

StatusOr<std::optional<RunRecord>> SourceRuns::get(const std::string& source, std::uint64_t run) {
  auto bytes = db_.get(ColumnFamily::source_runs, keys::run_key(source, run));
  if (!bytes) {
    if (bytes.status().code() == Status::Code::not_found) return std::optional<RunRecord>();
    return bytes.status();
  }
  auto j = parse_stored(*bytes, "run record of " + source);
  if (!j) return j.status();
  return std::optional<RunRecord>(RunRecord::from_json(*j));
}

StatusOr<std::uint64_t> SourceRuns::count(const std::string& source) {
  auto prefix = keys::source_prefix(source);
  auto it = db_.iterator(ColumnFamily::source_runs);
  std::uint64_t n = 0;
  for (it->Seek(prefix); it->Valid() && starts_with(it->key(), prefix); it->Next()) ++n;
  if (!it->status().ok()) return from_rocksdb(it->status(), "counting source runs");
  return n;
}

StatusOr<RejectPage> SourceRuns::rejects(const std::string& source, std::uint64_t run,
                                         std::uint64_t from, std::size_t limit) {
  RejectPage page;
  auto prefix = keys::run_key(source, run);
  auto it = db_.iterator(ColumnFamily::rejects);
  for (it->Seek(keys::reject_key(source, run, from)); it->Valid() && starts_with(it->key(), prefix);
       it->Next()) {
    auto n = keys::reject_index_of(it->key().ToStringView());
    if (page.rejects.size() == limit) {
      page.next = n;
      break;
    }
    auto j = parse_stored(it->value().ToString(), "reject of " + source);
    if (!j) return j.status();
    page.rejects.emplace_back(n, StoredReject{j->value("file", ""), j->value("line", std::uint64_t{0}),
                                              j->value("reason", "")});
  }
  if (!it->status().ok()) return from_rocksdb(it->status(), "reading rejects");
  return page;
}

StatusOr<std::uint64_t> SourceRuns::mark_interrupted() {
  rocksdb::WriteBatch batch;
  std::uint64_t marked = 0;
  auto now = now_ms();
  auto it = db_.iterator(ColumnFamily::source_runs);
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    auto j = json::parse(it->value().ToStringView(), nullptr, false);
    if (!j.is_object() || j.value("state", "") != "running") continue;
    auto run = RunRecord::from_json(j);
    run.state = "interrupted";
    run.finished_ms = now;
    if (!run.summary.is_object()) run.summary = json::object();
    run.summary["error"] = "interrupted: the process stopped before the run ended";
    batch.Put(db_.cf(ColumnFamily::source_runs), it->key(),
              run.to_json().dump(-1, ' ', false, json::error_handler_t::replace));
    ++marked;
  }
  if (!it->status().ok()) return from_rocksdb(it->status(), "reading source runs");
  if (marked == 0) return marked;
  if (auto s = db_.write(batch, true); !s) return s;
  return marked;
}

Status SourceRuns::prune(const std::string& source) {
  auto prefix = keys::source_prefix(source);
  std::vector<std::uint64_t> runs;
  auto it = db_.iterator(ColumnFamily::source_runs);
  for (it->Seek(prefix); it->Valid() && starts_with(it->key(), prefix); it->Next())
    runs.push_back(keys::run_of(it->key().ToStringView()));
  if (!it->status().ok()) return from_rocksdb(it->status(), "reading source runs");
  if (runs.size() <= kRunsKept) return Status::ok();
  rocksdb::WriteBatch batch;
  for (std::size_t i = 0; i + kRunsKept < runs.size(); ++i) {
    batch.Delete(db_.cf(ColumnFamily::source_runs), keys::run_key(source, runs[i]));
    batch.DeleteRange(db_.cf(ColumnFamily::rejects), keys::run_key(source, runs[i]),
                      keys::run_key(source, runs[i] + 1));
  }
  return db_.write(batch, false);
}

}  // namespace moviec::store
