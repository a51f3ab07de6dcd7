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

void catch_up(projection_actor::stateful_pointer<projection_state> self) {
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
      [=](committed_atom, std::uint64_t) { catch_up(self); },
      [=](committed_atom, const CommittedEvents& committed) {
        auto& st = self->state;
        const auto& events = *committed.events;
        st.announced = std::max(st.announced, committed.last_sequence);
        // The usual case: the commit follows what is applied (apply skips what it
        // has), so it goes in as it is, without reading the log back. After a gap
        // (a restart, a failed apply) the log is the source.
        if (!events.empty() && events.front().sequence <= st.projector->checkpoint() + 1) {
          if (auto status = st.projector->apply(events); !status) return fail_waiters(self, status);
          return answer_waiters(self);
        }
        catch_up(self);
      },
      [=](wait_atom, std::uint64_t sequence) {
        auto rp = self->make_response_promise<std::uint64_t>();
        auto& st = self->state;
        st.waiters.emplace(sequence, rp);
        // Commits the journal has announced arrive here in order: wait for them
        // rather than read the log. Anything else in the log is read now, and so
        // is what an apply that failed (a read-only store) left behind.
        if (st.log->last_sequence() > st.announced || st.failing()) catch_up(self);
        else answer_waiters(self);
        return rp;
      },
  };
}

}  // namespace moviec::actors
