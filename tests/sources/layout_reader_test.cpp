// Sources described by config alone (format "layout"): CSV, TSV, JSON array and
// JSON lines through the same field mappings.

#include "sources/layout_reader.hpp"


#include <catch2/catch.hpp>

#include "config/config.hpp"
#include "sources/layout_mapper.hpp"
#include "sources/normalize.hpp"
#include "sources/record_reader.hpp"
#include "support/read_all.hpp"
#include "support/temp_dir.hpp"

using namespace moviec;
using moviec::test::write_file;
using nlohmann::json;

namespace {

struct Read {
  std::vector<sources::Item> items;
  std::vector<sources::Reject> rejects;
};

config::SourceConfig layout_source(const json& options) {
  json j{{"sources", json::array({{{"name", "films"}, {"format", "layout"}, {"options", options}}})}};
  auto c = config::parse(j);
  INFO(c.status().message());
  REQUIRE(c.is_ok());
  return c->sources[0];
}

Read read_all(const config::SourceConfig& source, const std::vector<std::string>& files) {
  auto reader = sources::open_reader(source, files);
  INFO(reader.status().message());
  REQUIRE(reader.is_ok());
  Read out;
  sources::Item item;
  while ((*reader)->next(item, out.rejects)) out.items.push_back(item);
  CHECK((*reader)->status().is_ok());
  return out;
}

json csv_layout() {
  return json::parse(R"({
    "type": "csv", "source_id": "id", "movie_id": "imdb",
    "fields": [
      {"column": "name", "field": "title", "required": true},
      {"column": "released", "field": "registration_date", "type": "date", "formats": ["%d/%m/%Y"]},
      {"column": "year", "field": "year", "type": "int"},
      {"column": "minutes", "field": "runtime_minutes", "type": "int", "zero_means_missing": true},
      {"column": "genres", "field": "genres", "type": "list", "separator": "|"},
      {"column": "stars", "field": "source_ratings", "type": "rating", "name": "stars",
       "scale": [0, 5], "votes": "voters"},
      {"column": "tmdb", "field": "external_ids.tmdb", "type": "int"},
      {"column": "budget", "field": "metadata.budget", "type": "float"}
    ]})");
}

}  // namespace

TEST_CASE("a CSV layout maps each column to its field", "[sources][layout]") {
  test::TempDir dir;
  auto file = write_file(dir, "films.csv",
                    "id,imdb,name,released,year,minutes,genres,stars,voters,tmdb,budget\n"
                    "1,tt0114709,\"Toy Story\",22/11/1995,1995,81,Animation|Comedy,4.5,120,862,3e7\n"
                    "2,,\"Usual Suspects, The\",,1995,0,,,,,\n");
  auto r = read_all(layout_source(csv_layout()), {file});
  REQUIRE(r.rejects.empty());
  REQUIRE(r.items.size() == 2);
  auto& toy = r.items[0].record;
  CHECK(r.items[0].input == "films.csv:2");
  CHECK(toy.source == "films");
  CHECK(toy.source_id == "1");
  CHECK(toy.movie_id == "tt0114709");
  CHECK(toy.title == "Toy Story");
  CHECK(toy.registration_date == "1995-11-22");
  CHECK(toy.year == 1995);
  CHECK(toy.runtime_minutes == 81);
  CHECK(toy.genres == std::vector<std::string>{"Animation", "Comedy"});
  REQUIRE(toy.source_ratings.size() == 1);
  CHECK(toy.source_ratings[0].name == "stars");
  CHECK(toy.source_ratings[0].value == 4.5);
  CHECK(toy.source_ratings[0].votes == 120);
  CHECK(toy.source_ratings[0].normalized == 90);
  CHECK(toy.external_ids.at("tmdb") == "862");
  CHECK(toy.metadata.at("budget") == "30000000");
  CHECK(toy.metadata_numbers == std::set<std::string>{"budget"});  // JSON shows 30000000
  CHECK(json(toy)["metadata"]["budget"] == 30000000);

  auto& usual = r.items[1].record;
  CHECK(usual.title == "The Usual Suspects");
  CHECK(usual.movie_id.empty());
  CHECK_FALSE(usual.runtime_minutes);  // 0 means missing here
  CHECK(usual.source_ratings.empty());
}

TEST_CASE("a bad value rejects its row with the column and the rest goes through", "[sources][layout]") {
  test::TempDir dir;
  auto file = write_file(dir, "films.csv",
                    "id,imdb,name,released,year,minutes,genres,stars,voters,tmdb,budget\n"
                    "1,,A,31/02/1999,,,,,,,\n"
                    "2,,B,,199x,,,,,,\n"
                    "3,,C,,,,,7,,,\n"
                    "4,,,,,,,,,,\n"
                    ",,E,,,,,,,,\n"
                    "6,,F,,,,,\n"
                    "7,,G,01/01/2001,2003,,,,,,\n"
                    "8,,H,,,,,,,,\n");
  auto r = read_all(layout_source(csv_layout()), {file});
  REQUIRE(r.items.size() == 1);
  CHECK(r.items[0].record.title == "H");
  REQUIRE(r.rejects.size() == 7);
  CHECK(r.rejects[0].line == 2);
  CHECK(r.rejects[0].reason.rfind("column \"released\": \"31/02/1999\": ", 0) == 0);
  CHECK(r.rejects[0].source_id == "1");
  CHECK(r.rejects[1].reason == "column \"year\": \"199x\": not a whole number");
  CHECK(r.rejects[2].reason == "column \"stars\": 7: out of range 0..5");
  CHECK(r.rejects[3].reason == "column \"name\": missing (required)");
  CHECK(r.rejects[4].reason == "no source id (column \"id\" is empty)");
  CHECK(r.rejects[4].source_id.empty());
  CHECK(r.rejects[5].reason == "expected 11 fields, got 8");
  CHECK(r.rejects[6].reason.find("2003") != std::string::npos);  // released before it was made
  for (auto& x : r.rejects) CHECK(x.file == "films.csv");
}

TEST_CASE("a header without a mapped column rejects the file at line 1", "[sources][layout]") {
  test::TempDir dir;
  auto bad = write_file(dir, "a.csv", "id,name\n1,A\n");
  auto good = write_file(dir, "b.csv",
                    "id,imdb,name,released,year,minutes,genres,stars,voters,tmdb,budget\n9,,Z,,,,,,,,\n");
  auto r = read_all(layout_source(csv_layout()), {bad, good});
  REQUIRE(r.rejects.size() == 1);
  CHECK(r.rejects[0].file == "a.csv");
  CHECK(r.rejects[0].line == 1);
  CHECK(r.rejects[0].reason == "no column \"imdb\" in the header (it has: id, name)");
  REQUIRE(r.items.size() == 1);
  CHECK(r.items[0].input == "b.csv:2");
}

TEST_CASE("a TSV layout without a header names its columns in the config", "[sources][layout]") {
  test::TempDir dir;
  auto file = write_file(dir, "f.tsv", "10\tAlien\t1979\tHorror,Sci-Fi\n11\tHeat\t1995\t\\N\n");
  auto options = json::parse(R"({"type": "tsv", "header": false, "columns": ["key", "t", "y", "g"],
    "source_id": "key", "fields": [{"column": "t", "field": "title"}, {"column": "y", "field": "year", "type": "int"},
    {"column": "g", "field": "genres", "type": "list"}]})");
  auto r = read_all(layout_source(options), {file});
  REQUIRE(r.rejects.empty());
  REQUIRE(r.items.size() == 2);
  CHECK(r.items[0].record.source_id == "10");
  CHECK(r.items[0].record.genres == std::vector<std::string>{"Horror", "Sci-Fi"});
  CHECK(r.items[1].record.year == 1995);
  CHECK(r.items[1].record.genres.empty());
  CHECK(r.items[1].input == "f.tsv:2");
}

TEST_CASE("JSON lines and a JSON array map keys, pointers, numbers and arrays", "[sources][layout]") {
  test::TempDir dir;
  auto options = json::parse(R"({"type": "json", "source_id": "id", "movie_id": "/ids/imdb",
    "fields": [{"column": "title", "field": "title"}, {"column": "year", "field": "year", "type": "int"},
               {"column": "tags", "field": "genres", "type": "list"},
               {"column": "/scores/critics", "field": "source_ratings", "type": "rating", "name": "critics", "scale": [0, 100]}]})");
  auto lines = write_file(dir, "feed.jsonl",
                     "{\"id\": 7, \"title\": 1776, \"year\": 1972.0, \"tags\": [\"Musical\", null], "
                     "\"ids\": {\"imdb\": \"tt0068156\"}, \"scores\": {\"critics\": 67}}\n"
                     "\n"
                     "[1, 2]\n"
                     "{\"id\": 8, \"title\": \"X\", \"year\": \"soon\"}\n"
                     "{\"id\": 9, \"title\": \"Y\"\n");
  auto r = read_all(layout_source(options), {lines});
  REQUIRE(r.items.size() == 1);
  auto& m = r.items[0].record;
  CHECK(m.source_id == "7");
  CHECK(m.movie_id == "tt0068156");
  CHECK(m.title == "1776");
  CHECK(m.year == 1972);
  CHECK(m.genres == std::vector<std::string>{"Musical"});
  REQUIRE(m.source_ratings.size() == 1);
  CHECK(m.source_ratings[0].normalized == 67);
  REQUIRE(r.rejects.size() == 3);
  CHECK(r.rejects[0].line == 3);
  CHECK(r.rejects[0].reason == "expected a JSON object, got array");
  CHECK(r.rejects[1].line == 4);
  CHECK(r.rejects[1].reason == "column \"year\": \"soon\": not a whole number");
  CHECK(r.rejects[2].line == 5);
  CHECK(r.rejects[2].reason.rfind("invalid JSON at byte", 0) == 0);

  auto array = write_file(dir, "feed.json", "[\n {\"id\": \"a\", \"title\": \"One\"},\n {\"id\": \"b\", \"title\": \"Two\"}\n]\n");
  auto a = read_all(layout_source(options), {array});
  REQUIRE(a.items.size() == 2);
  CHECK(a.items[1].record.title == "Two");
  CHECK(a.items[1].input == "feed.json:3");
}

TEST_CASE("a JSON layout reader resumes from its position", "[sources][layout]") {
  test::TempDir dir;
  auto options = json::parse(R"({"type": "json", "source_id": "id", "fields": [{"column": "t", "field": "title"}]})");
  auto one = write_file(dir, "1.json", "[{\"id\": 1, \"t\": \"a\"}, {\"id\": 2, \"t\": \"b\"}]");
  auto two = write_file(dir, "2.jsonl", "{\"id\": 3, \"t\": \"c\"}\n{\"id\": 4, \"t\": \"d\"}\n");
  auto source = layout_source(options);
  auto reader = sources::open_reader(source, {one, two});
  REQUIRE(reader.is_ok());
  sources::Item item;
  std::vector<sources::Reject> rejects;
  for (int i = 0; i < 3; ++i) REQUIRE((*reader)->next(item, rejects));
  CHECK(item.record.source_id == "3");
  auto position = (*reader)->position();
  REQUIRE(position.is_object());

  auto again = sources::open_reader(source, {one, two});
  REQUIRE(again.is_ok());
  REQUIRE((*again)->resume(position).is_ok());
  REQUIRE((*again)->next(item, rejects));
  CHECK(item.record.source_id == "4");
  CHECK(item.input == "2.jsonl:2");
  CHECK_FALSE((*again)->next(item, rejects));
  CHECK((*again)->bytes_read() == (*again)->bytes_total());
}

TEST_CASE("a second row for one source id is rejected with both lines, in one file or across files",
          "[sources][layout]") {
  test::TempDir dir;
  auto options = json::parse(R"({"type": "csv", "source_id": "id", "fields": [{"column": "t", "field": "title"}]})");
  auto one = write_file(dir, "a.csv", "id,t\n1,Heat\n2,Ran\n1,Heat (again)\n");
  auto two = write_file(dir, "b.csv", "id,t\n3,Alien\n2,Ran\n");
  auto r = read_all(layout_source(options), {one, two});
  REQUIRE(r.items.size() == 3);
  CHECK(r.items[0].record.title == "Heat");  // the first row for an id stands
  CHECK(r.items[2].record.source_id == "3");
  REQUIRE(r.rejects.size() == 2);
  CHECK(r.rejects[0].file == "a.csv");
  CHECK(r.rejects[0].line == 4);
  CHECK(r.rejects[0].reason == "duplicate row for 1 (first at line 2)");
  CHECK(r.rejects[0].source_id == "1");
  CHECK(r.rejects[1].file == "b.csv");
  CHECK(r.rejects[1].line == 3);
  CHECK(r.rejects[1].reason == "duplicate row for 2 (first at a.csv:3)");
}

TEST_CASE("derived ids number repeated keys in input order", "[sources][layout]") {
  config::Layout layout;
  layout.type = "json";
  layout.source_id = {"t", "d"};
  config::FieldMapping title;
  title.column = "t";
  title.field = "title";
  layout.fields.push_back(title);
  sources::LayoutMapper mapper("s", layout);
  auto map = [&](const json& j) {
    std::string id;
    sources::JsonRow row(j, mapper.columns());
    auto r = mapper.map(row, id);
    REQUIRE(r.is_ok());
    return r->source_id;
  };
  CHECK(map(json{{"t", "Heat"}, {"d", "1995"}}) == "Heat | 1995");
  CHECK(map(json{{"t", "Heat"}, {"d", "1986"}}) == "Heat | 1986");
  CHECK(map(json{{"t", "Heat"}, {"d", "1995"}}) == "Heat | 1995#2");
  CHECK(map(json{{"t", "Heat"}}) == "Heat | ");
  CHECK(mapper.derives_ids());
}

TEST_CASE("the config accepts exactly the date formats the date parser knows", "[sources][layout]") {
  for (std::string f : {"%Y-%m-%d", "%b %d %Y", "%d/%m/%Y", "%Y", "%B %d, %Y", "%Y%%", "%d %Y", "%m/%q/%Y", "%Y-%"})
    CHECK(config::check_date_format_directives(f).is_ok() == sources::check_date_format(f).is_ok());
}

TEST_CASE("TMDB's shape: JSON arrays in cells, value maps, 116.0 as a whole number", "[sources][layout]") {
  test::TempDir dir;
  // Three rows in the shape of TMDB 5000 (quoted JSON with doubled quotes).
  auto file = write_file(dir, "tmdb.csv",
                         "id,title,genres,genre_ids,runtime,release_date\n"
                         "1,Things to Do in Denver When You're Dead,\"[{\"\"id\"\": 80, \"\"name\"\": \"\"Crime\"\"}, "
                         "{\"\"id\"\": 18, \"\"name\"\": \"\"Drama\"\"}]\",80|18,116.0,1995-12-01\n"
                         "2,Avatar,[],,0,2009-12-10\n"
                         "3,Broken,\"[{\"\"id\"\": 1}]\",99,116.5,2009-12-10\n");
  auto layout = json::parse(R"({
    "type": "csv", "source_id": "id",
    "fields": [
      {"column": "title", "field": "title"},
      {"column": "genres", "field": "genres", "type": "list", "json_array": true, "item_key": "name"},
      {"column": "genre_ids", "field": "metadata.genre_names", "type": "list", "separator": "|",
       "values": {"80": "Crime", "18": "Drama"}},
      {"column": "runtime", "field": "runtime_minutes", "type": "int", "zero_means_missing": true},
      {"column": "release_date", "field": "year", "type": "date"}
    ]})");
  auto r = read_all(layout_source(layout), {file});
  REQUIRE(r.items.size() == 2);
  auto& denver = r.items[0].record;
  CHECK(denver.genres == std::vector<std::string>{"Crime", "Drama"});
  CHECK(denver.metadata.at("genre_names") == "Crime|Drama");
  CHECK(denver.runtime_minutes == 116);  // "116.0"
  CHECK(r.items[1].record.genres.empty());
  CHECK_FALSE(r.items[1].record.runtime_minutes);
  // An object without the key says nothing; a decimal that is not whole is still an error.
  REQUIRE(r.rejects.size() == 1);
  CHECK(r.rejects[0].reason == "column \"runtime\": \"116.5\": not a whole number");
}

TEST_CASE("on_error skip leaves a bad optional value out and keeps the row", "[sources][layout]") {
  test::TempDir dir;
  auto file = write_file(dir, "films.csv", "id,name,minutes,genres\n1,Heat,abc,not json\n2,Alien,117,\"[\"\"Horror\"\"]\"\n");
  auto layout = json::parse(R"({
    "type": "csv", "source_id": "id",
    "fields": [
      {"column": "name", "field": "title"},
      {"column": "minutes", "field": "runtime_minutes", "type": "int", "on_error": "skip"},
      {"column": "genres", "field": "genres", "type": "list", "json_array": true, "on_error": "skip"}
    ]})");
  auto r = read_all(layout_source(layout), {file});
  CHECK(r.rejects.empty());
  REQUIRE(r.items.size() == 2);
  auto& heat = r.items[0].record;
  CHECK(heat.title == "Heat");
  CHECK_FALSE(heat.runtime_minutes);
  CHECK(heat.metadata.at("skipped") ==
        "column \"minutes\": \"abc\": not a whole number; column \"genres\": not a JSON array (it does not parse as JSON)");
  CHECK(r.items[1].record.runtime_minutes == 117);
  CHECK(r.items[1].record.genres == std::vector<std::string>{"Horror"});
  CHECK(r.items[1].record.metadata.count("skipped") == 0);
}
