// An IMDb file not sorted by tconst is sorted (sources/sorted_tsv.hpp): in memory
// (the file's bytes plus 24 bytes a line) up to sort_memory_bytes, beyond that in
// runs on disk under DATA/tmp/, merged, within sort_memory_bytes. Memory is
// measured as the peak resident memory (VmHWM) of this test process.

#include "sources/sorted_tsv.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "sources/imdb_reader.hpp"
#include "sources/record_reader.hpp"
#include "support/build_kind.hpp"
#include "support/read_all.hpp"
#include "support/temp_dir.hpp"

using moviec::sources::AssetOptions;
using moviec::sources::Item;
using moviec::sources::open_reader;
using moviec::sources::Reject;
using moviec::sources::SortedTsv;
using moviec::sources::TsvLine;

namespace {

using moviec::test::by_build;
using moviec::test::kSanitized;  // shadow memory and quarantine: RSS says nothing there

/// A field of /proc/self/status in KiB ("VmHWM", "VmRSS"); -1 when absent.
long status_kib(const char* field) {
  std::FILE* f = std::fopen("/proc/self/status", "r");
  if (!f) return -1;
  char line[256];
  long kib = -1;
  auto n = std::strlen(field);
  while (std::fgets(line, sizeof line, f))
    if (std::strncmp(line, field, n) == 0 && line[n] == ':') kib = std::atol(line + n + 1);
  std::fclose(f);
  return kib;
}

/// Starts the peak (VmHWM) afresh at the current RSS; false when the kernel will not.
bool reset_peak() {
  std::ofstream clear("/proc/self/clear_refs");
  clear << "5";
  clear.flush();
  return static_cast<bool>(clear);
}

/// A basics file of `n` rows, every id once, far from sorted (7919 is prime, n is
/// not its multiple).
void write_shuffled_basics(const std::string& path, std::uint64_t n) {
  std::ofstream out(path, std::ios::binary);
  out << "tconst\ttitleType\tprimaryTitle\toriginalTitle\tisAdult\tstartYear\tendYear\truntimeMinutes\tgenres\n";
  char row[160];
  for (std::uint64_t i = 0; i < n; ++i) {
    auto id = static_cast<unsigned long long>(1 + (i * 7919) % n);
    int len = std::snprintf(row, sizeof row,
                            "tt%07llu\tmovie\tA Film Number %llu\tA Film Number %llu\t0\t%llu\t\\N\t%llu\tDrama,Comedy\n",
                            id, id, id, 1950 + id % 70, 80 + id % 60);
    out.write(row, len);
  }
}

/// Open descriptors of this process on deleted files under `dir` (the runs).
int deleted_files_open_under(const std::filesystem::path& dir) {
  int count = 0;
  std::error_code ec;
  for (auto& fd : std::filesystem::directory_iterator("/proc/self/fd", ec)) {
    char target[4096];
    auto len = ::readlink(fd.path().c_str(), target, sizeof target - 1);
    if (len <= 0) continue;
    std::string t(target, static_cast<std::size_t>(len));
    if (t.rfind(dir.string() + "/moviec-sort-", 0) == 0 && t.find("(deleted)") != std::string::npos) ++count;
  }
  return count;
}

/// What a reader handed out: how many records, all in tconst order, any rejects.
struct ReadBack {
  std::uint64_t count = 0;
  bool ordered = true;
  std::vector<Reject> rejects;
};

/// Reads `reader` to its end; `on_first` runs once the first record is out.
ReadBack read_back(moviec::sources::RecordReader& reader, const std::function<void()>& on_first = {}) {
  ReadBack out;
  Item item;
  std::string last;
  while (reader.next(item, out.rejects)) {
    if (out.count++ == 0 && on_first) on_first();
    if (!last.empty() && !moviec::sources::imdb_id_less(last, item.record.source_id)) out.ordered = false;
    last = item.record.source_id;
  }
  return out;
}

/// How much the peak (VmHWM, `peak_kib`) grew since `before_kib`, in bytes, checked
/// to be under `bound`; nullopt (with a WARN) where memory cannot be measured.
std::optional<double> check_peak_growth(long before_kib, long peak_kib, double bound, bool peak_reset) {
  const double growth = static_cast<double>(peak_kib - before_kib) * 1024;
  INFO("peak grew by " << growth / (1 << 20) << " MiB, bound " << bound / (1 << 20) << " MiB (peak reset: "
                       << peak_reset << ")");
  if (kSanitized || before_kib < 0 || peak_kib < 0) {
    WARN("peak memory not measured (sanitizer build or no /proc/self/status)");
    return std::nullopt;
  }
  CHECK(growth < bound);
  return growth;
}

/// Every line of `path` as SortedTsv hands them out: "number|too_long|text".
std::vector<std::string> sorted_lines(const std::string& path, moviec::sources::TsvOptions options,
                                      SortedTsv::Spill spill, std::size_t* runs) {
  auto key = [](std::string_view field) -> std::uint64_t {
    std::uint64_t k = 0;
    for (char c : field) k = k * 10 + static_cast<std::uint64_t>(c >= '0' && c <= '9' ? c - '0' : 0);
    return k;
  };
  auto sorted = SortedTsv::load(path, key, options, 1, spill);
  REQUIRE(sorted.is_ok());
  if (runs) *runs = sorted->runs();
  std::vector<std::string> out;
  TsvLine line;
  while (sorted->next(line))
    out.push_back(std::to_string(line.number) + "|" + (line.too_long ? "long" : "") + "|" +
                  std::string(line.text) + "|" + std::to_string(line.fields.size()));
  CHECK(sorted->status().is_ok());
  CHECK(sorted->offset() == sorted->size());
  return out;
}

}  // namespace

TEST_CASE("imdb an unsorted basics file costs its size plus 24 bytes a line in memory, no more",
          "[sources][imdb]") {
  moviec::test::TempDir dir;
  const std::uint64_t n = by_build(300000, 30000);  // about 22 MB (memory not measured when sanitized)
  auto path = (dir / "title.basics.tsv").string();
  write_shuffled_basics(path, n);
  const auto size = std::filesystem::file_size(path);
  const bool peak_reset = reset_peak();
  const long before_kib = peak_reset ? status_kib("VmRSS") : status_kib("VmHWM");

  auto reader = open_reader(moviec::test::source_config("imdb", "imdb_tsv", nlohmann::json::object()), {path});
  REQUIRE(reader.is_ok());
  auto read = read_back(**reader);
  CHECK(read.rejects.empty());
  CHECK(read.count == n);
  CHECK(read.ordered);

  INFO("file " << size << " bytes, " << n << " lines");
  const double bound = static_cast<double>(size) + 24.0 * n + 8.0 * (1 << 20);  // + 8 MiB for the rest
  auto growth = check_peak_growth(before_kib, status_kib("VmHWM"), bound, peak_reset);
  if (growth) CHECK(*growth > static_cast<double>(size) * 0.9);  // the file was held: this measured something
}

TEST_CASE("imdb an unsorted basics file bigger than sort_memory_bytes is sorted in runs under DATA/tmp within that memory",
          "[sources][imdb]") {
  moviec::test::TempDir dir;
  // About 37 MB in 4 MiB; sanitized (memory not measured), 4.4 MB in 512 KiB: the same runs.
  const std::uint64_t n = by_build(500000, 60000);
  const int memory_bytes = by_build(4 << 20, 512 << 10);
  auto path = (dir / "title.basics.tsv").string();
  write_shuffled_basics(path, n);
  const auto size = std::filesystem::file_size(path);
  const auto data = dir / "data";
  const double memory = memory_bytes;
  const bool peak_reset = reset_peak();
  const long before_kib = peak_reset ? status_kib("VmRSS") : status_kib("VmHWM");

  auto reader = open_reader(moviec::test::source_config("imdb", "imdb_tsv", {{"sort_memory_bytes", memory_bytes}}),
                            {path}, AssetOptions{data});
  REQUIRE(reader.is_ok());
  int runs_open = -1;
  auto read = read_back(**reader, [&] { runs_open = deleted_files_open_under(data / "tmp"); });
  CHECK(read.rejects.empty());
  CHECK(read.count == n);
  CHECK(read.ordered);
  // Text + 24 B a line is about 12 times sort_memory_bytes: at least 10 runs, unlinked at once.
  CHECK(runs_open >= 10);
  const long peak_kib = status_kib("VmHWM");
  reader->reset();  // closes the runs
  CHECK(deleted_files_open_under(data / "tmp") == 0);
  CHECK(std::filesystem::is_empty(data / "tmp"));

  INFO("file " << size << " bytes, " << n << " lines");
  // The pieces, then the runs' read buffers (together sort_memory_bytes), + 8 MiB for the rest.
  const double bound = 2 * memory + 8.0 * (1 << 20);
  auto growth = check_peak_growth(before_kib, peak_kib, bound, peak_reset);
  if (growth) CHECK(*growth < static_cast<double>(size) / 2);
}

TEST_CASE("sorted_tsv runs on disk hand out the lines of an in-memory sort: equal keys in file order, too long lines, no last newline",
          "[sources]") {
  moviec::test::TempDir dir;
  auto path = (dir / "lines.tsv").string();
  {
    std::ofstream out(path, std::ios::binary);
    out << "key\tvalue\n";
    for (int i = 0; i < 2000; ++i) {
      out << (i * 37) % 101 << "\tline " << i;  // 101 keys, each ~20 times, far apart
      if (i % 250 == 7) out << '\t' << std::string(300, 'x');  // over max_line_bytes below
      if (i % 3 == 0) out << "\t\t";
      if (i != 1999) out << '\n';
    }
  }
  moviec::sources::TsvOptions options;
  options.max_line_bytes = 200;
  std::size_t memory_runs = 99;
  std::size_t disk_runs = 0;
  auto in_memory = sorted_lines(path, options, {(dir / "tmp").string(), 1 << 20}, &memory_runs);
  auto on_disk = sorted_lines(path, options, {(dir / "tmp").string(), 1000}, &disk_runs);
  CHECK(memory_runs == 0);
  CHECK(disk_runs > 20);
  REQUIRE(in_memory.size() == 2001);
  CHECK(in_memory.front() == "1||key\tvalue|2");
  // Key 0 first (the header, then lines without fields: too long), in file order:
  CHECK(in_memory[1] == "2||0\tline 0\t\t|4");  // i = 0
  CHECK(in_memory[2] == "9|long||0");            // i = 7, over max_line_bytes
  CHECK(in_memory[3] == "103||0\tline 101|2");  // i = 101
  CHECK(in_memory.back() == "1951||100\tline 1949|2");  // i = 1949, the last of the last key (100)
  CHECK(on_disk == in_memory);
}

TEST_CASE("sorted_tsv a sort run that cannot be written fails naming the file, the directory and the reason",
          "[sources]") {
  moviec::test::TempDir dir;
  auto path = (dir / "lines.tsv").string();
  {
    std::ofstream out(path, std::ios::binary);
    out << "key\tvalue\n";
    for (int i = 0; i < 500; ++i) out << (500 - i) << "\tline " << i << '\n';
  }
  std::ofstream(dir / "file") << "not a directory";
  auto key = [](std::string_view field) -> std::uint64_t { return std::stoull(std::string(field)); };
  auto sorted = SortedTsv::load(path, +key, {}, 1, {(dir / "file" / "tmp").string(), 1000});
  REQUIRE_FALSE(sorted.is_ok());
  CHECK_THAT(sorted.status().message(),
             Catch::StartsWith(path + ": not sorted by tconst and sorted on disk: cannot create the directory of a sort run in " +
                               (dir / "file" / "tmp").string() + ": Not a directory"));
}
