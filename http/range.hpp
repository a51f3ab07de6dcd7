#pragma once
// The Range header of GET /assets/{sha256} (RFC 9110 14.1.2): one byte range, or the
// whole blob. Pure, so that it is fuzzed alone (fuzz/http_range_fuzz.cpp).

#include <cstdint>
#include <string>

namespace moviec::http {

struct ByteRange {
  std::uint64_t first = 0;
  std::uint64_t last = 0;  // inclusive
};

/// The outcome of a Range header against a blob of `size` bytes.
struct RangeAsk {
  enum Kind { whole, one, unsatisfiable } kind = whole;
  ByteRange range;  // kind one: first <= last < size
};

/// "bytes=first-last", "bytes=first-" or "bytes=-suffix". Anything else, several
/// ranges included, is ignored: the whole blob.
RangeAsk parse_range(const std::string& header, std::uint64_t size);

}  // namespace moviec::http
