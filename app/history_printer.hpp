#pragma once
// `moviec history MOVIE_ID`: one movie's stream, written for a person at a terminal.
// Each event gets a heading line (number, sequence, time, type, source, what caused
// it) and indented detail lines: the record a source sent, or for a MovieChanged
// one line per field with old -> new and who decided it. Long values are shortened;
// GET /movies/{id}/history has them whole.

#include <ostream>

#include "events/event.hpp"

namespace moviec::app {

/// Writes one event of a stream.
void print_history_event(std::ostream& out, const events::Event& e);

}  // namespace moviec::app
