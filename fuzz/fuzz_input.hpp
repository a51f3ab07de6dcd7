#pragma once
// Shared by the libFuzzer targets (fuzz/README.md): the input as a file a reader
// opens, and a reader drained to its end. Readers take paths, so each input is
// written to a file in this process's own directory under $TMPDIR (or /tmp).

#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "sources/record_reader.hpp"

namespace moviec::fuzz {

/// A directory of this process's own, made once.
inline const std::filesystem::path& scratch() {
  static const std::filesystem::path dir = [] {
    const char* tmp = std::getenv("TMPDIR");
    auto d = std::filesystem::path(tmp && *tmp ? tmp : "/tmp") / ("moviec-fuzz-" + std::to_string(::getpid()));
    std::filesystem::create_directories(d);
    return d;
  }();
  return dir;
}

/// Writes `size` bytes at `data` to scratch()/name; returns the path.
inline std::string write_input(const std::string& name, const std::uint8_t* data, std::size_t size) {
  auto path = (scratch() / name).string();
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  return path;
}

inline config::SourceConfig source(std::string name, std::string format,
                                   nlohmann::json options = nlohmann::json::object()) {
  config::SourceConfig s;
  s.name = std::move(name);
  s.format = std::move(format);
  s.options = std::move(options);
  return s;
}

/// Opens `files` as `source` and reads every record; what matters is that it ends
/// without a crash, a sanitizer report or a hang.
inline void drain(const config::SourceConfig& source, const std::vector<std::string>& files) {
  auto reader = sources::open_reader(source, files);
  if (!reader) return;
  sources::Item item;
  std::vector<sources::Reject> rejects;
  while ((*reader)->next(item, rejects)) {
    if (rejects.size() > 4096) rejects.clear();
  }
  (void)(*reader)->bytes_read();
}

}  // namespace moviec::fuzz
