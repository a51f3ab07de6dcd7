#pragma once
// A `moviec serve` the test controls completely (kill -9 included), and small
// helpers for waiting on what it does.

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "support/process.hpp"

namespace moviec::test {

/// `moviec serve --data DATA --listen 127.0.0.1:0 EXTRA...`, started and announced
/// (a Server), with an HTTP client for it.
class Serving : public Server {
 public:
  explicit Serving(const std::string& data_dir, std::vector<std::string> extra = {})
      : Server(data_dir, std::move(extra)),
        client_(std::make_unique<httplib::Client>("127.0.0.1", port())) {
    client_->set_connection_timeout(5);
    client_->set_read_timeout(60);
  }
  httplib::Client& client() { return *client_; }

  /// GET path as JSON; null when the request failed or the body is not JSON.
  nlohmann::json get(const std::string& path, int* status = nullptr) {
    auto res = client_->Get(path.c_str());
    if (status) *status = res ? res->status : 0;
    if (!res) return nullptr;
    return nlohmann::json::parse(res->body, nullptr, false);
  }

  /// kill -9, as a crash would.
  void kill() {
    process().signal(SIGKILL);
    process().wait();
  }

 private:
  std::unique_ptr<httplib::Client> client_;
};

/// Polls `done` every 50 ms until it is true or `timeout` passes; returns the last answer.
inline bool wait_until(const std::function<bool()>& done,
                       std::chrono::milliseconds timeout = std::chrono::seconds(60)) {
  auto until = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < until) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return done();
}

/// Writes `text` to `path` as a writer that renames a finished file in does.
inline void drop_file(const std::filesystem::path& path, const std::string& text) {
  auto tmp = path.parent_path() / ("." + path.filename().string() + ".tmp");
  std::filesystem::create_directories(path.parent_path());
  {
    std::ofstream out(tmp, std::ios::binary);
    out << text;
  }
  std::filesystem::rename(tmp, path);
}

/// The source named `name` in a GET /sources answer; null when absent.
inline nlohmann::json source_of(const nlohmann::json& sources, const std::string& name) {
  if (!sources.is_object()) return nullptr;
  for (auto& s : sources["sources"])
    if (s["name"] == name) return s;
  return nullptr;
}

}  // namespace moviec::test
