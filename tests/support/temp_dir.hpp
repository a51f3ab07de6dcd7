#pragma once
// A fresh directory per test, removed when the test ends.

#include <filesystem>
#include <random>
#include <string>

namespace moviec::test {

class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() /
            ("moviec-test-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::string str() const { return path_.string(); }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

/// ../shared/data when it exists; tests that need it SKIP (return early with a
/// WARN) when it does not.
inline std::filesystem::path shared_data() { return MOVIEC_SHARED_DATA; }
inline bool have_shared_data() { return std::filesystem::exists(shared_data()); }
inline std::filesystem::path examples() { return MOVIEC_EXAMPLES; }

}  // namespace moviec::test
