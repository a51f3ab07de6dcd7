#pragma once
// Interactive work overtakes bulk work. A push (`POST /ingest/{source}`) is sent at
// high priority, which CAF keeps in each mailbox's urgent queue, read before the
// normal one; every actor on its path sends what it causes at the priority of the
// message it is handling. So a push does not wait behind the batches a big ingest
// has queued at the matcher, the registry and the journal.
//
// CAF 0.17 pitfall: the std::chrono overload of request() drops the priority, so
// these go through the caf::duration overload.

#include <utility>

#include <caf/all.hpp>

namespace moviec::actors {

/// Whether the message `self` is handling now (a request, or the answer to one it
/// made: an answer keeps its request's priority) is urgent.
template <class Self>
bool handling_urgent(Self* self) {
  auto* element = self->current_mailbox_element();
  return element != nullptr && element->mid.is_urgent_message();
}

/// self->request(dest, timeout, xs...), at high priority when `urgent`.
template <class Self, class Handle, class Timeout, class... Ts>
auto request_at(Self* self, bool urgent, const Handle& dest, Timeout timeout, Ts&&... xs) {
  if (urgent)
    return self->template request<caf::message_priority::high>(dest, caf::duration{timeout},
                                                               std::forward<Ts>(xs)...);
  return self->request(dest, caf::duration{timeout}, std::forward<Ts>(xs)...);
}

/// The same at the priority of the message being handled.
template <class Self, class Handle, class Timeout, class... Ts>
auto request_as_handled(Self* self, const Handle& dest, Timeout timeout, Ts&&... xs) {
  return request_at(self, handling_urgent(self), dest, timeout, std::forward<Ts>(xs)...);
}

}  // namespace moviec::actors
