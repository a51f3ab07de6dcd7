#pragma once
// What the format reader tests share: a source config, reading a source's
// files to the end through open_reader, and writing a test's input file.

#include <cstdint>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "config/config.hpp"
#include "sources/record_reader.hpp"
#include "support/temp_dir.hpp"

namespace moviec::test {

/// A source named `name` of format `format` with `options`.
inline config::SourceConfig source_config(std::string name, std::string format,
                                          nlohmann::json options = nlohmann::json::object()) {
  config::SourceConfig s;
  s.name = std::move(name);
  s.format = std::move(format);
  s.options = std::move(options);
  return s;
}

/// What a reader gave: every item and reject, and its byte counts at the end.
struct ReadResult {
  std::vector<sources::Item> items;
  std::vector<sources::Reject> rejects;
  std::uint64_t bytes_read = 0;
  std::uint64_t bytes_total = 0;

  /// The item with this source_id; null when there is none.
  const sources::Item* find(const std::string& source_id) const {
    for (auto& i : items)
      if (i.record.source_id == source_id) return &i;
    return nullptr;
  }
};

/// Opens the reader of `source` on `files` (REQUIREs that it opens) and reads it
/// to the end. Result: ReadResult, or a test's own struct derived from it.
template <typename Result = ReadResult>
Result read_all(const config::SourceConfig& source, const std::vector<std::string>& files) {
  auto reader = sources::open_reader(source, files);
  INFO(reader.status().message());
  REQUIRE(reader.is_ok());
  Result out;
  sources::Item item;
  while ((*reader)->next(item, out.rejects)) out.items.push_back(item);
  out.bytes_read = (*reader)->bytes_read();
  out.bytes_total = (*reader)->bytes_total();
  return out;
}

/// Writes `bytes` as they are to the file `name` in `dir`; returns its path.
inline std::string write_file(const TempDir& dir, const std::string& name, const std::string& bytes) {
  auto path = (dir / name).string();
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

}  // namespace moviec::test
