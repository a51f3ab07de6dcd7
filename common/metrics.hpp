#pragma once
// The process's Prometheus metrics (GET /metrics; the list is in docs/operations.md).
//
// The write side only counts: each call below is one line where the thing happens, and
// none of them touches storage. Counters are prometheus-cpp's (an atomic add, no lock);
// a call first finds its labelled child under the family's mutex, so calls are made
// once per batch, run or request, never per record. Values that already are on record
// (projection lag, unmatched records, RocksDB size, inbox files) are not counted here:
// GET /metrics reads them at scrape time and passes them to exposition().
//
// Names follow Prometheus conventions: `moviec_` prefix, `_total` on counters, base
// units (seconds, bytes). Thread-safe throughout.

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace moviec::metrics {

/// Events of one journal commit by type, gathered while its batch is built: a few
/// array slots, no lock, no allocation. Type names must outlive the tally (the
/// static names of events::type_name).
class AppendTally {
 public:
  void add(std::string_view type) {
    for (auto& [name, n] : types_) {
      if (name == type) {
        ++n;
        return;
      }
      if (name.empty()) {
        name = type;
        n = 1;
        return;
      }
    }
    ++other_;
  }
  const std::array<std::pair<std::string_view, std::uint64_t>, 8>& types() const { return types_; }
  std::uint64_t other() const { return other_; }  // past 8 distinct types (none exist today)
  std::uint64_t events() const {
    std::uint64_t total = other_;
    for (auto& t : types_) total += t.second;
    return total;
  }

 private:
  std::array<std::pair<std::string_view, std::uint64_t>, 8> types_{};
  std::uint64_t other_ = 0;
};

// --- the write side: one call where it happens --------------------------------------

/// Config key `metrics`: when off, every call below returns at once and exposition()
/// shows only the scrape-time gauges. On by default; set once at start-up.
void set_counting(bool on);
bool counting();

/// A journal commit stored `tally`'s events in one write taking `seconds` (fsync
/// included): moviec_events_appended_total{type}, moviec_journal_batch_events,
/// moviec_journal_commit_seconds.
void journal_committed(const AppendTally& tally, double seconds);

/// A source run ended (RunRecorder::finish): moviec_source_records_{read,changed,
/// unchanged,rejected}_total{source} and moviec_source_runs_total{source,way,state}.
void source_run(const std::string& source, const std::string& way, bool failed, std::uint64_t read,
                std::uint64_t changed, std::uint64_t unchanged, std::uint64_t rejected);

/// A poll of an http_changes source failed: moviec_poll_failures_total{source}.
void poll_failed(const std::string& source);

/// The registry spawned (evicted) a movie actor: moviec_movie_actors_spawned_total and
/// moviec_movie_actors_live.
void movie_actor_spawned();
void movie_actor_evicted();

/// One HTTP request answered: moviec_http_requests_total{route,method,status} and
/// moviec_http_request_duration_seconds{route}. `route` is the route's path template
/// (`/movies/{id}`), or `unmatched`.
void http_request(std::string_view route, std::string_view method, int status, double seconds);

// --- the read side ------------------------------------------------------------------

/// A gauge read at scrape time.
struct Sample {
  std::map<std::string, std::string> labels;
  double value = 0;
};
struct GaugeFamily {
  std::string name;  // moviec_...
  std::string help;
  std::vector<Sample> samples;
};

/// Every metric above plus `gauges`, in the text exposition format 0.0.4.
std::string exposition(const std::vector<GaugeFamily>& gauges);

/// The Content-Type of exposition().
inline constexpr const char* kContentType = "text/plain; version=0.0.4; charset=utf-8";

}  // namespace moviec::metrics
