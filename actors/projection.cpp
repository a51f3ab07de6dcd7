#include "actors/projection.hpp"

#include "actors/errors.hpp"
#include "common/log.hpp"

namespace moviec::actors {

namespace {

void catch_up(projection_actor::stateful_pointer<projection_state> self) {
  auto& st = self->state;
  if (st.projector->checkpoint() < st.log->last_sequence()) {
    auto status = st.projector->catch_up(*st.log);
    if (!status) {
      log::error("projection_stopped", {{"checkpoint", st.projector->checkpoint()}, {"error", status.message()}});
      for (auto& [seq, rp] : st.waiters) rp.deliver(to_error(status));
      st.waiters.clear();
      return;
    }
  }
  auto checkpoint = st.projector->checkpoint();
  while (!st.waiters.empty() && st.waiters.begin()->first <= checkpoint) {
    st.waiters.begin()->second.deliver(checkpoint);
    st.waiters.erase(st.waiters.begin());
  }
}

}  // namespace

projection_actor::behavior_type projection(projection_actor::stateful_pointer<projection_state> self,
                                           store::EventLog* log, store::Projector* projector) {
  self->state.log = log;
  self->state.projector = projector;
  return {
      [=](committed_atom, std::uint64_t) { catch_up(self); },
      [=](wait_atom, std::uint64_t sequence) {
        auto rp = self->make_response_promise<std::uint64_t>();
        self->state.waiters.emplace(sequence, rp);
        catch_up(self);
        return rp;
      },
  };
}

}  // namespace moviec::actors
