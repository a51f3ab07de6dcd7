// Canaries for the ThreadSanitizer phase: two deliberate data races between actors
// that TSan must report, so that a clean TSan run of the actor tests means something.
// The hand-off annotations (tests/support/tsan_caf_handoff.cpp) order what a sender
// wrote *before* a send with the receiver's handler; they must not order more.
// Hidden ([.]): scripts/tsan_canary.sh runs each alone in the TSan build and fails
// unless TSan reports a race in it. In any other build they just run.

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <thread>

#include <caf/all.hpp>

#include "actors/runtime.hpp"

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

// How many incrementers are in their handler. Relaxed: it makes them overlap in
// time without ordering anything (TSan orders nothing by a relaxed atomic).
std::atomic<int> arrived{0};

/// Waits (up to 5 s) for the other incrementer to be running too, then increments the
/// shared counter `times` times: two worker threads at once, nothing between them.
caf::behavior incrementer(caf::event_based_actor*) {
  return {[](poke_atom, int times) {
    arrived.fetch_add(1, std::memory_order_relaxed);
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (arrived.load(std::memory_order_relaxed) < 2 && std::chrono::steady_clock::now() < until)
      std::this_thread::yield();
    for (int i = 0; i < times; ++i) shared_counter = shared_counter + 1;
    return shared_counter;
  }};
}

caf::actor_system_config& sharing_config() {
  static caf::actor_system_config cfg;
  moviec::actors::use_work_sharing(cfg, 2);
  return cfg;
}

}  // namespace

TEST_CASE("tsan canary: a write to a message's data after the send races with the receiver",
          "[.][tsan-canary-after-send]") {
  caf::actor_system sys{sharing_config()};
  caf::scoped_actor self{sys};
  auto target = sys.spawn(reader);
  static int value = 0;
  const auto address = reinterpret_cast<std::uintptr_t>(&value);
  for (int i = 0; i < 200; ++i) {
    self->send(target, poke_atom::value, address);
    value = i;  // after the send: nothing orders this with the reader's read
  }
  // Every poke read before the exit (an exit message overtakes the mailbox).
  self->request(target, caf::infinite, poke_atom::value, address).receive([](int) {}, [](caf::error&) {});
  self->send_exit(target, caf::exit_reason::user_shutdown);
  SUCCEED();
}

TEST_CASE("tsan canary: two actors writing one variable without messages between them race",
          "[.][tsan-canary-two-actors]") {
  caf::actor_system sys{sharing_config()};
  caf::scoped_actor self{sys};
  arrived = 0;
  auto a = sys.spawn(incrementer);
  auto b = sys.spawn(incrementer);
  // One message each, answered only once both ran side by side on the two workers.
  for (auto& incrementing : {a, b}) self->send(incrementing, poke_atom::value, 100000);
  for (int answers = 0; answers < 2; ++answers) self->receive([](int) {});
  self->send_exit(a, caf::exit_reason::user_shutdown);
  self->send_exit(b, caf::exit_reason::user_shutdown);
  SUCCEED();
}
