// JSON readers (sources/json_stream.hpp): a vega_json array, JSON lines through a
// layout, a JSON array through a layout. The first byte picks the reader.
#include "fuzz/fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace moviec::fuzz;
  if (size == 0) return 0;
  const std::uint8_t pick = data[0] % 3;
  ++data;
  --size;
  nlohmann::json fields{{{"column", "Title"}, {"field", "title"}, {"required", true}},
                        {{"column", "Release Date"}, {"field", "year"}, {"type", "date"}, {"formats", {"%b %d %Y"}}},
                        {{"column", "IMDB Rating"}, {"field", "source_ratings"}, {"type", "rating"},
                         {"name", "imdb"}, {"scale", {0, 10}}, {"votes", "IMDB Votes"}},
                        {{"column", "Running Time min"}, {"field", "runtime_minutes"}, {"type", "int"}}};
  switch (pick) {
    case 0: drain(source("vega", "vega_json"), {write_input("movies.json", data, size)}); break;
    case 1:
      drain(source("feed", "layout", {{"type", "jsonl"}, {"source_id", "Title"}, {"fields", fields}}),
            {write_input("feed.jsonl", data, size)});
      break;
    default:
      drain(source("feed", "layout", {{"type", "json"}, {"source_id", "Title"}, {"fields", fields}}),
            {write_input("feed.json", data, size)});
  }
  return 0;
}
