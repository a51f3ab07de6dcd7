// An IMDb file not sorted by tconst is sorted in memory (sources/sorted_tsv.hpp):
// its memory is the file's bytes plus 24 bytes a line, measured here as the peak
// resident memory (VmHWM) of this test process while it reads one.

#include "sources/sorted_tsv.hpp"

#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>

#include <catch2/catch.hpp>

#include "sources/imdb_reader.hpp"
#include "sources/record_reader.hpp"
#include "support/read_all.hpp"
#include "support/temp_dir.hpp"

using moviec::sources::Item;
using moviec::sources::open_reader;
using moviec::sources::Reject;

namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kSanitized = true;  // shadow memory and quarantine: RSS says nothing
#else
constexpr bool kSanitized = false;
#endif

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

}  // namespace

TEST_CASE("imdb an unsorted basics file costs its size plus 24 bytes a line in memory, no more",
          "[sources][imdb]") {
  moviec::test::TempDir dir;
  const std::uint64_t n = 300000;  // about 22 MB
  auto path = (dir / "title.basics.tsv").string();
  {
    std::ofstream out(path, std::ios::binary);
    out << "tconst\ttitleType\tprimaryTitle\toriginalTitle\tisAdult\tstartYear\tendYear\truntimeMinutes\tgenres\n";
    char row[160];
    for (std::uint64_t i = 0; i < n; ++i) {
      auto id = 1 + (i * 7919) % n;  // every id once, far from sorted (7919 is prime, n is not its multiple)
      int len = std::snprintf(row, sizeof row, "tt%07llu\tmovie\tA Film Number %llu\tA Film Number %llu\t0\t%llu\t\\N\t%llu\tDrama,Comedy\n",
                              static_cast<unsigned long long>(id), static_cast<unsigned long long>(id),
                              static_cast<unsigned long long>(id), static_cast<unsigned long long>(1950 + id % 70),
                              static_cast<unsigned long long>(80 + id % 60));
      out.write(row, len);
    }
  }
  const auto size = std::filesystem::file_size(path);
  const bool peak_reset = reset_peak();
  const long before_kib = peak_reset ? status_kib("VmRSS") : status_kib("VmHWM");

  auto reader = open_reader(moviec::test::source_config("imdb", "imdb_tsv", nlohmann::json::object()), {path});
  REQUIRE(reader.is_ok());
  Item item;
  std::vector<Reject> rejects;
  std::uint64_t count = 0;
  std::string last;
  bool ordered = true;
  while ((*reader)->next(item, rejects)) {
    ++count;
    if (!last.empty() && !moviec::sources::imdb_id_less(last, item.record.source_id)) ordered = false;
    last = item.record.source_id;
  }
  CHECK(rejects.empty());
  CHECK(count == n);
  CHECK(ordered);

  const long peak_kib = status_kib("VmHWM");
  const double growth = static_cast<double>(peak_kib - before_kib) * 1024;
  const double bound = static_cast<double>(size) + 24.0 * n + 8.0 * (1 << 20);  // + 8 MiB for the rest
  INFO("file " << size << " bytes, " << n << " lines; peak grew by " << growth / (1 << 20) << " MiB, bound "
               << bound / (1 << 20) << " MiB (peak reset: " << peak_reset << ")");
  if (kSanitized || before_kib < 0 || peak_kib < 0) {
    WARN("peak memory not measured (sanitizer build or no /proc/self/status)");
    return;
  }
  CHECK(growth < bound);
  CHECK(growth > static_cast<double>(size) * 0.9);  // the file was held: this measured something
}
