// The Range header of GET /assets (http/range.hpp): one byte range or the whole blob.

#include <catch2/catch.hpp>

#include <cstdint>
#include <string>

#include "http/range.hpp"

using moviec::http::parse_range;
using moviec::http::RangeAsk;

namespace {

/// The header asks for bytes first..last (inclusive) of a blob of `size` bytes.
void check_one(const std::string& header, std::uint64_t size, std::uint64_t first, std::uint64_t last) {
  INFO(header << " of " << size << " bytes");
  auto ask = parse_range(header, size);
  REQUIRE(ask.kind == RangeAsk::one);
  CHECK(ask.range.first == first);
  CHECK(ask.range.last == last);
}

}  // namespace

TEST_CASE("a Range header asks for one range, clipped to the blob", "[http][range]") {
  check_one("bytes=10-19", 100, 10, 19);
  check_one("bytes=90-", 100, 90, 99);
  check_one("bytes=90-1000", 100, 90, 99);
  check_one("bytes=-30", 100, 70, 99);
  check_one("bytes=-1000", 100, 0, 99);
  check_one("bytes= 0-0 ", 100, 0, 0);
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
