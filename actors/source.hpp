#pragma once
// The source actor: pulls records from a RecordReader and sends them to the
// matcher with at most max_in_flight unacknowledged, so a file of any size
// streams through bounded memory. A record whose fingerprint equals the one
// stored for its (source, source id) is counted unchanged and never sent.
// Runs detached: reading files blocks its own thread, not the scheduler.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <fstream>
#include <memory>
#include <string>

#include "actors/actors.hpp"
#include "sources/record_reader.hpp"
#include "store/db.hpp"

namespace moviec::actors {

/// Live counters for a progress display; written by the source, read by anyone.
struct IngestProgress {
  std::atomic<std::uint64_t> read{0};
  std::atomic<std::uint64_t> bytes_read{0};
  std::atomic<std::uint64_t> bytes_total{0};
};

struct SourceOptions {
  std::string correlation;          // id of this ingest run, on every event
  std::size_t max_in_flight = 512;
  std::string rejects_path;         // every reject is appended here (TSV); "" = none
  std::size_t rejects_kept = 100;   // rejects kept in the summary itself
  std::chrono::seconds item_timeout{300};
  IngestProgress* progress = nullptr;
};

struct source_state {
  std::shared_ptr<sources::RecordReader> reader;
  ingest_sink sink;  // the matcher (or the registry, for records that carry their movie id)
  store::Db* db = nullptr;
  SourceOptions options;
  IngestSummary summary;
  std::ofstream rejects;
  std::size_t in_flight = 0;
  bool end_of_input = false;
  caf::typed_response_promise<IngestSummary> done;
  static inline const char* name = "source";
};

source_actor::behavior_type source(source_actor::stateful_pointer<source_state> self,
                                   std::shared_ptr<sources::RecordReader> reader,
                                   ingest_sink sink, store::Db* db, SourceOptions options);

}  // namespace moviec::actors
