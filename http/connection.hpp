#pragma once
// Internal to http/: the connection layer under cpp-httplib's request parser.
// httplib 0.11.4 reads headers without a count or size limit, reads chunked bodies
// without the payload limit, never times out a whole request (only each read), and
// queues connections without bound behind a pool that one idle keep-alive
// connection per worker starves. Server (server.cpp) keeps httplib's parser and
// routing but serves each socket through ConnectionStream and WorkerPool:
//
// - a request's line and headers must arrive within `header_timeout` and stay
//   within kMaxHeaderBytes / kMaxHeaderLines (else 431, connection closed);
// - its body must arrive within `body_timeout` and, as sent (chunk framing
//   included), stay within `max_body` bytes (else 413, connection closed);
// - `workers` threads serve connections; at most `max_connections` are open
//   (served + waiting); beyond that a connection is answered 503 and closed;
// - a connection idle between requests gives its worker up when others wait.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>

#include "http/handlers.hpp"

namespace moviec::http {

/// Limits of the HTTP edge; from the config (http_* keys, docs/config.md).
struct EdgeLimits {
  std::size_t workers = 32;
  std::size_t max_connections = 256;
  std::chrono::milliseconds header_timeout{10000};
  std::chrono::milliseconds body_timeout{300000};
  std::size_t max_body = 256 * 1024 * 1024;
  std::chrono::milliseconds idle_timeout{5000};  // keep-alive: wait this long for the next request
  std::chrono::milliseconds io_timeout{5000};    // one read or write making no progress
};

/// Bytes of request line plus headers, and header lines, one request may send.
inline constexpr std::size_t kMaxHeaderBytes = 64 * 1024;
inline constexpr std::size_t kMaxHeaderLines = 100;

/// Why a connection's request stopped being read (and the connection closes).
enum class Cut { none, header_limit, header_timeout, body_limit, body_timeout };

/// A socket as httplib's parser reads it, with the limits above. One per
/// connection, used by one thread at a time.
class ConnectionStream final : public httplib::Stream {
 public:
  ConnectionStream(int sock, const EdgeLimits& limits);

  // -- phases of one request (set by the connection loop and the server's hooks) --
  /// The next byte read starts a request: its line and headers are limited now.
  void begin_request();
  /// The headers are parsed: the body is limited now. Idempotent per request.
  void begin_body();
  /// True once the request that was read has been cut short, or must not be
  /// followed by another on this connection (its body was never read).
  bool must_close() const { return close_ || cut_ != Cut::none; }
  void close_after_response() { close_ = true; }
  Cut cut() const { return cut_; }
  /// Bytes received but not yet read by the parser.
  bool has_buffered() const { return pos_ < len_; }

  // -- httplib::Stream ----------------------------------------------------------
  bool is_readable() const override;
  bool is_writable() const override;
  ssize_t read(char* ptr, size_t size) override;
  ssize_t write(const char* ptr, size_t size) override;
  void get_remote_ip_and_port(std::string& ip, int& port) const override;
  void get_local_ip_and_port(std::string& ip, int& port) const override;
  socket_t socket() const override { return sock_; }

 private:
  enum class Phase { idle, headers, body };
  /// Waits until the socket is readable, at most until the phase's deadline.
  bool wait_readable();

  int sock_;
  const EdgeLimits& limits_;
  Phase phase_ = Phase::idle;
  std::chrono::steady_clock::time_point deadline_{};
  std::size_t phase_bytes_ = 0;
  std::size_t header_lines_ = 0;
  Cut cut_ = Cut::none;
  bool close_ = false;
  std::vector<char> buffer_;
  std::size_t pos_ = 0;
  std::size_t len_ = 0;
};

/// The connection being served by the calling thread, for the server's hooks
/// (pre-routing, error handler); nullptr outside a connection.
ConnectionStream* current_connection();
/// Sets current_connection() for the calling thread while it lives.
class CurrentConnection {
 public:
  explicit CurrentConnection(ConnectionStream* c);
  ~CurrentConnection();
  CurrentConnection(const CurrentConnection&) = delete;
  CurrentConnection& operator=(const CurrentConnection&) = delete;
};

/// The JSON answer for an error httplib produced itself (its response has no
/// body), where the connection layer knows better: 431, 408 or 413 for a request
/// cut short, 501 for a method httplib does not know; nullopt otherwise. Every
/// such error closes the connection after the answer (the request may be half read).
std::optional<Response> edge_error(const httplib::Request& req, int status);

/// A fixed pool of worker threads with a bounded queue, as httplib's TaskQueue.
/// enqueue() beyond `max_connections` (served + queued) hands the job to
/// `overflow` instead (it answers 503 and closes, on a thread of its own).
class WorkerPool final : public httplib::TaskQueue {
 public:
  WorkerPool(std::size_t workers, std::size_t max_connections);
  ~WorkerPool() override;

  void enqueue(std::function<void()> fn) override;
  void shutdown() override;

  /// Connections accepted that no idle worker is about to take: they wait for a
  /// busy worker to give its connection up (a keep-alive connection idle past its
  /// grace does, when this is above 0).
  std::size_t queued() const;
  /// True on the overflow thread: the job running must refuse its connection.
  static bool refusing();

 private:
  void work();
  void refuse();

  const std::size_t max_connections_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::condition_variable overflow_cv_;
  std::deque<std::function<void()>> jobs_;
  std::deque<std::function<void()>> overflow_;
  std::size_t busy_ = 0;
  bool shutdown_ = false;
  std::vector<std::thread> threads_;
  std::thread overflow_thread_;
};

/// Answers a connection the pool could not take: 503 with Retry-After, after
/// reading what the client sent in a short while (so it sees the answer rather
/// than a reset), then closes it.
void refuse_connection(int sock);

}  // namespace moviec::http
