// Chaos: `moviec serve` with an inbox, a poller and pushes all busy at once, killed
// (SIGKILL, as a crash) at 10 random moments and restarted each time on the same
// data directory. What a user could check, from the outside, after each restart and
// at the end:
//   - every push answered 200 is in the log exactly once: each pushed record is one
//     SourceRecordChanged in GET /events (pushes not answered are sent again, as a
//     client would, and must not double anything);
//   - every inbox file in processed/ is in the log exactly once, and once the last
//     restart has drained, every file is in processed/ (none stuck, none failed);
//   - the poll cursor never skips a change: every change before the stored cursor
//     is in the log, and once the feed is drained every record's latest version is;
//   - no content is ever appended twice, every event id is unique, and `moviec
//     verify` passes after every kill and at the end.
//
// The seed (printed; set MOVIEC_CHAOS_SEED to repeat one) fixes the kill moments,
// the pushes, the files and the feed's changes; thread timing still varies.
//
// Not in CI's ASan lane: its name says "kill -9", which that ctest excludes
// (scripts/test.sh). Under ASan moviec is ~15x slower, and this test starts serve
// 11 times and runs verify 11 times over a growing log: minutes, where CI has
// none to spare; its kill moments are also timed for release speed. The recovery
// paths it drives run in release here. build_kind.hpp still gives it smaller sizes
// in a sanitizer build, for running it there by hand (ctest -R chaos).

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/build_kind.hpp"
#include "support/fake_feed.hpp"
#include "support/process.hpp"
#include "support/serve.hpp"
#include "support/ids.hpp"
#include "support/temp_dir.hpp"

using nlohmann::json;
using namespace moviec::test;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

constexpr int kKills = 10;
// Sizes: the work is handed out in kKills + 1 equal shares, one per life of the
// server, paced over a mean life so that pushes, inbox files and polls are in flight
// at every kill; the last share is drained after the last restart.
constexpr int kPushes = by_build(132, 44);
constexpr int kFiles = by_build(22, 11);
constexpr int kChanges = by_build(132, 55);
constexpr int kMovies = by_build(250, 80);  // records of all three sources share these movies
// How long the server runs before each kill, in ms (uniform in [min, max]).
constexpr int kUpMin = by_build(300, 1000);
constexpr int kUpMax = by_build(1800, 4000);
constexpr int kUpMean = (kUpMin + kUpMax) / 2;
// Producer pacing, in ms: a share over ~80% of a mean life (two pushers).
constexpr int kPushEvery = 2 * kUpMean * 8 / 10 / (kPushes / (kKills + 1));
constexpr int kFileEvery = kUpMean * 8 / 10 / std::max(1, kFiles / (kKills + 1));
constexpr int kChangeEvery = 2 * kUpMean * 8 / 10 / (kChanges / (kKills + 1));  // 1 to 3 changes at a time
// Every wait's deadline (only reached when something is wrong).
constexpr auto kDeadline = std::chrono::seconds(by_build(180, 500));

const char* kChaosToken = "chaos";

/// The IMDb id of chaos movie `movie` (tt1000000 and up).
std::string chaos_imdb_id(int movie) { return imdb_id(1000000 + movie); }

json layout_jsonl() {
  return json::parse(R"({"type": "jsonl", "source_id": "id", "movie_id": "imdb",
    "fields": [{"column": "title", "field": "title", "required": true},
               {"column": "year", "field": "year", "type": "int"}]})");
}

std::string write_chaos_config(const TempDir& dir, const FakeFeed& feed) {
  json poll{{"changes_url", feed.url("/movie/changes")},
            {"record_url", feed.url("/movie/{id}")},
            {"start_date", "2024-01-01"},
            {"interval_ms", 100},
            {"timeout_ms", 3000},
            {"retries", 1},
            {"backoff_ms", 50},
            {"max_backoff_ms", 500},
            {"layout",
             {{"source_id", "id"},
              {"movie_id", "imdb_id"},
              {"fields",
               {{{"column", "title"}, {"field", "title"}},
                {{"column", "release_date"}, {"field", "year"}, {"type", "date"}}}}}}};
  json config{{"token", kChaosToken},
              {"inbox_scan_ms", 50},
              {"inbox_checkpoint_every", 10},
              {"sources",
               {{{"name", "pushed"}, {"format", "layout"}, {"options", layout_jsonl()}},
                {{"name", "dropped"}, {"format", "layout"}, {"options", layout_jsonl()},
                 {"inbox", (dir / "inbox").string()}},
                {{"name", "tmdb"}, {"format", "http_changes"}, {"options", poll}}}}};
  auto path = (dir / "moviec.json").string();
  std::ofstream(path) << config.dump(2);
  return path;
}

/// One record of a push or an inbox file: a JSON line, under its source id.
struct Line {
  std::string source_id;
  std::string text;
};

std::vector<Line> make_lines(const std::string& prefix, int count, std::mt19937& rng) {
  std::vector<Line> out;
  for (int k = 0; k < count; ++k) {
    std::string id = prefix + "-" + std::to_string(k);
    int movie = static_cast<int>(rng() % kMovies);
    json line{{"id", id}, {"imdb", chaos_imdb_id(movie)}, {"title", "Chaos " + id}, {"year", 1950 + movie % 70}};
    out.push_back({id, line.dump()});
  }
  return out;
}

std::string body_of(const std::vector<Line>& lines) {
  std::string body;
  for (auto& l : lines) body += l.text + "\n";
  return body;
}

/// A change of the feed: record `id` now at `version` (its title says so).
struct Change {
  std::string id;
  int version;
};

json feed_record(const Change& c) {
  int n = std::stoi(c.id);
  return {{"id", n}, {"imdb_id", chaos_imdb_id(n % kMovies)},
          {"title", "Polled " + c.id + " v" + std::to_string(c.version)},
          {"release_date", std::to_string(1950 + n % 70) + "-06-01"}};
}

/// The version a polled title names ("Polled 7 v3" -> 3), -1 when it names none.
int version_of(const std::string& title) {
  auto v = title.rfind(" v");
  if (v == std::string::npos) return -1;
  return std::atoi(title.c_str() + v + 2);
}

/// What GET /events shows: every event id, and per (source, source_id) the titles
/// of its SourceRecordChanged events in log order.
struct LogView {
  std::map<std::string, int> ids;  // event id -> times seen
  std::map<std::pair<std::string, std::string>, std::vector<std::string>> titles;
  std::uint64_t events = 0;

  std::size_t count(const std::string& source, const std::string& source_id) const {
    auto it = titles.find({source, source_id});
    return it == titles.end() ? 0 : it->second.size();
  }
};

LogView read_log(Serving& s) {
  LogView view;
  std::uint64_t after = 0;
  auto until = std::chrono::steady_clock::now() + kDeadline;
  for (;;) {
    REQUIRE(std::chrono::steady_clock::now() < until);
    int status = 0;
    auto page = s.get("/events?limit=1000&after=" + std::to_string(after), &status);
    REQUIRE(status == 200);
    for (auto& e : page["events"]) {
      ++view.events;
      ++view.ids[e["event_id"].get<std::string>()];
      if (e["type"] != "SourceRecordChanged") continue;
      auto& record = e["data"]["record"];
      view.titles[{record["source"].get<std::string>(), record["source_id"].get<std::string>()}].push_back(
          record.value("title", ""));
    }
    after = page["next_after"].get<std::uint64_t>();
    if (page["count"] == 0 && after >= page["last_sequence"].get<std::uint64_t>()) break;
  }
  return view;
}

/// The stored poll cursor as a journal position (0 before the first cursor poll).
std::size_t poll_cursor(Serving& s) {
  auto tmdb = source_of(s.get("/sources"), "tmdb");
  REQUIRE(tmdb.is_object());
  auto cursor = tmdb["cursor"];
  if (!cursor.is_object() || !cursor.contains("cursor")) return 0;
  return std::stoul(cursor["cursor"].get<std::string>());
}

/// Runs `moviec verify` on the (stopped) server's data directory and requires it to pass.
void require_verify(const std::string& data) {
  auto verify = run_moviec_timed(by_build(120, 300), {"verify", "--data", data, "--json"});
  INFO("moviec verify: " << verify.out);
  REQUIRE(verify.exit_code == 0);
  REQUIRE(json::parse(verify.out, nullptr, false)["ok"] == true);
}

/// Stops the producer threads (and joins them) however the test case ends.
struct Producers {
  std::atomic<bool> stop{false};
  std::vector<std::thread> threads;
  ~Producers() {
    stop = true;
    for (auto& t : threads)
      if (t.joinable()) t.join();
  }
};

/// Sleeps `ms`, in slices, unless `stop` is set first.
void nap(const std::atomic<bool>& stop, int ms) {
  auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
  while (!stop && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(5ms);
}

std::uint32_t chaos_seed() {
  if (const char* s = std::getenv("MOVIEC_CHAOS_SEED")) return static_cast<std::uint32_t>(std::stoul(s));
  return std::random_device{}();
}

}  // namespace

TEST_CASE("chaos: serve with an inbox, a poller and pushes, kill -9 at 10 random moments, loses and doubles nothing",
          "[e2e][chaos]") {
  const std::uint32_t seed = chaos_seed();
  std::printf("chaos seed %u (MOVIEC_CHAOS_SEED=%u repeats it)\n", seed, seed);
  std::fflush(stdout);
  INFO("chaos seed " << seed << " (MOVIEC_CHAOS_SEED=" << seed << " repeats it)");
  std::mt19937 rng(seed);

  // Everything random is drawn here, from the seed.
  std::vector<int> up_ms;
  for (int k = 0; k < kKills; ++k) up_ms.push_back(kUpMin + static_cast<int>(rng() % (kUpMax - kUpMin + 1)));
  std::vector<std::vector<Line>> pushes;
  for (int i = 0; i < kPushes; ++i) pushes.push_back(make_lines("p" + std::to_string(i), 1 + rng() % 8, rng));
  std::vector<std::vector<Line>> files;
  for (int f = 0; f < kFiles; ++f)
    files.push_back(make_lines("f" + std::to_string(f), by_build(20, 10) + rng() % by_build(40, 20), rng));
  std::vector<Change> changes;  // the feed's journal, in order
  {
    std::map<std::string, int> versions;
    int next_id = 1;
    for (int c = 0; c < kChanges; ++c) {
      std::string id = next_id > 1 && rng() % 10 < 3 ? std::to_string(1 + rng() % (next_id - 1))
                                                     : std::to_string(next_id++);
      changes.push_back({id, ++versions[id]});
    }
  }

  TempDir dir;
  FakeFeed feed;
  feed.set_changed({}, 7);  // per_page 7: windows of several pages
  const auto config = write_chaos_config(dir, feed);
  const auto data = (dir / "data").string();
  const auto inbox = dir / "inbox";
  fs::create_directories(inbox);

  std::optional<Serving> server;
  std::atomic<int> port{0};  // 0 while the server is down
  std::mutex mu;
  std::vector<bool> acked(kPushes, false);
  std::vector<std::string> push_errors;  // answers no retry can fix (4xx)
  std::atomic<int> push_attempts{0}, push_retries{0};
  std::atomic<int> files_dropped{0};
  std::atomic<std::size_t> changes_published{0};

  // Which life of the server this is (0 before the first kill, kKills after the
  // last): item i of n is handed out once i < n * (life + 1) / (kKills + 1).
  std::atomic<int> life{0};
  Producers producers;
  auto wait_turn = [&](int i, int n) {
    while (!producers.stop && i >= n * (life.load() + 1) / (kKills + 1)) nap(producers.stop, 10);
    return !producers.stop.load();
  };
  // Two pushers, each sending its pushes in turn and resending one until it is
  // answered 200, as a client that wants its data in would.
  for (int t = 0; t < 2; ++t) {
    producers.threads.emplace_back([&, t] {
      for (int i = t; i < kPushes && wait_turn(i, kPushes); i += 2) {
        auto body = body_of(pushes[i]);
        while (!producers.stop) {
          int p = port.load();
          if (p == 0) {
            nap(producers.stop, 20);
            continue;
          }
          httplib::Client client("127.0.0.1", p);
          client.set_connection_timeout(2);
          client.set_read_timeout(by_build(30, 120));
          ++push_attempts;
          auto res = client.Post("/ingest/pushed", {{"Authorization", std::string("Bearer ") + kChaosToken}}, body,
                                 "application/x-ndjson");
          if (res && res->status == 200) {
            std::lock_guard<std::mutex> lock(mu);
            acked[i] = true;
            break;
          }
          if (res && res->status >= 400 && res->status < 500 && res->status != 429) {
            std::lock_guard<std::mutex> lock(mu);
            push_errors.push_back("push " + std::to_string(i) + ": HTTP " + std::to_string(res->status) + " " +
                                  res->body);
            return;
          }
          ++push_retries;
          nap(producers.stop, 50);
        }
        nap(producers.stop, kPushEvery);
      }
    });
  }
  // The inbox writer: a finished file renamed in now and then, server up or down.
  producers.threads.emplace_back([&] {
    for (int f = 0; f < kFiles && wait_turn(f, kFiles); ++f) {
      char name[32];
      std::snprintf(name, sizeof name, "batch-%03d.jsonl", f);
      drop_file(inbox / name, body_of(files[f]));
      ++files_dropped;
      nap(producers.stop, kFileEvery);
    }
  });
  // The feed: records change and the changes are published, a few at a time.
  producers.threads.emplace_back([&] {
    std::size_t c = 0;
    while (c < changes.size() && wait_turn(static_cast<int>(c), kChanges)) {
      std::vector<std::string> ids;
      for (std::size_t n = 1 + c % 3; n > 0 && c < changes.size(); --n, ++c) {
        feed.set_record(changes[c].id, feed_record(changes[c]));  // the record first, then the change
        ids.push_back(changes[c].id);
      }
      feed.append_changes(ids);
      changes_published = c;
      nap(producers.stop, kChangeEvery);
    }
  });

  auto processed = [&](int f) {
    char name[32];
    std::snprintf(name, sizeof name, "batch-%03d.jsonl", f);
    return fs::exists(inbox / "processed" / name);
  };

  // The checks that hold at any time the server is up (nothing is asked to be
  // finished): what is acknowledged is in the log once, nothing is in it twice.
  auto check_log = [&](Serving& s) {
    std::vector<bool> acked_now;
    {
      std::lock_guard<std::mutex> lock(mu);
      acked_now = acked;
    }
    std::vector<bool> processed_now;
    for (int f = 0; f < kFiles; ++f) processed_now.push_back(processed(f));
    std::size_t cursor = poll_cursor(s);
    auto journal = feed.journal();
    REQUIRE(cursor <= journal.size());
    auto log = read_log(s);  // after the snapshots above: it holds at least what they promise

    for (auto& [id, n] : log.ids) {
      INFO("event id " << id);
      CHECK(n == 1);
    }
    for (int i = 0; i < kPushes; ++i) {
      for (auto& l : pushes[i]) {
        INFO("push " << i << " record " << l.source_id << (acked_now[i] ? " (answered 200)" : ""));
        auto n = log.count("pushed", l.source_id);
        if (acked_now[i]) CHECK(n == 1);
        else CHECK(n <= 1);
      }
    }
    for (int f = 0; f < kFiles; ++f) {
      for (auto& l : files[f]) {
        INFO("inbox file " << f << " record " << l.source_id << (processed_now[f] ? " (in processed/)" : ""));
        auto n = log.count("dropped", l.source_id);
        if (processed_now[f]) CHECK(n == 1);
        else CHECK(n <= 1);
      }
    }
    // Polled records: versions only go up, each appended once; every change before
    // the stored cursor is in (at its version or a later one).
    std::map<std::string, int> latest;
    for (auto& [key, titles] : log.titles) {
      if (key.first != "tmdb") continue;
      int last = 0;
      for (auto& title : titles) {
        INFO("polled record " << key.second << ": " << title);
        int v = version_of(title);
        CHECK(v > last);
        last = std::max(last, v);
      }
      latest[key.second] = last;
    }
    for (std::size_t c = 0; c < cursor; ++c) {
      INFO("feed change " << c << " (record " << changes[c].id << " v" << changes[c].version
                          << ") is before the stored cursor " << cursor);
      CHECK(latest[changes[c].id] >= changes[c].version);
    }
    return log;
  };

  auto start = [&] {
    server.emplace(data, std::vector<std::string>{"--config", config});
    port = server->port();
  };

  auto began = std::chrono::steady_clock::now();
  start();
  for (int k = 0; k < kKills; ++k) {
    std::this_thread::sleep_for(std::chrono::milliseconds(up_ms[k]));
    port = 0;
    {
      INFO("serve died on its own before kill " << k + 1);
      REQUIRE_FALSE(server->process().wait_for(0));
    }
    server->kill();
    server.reset();
    int answered = 0;
    {
      std::lock_guard<std::mutex> lock(mu);
      answered = static_cast<int>(std::count(acked.begin(), acked.end(), true));
      for (auto& e : push_errors) FAIL(e);
    }
    auto t0 = std::chrono::steady_clock::now();
    require_verify(data);
    auto t1 = std::chrono::steady_clock::now();
    life = k + 1;
    start();
    auto t2 = std::chrono::steady_clock::now();
    check_log(*server);
    auto t3 = std::chrono::steady_clock::now();
    auto ms = [](auto d) { return static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(d).count()); };
    std::printf("kill %d after %d ms: %d of %d pushes answered, %d of %d files dropped, %zu of %d changes "
                "published; verify %d ms, restart %d ms, checks %d ms\n",
                k + 1, up_ms[k], answered, kPushes, files_dropped.load(), kFiles, changes_published.load(), kChanges,
                ms(t1 - t0), ms(t2 - t1), ms(t3 - t2));
    std::fflush(stdout);
  }

  // Drained after the last restart: every push answered, every file moved, the
  // cursor at the end of the journal.
  auto drained = [&] {
    {
      std::lock_guard<std::mutex> lock(mu);
      if (!push_errors.empty() || std::count(acked.begin(), acked.end(), true) < kPushes) return false;
    }
    if (files_dropped < kFiles || changes_published < changes.size()) return false;
    for (int f = 0; f < kFiles; ++f) {
      char name[32];
      std::snprintf(name, sizeof name, "batch-%03d.jsonl", f);
      if (!fs::exists(inbox / "processed" / name) && !fs::exists(inbox / "failed" / name)) return false;
    }
    return poll_cursor(*server) == changes.size();
  };
  bool done = wait_until(drained, kDeadline);
  {
    std::lock_guard<std::mutex> lock(mu);
    for (auto& e : push_errors) FAIL_CHECK(e);
    INFO(std::count(acked.begin(), acked.end(), true) << " of " << kPushes << " pushes answered 200, "
         << files_dropped << " files dropped, cursor " << poll_cursor(*server) << " of " << changes.size());
    REQUIRE(done);
  }
  for (int f = 0; f < kFiles; ++f) {
    char name[32];
    std::snprintf(name, sizeof name, "batch-%03d.jsonl", f);
    std::string why;
    if (std::ifstream error{inbox / "failed" / (std::string(name) + ".error")})
      why = std::string(std::istreambuf_iterator<char>(error), std::istreambuf_iterator<char>());
    INFO("inbox file " << name << " is in processed/ (not failed/, not left in the inbox)");
    INFO("failed/" << name << ".error: " << why);
    CHECK(fs::exists(inbox / "processed" / name));
  }
  auto log = check_log(*server);
  // Exactly once, all of it: one SourceRecordChanged per pushed and per dropped
  // record, and every polled record at its latest version.
  std::size_t pushed = 0, dropped = 0;
  for (auto& p : pushes) pushed += p.size();
  for (auto& f : files) dropped += f.size();
  std::size_t pushed_in = 0, dropped_in = 0;
  std::map<std::string, int> latest_version;
  for (auto& c : changes) latest_version[c.id] = c.version;
  for (auto& [key, titles] : log.titles) {
    if (key.first == "pushed") pushed_in += titles.size();
    if (key.first == "dropped") dropped_in += titles.size();
  }
  CHECK(pushed_in == pushed);
  CHECK(dropped_in == dropped);
  for (auto& [id, version] : latest_version) {
    auto it = log.titles.find({"tmdb", id});
    INFO("polled record " << id << " should end at v" << version);
    REQUIRE(it != log.titles.end());
    CHECK(version_of(it->second.back()) == version);
  }

  // A clean stop, then verify once more.
  producers.stop = true;
  for (auto& t : producers.threads) t.join();
  port = 0;
  server->process().signal(SIGTERM);
  INFO("serve did not stop on SIGTERM");
  REQUIRE(server->process().wait_for(static_cast<int>(std::chrono::milliseconds(kDeadline).count())));
  CHECK(server->process().wait() == 0);
  server.reset();
  require_verify(data);

  std::printf("chaos: %d kills, %d pushes (%d attempts, %d resent), %d inbox files, %zu feed changes, %llu events, %.1f s\n",
              kKills, kPushes, push_attempts.load(), push_retries.load(), kFiles, changes.size(),
              static_cast<unsigned long long>(log.events),
              std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count());
  std::fflush(stdout);
}
