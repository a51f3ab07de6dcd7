// The Range header of GET /assets (http/range.hpp): one byte range or the whole blob.

#include <catch2/catch.hpp>

#include "http/range.hpp"

using moviec::http::parse_range;
using moviec::http::RangeAsk;

TEST_CASE("a Range header asks for one range, clipped to the blob", "[http][range]") {
  auto a = parse_range("bytes=10-19", 100);
  REQUIRE(a.kind == RangeAsk::one);
  CHECK(a.range.first == 10);
  CHECK(a.range.last == 19);
  auto open = parse_range("bytes=90-", 100);
  REQUIRE(open.kind == RangeAsk::one);
  CHECK(open.range.last == 99);
  auto past = parse_range("bytes=90-1000", 100);
  REQUIRE(past.kind == RangeAsk::one);
  CHECK(past.range.last == 99);
  auto suffix = parse_range("bytes=-30", 100);
  REQUIRE(suffix.kind == RangeAsk::one);
  CHECK(suffix.range.first == 70);
  CHECK(suffix.range.last == 99);
  auto longer_suffix = parse_range("bytes=-1000", 100);
  REQUIRE(longer_suffix.kind == RangeAsk::one);
  CHECK(longer_suffix.range.first == 0);
}

TEST_CASE("a range that starts past the end, or an empty suffix, is unsatisfiable", "[http][range]") {
  CHECK(parse_range("bytes=100-", 100).kind == RangeAsk::unsatisfiable);
  CHECK(parse_range("bytes=-0", 100).kind == RangeAsk::unsatisfiable);
  CHECK(parse_range("bytes=0-", 0).kind == RangeAsk::unsatisfiable);
}

TEST_CASE("several ranges, other units and malformed ranges get the whole blob", "[http][range]") {
  for (const char* header : {"", "bytes=0-1,5-6", "bytes=0-,0-,0-", "items=0-1", "bytes=5-4", "bytes=x-",
                             "bytes=-", "bytes=1-2-3", "bytes=99999999999999999999-", "bytes=0x10-"})
    CHECK(parse_range(header, 100).kind == RangeAsk::whole);
  CHECK(parse_range("bytes=" + std::string(300, '0') + "-", 100).kind == RangeAsk::whole);  // too long
}
