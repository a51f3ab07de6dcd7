// Canaries for the ThreadSanitizer phase: two deliberate data races between actors
// that TSan must report, so that a clean TSan run of the actor tests means something.
// The hand-off annotations (tests/support/tsan_caf_handoff.cpp) order what a sender
// wrote *before* a send with the receiver's handler; they must not order more.
// Hidden ([.]): scripts/tsan_canary.sh runs each alone in the TSan build and fails
// unless TSan reports a race in it. In any other build they just run.

#include <catch2/catch.hpp>

#include <cstdint>

#include <caf/all.hpp>

namespace {

// Written by the canaries' actors with nothing ordering them: the race to find.
int shared_counter = 0;

using poke_atom = caf::atom_constant<caf::atom("poke")>;

/// Reads what `address` points to, once per message.
caf::behavior reader(caf::event_based_actor*) {
  return {[](poke_atom, std::uintptr_t address) {
    return *reinterpret_cast<volatile int*>(address);
  }};
}

/// Increments the shared counter, `times` times per message.
caf::behavior incrementer(caf::event_based_actor*) {
  return {[](poke_atom, int times) {
    for (int i = 0; i < times; ++i) shared_counter = shared_counter + 1;
    return shared_counter;
  }};
}

caf::actor_system_config& sharing_config() {
  static caf::actor_system_config cfg;
  cfg.set("scheduler.policy", caf::atom("sharing"));
  cfg.set("scheduler.max-threads", std::size_t{2});
  return cfg;
}

}  // namespace

TEST_CASE("tsan canary: a write to a message's data after the send races with the receiver",
          "[.][tsan-canary-after-send]") {
  caf::actor_system sys{sharing_config()};
  caf::scoped_actor self{sys};
  auto target = sys.spawn(reader);
  static int value = 0;
  for (int i = 0; i < 200; ++i) {
    self->send(target, poke_atom::value, reinterpret_cast<std::uintptr_t>(&value));
    value = i;  // after the send: nothing orders this with the reader's read
  }
  self->send_exit(target, caf::exit_reason::user_shutdown);
  SUCCEED();
}

TEST_CASE("tsan canary: two actors writing one variable without messages between them race",
          "[.][tsan-canary-two-actors]") {
  caf::actor_system sys{sharing_config()};
  caf::scoped_actor self{sys};
  auto a = sys.spawn(incrementer);
  auto b = sys.spawn(incrementer);
  for (int i = 0; i < 50; ++i) {
    self->send(a, poke_atom::value, 1000);
    self->send(b, poke_atom::value, 1000);
  }
  self->send_exit(a, caf::exit_reason::user_shutdown);
  self->send_exit(b, caf::exit_reason::user_shutdown);
  SUCCEED();
}
