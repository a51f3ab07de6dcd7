// IMDb TSV (sources/imdb_reader.hpp): the input is title.basics.tsv, or with a
// first byte of 'r' title.ratings.tsv beside the bundled basics, or with 'a'
// title.akas.tsv beside it: sorted or not, malformed or not.
#include "fuzz/fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace moviec::fuzz;
  static const std::string basics_fixed = [] {
    const std::string rows =
        "tconst\ttitleType\tprimaryTitle\toriginalTitle\tisAdult\tstartYear\tendYear\truntimeMinutes\tgenres\n"
        "tt0000001\tshort\tCarmencita\tCarmencita\t0\t1894\t\\N\t1\tDocumentary,Short\n"
        "tt0000002\tmovie\tLe clown\tLe clown\t0\t1892\t\\N\t5\tAnimation\n";
    auto path = (scratch() / "fixed").string();
    std::filesystem::create_directories(path);
    path += "/title.basics.tsv";
    std::ofstream(path, std::ios::binary) << rows;
    return path;
  }();
  // Small limits, so every path of an unsorted file is reached: sorted in memory (up to
  // 1 KiB), sorted in runs on disk under $TMPDIR (up to 16 KiB), refused (larger).
  auto imdb = source("imdb", "imdb_tsv", {{"max_unsorted_bytes", 16384}, {"sort_memory_bytes", 1024}});
  if (size > 0 && data[0] == 'r') {
    drain(imdb, {basics_fixed, write_input("title.ratings.tsv", data + 1, size - 1)});
  } else if (size > 0 && data[0] == 'a') {
    drain(imdb, {basics_fixed, write_input("title.akas.tsv", data + 1, size - 1)});
  } else {
    drain(imdb, {write_input("title.basics.tsv", data, size)});
  }
  return 0;
}
