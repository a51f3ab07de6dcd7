#include "config/layout.hpp"

#include <catch2/catch.hpp>

#include "config/config.hpp"
#include "config/poll_options.hpp"

using moviec::config::ParseType;
using nlohmann::json;

namespace {

// The message of a config with one source whose options are `options`.
std::string source_error(const std::string& format, const json& options) {
  json j{{"sources", json::array({{{"name", "s"}, {"format", format}, {"options", options}}})}};
  auto c = moviec::config::parse(j);
  if (c) return "ok";
  return c.status().message();
}

json minimal_layout() {
  return json::parse(R"({"type": "csv", "source_id": "id",
                         "fields": [{"column": "name", "field": "title"}]})");
}

}  // namespace

TEST_CASE("a layout with every kind of mapping parses", "[config][layout]") {
  auto j = json::parse(R"({
    "type": "csv", "delimiter": ";", "source_id": ["title", "released"], "movie_id": "imdb",
    "fields": [
      {"column": "title", "field": "title", "required": true},
      {"column": "released", "field": "year", "type": "date", "formats": ["%d.%m.%Y", "%Y"],
       "repair_century_after": 2012},
      {"column": "minutes", "field": "runtime_minutes", "type": "int", "zero_means_missing": true},
      {"column": "tags", "field": "genres", "type": "list", "separator": "|"},
      {"column": "score", "field": "source_ratings", "type": "rating", "name": "critics",
       "scale": [0, 10], "votes": "score_count"},
      {"column": "tmdb", "field": "external_ids.tmdb", "type": "int"},
      {"column": "budget", "field": "metadata.budget", "type": "float"}
    ]})");
  auto layout = moviec::config::parse_layout(j, "options");
  REQUIRE(layout.is_ok());
  CHECK(layout->delimiter == ';');
  CHECK(layout->source_id == std::vector<std::string>{"title", "released"});
  CHECK(layout->movie_id == "imdb");
  REQUIRE(layout->fields.size() == 7);
  CHECK(layout->fields[0].type == ParseType::text);
  CHECK(layout->fields[0].required);
  CHECK(layout->fields[1].formats == std::vector<std::string>{"%d.%m.%Y", "%Y"});
  CHECK(layout->fields[1].repair_century_after == 2012);
  CHECK(layout->fields[2].zero_means_missing);
  CHECK(layout->fields[3].separator == '|');
  CHECK(layout->fields[4].rating_name == "critics");
  CHECK(layout->fields[4].scale_max == 10);
  CHECK(layout->fields[4].votes_column == "score_count");
}

TEST_CASE("a tsv layout splits on tabs and a json layout takes no csv keys", "[config][layout]") {
  auto tsv = moviec::config::parse_layout(
      json::parse(R"({"type": "tsv", "source_id": "id", "fields": [{"column": "t", "field": "title"}]})"), "o");
  REQUIRE(tsv.is_ok());
  CHECK(tsv->delimiter == '\t');
  auto bad = moviec::config::parse_layout(
      json::parse(R"({"type": "json", "header": false, "source_id": "id", "fields": [{"column": "t", "field": "title"}]})"), "o");
  REQUIRE_FALSE(bad.is_ok());
  CHECK(bad.status().message() == "o.header: only for type \"csv\" or \"tsv\"");
}

TEST_CASE("layout errors name the key path inside the source", "[config][layout]") {
  CHECK(source_error("layout", minimal_layout()) == "ok");

  auto j = minimal_layout();
  j.erase("source_id");
  CHECK(source_error("layout", j) ==
        "sources[0].options.source_id: missing (required: the column with the record's id)");

  j = minimal_layout();
  j["type"] = "xml";
  CHECK(source_error("layout", j) ==
        "sources[0].options.type: unknown type \"xml\" (expected one of \"csv\", \"tsv\", \"json\", \"jsonl\")");

  j = minimal_layout();
  j["fields"][0]["type"] = "txt";
  CHECK(source_error("layout", j) ==
        "sources[0].options.fields[0].type: unknown type \"txt\" (expected one of \"text\", \"int\", "
        "\"float\", \"date\", \"list\", \"rating\")");

  j = minimal_layout();
  j["fields"][0]["field"] = "titel";
  CHECK_THAT(source_error("layout", j),
             Catch::StartsWith("sources[0].options.fields[0].field: unknown field \"titel\" (expected one of \"title\", "));

  j = minimal_layout();
  j["fields"][0]["type"] = "rating";
  CHECK(source_error("layout", j) ==
        "sources[0].options.fields[0].type: field \"title\" cannot be of type \"rating\" (it takes \"text\")");

  j = minimal_layout();
  j["fields"].push_back(json{{"column", "s"}, {"field", "source_ratings"}, {"type", "rating"}, {"name", "x"}, {"scale", {10, 1}}});
  CHECK(source_error("layout", j) ==
        "sources[0].options.fields[1].scale: expected 0 <= min < max, got [10,1]");

  j = minimal_layout();
  j["fields"].push_back(json{{"column", "d"}, {"field", "year"}, {"type", "date"}, {"formats", {"%Y", "%d/%q"}}});
  CHECK(source_error("layout", j) ==
        "sources[0].options.fields[1].formats[1]: \"%d/%q\": unknown directive %q (known: %Y, %m, %d, %b, %B, %%)");

  j = minimal_layout();
  j["fields"][0]["separator"] = "|";
  CHECK(source_error("layout", j) == "sources[0].options.fields[0].separator: only for type \"list\"");

  j = minimal_layout();
  j["header"] = false;
  CHECK(source_error("layout", j) ==
        "sources[0].options.columns: missing (required when \"header\" is false)");
  j["columns"] = {"id", "title"};
  CHECK(source_error("layout", j) ==
        "sources[0].options.fields[0].column: column \"name\" is not in \"columns\"");

  j = minimal_layout();
  j["delimiter"] = ";;";
  CHECK(source_error("layout", j) == "sources[0].options.delimiter: expected one character, got \";;\"");
}

TEST_CASE("a layout source needs its options", "[config][layout]") {
  json j{{"sources", json::array({{{"name", "s"}, {"format", "layout"}}})}};
  auto c = moviec::config::parse(j);
  REQUIRE_FALSE(c.is_ok());
  CHECK(c.status().message() ==
        "sources[0].options: missing (format \"layout\" is described by its options)");
}

TEST_CASE("inbox keys are read per source", "[config][layout]") {
  auto c = moviec::config::parse(json::parse(R"({"inbox_scan_ms": 200, "sources": [
      {"name": "vega", "format": "vega_json", "inbox": "/tmp/drop", "inbox_marker": true}]})"));
  REQUIRE(c.is_ok());
  CHECK(c->inbox_scan.count() == 200);
  CHECK(c->sources[0].inbox == "/tmp/drop");
  CHECK(c->sources[0].inbox_marker);
  auto round = moviec::config::parse(moviec::config::to_json(*c));
  REQUIRE(round.is_ok());
  CHECK(round->sources[0].inbox == "/tmp/drop");

  auto bad = moviec::config::parse(json::parse(R"({"sources": [{"name": "v", "format": "vega_json", "inbox": 3}]})"));
  REQUIRE_FALSE(bad.is_ok());
  CHECK(bad.status().message() == "sources[0].inbox: expected a string, got integer");
}

TEST_CASE("http_changes options are validated with their layout", "[config][layout]") {
  auto options = json::parse(R"({
    "changes_url": "http://127.0.0.1:9/movie/changes", "record_url": "http://127.0.0.1:9/movie/{id}",
    "interval_ms": 500, "retries": 2, "backoff_ms": 10, "max_backoff_ms": 100,
    "headers": {"Authorization": "Bearer k"},
    "layout": {"source_id": "id", "movie_id": "imdb_id", "fields": [{"column": "title", "field": "title"}]}})");
  CHECK(source_error("http_changes", options) == "ok");
  auto poll = moviec::config::parse_poll_options(options, "o");
  REQUIRE(poll.is_ok());
  CHECK(poll->interval.count() == 500);
  CHECK(poll->retries == 2);
  CHECK(poll->headers.at("Authorization") == "Bearer k");
  CHECK(poll->layout.type == "json");

  auto bad = options;
  bad["record_url"] = "http://127.0.0.1:9/movie/";
  CHECK(source_error("http_changes", bad) ==
        "sources[0].options.record_url: \"http://127.0.0.1:9/movie/\" has no {id}");
  bad = options;
  bad["layout"]["type"] = "csv";
  CHECK(source_error("http_changes", bad) ==
        "sources[0].options.layout.type: unknown type \"csv\" (expected one of \"json\")");
  bad = options;
  bad["max_backoff_ms"] = 5;
  CHECK(source_error("http_changes", bad) ==
        "sources[0].options.max_backoff_ms: must not be less than backoff_ms");
  bad = options;
  bad.erase("changes_url");
  CHECK(source_error("http_changes", bad) == "sources[0].options.changes_url: missing (required)");
}

TEST_CASE("value maps, JSON arrays in cells and on_error are checked", "[config][layout]") {
  auto with = [](json mapping) {
    auto j = minimal_layout();
    j["fields"].push_back(std::move(mapping));
    return source_error("layout", j);
  };
  CHECK(with({{"column", "g"}, {"field", "genres"}, {"type", "list"}, {"json_array", true}, {"item_key", "name"},
              {"values", {{"28", "Action"}}}, {"on_error", "skip"}}) == "ok");
  CHECK(with({{"column", "g"}, {"field", "genres"}, {"type", "list"}, {"item_key", "name"}}) ==
        "sources[0].options.fields[1].item_key: only with \"json_array\": true");
  CHECK(with({{"column", "g"}, {"field", "year"}, {"type", "int"}, {"json_array", true}}) ==
        "sources[0].options.fields[1].json_array: only for type \"list\"");
  CHECK(with({{"column", "g"}, {"field", "genres"}, {"type", "list"}, {"values", json::array()}}) ==
        "sources[0].options.fields[1].values: expected an object of code -> value, got []");
  CHECK(with({{"column", "g"}, {"field", "year"}, {"type", "int"}, {"values", {{"1", "2"}}}}) ==
        "sources[0].options.fields[1].values: only for type \"text\" or \"list\"");
  CHECK(with({{"column", "g"}, {"field", "year"}, {"type", "int"}, {"on_error", "ignore"}}) ==
        "sources[0].options.fields[1].on_error: unknown value \"ignore\" (expected \"reject\" or \"skip\")");
  CHECK(with({{"column", "g"}, {"field", "year"}, {"type", "int"}, {"required", true}, {"on_error", "skip"}}) ==
        "sources[0].options.fields[1].on_error: \"skip\" cannot be used with \"required\": true");
}
