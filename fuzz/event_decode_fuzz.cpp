// A stored event's bytes (events/coding.hpp), read both ways decode() can: the fast
// simdjson reader (events/coding_fast.hpp) must decline or give exactly the event the
// nlohmann reader gives.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "events/coding.hpp"
#include "events/coding_fast.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace ev = moviec::events;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto fast = ev::detail::decode_current(bytes);
  auto tree = ev::detail::decode_tree(bytes);
  if (fast) {
    if (!tree) std::abort();
    if (ev::encode(*fast) != ev::encode(*tree)) std::abort();
  }
  return 0;
}
