#pragma once
// Runs the real moviec binary the way a user does: a finished command with its
// output, or a background server whose announced port the test reads.

#include <csignal>
#include <memory>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

namespace moviec::test {

struct CommandResult {
  int exit_code = -1;
  std::string out;  // stdout
};

inline std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

/// Runs a shell command line to completion: its exit code (128 + signal when a
/// signal ended it) and its stdout (add 2>&1 to the line for stderr too).
inline CommandResult run_shell(const std::string& command_line) {
  CommandResult r;
  FILE* pipe = ::popen(command_line.c_str(), "r");
  if (!pipe) throw std::runtime_error("popen failed");
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) r.out.append(buf, n);
  int status = ::pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return r;
}

/// Runs `moviec ARGS...` to completion; stderr goes to the test's stderr.
inline CommandResult run_moviec(const std::vector<std::string>& args) {
  std::string cmd = shell_quote(MOVIEC_BINARY);
  for (auto& a : args) cmd += " " + shell_quote(a);
  return run_shell(cmd);
}

/// run_moviec under `timeout -s KILL seconds`: a hang ends as exit code 137.
inline CommandResult run_moviec_timed(int seconds, const std::vector<std::string>& args) {
  std::string cmd = "timeout -s KILL " + std::to_string(seconds) + " " + shell_quote(MOVIEC_BINARY);
  for (auto& a : args) cmd += " " + shell_quote(a);
  return run_shell(cmd);
}

/// A background moviec process. The destructor kills it (SIGTERM) and waits.
class Process {
 public:
  explicit Process(const std::vector<std::string>& args) {
    int fds[2];
    if (::pipe(fds) != 0) throw std::runtime_error("pipe failed");
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
      ::dup2(fds[1], STDOUT_FILENO);
      ::close(fds[0]);
      ::close(fds[1]);
      std::vector<char*> argv;
      std::string binary = MOVIEC_BINARY;
      argv.push_back(binary.data());
      std::vector<std::string> copy = args;
      for (auto& a : copy) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(binary.c_str(), argv.data());
      ::_exit(127);
    }
    ::close(fds[1]);
    out_fd_ = fds[0];
  }
  ~Process() {
    if (pid_ > 0) {
      signal(SIGTERM);
      wait();
    }
    if (out_fd_ >= 0) ::close(out_fd_);
  }
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  /// Reads stdout until a line contains `needle` or `timeout_ms` passes; returns the line.
  std::string wait_for_line(const std::string& needle, int timeout_ms = 30000) {
    std::string line;
    while (timeout_ms > 0) {
      auto nl = buffer_.find('\n');
      if (nl != std::string::npos) {
        line = buffer_.substr(0, nl);
        buffer_.erase(0, nl + 1);
        if (line.find(needle) != std::string::npos) return line;
        continue;
      }
      pollfd p{out_fd_, POLLIN, 0};
      if (::poll(&p, 1, 100) > 0) {
        char buf[1024];
        auto n = ::read(out_fd_, buf, sizeof buf);
        if (n <= 0) break;
        buffer_.append(buf, static_cast<std::size_t>(n));
      } else {
        timeout_ms -= 100;
      }
    }
    throw std::runtime_error("moviec did not print \"" + needle + "\"");
  }

  pid_t pid() const { return pid_; }

  void signal(int sig) {
    if (pid_ > 0) ::kill(pid_, sig);
  }
  /// Waits at most `timeout_ms` for exit: true (and the exit code in wait()) when it
  /// ended, false when it is still running.
  bool wait_for(int timeout_ms) {
    if (pid_ <= 0) return true;
    for (;;) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        return true;
      }
      if (timeout_ms <= 0) return false;
      ::usleep(20000);
      timeout_ms -= 20;
    }
  }
  /// Waits for exit; returns the exit code (128 + signal when killed).
  int wait() {
    if (pid_ <= 0) return exit_code_;
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return exit_code_;
  }

 private:
  pid_t pid_ = -1;
  int out_fd_ = -1;
  int exit_code_ = -1;
  std::string buffer_;
};

/// Starts `moviec serve` on a free loopback port and returns once it accepts.
class Server {
 public:
  explicit Server(const std::string& data_dir, std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"serve", "--data", data_dir, "--listen", "127.0.0.1:0"};
    args.insert(args.end(), extra.begin(), extra.end());
    process_ = std::make_unique<Process>(args);
    auto line = process_->wait_for_line("serving http://");
    auto colon = line.find(':', line.find("http://") + 7);
    port_ = std::stoi(line.substr(colon + 1));
  }
  int port() const { return port_; }
  Process& process() { return *process_; }

 private:
  std::unique_ptr<Process> process_;
  int port_ = 0;
};

}  // namespace moviec::test
