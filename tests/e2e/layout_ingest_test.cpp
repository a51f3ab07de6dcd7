// The worked example of docs/sources-layout.md, exactly as documented: the config
// examples/layout/moviec.json describes a Rotten Tomatoes export (source
// "rt_export", format "layout") and `moviec ingest` reads
// examples/layout/rotten_tomatoes.csv with no code of its own. Then the real
// vega-datasets movies.json through the built-in vega_json layout.

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "support/files.hpp"
#include "support/moviec_json.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

using nlohmann::json;
using namespace moviec::test;
namespace fs = std::filesystem;

namespace {

json ingest(const std::vector<std::string>& args) {
  std::vector<std::string> all{"ingest", "--json"};
  all.insert(all.end(), args.begin(), args.end());
  return run_moviec_json(all);
}

const json* find_source(const json& sources, const std::string& name) {
  for (auto& s : sources["sources"])
    if (s["name"] == name) return &s;
  return nullptr;
}

}  // namespace

TEST_CASE("the documented config-only source ingests its example file end to end", "[e2e][layout]") {
  TempDir dir;
  auto data = (dir / "data").string();
  auto config = (examples() / "layout" / "moviec.json").string();
  auto csv = (examples() / "layout" / "rotten_tomatoes.csv").string();

  auto first = ingest({"--data", data, "--config", config, "--source", "rt_export", csv});
  CHECK(first["read"] == 16);
  CHECK(first["rejected"] == 0);
  CHECK(first["changed"] == 16);
  CHECK(first["failed"] == 0);
  auto again = ingest({"--data", data, "--config", config, "--source", "rt_export", csv});
  CHECK(again["read"] == 16);
  CHECK(again["unchanged"] == 16);
  CHECK(again["appended"] == 0);

  Server server(data, {"--config", config});
  httplib::Client client("127.0.0.1", server.port());
  auto sources = get_json(client, "/sources");
  auto* rt = find_source(sources, "rt_export");
  REQUIRE(rt != nullptr);
  CHECK((*rt)["format"] == "layout");
  CHECK((*rt)["runs"] == 2);
  CHECK((*rt)["last_run"]["way"] == "cli");
  CHECK((*rt)["last_run"]["state"] == "done");
  CHECK((*rt)["last_run"]["summary"]["unchanged"] == 16);

  // What the records say, as the log stored them (no id column: derived ids).
  auto events = get_json(client, "/events?limit=100");
  json amelie;
  for (auto& e : events["events"]) {
    auto record = e["data"].value("record", json());
    if (record.is_object() && record.value("source_id", "") == "Am√©lie | 2001-11-02") amelie = record;
  }
  REQUIRE(amelie.is_object());
  CHECK(amelie["source"] == "rt_export");
  CHECK(amelie["title"] == "Amélie");
  CHECK(amelie["year"] == 2001);
  CHECK(amelie["runtime_minutes"] == 121);
  CHECK(amelie["genres"] == json({"Art House & International", "Comedy", "Drama", "Romance"}));
  CHECK(amelie["metadata"]["title_repaired_from"] == "Am√©lie");
  CHECK(amelie["metadata"]["in_theaters_date"] == "2001-11-02");
  CHECK(amelie["metadata"]["mpaa_rating"] == "R");
  REQUIRE(amelie["source_ratings"].size() == 2);
  CHECK(amelie["source_ratings"][0]["name"] == "tomatometer");
  CHECK(amelie["source_ratings"][0]["value"] == 89);
  CHECK(amelie["source_ratings"][0]["votes"] == 178);
  CHECK(amelie["source_ratings"][1]["name"] == "audience");
  CHECK(amelie["source_ratings"][1]["normalized"] == 95);
}

TEST_CASE("a bad row of a config-only source is rejected with its line and the rest goes in", "[e2e][layout]") {
  TempDir dir;
  auto data = (dir / "data").string();
  auto config = (examples() / "layout" / "moviec.json").string();
  // The example with Easy Rider's tomatometer (line 3) made 150.
  auto text = read_file(examples() / "layout" / "rotten_tomatoes.csv");
  auto at = text.find("1999-12-07,95,Certified Fresh,88,48");
  REQUIRE(at != std::string::npos);
  text.replace(at, std::string("1999-12-07,95,Certified Fresh,88,48").size(), "1999-12-07,95,Certified Fresh,150,48");
  auto broken = (dir / "rt.csv").string();
  std::ofstream(broken, std::ios::binary) << text;

  auto summary = ingest({"--data", data, "--config", config, "--source", "rt_export", broken});
  CHECK(summary["read"] == 15);
  CHECK(summary["rejected"] == 1);
  auto rejects = read_file(fs::path(data) / "rejects" / "rt_export.tsv");
  CHECK(rejects == "rt.csv\t3\tcolumn \"tomatometer_rating\": 150: out of range 0..100\n");

  Server server(data, {"--config", config});
  httplib::Client client("127.0.0.1", server.port());
  auto page = get_json(client, "/sources/rt_export/rejects");
  REQUIRE(page["rejects"].size() == 1);
  CHECK(page["rejects"][0] == json({{"file", "rt.csv"}, {"line", 3},
                                    {"reason", "column \"tomatometer_rating\": 150: out of range 0..100"}}));
  CHECK(find_source(get_json(client, "/sources"), "rt_export")->at("rejects") == 1);
}

TEST_CASE("the real vega movies.json goes through the vega_json format", "[e2e][vega]") {
  if (!have_shared_data()) {
    WARN("no shared data: skipped");
    return;
  }
  TempDir dir;
  auto data = (dir / "data").string();
  auto config = (dir / "moviec.json").string();
  std::ofstream(config) << R"({"sources": [{"name": "vega", "format": "vega_json"}]})";
  auto file = (shared_data() / "vega-datasets-movies" / "movies.json").string();
  auto first = ingest({"--data", data, "--config", config, "--source", "vega", file});
  CHECK(first["read"] == 3200);
  CHECK(first["rejected"] == 1);  // the row with a null title
  CHECK(first["failed"] == 0);
  CHECK(first["changed"] == 3200);
  auto again = ingest({"--data", data, "--config", config, "--source", "vega", file});
  CHECK(again["unchanged"] == 3200);
  CHECK(again["appended"] == 0);
  auto rejects = read_file(fs::path(data) / "rejects" / "vega.tsv");
  CHECK(rejects.find("movies.json\t") == 0);
  CHECK(rejects.find("column \"Title\": missing (required)") != std::string::npos);
}

TEST_CASE("a config-only source keeps mapped numbers as numbers and rejects a repeated id naming both rows",
          "[e2e][layout]") {
  TempDir dir;
  auto data = (dir / "data").string();
  auto config = (dir / "moviec.json").string();
  std::ofstream(config) << R"({"sources": [{"name": "films", "format": "layout", "options": {
    "type": "csv", "source_id": "id", "movie_id": "imdb",
    "fields": [{"column": "title", "field": "title", "required": true},
               {"column": "year", "field": "year", "type": "int"},
               {"column": "budget", "field": "metadata.budget", "type": "float"},
               {"column": "votes", "field": "metadata.vote_count", "type": "int"},
               {"column": "tagline", "field": "metadata.tagline"}]}}]})";
  auto csv = (dir / "films.csv").string();
  std::ofstream(csv) << "id,imdb,title,year,budget,votes,tagline\n"
                        "862,tt0114709,Toy Story,1995,3e7,5415,Hang on\n"
                        "8844,tt0113497,Jumanji,1995,65000000.5,2413,12\n"
                        "862,tt0114709,Toy Story (again),1995,1,1,\n";

  auto first = ingest({"--data", data, "--config", config, "--source", "films", csv});
  CHECK(first["read"] == 2);
  CHECK(first["changed"] == 2);
  CHECK(first["rejected"] == 1);
  CHECK(read_file(fs::path(data) / "rejects" / "films.tsv") ==
        "films.csv\t4\tduplicate row for 862 (first at line 2)\n");
  auto again = ingest({"--data", data, "--config", config, "--source", "films", csv});
  CHECK(again["unchanged"] == 2);
  CHECK(again["appended"] == 0);

  Server server(data, {"--config", config});
  httplib::Client client("127.0.0.1", server.port());
  std::map<std::string, json> records;
  auto events = get_json(client, "/events?limit=100");
  for (auto& e : events["events"]) {
    auto record = e["data"].value("record", json());
    if (record.is_object()) records[record.value("source_id", "")] = record;
  }
  REQUIRE(records.size() == 2);
  CHECK(records["862"]["title"] == "Toy Story");  // the first row for the id stands
  CHECK(records["862"]["metadata"] == json({{"budget", 30000000}, {"tagline", "Hang on"}, {"vote_count", 5415}}));
  CHECK(records["8844"]["metadata"]["budget"] == 65000000.5);
  CHECK(records["8844"]["metadata"]["tagline"] == "12");  // text stays text
}
