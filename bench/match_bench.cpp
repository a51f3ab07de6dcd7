// match_bench: title + year matching against a large store, beside a naive
// matcher on the same input. Run by bench/match_bench.py (which generates the
// input with ../shared/bench/gen.py).
//
//   match_bench STORE_DIR TITLE_BASICS_TSV RT_CSV [MAX_RECORDS]
//
// 1. Fills STORE_DIR (once; a second run reuses it) with what the projection
//    writes for matching, for every movie of the IMDb basics file: the blocking
//    keys (movie_index 'm', store/read_models.cpp) and the compact match facts
//    (matching 'f', store/match_projection.cpp).
// 2. Reads the Rotten Tomatoes file with moviec's reader and times
//    actors::MatchDecider::decide (the matcher's whole decision for a record:
//    its state, a person's decision, crosswalks, blocking, scoring) on every record.
// 3. Times a naive matcher on the same records: a hash map of normalized title +
//    year built in memory, same year then one apart, unique candidate only.
//
// Prints one JSON object with both rates and what each decided.

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>
#include <rocksdb/write_batch.h>

#include "actors/match_decider.hpp"
#include "events/text.hpp"
#include "events/title_key.hpp"
#include "sources/record_reader.hpp"
#include "store/db.hpp"
#include "store/keys.hpp"
#include "store/match_models.hpp"

namespace {

using namespace moviec;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

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

std::vector<std::string> split(const std::string& line, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    auto pos = line.find(sep, start);
    out.push_back(line.substr(start, pos == std::string::npos ? std::string::npos : pos - start));
    if (pos == std::string::npos) return out;
    start = pos + 1;
  }
}

struct Movie {
  std::string id, title;
  int year = 0;
};

// The naive normalization: lower case, accents off, letters and digits only,
// a leading "the/a/an" dropped (as ../shared/bench/naive_match_tmdb_ml.py).
std::string naive_norm(const std::string& title) {
  auto w = events::words(title);
  if (w.size() > 1 && (w[0] == "the" || w[0] == "a" || w[0] == "an")) w.erase(w.begin());
  std::string out;
  for (auto& x : w) out += x;
  return out;
}

bool fill_store(store::Db& db, const std::vector<Movie>& movies, const std::string& basics) {
  // Runtime and genres from the file as well: the facts the projection would keep.
  std::ifstream in(basics);
  std::string line;
  std::getline(in, line);
  rocksdb::WriteBatch batch;
  std::size_t n = 0;
  while (std::getline(in, line)) {
    auto f = split(line, '\t');
    if (f.size() < 9 || f[5] == "\\N") continue;
    store::MovieMatchRecord r;
    r.title = f[2];
    r.year = std::atoi(f[5].c_str());
    if (f[7] != "\\N") r.runtime_minutes = std::atoi(f[7].c_str());
    if (f[8] != "\\N") r.genres = split(f[8], ',');
    for (auto& k : events::title_keys(r.title, {}, false))
      batch.Put(db.cf(store::ColumnFamily::movie_index), store::keys::match_block_prefix(k.key, *r.year) + f[0],
                "");
    batch.Put(db.cf(store::ColumnFamily::matching), store::keys::matching_key(store::keys::kMatchFacts, f[0], ""),
              store::encode_match_record(r));
    if (++n % 20000 == 0) {
      if (!db.write(batch, false)) return false;
      batch.Clear();
    }
  }
  (void)movies;
  return static_cast<bool>(db.write(batch, true));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::cerr << "usage: match_bench STORE_DIR TITLE_BASICS_TSV RT_CSV [MAX_RECORDS]\n";
    return 2;
  }
  std::string dir = argv[1], basics = argv[2], rt = argv[3];
  std::size_t max_records = argc > 4 ? std::stoul(argv[4]) : SIZE_MAX;

  // The movies, for the naive matcher's map (and the count).
  std::vector<Movie> movies;
  {
    std::ifstream in(basics);
    std::string line;
    std::getline(in, line);
    while (std::getline(in, line)) {
      auto f = split(line, '\t');
      if (f.size() < 9 || f[5] == "\\N") continue;
      movies.push_back({f[0], f[2], std::atoi(f[5].c_str())});
    }
  }
  bool fresh = !std::filesystem::exists(std::filesystem::path(dir) / "match_bench.filled");
  auto db = store::Db::open(dir);
  if (!db) {
    std::cerr << "match_bench: " << db.status().message() << "\n";
    return 1;
  }
  double fill_seconds = 0;
  if (fresh) {
    auto t = Clock::now();
    if (!fill_store(**db, movies, basics)) {
      std::cerr << "match_bench: filling the store failed\n";
      return 1;
    }
    fill_seconds = seconds_since(t);
    std::ofstream(std::filesystem::path(dir) / "match_bench.filled") << movies.size() << "\n";
  }

  // The records, read as moviec reads them.
  std::vector<events::SourceRecord> records;
  {
    config::SourceConfig source;
    source.name = "rotten_tomatoes";
    source.format = "rotten_tomatoes_csv";
    auto reader = sources::open_reader(source, {rt});
    if (!reader) {
      std::cerr << "match_bench: " << reader.status().message() << "\n";
      return 1;
    }
    sources::Item item;
    std::vector<sources::Reject> rejects;
    while (records.size() < max_records && (*reader)->next(item, rejects)) records.push_back(item.record);
  }

  // moviec's decision, one record at a time.
  actors::MatchDecider decider(**db, actors::MatchSettings{});
  std::map<std::string, std::size_t> outcomes;
  auto t = Clock::now();
  for (auto& r : records) {
    auto d = decider.decide(r);
    if (!d) {
      std::cerr << "match_bench: " << d.status().message() << "\n";
      return 1;
    }
    ++outcomes[d->matched ? "matched" : d->reason];
  }
  double moviec_seconds = seconds_since(t);

  // The naive matcher: its map is built before the clock starts, as moviec's store is.
  std::unordered_map<std::string, std::vector<std::uint32_t>> by_key;
  by_key.reserve(movies.size());
  for (std::uint32_t i = 0; i < movies.size(); ++i)
    by_key[naive_norm(movies[i].title) + '|' + std::to_string(movies[i].year)].push_back(i);
  std::size_t naive_matched = 0;
  t = Clock::now();
  for (auto& r : records) {
    if (!r.year) continue;
    auto norm = naive_norm(r.title);
    const std::vector<std::uint32_t>* hits = nullptr;
    for (int dy : {0, -1, 1}) {
      auto it = by_key.find(norm + '|' + std::to_string(*r.year + dy));
      if (it != by_key.end()) {
        hits = &it->second;
        break;
      }
    }
    if (hits && hits->size() == 1) ++naive_matched;
  }
  double naive_seconds = seconds_since(t);

  nlohmann::json out{{"movies", movies.size()},
                     {"records", records.size()},
                     {"fill_seconds", fill_seconds},
                     {"moviec_seconds", moviec_seconds},
                     {"moviec_records_per_s", records.size() / std::max(moviec_seconds, 1e-9)},
                     {"moviec_outcomes", outcomes},
                     {"naive_seconds", naive_seconds},
                     {"naive_records_per_s", records.size() / std::max(naive_seconds, 1e-9)},
                     {"naive_matched", naive_matched},
                     {"peak_rss_mib", peak_rss_mib()}};
  std::cout << out << "\n";
  return 0;
}
