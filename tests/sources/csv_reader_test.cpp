#include "sources/csv_reader.hpp"

#include <fstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "support/temp_dir.hpp"

using moviec::sources::CsvOptions;
using moviec::sources::CsvReader;
using moviec::sources::CsvRecord;

namespace {

struct Row {
  std::uint64_t line = 0;
  std::uint64_t end_line = 0;
  std::vector<std::string> fields;
  bool too_long = false;
  std::string error;
};

std::vector<Row> read_bytes(const std::string& bytes, CsvOptions options = {},
                            std::uint64_t* offset = nullptr, std::uint64_t* size = nullptr) {
  moviec::test::TempDir dir;
  auto path = (dir / "in.csv").string();
  std::ofstream(path, std::ios::binary) << bytes;
  auto reader = CsvReader::open(path, options);
  REQUIRE(reader.is_ok());
  std::vector<Row> rows;
  CsvRecord rec;
  while (reader->next(rec)) {
    Row row{rec.line, rec.end_line, {}, rec.too_long, rec.error};
    for (auto f : rec.fields) row.fields.emplace_back(f);
    rows.push_back(std::move(row));
    REQUIRE(reader->offset() <= reader->size());
  }
  CHECK(reader->status().is_ok());
  if (offset) *offset = reader->offset();
  if (size) *size = reader->size();
  return rows;
}

using Fields = std::vector<std::string>;

}  // namespace

TEST_CASE("csv fields split on commas and records are numbered by line", "[sources][csv]") {
  auto rows = read_bytes("movieId,title,genres\n1,Toy Story (1995),Adventure|Animation\n2,,\n");
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].fields == Fields{"movieId", "title", "genres"});
  CHECK(rows[1].fields == Fields{"1", "Toy Story (1995)", "Adventure|Animation"});
  CHECK(rows[1].line == 2);
  CHECK(rows[2].fields == Fields{"2", "", ""});
  CHECK(rows[2].line == 3);
  for (auto& r : rows) CHECK(r.error.empty());
}

TEST_CASE("csv quoted fields hold commas, doubled quotes and line breaks", "[sources][csv]") {
  auto rows = read_bytes(
      "11,\"American President, The (1995)\",Comedy\n"
      "7789,\"11'09\"\"01 - September 11 (2002)\",Drama\n"
      "3,\"two\nlines\r\nand three\",x\n"
      "4,\"\",\"\"\"\"\n"
      "5,last\n");
  REQUIRE(rows.size() == 5);
  CHECK(rows[0].fields == Fields{"11", "American President, The (1995)", "Comedy"});
  CHECK(rows[1].fields == Fields{"7789", "11'09\"01 - September 11 (2002)", "Drama"});
  CHECK(rows[2].fields == Fields{"3", "two\nlines\r\nand three", "x"});
  CHECK(rows[2].line == 3);
  CHECK(rows[2].end_line == 5);
  CHECK(rows[3].fields == Fields{"4", "", "\""});
  CHECK(rows[3].line == 6);  // the physical line where the record starts
  CHECK(rows[4].line == 7);
}

TEST_CASE("csv CRLF, a byte-order mark and no final newline read like plain LF", "[sources][csv]") {
  std::uint64_t offset = 0, size = 0;
  auto rows = read_bytes("\xEF\xBB\xBFmovie_title,rating\r\n\"Hello, Dolly!\",G\r\nEasy Rider,R",
                         {}, &offset, &size);
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].fields == Fields{"movie_title", "rating"});
  CHECK(rows[1].fields == Fields{"Hello, Dolly!", "G"});
  CHECK(rows[2].fields == Fields{"Easy Rider", "R"});
  CHECK(rows[2].line == 3);
  CHECK(offset == size);
  // A quoted field right before CRLF.
  auto quoted = read_bytes("a,\"b\"\r\nc,d\r\n");
  REQUIRE(quoted.size() == 2);
  CHECK(quoted[0].fields == Fields{"a", "b"});
  CHECK(quoted[1].fields == Fields{"c", "d"});
  CHECK(quoted[0].error.empty());
}

TEST_CASE("csv blank lines are not records, a file ending in a newline has no extra record",
          "[sources][csv]") {
  auto rows = read_bytes("a,b\n\n\r\nc,d\n\n");
  REQUIRE(rows.size() == 2);
  CHECK(rows[1].fields == Fields{"c", "d"});
  CHECK(rows[1].line == 4);
  CHECK(read_bytes("").empty());
  CHECK(read_bytes("\xEF\xBB\xBF").empty());
  // A quoted empty field is a record, not a blank line.
  auto empty = read_bytes("\"\"\n");
  REQUIRE(empty.size() == 1);
  CHECK(empty[0].fields == Fields{""});
  // A trailing delimiter is a final empty field.
  CHECK(read_bytes("a,\n")[0].fields == Fields{"a", ""});
}

TEST_CASE("csv malformed quoting is reported on the record and the rest still reads",
          "[sources][csv]") {
  auto rows = read_bytes("1,\"abc\"x,2\n3,ok\n4,\"open\n5,never closed\n");
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].error == "field 2 has text after its closing quote");
  CHECK(rows[0].fields == Fields{"1", "abcx", "2"});
  CHECK(rows[1].error.empty());
  CHECK(rows[1].fields == Fields{"3", "ok"});
  CHECK(rows[2].line == 3);
  CHECK(rows[2].error == "quoted field opened at line 3 is not closed at the end of the file");
  // A quote inside an unquoted field is a character.
  auto inch = read_bytes("12\" vinyl,x\n");
  CHECK(inch[0].fields == Fields{"12\" vinyl", "x"});
  CHECK(inch[0].error.empty());
}

TEST_CASE("csv records crossing chunk boundaries come out whole", "[sources][csv]") {
  std::string text = "\xEF\xBB\xBFid,title\r\n";
  for (int i = 0; i < 50; ++i)
    text += std::to_string(i) + ",\"Title, " + std::to_string(i) + " \"\"q\"\"\nsecond line\"\r\n";
  for (std::size_t chunk : {1, 2, 3, 5, 7, 64}) {
    CsvOptions options;
    options.chunk_bytes = chunk;
    auto rows = read_bytes(text, options);
    REQUIRE(rows.size() == 51);
    CHECK(rows[0].fields == Fields{"id", "title"});
    CHECK(rows[50].fields == Fields{"49", "Title, 49 \"q\"\nsecond line"});
    CHECK(rows[50].line == 2 + 49 * 2);
    for (auto& r : rows) CHECK(r.error.empty());
  }
}

TEST_CASE("csv a record over the maximum is reported too long and skipped", "[sources][csv]") {
  CsvOptions options;
  options.max_record_bytes = 10;
  options.chunk_bytes = 4;
  auto rows = read_bytes("a,b\n0123456789,x\nc,d\n", options);
  REQUIRE(rows.size() == 3);
  CHECK(rows[1].too_long);
  CHECK(rows[1].fields.empty());
  CHECK(rows[1].line == 2);
  CHECK(rows[2].fields == Fields{"c", "d"});
  CHECK(rows[2].line == 3);
  CHECK_FALSE(rows[2].too_long);
}

TEST_CASE("csv a quoted field over the maximum ends at the next line break, not the next quote",
          "[sources][csv]") {
  CsvOptions options;
  options.max_record_bytes = 1000;
  options.chunk_bytes = 64;
  // An unclosed quote, 5,000 bytes on the next line, then a valid row whose quote
  // would otherwise have closed the unclosed one (and swallowed the row).
  auto rows = read_bytes("id,title\n1,\"unclosed\n" + std::string(5000, 'x') + "\n2,\"Valid\"\n3,Next\n", options);
  REQUIRE(rows.size() == 4);
  CHECK(rows[1].too_long);
  CHECK(rows[1].line == 2);
  CHECK(rows[1].end_line == 3);
  CHECK(rows[1].error == "quoted field opened at line 2 is not closed within 1000 bytes");
  CHECK(rows[2].fields == Fields{"2", "Valid"});
  CHECK(rows[2].line == 4);
  CHECK(rows[3].fields == Fields{"3", "Next"});
  CHECK(rows[3].line == 5);
  // A quoted field with line breaks that fits stays one field.
  auto fits = read_bytes("\"a\nb\",c\n", options);
  REQUIRE(fits.size() == 1);
  CHECK(fits[0].fields == Fields{"a\nb", "c"});
}

TEST_CASE("csv another delimiter splits the same way", "[sources][csv]") {
  CsvOptions options;
  options.delimiter = ';';
  auto rows = read_bytes("a;\"b;c\";d,e\n", options);
  CHECK(rows[0].fields == Fields{"a", "b;c", "d,e"});
  options.delimiter = '\t';
  CHECK(read_bytes("x\t\"y\tz\"\n", options)[0].fields == Fields{"x", "y\tz"});
}

TEST_CASE("csv open of a missing file or a directory names it", "[sources][csv]") {
  auto missing = CsvReader::open("/nonexistent/movies.csv");
  REQUIRE_FALSE(missing.is_ok());
  CHECK_THAT(missing.status().message(), Catch::StartsWith("/nonexistent/movies.csv: cannot open"));
  moviec::test::TempDir dir;
  auto directory = CsvReader::open(dir.str());
  REQUIRE_FALSE(directory.is_ok());
  CHECK_THAT(directory.status().message(), Catch::EndsWith(": is a directory"));
}

TEST_CASE("csv a large file streams with bounded buffers", "[sources][csv]") {
  moviec::test::TempDir dir;
  auto path = (dir / "big.csv").string();
  {
    std::ofstream out(path, std::ios::binary);
    out << "userId,movieId,rating,timestamp\n";
    for (int i = 0; i < 200000; ++i) out << i << ',' << i % 977 << ",3.5,964982703\n";
  }
  CsvOptions options;
  options.chunk_bytes = 4096;
  auto reader = CsvReader::open(path, options);
  REQUIRE(reader.is_ok());
  CsvRecord rec;
  std::size_t n = 0;
  std::size_t max_capacity = 0;
  std::uint64_t last_line = 0;
  while (reader->next(rec)) {
    ++n;
    last_line = rec.line;
    max_capacity = std::max(max_capacity, rec.buffer.capacity());
  }
  CHECK(n == 200001);
  CHECK(last_line == 200001);
  CHECK(reader->offset() == reader->size());
  CHECK(max_capacity < 4096);
}

// --- the real files ----------------------------------------------------------------

TEST_CASE("csv reads every real MovieLens and Rotten Tomatoes file whole", "[sources][csv][shared]") {
  if (!moviec::test::have_shared_data()) {
    WARN("shared data not found; skipping");
    return;
  }
  auto data = moviec::test::shared_data();
  struct Expect {
    std::string file;
    std::size_t records;  // header included
    std::size_t columns;
  };
  for (auto& e : {Expect{"movielens-ml-latest-small/movies.csv", 9743, 3},
                  Expect{"movielens-ml-latest-small/links.csv", 9743, 3},
                  Expect{"movielens-ml-latest-small/ratings.csv", 100837, 4},
                  Expect{"movielens-ml-latest-small/tags.csv", 3684, 4},
                  Expect{"rotten-tomatoes-kaggle-subset/rotten_tomatoes_movies.csv", 5512, 15}}) {
    INFO(e.file);
    auto reader = CsvReader::open((data / e.file).string());
    REQUIRE(reader.is_ok());
    CsvRecord rec;
    std::size_t n = 0;
    while (reader->next(rec)) {
      ++n;
      INFO("line " << rec.line);
      CHECK(rec.fields.size() == e.columns);
      CHECK(rec.error.empty());
      CHECK(rec.line == rec.end_line);  // no field spans lines in these files
      CHECK(rec.line == n);
    }
    CHECK(n == e.records);
    CHECK(reader->offset() == reader->size());
  }

  // Specific rows against the files.
  auto reader = CsvReader::open((data / "movielens-ml-latest-small/movies.csv").string());
  REQUIRE(reader.is_ok());
  CsvRecord rec;
  while (reader->next(rec) && rec.line < 5021) {
  }
  CHECK(rec.line == 5021);
  CHECK(rec.fields[1] == "11'09\"01 - September 11 (2002)");

  auto rt = CsvReader::open((data / "rotten-tomatoes-kaggle-subset/rotten_tomatoes_movies.csv").string());
  REQUIRE(rt.is_ok());
  REQUIRE(rt->next(rec));
  CHECK(rec.fields[0] == "movie_title");  // the byte-order mark is gone
  for (int i = 0; i < 10; ++i) REQUIRE(rt->next(rec));
  CHECK(rec.line == 11);
  CHECK(rec.fields[0] == "Hello, Dolly!");
  CHECK(rec.fields[2] == "Classics, Comedy, Musical & Performing Arts");
  std::uint64_t last_line = 0;
  std::size_t last_columns = 0;
  while (rt->next(rec)) {
    last_line = rec.line;
    last_columns = rec.fields.size();
  }
  CHECK(last_line == 5512);  // no final newline: the last record still counts
  CHECK(last_columns == 15);
}
