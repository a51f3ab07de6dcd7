#include "http/connection.hpp"

#include <arpa/inet.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <set>

namespace moviec::http {

namespace {

using Clock = std::chrono::steady_clock;

constexpr std::size_t kReadBuffer = 16 * 1024;
/// Connections waiting for a 503 at once; beyond, they are closed unanswered.
constexpr std::size_t kMaxOverflow = 256;
/// How long a refused connection may take to send its request before the 503.
constexpr std::chrono::milliseconds kRefuseWait{50};

thread_local ConnectionStream* t_current = nullptr;
/// 0: serve; 1: answer 503 and close (overflow thread); 2: close at once.
thread_local int t_refusing = 0;

int poll_ms(Clock::duration d) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
  return static_cast<int>(std::clamp<long long>(ms, 1, 60 * 60 * 1000));
}

/// Waits for `events` on `sock` for at most `d`; true when they came.
bool wait_for(int sock, short events, Clock::duration d) {
  auto until = Clock::now() + d;
  for (;;) {
    pollfd p{sock, events, 0};
    int r = ::poll(&p, 1, poll_ms(until - Clock::now()));
    if (r > 0) return true;
    if (r == 0 || errno != EINTR) return false;
    if (Clock::now() >= until) return false;
  }
}

void address_of(int sock, bool peer, std::string& ip, int& port) {
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  int r = peer ? ::getpeername(sock, reinterpret_cast<sockaddr*>(&addr), &len)
               : ::getsockname(sock, reinterpret_cast<sockaddr*>(&addr), &len);
  if (r != 0) return;
  char host[NI_MAXHOST];
  if (::getnameinfo(reinterpret_cast<sockaddr*>(&addr), len, host, sizeof host, nullptr, 0,
                    NI_NUMERICHOST) == 0)
    ip = host;
  if (addr.ss_family == AF_INET) port = ntohs(reinterpret_cast<sockaddr_in*>(&addr)->sin_port);
  else if (addr.ss_family == AF_INET6) port = ntohs(reinterpret_cast<sockaddr_in6*>(&addr)->sin6_port);
}

}  // namespace

// --- ConnectionStream -------------------------------------------------------------------

ConnectionStream::ConnectionStream(int sock, const EdgeLimits& limits)
    : sock_(sock), limits_(limits), buffer_(kReadBuffer) {}

void ConnectionStream::begin_request() {
  phase_ = Phase::headers;
  deadline_ = Clock::now() + limits_.header_timeout;
  phase_bytes_ = 0;
  header_lines_ = 0;
}

void ConnectionStream::begin_body() {
  if (phase_ != Phase::headers) return;
  phase_ = Phase::body;
  deadline_ = Clock::now() + limits_.body_timeout;
  phase_bytes_ = 0;
}

bool ConnectionStream::wait_readable() {
  auto now = Clock::now();
  auto until = now + limits_.io_timeout;
  if (phase_ != Phase::idle) until = std::min(until, deadline_);
  if (now < until && wait_for(sock_, POLLIN, until - now)) return true;
  // No byte in time: the request is cut (408), and the connection goes.
  if (phase_ == Phase::headers) cut_ = Cut::header_timeout;
  else if (phase_ == Phase::body) cut_ = Cut::body_timeout;
  close_ = true;
  return false;
}

bool ConnectionStream::is_readable() const {
  return pos_ < len_ || wait_for(sock_, POLLIN, limits_.io_timeout);
}

bool ConnectionStream::is_writable() const { return wait_for(sock_, POLLOUT, limits_.io_timeout); }

ssize_t ConnectionStream::read(char* ptr, size_t size) {
  if (cut_ != Cut::none) return -1;
  if (pos_ == len_) {
    if (!wait_readable()) return -1;
    ssize_t n;
    do n = ::recv(sock_, buffer_.data(), buffer_.size(), 0);
    while (n < 0 && errno == EINTR);
    if (n <= 0) {
      close_ = true;
      return n;
    }
    pos_ = 0;
    len_ = static_cast<std::size_t>(n);
  }
  std::size_t n = std::min(size, len_ - pos_);
  const char* from = buffer_.data() + pos_;
  if (phase_ == Phase::headers) {
    // Request line and headers: bounded in bytes and in lines (a header a line).
    header_lines_ += static_cast<std::size_t>(std::count(from, from + n, '\n'));
    phase_bytes_ += n;
    if (phase_bytes_ > kMaxHeaderBytes || header_lines_ > kMaxHeaderLines + 2) {
      cut_ = Cut::header_limit;
      close_ = true;
      return -1;
    }
  } else if (phase_ == Phase::body) {
    // The body as sent: Content-Length bytes, or chunks with their framing.
    phase_bytes_ += n;
    if (phase_bytes_ > limits_.max_body) {
      cut_ = Cut::body_limit;
      close_ = true;
      return -1;
    }
  }
  std::memcpy(ptr, from, n);
  pos_ += n;
  return static_cast<ssize_t>(n);
}

ssize_t ConnectionStream::write(const char* ptr, size_t size) {
  if (!is_writable()) return -1;
  ssize_t n;
  do n = ::send(sock_, ptr, size, MSG_NOSIGNAL);
  while (n < 0 && errno == EINTR);
  return n;
}

void ConnectionStream::get_remote_ip_and_port(std::string& ip, int& port) const {
  address_of(sock_, true, ip, port);
}

void ConnectionStream::get_local_ip_and_port(std::string& ip, int& port) const {
  address_of(sock_, false, ip, port);
}

std::optional<Response> edge_error(const httplib::Request& req, int status) {
  auto* conn = current_connection();
  if (conn) conn->close_after_response();  // the request may be half read
  switch (conn ? conn->cut() : Cut::none) {
    case Cut::header_limit:
      return error_response(431, "request header fields too large (at most " +
                                     std::to_string(kMaxHeaderLines) + " headers and " +
                                     std::to_string(kMaxHeaderBytes / 1024) + " KiB)");
    case Cut::header_timeout: return error_response(408, "request timeout: the headers did not arrive in time");
    case Cut::body_timeout: return error_response(408, "request timeout: the body did not arrive in time");
    case Cut::body_limit: return error_response(413, "payload too large");
    case Cut::none: break;
  }
  // httplib refuses a method it does not know as a bad request line; a line that
  // is otherwise HTTP/1.x gets 501, anything else stays 400.
  static const std::set<std::string> known{"GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT",
                                           "OPTIONS", "TRACE", "PATCH", "PRI"};
  if (status == 400 && !req.method.empty() && !known.count(req.method) &&
      (req.version == "HTTP/1.1" || req.version == "HTTP/1.0") &&
      std::all_of(req.method.begin(), req.method.end(), [](unsigned char c) { return c > 0x20 && c < 0x7f; }))
    return error_response(501, "method " + req.method + " not implemented");
  return std::nullopt;
}

ConnectionStream* current_connection() { return t_current; }
CurrentConnection::CurrentConnection(ConnectionStream* c) { t_current = c; }
CurrentConnection::~CurrentConnection() { t_current = nullptr; }

// --- WorkerPool ---------------------------------------------------------------------------

WorkerPool::WorkerPool(std::size_t workers, std::size_t max_connections)
    : max_connections_(std::max(max_connections, std::max<std::size_t>(workers, 1))) {
  for (std::size_t i = 0; i < std::max<std::size_t>(workers, 1); ++i)
    threads_.emplace_back([this] { work(); });
  overflow_thread_ = std::thread([this] { refuse(); });
}

WorkerPool::~WorkerPool() { shutdown(); }

void WorkerPool::enqueue(std::function<void()> fn) {
  std::unique_lock<std::mutex> lock(mu_);
  if (jobs_.size() + busy_ < max_connections_) {
    jobs_.push_back(std::move(fn));
    cv_.notify_one();
    return;
  }
  if (overflow_.size() < kMaxOverflow) {
    overflow_.push_back(std::move(fn));
    overflow_cv_.notify_one();
    return;
  }
  lock.unlock();
  // Even the 503 queue is full: close at once, on the accepting thread.
  t_refusing = 2;
  fn();
  t_refusing = 0;
}

void WorkerPool::shutdown() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (shutdown_ && threads_.empty()) return;
    shutdown_ = true;
  }
  cv_.notify_all();
  overflow_cv_.notify_all();
  for (auto& t : threads_)
    if (t.joinable()) t.join();
  if (overflow_thread_.joinable()) overflow_thread_.join();
  std::lock_guard<std::mutex> lock(mu_);
  threads_.clear();
}

std::size_t WorkerPool::queued() const {
  std::lock_guard<std::mutex> lock(mu_);
  // A job an idle worker is about to take (woken, not yet running) waits for nobody.
  const std::size_t idle = threads_.size() > busy_ ? threads_.size() - busy_ : 0;
  return jobs_.size() > idle ? jobs_.size() - idle : 0;
}

bool WorkerPool::refusing() { return t_refusing != 0; }

void WorkerPool::work() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    cv_.wait(lock, [&] { return shutdown_ || !jobs_.empty(); });
    if (jobs_.empty()) return;  // shut down, and every accepted connection handled
    auto fn = std::move(jobs_.front());
    jobs_.pop_front();
    ++busy_;
    lock.unlock();
    fn();
    lock.lock();
    --busy_;
  }
}

void WorkerPool::refuse() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    overflow_cv_.wait(lock, [&] { return shutdown_ || !overflow_.empty(); });
    if (overflow_.empty()) return;
    auto fn = std::move(overflow_.front());
    overflow_.pop_front();
    lock.unlock();
    t_refusing = 1;
    fn();
    t_refusing = 0;
    lock.lock();
  }
}

void refuse_connection(int sock) {
  if (t_refusing == 2) return;
  // Read what the client sends at first, so that closing does not reset the
  // connection before it has read the answer.
  char buf[4096];
  auto until = Clock::now() + kRefuseWait;
  std::size_t got = 0;
  while (got < 64 * 1024 && Clock::now() < until && wait_for(sock, POLLIN, until - Clock::now())) {
    ssize_t n = ::recv(sock, buf, sizeof buf, MSG_DONTWAIT);
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
    if (std::search(buf, buf + n, "\r\n\r\n", "\r\n\r\n" + 4) != buf + n) break;
  }
  static const std::string body =
      R"({"error":{"status":503,"message":"server busy: too many connections; retry shortly"}})";
  const std::string answer = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json; charset=utf-8\r\n"
                             "Retry-After: 1\r\nConnection: close\r\nContent-Length: " +
                             std::to_string(body.size()) + "\r\n\r\n" + body;
  (void)::send(sock, answer.data(), answer.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
  ::shutdown(sock, SHUT_WR);
  if (got == 0) return;  // an idle client: nothing of its can reset the answer
  until = Clock::now() + kRefuseWait;
  while (Clock::now() < until && wait_for(sock, POLLIN, until - Clock::now())) {
    ssize_t n = ::recv(sock, buf, sizeof buf, MSG_DONTWAIT);
    if (n <= 0) break;
  }
}

}  // namespace moviec::http
