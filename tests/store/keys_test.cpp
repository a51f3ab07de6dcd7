// Key encodings (store/keys.hpp) and the column family table.

#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

#include "store/column_families.hpp"
#include "store/keys.hpp"

using namespace moviec::store;
using U64s = std::vector<std::uint64_t>;

TEST_CASE("be64 writes eight bytes, most significant first", "[store][keys]") {
  CHECK(keys::be64(0) == std::string(8, '\0'));
  CHECK(keys::be64(1) == std::string("\0\0\0\0\0\0\0\x01", 8));
  CHECK(keys::be64(0x0102030405060708ull) == "\x01\x02\x03\x04\x05\x06\x07\x08");
  CHECK(keys::be64(UINT64_MAX) == std::string(8, '\xff'));
}

TEST_CASE("big-endian keys sort bytewise in numeric order", "[store][keys]") {
  CHECK(keys::log_key(255) < keys::log_key(256));
  CHECK(keys::log_key(1) < keys::log_key(2));
  CHECK(keys::log_key(65535) < keys::log_key(65536));
  CHECK(keys::log_key(0xffffffffull) < keys::log_key(0x100000000ull));
  CHECK(keys::log_key(0x7fffffffffffffffull) < keys::log_key(0x8000000000000000ull));
  const std::vector<std::uint64_t> values{0,      1,          9,          10,         127,
                                          128,    255,        256,        1000,       65535,
                                          65536,  1u << 24,   0xffffffff, 1ull << 32, 1ull << 56,
                                          1ull << 63, UINT64_MAX - 1, UINT64_MAX};
  for (std::size_t i = 0; i + 1 < values.size(); ++i) {
    INFO(values[i] << " < " << values[i + 1]);
    CHECK(keys::log_key(values[i]) < keys::log_key(values[i + 1]));
  }
  // Decimal text, by contrast, would put 10 before 9.
  CHECK(std::to_string(10) < std::to_string(9));
}

TEST_CASE("get_be64 reads back what be64 wrote", "[store][keys]") {
  for (std::uint64_t v : U64s{0, 1, 255, 256, 0xdeadbeef, 0x0123456789abcdef, UINT64_MAX})
    CHECK(keys::get_be64(keys::be64(v)) == v);
  CHECK(keys::get_be64(keys::be64(258) + "trailing") == 258);
}

TEST_CASE("stream keys order by version within a movie", "[store][keys]") {
  CHECK(keys::stream_key("tt1", 255) < keys::stream_key("tt1", 256));
  CHECK(keys::stream_key("tt1", 9) < keys::stream_key("tt1", 10));
  CHECK(keys::stream_key("tt1", 1).substr(0, 4) == keys::stream_prefix("tt1"));
  CHECK(keys::stream_key("tt1", 1).size() == 4 + 8);
}

TEST_CASE("one movie's stream keys never share a prefix with another's", "[store][keys]") {
  // "tt1" is a string prefix of "tt10"; the 0x00 separator keeps their streams apart.
  auto prefix = keys::stream_prefix("tt1");
  for (std::uint64_t v : U64s{0, 1, 255, UINT64_MAX}) {
    auto other = keys::stream_key("tt10", v);
    CHECK(other.compare(0, prefix.size(), prefix) != 0);
    CHECK(keys::stream_key("tt1", v) < other);
  }
}

TEST_CASE("version_of reads the version back from a stream or snapshot key", "[store][keys]") {
  for (std::uint64_t v : U64s{0, 1, 255, 256, 123456789, UINT64_MAX}) {
    CHECK(keys::version_of(keys::stream_key("tt0114709", v)) == v);
    CHECK(keys::version_of(keys::snapshot_key("tt0114709", v)) == v);
  }
  CHECK(keys::version_of("short") == 0);
  CHECK(keys::snapshot_key("m", 3) == keys::stream_key("m", 3));
}

TEST_CASE("single-part keys are the part itself", "[store][keys]") {
  CHECK(keys::stream_head_key("tt1") == "tt1");
  CHECK(keys::event_id_key("abc") == "abc");
  CHECK(keys::checkpoint_key("read_models") == "read_models");
  CHECK(keys::movie_key("tt1") == "tt1");
}

TEST_CASE("fingerprint keys join source and source id with a zero byte", "[store][keys]") {
  CHECK(keys::fingerprint_key("imdb", "tt1") == std::string("imdb\0tt1", 8));
  CHECK(keys::fingerprint_key("a", "bc") != keys::fingerprint_key("ab", "c"));
}

TEST_CASE("index keys end in the movie id after their prefix", "[store][keys]") {
  auto title = keys::title_token_prefix("amelie");
  CHECK(title == std::string("t\0amelie\0", 9));
  CHECK(keys::index_movie_id(title + "tt0211915", title.size()) == "tt0211915");

  auto genre = keys::genre_prefix("comedy");
  CHECK(genre == std::string("g\0comedy\0", 9));
  CHECK(keys::index_movie_id(genre + "tt1", genre.size()) == "tt1");

  auto year = keys::year_prefix(1995);
  CHECK(year.size() == 2 + 8 + 1);
  CHECK(year[0] == 'y');
  CHECK(keys::get_be64(year.substr(2, 8)) == 1995);
  CHECK(keys::index_movie_id(year + "tt2", year.size()) == "tt2");
}

TEST_CASE("index prefixes of different kinds and terms never overlap", "[store][keys]") {
  // A token that is a prefix of another token must not match its keys.
  auto short_token = keys::title_token_prefix("star");
  auto long_key = keys::title_token_prefix("stars") + "tt1";
  CHECK(long_key.compare(0, short_token.size(), short_token) != 0);
  CHECK(keys::year_prefix(999) < keys::year_prefix(1000));
  CHECK(keys::year_prefix(1999) < keys::year_prefix(2000));
  std::set<char> kinds{keys::title_token_prefix("x")[0], keys::year_prefix(1)[0],
                       keys::genre_prefix("x")[0]};
  CHECK(kinds.size() == 3);
}

TEST_CASE("source record counters share the documented prefix", "[store][keys]") {
  auto key = keys::source_records_key("imdb");
  CHECK(keys::kSourceRecordsPrefix.size() == 15);
  CHECK(keys::kSourceRecordsPrefix.back() == '\0');
  CHECK(key.compare(0, keys::kSourceRecordsPrefix.size(), keys::kSourceRecordsPrefix) == 0);
  CHECK(key.substr(keys::kSourceRecordsPrefix.size()) == "imdb");
  CHECK(key.compare(0, keys::kMoviesCount.size(), keys::kMoviesCount) != 0);
}

TEST_CASE("every column family has a distinct name and its enum value indexes it",
          "[store][keys]") {
  std::set<std::string_view> names(kColumnFamilyNames.begin(), kColumnFamilyNames.end());
  CHECK(names.size() == kColumnFamilyCount);
  CHECK(name_of(ColumnFamily::default_family) == "default");
  CHECK(name_of(ColumnFamily::log) == "log");
  CHECK(name_of(ColumnFamily::streams) == "streams");
  CHECK(name_of(ColumnFamily::event_ids) == "event_ids");
  CHECK(name_of(ColumnFamily::checkpoints) == "checkpoints");
  CHECK(name_of(ColumnFamily::movie_index) == "movie_index");
  CHECK(name_of(ColumnFamily::meta) == "meta");
  CHECK(name_of(ColumnFamily::matching) == "matching");
  CHECK(static_cast<std::size_t>(ColumnFamily::matching) == 12);
  CHECK(name_of(static_cast<ColumnFamily>(kColumnFamilyCount - 1)) == kColumnFamilyNames.back());
  for (auto f : kReadModelFamilies)
    CHECK(std::find(kColumnFamilyNames.begin(), kColumnFamilyNames.end(), name_of(f)) !=
          kColumnFamilyNames.end());
}
