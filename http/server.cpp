#include "http/server.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <system_error>
#include <thread>

#include <httplib.h>

#include "http/handlers.hpp"
#include "http/routes.hpp"

namespace moviec::http {

namespace {
constexpr std::size_t kKeepAliveMaxRequests = 1000;  // per connection, then it is closed
constexpr std::chrono::milliseconds kPoll{1};

/// httplib::Server plus what it lacks: closing a socket that was bound but never
/// served (httplib closes it only at the end of its listen loop).
class HttpServer : public httplib::Server {
 public:
  void close_unserved_socket() {
    auto sock = svr_sock_.exchange(INVALID_SOCKET);
    if (sock != INVALID_SOCKET) ::close(sock);
  }
};
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
      : ctx{db, log, store::ReadModels(db), config} {}

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
  svr.new_task_queue = [] { return new httplib::ThreadPool(kWorkerThreads); };
  svr.set_keep_alive_max_count(kKeepAliveMaxRequests);
  svr.set_payload_max_length(kMaxBodyBytes);
  // httplib's default sets SO_REUSEPORT, which lets a second server bind the same
  // port and silently take half the connections. SO_REUSEADDR alone still allows a
  // quick restart while old connections sit in TIME_WAIT.
  svr.set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
  install_routes(svr, impl_->ctx);
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
