// WorkerPool (http/connection.hpp): what an idle keep-alive connection asks it
// before giving its worker up.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "http/connection.hpp"

namespace {

/// Jobs that hold their worker until released.
struct Gate {
  std::mutex mu;
  std::condition_variable cv;
  bool open = false;
  std::atomic<int> running{0};

  std::function<void()> job() {
    return [this] {
      ++running;
      std::unique_lock<std::mutex> lock(mu);
      cv.wait(lock, [&] { return open; });
    };
  }
  void release() {
    {
      std::lock_guard<std::mutex> lock(mu);
      open = true;
    }
    cv.notify_all();
  }
  void wait_running(int n) {
    for (int i = 0; i < 5000 && running < n; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
};

}  // namespace

TEST_CASE("a connection an idle worker is about to take is not counted as waiting",
          "[http][pool]") {
  moviec::http::WorkerPool pool(8, 64);
  Gate gate;
  std::size_t most_waiting = 0;
  // Asked right after each enqueue, before the woken worker has taken the job: the
  // keep-alive connection asking must not give its worker up for a job others take.
  for (int i = 0; i < 8; ++i) {
    pool.enqueue(gate.job());
    most_waiting = std::max(most_waiting, pool.queued());
  }
  CHECK(most_waiting == 0);
  gate.wait_running(8);
  REQUIRE(gate.running == 8);
  CHECK(pool.queued() == 0);

  // Every worker busy: the next connections wait for one of them.
  pool.enqueue(gate.job());
  CHECK(pool.queued() == 1);
  pool.enqueue(gate.job());
  CHECK(pool.queued() == 2);

  gate.release();
  gate.wait_running(10);
  CHECK(gate.running == 10);
  pool.shutdown();
  CHECK(pool.queued() == 0);
}
