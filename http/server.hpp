#pragma once
// The HTTP server: the read API of docs/http.md, served by cpp-httplib, which stays
// behind the pimpl (no httplib type in this header). Handlers read RocksDB directly
// through store::ReadModels (thread-safe); writes never pass through here.
//
// Lifecycle: construct, bind(), then either run() on a thread of your own or
// start(); stop() (or the destructor) ends it. A stopped server does not restart.

#include <cstddef>
#include <memory>
#include <string>

#include "common/status.hpp"
#include "config/config.hpp"
#include "http/ingest_hook.hpp"
#include "http/link_hook.hpp"
#include "store/db.hpp"
#include "store/event_log.hpp"

namespace moviec::http {

struct ListenAddress {
  std::string host;
  int port = 0;
};

/// Parses "host:port" (Config::listen), "[::1]:port" or ":port" (host 127.0.0.1).
/// A missing or out-of-range port is invalid_argument.
StatusOr<ListenAddress> parse_listen(const std::string& listen);

class Server {
 public:
  // Workers, connections, deadlines and the largest request body come from the
  // config (http_* keys; http/connection.hpp). A body is limited as sent (chunk
  // framing included); a declared one too big is refused before any byte is read.

  /// db, log and config must outlive the server.
  Server(store::Db& db, store::EventLog& log, const config::Config& config);
  /// Calls stop().
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  /// Binds and listens on host:port; port 0 picks a free port (see port()). The
  /// port is exclusive (no SO_REUSEPORT): when it is taken this fails with `busy`
  /// naming the address, instead of silently sharing it. Other failures (unknown
  /// host, no permission) are io_error; a second bind is invalid_argument.
  [[nodiscard]] Status bind(const std::string& host, int port);
  /// Binds the address in config.listen.
  [[nodiscard]] Status bind();

  /// The bound port; 0 before a successful bind().
  int port() const;

  /// Serves on the calling thread until stop(). Returns at once when not bound,
  /// already running or already stopped.
  void run();

  /// Serves on a background thread; returns once connections are accepted (or at
  /// once, not serving, when run() would return at once).
  void start();

  /// Stops accepting, lets requests in flight finish, and returns once run() has
  /// returned. Idempotent and thread-safe: call it from any thread, e.g. one
  /// waiting in sigwait(); but not from an async signal handler and not from a
  /// request handler (it waits for the handler's own thread).
  void stop();

  /// True while connections are being accepted.
  bool is_running() const;

  /// Lets POST /ingest/{source} reach the write side (see http/ingest_hook.hpp).
  /// Without it the route answers 503. Call before run()/start().
  void set_ingest_hook(IngestHook hook);

  /// Lets POST /links reach the matcher (see http/link_hook.hpp). Without it the
  /// route answers 503. Call before run()/start().
  void set_link_hook(LinkHook hook);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace moviec::http
