#include "store/event_log.hpp"

#include <algorithm>
#include <cassert>
#include <chrono>
#include <map>
#include <set>

#include "common/metrics.hpp"
#include "events/coding.hpp"
#include "events/hash.hpp"
#include "store/keys.hpp"

namespace moviec::store {

using events::Event;

void place_events(AppendRequest& request, std::uint64_t first_sequence,
                  std::uint64_t first_version) {
  for (std::size_t i = 0; i < request.events.size(); ++i) {
    auto& e = request.events[i];
    e.sequence = first_sequence + i;
    e.version = first_version + i;
    e.stream = request.stream;
    if (request.chain_causation && i > 0) events::resolve_causation(e, e.sequence - 1);
  }
}

EventLog::EventLog(Db& db) : db_(db) {
  auto last = db_.get(ColumnFamily::meta, std::string(keys::kLastSequence));
  if (last) last_sequence_ = keys::get_be64(*last);
}

StatusOr<std::uint64_t> EventLog::stream_version(const std::string& stream) {
  auto head = db_.get(ColumnFamily::stream_heads, keys::stream_head_key(stream));
  if (head) return keys::get_be64(*head);
  if (head.status().code() == Status::Code::not_found) return std::uint64_t{0};
  return head.status();
}

std::vector<StatusOr<AppendResult>> EventLog::append(std::vector<AppendRequest>& requests,
                                                     bool sync) {
  std::vector<StatusOr<AppendResult>> results;
  rocksdb::WriteBatch& batch = append_batch_.fresh();
  std::uint64_t seq = last_sequence_.load();
  std::map<std::string, std::uint64_t> heads;  // stream heads as of this batch
  std::set<std::string> ids_in_batch;
  metrics::AppendTally tally;  // events by type, counted once the write succeeded
  // The index entries (all but the log's, whose keys ascend anyway) go into the batch
  // per family in key order, after the log's: each lands near the one before in its
  // memtable, which its insert hint (store/db.cpp) starts from. Stable: a key written
  // twice in one batch (a stream head) keeps its last value.
  struct IndexPut {
    ColumnFamily family;
    std::string key, value;
  };
  std::vector<IndexPut> index_puts;

  for (auto& req : requests) {
    if (req.events.empty()) {
      results.emplace_back(Status::invalid("append request with no events"));
      continue;
    }
    // An id is what makes a retry idempotent: never leave it empty. A derived id
    // includes the stream version the event is meant for, so a retry (same expected
    // version) repeats it but a later event with equal content (a record removed,
    // re-added and removed again) does not collide with the earlier one.
    // And a payload of another type than the event's would be stored under the wrong name.
    Status malformed = Status::ok();
    for (std::size_t i = 0; i < req.events.size(); ++i) {
      auto& e = req.events[i];
      if (events::type_of(e.data) != e.type)
        malformed = Status::invalid("event of type " + std::string(events::type_name(e.type)) +
                                    " with the payload of " +
                                    std::string(events::type_name(events::type_of(e.data))));
      if (e.id.empty())
        e.id = events::hash_id(req.stream + '\0' + std::to_string(req.expected_version + 1 + i) +
                               '\0' + std::string(events::type_name(e.type)) + '\0' +
                               events::payload_json(e.data).dump());
    }

    if (!malformed) {
      results.emplace_back(malformed);
      continue;
    }
    const auto& first_id = req.events.front().id;
    auto existing = db_.get(ColumnFamily::event_ids, keys::event_id_key(first_id));
    if (existing) {
      AppendResult dup;
      dup.duplicate = true;
      dup.first_sequence = keys::get_be64(*existing);
      dup.last_sequence = dup.first_sequence + req.events.size() - 1;
      results.emplace_back(dup);
      continue;
    }
    if (ids_in_batch.count(first_id)) {
      results.emplace_back(Status::conflict("event id " + first_id + " twice in one batch"));
      continue;
    }

    auto head_it = heads.find(req.stream);
    std::uint64_t head = 0;
    if (head_it != heads.end()) {
      head = head_it->second;
    } else {
      auto stored = stream_version(req.stream);
      if (!stored) {
        results.emplace_back(stored.status());
        continue;
      }
      head = *stored;
    }
    if (head != req.expected_version) {
      results.emplace_back(Status::conflict("stream " + req.stream + " is at version " +
                                            std::to_string(head) + ", expected " +
                                            std::to_string(req.expected_version)));
      continue;
    }

    AppendResult r;
    r.first_sequence = seq + 1;
    place_events(req, seq + 1, head + 1);
    seq += req.events.size();
    head += req.events.size();
    for (auto& e : req.events) {
      batch.Put(db_.cf(ColumnFamily::log), keys::log_key(e.sequence), events::encode(e));
      index_puts.push_back({ColumnFamily::streams, keys::stream_key(req.stream, e.version),
                            keys::be64(e.sequence)});
      index_puts.push_back({ColumnFamily::event_ids, keys::event_id_key(e.id), keys::be64(e.sequence)});
      ids_in_batch.insert(e.id);
      tally.add(events::type_name(e.type));
    }
    for (auto& w : req.side_writes) index_puts.push_back({w.family, w.key, w.value});
    index_puts.push_back({ColumnFamily::stream_heads, keys::stream_head_key(req.stream), keys::be64(head)});
    heads[req.stream] = head;
    r.last_sequence = seq;
    r.version = head;
    results.emplace_back(r);
  }

  if (seq == last_sequence_.load()) return results;  // nothing new: no write at all
  std::stable_sort(index_puts.begin(), index_puts.end(), [](const IndexPut& a, const IndexPut& b) {
    return a.family != b.family ? a.family < b.family : a.key < b.key;
  });
  for (auto& put : index_puts) batch.Put(db_.cf(put.family), put.key, put.value);
  batch.Put(db_.cf(ColumnFamily::meta), std::string(keys::kLastSequence), keys::be64(seq));
  auto write_started = std::chrono::steady_clock::now();
  auto st = db_.write(batch, sync);
  if (!st) {
    for (auto& r : results)
      if (r && !r->duplicate) r = st;
    return results;
  }
  // Published only after the write: readers never see a sequence that is not stored.
  {
    std::lock_guard<std::mutex> lock(append_mu_);  // a waiter between check and wait misses nothing
    last_sequence_ = seq;
  }
  appended_.notify_all();
  metrics::journal_committed(
      tally, std::chrono::duration<double>(std::chrono::steady_clock::now() - write_started).count());
  return results;
}

StatusOr<AppendResult> EventLog::append(AppendRequest request, bool sync) {
  std::vector<AppendRequest> one;
  one.push_back(std::move(request));
  return std::move(append(one, sync).front());
}

Status EventLog::read_stream(const std::string& stream, std::uint64_t from_version,
                             const std::function<bool(const Event&)>& visit) {
  auto prefix = keys::stream_prefix(stream);
  auto it = db_.iterator(ColumnFamily::streams);
  for (it->Seek(keys::stream_key(stream, from_version)); it->Valid(); it->Next()) {
    auto key = it->key();
    if (!key.starts_with(prefix) || key.size() != prefix.size() + 8) break;
    auto event = read(keys::get_be64(it->value().ToStringView()));
    if (!event) return event.status();
    if (!visit(*event)) break;
  }
  return from_rocksdb(it->status(), "reading stream " + stream);
}

Status EventLog::read_from(std::uint64_t after_sequence,
                           const std::function<bool(Event&)>& visit) {
  auto it = db_.iterator(ColumnFamily::log);
  for (it->Seek(keys::log_key(after_sequence + 1)); it->Valid(); it->Next()) {
    auto event = events::decode(it->value().ToStringView());
    if (!event)
      return Status::corruption("event " + std::to_string(keys::get_be64(it->key().ToStringView())) +
                                ": " + event.status().message());
    if (!visit(*event)) break;
  }
  return from_rocksdb(it->status(), "reading the log");
}

std::uint64_t EventLog::wait_for_append(std::uint64_t after,
                                        std::chrono::milliseconds timeout) const {
  std::unique_lock<std::mutex> lock(append_mu_);
  appended_.wait_for(lock, timeout, [&] { return last_sequence_.load() > after; });
  return last_sequence_.load();
}

StatusOr<Event> EventLog::read_version(const std::string& stream, std::uint64_t version) {
  auto seq = db_.get(ColumnFamily::streams, keys::stream_key(stream, version));
  if (!seq) {
    if (seq.status().code() == Status::Code::not_found)
      return Status::not_found("stream " + stream + " has no version " + std::to_string(version));
    return seq.status();
  }
  return read(keys::get_be64(*seq));
}

StatusOr<Event> EventLog::read(std::uint64_t sequence) {
  auto bytes = db_.get(ColumnFamily::log, keys::log_key(sequence));
  if (!bytes) return bytes.status();
  auto event = events::decode(*bytes);
  if (!event)
    return Status::corruption("event " + std::to_string(sequence) + ": " +
                              event.status().message());
  return event;
}

StatusOr<std::optional<std::pair<std::uint64_t, std::string>>> EventLog::latest_snapshot(
    const std::string& stream, std::uint64_t max_version) {
  using Result = std::optional<std::pair<std::uint64_t, std::string>>;
  auto prefix = keys::stream_prefix(stream);
  auto it = db_.iterator(ColumnFamily::snapshots);
  it->SeekForPrev(keys::snapshot_key(stream, max_version));
  if (!it->Valid()) {
    auto st = from_rocksdb(it->status(), "reading snapshots");
    if (!st) return st;
    return Result{};
  }
  auto key = it->key();
  if (!key.starts_with(prefix) || key.size() != prefix.size() + 8) return Result{};
  return Result{{keys::version_of(key.ToStringView()), it->value().ToString()}};
}

Status EventLog::prune_snapshots(const std::string& stream, std::size_t keep) {
  auto prefix = keys::stream_prefix(stream);
  std::vector<std::string> found;
  auto it = db_.iterator(ColumnFamily::snapshots);
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next())
    if (it->key().size() == prefix.size() + 8) found.push_back(it->key().ToString());
  if (found.size() <= keep) return Status::ok();
  rocksdb::WriteBatch batch;
  for (std::size_t i = 0; i + keep < found.size(); ++i)
    batch.Delete(db_.cf(ColumnFamily::snapshots), found[i]);
  return db_.write(batch, false);
}

Status EventLog::write_snapshot(const std::string& stream, std::uint64_t version,
                                const std::string& bytes, std::size_t keep) {
  rocksdb::WriteBatch batch;
  batch.Put(db_.cf(ColumnFamily::snapshots), keys::snapshot_key(stream, version), bytes);
  if (auto st = db_.write(batch, false); !st) return st;
  return prune_snapshots(stream, keep);
}

}  // namespace moviec::store
