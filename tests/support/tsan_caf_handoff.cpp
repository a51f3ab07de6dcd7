// ThreadSanitizer happens-before annotations for CAF 0.17's message hand-off, linked
// into the actor tests of a -DMOVIEC_TSAN=ON build only (tests/CMakeLists.txt).
//
// Why: Debian's libcaf_core is not built with ThreadSanitizer. The atomics that order
// a sender's writes before the receiver's reads (the lock-free mailbox, the
// scheduler's job queue, the reference counts) are inside it, so TSan sees none of
// them and reports every message payload, every actor state touched on two worker
// threads and every object freed by CAF's reference counting as a race (2,371 reports
// on test_actors without this file, 2026-11-27). CAF 0.17's own hooks for this (the actor
// profiler's before_sending / before_processing) are compiled out of Debian's build.
//
// How: this executable defines the library functions below; the dynamic linker binds
// every call through the PLT (from our code and from libcaf_core itself, which calls
// them through its PLT) to these definitions, which tell TSan what CAF's atomics
// guarantee and then call the library's own definition (dlsym RTLD_NEXT):
//  - enqueue (scheduled and blocking actors): the sender releases the mailbox
//    element before it becomes visible; the receiver's mailbox visitor acquires it
//    before the handler runs. A message's payload is ordered sender -> receiver.
//  - the drain of a stopping actor's mailbox acquires each element like a visit.
//  - launch and resume: the spawner's writes come before the actor's first resume,
//    and one resume of an actor starts after the last one ended, on whichever worker.
//  - reference counts (actors, and every ref_counted: message data, promises, ...):
//    the library's three release functions are defined here again, step for step,
//    so that their atomic decrements are instrumented.
// Nothing here changes behaviour: the functions annotate, then call the library's
// definition, or do exactly what it does.

#if defined(__SANITIZE_THREAD__)

#include <dlfcn.h>
#include <sanitizer/tsan_interface.h>

#include <cstdio>
#include <cstdlib>

#include <caf/actor_control_block.hpp>
#include <caf/blocking_actor.hpp>
#include <caf/detail/sync_request_bouncer.hpp>
#include <caf/ref_counted.hpp>
#include <caf/scheduled_actor.hpp>

namespace {

/// The library's definition of `mangled`, the one this executable hides.
template <class Fn>
Fn next_definition(const char* mangled) {
  void* f = dlsym(RTLD_NEXT, mangled);
  if (f == nullptr) {
    std::fprintf(stderr, "tsan_caf_handoff: %s not found in libcaf_core\n", mangled);
    std::abort();
  }
  return reinterpret_cast<Fn>(f);
}

}  // namespace

namespace caf {

void scheduled_actor::enqueue(mailbox_element_ptr ptr, execution_unit* eu) {
  using fn = void (*)(scheduled_actor*, mailbox_element_ptr, execution_unit*);
  static const fn next = next_definition<fn>(
      "_ZN3caf15scheduled_actor7enqueueESt10unique_ptrINS_15mailbox_elementENS_6detail8disposerEEPNS_14execution_unitE");
  __tsan_release(ptr.get());
  next(this, std::move(ptr), eu);
}

void blocking_actor::enqueue(mailbox_element_ptr ptr, execution_unit* eu) {
  using fn = void (*)(blocking_actor*, mailbox_element_ptr, execution_unit*);
  static const fn next = next_definition<fn>(
      "_ZN3caf14blocking_actor7enqueueESt10unique_ptrINS_15mailbox_elementENS_6detail8disposerEEPNS_14execution_unitE");
  __tsan_release(ptr.get());
  next(this, std::move(ptr), eu);
}

// An actor is spawned on one thread and first runs on a worker: the spawner's writes
// (the actor, its init function and arguments) come before its first resume.
void scheduled_actor::launch(execution_unit* eu, bool lazy, bool hide) {
  using fn = void (*)(scheduled_actor*, execution_unit*, bool, bool);
  static const fn next = next_definition<fn>("_ZN3caf15scheduled_actor6launchEPNS_14execution_unitEbb");
  __tsan_release(ctrl());
  next(this, eu, lazy, hide);
}

// One resume at a time per actor, on whichever worker: each one starts after the last.
resumable::resume_result scheduled_actor::resume(execution_unit* eu, size_t max_throughput) {
  using fn = resumable::resume_result (*)(scheduled_actor*, execution_unit*, size_t);
  static const fn next = next_definition<fn>("_ZN3caf15scheduled_actor6resumeEPNS_14execution_unitEm");
  void* actor = ctrl();
  __tsan_acquire(actor);
  auto result = next(this, eu, max_throughput);
  __tsan_release(actor);
  return result;
}

intrusive::task_result scheduled_actor::mailbox_visitor::operator()(mailbox_element& x) {
  using fn = intrusive::task_result (*)(mailbox_visitor*, mailbox_element&);
  static const fn next = next_definition<fn>("_ZN3caf15scheduled_actor15mailbox_visitorclERNS_15mailbox_elementE");
  __tsan_acquire(&x);
  return next(this, x);
}

intrusive::task_result blocking_actor::mailbox_visitor::operator()(mailbox_element& x) {
  using fn = intrusive::task_result (*)(mailbox_visitor*, mailbox_element&);
  static const fn next = next_definition<fn>("_ZN3caf14blocking_actor15mailbox_visitorclERNS_15mailbox_elementE");
  __tsan_acquire(&x);
  return next(this, x);
}

// An actor that stops drains what is left in its mailbox through this bouncer
// (scheduled_actor::cleanup, blocking_actor::cleanup): those elements are destroyed
// without a visit, so the drain acquires them as a visit would. Seen in CI (2026-11-27):
// a down message that arrived as the source actor stopped, freed by the drain, was
// reported (tests/actors/stopping_actor_test.cpp exercises the drain).
void detail::sync_request_bouncer::operator()(const mailbox_element& e) const {
  using fn = void (*)(const sync_request_bouncer*, const mailbox_element&);
  static const fn next = next_definition<fn>(
      "_ZNK3caf6detail20sync_request_bouncerclERKNS_15mailbox_elementE");
  __tsan_acquire(const_cast<mailbox_element*>(&e));
  next(this, e);
}

// Reference counts: CAF 0.17.6's own definitions (the same steps as libcaf_core's
// code), compiled here so that TSan sees their atomics: every drop of a reference is
// an acq_rel decrement, so a destructor runs after every use by another thread.
void intrusive_ptr_release_weak(actor_control_block* x) {
  if (x->weak_refs == 1 || x->weak_refs.fetch_sub(1, std::memory_order_acq_rel) == 1)
    x->block_dtor(x);
}

void intrusive_ptr_release(actor_control_block* x) {
  if (x->strong_refs.fetch_sub(1, std::memory_order_acq_rel) == 1) {
    x->data_dtor(x->get());
    intrusive_ptr_release_weak(x);
  }
}

void ref_counted::deref() const noexcept {
  if (unique()) {
    request_deletion(false);
    return;
  }
  if (rc_.fetch_sub(1, std::memory_order_acq_rel) == 1) request_deletion(true);
}

}  // namespace caf

#endif  // __SANITIZE_THREAD__
