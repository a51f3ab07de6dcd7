// The baseline of bench/replay_bench.py: how fast the event log alone can be read.
// Opens DATA/db read-only and scans the log column family twice: raw (keys and
// values touched, nothing parsed), then decoding every event (JSON parse + upcast),
// which is the floor under any replay. Prints one JSON object.
//
// usage: log_scan DATA_DIR

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include <nlohmann/json.hpp>

#include "events/coding.hpp"
#include "store/db.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: log_scan DATA_DIR\n";
    return 2;
  }
  moviec::store::Db::Options options;
  options.read_only = true;
  options.create_if_missing = false;
  auto db = moviec::store::Db::open((std::filesystem::path(argv[1]) / "db").string(), options);
  if (!db) {
    std::cerr << "log_scan: " << db.status().message() << "\n";
    return 1;
  }
  using clock = std::chrono::steady_clock;
  auto seconds_since = [](clock::time_point t) {
    return std::chrono::duration<double>(clock::now() - t).count();
  };

  std::uint64_t events = 0, bytes = 0;
  auto started = clock::now();
  auto it = (*db)->iterator(moviec::store::ColumnFamily::log);
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    ++events;
    bytes += it->key().size() + it->value().size();
  }
  double raw = seconds_since(started);

  std::uint64_t decoded = 0, failed = 0;
  started = clock::now();
  it = (*db)->iterator(moviec::store::ColumnFamily::log);
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    auto e = moviec::events::decode(it->value().ToStringView());
    if (e) ++decoded;
    else ++failed;
  }
  double decode = seconds_since(started);
  std::cout << nlohmann::json{{"events", events},       {"bytes", bytes},
                              {"raw_seconds", raw},     {"decoded", decoded},
                              {"failed", failed},       {"decode_seconds", decode}}
                   .dump()
            << std::endl;
  return failed ? 1 : 0;
}
