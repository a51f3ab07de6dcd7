#include "actors/source.hpp"

#include <algorithm>
#include <filesystem>

#include "actors/errors.hpp"
#include "actors/priority.hpp"
#include "common/clock.hpp"
#include "store/source_cursors.hpp"

namespace moviec::actors {

namespace {

using source_self = source_actor::stateful_pointer<source_state>;
using nlohmann::json;

constexpr std::chrono::seconds kReadModelWait{3600};
// How long after an urgent run began bulk runs keep to the interactive lag.
constexpr std::chrono::milliseconds kInteractiveWindow{10000};

std::int64_t now_steady_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

/// A report write that failed is a failure of the run: the run is not on record.
void note(source_self self, const Status& s) {
  if (s) return;
  auto& st = self->state;
  ++st.summary.failed;
  if (st.summary.error.empty()) st.summary.error = "recording the run: " + s.message();
}

void reject(source_self self, sources::Reject r) {
  auto& st = self->state;
  st.summary.rejected += std::max<std::uint64_t>(r.count, 1);  // a "N more not listed" counts N
  if (st.removals && !r.source_id.empty()) st.seen.add(r.source_id);  // rejected is not vanished
  if (st.rejects.is_open()) st.rejects << r.file << '\t' << r.line << '\t' << r.reason << '\n';
  note(self, st.recorder->reject(r));
  if (st.summary.rejects.size() < st.options.rejects_kept) st.summary.rejects.push_back(std::move(r));
}

// --- checkpoints -------------------------------------------------------------------

json counters(const IngestSummary& s) {
  return json{{"read", s.read},           {"changed", s.changed},   {"unchanged", s.unchanged},
              {"rejected", s.rejected},   {"appended", s.appended}, {"unmatched", s.unmatched}};
}

/// Stores where the reader stands. Invariant: nothing is in flight, so every
/// record read so far is committed (or was unchanged, or rejected).
void write_checkpoint(source_self self) {
  auto& st = self->state;
  if (st.summary.failed > 0 || !st.reader->status().is_ok()) return;  // not a safe place to resume
  note(self, st.recorder->flush());
  json cp{{"run", st.recorder->run()},
          {"started_ms", st.recorder->started_ms()},
          {"records", st.summary.read},
          {"rejects", st.recorder->rejects_seen()},
          {"summary", counters(st.summary)},
          {"reader", st.reader->position()},
          {"guard", st.options.checkpoint_guard}};
  note(self, store::SourceCursors(*st.deps.db).put(st.options.source_name, st.options.checkpoint_name, cp,
                                                  /*sync=*/false));
}

/// Continues the run of checkpoint `cp`: its run id, counters and reject numbers,
/// and the reader past the records it covers (a seek, or records to skip).
void resume_from(source_self self, const json& cp) {
  auto& st = self->state;
  auto c = cp.value("summary", json::object());
  st.summary.read = c.value("read", std::uint64_t{0});
  st.summary.changed = c.value("changed", std::uint64_t{0});
  st.summary.unchanged = c.value("unchanged", std::uint64_t{0});
  st.summary.rejected = c.value("rejected", std::uint64_t{0});
  st.summary.appended = c.value("appended", std::uint64_t{0});
  st.summary.unmatched = c.value("unmatched", std::uint64_t{0});
  st.summary.resumed_from = cp.value("records", std::uint64_t{0});
  st.recorder = std::make_unique<RunRecorder>(*st.deps.db, st.options.source_name, st.options.way,
                                              st.options.input, cp.value("run", std::uint64_t{0}),
                                              cp.value("rejects", std::uint64_t{0}),
                                              cp.value("started_ms", std::int64_t{0}));
  // Removals need every id of the input: skip forward, reading, instead of seeking.
  auto position = cp.value("reader", json());
  if (!st.removals && !position.is_null() && st.reader->resume(position).is_ok()) return;
  st.skip = st.summary.resumed_from;
}

// --- removals ------------------------------------------------------------------------

void finish(source_self self);

void send_removals(source_self self) {
  auto& st = self->state;
  while (st.next_removal < st.to_remove.size() && st.in_flight < st.options.max_in_flight) {
    ++st.in_flight;
    self->request(st.deps.registry, st.options.item_timeout, remove_atom::value,
                  st.to_remove[st.next_removal++])
        .then(
            [=](const IngestOutcome& outcome) {
              auto& st = self->state;
              --st.in_flight;
              if (outcome.changed) ++st.summary.removed;
              st.summary.appended += outcome.appended;
              send_removals(self);
            },
            [=](const caf::error& err) {
              auto& st = self->state;
              --st.in_flight;
              ++st.summary.failed;
              if (st.summary.error.empty()) st.summary.error = "removing: " + message_of(err);
              send_removals(self);
            });
  }
  if (st.next_removal == st.to_remove.size() && st.in_flight == 0) finish(self);
}

/// After a full run: once the read models show everything committed, the records
/// of the source that this run did not see are removed from their movies.
void start_removals(source_self self) {
  auto& st = self->state;
  st.removing = true;
  st.seen.seal();
  self->request(st.deps.projection, kReadModelWait, wait_atom::value, st.deps.log->last_sequence())
      .then(
          [=](std::uint64_t) {
            auto& st = self->state;
            auto vanished = vanished_records(*st.deps.db, st.options.source_name, st.seen,
                                             "vanished from " + st.options.input, st.options.correlation);
            if (!vanished) {
              ++st.summary.failed;
              if (st.summary.error.empty()) st.summary.error = "removals: " + vanished.status().message();
              return finish(self);
            }
            st.to_remove = std::move(vanished->removals);
            send_removals(self);
          },
          [=](const caf::error& err) {
            auto& st = self->state;
            ++st.summary.failed;
            if (st.summary.error.empty()) st.summary.error = "removals: " + message_of(err);
            finish(self);
          });
}

// --- the run -------------------------------------------------------------------------

void finish(source_self self) {
  auto& st = self->state;
  if (!st.done.pending()) return;
  if (st.rejects.is_open()) st.rejects.flush();
  st.summary.run = st.recorder->run();
  st.summary.seconds = seconds_since(st.started);
  note(self, st.recorder->finish(st.summary, st.summary.seconds));
  st.done.deliver(st.summary);
  self->quit();
}

void finish_if_done(source_self self) {
  auto& st = self->state;
  if (!st.end_of_input || st.in_flight > 0 || !st.done.pending() || st.removing) return;
  if (auto s = st.reader->status(); !s) {
    ++st.summary.failed;
    if (st.summary.error.empty()) st.summary.error = s.message();
  }
  if (st.interrupted) {
    ++st.summary.failed;
    if (st.summary.error.empty()) st.summary.error = "stopped before the end of the input (shutdown)";
  }
  if (st.store_refused) st.summary.error += "; the rest of the input was not read (the store is read-only)";
  if (st.removals && st.summary.failed == 0) return start_removals(self);
  finish(self);
}

void pump(source_self self);
void send_batch(source_self self);

/// A checked batch: the unchanged records are counted (no longer in flight), the
/// others join the batch to send (sent whenever it is full).
void take_checked(source_self self, std::size_t unchanged, IngestBatch& changed) {
  auto& st = self->state;
  st.in_flight -= unchanged;
  st.summary.unchanged += unchanged;
  for (auto& item : changed) {
    item.correlation = st.options.correlation;
    st.batch.push_back(std::move(item));
    if (st.batch.size() >= st.options.batch_size) send_batch(self);
  }
}

/// Takes the batch the worker checks, if any (actors/unchanged_check.hpp); answers
/// the batch's emptied vector, to be filled again without regrowing.
IngestBatch collect_checked(source_self self) {
  auto& st = self->state;
  if (!st.check || !st.check->pending()) return {};
  auto result = st.check->collect();
  take_checked(self, result.unchanged, result.changed);
  return std::move(result.spare);
}

/// A full batch read: its check starts on the worker while the next one is read. The
/// worker's last batch is taken first (order kept); while it is still at it, this
/// thread fingerprints the new batch itself, work the worker would do next.
void check_unchanged_ahead(source_self self) {
  auto& st = self->state;
  if (!st.check) st.check = std::make_unique<UnchangedCheck>(*st.deps.db);
  IngestBatch spare;
  if (st.check->pending()) {
    for (auto& item : st.unchecked) {
      if (!st.check->busy()) break;
      if (item.fingerprint.empty()) item.fingerprint = item.record.fingerprint();
    }
    spare = collect_checked(self);
  }
  st.check->start(std::move(st.unchecked));
  st.unchecked = std::move(spare);  // empty, its capacity kept
}

/// Everything read so far checked, here and now: the worker's batch, then the rest.
void check_unchanged(source_self self) {
  auto& st = self->state;
  collect_checked(self);
  if (st.unchecked.empty()) return;
  IngestBatch changed;
  auto unchanged = drop_unchanged(*st.deps.db, st.unchecked, changed);
  take_checked(self, unchanged, changed);
}

/// After a failure: once the store is read-only (a full disk, store/health.hpp) every
/// further record would only be refused too, so the run stops reading and ends
/// failed with the reason; the same input sent again once space is back completes it.
void stop_if_store_refuses(source_self self) {
  auto& st = self->state;
  if (st.summary.failed == 0 || st.end_of_input || st.deps.db->health().writable) return;
  st.end_of_input = st.store_refused = true;
}

/// Sends the items gathered so far as one batch; their outcomes come back together.
void send_batch(source_self self) {
  auto& st = self->state;
  if (st.batch.empty()) return;
  IngestBatch batch;
  batch.swap(st.batch);
  auto items = batch.size();
  request_at(self, st.options.urgent, st.deps.sink, st.options.item_timeout, ingest_atom::value, std::move(batch))
      .then(
          [=](const IngestBatchOutcome& result) {
            auto& st = self->state;
            st.in_flight -= items;
            for (auto& outcome : result.outcomes) {
              if (!outcome.error.empty()) {
                ++st.summary.failed;
                if (st.summary.error.empty()) st.summary.error = outcome.error;
                continue;
              }
              if (outcome.changed) ++st.summary.changed;
              else ++st.summary.unchanged;
              if (outcome.unmatched) ++st.summary.unmatched;
              st.summary.appended += outcome.appended;
            }
            stop_if_store_refuses(self);
            pump(self);
          },
          [=](const caf::error& err) {
            auto& st = self->state;
            st.in_flight -= items;
            st.summary.failed += items;
            if (st.summary.error.empty()) st.summary.error = message_of(err);
            stop_if_store_refuses(self);
            pump(self);
          });
}

/// A run keeps the read models close behind the log: committing faster than the
/// projection applies would leave every later change (a push, a person's link) waiting
/// behind the run's backlog before it shows. What is in flight counts too (about two
/// events a record), as it commits even while the run pauses. True when the run must
/// pause now; it goes on (pump) once the projection is within half the allowed lag.
/// While urgent runs (pushes) come, the lag allowed is the smaller interactive one:
/// a push waits for the backlog ahead of it, and a deep backlog is what keeps a bulk
/// run fast. An urgent run is small and is what the pacing is for: it never pauses.
bool projection_behind(source_self self) {
  auto& st = self->state;
  if (st.waiting_for_projection) return true;
  if (st.options.urgent || st.options.max_projection_lag == 0 || !st.deps.projection || !st.deps.log)
    return false;
  auto head = st.deps.log->last_sequence();
  auto lag = st.options.max_projection_lag;
  if (st.deps.last_urgent_ms && st.options.interactive_projection_lag > 0 &&
      now_steady_ms() - st.deps.last_urgent_ms->load() < kInteractiveWindow.count())
    lag = std::min(lag, st.options.interactive_projection_lag);
  if (head + 2 * st.in_flight <= st.projected + lag) return false;
  if (st.in_flight > 0 && head <= st.projected + lag / 2) return true;  // their answers pump again
  st.waiting_for_projection = true;
  self->request(st.deps.projection, kReadModelWait, wait_atom::value,
                head - lag / 2)
      .then(
          [=](std::uint64_t checkpoint) {
            auto& st = self->state;
            st.waiting_for_projection = false;
            st.projected = std::max(st.projected, checkpoint);
            pump(self);
          },
          [=](const caf::error&) {  // no read models to wait for: go on unpaced
            auto& st = self->state;
            st.waiting_for_projection = false;
            st.options.max_projection_lag = 0;
            pump(self);
          });
  return true;
}

void pump(source_self self) {
  auto& st = self->state;
  std::vector<sources::Reject> rejects;
  for (;;) {
    while (!st.end_of_input && !st.draining && st.in_flight < st.options.max_in_flight &&
           !projection_behind(self)) {
      if (st.deps.stopping && *st.deps.stopping) {
        st.end_of_input = st.interrupted = true;
        break;
      }
      sources::Item item;
      rejects.clear();
      bool more = st.reader->next(item, rejects);
      if (st.skip > 0 && more) {
        // Covered by the checkpoint: counted and committed before the restart.
        --st.skip;
        if (st.removals) {
          st.seen.add(item.record.source_id);
          for (auto& r : rejects)
            if (!r.source_id.empty()) st.seen.add(r.source_id);
        }
        continue;
      }
      for (auto& r : rejects) reject(self, std::move(r));
      if (st.options.progress) {
        st.options.progress->bytes_read = st.reader->bytes_read();
        st.options.progress->bytes_total = st.reader->bytes_total();
      }
      if (!more) {
        st.end_of_input = true;
        break;
      }
      ++st.summary.read;
      if (st.options.progress) ++st.options.progress->read;
      if (st.removals) st.seen.add(item.record.source_id);
      if (!st.options.checkpoint_name.empty() && ++st.since_checkpoint >= st.options.checkpoint_every)
        st.draining = true;
      // Which movie it belongs to is the matcher's decision (a record without a
      // movie id is matched or goes to the unmatched log, never rejected).
      auto& msg = st.unchecked.emplace_back();
      msg.record = std::move(item.record);
      msg.input = std::move(item.input);
      // Its fingerprint and correlation: once checked, the correlation only if it
      // changed (most records of a run over a known dump have not).
      ++st.in_flight;
      if (st.unchecked.size() >= st.options.batch_size) check_unchanged_ahead(self);
    }
    check_unchanged(self);
    send_batch(self);  // what was gathered: the reader paused, ended or must drain
    if (!st.draining || st.in_flight > 0) break;
    write_checkpoint(self);
    st.draining = false;
    st.since_checkpoint = 0;
  }
  finish_if_done(self);
}

void start(source_self self) {
  auto& st = self->state;
  st.started = std::chrono::steady_clock::now();
  // Bulk runs keep to the interactive lag while urgent ones come (projection_behind).
  if (st.options.urgent && st.deps.last_urgent_ms) *st.deps.last_urgent_ms = now_steady_ms();
  if (st.options.resume.is_object()) resume_from(self, st.options.resume);
  else
    st.recorder = std::make_unique<RunRecorder>(*st.deps.db, st.options.source_name, st.options.way,
                                                st.options.input);
  note(self, st.recorder->start());
  pump(self);
}

// --- failures ------------------------------------------------------------------------

/// Ends the run now, failed with `reason`: its requester gets the summary at once
/// rather than waiting out a request timeout. Answers still in flight are dropped.
void fail_run(source_self self, const std::string& reason) {
  auto& st = self->state;
  ++st.summary.failed;
  if (st.summary.error.empty()) st.summary.error = reason;
  if (!st.done.pending()) return self->quit(caf::sec::runtime_error);
  try {
    finish(self);
  } catch (const std::exception& e) {  // recording the run failed too: still answer
    st.summary.error += std::string("; recording the run: ") + e.what();
    if (st.done.pending()) st.done.deliver(st.summary);
    self->quit(caf::sec::runtime_error);
  }
}

std::string describe(const std::exception_ptr& ep) {
  try {
    if (ep) std::rethrow_exception(ep);
  } catch (const std::exception& e) {
    return std::string("internal error: ") + e.what();
  } catch (...) {
  }
  return "internal error: unknown exception";
}

/// A reader, a store call or a handler that throws, and an actor the run depends
/// on that stops, fail the run instead of killing the actor silently (CAF 0.17
/// would drop the pending run_atom promise and leave its requester waiting).
void fail_fast(source_self self) {
  auto& st = self->state;
  self->set_exception_handler([self](caf::scheduled_actor*, std::exception_ptr& ep) -> caf::error {
    fail_run(self, describe(ep));
    return caf::sec::runtime_error;
  });
  self->set_down_handler([self](caf::down_msg& dm) {
    auto& st = self->state;
    const char* who = dm.source == st.deps.sink.address()           ? "the matcher"
                      : dm.source == st.deps.registry.address()     ? "the registry"
                      : dm.source == st.deps.projection.address()   ? "the projection"
                                                                    : "an actor of the run";
    fail_run(self, std::string(who) + " stopped: " + message_of(dm.reason));
  });
  if (st.deps.sink) self->monitor(st.deps.sink);
  if (st.deps.registry) self->monitor(st.deps.registry);
  if (st.deps.projection) self->monitor(st.deps.projection);
}

}  // namespace

source_actor::behavior_type source(source_actor::stateful_pointer<source_state> self,
                                   std::shared_ptr<sources::RecordReader> reader, SourceDeps deps,
                                   SourceOptions options) {
  auto& st = self->state;
  st.reader = std::move(reader);
  st.deps = std::move(deps);
  st.options = std::move(options);
  if (st.options.max_in_flight == 0) st.options.max_in_flight = 1;
  // Several batches in flight, so the matcher works on one while the next is read.
  st.options.batch_size = std::clamp<std::size_t>(st.options.batch_size, 1,
                                                  std::max<std::size_t>(1, st.options.max_in_flight / 4));
  if (st.options.checkpoint_every == 0) st.options.checkpoint_every = 1;
  const auto* config = st.deps.config ? st.deps.config->find_source(st.options.source_name) : nullptr;
  st.removals = st.options.full_snapshot && config && config->removals;
  if (!st.options.rejects_path.empty())
    st.rejects.open(st.options.rejects_path, std::ios::out | std::ios::app);
  fail_fast(self);
  return {
      [=](run_atom) {
        auto rp = self->make_response_promise<IngestSummary>();
        self->state.done = rp;
        start(self);
        return rp;
      },
  };
}

source_actor spawn_source(caf::actor_system& system, std::shared_ptr<sources::RecordReader> reader,
                          const SourceDeps& deps, SourceOptions options) {
  if (options.correlation.empty()) options.correlation = new_correlation_id(options.way);
  if (deps.config) {
    options.max_in_flight = deps.config->max_in_flight;
    options.max_projection_lag = deps.config->max_projection_lag;
    options.interactive_projection_lag = deps.config->interactive_projection_lag;
    if (options.rejects_path.empty()) {
      auto dir = std::filesystem::path(deps.config->data_dir) / "rejects";
      std::error_code ec;
      std::filesystem::create_directories(dir, ec);
      options.rejects_path = (dir / (options.source_name + ".tsv")).string();
    }
  }
  return system.spawn<caf::detached>(source, std::move(reader), deps, std::move(options));
}

}  // namespace moviec::actors
