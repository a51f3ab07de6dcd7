#include "actors/movie.hpp"

#include "actors/errors.hpp"
#include "events/hash.hpp"
#include "store/keys.hpp"

namespace moviec::actors {

using events::Event;
using events::EventType;

namespace {

constexpr int kMaxConflictRetries = 3;

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

/// The events one record produces, or an empty request when nothing changed.
store::AppendRequest events_for(const events::MovieState& movie, const IngestItem& item,
                                const events::FieldRules& rules) {
  store::AppendRequest req;
  req.stream = movie.movie_id;
  req.expected_version = movie.version;
  events::SourceKey key{item.record.source, item.record.source_id};
  auto current = movie.sources.find(key);
  std::string previous = current == movie.sources.end() ? "" : current->second.fingerprint;
  if (previous == item.fingerprint) return req;

  Event changed;
  changed.type = EventType::source_record_changed;
  changed.time_ms = now_ms();
  changed.source = item.record.source;
  changed.causation = item.input;
  changed.correlation = item.correlation;
  // Deterministic: re-sending the same change after a crash is recognised as a retry.
  changed.id = events::hash_id(movie.movie_id + '\0' + item.record.source + '\0' +
                               item.record.source_id + '\0' + previous + '\0' + item.fingerprint);
  changed.data = events::to_data(events::SourceRecordChanged{item.record, item.fingerprint,
                                                             previous, item.match_method});

  events::MovieState next = movie;
  next.sources[key] = events::SourceEntry{item.record, item.fingerprint, 0};
  auto fields = events::aggregate(next, rules);

  req.events.push_back(std::move(changed));
  if (!fields.empty()) {
    Event golden;
    golden.type = EventType::movie_changed;
    golden.time_ms = req.events.front().time_ms;
    golden.source = item.record.source;
    golden.causation = item.input;
    golden.correlation = item.correlation;
    golden.id = events::hash_id(req.events.front().id + "/golden");
    golden.data = events::to_data(events::MovieChanged{rules.version, std::move(fields)});
    req.events.push_back(std::move(golden));
  }
  req.side_writes.push_back({store::ColumnFamily::fingerprints,
                             store::keys::fingerprint_key(item.record.source, item.record.source_id),
                             item.fingerprint});
  return req;
}

void reload(movie_actor::stateful_pointer<movie_state> self) {
  auto& st = self->state;
  auto recovered = recover_movie(*st.deps.log, st.movie.movie_id, UINT64_MAX, &st.snapshot_version);
  if (recovered) st.movie = recovered.take();
  else caf::aout(self) << "moviec: recovering " << st.movie.movie_id << " failed: "
                       << recovered.status().message() << "\n";
}

void process(movie_actor::stateful_pointer<movie_state> self, IngestItem item,
             caf::typed_response_promise<IngestOutcome> rp, int attempt) {
  auto& st = self->state;
  auto req = events_for(st.movie, item, *st.deps.rules);
  if (req.events.empty()) {
    rp.deliver(IngestOutcome{false, 0});
    return;
  }
  self->request(st.deps.journal, st.deps.append_timeout, append_atom::value, req)
      .await(
          [=](store::AppendResult& result) mutable {
            auto& st = self->state;
            if (result.duplicate) {  // stored before (a retry): our state is behind
              reload(self);
              rp.deliver(IngestOutcome{false, 0});
              return;
            }
            store::place_events(req, result.first_sequence, st.movie.version + 1);
            for (auto& e : req.events) st.movie.apply(e);
            if (st.movie.version - st.snapshot_version >= st.deps.snapshot_every) {
              st.snapshot_version = st.movie.version;
              self->send(st.deps.journal, snapshot_atom::value, st.movie.movie_id,
                         st.movie.version, st.movie.to_snapshot().dump());
            }
            rp.deliver(IngestOutcome{true, static_cast<std::uint32_t>(req.events.size())});
          },
          [=](caf::error& err) mutable {
            // Another writer got there first (an evicted instance finishing its
            // queue): catch up with the stream and decide again.
            if (is_conflict(err) && attempt < kMaxConflictRetries) {
              reload(self);
              process(self, std::move(item), rp, attempt + 1);
              return;
            }
            rp.deliver(std::move(err));
          });
}

}  // namespace

StatusOr<events::MovieState> recover_movie(store::EventLog& log, const std::string& movie_id,
                                           std::uint64_t max_version,
                                           std::uint64_t* snapshot_version) {
  events::MovieState state;
  state.movie_id = movie_id;
  auto snapshot = log.latest_snapshot(movie_id, max_version);
  if (!snapshot) return snapshot.status();
  if (*snapshot) {
    auto j = nlohmann::json::parse((*snapshot)->second, nullptr, false);
    if (j.is_discarded())
      return Status::corruption("snapshot " + movie_id + "@" + std::to_string((*snapshot)->first) +
                                " is not JSON");
    state = events::MovieState::from_snapshot(j);
  }
  if (snapshot_version) *snapshot_version = state.version;
  auto st = log.read_stream(movie_id, state.version + 1, [&](const Event& e) {
    if (e.version > max_version) return false;
    state.apply(e);
    return true;
  });
  if (!st) return st;
  return state;
}

movie_actor::behavior_type movie(movie_actor::stateful_pointer<movie_state> self,
                                 std::string movie_id, MovieDeps deps) {
  self->state.deps = std::move(deps);
  self->state.movie.movie_id = std::move(movie_id);
  reload(self);
  return {
      [=](ingest_atom, IngestItem& item) {
        auto rp = self->make_response_promise<IngestOutcome>();
        process(self, std::move(item), rp, 0);
        return rp;
      },
      [=](stop_atom) { self->quit(); },
  };
}

}  // namespace moviec::actors
