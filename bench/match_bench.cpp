// match_bench: title + year matching against a large store, beside a naive
// matcher on the same input. Run by bench/match_bench.py (which generates the
// input with ../shared/bench/gen.py).
//
//   match_bench STORE_DIR TITLE_BASICS_TSV RT_CSV [MAX_RECORDS [--no-legacy]]
//
// 1. Fills STORE_DIR (once; a second run reuses it) with what the projection
//    writes for matching, for every movie of the IMDb basics file: the blocking
//    keys with their facts (matching 'b'), the compact match facts ('f', both
//    store/match_projection.cpp) and, for the earlier layout, movie_index 'm'
//    (store/read_models.cpp).
// 2. Reads the Rotten Tomatoes file with moviec's reader and times
//    actors::MatchDecider::decide (the matcher's whole decision for a record:
//    its state, a person's decision, crosswalks, blocking, scoring) on every record,
//    twice: on this build's layout, then as on a store folded by an earlier build
//    ('m' blocking and a point lookup per candidate; skipped with --no-legacy).
//    Then the same decisions as the matcher actor takes them (actors/matcher.cpp):
//    in batches of 128 records (a source's batch), each decided on every core by
//    actors::BatchDecider, and checks that they equal the one-by-one decisions.
// 3. Times a naive matcher on the same records: a hash map of normalized title +
//    year built in memory, same year then one apart, unique candidate only.
//
// Prints one JSON object with both rates and what each decided.

#include <chrono>
#include <ctime>
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
#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include "actors/batch_decider.hpp"
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

/// CPU seconds of this thread: on a shared machine the wall clock also counts the
/// time other processes had the cores.
double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

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

bool fill_store(store::Db& db, const std::string& basics) {
  // Runtime and genres from the file as well: the facts the projection would keep.
  std::ifstream in(basics);
  std::string line;
  std::getline(in, line);
  rocksdb::WriteBatch batch;
  std::size_t n = 0;
  std::map<std::string, std::optional<std::string>> writes;
  auto* matching = db.cf(store::ColumnFamily::matching);
  while (std::getline(in, line)) {
    auto f = split(line, '\t');
    if (f.size() < 9 || f[5] == "\\N") continue;
    store::MovieMatchRecord r;
    r.title = f[2];
    r.year = std::atoi(f[5].c_str());
    if (f[7] != "\\N") r.runtime_minutes = std::atoi(f[7].c_str());
    if (f[8] != "\\N") r.genres = split(f[8], ',');
    // movie_index 'm' (store/read_models.cpp): what a store of an earlier build blocks on.
    for (auto& k : events::title_keys(r.title, {}, false))
      batch.Put(db.cf(store::ColumnFamily::movie_index), store::keys::match_block_prefix(k.key, *r.year) + f[0],
                "");
    // matching 'f' and 'b' (store/match_projection.cpp).
    writes.clear();
    store::match_record_writes(f[0], std::nullopt, r, writes);
    for (auto& [key, value] : writes)
      if (value) batch.Put(matching, key, *value);
    if (++n % 20000 == 0) {
      if (!db.write(batch, false)) return false;
      batch.Clear();
    }
  }
  batch.Put(matching, store::keys::matching_key(store::keys::kMatchLayout, "blocking", ""), "1");
  if (!db.write(batch, true)) return false;
  // Settled, as a store is some time after its ingest: flushed and compacted, so
  // that the timed passes neither replay a WAL nor run beside a compaction.
  for (auto family : {store::ColumnFamily::matching, store::ColumnFamily::movie_index}) {
    rocksdb::CompactRangeOptions o;
    if (!db.raw()->CompactRange(o, db.cf(family), nullptr, nullptr).ok()) return false;
  }
  return true;
}

/// One timed pass of MatchDecider::decide over every record.
struct Pass {
  double seconds = 0;
  double cpu_seconds = 0;
  std::map<std::string, std::size_t> outcomes;
  std::vector<std::string> decided;  // per record: the movie, or the reason

  /// Counts one decision; false (said on stderr) when it failed.
  bool add(const StatusOr<actors::MatchDecision>& d) {
    if (!d) {
      std::cerr << "match_bench: " << d.status().message() << "\n";
      return false;
    }
    ++outcomes[d->matched ? "matched" : d->reason];
    decided.push_back(d->matched ? d->movie_id : d->reason);
    return true;
  }
};

bool run_pass(store::Db& db, const std::vector<events::SourceRecord>& records, Pass& out) {
  actors::MatchDecider decider(db, actors::MatchSettings{});
  out.decided.reserve(records.size());
  auto t = Clock::now();
  double cpu = thread_cpu_seconds();
  for (auto& r : records)
    if (!out.add(decider.decide(r))) return false;
  out.seconds = seconds_since(t);
  out.cpu_seconds = thread_cpu_seconds() - cpu;
  return true;
}

/// CPU seconds of the whole process (all threads).
double process_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

/// The same decisions as the matcher actor takes them: batches of a source's size,
/// each decided by BatchDecider on every core.
bool run_batch_pass(store::Db& db, const std::vector<events::SourceRecord>& records, Pass& out) {
  constexpr std::size_t kBatch = 128;  // actors::SourceOptions::batch_size
  actors::PendingHolders holders;
  actors::BatchDecider decider(db, actors::MatchSettings{}, &holders);
  out.decided.reserve(records.size());
  auto t = Clock::now();
  double cpu = process_cpu_seconds();
  std::vector<actors::DecideItem> items;
  for (std::size_t from = 0; from < records.size(); from += kBatch) {
    items.clear();
    for (std::size_t i = from; i < std::min(records.size(), from + kBatch); ++i) items.push_back({&records[i], ""});
    for (auto& d : decider.decide(items))
      if (!out.add(d)) return false;
  }
  out.seconds = seconds_since(t);
  out.cpu_seconds = process_cpu_seconds() - cpu;
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::cerr << "usage: match_bench STORE_DIR TITLE_BASICS_TSV RT_CSV [MAX_RECORDS]\n";
    return 2;
  }
  std::string dir = argv[1], basics = argv[2], rt = argv[3];
  std::size_t max_records = argc > 4 ? std::stoul(argv[4]) : SIZE_MAX;
  const bool skip_legacy = argc > 5 && std::string(argv[5]) == "--no-legacy";

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
  // A store filled by an earlier version of this bench lacks the 'b' keys: filled again.
  const auto filled_marker = std::filesystem::path(dir) / "match_bench.filled3";
  bool fresh = !std::filesystem::exists(filled_marker);
  auto db = store::Db::open(dir);
  if (!db) {
    std::cerr << "match_bench: " << db.status().message() << "\n";
    return 1;
  }
  double fill_seconds = 0;
  if (fresh) {
    auto t = Clock::now();
    if (!fill_store(**db, basics)) {
      std::cerr << "match_bench: filling the store failed\n";
      return 1;
    }
    fill_seconds = seconds_since(t);
    std::ofstream(filled_marker) << movies.size() << "\n";
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

  // moviec's decision, one record at a time: the blocking keys with their facts
  // (this build's store), then the layout of a store folded by an earlier build
  // (movie_index blocking, one point lookup per candidate), made by taking the
  // marker key away for that pass.
  const auto marker = store::keys::matching_key(store::keys::kMatchLayout, "blocking", "");
  Pass moviec, batched, legacy;
  if (!run_pass(**db, records, moviec)) return 1;
  if (!run_batch_pass(**db, records, batched)) return 1;
  std::size_t batch_same = 0;
  for (std::size_t i = 0; i < batched.decided.size(); ++i) batch_same += batched.decided[i] == moviec.decided[i];
  const bool with_legacy = !skip_legacy;
  if (with_legacy) {
    rocksdb::WriteBatch b;
    b.Delete((*db)->cf(store::ColumnFamily::matching), marker);
    (void)(*db)->write(b, false);
    bool ok = run_pass(**db, records, legacy);
    b.Clear();
    b.Put((*db)->cf(store::ColumnFamily::matching), marker, "1");
    (void)(*db)->write(b, true);
    if (!ok) return 1;
  }
  std::size_t same = 0;
  for (std::size_t i = 0; i < legacy.decided.size(); ++i) same += legacy.decided[i] == moviec.decided[i];
  double moviec_seconds = moviec.seconds;
  auto& outcomes = moviec.outcomes;

  // The naive matcher: its map is built before the clock starts, as moviec's store is.
  std::unordered_map<std::string, std::vector<std::uint32_t>> by_key;
  by_key.reserve(movies.size());
  for (std::uint32_t i = 0; i < movies.size(); ++i)
    by_key[naive_norm(movies[i].title) + '|' + std::to_string(movies[i].year)].push_back(i);
  std::size_t naive_matched = 0;
  auto t = Clock::now();
  double naive_cpu = thread_cpu_seconds();
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
  naive_cpu = thread_cpu_seconds() - naive_cpu;

  nlohmann::json out{{"movies", movies.size()},
                     {"records", records.size()},
                     {"fill_seconds", fill_seconds},
                     {"moviec_seconds", moviec_seconds},
                     {"moviec_records_per_s", records.size() / std::max(moviec_seconds, 1e-9)},
                     {"moviec_outcomes", outcomes},
                     {"moviec_cpu_seconds", moviec.cpu_seconds},
                     {"batch_seconds", batched.seconds},
                     {"batch_cpu_seconds", batched.cpu_seconds},
                     {"batch_records_per_s", records.size() / std::max(batched.seconds, 1e-9)},
                     {"batch_threads", 1 + actors::BatchDecider::default_helpers()},
                     {"batch_same_decision", batch_same},
                     {"legacy_seconds", legacy.seconds},
                     {"legacy_cpu_seconds", legacy.cpu_seconds},
                     {"naive_cpu_seconds", naive_cpu},
                     {"legacy_records_per_s", with_legacy ? records.size() / std::max(legacy.seconds, 1e-9) : 0.0},
                     {"legacy_outcomes", legacy.outcomes},
                     {"legacy_same_decision", same},
                     {"naive_seconds", naive_seconds},
                     {"naive_records_per_s", records.size() / std::max(naive_seconds, 1e-9)},
                     {"naive_matched", naive_matched},
                     {"peak_rss_mib", peak_rss_mib()}};
  std::cout << out << "\n";
  return 0;
}
