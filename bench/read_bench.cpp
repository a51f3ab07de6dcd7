// read_bench: how fast one source format's reader turns files into normalized
// SourceRecords, and its peak memory, without the store or the actors. Run by
// bench/formats_bench.py, once per format and once per baseline.
//
//   read_bench raw FILE...           read the bytes and count lines (the I/O floor)
//   read_bench csv FILE...           split into CSV records, no normalization
//   read_bench FORMAT FILE...        the reader of FORMAT (imdb_tsv, movielens_csv, ...)
//
// Prints one JSON object: {"records", "rejects", "seconds", "peak_rss_mib"}.

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sources/csv_reader.hpp"
#include "sources/record_reader.hpp"

namespace {

// Peak resident memory of this process: VmHWM, which starts afresh at exec (unlike
// getrusage's ru_maxrss, which keeps the peak of the parent that forked us).
double peak_rss_mib() {
  std::FILE* f = std::fopen("/proc/self/status", "r");
  if (!f) return -1;
  char line[256];
  double kib = -1;
  while (std::fgets(line, sizeof line, f))
    if (std::strncmp(line, "VmHWM:", 6) == 0) kib = std::atof(line + 6);
  std::fclose(f);
  return kib / 1024.0;
}

// Lines of the files, read in 64 KiB chunks.
bool count_lines(const std::vector<std::string>& files, std::uint64_t& lines) {
  std::vector<char> buffer(64 * 1024);
  for (auto& path : files) {
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (!f) return false;
    std::size_t n;
    while ((n = std::fread(buffer.data(), 1, buffer.size(), f)) > 0)
      for (std::size_t i = 0; i < n; ++i) lines += buffer[i] == '\n';
    std::fclose(f);
  }
  return true;
}

bool count_csv_records(const std::vector<std::string>& files, std::uint64_t& records) {
  moviec::sources::CsvRecord record;
  for (auto& path : files) {
    auto reader = moviec::sources::CsvReader::open(path);
    if (!reader) return false;
    while (reader->next(record)) ++records;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: read_bench raw|csv|FORMAT FILE...\n";
    return 2;
  }
  std::string mode = argv[1];
  std::vector<std::string> files(argv + 2, argv + argc);
  std::uint64_t records = 0, rejects = 0;
  auto start = std::chrono::steady_clock::now();
  if (mode == "raw") {
    if (!count_lines(files, records)) return 1;
  } else if (mode == "csv") {
    if (!count_csv_records(files, records)) return 1;
  } else {
    moviec::config::SourceConfig source;
    source.name = "bench";
    source.format = mode;
    auto reader = moviec::sources::open_reader(source, files);
    if (!reader) {
      std::cerr << "read_bench: " << reader.status().message() << "\n";
      return 1;
    }
    moviec::sources::Item item;
    std::vector<moviec::sources::Reject> found;
    while ((*reader)->next(item, found)) {
      ++records;
      rejects += found.size();
      found.clear();
    }
    rejects += found.size();
  }
  std::chrono::duration<double> seconds = std::chrono::steady_clock::now() - start;
  std::cout << nlohmann::json{{"records", records},
                              {"rejects", rejects},
                              {"seconds", seconds.count()},
                              {"peak_rss_mib", peak_rss_mib()}}
            << "\n";
  return 0;
}
