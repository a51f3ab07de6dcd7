#include "actors/registry.hpp"

#include <algorithm>

#include "actors/errors.hpp"
#include "actors/priority.hpp"
#include "common/metrics.hpp"

namespace moviec::actors {

namespace {

void evict(registry_actor::stateful_pointer<registry_state> self, const std::string& movie_id) {
  auto& st = self->state;
  auto it = st.live.find(movie_id);
  if (it == st.live.end()) return;
  self->send(it->second.actor, stop_atom::value);  // queued behind its pending items
  st.lru.erase(it->second.lru_position);
  st.live.erase(it);
  ++st.stats.evicted;
  metrics::movie_actor_evicted();
}

movie_actor actor_for(registry_actor::stateful_pointer<registry_state> self,
                      const std::string& movie_id) {
  auto& st = self->state;
  auto now = std::chrono::steady_clock::now();
  auto it = st.live.find(movie_id);
  if (it != st.live.end()) {
    st.lru.splice(st.lru.begin(), st.lru, it->second.lru_position);
    it->second.last_used = now;
    return it->second.actor;
  }
  while (!st.lru.empty() && st.live.size() >= st.options.max_live) evict(self, st.lru.back());
  auto actor = self->spawn(movie, movie_id, st.deps);
  st.lru.push_front(movie_id);
  st.live.emplace(movie_id, registry_state::Entry{actor, st.lru.begin(), now});
  ++st.stats.spawned;
  metrics::movie_actor_spawned();
  return actor;
}

/// The movie an item goes to: the matcher names it, and a record that carries its
/// id may come straight here; an item with neither is an error.
StatusOr<std::string> movie_of(const IngestItem& item) {
  const auto& movie_id = item.movie_id.empty() ? item.record.movie_id : item.movie_id;
  if (movie_id.empty())
    return Status::invalid("no movie for " + item.record.source + " record " + item.record.source_id +
                           " (it must pass the matcher)");
  return movie_id;
}

}  // namespace

registry_actor::behavior_type registry(registry_actor::stateful_pointer<registry_state> self,
                                       MovieDeps deps, RegistryOptions options) {
  self->state.deps = std::move(deps);
  self->state.options = options;
  if (self->state.options.max_live == 0) self->state.options.max_live = 1;
  auto tick_interval = std::max(std::chrono::milliseconds(100), options.idle_timeout / 2);
  self->delayed_send(self, tick_interval, tick_atom::value);
  // Movie actors must not outlive the registry. (Left alone they would linger
  // until the clock drops its references for their request timeouts.)
  self->set_exit_handler([=](const caf::exit_msg& msg) {
    for (auto& [id, entry] : self->state.live) self->send_exit(entry.actor, msg.reason);
    self->state.live.clear();
    self->state.lru.clear();
    self->quit(msg.reason);
  });
  return {
      [=](ingest_atom, IngestItem& item) -> caf::result<IngestOutcome> {
        auto movie_id = movie_of(item);
        if (!movie_id) return to_error(movie_id.status());
        auto actor = actor_for(self, *movie_id);
        return self->delegate(actor, ingest_atom::value, std::move(item));
      },
      [=](ingest_atom, IngestBatch& batch) {
        auto& st = self->state;
        auto reply = std::make_shared<BatchReply>(
            batch.size(), self->make_response_promise<IngestBatchOutcome>());
        for (std::size_t i = 0; i < batch.size(); ++i) {
          auto& item = batch[i];
          auto movie_id = movie_of(item);
          if (!movie_id) {
            reply->failed(i, movie_id.status().message());
            continue;
          }
          request_as_handled(self, actor_for(self, *movie_id), st.deps.append_timeout * 2,
                             ingest_atom::value, std::move(item))
              .then([=](IngestOutcome& o) { reply->done(i, std::move(o)); },
                    [=](caf::error& e) { reply->failed(i, message_of(e)); });
        }
        return reply->promise;
      },
      [=](remove_atom, RemoveItem& item) {
        auto actor = actor_for(self, item.movie_id);
        return self->delegate(actor, remove_atom::value, std::move(item));
      },
      [=](reaggregate_atom, ReaggregateItem& item) {
        auto actor = actor_for(self, item.movie_id);
        return self->delegate(actor, reaggregate_atom::value, std::move(item));
      },
      [=](tick_atom) {
        auto& st = self->state;
        auto deadline = std::chrono::steady_clock::now() - st.options.idle_timeout;
        while (!st.lru.empty() && st.live.at(st.lru.back()).last_used < deadline)
          evict(self, st.lru.back());
        self->delayed_send(self, tick_interval, tick_atom::value);
      },
      [=](stats_atom) {
        auto stats = self->state.stats;
        stats.live_movies = self->state.live.size();
        return stats;
      },
  };
}

}  // namespace moviec::actors
