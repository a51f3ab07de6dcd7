// The Range header of GET /assets (http/range.hpp): the first 8 bytes are the blob's
// size (little endian), the rest the header. Whatever it says, the answer is the
// whole blob, unsatisfiable, or one range inside the blob.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

#include "http/range.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using moviec::http::RangeAsk;
  if (size < 8) return 0;
  std::uint64_t blob = 0;
  std::memcpy(&blob, data, 8);
  if (data[0] & 1) blob %= 4096;  // small blobs too, where ranges clip
  const std::string header(reinterpret_cast<const char*>(data + 8), size - 8);
  auto ask = moviec::http::parse_range(header, blob);
  if (ask.kind == RangeAsk::one && !(ask.range.first <= ask.range.last && ask.range.last < blob)) std::abort();
  if (ask.kind != RangeAsk::whole && header.rfind("bytes=", 0) != 0) std::abort();
  return 0;
}
