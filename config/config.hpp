#pragma once
// moviec's configuration: built-in defaults, optionally overridden by a JSON file.
// Every key is documented in docs/config.md; config/default.json is the default
// configuration written out in full.

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.hpp"
#include "events/field_rules.hpp"
#include "store/storage_defaults.hpp"

namespace moviec::config {

/// One configured data source.
struct SourceConfig {
  std::string name;            // source name on every event ("imdb")
  std::string format;          // reader to use: "imdb_tsv", ...
  bool removals = false;       // a full snapshot file may declare vanished records removed
  nlohmann::json options = nlohmann::json::object();  // format-specific settings
  std::string inbox;           // drop directory `serve` watches; "" = none
  bool inbox_marker = false;   // true: only files with a "<name>.ready" marker are complete
};

/// How sure title + year matching must be (actors/match_decider.hpp).
struct MatchingConfig {
  double min_confidence = 0.8;     // a winner scores at least this (0..1)
  double min_margin_bits = 2.0;    // ... and this many bits of match weight more than the runner-up
  int year_window = 2;             // candidates at most this many years apart (0..3)
  std::size_t max_candidates = 50; // movies scored per record at most
  std::size_t threads = 0;         // threads deciding a batch of records; 0: the machine's cores, at most 4
  std::vector<std::string> several_per_movie;  // sources whose records may share a movie
};

/// The store's file system (store/health.hpp).
struct StorageConfig {
  // Writes are refused (the store turns read-only, HTTP 507) while less than this is
  // free where the store lives; 0: no reserve. Above what RocksDB needs to finish a
  // flush and compaction (memtables 96 MiB, WAL up to 128 MiB).
  std::uint64_t min_free_bytes = 256ull * 1024 * 1024;
  // RocksDB's block cache, shared by every column family (store/storage_defaults.hpp).
  std::uint64_t block_cache_bytes = store::kDefaultBlockCacheBytes;
};

struct Config {
  std::string data_dir = "data";
  std::string listen = "127.0.0.1:8080";  // host:port for `serve`
  std::string token;                      // bearer token for writes; MOVIEC_TOKEN overrides

  // Actors and backpressure.
  std::size_t max_in_flight = 512;        // records a source may have unacknowledged
  std::size_t max_projection_lag = 8192;  // events a run may commit ahead of the read models
  std::size_t interactive_projection_lag = 128;  // the same while pushes come (the last 10 s)
  std::size_t max_live_movies = 10000;    // live movie actors before the registry evicts
  std::chrono::milliseconds movie_idle_timeout{30000};  // idle movie actors stop after this
  std::size_t snapshot_every = 50;        // a movie snapshots after this many new events
  std::size_t snapshots_kept = 3;         // snapshots retained per movie
  std::size_t journal_max_batch = 1024;   // append requests per group commit
  bool sync_writes = true;                // fsync each group commit (acknowledged = durable)
  bool metrics = true;                    // count for GET /metrics (false: only scrape-time gauges)
  std::chrono::milliseconds inbox_scan{1000};  // how often `serve` looks into the inboxes
  std::size_t inbox_checkpoint_every = 10000;  // records between checkpoints of an inbox file

  // The HTTP edge of `serve` (http/connection.hpp).
  std::size_t http_workers = 32;           // requests served at once
  std::size_t http_max_connections = 256;  // open connections (served + waiting); more get 503
  std::size_t http_max_body_bytes = 256 * 1024 * 1024;  // largest request body (413 beyond)
  std::chrono::milliseconds http_header_timeout{10000};  // a request's line and headers arrive within this
  std::chrono::milliseconds http_body_timeout{300000};   // and its body within this
  std::size_t assets_max_bytes = 100 * 1024 * 1024;      // largest blob POST /assets stores (413 beyond)

  StorageConfig storage;
  std::vector<SourceConfig> sources;
  MatchingConfig matching;
  events::FieldRules rules = events::FieldRules::defaults();

  const SourceConfig* find_source(const std::string& name) const;

  /// The built-in configuration (sources "imdb" of format "imdb_tsv", "movielens"
  /// of format "movielens_csv" and "rotten_tomatoes" of format
  /// "rotten_tomatoes_csv", and the default field rules).
  static Config defaults();
};

/// Builds a Config from defaults overridden by `j`. Unknown keys, wrong types and
/// invalid values fail with one message naming the key path, e.g.
/// "rules.fields.title.strategy: unknown strategy \"best\"".
StatusOr<Config> parse(const nlohmann::json& j);

/// Reads and parses a config file; a missing file or bad JSON names the file.
StatusOr<Config> load(const std::string& path);

/// The effective configuration as JSON (GET /config, `moviec config`).
nlohmann::json to_json(const Config& c);

}  // namespace moviec::config
