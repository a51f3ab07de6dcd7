#include "sources/json_stream.hpp"

#include <fstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "support/temp_dir.hpp"

using moviec::sources::JsonContainer;
using moviec::sources::JsonElement;
using moviec::sources::JsonStream;
using moviec::sources::JsonStreamOptions;

namespace {

struct Got {
  std::uint64_t line;
  std::string text;
  std::string problem;
};

std::vector<Got> read_all(JsonStream& stream) {
  std::vector<Got> out;
  JsonElement e;
  while (stream.next(e)) out.push_back({e.line, std::string(e.text), e.problem});
  return out;
}

std::vector<Got> read_memory(const std::string& bytes, JsonContainer container,
                             JsonStreamOptions options = {}) {
  auto stream = JsonStream::from_memory("body", std::make_shared<const std::string>(bytes),
                                        container, options);
  return read_all(stream);
}

}  // namespace

TEST_CASE("a JSON array is split into its records with their first lines", "[sources][json]") {
  auto got = read_memory("[\r\n  {\"a\": 1},\r\n  {\"b\": \"x,]}\"},\r\n  {\"c\": [1, {\"d\": 2}]}\r\n]\r\n",
                         JsonContainer::detect);
  REQUIRE(got.size() == 3);
  CHECK(got[0].text == "{\"a\": 1}");
  CHECK(got[0].line == 2);
  CHECK(got[1].text == "{\"b\": \"x,]}\"}");  // brackets and commas inside strings do not split
  CHECK(got[1].line == 3);
  CHECK(got[2].text == "{\"c\": [1, {\"d\": 2}]}");
  CHECK(got[2].line == 4);
  for (auto& g : got) CHECK(g.problem.empty());
}

TEST_CASE("escaped quotes inside strings do not end the string", "[sources][json]") {
  auto got = read_memory(R"([{"t": "say \"hi\", ]"}, {"t": "back\\"}])", JsonContainer::array);
  REQUIRE(got.size() == 2);
  CHECK(got[0].text == R"({"t": "say \"hi\", ]"})");
  CHECK(got[1].text == R"({"t": "back\\"})");
}

TEST_CASE("records are found across chunk boundaries", "[sources][json]") {
  std::string bytes = "[";
  for (int i = 0; i < 200; ++i) bytes += (i ? "," : "") + std::string("{\"id\":") + std::to_string(i) + "}";
  bytes += "]";
  JsonStreamOptions tiny;
  tiny.chunk_bytes = 3;
  auto got = read_memory(bytes, JsonContainer::array, tiny);
  REQUIRE(got.size() == 200);
  CHECK(got[0].text == "{\"id\":0}");
  CHECK(got[199].text == "{\"id\":199}");
}

TEST_CASE("JSON lines give one record per non-blank line", "[sources][json]") {
  auto got = read_memory("{\"a\":1}\r\n\n  \n{\"b\":2}\n{\"c\":3}", JsonContainer::detect);
  REQUIRE(got.size() == 3);
  CHECK(got[0].line == 1);
  CHECK(got[1].text == "{\"b\":2}");
  CHECK(got[1].line == 4);
  CHECK(got[2].text == "{\"c\":3}");  // no final newline
  CHECK(got[2].line == 5);
}

TEST_CASE("a record longer than the limit is reported and skipped", "[sources][json]") {
  JsonStreamOptions small;
  small.max_record_bytes = 10;
  small.chunk_bytes = 4;
  auto got = read_memory("[{\"a\":1},{\"long\":\"aaaaaaaaaaaaaaaaaaaaaaaa\"},{\"b\":2}]", JsonContainer::array, small);
  REQUIRE(got.size() == 3);
  CHECK(got[0].text == "{\"a\":1}");
  CHECK(got[1].problem == "record longer than 10 bytes");
  CHECK(got[2].text == "{\"b\":2}");

  auto lines = read_memory("{\"a\":1}\n{\"long\":\"aaaaaaaaaaaaaaaaaaaa\"}\n{\"b\":2}\n", JsonContainer::lines, small);
  REQUIRE(lines.size() == 3);
  CHECK(lines[1].problem == "record longer than 10 bytes");
  CHECK(lines[1].line == 2);
  CHECK(lines[2].text == "{\"b\":2}");
}

TEST_CASE("a truncated array reports the cut record", "[sources][json]") {
  auto got = read_memory("[{\"a\":1},\n{\"b\":", JsonContainer::array);
  REQUIRE(got.size() == 2);
  CHECK(got[1].problem == "the input ends inside this record (truncated?)");
  CHECK(got[1].line == 2);
  auto open = read_memory("[{\"a\":1},", JsonContainer::array);
  REQUIRE(open.size() == 2);
  CHECK(open[1].problem == "the input ends inside the JSON array (no closing ']')");
}

TEST_CASE("input that is not an array is one problem when an array is required", "[sources][json]") {
  auto got = read_memory("{\"a\":1}\n", JsonContainer::array);
  REQUIRE(got.size() == 1);
  CHECK(got[0].problem == "not a JSON array (the input starts with '{')");
  auto empty = read_memory("", JsonContainer::array);
  REQUIRE(empty.size() == 1);
  CHECK(empty[0].problem == "empty input (expected a JSON array)");
  CHECK(read_memory("", JsonContainer::detect).empty());
  CHECK(read_memory("[]", JsonContainer::detect).empty());
}

TEST_CASE("bytes after the closing bracket are reported once", "[sources][json]") {
  auto got = read_memory("[{\"a\":1}]\nxyz", JsonContainer::array);
  REQUIRE(got.size() == 2);
  CHECK(got[1].problem == "unexpected 'x' after the end of the JSON array");
  CHECK(got[1].line == 2);
}

TEST_CASE("empty records and a trailing comma in an array", "[sources][json]") {
  auto got = read_memory("[{\"a\":1},,{\"b\":2},]", JsonContainer::array);
  REQUIRE(got.size() == 3);
  CHECK(got[1].problem == "empty record (two commas in a row)");
  CHECK(got[2].text == "{\"b\":2}");
}

TEST_CASE("a byte-order mark before the array is skipped", "[sources][json]") {
  auto got = read_memory("\xEF\xBB\xBF[{\"a\":1}]", JsonContainer::array);
  REQUIRE(got.size() == 1);
  CHECK(got[0].text == "{\"a\":1}");
}

TEST_CASE("seeking to a saved position resumes with the next record", "[sources][json]") {
  moviec::test::TempDir dir;
  for (auto container : {JsonContainer::array, JsonContainer::lines}) {
    std::string bytes;
    if (container == JsonContainer::array) bytes = "[\n{\"id\":1},\n{\"id\":2},\n{\"id\":3}\n]\n";
    else bytes = "{\"id\":1}\n{\"id\":2}\n\n{\"id\":3}\n";
    auto path = (dir / "in.json").string();
    std::ofstream(path, std::ios::binary) << bytes;
    auto first = JsonStream::open(path, JsonContainer::detect);
    REQUIRE(first.is_ok());
    JsonElement e;
    REQUIRE(first->next(e));
    REQUIRE(first->next(e));
    CHECK(e.text == "{\"id\":2}");
    auto saved = first->position();

    auto second = JsonStream::open(path, JsonContainer::detect);
    REQUIRE(second.is_ok());
    REQUIRE(second->seek(saved).is_ok());
    auto rest = read_all(*second);
    REQUIRE(rest.size() == 1);
    CHECK(rest[0].text == "{\"id\":3}");
    CHECK(rest[0].line == 4);
    CHECK(second->offset() == second->size());
  }
}

TEST_CASE("parse_json_record says where a record is broken", "[sources][json]") {
  CHECK(moviec::sources::parse_json_record("{\"a\": 1}").is_ok());
  auto bad = moviec::sources::parse_json_record("{\"a\": }");
  REQUIRE_FALSE(bad.is_ok());
  CHECK(bad.status().message().rfind("invalid JSON at byte 7 of the record: ", 0) == 0);
}
