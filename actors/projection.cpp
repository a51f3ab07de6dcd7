#include "actors/projection.hpp"

#include "actors/errors.hpp"
#include "common/log.hpp"

namespace moviec::actors {

namespace {

/// Every waiter gets `status` as its error.
void refuse_waiters(projection_state& st, const Status& status) {
  for (auto& [seq, rp] : st.waiters) rp.deliver(to_error(status));
  st.waiters.clear();
}

void fail_waiters(projection_actor::stateful_pointer<projection_state> self, const Status& status) {
  auto& st = self->state;
  // A read-only store (a full disk) fails every apply until it resumes: log once.
  if (!st.failing())
    log::error("projection_stopped", {{"checkpoint", st.projector->checkpoint()}, {"error", status.message()}});
  st.failure = status;
  st.retry_after = std::chrono::steady_clock::now() + projection_state::kRetryInterval;
  refuse_waiters(st, status);
}

void answer_waiters(projection_actor::stateful_pointer<projection_state> self) {
  auto& st = self->state;
  if (st.failing()) {
    log::info("projection_resumed", {{"checkpoint", st.projector->checkpoint()}});
    st.failure = Status::ok();
  }
  auto checkpoint = st.projector->checkpoint();
  while (!st.waiters.empty() && st.waiters.begin()->first <= checkpoint) {
    st.waiters.begin()->second.deliver(checkpoint);
    st.waiters.erase(st.waiters.begin());
  }
}

/// Applies the commits held for one batch (none: nothing to do) and answers the
/// waiters they satisfy.
void apply_held(projection_actor::stateful_pointer<projection_state> self) {
  auto& st = self->state;
  if (st.held.empty()) return;
  std::vector<const std::vector<events::Event>*> batches;
  for (auto& h : st.held) batches.push_back(h.get());
  auto status = st.projector->apply_batches(batches);
  st.held.clear();
  st.held_events = 0;
  if (!status) return fail_waiters(self, status);
  answer_waiters(self);
}

void catch_up(projection_actor::stateful_pointer<projection_state> self) {
  apply_held(self);  // before the log is read past them
  auto& st = self->state;
  if (st.failing() && std::chrono::steady_clock::now() < st.retry_after) return refuse_waiters(st, st.failure);
  if (st.projector->checkpoint() < st.log->last_sequence()) {
    if (auto status = st.projector->catch_up(*st.log); !status) return fail_waiters(self, status);
  }
  answer_waiters(self);
}

}  // namespace

projection_actor::behavior_type projection(projection_actor::stateful_pointer<projection_state> self,
                                           store::EventLog* log, store::Projector* projector) {
  self->state.log = log;
  self->state.projector = projector;
  return {
      // At start (the log as it is) and when a waiter's sequence was not announced in
      // time: read what the log holds beyond the announcements.
      [=](committed_atom, std::uint64_t sequence) {
        auto& st = self->state;
        if (sequence > st.announced || st.failing()) return catch_up(self);
        answer_waiters(self);
      },
      [=](committed_atom, const CommittedEvents& committed) {
        auto& st = self->state;
        const auto& events = *committed.events;
        st.announced = std::max(st.announced, committed.last_sequence);
        // The usual case: the commit follows what is applied or held (apply skips
        // what it has), so it goes in as it is, without reading the log back. It is
        // held until the commits queued behind it are in too (the flush message
        // lands behind them), and they are applied as one batch. After a gap (a
        // restart, a failed apply) the log is the source.
        if (!events.empty() && events.front().sequence <= st.held_through() + 1) {
          st.held_events += events.size();
          st.held.push_back(committed.events);
          if (st.held_events >= projection_state::kMaxHeldEvents) return apply_held(self);
          if (!st.flush_scheduled) {
            st.flush_scheduled = true;
            self->send(self, flush_atom::value);
          }
          return;
        }
        catch_up(self);
      },
      [=](flush_atom) {
        self->state.flush_scheduled = false;
        apply_held(self);
      },
      [=](wait_atom, std::uint64_t sequence) {
        auto rp = self->make_response_promise<std::uint64_t>();
        auto& st = self->state;
        st.waiters.emplace(sequence, rp);
        // The journal is the log's one writer and announces every commit here, in
        // order: a waiter waits for those messages rather than reading the log back
        // (the journal appends before it announces, so a waiter often sees the log
        // ahead; reading it then decoded every event twice, 8% of the projection's
        // time in a bulk ingest). Should an announcement not come, the log is read
        // after kAnnounceGrace. What an apply that failed (a read-only store) left
        // behind is read now.
        if (st.failing()) {
          catch_up(self);
          return rp;
        }
        auto last = st.log->last_sequence();
        if (last > st.announced && last > st.recheck_scheduled) {
          st.recheck_scheduled = last;
          self->delayed_send(self, projection_state::kAnnounceGrace, committed_atom::value, last);
        }
        answer_waiters(self);
        return rp;
      },
  };
}

}  // namespace moviec::actors
