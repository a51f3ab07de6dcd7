// The journal (actors/journal.hpp): the one writer of the log.

#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <vector>

#include "support/actor_helpers.hpp"

using namespace moviec;
using namespace moviec::test;

TEST_CASE("a journal told to stop commits and answers every append it holds", "[actors][journal]") {
  // A movie waits for its append's answer with no timeout and takes no other message
  // meanwhile, its exit included: an append the journal held and dropped when it
  // stopped would keep that movie, and the shutdown, waiting forever. Appends queued
  // behind the stop are refused (the journal is gone), never left unanswered.
  TempDir dir;
  auto rt = actors::Runtime::open(test_config(dir)).take();
  caf::scoped_actor self{rt->system()};
  constexpr int kAppends = 200;
  using Handle = decltype(self->request(rt->journal(), caf::duration(std::chrono::seconds(1)),
                                        actors::append_atom::value, store::AppendRequest{}));
  std::vector<Handle> sent;
  for (int i = 0; i < kAppends; ++i) {
    events::Event e;
    e.type = events::EventType::source_record_removed;
    e.time_ms = 1;
    e.source = "imdb";
    e.data = events::to_data(events::SourceRecordRemoved{"imdb", "tt" + std::to_string(i), "fp"});
    store::AppendRequest req;
    req.stream = "tt" + std::to_string(i);
    req.expected_version = 0;
    req.events.push_back(std::move(e));
    // All sent before any answer is read: the journal holds many of them at its stop.
    sent.push_back(self->request(rt->journal(), caf::duration(std::chrono::seconds(20)),
                                 actors::append_atom::value, std::move(req)));
    if (i == kAppends / 2) self->send_exit(rt->journal(), caf::exit_reason::user_shutdown);
  }
  int committed = 0, refused = 0;
  for (auto& h : sent)
    h.receive([&](store::AppendResult&) { ++committed; },
              [&](caf::error& err) {
                CHECK(err != caf::sec::request_timeout);  // never left unanswered
                ++refused;
              });
  CHECK(committed + refused == kAppends);
  CHECK(committed > kAppends / 2);  // those before the stop
  CHECK(rt->log().last_sequence() == static_cast<std::uint64_t>(committed));
}
