#pragma once
// A progress bar on stderr for long ingests, drawn only on a terminal.

#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>

#include "actors/source.hpp"

namespace moviec::app {

class ProgressBar {
 public:
  ProgressBar(const actors::IngestProgress& progress, bool enabled) : progress_(progress) {
    if (enabled) thread_ = std::thread([this] { loop(); });
  }
  ~ProgressBar() { stop(); }
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  /// Stops drawing and clears the line. Idempotent.
  void stop() {
    done_ = true;
    if (thread_.joinable()) {
      thread_.join();
      std::fprintf(stderr, "\r%70s\r", "");
    }
  }

 private:
  void loop() {
    auto start = std::chrono::steady_clock::now();
    while (!done_) {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      double total = static_cast<double>(progress_.bytes_total.load());
      double part = total > 0 ? progress_.bytes_read.load() / total : 0;
      int filled = static_cast<int>(part * 30);
      double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      auto read = progress_.read.load();
      std::fprintf(stderr, "\r[%-30.*s] %3.0f%% %llu records %.0f/s ", filled,
                   "##############################", part * 100,
                   static_cast<unsigned long long>(read), secs > 0 ? read / secs : 0.0);
      std::fflush(stderr);
    }
  }

  const actors::IngestProgress& progress_;
  std::atomic<bool> done_{false};
  std::thread thread_;
};

}  // namespace moviec::app
