// CSV readers: MovieLens movies/links (movielens_csv), the Rotten Tomatoes export
// (rotten_tomatoes_csv) and a CSV layout. The first byte picks the reader.
#include "fuzz/fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace moviec::fuzz;
  if (size == 0) return 0;
  const std::uint8_t pick = data[0] % 4;
  ++data;
  --size;
  switch (pick) {
    case 0: drain(source("movielens", "movielens_csv"), {write_input("movies.csv", data, size)}); break;
    case 1: drain(source("movielens", "movielens_csv"), {write_input("links.csv", data, size)}); break;
    case 2:
      drain(source("rotten_tomatoes", "rotten_tomatoes_csv"),
            {write_input("rotten_tomatoes_movies.csv", data, size)});
      break;
    default: {
      nlohmann::json layout{{"type", "csv"},
                            {"source_id", {"title", "date"}},
                            {"fields",
                             {{{"column", "title"}, {"field", "title"}, {"required", true}},
                              {{"column", "date"}, {"field", "year"}, {"type", "date"}, {"formats", {"%Y-%m-%d", "%d/%m/%Y"}}},
                              {{"column", "genre"}, {"field", "genres"}, {"type", "list"}, {"separator", ","}},
                              {{"column", "score"}, {"field", "source_ratings"}, {"type", "rating"},
                               {"name", "score"}, {"scale", {0, 100}}}}}};
      drain(source("feed", "layout", layout), {write_input("feed.csv", data, size)});
    }
  }
  return 0;
}
