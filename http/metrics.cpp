// GET /metrics: the Prometheus exposition. Counters come from common/metrics (the
// write side counts as it goes); the gauges below are read from what is on record,
// at scrape time, so the write path pays nothing for them.

#include <filesystem>
#include <string>
#include <vector>

#include "common/metrics.hpp"
#include "http/handlers.hpp"
#include "http/params.hpp"
#include "store/match_models.hpp"

namespace moviec::http {

namespace fs = std::filesystem;

namespace {

/// Bytes of every file under `dir` (RocksDB's SST, WAL, manifest, ...).
double size_on_disk(const std::string& dir) {
  std::uintmax_t total = 0;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code entry_ec;
    if (it->is_regular_file(entry_ec)) {
      auto size = it->file_size(entry_ec);
      if (!entry_ec) total += size;
    }
  }
  return static_cast<double>(total);
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

/// Complete files waiting in an inbox, by the inbox actor's rule (actors/inbox.cpp):
/// regular files, not hidden or .tmp/.part/.ready, with a .ready marker when the
/// source asks for one.
double inbox_waiting(const config::SourceConfig& source) {
  double n = 0;
  std::error_code ec;
  const fs::path dir = source.inbox;
  for (auto& entry : fs::directory_iterator(dir, ec)) {
    std::error_code type_ec;
    if (!entry.is_regular_file(type_ec)) continue;
    auto name = entry.path().filename().string();
    if (name.empty() || name[0] == '.' || ends_with(name, ".tmp") || ends_with(name, ".part") ||
        ends_with(name, ".ready"))
      continue;
    if (source.inbox_marker && !fs::exists(dir / (name + ".ready"), type_ec)) continue;
    ++n;
  }
  return n;
}

metrics::GaugeFamily gauge(std::string name, std::string help, double value) {
  return {std::move(name), std::move(help), {metrics::Sample{{}, value}}};
}

}  // namespace

// GET /metrics
StatusOr<Response> get_metrics(Context& ctx, const Request& req) {
  check_params(req, {});
  const double head = static_cast<double>(ctx.log.last_sequence());
  const double checkpoint = static_cast<double>(ctx.models.checkpoint());
  std::vector<metrics::GaugeFamily> gauges;
  gauges.push_back(gauge("moviec_log_last_sequence", "The last sequence of the event log.", head));
  gauges.push_back(gauge("moviec_projection_checkpoint",
                         "The last event the read models include.", checkpoint));
  gauges.push_back(gauge("moviec_projection_lag_events",
                         "Events appended but not yet in the read models (log head minus checkpoint).",
                         head > checkpoint ? head - checkpoint : 0));
  gauges.push_back(gauge("moviec_rocksdb_size_bytes",
                         "Bytes on disk of the RocksDB directory (SST, WAL, manifest).",
                         size_on_disk(ctx.db.path())));
  auto stats = ctx.models.stats();
  if (!stats) return stats.status();
  gauges.push_back(gauge("moviec_movies", "Movies in the read model.",
                         (*stats).value("movies", 0.0)));

  metrics::GaugeFamily unmatched{"moviec_unmatched_records",
                                 "Source records in no movie (unmatched, ambiguous or no match), by source.",
                                 {}};
  metrics::GaugeFamily inbox{"moviec_inbox_files_waiting",
                             "Complete files waiting in a source's inbox, by source.", {}};
  store::MatchModels match(ctx.db);
  for (auto& source : ctx.config.sources) {
    auto report = match.report(source.name);
    if (!report) return report.status();
    double records = (*report)["records"].get<double>();
    double matched = (*report)["matched"].get<double>();
    unmatched.samples.push_back({{{"source", source.name}}, records - matched});
    if (!source.inbox.empty())
      inbox.samples.push_back({{{"source", source.name}}, inbox_waiting(source)});
  }
  gauges.push_back(std::move(unmatched));
  gauges.push_back(std::move(inbox));

  Response r;
  r.content_type = metrics::kContentType;
  r.body = metrics::exposition(gauges);
  return r;
}

}  // namespace moviec::http
