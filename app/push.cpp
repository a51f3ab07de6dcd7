#include "app/push.hpp"

#include <cerrno>
#include <chrono>
#include <filesystem>
#include <fstream>

#include "actors/run_recorder.hpp"
#include "sources/record_reader.hpp"
#include "store/health.hpp"

namespace moviec::app {

namespace fs = std::filesystem;
using http::PushRequest;

namespace {

const char* extension(PushRequest::Kind kind) {
  switch (kind) {
    case PushRequest::Kind::json: return ".jsonl";
    case PushRequest::Kind::csv: return ".csv";
    case PushRequest::Kind::tsv: return ".tsv";
  }
  return "";
}

const char* kind_name(PushRequest::Kind kind) {
  return kind == PushRequest::Kind::json ? "JSON" : kind == PushRequest::Kind::csv ? "CSV" : "TSV";
}

/// The source as it reads this body: a layout reads any kind (its columns are the
/// keys or the header); other formats take what their reader reads.
StatusOr<config::SourceConfig> reading_config(const config::SourceConfig& source, PushRequest::Kind kind) {
  config::SourceConfig out = source;
  const bool json = kind == PushRequest::Kind::json;
  if (source.format == "layout") {
    auto& options = out.options;
    const std::string type = options.value("type", "");
    const bool table = type == "csv" || type == "tsv";
    if (json) {
      options["type"] = "json";
      for (auto key : {"delimiter", "header", "columns"}) options.erase(key);
    } else if (!table || (kind == PushRequest::Kind::tsv) != (type == "tsv")) {
      options["type"] = kind == PushRequest::Kind::tsv ? "tsv" : "csv";
      for (auto key : {"delimiter", "header", "columns"}) options.erase(key);
    }
    return out;
  }
  if (source.format == "vega_json") {
    if (json) return out;
    return Status::invalid("source " + source.name + " (format vega_json) takes JSON lines or a JSON array, not " +
                           kind_name(kind));
  }
  if (source.format == "imdb_tsv" || source.format == "http_changes")
    return Status::invalid("source " + source.name + " (format " + source.format +
                           ") takes no pushed records");
  if (json)
    return Status::invalid("source " + source.name + " (format " + source.format + ") takes CSV, not JSON");
  return out;
}

}  // namespace

StatusOr<nlohmann::json> push_ingest(actors::Runtime& runtime, const PushRequest& push) {
  const auto& cfg = runtime.config();
  const auto* source = cfg.find_source(push.source);
  if (!source) return Status::not_found("no source named " + push.source);
  auto reading = reading_config(*source, push.kind);
  if (!reading) return reading.status();

  auto dir = fs::path(cfg.data_dir) / "push";
  std::error_code ec;
  fs::create_directories(dir, ec);
  auto file = dir / (push.request_id + extension(push.kind));
  // The body is kept on the store's disk while it runs: not into the free-space
  // reserve (storage.min_free_bytes; store/health.hpp), and ENOSPC is a full disk.
  const auto reserve = cfg.storage.min_free_bytes;
  auto no_room = [&](const std::string& what) {
    return Status::no_space(what + " (" + std::to_string(push.body.size()) + " bytes pushed, " +
                            std::to_string(store::StoreHealth::free_bytes_at(dir.string())) +
                            " bytes free, reserve storage.min_free_bytes " + std::to_string(reserve) + ")");
  };
  if (auto free = store::StoreHealth::free_bytes_at(dir.string());
      reserve > 0 && free != UINT64_MAX && free < reserve + push.body.size())
    return no_room("no room for the pushed body above the free-space reserve");
  {
    std::ofstream out(file, std::ios::binary);
    out.write(push.body.data(), static_cast<std::streamsize>(push.body.size()));
    out.close();
    if (!out) {
      int err = errno;
      std::error_code rm;
      fs::remove(file, rm);
      if (err == ENOSPC) return no_room("the disk is full: cannot keep the pushed body in " + dir.string());
      return Status::io_error("cannot write " + file.string());
    }
  }
  struct Remove {
    fs::path path;
    ~Remove() {
      std::error_code ec;
      fs::remove(path, ec);
    }
  } remove{file};

  auto reader = sources::open_reader(*reading, {file.string()});
  if (!reader) return Status::invalid(reader.status().message());
  actors::Runtime::IngestOptions options;
  options.correlation = push.request_id;
  options.way = "push";
  options.input = "POST /ingest/" + push.source + " (" + push.request_id + ", " +
                  std::to_string(push.body.size()) + " bytes)";
  auto summary = runtime.ingest_reader(push.source, std::unique_ptr<sources::RecordReader>(reader.take()),
                                       std::move(options));
  if (!summary) return summary.status();
  // What the answer reports is in the read models when it arrives (ingest_reader
  // waits), and is the run's summary on record.
  return actors::summary_json(*summary, summary->seconds);
}

}  // namespace moviec::app
