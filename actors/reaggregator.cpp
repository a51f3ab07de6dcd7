#include "actors/reaggregator.hpp"

#include "actors/errors.hpp"
#include "events/matching.hpp"
#include "store/keys.hpp"

namespace moviec::actors {

namespace {

constexpr std::size_t kIdsPerRead = 1024;

using reaggregator_self = reaggregator_actor::stateful_pointer<reaggregator_state>;

/// Reads the next page of stream ids after the last one read.
Status read_ids(reaggregator_self self) {
  auto& st = self->state;
  auto it = st.db->iterator(store::ColumnFamily::stream_heads);
  if (st.last_read.empty()) it->SeekToFirst();
  else it->Seek(store::keys::stream_head_key(st.last_read));
  for (; it->Valid() && st.next_ids.size() < kIdsPerRead; it->Next()) {
    std::string id = it->key().ToString();
    if (!st.last_read.empty() && id == st.last_read) continue;
    st.last_read = id;
    if (events::matching::is_source_stream(id)) continue;  // match decisions, not a movie
    st.next_ids.push_back(std::move(id));
  }
  if (!it->Valid()) {
    if (auto s = store::from_rocksdb(it->status(), "reading stream heads"); !s) return s;
    st.all_read = true;
  }
  return Status::ok();
}

void finish_if_done(reaggregator_self self) {
  auto& st = self->state;
  if (st.in_flight > 0 || !st.all_read || !st.next_ids.empty()) return;
  st.done.deliver(st.summary);
  self->quit();
}

void fail(reaggregator_self self, const std::string& what) {
  auto& st = self->state;
  ++st.summary.failed;
  if (st.summary.error.empty()) st.summary.error = what;
}

/// Keeps max_in_flight movies asked until every stream has been.
void pump(reaggregator_self self) {
  auto& st = self->state;
  while (st.in_flight < st.options.max_in_flight) {
    if (st.next_ids.empty()) {
      if (st.all_read) break;
      if (auto s = read_ids(self); !s) {
        fail(self, s.message());
        st.all_read = true;  // cannot go on reading; finish what is in flight
        break;
      }
      if (st.next_ids.empty()) break;
    }
    ReaggregateItem item{std::move(st.next_ids.front()), st.options.causation,
                         st.options.correlation};
    st.next_ids.pop_front();
    ++st.in_flight;
    std::string movie_id = item.movie_id;
    self->request(st.registry, st.options.movie_timeout, reaggregate_atom::value, std::move(item))
        .then(
            [=](ReaggregateOutcome outcome) {
              auto& st = self->state;
              --st.in_flight;
              ++st.summary.movies;
              if (outcome.changed) {
                ++st.summary.changed;
                st.summary.fields += outcome.fields;
              } else {
                ++st.summary.unchanged;
              }
              if (st.options.progress) ++st.options.progress->done;
              pump(self);
              finish_if_done(self);
            },
            [=](caf::error& err) {
              auto& st = self->state;
              --st.in_flight;
              ++st.summary.movies;
              fail(self, movie_id + ": " + message_of(err));
              if (st.options.progress) ++st.options.progress->done;
              pump(self);
              finish_if_done(self);
            });
  }
}

}  // namespace

reaggregator_actor::behavior_type reaggregator(reaggregator_self self, store::Db* db, registry_actor registry,
                                               ReaggregatorOptions options) {
  self->state.db = db;
  self->state.registry = std::move(registry);
  self->state.options = std::move(options);
  if (self->state.options.max_in_flight == 0) self->state.options.max_in_flight = 1;
  return {
      [=](run_atom) -> caf::typed_response_promise<ReaggregateSummary> {
        auto& st = self->state;
        auto rp = self->make_response_promise<ReaggregateSummary>();
        if (st.running) {
          rp.deliver(to_error(Status::invalid("this reaggregate run was started already")));
          return rp;
        }
        st.running = true;
        st.done = rp;
        pump(self);
        finish_if_done(self);  // an empty log: nothing to ask
        return rp;
      },
  };
}

}  // namespace moviec::actors
