// Layout mapping (config/layout.hpp, sources/layout_reader.hpp): the input is a
// layout object (JSON), then a line "----", then the data it reads. An invalid
// layout must be refused with a message; a valid one reads the data.
#include <string_view>

#include "config/layout.hpp"
#include "fuzz/fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace moviec::fuzz;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  auto cut = in.find("\n----\n");
  auto options = nlohmann::json::parse(in.substr(0, cut), nullptr, false);
  if (options.is_discarded()) return 0;
  auto layout = moviec::config::parse_layout(options, "options");
  if (!layout || cut == std::string_view::npos) return 0;
  auto body = in.substr(cut + 6);
  auto path = write_input(layout->is_json() ? "feed.jsonl" : "feed.csv",
                          reinterpret_cast<const std::uint8_t*>(body.data()), body.size());
  drain(source("feed", "layout", options), {path});
  return 0;
}
