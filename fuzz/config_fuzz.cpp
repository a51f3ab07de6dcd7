// The config (config/config.hpp): any JSON parses to a Config or to one message
// naming the key; a Config writes back to JSON that parses to itself.
#include <cstdlib>

#include "config/config.hpp"
#include "fuzz/fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto j = nlohmann::json::parse(data, data + size, nullptr, false);
  if (j.is_discarded()) return 0;
  auto config = moviec::config::parse(j);
  if (!config) {
    if (config.status().message().empty()) std::abort();  // a refusal always says why
    return 0;
  }
  auto again = moviec::config::parse(moviec::config::to_json(*config));
  if (!again) std::abort();  // what to_json writes, parse takes
  return 0;
}
