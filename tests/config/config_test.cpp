#include "config/config.hpp"

#include <fstream>
#include <string>

#include <catch2/catch.hpp>

#include "support/temp_dir.hpp"

using moviec::Status;
using moviec::config::Config;
using moviec::config::load;
using moviec::config::parse;
using moviec::config::to_json;
using nlohmann::json;

namespace {

std::filesystem::path default_json_path() {
  return moviec::test::examples().parent_path() / "config" / "default.json";
}

// The message of a parse that must fail.
std::string error_of(const json& j) {
  auto c = parse(j);
  REQUIRE_FALSE(c.is_ok());
  CHECK(c.status().code() == Status::Code::invalid_argument);
  return c.status().message();
}

void write_file(const std::filesystem::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary);
  out << text;
}

}  // namespace

TEST_CASE("defaults have the imdb, movielens and rotten_tomatoes sources and the default field rules",
          "[config]") {
  auto c = Config::defaults();
  CHECK(c.data_dir == "data");
  CHECK(c.listen == "127.0.0.1:8080");
  CHECK(c.token.empty());
  CHECK(c.max_in_flight == 512);
  CHECK(c.max_live_movies == 10000);
  CHECK(c.movie_idle_timeout == std::chrono::milliseconds(30000));
  CHECK(c.snapshot_every == 50);
  CHECK(c.snapshots_kept == 3);
  CHECK(c.journal_max_batch == 1024);
  CHECK(c.sync_writes);
  CHECK(c.metrics);
  REQUIRE(c.sources.size() == 3);
  CHECK(c.sources[0].name == "imdb");
  CHECK(c.sources[0].format == "imdb_tsv");
  CHECK(c.sources[1].name == "movielens");
  CHECK(c.sources[1].format == "movielens_csv");
  CHECK(c.sources[2].name == "rotten_tomatoes");
  CHECK(c.sources[2].format == "rotten_tomatoes_csv");
  for (auto& source : c.sources) {
    CHECK_FALSE(source.removals);
    CHECK(source.options == json::object());
  }
  CHECK(c.rules.rules.size() == moviec::events::golden_fields().size());
  CHECK(c.rules.version == 1);
}

TEST_CASE("find_source finds configured sources by name only", "[config]") {
  auto c = Config::defaults();
  REQUIRE(c.find_source("imdb") != nullptr);
  CHECK(c.find_source("imdb")->format == "imdb_tsv");
  CHECK(c.find_source("movielens")->format == "movielens_csv");
  CHECK(c.find_source("vega_old") == nullptr);
}

TEST_CASE("an empty object parses to the defaults", "[config]") {
  auto c = parse(json::object());
  REQUIRE(c.is_ok());
  CHECK(to_json(*c) == to_json(Config::defaults()));
}

TEST_CASE("config/default.json is the default configuration in full", "[config]") {
  std::ifstream in(default_json_path());
  REQUIRE(in.good());
  json file = json::parse(in);
  // In full: the file states every key that to_json writes, with the default values.
  CHECK(file == to_json(Config::defaults()));
  auto c = load(default_json_path().string());
  REQUIRE(c.is_ok());
  CHECK(to_json(*c) == to_json(Config::defaults()));
}

TEST_CASE("keys present override the defaults and absent keys keep them", "[config]") {
  auto c = parse(json{{"data_dir", "/var/lib/moviec"},
                      {"listen", "0.0.0.0:9090"},
                      {"token", "s3cret"},
                      {"max_in_flight", 64},
                      {"movie_idle_timeout_ms", 1500},
                      {"sync_writes", false},
                      {"metrics", false}});
  REQUIRE(c.is_ok());
  CHECK(c->data_dir == "/var/lib/moviec");
  CHECK(c->listen == "0.0.0.0:9090");
  CHECK(c->token == "s3cret");
  CHECK(c->max_in_flight == 64);
  CHECK(c->movie_idle_timeout == std::chrono::milliseconds(1500));
  CHECK_FALSE(c->sync_writes);
  CHECK_FALSE(c->metrics);
  CHECK(c->max_live_movies == 10000);
  CHECK(c->snapshot_every == 50);
  CHECK(c->sources.size() == 3);
}

TEST_CASE("a sources list replaces the default sources", "[config]") {
  auto c = parse(json::parse(R"({"sources": [
      {"name": "imdb_daily", "format": "imdb_tsv", "removals": true,
       "options": {"max_rejects_per_file": 100}},
      {"name": "imdb2", "format": "imdb_tsv"}]})"));
  REQUIRE(c.is_ok());
  REQUIRE(c->sources.size() == 2);
  CHECK(c->sources[0].name == "imdb_daily");
  CHECK(c->sources[0].removals);
  CHECK(c->sources[0].options["max_rejects_per_file"] == 100);
  CHECK(c->sources[1].name == "imdb2");
  CHECK_FALSE(c->sources[1].removals);
  CHECK(c->find_source("imdb") == nullptr);
}

TEST_CASE("a rule in the file replaces that field's rule and leaves the others", "[config]") {
  auto c = parse(json::parse(R"({"rules": {"version": 7, "trust": {"imdb": 1.0, "vega": 0.25},
      "fields": {"title": {"strategy": "highest_trust", "priority": ["movielens", "imdb"],
                           "on_empty": "clear", "weights": {"imdb": 2}}}}})"));
  REQUIRE(c.is_ok());
  CHECK(c->rules.version == 7);
  CHECK(c->rules.trust.at("imdb") == 1.0);
  CHECK(c->rules.trust.at("vega") == 0.25);
  auto* title = c->rules.find("title");
  REQUIRE(title != nullptr);
  CHECK(title->strategy == moviec::events::Strategy::highest_trust);
  CHECK(title->priority == std::vector<std::string>{"movielens", "imdb"});
  CHECK(title->on_empty == moviec::events::OnEmpty::clear);
  CHECK(title->weights.at("imdb") == 2.0);
  // Other fields keep their defaults, in the default order.
  auto defaults = moviec::events::FieldRules::defaults();
  REQUIRE(c->rules.rules.size() == defaults.rules.size());
  for (std::size_t i = 0; i < defaults.rules.size(); ++i) {
    CHECK(c->rules.rules[i].field == defaults.rules[i].field);
    if (defaults.rules[i].field == "title") continue;
    CHECK(c->rules.rules[i].strategy == defaults.rules[i].strategy);
    CHECK(c->rules.rules[i].priority == defaults.rules[i].priority);
  }
}

TEST_CASE("a rule given with only a strategy has no priority and keeps on empty", "[config]") {
  auto c = parse(json::parse(R"({"rules": {"fields": {"year": {"strategy": "most_recent"}}}})"));
  REQUIRE(c.is_ok());
  auto* year = c->rules.find("year");
  REQUIRE(year != nullptr);
  CHECK(year->strategy == moviec::events::Strategy::most_recent);
  CHECK(year->priority.empty());
  CHECK(year->weights.empty());
  CHECK(year->on_empty == moviec::events::OnEmpty::keep);
}

TEST_CASE("every strategy name is accepted", "[config]") {
  for (auto name : {"source_priority", "highest_trust", "most_recent", "union", "per_source",
                    "weighted_mean"}) {
    auto c = parse(json{{"rules", {{"fields", {{"genres", {{"strategy", name}}}}}}}});
    REQUIRE(c.is_ok());
    CHECK(moviec::events::strategy_name(c->rules.find("genres")->strategy) == name);
  }
}

TEST_CASE("to_json round-trips through parse", "[config]") {
  auto c = parse(json::parse(R"({"data_dir": "d", "listen": "[::1]:1", "token": "t",
      "max_in_flight": 1, "max_live_movies": 2, "movie_idle_timeout_ms": 3,
      "snapshot_every": 4, "snapshots_kept": 5, "journal_max_batch": 6, "sync_writes": false, "metrics": false,
      "sources": [{"name": "a", "format": "imdb_tsv", "removals": true,
                   "options": {"max_rejects_per_file": 9}}],
      "rules": {"version": 3, "trust": {"a": 0.5},
                "fields": {"ratings": {"strategy": "weighted_mean", "weights": {"a": 1.5},
                                       "on_empty": "clear"}}}})"));
  REQUIRE(c.is_ok());
  auto j = to_json(*c);
  auto again = parse(j);
  REQUIRE(again.is_ok());
  CHECK(to_json(*again) == j);
  CHECK(again->listen == "[::1]:1");
  CHECK(again->movie_idle_timeout == std::chrono::milliseconds(3));
  CHECK(again->rules.find("ratings")->weights.at("a") == 1.5);
}

TEST_CASE("an unknown strategy names the key path", "[config]") {
  auto m = error_of(json::parse(R"({"rules": {"fields": {"title": {"strategy": "best"}}}})"));
  CHECK(m.rfind("rules.fields.title.strategy: unknown strategy \"best\" (expected one of ", 0) ==
        0);
  CHECK_THAT(m, Catch::Contains("\"source_priority\"") && Catch::Contains("\"weighted_mean\""));
}

TEST_CASE("an unknown field names the key path", "[config]") {
  auto m = error_of(json::parse(R"({"rules": {"fields": {"budget": {"strategy": "union"}}}})"));
  CHECK_THAT(m, Catch::StartsWith("rules.fields.budget: unknown field (expected one of "));
}

TEST_CASE("a rule without a strategy is an error", "[config]") {
  auto m = error_of(json::parse(R"({"rules": {"fields": {"title": {"on_empty": "keep"}}}})"));
  CHECK(m == "rules.fields.title.strategy: missing (required)");
}

TEST_CASE("unknown keys are errors at every level", "[config]") {
  CHECK_THAT(error_of(json{{"colour", "blue"}}),
             Catch::StartsWith("colour: unknown key (expected one of \"data_dir\""));
  CHECK_THAT(error_of(json::parse(R"({"sources": [{"name": "a", "format": "imdb_tsv", "x": 1}]})")),
             Catch::StartsWith("sources[0].x: unknown key"));
  CHECK_THAT(error_of(json::parse(R"({"rules": {"strict": true}})")),
             Catch::StartsWith("rules.strict: unknown key"));
  CHECK_THAT(
      error_of(json::parse(R"({"rules": {"fields": {"title": {"strategy": "union", "z": 1}}}})")),
      Catch::StartsWith("rules.fields.title.z: unknown key"));
  CHECK_THAT(error_of(json::parse(
                 R"({"sources": [{"name": "a", "format": "imdb_tsv", "options": {"delim": ","}}]})")),
             Catch::StartsWith("sources[0].options.delim: unknown key"));
}

TEST_CASE("wrong types name the key path and the type found", "[config]") {
  CHECK(error_of(json::array()) == "config: expected an object, got array");
  CHECK(error_of(json{{"data_dir", 5}}) == "data_dir: expected a string, got integer");
  CHECK(error_of(json{{"sync_writes", "yes"}}) == "sync_writes: expected true or false, got string");
  CHECK(error_of(json{{"max_in_flight", 1.5}}) == "max_in_flight: expected a whole number, got number");
  CHECK(error_of(json{{"sources", json::object()}}) == "sources: expected an array, got object");
  CHECK(error_of(json{{"sources", {1}}}) == "sources[0]: expected an object, got integer");
  CHECK(error_of(json::parse(R"({"rules": {"fields": {"title": {"strategy": "union",
                                  "priority": "imdb"}}}})")) ==
        "rules.fields.title.priority: expected an array of source names, got string");
  CHECK(error_of(json::parse(R"({"rules": {"trust": {"imdb": "high"}}})")) ==
        "rules.trust.imdb: expected a number, got string");
}

TEST_CASE("zero and negative numbers are errors where they make no sense", "[config]") {
  CHECK(error_of(json{{"max_in_flight", 0}}) == "max_in_flight: must be at least 1, got 0");
  CHECK(error_of(json{{"snapshots_kept", -2}}) == "snapshots_kept: must be at least 1, got -2");
  CHECK(error_of(json{{"movie_idle_timeout_ms", 0}}) ==
        "movie_idle_timeout_ms: must be at least 1, got 0");
  CHECK(error_of(json{{"rules", {{"version", 0}}}}) == "rules.version: must be at least 1, got 0");
  CHECK(error_of(json{{"rules", {{"trust", {{"imdb", -1}}}}}}) ==
        "rules.trust.imdb: must not be negative, got -1");
  CHECK(error_of(json::parse(R"({"rules": {"fields": {"crating_soundtrack":
          {"strategy": "weighted_mean", "weights": {"vega": -0.5}}}}})")) ==
        "rules.fields.crating_soundtrack.weights.vega: must not be negative, got -0.5");
  CHECK(error_of(json{{"data_dir", ""}}) == "data_dir: must not be empty");
}

TEST_CASE("listen must be host:port with a port from 1 to 65535", "[config]") {
  for (auto ok : {"127.0.0.1:1", "localhost:65535", "[::1]:8080", "example.org:80"})
    CHECK(parse(json{{"listen", ok}}).is_ok());
  CHECK(error_of(json{{"listen", "127.0.0.1"}}) == "listen: \"127.0.0.1\" is not host:port (no port)");
  CHECK(error_of(json{{"listen", "127.0.0.1:0"}}) ==
        "listen: \"127.0.0.1:0\" is not host:port (port must be 1-65535)");
  CHECK(error_of(json{{"listen", "127.0.0.1:65536"}}) ==
        "listen: \"127.0.0.1:65536\" is not host:port (port must be 1-65535)");
  CHECK(error_of(json{{"listen", ":8080"}}) == "listen: \":8080\" is not host:port (empty host)");
  CHECK(error_of(json{{"listen", "host:http"}}) ==
        "listen: \"host:http\" is not host:port (port must be a number)");
  CHECK(error_of(json{{"listen", "::1:8080"}}) ==
        "listen: \"::1:8080\" is not host:port (an IPv6 host needs [brackets])");
}

TEST_CASE("source names must be unique and lower-case identifiers", "[config]") {
  CHECK(error_of(json::parse(R"({"sources": [{"name": "imdb", "format": "imdb_tsv"},
                                             {"name": "imdb", "format": "imdb_tsv"}]})")) ==
        "sources[1].name: duplicate source name \"imdb\"");
  CHECK(error_of(json::parse(R"({"sources": [{"name": "IMDb-1", "format": "imdb_tsv"}]})")) ==
        "sources[0].name: \"IMDb-1\" is not a source name (use a-z, 0-9 and _)");
  CHECK(error_of(json::parse(R"({"sources": [{"format": "imdb_tsv"}]})")) ==
        "sources[0].name: missing (required)");
}

TEST_CASE("an unknown source format lists the known formats", "[config]") {
  // The list grows as formats are added; it starts with the first one.
  CHECK_THAT(error_of(json::parse(R"({"sources": [{"name": "x", "format": "xml_feed"}]})")),
             Catch::StartsWith("sources[0].format: unknown format \"xml_feed\" (expected one of \"imdb_tsv\", "));
}

TEST_CASE("the CSV formats and their options are validated", "[config]") {
  auto c = parse(json::parse(R"({"sources": [
      {"name": "imdb", "format": "imdb_tsv", "options": {"max_unsorted_bytes": 1048576,
                                                           "sort_memory_bytes": 4194304}},
      {"name": "ml", "format": "movielens_csv", "options": {"max_rejects_per_file": 5}},
      {"name": "rt", "format": "rotten_tomatoes_csv",
       "options": {"zero_means_missing": ["runtime", "audience_count"]}}]})"));
  REQUIRE(c.is_ok());
  CHECK(c->find_source("ml")->format == "movielens_csv");
  CHECK(c->find_source("rt")->options["zero_means_missing"] == json{"runtime", "audience_count"});
  CHECK(error_of(json::parse(R"({"sources": [{"name": "i", "format": "imdb_tsv",
                                  "options": {"max_unsorted_bytes": 0}}]})")) ==
        "sources[0].options.max_unsorted_bytes: must be at least 1, got 0");
  CHECK(error_of(json::parse(R"({"sources": [{"name": "i", "format": "imdb_tsv",
                                  "options": {"sort_memory_bytes": 0}}]})")) ==
        "sources[0].options.sort_memory_bytes: must be at least 1, got 0");
  CHECK(error_of(json::parse(R"({"sources": [{"name": "rt", "format": "rotten_tomatoes_csv",
                                  "options": {"zero_means_missing": "runtime"}}]})")) ==
        "sources[0].options.zero_means_missing: expected an array of column names, got string");
  CHECK(error_of(json::parse(R"({"sources": [{"name": "ml", "format": "movielens_csv",
                                  "options": {"zero_means_missing": []}}]})")) ==
        "sources[0].options.zero_means_missing: unknown key (expected one of \"max_rejects_per_file\")");
}

TEST_CASE("on_empty must be keep or clear", "[config]") {
  CHECK(error_of(json::parse(R"({"rules": {"fields": {"names": {"strategy": "union",
                                  "on_empty": "drop"}}}})")) ==
        "rules.fields.names.on_empty: unknown value \"drop\" (expected \"keep\" or \"clear\")");
}

TEST_CASE("a priority list names each source once", "[config]") {
  CHECK(error_of(json::parse(R"({"rules": {"fields": {"title": {"strategy": "source_priority",
                                  "priority": ["imdb", "vega", "imdb"]}}}})")) ==
        "rules.fields.title.priority[2]: duplicate source \"imdb\"");
}

TEST_CASE("load of a missing file names the file", "[config]") {
  moviec::test::TempDir dir;
  auto path = (dir / "nope.json").string();
  auto c = load(path);
  REQUIRE_FALSE(c.is_ok());
  CHECK(c.status().code() == Status::Code::not_found);
  CHECK(c.status().message() == path + ": no such config file");
}

TEST_CASE("load of bad JSON names the file and the byte position", "[config]") {
  moviec::test::TempDir dir;
  auto path = dir / "bad.json";
  write_file(path, "{\"data_dir\": \"x\",\n \"listen\" 5}");
  auto c = load(path.string());
  REQUIRE_FALSE(c.is_ok());
  CHECK(c.status().code() == Status::Code::invalid_argument);
  CHECK_THAT(c.status().message(),
             Catch::StartsWith(path.string() + ": invalid JSON at byte 29: "));
}

TEST_CASE("load of an invalid config names the file and the key path", "[config]") {
  moviec::test::TempDir dir;
  auto path = dir / "c.json";
  write_file(path, R"({"rules": {"fields": {"title": {"strategy": "best"}}}})");
  auto c = load(path.string());
  REQUIRE_FALSE(c.is_ok());
  CHECK_THAT(c.status().message(),
             Catch::StartsWith(path.string() + ": rules.fields.title.strategy: unknown strategy"));
}

TEST_CASE("load reads a partial config over the defaults", "[config]") {
  moviec::test::TempDir dir;
  auto path = dir / "c.json";
  write_file(path, R"({"listen": "127.0.0.1:9999"})");
  auto c = load(path.string());
  REQUIRE(c.is_ok());
  CHECK(c->listen == "127.0.0.1:9999");
  CHECK(c->sources.size() == Config::defaults().sources.size());
}

TEST_CASE("matching thresholds, year window, several_per_movie and threads are read and checked", "[config]") {
  auto c = parse(json::parse(R"({"matching": {"min_confidence": 0.9, "min_margin_bits": 3, "year_window": 1,
                                              "several_per_movie": ["akas"], "threads": 1}})"));
  REQUIRE(c.is_ok());
  CHECK(c->matching.min_confidence == 0.9);
  CHECK(c->matching.min_margin_bits == 3);
  CHECK(c->matching.year_window == 1);
  CHECK(c->matching.several_per_movie == std::vector<std::string>{"akas"});
  CHECK(c->matching.threads == 1);
  CHECK(Config::defaults().matching.threads == 0);  // one per core
  CHECK(error_of(json::parse(R"({"matching": {"threads": -1}})")).rfind("matching.threads", 0) == 0);
  CHECK(Config::defaults().matching.year_window == 2);
  CHECK(Config::defaults().matching.min_margin_bits == 2);
  CHECK(error_of(json::parse(R"({"matching": {"min_margin": 0.1}})")) ==
        "matching.min_margin: replaced by \"min_margin_bits\": the margin is in bits of match weight now "
        "(docs/config.md)");
  CHECK(error_of(json::parse(R"({"matching": {"year_window": 4}})")).rfind("matching.year_window", 0) == 0);
  CHECK(error_of(json::parse(R"({"matching": {"min_margin_bits": -1}})")) ==
        "matching.min_margin_bits: must be from 0 to 30, got -1");
}

TEST_CASE("the block cache size is read, checked and written back", "[config]") {
  CHECK(Config::defaults().storage.block_cache_bytes == 256ull << 20);
  auto c = parse(json::parse(R"({"storage": {"block_cache_bytes": 1073741824}})"));
  REQUIRE(c.is_ok());
  CHECK(c->storage.block_cache_bytes == 1ull << 30);
  CHECK(c->storage.min_free_bytes == Config::defaults().storage.min_free_bytes);
  CHECK(to_json(*c)["storage"]["block_cache_bytes"] == 1ull << 30);
  CHECK(error_of(json::parse(R"({"storage": {"block_cache_bytes": 1000}})")) ==
        "storage.block_cache_bytes: must be at least 1048576, got 1000");
  CHECK(error_of(json::parse(R"({"storage": {"block_cache_bytes": -5}})")) ==
        "storage.block_cache_bytes: must be at least 1048576, got -5");
  CHECK(error_of(json::parse(R"({"storage": {"block_cache_bytes": "1G"}})")).rfind("storage.block_cache_bytes", 0) == 0);
}
