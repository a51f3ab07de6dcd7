#include "sources/tsv_reader.hpp"

#include <fstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "support/temp_dir.hpp"

using moviec::sources::TsvLine;
using moviec::sources::TsvOptions;
using moviec::sources::TsvReader;

namespace {

struct Line {
  std::uint64_t number;
  std::string text;
  std::vector<std::string> fields;
  bool too_long;
};

std::string write(const moviec::test::TempDir& dir, const std::string& bytes) {
  auto path = (dir / "t.tsv").string();
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

std::vector<Line> read_all(const std::string& path, TsvOptions options = {}) {
  auto reader = TsvReader::open(path, options);
  REQUIRE(reader.is_ok());
  std::vector<Line> out;
  TsvLine line;
  while (reader->next(line)) {
    Line l{line.number, std::string(line.text), {}, line.too_long};
    for (auto f : line.fields) l.fields.emplace_back(f);
    out.push_back(std::move(l));
  }
  CHECK(reader->status().is_ok());
  CHECK(reader->offset() == reader->size());
  return out;
}

}  // namespace

TEST_CASE("tsv lines are split on tabs and numbered from 1", "[sources][tsv]") {
  moviec::test::TempDir dir;
  auto lines = read_all(write(dir, "a\tb\tc\n\td\t\nlast\n"));
  REQUIRE(lines.size() == 3);
  CHECK(lines[0].number == 1);
  CHECK(lines[0].fields == std::vector<std::string>{"a", "b", "c"});
  CHECK(lines[1].number == 2);
  CHECK(lines[1].fields == std::vector<std::string>{"", "d", ""});
  CHECK(lines[2].fields == std::vector<std::string>{"last"});
}

TEST_CASE("tsv CRLF line endings are stripped", "[sources][tsv]") {
  moviec::test::TempDir dir;
  auto lines = read_all(write(dir, "a\tb\r\nc\td\r\n"));
  REQUIRE(lines.size() == 2);
  CHECK(lines[0].text == "a\tb");
  CHECK(lines[0].fields == std::vector<std::string>{"a", "b"});
  CHECK(lines[1].fields == std::vector<std::string>{"c", "d"});
}

TEST_CASE("tsv final line without a newline is still read", "[sources][tsv]") {
  moviec::test::TempDir dir;
  auto lines = read_all(write(dir, "a\tb\ntt0030427\tmo"));
  REQUIRE(lines.size() == 2);
  CHECK(lines[1].number == 2);
  CHECK(lines[1].fields == std::vector<std::string>{"tt0030427", "mo"});
}

TEST_CASE("tsv file ending in a newline has no extra empty line", "[sources][tsv]") {
  moviec::test::TempDir dir;
  CHECK(read_all(write(dir, "x\n")).size() == 1);
  CHECK(read_all(write(dir, "")).empty());
  auto blank = read_all(write(dir, "x\n\ny\n"));
  REQUIRE(blank.size() == 3);
  CHECK(blank[1].text.empty());
  CHECK(blank[1].fields == std::vector<std::string>{""});
}

TEST_CASE("tsv lines crossing chunk boundaries come out whole", "[sources][tsv]") {
  moviec::test::TempDir dir;
  std::string content;
  for (int i = 0; i < 50; ++i) content += "row" + std::to_string(i) + "\tvalue\r\n";
  auto path = write(dir, content);
  for (std::size_t chunk : {1, 2, 3, 7, 64}) {
    TsvOptions options;
    options.chunk_bytes = chunk;
    auto lines = read_all(path, options);
    REQUIRE(lines.size() == 50);
    CHECK(lines[49].number == 50);
    CHECK(lines[49].fields == std::vector<std::string>{"row49", "value"});
  }
}

TEST_CASE("tsv offset counts the bytes of the lines returned", "[sources][tsv]") {
  moviec::test::TempDir dir;
  auto reader = TsvReader::open(write(dir, "ab\r\ncd\nef"), TsvOptions{2, 1024});
  REQUIRE(reader.is_ok());
  CHECK(reader->size() == 9);
  TsvLine line;
  REQUIRE(reader->next(line));
  CHECK(reader->offset() == 4);
  REQUIRE(reader->next(line));
  CHECK(reader->offset() == 7);
  REQUIRE(reader->next(line));
  CHECK(reader->offset() == 9);
  CHECK_FALSE(reader->next(line));
}

TEST_CASE("tsv lines over the maximum are reported too long and skipped", "[sources][tsv]") {
  moviec::test::TempDir dir;
  std::string content = "short\n" + std::string(100, 'x') + "\nafter\n" + std::string(40, 'y');
  TsvOptions options;
  options.chunk_bytes = 8;
  options.max_line_bytes = 16;
  auto lines = read_all(write(dir, content), options);
  REQUIRE(lines.size() == 4);
  CHECK_FALSE(lines[0].too_long);
  CHECK(lines[1].too_long);
  CHECK(lines[1].number == 2);
  CHECK(lines[1].fields.empty());
  CHECK(lines[2].text == "after");
  CHECK(lines[2].number == 3);
  CHECK(lines[3].too_long);
}

TEST_CASE("tsv a line of exactly the maximum length is kept", "[sources][tsv]") {
  moviec::test::TempDir dir;
  TsvOptions options;
  options.chunk_bytes = 5;
  options.max_line_bytes = 16;
  auto lines = read_all(write(dir, std::string(16, 'x') + "\n" + std::string(16, 'z')), options);
  REQUIRE(lines.size() == 2);
  CHECK_FALSE(lines[0].too_long);
  CHECK(lines[0].text == std::string(16, 'x'));
  CHECK_FALSE(lines[1].too_long);
}

TEST_CASE("tsv open of a missing file names it", "[sources][tsv]") {
  moviec::test::TempDir dir;
  auto path = (dir / "missing.tsv").string();
  auto reader = TsvReader::open(path);
  REQUIRE_FALSE(reader.is_ok());
  CHECK_THAT(reader.status().message(), Catch::StartsWith(path + ": cannot open"));
  auto d = TsvReader::open(dir.str());
  REQUIRE_FALSE(d.is_ok());
  CHECK(d.status().message() == dir.str() + ": is a directory");
}

TEST_CASE("tsv a large file streams with a small buffer", "[sources][tsv]") {
  moviec::test::TempDir dir;
  auto path = (dir / "big.tsv").string();
  {
    std::ofstream out(path, std::ios::binary);
    for (int i = 0; i < 200000; ++i) out << "tt" << i << "\t" << i % 10 << "\n";
  }
  auto reader = TsvReader::open(path, TsvOptions{4096, 256});
  REQUIRE(reader.is_ok());
  TsvLine line;
  std::uint64_t n = 0;
  while (reader->next(line)) {
    ++n;
    REQUIRE(line.fields.size() == 2);
  }
  CHECK(n == 200000);
  CHECK(line.number == 200000);
  CHECK(reader->offset() == reader->size());
}
