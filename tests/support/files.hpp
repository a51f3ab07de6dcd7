#pragma once
// Reading a file whole.

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace moviec::test {

/// The bytes of the file at `path` ("" when it cannot be opened).
inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace moviec::test
