#pragma once
// Errors are values: every fallible call returns Status or StatusOr<T>.
// Exceptions are used only at the edges (CLI, HTTP) to turn these into messages.

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace moviec {

class [[nodiscard]] Status {
 public:
  // Stable codes; the HTTP layer maps them to status codes.
  enum class Code { ok, not_found, conflict, invalid_argument, io_error, corruption, busy, no_space };

  Status() = default;
  static Status ok() { return {}; }
  static Status not_found(std::string m) { return {Code::not_found, std::move(m)}; }
  static Status conflict(std::string m) { return {Code::conflict, std::move(m)}; }
  static Status invalid(std::string m) { return {Code::invalid_argument, std::move(m)}; }
  static Status io_error(std::string m) { return {Code::io_error, std::move(m)}; }
  static Status corruption(std::string m) { return {Code::corruption, std::move(m)}; }
  static Status busy(std::string m) { return {Code::busy, std::move(m)}; }
  /// The store takes no writes for want of disk space (store/health.hpp).
  static Status no_space(std::string m) { return {Code::no_space, std::move(m)}; }

  bool is_ok() const { return code_ == Code::ok; }
  explicit operator bool() const { return is_ok(); }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }

 private:
  Status(Code c, std::string m) : code_(c), message_(std::move(m)) {}
  Code code_ = Code::ok;
  std::string message_;
};

template <class T>
class [[nodiscard]] StatusOr {
 public:
  StatusOr(T value) : value_(std::move(value)) {}
  StatusOr(Status s) : status_(std::move(s)) {}

  bool is_ok() const { return value_.has_value(); }
  explicit operator bool() const { return is_ok(); }
  const Status& status() const { return status_; }
  T& operator*() { return *value_; }
  const T& operator*() const { return *value_; }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T take() { return std::move(*value_); }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace moviec
