#include "actors/journal.hpp"

#include <iterator>

#include "actors/errors.hpp"
#include "actors/priority.hpp"
#include "common/log.hpp"

namespace moviec::actors {

namespace {

void commit(journal_impl::stateful_pointer<journal_state> self) {
  auto& st = self->state;
  st.flush_scheduled = false;
  if (!st.pending.empty()) {
    auto results = st.log->append(st.pending, st.sync);
    // What was stored, in sequence order (append placed the events in `pending`).
    auto stored = std::make_shared<std::vector<events::Event>>();
    for (std::size_t i = 0; i < results.size(); ++i) {
      if (results[i] && !results[i]->duplicate)
        std::move(st.pending[i].events.begin(), st.pending[i].events.end(), std::back_inserter(*stored));
      if (results[i]) st.promises[i].deliver(*results[i]);
      else st.promises[i].deliver(to_error(results[i].status()));
    }
    st.pending.clear();
    st.promises.clear();
    if (st.projection)
      self->send(st.projection, committed_atom::value,
                 CommittedEvents{std::move(stored), st.log->last_sequence()});
  }
  for (auto& [stream, version, bytes] : st.snapshots) {
    auto s = st.log->write_snapshot(stream, version, bytes, st.snapshots_kept);
    if (!s) log::error("snapshot_not_stored", {{"stream", stream}, {"version", version}, {"error", s.message()}});
  }
  st.snapshots.clear();
}

void schedule_flush(journal_impl::stateful_pointer<journal_state> self) {
  // An urgent append (a push, actors/priority.hpp) is committed once the urgent
  // messages queued with it are in, without waiting for the bulk behind them.
  if (handling_urgent(self)) {
    self->template send<caf::message_priority::high>(self, flush_atom::value);
    return;
  }
  if (self->state.flush_scheduled) return;
  self->state.flush_scheduled = true;
  // Lands behind every message already queued, so those join this commit.
  self->send(self, flush_atom::value);
}

}  // namespace

journal_impl::behavior_type journal(journal_impl::stateful_pointer<journal_state> self,
                                    store::EventLog* log, projection_actor projection,
                                    bool sync, std::size_t max_batch, std::size_t snapshots_kept) {
  self->state.log = log;
  self->state.projection = std::move(projection);
  self->state.sync = sync;
  self->state.max_batch = max_batch == 0 ? 1 : max_batch;
  self->state.snapshots_kept = snapshots_kept == 0 ? 1 : snapshots_kept;
  // What is pending is committed and answered before the journal stops: a movie waits
  // for its append's answer (with no timeout, actors/movie.cpp) and takes no other
  // message meanwhile, its exit included, so an answer dropped here would keep it,
  // and the actor system's shutdown, waiting forever.
  self->set_exit_handler([=](const caf::exit_msg& msg) {
    commit(self);
    self->quit(msg.reason);
  });
  return {
      [=](append_atom, store::AppendRequest& request) {
        auto& st = self->state;
        auto rp = self->make_response_promise<store::AppendResult>();
        st.pending.push_back(std::move(request));
        st.promises.push_back(rp);
        if (st.pending.size() >= st.max_batch) commit(self);
        else schedule_flush(self);
        return rp;
      },
      [=](snapshot_atom, std::string& stream, std::uint64_t version, std::string& bytes) {
        self->state.snapshots.emplace_back(std::move(stream), version, std::move(bytes));
        schedule_flush(self);
      },
      [=](flush_atom) { commit(self); },
  };
}

}  // namespace moviec::actors
