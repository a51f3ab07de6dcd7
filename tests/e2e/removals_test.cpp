// Removals: a source with "removals": true whose full snapshot no longer has a
// record gets SourceRecordRemoved in that record's movie; a source without it
// keeps the record.

#include <catch2/catch.hpp>

#include <fstream>

#include <nlohmann/json.hpp>

#include "support/moviec_json.hpp"
#include "support/serve.hpp"
#include "support/temp_dir.hpp"

using nlohmann::json;
using namespace moviec::test;

namespace {

std::string write_removals_config(const TempDir& dir) {
  auto layout = json::parse(R"({"type": "jsonl", "source_id": "id", "movie_id": "imdb",
    "fields": [{"column": "title", "field": "title"}, {"column": "year", "field": "year", "type": "int"}]})");
  json config{{"sources",
               {{{"name", "full"}, {"format", "layout"}, {"removals", true}, {"options", layout}},
                {{"name", "partial"}, {"format", "layout"}, {"options", layout}}}}};
  auto path = (dir / "moviec.json").string();
  std::ofstream(path) << config.dump();
  return path;
}

std::string write(const TempDir& dir, const std::string& name, const std::vector<int>& ids) {
  auto path = (dir / name).string();
  std::ofstream out(path);
  for (int i : ids)
    out << R"({"id": ")" << i << R"(", "imdb": "tt000000)" << i << R"(", "title": "Film )" << i
        << R"(", "year": )" << 1990 + i << "}\n";
  return path;
}

json ingest(const std::string& data, const std::string& config, const std::string& source,
            const std::string& file) {
  return ingest_json(data, source, {file}, {"--config", config});
}

}  // namespace

TEST_CASE("a record missing from a full snapshot is removed from its movie", "[e2e][removals]") {
  TempDir dir;
  auto config = write_removals_config(dir);
  auto data = (dir / "data").string();
  auto all = write(dir, "all.jsonl", {1, 2, 3});
  auto without_two = write(dir, "without2.jsonl", {1, 3});

  CHECK(ingest(data, config, "full", all)["changed"] == 3);
  auto second = ingest(data, config, "full", without_two);
  CHECK(second["read"] == 2);
  CHECK(second["unchanged"] == 2);
  CHECK(second["removed"] == 1);
  // Removing again finds nothing left to remove.
  CHECK(ingest(data, config, "full", without_two)["removed"] == 0);

  {
    Serving s(data, {"--config", config});
    auto two = s.get("/movies/tt0000002");
    CHECK(two["sources"] == json::array());
    auto events = s.get("/events?type=SourceRecordRemoved");
    REQUIRE(events["events"].size() == 1);
    CHECK(events["events"][0]["stream"] == "tt0000002");
    CHECK(events["events"][0]["data"]["source_id"] == "2");
    CHECK(s.get("/movies/tt0000001")["sources"].size() == 1);
  }

  // It comes back when the source has it again.
  auto back = ingest(data, config, "full", all);
  CHECK(back["changed"] == 1);
  CHECK(back["removed"] == 0);
  {
    Serving s(data, {"--config", config});
    CHECK(s.get("/movies/tt0000002")["sources"] == json({{{"source", "full"}, {"source_id", "2"}}}));
  }
  auto verify = run_moviec({"verify", "--data", data, "--json"});
  INFO(verify.out);
  CHECK(verify.exit_code == 0);
}

TEST_CASE("a source without removals keeps records its file no longer has", "[e2e][removals]") {
  TempDir dir;
  auto config = write_removals_config(dir);
  auto data = (dir / "data").string();
  ingest(data, config, "partial", write(dir, "all.jsonl", {1, 2, 3}));
  auto second = ingest(data, config, "partial", write(dir, "one.jsonl", {1}));
  CHECK(second["removed"] == 0);
  Serving s(data, {"--config", config});
  CHECK(s.get("/movies/tt0000002")["sources"].size() == 1);
}
