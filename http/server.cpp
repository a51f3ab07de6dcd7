#include "http/server.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <system_error>
#include <thread>

#include <httplib.h>

#include "http/auth.hpp"
#include "http/connection.hpp"
#include "http/handlers.hpp"
#include "http/routes.hpp"

namespace moviec::http {

namespace {
constexpr std::size_t kKeepAliveMaxRequests = 1000;  // per connection, then it is closed
constexpr std::chrono::milliseconds kPoll{1};
/// Pending connections the kernel holds before accept (httplib compiles in 5).
constexpr int kListenBacklog = 1024;
/// How long a connection may sit without a request while others wait for a
/// worker: a new one (the client is still sending) and a kept-alive one.
constexpr std::chrono::milliseconds kNewConnectionGrace{250};
constexpr std::chrono::milliseconds kKeepAliveGrace{50};
constexpr std::chrono::milliseconds kIdleSlice{50};
constexpr std::chrono::milliseconds kLinger{500};
constexpr std::size_t kLingerBytes = 4 * 1024 * 1024;

EdgeLimits edge_limits(const config::Config& c) {
  EdgeLimits l;
  l.workers = c.http_workers;
  l.max_connections = c.http_max_connections;
  l.header_timeout = c.http_header_timeout;
  l.body_timeout = c.http_body_timeout;
  l.max_body = c.http_max_body_bytes;
  return l;
}

/// httplib::Server plus what it lacks: closing a socket that was bound but never
/// served (httplib closes it only at the end of its listen loop), a real listen
/// backlog, and its connections served through http/connection.hpp (limits on
/// headers, bodies and time; a bounded pool that answers 503 when full).
class HttpServer : public httplib::Server {
 public:
  explicit HttpServer(const EdgeLimits& limits) : limits_(limits) {
    new_task_queue = [this] {
      auto* pool = new WorkerPool(limits_.workers, limits_.max_connections);
      pool_ = pool;
      return pool;
    };
  }

  void close_unserved_socket() {
    auto sock = svr_sock_.exchange(INVALID_SOCKET);
    if (sock != INVALID_SOCKET) ::close(sock);
  }

  /// Listens again on the bound socket with a real backlog (Linux takes a second
  /// listen() as a new backlog).
  void widen_backlog() {
    auto sock = svr_sock_.load();
    if (sock != INVALID_SOCKET) ::listen(sock, kListenBacklog);
  }

  const EdgeLimits& limits() const { return limits_; }

 private:
  /// Waits for the first byte of the next request. False: close the connection
  /// (it stayed idle too long, others need its worker, or the server stops).
  bool wait_for_request(ConnectionStream& strm, bool first) {
    if (strm.has_buffered()) return true;
    const auto started = std::chrono::steady_clock::now();
    const auto timeout = first ? limits_.header_timeout : limits_.idle_timeout;
    const auto grace = first ? kNewConnectionGrace : kKeepAliveGrace;
    for (;;) {
      if (svr_sock_ == INVALID_SOCKET) return false;
      pollfd p{strm.socket(), POLLIN, 0};
      int r = ::poll(&p, 1, static_cast<int>(kIdleSlice.count()));
      if (r > 0) return true;
      if (r < 0 && errno != EINTR) return false;
      auto idle = std::chrono::steady_clock::now() - started;
      if (idle >= timeout) return false;
      auto* pool = pool_.load();
      if (idle >= grace && pool && pool->queued() > 0) return false;
    }
  }

  bool process_and_close_socket(socket_t sock) override {
    if (WorkerPool::refusing()) {
      refuse_connection(sock);
    } else {
      ConnectionStream strm(sock, limits_);
      CurrentConnection current(&strm);
      for (std::size_t count = 0; count < keep_alive_max_count_; ++count) {
        if (!wait_for_request(strm, count == 0)) break;
        strm.begin_request();
        bool closed_by_client = false;
        bool last = count + 1 == keep_alive_max_count_;
        bool ok = process_request(strm, last, closed_by_client,
                                  [&strm](httplib::Request&) { strm.begin_body(); });
        if (!ok || closed_by_client || strm.must_close()) break;
      }
      // Refused before its body was read (or cut short): let the client read the
      // answer before the close, which with unread bytes would reset it.
      if (strm.must_close()) linger(sock);
    }
    ::shutdown(sock, SHUT_RDWR);
    ::close(sock);
    return true;
  }

  /// A lingering close: no more writes, then what the client still sends is read
  /// and dropped for a short while (bounded in time and bytes).
  static void linger(int sock) {
    ::shutdown(sock, SHUT_WR);
    char buf[16 * 1024];
    std::size_t dropped = 0;
    auto until = std::chrono::steady_clock::now() + kLinger;
    while (dropped < kLingerBytes) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
      if (left.count() <= 0) break;
      pollfd p{sock, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
      ssize_t n = ::recv(sock, buf, sizeof buf, MSG_DONTWAIT);
      if (n <= 0) break;
      dropped += static_cast<std::size_t>(n);
    }
  }

  EdgeLimits limits_;
  std::atomic<WorkerPool*> pool_{nullptr};
};

/// True when `method` is one of the comma-separated `allowed` ("GET, HEAD, POST").
bool lists(const std::string& allowed, const std::string& method) {
  for (std::size_t at = 0;;) {
    auto end = allowed.find(", ", at);
    if (allowed.compare(at, end == std::string::npos ? std::string::npos : end - at, method) == 0) return true;
    if (end == std::string::npos) return false;
    at = end + 2;
  }
}

bool has_body(const httplib::Request& req) {
  auto length = req.get_header_value("Content-Length");
  return (!length.empty() && length != "0") || req.has_header("Transfer-Encoding");
}

/// What the headers alone settle, before any body byte is read: the route (404,
/// 405 on a known path, 501 for a method no route takes on an unknown one), the bearer token of a write (401, 403), a read-only store (507, 503) and a declared body too big
/// (413). nullopt: read the body and run the handler.
std::optional<Response> admission(Context& ctx, const EdgeLimits& limits, const httplib::Request& req) {
  auto allowed = allowed_methods(req.path);
  if (allowed.empty()) {
    if (!implements_method(req.method))  // CONNECT host:port, ...
      return error_response(501, "method " + req.method + " not implemented");
    return error_response(404, "no route for " + req.method + " " + req.path);
  }
  const std::string method = req.method == "HEAD" ? "GET" : req.method;
  if (!lists(allowed, method)) {
    auto r = error_response(405, "method " + req.method + " not allowed on " + req.path + " (allowed: " +
                                     allowed + ")");
    r.headers.emplace_back("Allow", allowed);
    return r;
  }
  if (method != "GET") {
    Request plain;
    plain.authorization = req.get_header_value("Authorization");
    if (auto denied = check_token(ctx, plain)) return denied;
    if (auto refused = store_refusal(ctx)) return refused;  // a full disk: before the body
  }
  auto length = req.get_header_value("Content-Length");
  if (!length.empty()) {
    unsigned long long n = 0;
    auto [end, ec] = std::from_chars(length.data(), length.data() + length.size(), n);
    if (ec != std::errc() || end != length.data() + length.size())
      return error_response(400, "bad Content-Length \"" + length + "\"");
    if (n > limits.max_body)
      return error_response(413, "payload too large: " + std::to_string(n) + " bytes (at most " +
                                     std::to_string(limits.max_body) + ")");
    if (method == "POST" && req.path == "/assets" && n > ctx.config.assets_max_bytes)  // http/assets.cpp
      return error_response(413, "asset too large: " + std::to_string(n) +
                                     " bytes (at most assets_max_bytes = " +
                                     std::to_string(ctx.config.assets_max_bytes) + ")");
  }
  return std::nullopt;
}

void write_refusal(const Response& r, const httplib::Request& req, httplib::Response& res) {
  res.status = r.status;
  res.set_content(r.body, r.content_type);
  for (auto& [name, value] : r.headers) res.set_header(name, value);
  // The body, if any, stays unread: this connection serves no further request.
  if (has_body(req)) {
    if (auto* conn = current_connection()) conn->close_after_response();
    res.set_header("Connection", "close");
  }
}

}  // namespace

StatusOr<ListenAddress> parse_listen(const std::string& listen) {
  auto colon = listen.rfind(':');
  if (colon == std::string::npos)
    return Status::invalid("listen address \"" + listen + "\" has no :port");
  ListenAddress a;
  a.host = listen.substr(0, colon);
  if (a.host.size() >= 2 && a.host.front() == '[' && a.host.back() == ']')
    a.host = a.host.substr(1, a.host.size() - 2);
  if (a.host.empty()) a.host = "127.0.0.1";
  const std::string port = listen.substr(colon + 1);
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), a.port);
  if (port.empty() || ec != std::errc() || end != port.data() + port.size() || a.port < 0 ||
      a.port > 65535)
    return Status::invalid("listen address \"" + listen + "\": port must be 0..65535");
  return a;
}

struct Server::Impl {
  Impl(store::Db& db, store::EventLog& log, const config::Config& config)
      : ctx{db, log, store::ReadModels(db), config, {false}, {0}, {}, {}}, svr(edge_limits(config)) {}

  Context ctx;
  HttpServer svr;

  std::mutex mu;               // guards the fields below
  std::condition_variable cv;  // signalled when run() returns
  int port = 0;                // bound port, 0 = not bound
  bool running = false;        // inside run(), between its check and its return
  bool served = false;         // run() got as far as httplib's listen loop once
  bool stop_requested = false; // stop() was called: run() must not (re)start
  bool stop_claimed = false;   // one stop() call owns the httplib shutdown

  std::mutex join_mu;          // serializes joining `thread`
  std::thread thread;          // start()'s; set once, before any stop() can join it
};

Server::Server(store::Db& db, store::EventLog& log, const config::Config& config)
    : impl_(std::make_unique<Impl>(db, log, config)) {
  auto& svr = impl_->svr;
  svr.set_tcp_nodelay(true);  // otherwise Nagle costs ~40 ms per keep-alive request
  svr.set_keep_alive_max_count(kKeepAliveMaxRequests);
  svr.set_payload_max_length(config.http_max_body_bytes);
  // httplib's default sets SO_REUSEPORT, which lets a second server bind the same
  // port and silently take half the connections. SO_REUSEADDR alone still allows a
  // quick restart while old connections sit in TIME_WAIT.
  svr.set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
  install_routes(svr, impl_->ctx);
  // Route, token and declared size are checked from the headers, before the body
  // is read (also before a "100 Continue"). JSON answers take no Range: httplib
  // would serve any number of ranges of any response (a 3 KB Range header once
  // turned a 1 MB answer into 707 MB).
  auto* ctx = &impl_->ctx;
  auto* limits = &svr.limits();
  svr.set_pre_routing_handler([ctx, limits](const httplib::Request& req, httplib::Response& res) {
    note_request_start();
    if (auto* conn = current_connection()) conn->begin_body();
    // httplib parsed the ranges into the request before routing; the request
    // object is its own (not const), so dropping them here is well-defined.
    const_cast<httplib::Request&>(req).ranges.clear();
    auto refusal = admission(*ctx, *limits, req);
    if (!refusal) return httplib::Server::HandlerResponse::Unhandled;
    write_refusal(*refusal, req, res);
    return httplib::Server::HandlerResponse::Handled;
  });
  svr.set_expect_100_continue_handler([ctx, limits](const httplib::Request& req, httplib::Response& res) {
    auto refusal = admission(*ctx, *limits, req);
    if (!refusal) return 100;
    write_refusal(*refusal, req, res);
    return refusal->status;
  });
}

Server::~Server() { stop(); }

Status Server::bind(const std::string& host, int port) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  const std::string address = host + ":" + std::to_string(port);
  if (impl_->port != 0)
    return Status::invalid("cannot bind " + address + ": already bound to port " +
                           std::to_string(impl_->port));
  if (port < 0 || port > 65535) return Status::invalid("cannot bind " + address + ": bad port");
  errno = 0;
  int bound = port == 0 ? impl_->svr.bind_to_any_port(host)
                        : (impl_->svr.bind_to_port(host, port) ? port : -1);
  const int err = errno;
  if (bound <= 0) {
    std::string message = "cannot listen on " + address;
    if (err != 0) message += ": " + std::error_code(err, std::generic_category()).message();
    if (err == EADDRINUSE) return Status::busy(message + " (is another server running?)");
    return Status::io_error(message);
  }
  impl_->svr.widen_backlog();
  impl_->port = bound;
  return Status::ok();
}

Status Server::bind() {
  auto address = parse_listen(impl_->ctx.config.listen);
  if (!address) return address.status();
  return bind(address->host, address->port);
}

int Server::port() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->port;
}

bool Server::is_running() const { return impl_->svr.is_running(); }

void Server::set_ingest_hook(IngestHook hook) { impl_->ctx.ingest = std::move(hook); }

void Server::set_link_hook(LinkHook hook) { impl_->ctx.link = std::move(hook); }

void Server::run() {
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    if (impl_->port == 0 || impl_->running || impl_->stop_requested) return;
    impl_->running = true;
    impl_->served = true;
  }
  impl_->svr.listen_after_bind();
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    impl_->running = false;
  }
  impl_->cv.notify_all();
}

void Server::start() {
  auto done = std::make_shared<std::atomic<bool>>(false);
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    std::lock_guard<std::mutex> join_lock(impl_->join_mu);
    if (impl_->port == 0 || impl_->running || impl_->stop_requested || impl_->thread.joinable())
      return;
    impl_->thread = std::thread([this, done] {
      run();
      *done = true;
    });
  }
  // httplib has no "ready" signal: poll until it accepts or run() gave up.
  while (!impl_->svr.is_running() && !*done) std::this_thread::sleep_for(kPoll);
}

void Server::stop() {
  impl_->ctx.stopping = true;  // long polls end now instead of holding shutdown up
  std::unique_lock<std::mutex> lock(impl_->mu);
  impl_->stop_requested = true;
  if (!impl_->stop_claimed) {
    impl_->stop_claimed = true;
    // httplib's stop() does nothing until its listen loop runs: wait for the loop
    // (or for run() to give up) before asking it to stop.
    while (impl_->running && !impl_->svr.is_running()) {
      lock.unlock();
      std::this_thread::sleep_for(kPoll);
      lock.lock();
    }
    if (impl_->running) impl_->svr.stop();
    // Never served: nobody else will close the bound socket. (Once served, httplib
    // has closed it itself, and closing the number again could hit a reused fd.)
    if (!impl_->served && impl_->port != 0) impl_->svr.close_unserved_socket();
  }
  impl_->cv.wait(lock, [&] { return !impl_->running; });
  lock.unlock();

  std::lock_guard<std::mutex> join_lock(impl_->join_mu);
  if (impl_->thread.joinable() && impl_->thread.get_id() != std::this_thread::get_id())
    impl_->thread.join();
}

}  // namespace moviec::http
