// A full disk (issue 10): `ingest` and `serve` hit ENOSPC on a small tmpfs and do
// not abort; the store turns read-only (reads work, writes answer 507, /healthz
// says degraded) and resumes once space is freed; the same run then completes with
// exact counts and `moviec verify` passes. And the free-space reserve
// (storage.min_free_bytes) refuses writes before the cliff.
//
// Mounting a tmpfs needs root (CI runs the tests as root); elsewhere the tmpfs
// case is skipped with a warning. The reserve case needs no mount.

#include <catch2/catch.hpp>

#include <chrono>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <sys/mount.h>
#include <sys/statvfs.h>

#include <nlohmann/json.hpp>

#include "support/ids.hpp"
#include "support/serve.hpp"
#include "support/temp_dir.hpp"

using nlohmann::json;
using namespace moviec::test;
namespace fs = std::filesystem;

namespace {

/// A tmpfs of `mib` MiB mounted on `dir` for the test's lifetime.
class Tmpfs {
 public:
  Tmpfs(const fs::path& dir, int mib) : dir_(dir) {
    fs::create_directories(dir_);
    auto options = "size=" + std::to_string(mib) + "m";
    if (::mount("tmpfs", dir_.c_str(), "tmpfs", 0, options.c_str()) == 0) mounted_ = true;
    else error_ = std::strerror(errno);
  }
  ~Tmpfs() {
    if (mounted_) ::umount2(dir_.c_str(), MNT_DETACH);
  }
  bool mounted() const { return mounted_; }
  const std::string& error() const { return error_; }

  std::uint64_t free_bytes() const {
    struct statvfs fs {};
    ::statvfs(dir_.c_str(), &fs);
    return static_cast<std::uint64_t>(fs.f_bavail) * fs.f_frsize;
  }

  /// Fills the tmpfs until `left` bytes are free, with one file (removed by unfill()).
  void fill_until(std::uint64_t left) {
    auto free = free_bytes();
    std::ofstream out(dir_ / "filler", std::ios::binary | std::ios::app);
    std::string block(1 << 16, 'x');
    for (std::uint64_t n = free > left ? free - left : 0; n > 0;) {
      auto k = std::min<std::uint64_t>(n, block.size());
      out.write(block.data(), static_cast<std::streamsize>(k));
      n -= k;
    }
  }
  void unfill() { fs::remove(dir_ / "filler"); }

 private:
  fs::path dir_;
  bool mounted_ = false;
  std::string error_;
};

/// title.basics.tsv with movies 1..n.
std::string write_imdb(const TempDir& dir, int n) {
  auto path = (dir / "title.basics.tsv").string();
  std::ofstream out(path);
  out << "tconst\ttitleType\tprimaryTitle\toriginalTitle\tisAdult\tstartYear\tendYear\truntimeMinutes\tgenres\n";
  for (int i = 1; i <= n; ++i)
    out << imdb_id(i) << "\tmovie\tA Film Number " << i << "\tA Film Number " << i << "\t0\t"
        << 1950 + i % 70 << "\t\\N\t" << 80 + i % 60 << "\tDrama,Comedy\n";
  return path;
}

/// JSON lines for the "feed" source: records first..first+n-1, each naming an IMDb id.
std::string feed_body(int first, int n) {
  std::ostringstream body;
  for (int i = first; i < first + n; ++i)
    body << R"({"id": "f)" << i << R"(", "imdb": ")" << imdb_id(i) << R"(", "title": "A Film Number )" << i
         << " (feed)\"}\n";
  return body.str();
}

std::string write_disk_full_config(const TempDir& dir, const std::string& data, std::uint64_t min_free_bytes) {
  json feed{{"type", "jsonl"}, {"source_id", "id"}, {"movie_id", "imdb"},
            {"fields", {{{"column", "title"}, {"field", "title"}}}}};
  json config{{"data_dir", data},
              {"token", "s3cret"},
              {"storage", {{"min_free_bytes", min_free_bytes}}},
              {"sources",
               {{{"name", "imdb"}, {"format", "imdb_tsv"}},
                {{"name", "feed"}, {"format", "layout"}, {"options", feed}}}}};
  auto path = (dir / "moviec.json").string();
  std::ofstream(path) << config.dump();
  return path;
}

/// `moviec ingest --json` under a hard time limit; exit code and the summary.
std::pair<int, json> ingest(const std::string& config, const std::string& file) {
  auto r = run_moviec_timed(180, {"ingest", "--config", config, "--source", "imdb", "--json", file});
  return {r.exit_code, json::parse(r.out, nullptr, false)};
}

httplib::Result push(Serving& s, const std::string& body) {
  return s.client().Post("/ingest/feed", {{"Authorization", "Bearer s3cret"}}, body, "application/x-ndjson");
}

std::uint64_t stat_of(Serving& s, const std::string& key) {
  auto stats = s.get("/stats");
  return stats.is_object() && stats.contains(key) ? stats[key].get<std::uint64_t>() : 0;
}

/// A 64 MiB tmpfs under a fresh directory, a data directory on it and a config with
/// no reserve (the disk itself fills).
struct SmallDisk {
  TempDir dir;
  Tmpfs disk{dir / "disk", 64};
  std::string data = (dir / "disk" / "data").string();
  std::string config = write_disk_full_config(dir, data, 0);

  /// False, with a warning, where no tmpfs can be mounted (the test needs root).
  bool usable() const {
    if (!disk.mounted()) WARN("cannot mount a tmpfs here (" + disk.error() + "; the test needs root): skipped");
    return disk.mounted();
  }

  /// usable(), and then a store of 300 movies ingested.
  bool seeded() {
    if (!usable()) return false;
    auto [code, summary] = ingest(config, write_imdb(dir, 300));
    REQUIRE(code == 0);
    return true;
  }
};

/// `moviec verify` passes on the store.
void check_verified(const std::string& config) {
  auto verified = run_moviec_timed(60, {"verify", "--config", config});
  INFO(verified.out);
  CHECK(verified.exit_code == 0);
}

}  // namespace

TEST_CASE("an ingest that fills the disk fails with the reason, no abort, and completes once space is freed",
          "[e2e][disk]") {
  SmallDisk small;
  if (!small.usable()) return;
  auto& [dir, disk, data, config] = small;
  const int movies = 3000;
  auto imdb = write_imdb(dir, movies);

  // --- ingest: ENOSPC mid-run is a failed run with the reason, not an abort -----------
  disk.fill_until(3 << 19);  // 1.5 MiB: less than the run writes
  auto [code, summary] = ingest(config, imdb);
  INFO(summary.dump());
  CHECK(code == 1);  // not 134 (SIGABRT) nor 137 (the time limit)
  REQUIRE(summary.is_object());
  CHECK(summary["failed"].get<std::uint64_t>() > 0);
  CHECK_THAT(summary["error"].get<std::string>(), Catch::Contains("read-only") || Catch::Contains("No space"));
  // It stops at the first refusal rather than read (and fail) the rest of the file.
  CHECK(summary["read"].get<int>() < movies);
  CHECK_THAT(summary["error"].get<std::string>(), Catch::Contains("the rest of the input was not read"));

  // Space back: the same run completes, exactly.
  disk.unfill();
  auto [code2, again] = ingest(config, imdb);
  INFO(again.dump());
  CHECK(code2 == 0);
  CHECK(again["read"] == movies);
  CHECK(again["failed"] == 0);
  CHECK(again["changed"].get<std::uint64_t>() + again["unchanged"].get<std::uint64_t>() == movies);

  check_verified(config);
}

TEST_CASE("serve on a full disk answers pushes 507, keeps reading, says degraded, and takes the push once space is freed",
          "[e2e][disk]") {
  SmallDisk small;
  if (!small.seeded()) return;
  auto& [dir, disk, data, config] = small;

  Serving s(data, {"--config", config});
  disk.fill_until(3 << 19);  // 1.5 MiB: a few pushes fill it
  const int per_push = 300;
  int acknowledged = 0;  // records of the pushes answered 200
  int refused_from = 0;  // first record of the push refused
  for (int i = 0; i < 40 && refused_from == 0; ++i) {
    int from = 1000 + i * per_push;
    auto res = push(s, feed_body(from, per_push));
    REQUIRE(res);  // an answer, never silence
    INFO(res->status << " " << res->body);
    if (res->status == 200) {
      acknowledged += per_push;
      continue;
    }
    CHECK(res->status == 507);
    CHECK(res->has_header("Retry-After"));
    refused_from = from;
  }
  REQUIRE(refused_from > 0);

  // Read-only: reads answer, the health says why writes are refused.
  int status = 0;
  auto health = s.get("/healthz", &status);
  CHECK(status == 200);
  CHECK(health["status"] == "degraded");
  CHECK(health["storage"]["state"] == "read_only");
  s.get("/movies/" + imdb_id(3), &status);
  CHECK(status == 200);

  // Space back: the store turns writable by itself and the refused push goes in whole.
  disk.unfill();
  CHECK(wait_until([&] { return s.get("/healthz")["status"] == "ok"; }, std::chrono::seconds(30)));
  auto res = push(s, feed_body(refused_from, per_push));
  REQUIRE(res);
  INFO(res->body);
  REQUIRE(res->status == 200);
  auto summary = json::parse(res->body);
  CHECK(summary["failed"] == 0);
  CHECK(summary["changed"].get<int>() + summary["unchanged"].get<int>() == per_push);
  auto records = [&] {
    auto stats = s.get("/stats");
    return stats["sources"]["feed"]["records"].get<int>();
  };
  CHECK(wait_until([&] { return records() == acknowledged + per_push; }, std::chrono::seconds(30)));
  s.process().signal(SIGTERM);
  CHECK(s.process().wait() == 0);  // a clean stop, no abort
  check_verified(config);
}

TEST_CASE("serve on a store whose disk is already full opens it read-only, serves reads, and takes writes once space is freed",
          "[e2e][disk]") {
  SmallDisk small;
  if (!small.seeded()) return;
  auto& [dir, disk, data, config] = small;
  disk.fill_until(0);  // not a byte left: opening the store for writing fails

  // ingest cannot write: it says why and exits, no abort.
  auto [code, summary] = ingest(config, write_imdb(dir, 300));
  INFO(summary.dump());
  CHECK(code == 1);

  Serving s(data, {"--config", config});
  int status = 0;
  auto health = s.get("/healthz", &status);
  INFO(health.dump());
  CHECK(status == 200);
  CHECK(health["status"] == "degraded");
  CHECK(health["storage"]["state"] == "read_only");
  CHECK_THAT(health["storage"]["reason"].get<std::string>(), Catch::Contains("No space left"));
  auto movie = s.get("/movies/" + imdb_id(3), &status);
  CHECK(status == 200);
  CHECK(movie["title"] == "A Film Number 3");
  CHECK(stat_of(s, "movies") == 300);
  auto refused = push(s, feed_body(1, 5));
  REQUIRE(refused);
  CHECK(refused->status == 507);
  CHECK_THAT(refused->body, Catch::Contains("No space left"));

  // Space back: the store is reopened for writing by itself and the push goes in.
  disk.unfill();
  CHECK(wait_until([&] { return s.get("/healthz")["status"] == "ok"; }, std::chrono::seconds(30)));
  auto res = push(s, feed_body(1, 5));
  REQUIRE(res);
  INFO(res->body);
  REQUIRE(res->status == 200);
  CHECK(json::parse(res->body)["changed"] == 5);
  CHECK(wait_until([&] { return s.get("/movies/" + imdb_id(3))["sources"].size() == 2; }, std::chrono::seconds(30)));
  s.process().signal(SIGTERM);
  CHECK(s.process().wait() == 0);
  check_verified(config);
}

TEST_CASE("writes below the free-space reserve are refused with 507 and the reason, reads go on",
          "[e2e][disk]") {
  TempDir dir;
  auto data = (dir / "data").string();
  // Seed the store with the reserve off, then ask for more free space than any disk has.
  auto seed = write_disk_full_config(dir, data, 0);
  auto imdb = write_imdb(dir, 20);
  auto [seeded, first] = ingest(seed, imdb);
  REQUIRE(seeded == 0);
  auto config = write_disk_full_config(dir, data, std::uint64_t{1} << 60);

  auto [code, summary] = ingest(config, imdb);
  INFO(summary.dump());
  CHECK(code == 1);
  REQUIRE(summary.is_object());
  CHECK_THAT(summary["error"].get<std::string>(), Catch::Contains("storage.min_free_bytes"));

  Serving s(data, {"--config", config});
  int status = 0;
  auto health = s.get("/healthz", &status);
  CHECK(status == 200);
  CHECK(health["status"] == "degraded");
  CHECK(health["storage"]["state"] == "read_only");
  CHECK(health["storage"]["min_free_bytes"] == std::uint64_t{1} << 60);
  CHECK_THAT(health["storage"]["reason"].get<std::string>(), Catch::Contains("storage.min_free_bytes"));
  auto res = push(s, feed_body(1, 5));
  REQUIRE(res);
  CHECK(res->status == 507);
  CHECK_THAT(res->body, Catch::Contains("storage.min_free_bytes"));
  s.get("/movies/" + imdb_id(3), &status);
  CHECK(status == 200);
  CHECK(stat_of(s, "movies") == 20);
}
