// Schema evolution: events stored by an older moviec still decode, upcast to the
// current schema (events/coding.cpp). The fixtures under tests/events/fixtures/ are
// the exact bytes a schema-1 moviec stored for the first IMDb row of examples/imdb.

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "events/coding.hpp"
#include "events/movie_state.hpp"

using namespace moviec::events;
using nlohmann::json;

namespace {

std::string fixture(const std::string& name) {
  // From the source tree (MOVIEC_EXAMPLES is absolute): __FILE__ is relative to the
  // build directory when ccache's base_dir rewrites paths, so it breaks under ctest.
  auto path = std::filesystem::path(MOVIEC_EXAMPLES).parent_path() / "tests" / "events" / "fixtures" / name;
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in);
  std::stringstream bytes;
  bytes << in.rdbuf();
  auto text = bytes.str();
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text;
}

}  // namespace

TEST_CASE("the fixtures really are schema 1 and lack the trigger", "[events][upcast]") {
  auto movie = json::parse(fixture("v1_movie_changed.json"));
  CHECK(movie["schema"] == 1);
  CHECK(movie["type"] == "MovieChanged");
  CHECK_FALSE(movie["data"].contains("trigger"));
  CHECK(json::parse(fixture("v1_source_record_changed.json"))["schema"] == 1);
}

TEST_CASE("a stored schema-1 MovieChanged decodes as the current schema with a source_record trigger",
          "[events][upcast]") {
  auto decoded = decode(fixture("v1_movie_changed.json"));
  REQUIRE(decoded);
  CHECK(decoded->schema_version == kCurrentSchemaVersion);
  CHECK(decoded->schema_version == 2);
  CHECK(decoded->type == EventType::movie_changed);
  CHECK(decoded->sequence == 2);
  CHECK(decoded->stream == "tt0000001");
  CHECK(decoded->causation_seq == 1);
  CHECK(decoded->causation == "title.basics.tsv:2");
  CHECK(payload_json(decoded->data)["trigger"] == "source_record");

  auto change = movie_changed(*decoded);
  CHECK(change.trigger == kTriggerSourceRecord);
  CHECK(change.rules_version == 1);
  REQUIRE(change.fields.size() == 6);
  CHECK(change.fields[0].field == "title");
  CHECK(change.fields[0].new_value == "Carmencita");
  CHECK(change.fields[0].caused_by == 1);
}

TEST_CASE("re-encoding an upcast event writes the current schema and keeps every other byte",
          "[events][upcast]") {
  auto stored = json::parse(fixture("v1_movie_changed.json"));
  auto decoded = decode(stored.dump());
  REQUIRE(decoded);
  auto again = json::parse(encode(*decoded));
  CHECK(again["schema"] == kCurrentSchemaVersion);
  CHECK(again["data"]["trigger"] == "source_record");
  // Apart from the version and the added trigger, nothing changed.
  again["schema"] = 1;
  again["data"].erase("trigger");
  CHECK(again == stored);
}

TEST_CASE("a schema-1 SourceRecordChanged passes the upcaster unchanged", "[events][upcast]") {
  auto stored = json::parse(fixture("v1_source_record_changed.json"));
  auto decoded = decode(stored.dump());
  REQUIRE(decoded);
  CHECK(decoded->schema_version == kCurrentSchemaVersion);
  CHECK(payload_json(decoded->data) == stored["data"]);
  auto record = source_record_changed(*decoded);
  CHECK(record.record.title == "Carmencita");
  CHECK(record.record.year == 1894);
}

TEST_CASE("a movie folded from schema-1 events equals one folded from the same events written today",
          "[events][upcast]") {
  auto v1_record = decode(fixture("v1_source_record_changed.json"));
  auto v1_movie = decode(fixture("v1_movie_changed.json"));
  REQUIRE(v1_record);
  REQUIRE(v1_movie);
  MovieState from_v1;
  from_v1.apply(*v1_record);
  from_v1.apply(*v1_movie);

  // The same events as the current code writes them.
  auto current_movie = *v1_movie;
  current_movie.data = to_data(movie_changed(*v1_movie));
  auto reencoded = decode(encode(current_movie));
  REQUIRE(reencoded);
  MovieState from_current;
  from_current.apply(*decode(encode(*v1_record)));
  from_current.apply(*reencoded);
  CHECK(from_v1.to_snapshot() == from_current.to_snapshot());
  CHECK(from_v1.golden.at("title").value == "Carmencita");
  CHECK(from_v1.golden.at("title").sequence == 1);
}

TEST_CASE("a rules-triggered MovieChanged keeps its trigger and previous rules version",
          "[events][upcast]") {
  Event e;
  e.sequence = 9;
  e.stream = "tt1";
  e.version = 3;
  e.type = EventType::movie_changed;
  e.source = "rules";
  MovieChanged change;
  change.rules_version = 2;
  change.trigger = kTriggerRules;
  change.previous_rules_version = 1;
  change.fields.push_back({"title", "A", "B", "movielens", "most_recent", 4});
  e.data = to_data(change);
  auto decoded = decode(encode(e));
  REQUIRE(decoded);
  auto back = movie_changed(*decoded);
  CHECK(back.trigger == "rules");
  CHECK(back.previous_rules_version == 1);
  CHECK(back.rules_version == 2);
  CHECK(payload_json(decoded->data)["trigger"] == "rules");
}
