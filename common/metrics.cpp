#include "common/metrics.hpp"

#include <atomic>
#include <sstream>

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

namespace moviec::metrics {

namespace {

using prometheus::BuildCounter;
using prometheus::BuildGauge;
using prometheus::BuildHistogram;
using prometheus::Counter;
using prometheus::Family;
using prometheus::Gauge;
using prometheus::Histogram;

/// Every metric the process counts, registered once on first use.
struct Metrics {
  prometheus::Registry registry;

  Family<Counter>& events_appended = BuildCounter()
      .Name("moviec_events_appended_total")
      .Help("Events appended to the log, by event type.")
      .Register(registry);
  Histogram& batch_events =
      BuildHistogram()
          .Name("moviec_journal_batch_events")
          .Help("Events per journal commit (group commit batch size).")
          .Register(registry)
          .Add({}, Histogram::BucketBoundaries{1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000});
  Histogram& commit_seconds =
      BuildHistogram()
          .Name("moviec_journal_commit_seconds")
          .Help("Time of one journal commit: the RocksDB write of the batch, fsync included.")
          .Register(registry)
          .Add({}, Histogram::BucketBoundaries{0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
                                               0.025, 0.05, 0.1, 0.25, 0.5, 1});

  Family<Counter>& records_read = BuildCounter()
      .Name("moviec_source_records_read_total")
      .Help("Records read by finished source runs, by source.")
      .Register(registry);
  Family<Counter>& records_changed = BuildCounter()
      .Name("moviec_source_records_changed_total")
      .Help("Records new or changed since the source last gave them, by source.")
      .Register(registry);
  Family<Counter>& records_unchanged = BuildCounter()
      .Name("moviec_source_records_unchanged_total")
      .Help("Records skipped as unchanged (same fingerprint), by source.")
      .Register(registry);
  Family<Counter>& records_rejected = BuildCounter()
      .Name("moviec_source_records_rejected_total")
      .Help("Rows rejected by source runs (see GET /sources/{name}/rejects), by source.")
      .Register(registry);
  Family<Counter>& runs = BuildCounter()
      .Name("moviec_source_runs_total")
      .Help("Source runs finished, by source, way (cli, push, inbox, poll) and state (done, failed).")
      .Register(registry);
  Family<Counter>& poll_failures = BuildCounter()
      .Name("moviec_poll_failures_total")
      .Help("Failed polls of http_changes sources, by source.")
      .Register(registry);

  Counter& actors_spawned = BuildCounter()
      .Name("moviec_movie_actors_spawned_total")
      .Help("Movie actors spawned by the registry.")
      .Register(registry)
      .Add({});
  Gauge& actors_live = BuildGauge()
      .Name("moviec_movie_actors_live")
      .Help("Movie actors alive now (spawned and not evicted).")
      .Register(registry)
      .Add({});

  Family<Counter>& http_requests = BuildCounter()
      .Name("moviec_http_requests_total")
      .Help("HTTP requests answered, by route template, method and status.")
      .Register(registry);
  Family<Histogram>& http_seconds = BuildHistogram()
      .Name("moviec_http_request_duration_seconds")
      .Help("Time from routing an HTTP request to having written its answer, by route template.")
      .Register(registry);
};

/// Never destroyed: a thread still counting while the process exits finds it alive.
Metrics& metrics() {
  static Metrics* m = new Metrics;
  return *m;
}

const Histogram::BucketBoundaries& http_buckets() {
  static const Histogram::BucketBoundaries b{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                             0.25,   0.5,   1,      2.5,   5,    10,   30,    60};
  return b;
}

std::atomic<bool> counting_on{true};

}  // namespace

void set_counting(bool on) { counting_on.store(on, std::memory_order_relaxed); }
bool counting() { return counting_on.load(std::memory_order_relaxed); }

void journal_committed(const AppendTally& tally, double seconds) {
  if (!counting()) return;
  auto& m = metrics();
  for (auto& [type, n] : tally.types()) {
    if (type.empty()) break;
    m.events_appended.Add({{"type", std::string(type)}}).Increment(static_cast<double>(n));
  }
  if (tally.other()) m.events_appended.Add({{"type", "other"}}).Increment(static_cast<double>(tally.other()));
  m.batch_events.Observe(static_cast<double>(tally.events()));
  m.commit_seconds.Observe(seconds);
}

void source_run(const std::string& source, const std::string& way, bool failed, std::uint64_t read,
                std::uint64_t changed, std::uint64_t unchanged, std::uint64_t rejected) {
  if (!counting()) return;
  auto& m = metrics();
  const prometheus::Labels labels{{"source", source}};
  m.records_read.Add(labels).Increment(static_cast<double>(read));
  m.records_changed.Add(labels).Increment(static_cast<double>(changed));
  m.records_unchanged.Add(labels).Increment(static_cast<double>(unchanged));
  m.records_rejected.Add(labels).Increment(static_cast<double>(rejected));
  m.runs.Add({{"source", source}, {"way", way}, {"state", failed ? "failed" : "done"}}).Increment();
}

void poll_failed(const std::string& source) {
  if (!counting()) return;
  metrics().poll_failures.Add({{"source", source}}).Increment();
}

void movie_actor_spawned() {
  if (!counting()) return;
  auto& m = metrics();
  m.actors_spawned.Increment();
  m.actors_live.Increment();
}

void movie_actor_evicted() {
  if (counting()) metrics().actors_live.Decrement();
}

void http_request(std::string_view route, std::string_view method, int status, double seconds) {
  if (!counting()) return;
  auto& m = metrics();
  std::string r(route);
  m.http_requests.Add({{"route", r}, {"method", std::string(method)}, {"status", std::to_string(status)}})
      .Increment();
  m.http_seconds.Add({{"route", r}}, http_buckets()).Observe(seconds);
}

std::string exposition(const std::vector<GaugeFamily>& gauges) {
  std::vector<prometheus::MetricFamily> families;
  if (counting()) families = metrics().registry.Collect();
  for (auto& g : gauges) {
    prometheus::MetricFamily f;
    f.name = g.name;
    f.help = g.help;
    f.type = prometheus::MetricType::Gauge;
    for (auto& s : g.samples) {
      prometheus::ClientMetric c;
      for (auto& [name, value] : s.labels) c.label.push_back({name, value});
      c.gauge.value = s.value;
      f.metric.push_back(std::move(c));
    }
    families.push_back(std::move(f));
  }
  std::ostringstream out;
  prometheus::TextSerializer().Serialize(out, families);
  return out.str();
}

}  // namespace moviec::metrics
