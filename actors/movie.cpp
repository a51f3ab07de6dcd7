#include "actors/movie.hpp"

#include <memory>
#include <optional>

#include "actors/errors.hpp"
#include "actors/priority.hpp"
#include "common/clock.hpp"
#include "common/log.hpp"
#include "events/hash.hpp"
#include "store/keys.hpp"
#include "store/movie_recovery.hpp"

namespace moviec::actors {

using events::Event;
using events::EventType;

namespace {

/// The source named on events that re-aggregation appends.
const std::string kRulesSource = "rules";

/// An append and what it does to the movie's state once committed, so that the
/// actor folds its own events from what it built rather than by decoding them
/// (MovieState::apply of the same events gives the same state).
struct PlannedAppend {
  store::AppendRequest req;
  std::optional<std::pair<events::SourceKey, events::SourceEntry>> put;  // a source record set
  std::optional<events::SourceKey> erase;                                // a source record taken out
  std::optional<events::MovieChanged> golden;  // field changes; caused_by 0 = the event before
};

/// Adds the MovieChanged for `fields` after the request's first event, when any changed.
void add_golden(PlannedAppend& plan, const std::string& source, const std::string& input,
                const std::string& correlation, std::vector<events::FieldChange> fields,
                std::uint32_t rules_version) {
  if (fields.empty()) return;
  Event golden;
  golden.type = EventType::movie_changed;
  golden.time_ms = plan.req.events.front().time_ms;
  golden.source = source;
  golden.causation = input;
  golden.correlation = correlation;
  golden.id = events::hash_id(plan.req.events.front().id + "/golden");
  plan.golden = events::MovieChanged{rules_version, std::move(fields)};
  golden.data = events::to_data(*plan.golden);
  plan.req.events.push_back(std::move(golden));
}

/// The events one record produces, or an empty request when nothing changed.
/// `movie` is borrowed to decide the fields with the record in, and left as it was.
PlannedAppend events_for(events::MovieState& movie, const IngestItem& item,
                         const events::FieldRules& rules) {
  PlannedAppend plan;
  auto& req = plan.req;
  req.stream = movie.movie_id;
  req.expected_version = movie.version;
  events::SourceKey key{item.record.source, item.record.source_id};
  auto current = movie.sources.find(key);
  std::string previous = current == movie.sources.end() ? "" : current->second.fingerprint;
  if (item.record.matches_fingerprint(previous, item.fingerprint)) return plan;

  Event changed;
  changed.type = EventType::source_record_changed;
  changed.time_ms = now_ms();
  changed.source = item.record.source;
  changed.causation = item.input;
  changed.correlation = item.correlation;
  changed.causation_seq = item.causation_seq;
  // Deterministic: re-sending the same change after a crash is recognised as a retry.
  // The stream version makes a value that flips back and forth (5.7 -> 6.1 -> 5.7 ->
  // 6.1) a new event each time, not a "retry" (and a record that comes back after it
  // moved to another movie).
  changed.id = events::hash_id(movie.movie_id + '\0' + item.record.source + '\0' +
                               item.record.source_id + '\0' + previous + '\0' + item.fingerprint +
                               '\0' + std::to_string(movie.version));
  events::SourceRecordChanged payload{item.record, item.fingerprint, previous, item.match_method,
                                      item.match_confidence, item.match_candidates,
                                      item.match_basis};
  changed.data = events::to_data(payload);
  req.events.push_back(std::move(changed));

  // The fields are decided over the sources as they will be: this record in.
  auto& sources = movie.sources;
  auto saved = current == movie.sources.end() ? std::nullopt
                                              : std::optional<events::SourceEntry>(current->second);
  sources[key] = events::SourceEntry{item.record, item.fingerprint, 0};
  auto fields = events::aggregate(movie, rules);
  plan.put.emplace(key, std::move(sources[key]));
  if (saved) sources[key] = std::move(*saved);
  else sources.erase(key);

  add_golden(plan, item.record.source, item.input, item.correlation, std::move(fields), rules.version);
  req.side_writes.push_back({store::ColumnFamily::fingerprints,
                             store::keys::fingerprint_key(item.record.source, item.record.source_id),
                             item.fingerprint});
  return plan;
}

/// The events that take a source record out of the movie, or an empty request
/// when the movie does not hold it.
PlannedAppend removal_for(const events::MovieState& movie, const RemoveItem& item,
                          const events::FieldRules& rules) {
  PlannedAppend plan;
  auto& req = plan.req;
  req.stream = movie.movie_id;
  req.expected_version = movie.version;
  events::SourceKey key{item.source, item.source_id};
  auto current = movie.sources.find(key);
  if (current == movie.sources.end()) return plan;

  Event removed;
  removed.type = EventType::source_record_removed;
  removed.time_ms = now_ms();
  removed.source = item.source;
  removed.causation = item.input;
  removed.correlation = item.correlation;
  removed.causation_seq = item.causation_seq;
  // The version makes a second removal (after the record came back) a new event;
  // a retry finds the record gone and appends nothing.
  removed.id = events::hash_id(movie.movie_id + '\0' + "removed" + '\0' + item.source + '\0' + item.source_id +
                               '\0' + current->second.fingerprint + '\0' +
                               std::to_string(movie.version));
  removed.data = events::to_data(
      events::SourceRecordRemoved{item.source, item.source_id, current->second.fingerprint});

  // Vanished from its source: the fingerprint goes with it, so that the record
  // is taken as new if the source has it again.
  if (item.vanished)
    req.side_writes.push_back({store::ColumnFamily::fingerprints,
                               store::keys::fingerprint_key(item.source, item.source_id), ""});
  events::MovieState next = movie;
  next.sources.erase(key);
  auto fields = events::aggregate(next, rules);
  req.events.push_back(std::move(removed));
  plan.erase = key;
  add_golden(plan, item.source, item.input, item.correlation, std::move(fields), rules.version);
  return plan;
}

/// CAF 0.17 pitfall: while an actor awaits a response (`.await`), every other
/// message it takes out is skipped into a cache of its own queue (urgent or normal),
/// and a queue's cache is put back only when a message *of that queue* is consumed.
/// The awaited response comes in the queue of its request's priority
/// (actors/priority.hpp), so what was skipped in the other queue stayed until that
/// queue's next message: an inbox item that reached a movie while it awaited the
/// append of a push sat there until the idle movie was stopped, then bounced
/// (request_receiver_down; found by tests/e2e/chaos_test.cpp). Every await handler
/// here calls this first.
void release_skipped(movie_actor::stateful_pointer<movie_state> self) {
  self->get_urgent_queue().flush_cache();
  self->get_normal_queue().flush_cache();
}

void reload(movie_actor::stateful_pointer<movie_state> self) {
  auto& st = self->state;
  auto recovered = recover_movie(*st.deps.log, st.movie.movie_id, UINT64_MAX, &st.snapshot_version);
  if (recovered) st.movie = recovered.take();
  else log::error("movie_recovery_failed", {{"movie_id", st.movie.movie_id}, {"error", recovered.status().message()}});
}

/// Snapshots the movie when enough events have passed since the last one.
void snapshot_if_due(movie_actor::stateful_pointer<movie_state> self) {
  auto& st = self->state;
  if (st.movie.version - st.snapshot_version >= st.deps.snapshot_every) {
    st.snapshot_version = st.movie.version;
    self->send(st.deps.journal, snapshot_atom::value, st.movie.movie_id, st.movie.version,
               st.movie.to_snapshot().dump());
  }
}

/// Folds what the journal just committed into the state, and snapshots when due.
void fold_committed(movie_actor::stateful_pointer<movie_state> self, store::AppendRequest& req,
                    const store::AppendResult& result) {
  auto& st = self->state;
  store::place_events(req, result.first_sequence, st.movie.version + 1);
  for (auto& e : req.events) st.movie.apply(e);
  snapshot_if_due(self);
}

/// The same for a planned append, from its typed changes (as MovieState::apply
/// would fold its events: the source event first, then the golden record's).
void fold_committed(movie_actor::stateful_pointer<movie_state> self, PlannedAppend& plan,
                    const store::AppendResult& result) {
  auto& movie = self->state.movie;
  movie.version = result.version;
  movie.last_sequence = result.last_sequence;
  if (plan.put) {
    plan.put->second.sequence = result.first_sequence;
    movie.sources[plan.put->first] = std::move(plan.put->second);
  }
  if (plan.erase) movie.sources.erase(*plan.erase);
  if (plan.golden) {
    for (auto& f : plan.golden->fields)
      if (f.caused_by == 0) f.caused_by = result.first_sequence;
    movie.rules_version = plan.golden->rules_version;
    events::apply_field_changes(movie.golden, *plan.golden);
  }
  snapshot_if_due(self);
}

/// Appends `req` (built from the current state), folds what was committed and
/// answers `rp`. On a conflict (another writer got there first: an evicted
/// instance finishing its queue) it catches up with the stream and calls
/// `retry(attempt + 1)` to decide again, while attempts remain.
template <class Retry>
void append_item(movie_actor::stateful_pointer<movie_state> self, PlannedAppend plan,
                 caf::typed_response_promise<IngestOutcome> rp, int attempt, Retry retry) {
  if (plan.req.events.empty()) {
    rp.deliver(IngestOutcome{});
    return;
  }
  auto events = static_cast<std::uint32_t>(plan.req.events.size());
  auto req = std::move(plan.req);
  auto effect = std::make_shared<PlannedAppend>(std::move(plan));
  // No timeout: the journal answers every append (committed or the error), and a
  // timeout per record costs CAF's clock thread a wake-up; the item's batch request
  // from its source has the timeout that would show an answer lost.
  request_as_handled(self, self->state.deps.journal, caf::infinite,
                     append_atom::value, std::move(req))
      .await(
          [=](store::AppendResult& result) mutable {
            release_skipped(self);
            if (result.duplicate) {  // stored before (a retry): our state is behind
              reload(self);
              rp.deliver(IngestOutcome{});
              return;
            }
            fold_committed(self, *effect, result);
            rp.deliver(IngestOutcome{true, events, false, {}});
          },
          // Moved, not copied: a retry holds the item (its record, its candidates).
          [=, retry = std::move(retry)](caf::error& err) mutable {
            release_skipped(self);
            if (is_conflict(err) && attempt < kMaxConflictRetries) {
              reload(self);
              retry(attempt + 1);
              return;
            }
            rp.deliver(std::move(err));
          });
}

void process(movie_actor::stateful_pointer<movie_state> self, IngestItem item,
             caf::typed_response_promise<IngestOutcome> rp, int attempt) {
  auto plan = events_for(self->state.movie, item, *self->state.deps.rules);
  append_item(self, std::move(plan), rp, attempt,
              [self, rp, item = std::move(item)](int next) mutable { process(self, std::move(item), rp, next); });
}

void remove(movie_actor::stateful_pointer<movie_state> self, RemoveItem item,
            caf::typed_response_promise<IngestOutcome> rp, int attempt) {
  auto plan = removal_for(self->state.movie, item, *self->state.deps.rules);
  append_item(self, std::move(plan), rp, attempt,
              [self, rp, item = std::move(item)](int next) mutable { remove(self, std::move(item), rp, next); });
}

/// The MovieChanged that re-decides `movie` under `rules` (trigger "rules"); an
/// empty request when the rules decide every field as it stands.
store::AppendRequest reaggregation_for(const events::MovieState& movie, const ReaggregateItem& item,
                                       const events::FieldRules& rules) {
  store::AppendRequest req;
  req.stream = movie.movie_id;
  req.expected_version = movie.version;
  auto fields = events::aggregate(movie, rules, /*provenance_too=*/true);
  if (fields.empty()) return req;
  Event golden;
  golden.type = EventType::movie_changed;
  golden.time_ms = now_ms();
  golden.source = kRulesSource;
  golden.causation = item.causation;
  golden.correlation = item.correlation;
  // Deterministic: a retried run at the same stream version is recognised.
  golden.id = events::hash_id(movie.movie_id + '\0' + kRulesSource + '\0' +
                              std::to_string(rules.version) + '\0' + std::to_string(movie.version));
  golden.data = events::to_data(events::MovieChanged{rules.version, std::move(fields),
                                                     events::kTriggerRules, movie.rules_version});
  req.events.push_back(std::move(golden));
  return req;
}

void reaggregate(movie_actor::stateful_pointer<movie_state> self, ReaggregateItem item,
                 caf::typed_response_promise<ReaggregateOutcome> rp, int attempt) {
  auto& st = self->state;
  const auto& rules = *st.deps.rules;
  if (st.movie.rules_version > rules.version) {
    rp.deliver(to_error(Status::invalid(
        "movie " + st.movie.movie_id + " was decided by rules version " +
        std::to_string(st.movie.rules_version) + ", newer than the configured version " +
        std::to_string(rules.version) + " (raise rules.version)")));
    return;
  }
  auto req = reaggregation_for(st.movie, item, rules);
  if (req.events.empty()) {
    rp.deliver(ReaggregateOutcome{false, 0});
    return;
  }
  request_as_handled(self, st.deps.journal, st.deps.append_timeout, append_atom::value, req)
      .await(
          [=](store::AppendResult& result) mutable {
            release_skipped(self);
            if (result.duplicate) {  // stored before (a retried run): our state is behind
              reload(self);
              rp.deliver(ReaggregateOutcome{false, 0});
              return;
            }
            fold_committed(self, req, result);
            auto fields = events::movie_changed(req.events.front()).fields.size();
            rp.deliver(ReaggregateOutcome{true, static_cast<std::uint32_t>(fields)});
          },
          [=](caf::error& err) mutable {
            release_skipped(self);
            if (is_conflict(err) && attempt < kMaxConflictRetries) {
              reload(self);
              reaggregate(self, std::move(item), rp, attempt + 1);
              return;
            }
            rp.deliver(std::move(err));
          });
}

}  // namespace

StatusOr<events::MovieState> recover_movie(store::EventLog& log, const std::string& movie_id,
                                           std::uint64_t max_version,
                                           std::uint64_t* snapshot_version) {
  auto recovered = store::recover_movie(log, movie_id, max_version);
  if (!recovered) return recovered.status();
  if (snapshot_version) *snapshot_version = recovered->snapshot_version;
  return std::move(recovered->state);
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
      [=](reaggregate_atom, ReaggregateItem& item) {
        auto rp = self->make_response_promise<ReaggregateOutcome>();
        reaggregate(self, std::move(item), rp, 0);
        return rp;
      },
      [=](remove_atom, RemoveItem& item) {
        auto rp = self->make_response_promise<IngestOutcome>();
        remove(self, std::move(item), rp, 0);
        return rp;
      },
      [=](stop_atom) { self->quit(); },
  };
}

}  // namespace moviec::actors
