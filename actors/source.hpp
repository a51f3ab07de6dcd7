#pragma once
// The source actor: pulls records from a RecordReader and sends them to the
// matcher with at most max_in_flight unacknowledged, so a file of any size
// streams through bounded memory. A record whose fingerprint equals the one
// stored for its (source, source id) is counted unchanged and never sent.
// Runs detached: reading files blocks its own thread, not the scheduler.
//
// Every run is on record (actors/run_recorder.hpp): its summary and its rejects,
// for GET /sources. Two things happen only when asked:
// - Checkpoints (inbox files): every checkpoint_every records the actor lets the
//   records in flight finish, then stores where the reader stands with the run's
//   counters. A run given that checkpoint as `resume` continues the same run from
//   there: the reader seeks when it can, else the records before it are skipped
//   (read, not sent). No checkpoint is stored once a record has failed.
// - Removals: a full snapshot of a source with `removals` on, read to the end
//   with no failure, removes the records the source published before and no
//   longer has (actors/vanished.hpp): SourceRecordRemoved in their movies.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <fstream>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "actors/actors.hpp"
#include "actors/run_recorder.hpp"
#include "actors/unchanged_check.hpp"
#include "actors/vanished.hpp"
#include "config/config.hpp"
#include "sources/record_reader.hpp"
#include "store/db.hpp"
#include "store/event_log.hpp"

namespace moviec::actors {

/// Live counters for a progress display; written by the source, read by anyone.
struct IngestProgress {
  std::atomic<std::uint64_t> read{0};
  std::atomic<std::uint64_t> bytes_read{0};
  std::atomic<std::uint64_t> bytes_total{0};
};

/// What every source run needs besides its reader. Copyable; what the pointers
/// point at outlives the actor system.
struct SourceDeps {
  ingest_sink sink;                            // the matcher
  registry_actor registry;                     // removals go straight to the movies
  projection_actor projection;                 // removals wait for current read models
  store::Db* db = nullptr;
  store::EventLog* log = nullptr;
  const config::Config* config = nullptr;
  std::shared_ptr<std::atomic<bool>> stopping; // set at shutdown: runs end early, no removals
  std::shared_ptr<std::atomic<std::int64_t>> last_urgent_ms;  // steady clock ms: an urgent run's start sets it
};

struct SourceOptions {
  std::string correlation;          // id of this ingest run, on every event; "" = a fresh one
  std::size_t max_in_flight = 512;  // records sent and not answered yet
  std::size_t batch_size = 128;     // records per request to the sink (at most max_in_flight / 4)
  std::size_t max_projection_lag = 0;  // events the log may run ahead of the read models before the
                                       // run pauses (0 = no limit)
  std::size_t interactive_projection_lag = 0;  // the same while urgent runs come (0 = max_projection_lag)
  std::string rejects_path;         // every reject is appended here (TSV); "" = none
  std::size_t rejects_kept = 100;   // rejects kept in the summary itself
  std::chrono::seconds item_timeout{300};
  IngestProgress* progress = nullptr;
  // -- the run on record (store/source_runs.hpp) ---------------------------------
  std::string source_name;          // the configured source
  std::string way = "cli";          // "cli", "push", "inbox" or "poll"
  std::string input;                // what is read: file names, a request, a feed window
  bool full_snapshot = false;       // the input is the whole source (removals may follow)
  bool urgent = false;              // interactive (a push): overtakes bulk runs (actors/priority.hpp)
  // -- checkpoints (inbox) ---------------------------------------------------------
  std::string checkpoint_name;      // "" = none; else its name in source_cursors
  nlohmann::json checkpoint_guard;  // stored with each checkpoint (file size, mtime)
  nlohmann::json resume;            // a stored checkpoint to continue from; null = the start
  std::size_t checkpoint_every = 10000;  // records between checkpoints
};

struct source_state {
  std::shared_ptr<sources::RecordReader> reader;
  SourceDeps deps;
  SourceOptions options;
  IngestSummary summary;
  std::unique_ptr<RunRecorder> recorder;
  std::ofstream rejects;
  std::chrono::steady_clock::time_point started;
  std::size_t in_flight = 0;        // records sent or gathered, not answered yet
  IngestBatch batch;                // gathered, not sent yet
  IngestBatch unchecked;            // read, fingerprints not yet looked up (counted in flight)
  std::unique_ptr<UnchangedCheck> check;  // checks the batch read before (counted in flight)
  std::uint64_t projected = 0;      // the read models' checkpoint as last heard
  bool waiting_for_projection = false;
  bool end_of_input = false;
  bool interrupted = false;         // stopped by shutdown before the end
  bool store_refused = false;       // stopped reading: the store turned read-only
  // checkpoints
  bool draining = false;            // waiting for in-flight records before a checkpoint
  std::size_t since_checkpoint = 0;
  std::uint64_t skip = 0;           // records to read past (resumed without a seek)
  // removals
  bool removals = false;            // this run removes vanished records at its end
  SeenIds seen;
  bool removing = false;
  std::vector<RemoveItem> to_remove;
  std::size_t next_removal = 0;
  caf::typed_response_promise<IngestSummary> done;
  static inline const char* name = "source";
};

source_actor::behavior_type source(source_actor::stateful_pointer<source_state> self,
                                   std::shared_ptr<sources::RecordReader> reader, SourceDeps deps,
                                   SourceOptions options);

/// Spawns a detached source actor for `options.source_name`, with defaults from
/// the config: a fresh correlation id, max_in_flight, and the rejects file
/// DATA/rejects/SOURCE.tsv. Ask it run_atom for the summary.
source_actor spawn_source(caf::actor_system& system, std::shared_ptr<sources::RecordReader> reader,
                          const SourceDeps& deps, SourceOptions options);

}  // namespace moviec::actors
