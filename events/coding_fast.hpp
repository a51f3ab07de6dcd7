#pragma once
// The fast path of events::decode (events/coding.hpp): an event of the current schema
// read with simdjson straight into its typed payload, without an nlohmann tree for
// the whole event. Used by decode() only.

#include <optional>
#include <string_view>

#include "common/status.hpp"
#include "events/event.hpp"

namespace moviec::events::detail {

/// The event, when `bytes` is a current-schema event every member of which has the
/// type decode() expects. nullopt otherwise (an older schema to upcast, anything
/// malformed or unusual): decode() then takes its nlohmann path, which upcasts or
/// says what is wrong. Whatever this accepts decodes to what that path would give.
std::optional<Event> decode_current(std::string_view bytes);

/// decode()'s other path: the whole event parsed by nlohmann, upcast, then read.
/// Tests and the differential fuzz target hold the two paths to each other.
StatusOr<Event> decode_tree(std::string_view bytes);

}  // namespace moviec::events::detail
