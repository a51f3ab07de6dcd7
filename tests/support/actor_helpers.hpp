#pragma once
// What the actor tests (tests/actors/) share: a store config in a TempDir, a reader of
// records made in memory, and a source run of such records into a sink.

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "actors/runtime.hpp"
#include "actors/source.hpp"
#include "config/config.hpp"
#include "sources/record_reader.hpp"
#include "support/temp_dir.hpp"

namespace moviec::test {

/// The default config with its store in `dir`, without fsync per write.
inline config::Config test_config(const TempDir& dir) {
  auto cfg = config::Config::defaults();
  cfg.data_dir = dir.str();
  cfg.sync_writes = false;
  return cfg;
}

/// Serves records from memory, as a file reader would from disk.
class VectorReader : public sources::RecordReader {
 public:
  explicit VectorReader(std::vector<events::SourceRecord> records) : records_(std::move(records)) {}
  bool next(sources::Item& out, std::vector<sources::Reject>&) override {
    if (next_ == records_.size()) return false;
    out.record = records_[next_];
    out.input = "memory:" + std::to_string(++next_);
    return true;
  }
  std::uint64_t bytes_read() const override { return next_; }
  std::uint64_t bytes_total() const override { return records_.size(); }

 private:
  std::vector<events::SourceRecord> records_;
  std::size_t next_ = 0;
};

/// A source actor's run of `records` (source "imdb") into `sink`: its summary, once it
/// has read them all and the sink answered each.
inline actors::IngestSummary run_source(actors::Runtime& rt, actors::ingest_sink sink,
                                        std::vector<events::SourceRecord> records,
                                        std::size_t max_in_flight) {
  actors::SourceOptions options;
  options.correlation = "test";
  options.max_in_flight = max_in_flight;
  auto deps = rt.source_deps();
  deps.sink = std::move(sink);
  options.source_name = "imdb";
  auto src = rt.system().spawn<caf::detached>(
      actors::source, std::make_shared<VectorReader>(std::move(records)), deps, options);
  actors::IngestSummary result;
  caf::scoped_actor self{rt.system()};
  self->request(src, caf::duration(std::chrono::seconds(60)), actors::run_atom::value)
      .receive([&](actors::IngestSummary& s) { result = std::move(s); },
               [&](caf::error& e) { FAIL("ingest failed: " << caf::to_string(e)); });
  return result;
}

}  // namespace moviec::test
