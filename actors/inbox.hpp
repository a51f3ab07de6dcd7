#pragma once
// The inbox actor: `moviec serve` runs one per source with an "inbox" directory.
// Every inbox_scan_ms it looks into the directory and ingests the next complete
// file (one at a time, in name order) as a full run of the source, then moves it
// to processed/ (or failed/, next to a "<name>.error" that says why).
//
// A complete file is a regular file directly in the directory whose name does
// not start with '.' nor end in ".tmp", ".part" or ".ready"; with inbox_marker,
// only files whose "<name>.ready" marker exists (the marker goes away with it).
// Writers either write under such a temporary name and rename the file in, or
// write it in place and create the marker last.
//
// Crash safety: while a file is read, the source actor stores a checkpoint (where
// the reader stands, with the run's counters) every checkpoint_every records,
// after the events before it are committed. After kill -9 the restarted inbox
// finds the file still there and the checkpoint (for the same size and mtime),
// and resumes from it: nothing committed is lost or repeated, and the end state
// equals an uninterrupted run. The checkpoint is erased before the file moves.

#include <chrono>
#include <filesystem>
#include <set>
#include <string>

#include "actors/actors.hpp"
#include "actors/source.hpp"
#include "config/config.hpp"

namespace moviec::actors {

struct inbox_state {
  SourceDeps deps;
  config::SourceConfig source;
  std::filesystem::path dir;
  std::chrono::milliseconds scan{1000};
  bool busy = false;                 // a file is being ingested
  std::set<std::string> stuck;       // files that could not be moved away: not taken again
  static inline const char* name = "inbox";
};

inbox_actor::behavior_type inbox(inbox_actor::stateful_pointer<inbox_state> self, SourceDeps deps,
                                 config::SourceConfig source, std::chrono::milliseconds scan);

/// The inbox checkpoint name of a file in source_cursors: "inbox" 0x00 file name.
std::string inbox_checkpoint_name(const std::string& file_name);

}  // namespace moviec::actors
