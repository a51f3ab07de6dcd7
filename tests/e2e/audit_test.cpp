// Audit, replay and time travel as a user meets them: the real binary ingests a file
// and then a changed version of it, `moviec serve` answers history, a field's story
// and as_of by sequence and by time over real HTTP; `moviec replay` rebuilds read
// models byte-identical to the incrementally built ones (and `moviec verify` agrees);
// after a rule change `moviec reaggregate` appends MovieChanged events citing the new
// rules version, shown in the history, and the movie gets its new winner.

#include <catch2/catch.hpp>

#include <chrono>
#include <fstream>
#include <map>
#include <thread>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "events/timestamp.hpp"
#include "store/db.hpp"
#include "support/moviec_json.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

using nlohmann::json;
using namespace moviec::test;
namespace fs = std::filesystem;

namespace {

const char* kBasicsHeader =
    "tconst\ttitleType\tprimaryTitle\toriginalTitle\tisAdult\tstartYear\tendYear\truntimeMinutes\tgenres\n";

/// A title.basics / title.ratings pair of two movies, in `dir`.
void write_imdb(const fs::path& dir, const std::string& carmencita_title, const std::string& rating) {
  fs::create_directories(dir);
  std::ofstream basics(dir / "title.basics.tsv");
  basics << kBasicsHeader
         << "tt0000001\tshort\t" << carmencita_title << "\t" << carmencita_title
         << "\t0\t1894\t\\N\t1\tDocumentary,Short\n"
         << "tt0000002\tshort\tLe clown et ses chiens\tLe clown et ses chiens\t0\t1892\t\\N\t5\tAnimation,Short\n";
  std::ofstream ratings(dir / "title.ratings.tsv");
  ratings << "tconst\taverageRating\tnumVotes\n"
          << "tt0000001\t" << rating << "\t2150\n"
          << "tt0000002\t5.5\t291\n";
}

std::vector<std::string> imdb_files(const fs::path& dir) {
  return {(dir / "title.basics.tsv").string(), (dir / "title.ratings.tsv").string()};
}

json ingest(const std::string& data, const std::vector<std::string>& files,
            const std::string& source = "imdb", const std::string& config = "") {
  std::vector<std::string> extra;
  if (!config.empty()) extra = {"--config", config};
  return ingest_json(data, source, files, extra);
}

std::string now_utc() {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::system_clock::now().time_since_epoch())
                .count();
  return moviec::events::format_utc(ms);
}

/// Every key and value of the read-model column families.
std::map<std::string, std::string> read_models(const std::string& data) {
  moviec::store::Db::Options options;
  options.read_only = true;
  auto db = moviec::store::Db::open((fs::path(data) / "db").string(), options);
  REQUIRE(db);
  std::map<std::string, std::string> out;
  for (auto family : moviec::store::kReadModelFamilies) {
    auto it = (*db)->iterator(family);
    for (it->SeekToFirst(); it->Valid(); it->Next())
      out[std::string(moviec::store::name_of(family)) + "/" + it->key().ToString()] = it->value().ToString();
  }
  return out;
}

json strip_as_of(json doc) {
  doc.erase("as_of");
  return doc;
}

}  // namespace

TEST_CASE("after a changed file, history, field story and as_of by sequence and time tell what happened",
          "[e2e][audit]") {
  TempDir dir;
  auto data = (dir / "data").string();
  write_imdb(dir / "v1", "Carmencita", "5.7");
  auto first = ingest(data, imdb_files(dir / "v1"));
  // Sequences 1-4: two per movie, the two movies in either order (they run in parallel).
  REQUIRE(first["appended"] == 4);

  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  const std::string between = now_utc();
  std::this_thread::sleep_for(std::chrono::milliseconds(30));

  write_imdb(dir / "v2", "Carmencita (dance)", "6.1");
  auto second = ingest(data, imdb_files(dir / "v2"));
  REQUIRE(second["changed"] == 1);
  REQUIRE(second["appended"] == 2);  // seq 5-6

  Server server(data);
  httplib::Client client("127.0.0.1", server.port());

  auto history = get_json(client, "/movies/tt0000001/history");
  REQUIRE(history["count"] == 4);
  auto& events = history["events"];
  const auto first_record_seq = events[0]["sequence"].get<int>();
  const auto first_change_seq = events[1]["sequence"].get<int>();
  CHECK(first_record_seq < first_change_seq);
  CHECK(first_change_seq <= 4);
  CHECK(events[0]["type"] == "SourceRecordChanged");
  CHECK(events[0]["causation"] == "title.basics.tsv:2");  // the row the record came from
  CHECK(events[3]["type"] == "MovieChanged");
  CHECK(events[3]["sequence"] == 6);
  CHECK(events[3]["causation_seq"] == 5);
  CHECK(events[3]["correlation"] == events[2]["correlation"]);
  CHECK(events[3]["correlation"] != events[1]["correlation"]);  // another ingest run
  std::map<std::string, json> changed;
  for (auto& f : events[3]["data"]["fields"]) changed[f["field"]] = f;
  CHECK(changed["title"]["old"] == "Carmencita");
  CHECK(changed["title"]["new"] == "Carmencita (dance)");
  CHECK(changed["title"]["source"] == "imdb");
  CHECK(changed["title"]["rule"] == "source_priority");
  CHECK(changed["ratings"]["old"]["imdb"]["value"] == 5.7);
  CHECK(changed["ratings"]["new"]["imdb"]["value"] == 6.1);

  auto story = get_json(client, "/movies/tt0000001/fields/ratings");
  REQUIRE(story["count"] == 2);
  CHECK(story["values"][0]["value"]["imdb"]["value"] == 5.7);
  CHECK(story["values"][0]["sequence"] == first_change_seq);
  CHECK(story["values"][1]["value"]["imdb"]["value"] == 6.1);
  CHECK(story["values"][1]["old"]["imdb"]["value"] == 5.7);
  CHECK(story["values"][1]["from"]["input"] == "title.basics.tsv:2");
  CHECK(story["values"][1]["from"]["sequence"] == 5);

  auto by_sequence = get_json(client, "/movies/tt0000001?as_of=4");
  CHECK(by_sequence["title"] == "Carmencita");
  CHECK(by_sequence["ratings"]["imdb"]["value"] == 5.7);
  CHECK(by_sequence["version"] == 2);
  CHECK(by_sequence["provenance"]["ratings"]["sequence"] == first_record_seq);

  auto by_time = get_json(client, "/movies/tt0000001?as_of=" + between);
  CHECK(by_time["title"] == "Carmencita");
  CHECK(by_time["version"] == 2);
  CHECK(strip_as_of(by_time) == strip_as_of(by_sequence));

  auto current = get_json(client, "/movies/tt0000001");
  CHECK(current["title"] == "Carmencita (dance)");
  CHECK(strip_as_of(get_json(client, "/movies/tt0000001?as_of=6")).dump() == current.dump());
  CHECK(strip_as_of(get_json(client, "/movies/tt0000001?as_of=" + now_utc())).dump() == current.dump());
  get_json(client, "/movies/tt0000001?as_of=1999-01-01T00:00:00Z", 404);
  get_json(client, "/movies/tt0000001?as_of=soon", 400);

  auto feed = get_json(client, "/events?after=4&type=MovieChanged");
  REQUIRE(feed["count"] == 1);
  CHECK(feed["events"][0]["sequence"] == 6);
  CHECK(feed["next_after"] == 6);
  CHECK(get_json(client, "/events?after=6&wait=1")["count"] == 0);
}

TEST_CASE("moviec history prints a movie's stream for a person", "[e2e][audit]") {
  TempDir dir;
  auto data = (dir / "data").string();
  write_imdb(dir / "v1", "Carmencita", "5.7");
  ingest(data, imdb_files(dir / "v1"));
  write_imdb(dir / "v2", "Carmencita", "6.1");
  ingest(data, imdb_files(dir / "v2"));

  auto r = run_moviec({"history", "tt0000001", "--data", data});
  INFO(r.out);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("tt0000001: 4 events") != std::string::npos);
  // The two movies run in parallel: tt0000001's first event is sequence 1 or 3.
  CHECK((r.out.find("#1  seq 1 ") != std::string::npos || r.out.find("#1  seq 3 ") != std::string::npos));
  CHECK(r.out.find("SourceRecordChanged  from imdb") != std::string::npos);
  CHECK(r.out.find("MovieChanged  from imdb") != std::string::npos);
  CHECK(r.out.find("input title.basics.tsv:2") != std::string::npos);
  CHECK(r.out.find("\"Carmencita\"") != std::string::npos);
  CHECK(r.out.find("from imdb by per_source") != std::string::npos);
  CHECK(r.out.find("imdb 5.7/10.0 (2150 votes) -> imdb 6.1/10.0 (2150 votes)") != std::string::npos);

  auto j = run_moviec({"history", "tt0000001", "--data", data, "--json"});
  REQUIRE(j.exit_code == 0);
  std::istringstream lines(j.out);
  std::string line;
  int n = 0;
  while (std::getline(lines, line)) CHECK(json::parse(line)["version"] == ++n);
  CHECK(n == 4);

  CHECK(run_moviec({"history", "tt7777777", "--data", data}).exit_code == 1);

  // It reads while `serve` holds the store.
  Server server(data);
  CHECK(run_moviec({"history", "tt0000002", "--data", data}).exit_code == 0);
}

TEST_CASE("moviec replay rebuilds read models byte-identical to the incremental ones", "[e2e][audit]") {
  TempDir dir;
  auto data = (dir / "data").string();
  auto ex = examples() / "imdb";
  ingest(data, {(ex / "title.basics.tsv").string(), (ex / "title.ratings.tsv").string()});
  write_imdb(dir / "v2", "Carmencita (dance)", "6.1");
  ingest(data, imdb_files(dir / "v2"));
  auto incremental = read_models(data);
  REQUIRE(incremental.size() > 400);

  auto r = run_moviec({"replay", "--data", data});
  INFO(r.out);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("replayed 402 events") != std::string::npos);  // 200 movies x 2, + 2
  CHECK(read_models(data) == incremental);
  CHECK(run_moviec({"verify", "--data", data}).exit_code == 0);
}

TEST_CASE("reaggregate after a rule change cites the new rules version and picks the new winner",
          "[e2e][audit]") {
  TempDir dir;
  auto data = (dir / "data").string();
  // Two sources of the same format: the second titles Carmencita differently.
  const std::string sources = R"("sources": [{"name": "imdb", "format": "imdb_tsv"},
                                            {"name": "imdb_alt", "format": "imdb_tsv"}])";
  auto v1 = (dir / "rules-v1.json").string();
  std::ofstream(v1) << "{" << sources << "}";
  auto v2 = (dir / "rules-v2.json").string();
  std::ofstream(v2) << "{" << sources << R"(, "rules": {"version": 2, "fields": {
      "title": {"strategy": "source_priority", "priority": ["imdb_alt", "imdb"]}}}})";

  write_imdb(dir / "main", "Carmencita", "5.7");
  ingest(data, imdb_files(dir / "main"), "imdb", v1);
  write_imdb(dir / "alt", "Carmencita: A Dance", "5.9");
  ingest(data, imdb_files(dir / "alt"), "imdb_alt", v1);
  {
    Server server(data, {"--config", v1});
    httplib::Client client("127.0.0.1", server.port());
    auto before = get_json(client, "/movies/tt0000001");
    CHECK(before["title"] == "Carmencita");  // imdb first by default
    CHECK(before["rules_version"] == 1);
  }
  auto events_before = run_moviec_json({"verify", "--data", data, "--json"})["events"].get<int>();

  auto summary = run_moviec_json({"reaggregate", "--data", data, "--config", v2, "--json"});
  CHECK(summary["movies"] == 2);
  CHECK(summary["changed"] == 2);  // tt0000001 gets a new title winner, tt0000002 a new title provenance
  CHECK(summary["failed"] == 0);
  CHECK(summary["rules_version"] == 2);
  CHECK(run_moviec_json({"verify", "--data", data, "--json"})["events"] == events_before + 2);

  Server server(data, {"--config", v2});
  httplib::Client client("127.0.0.1", server.port());
  auto movie = get_json(client, "/movies/tt0000001");
  CHECK(movie["title"] == "Carmencita: A Dance");
  CHECK(movie["provenance"]["title"]["source"] == "imdb_alt");
  CHECK(movie["rules_version"] == 2);

  auto history = get_json(client, "/movies/tt0000001/history");
  auto& last = history["events"].back();
  CHECK(last["type"] == "MovieChanged");
  CHECK(last["source"] == "rules");
  CHECK(last["causation"] == "rules v2 (rules-v2.json)");
  CHECK(last["causation_seq"] == 0);
  CHECK(last["data"]["rules_version"] == 2);
  CHECK(last["data"]["trigger"] == "rules");
  CHECK(last["data"]["previous_rules_version"] == 1);
  // The new winner of the title; union fields may also name both sources now.
  json title;
  for (auto& f : last["data"]["fields"])
    if (f["field"] == "title") title = f;
  REQUIRE(title.is_object());
  CHECK(title["old"] == "Carmencita");
  CHECK(title["new"] == "Carmencita: A Dance");
  CHECK(title["source"] == "imdb_alt");
  CHECK(title["rule"] == "source_priority");
  // Old history stays: the first MovieChanged still says imdb's title won under v1.
  CHECK(history["events"][1]["data"]["rules_version"] == 1);
  CHECK(history["events"][1]["data"]["fields"][0]["new"] == "Carmencita");

  auto story = get_json(client, "/movies/tt0000001/fields/title");
  REQUIRE(story["count"] == 2);
  CHECK(story["values"][1]["trigger"] == "rules");
  CHECK(story["values"][1]["rules_version"] == 2);
  CHECK(story["values"][1]["source"] == "imdb_alt");
  // As of before the rule change, the old winner.
  auto seq = last["sequence"].get<int>();
  CHECK(get_json(client, "/movies/tt0000001?as_of=" + std::to_string(seq - 1))["title"] == "Carmencita");
}
