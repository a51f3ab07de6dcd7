#include "sources/json_stream.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>

namespace moviec::sources {

namespace {
bool is_space(int c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string_view trim_json_space(std::string_view s) {
  while (!s.empty() && is_space(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && is_space(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::string shown(int c) {
  if (c >= 0x20 && c < 0x7f) return fmt::format("'{}'", static_cast<char>(c));
  return fmt::format("byte 0x{:02x}", c);
}
}  // namespace

// --- input: a file or bytes in memory -----------------------------------------------

struct JsonStream::Source {
  // A file when `file` is set, else `bytes` from `position` on.
  struct FileCloser {
    void operator()(std::FILE* f) const { std::fclose(f); }
  };
  std::unique_ptr<std::FILE, FileCloser> file;
  std::shared_ptr<const std::string> bytes;
  std::size_t position = 0;

  /// Reads up to n bytes; -1 on a read error.
  long read(char* out, std::size_t n) {
    if (file) {
      auto got = std::fread(out, 1, n, file.get());
      if (got < n && std::ferror(file.get())) return -1;
      return static_cast<long>(got);
    }
    std::size_t got = std::min(n, bytes->size() - std::min(position, bytes->size()));
    std::memcpy(out, bytes->data() + position, got);
    position += got;
    return static_cast<long>(got);
  }
  bool seek(std::uint64_t offset) {
    if (file) return ::fseeko(file.get(), static_cast<off_t>(offset), SEEK_SET) == 0;
    position = static_cast<std::size_t>(offset);
    return offset <= bytes->size();
  }
};

StatusOr<JsonStream> JsonStream::open(const std::string& path, JsonContainer container,
                                      JsonStreamOptions options) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    return Status::io_error(fmt::format("{}: is a directory", path));
  auto source = std::make_unique<Source>();
  source->file.reset(std::fopen(path.c_str(), "rb"));
  if (!source->file)
    return Status::io_error(fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
  auto size = std::filesystem::file_size(path, ec);
  if (ec) size = 0;
  return JsonStream(path, std::move(source), size, container, options);
}

JsonStream JsonStream::from_memory(std::string name, std::shared_ptr<const std::string> bytes,
                                   JsonContainer container, JsonStreamOptions options) {
  auto source = std::make_unique<Source>();
  auto size = bytes ? bytes->size() : 0;
  source->bytes = bytes ? std::move(bytes) : std::make_shared<const std::string>();
  return JsonStream(std::move(name), std::move(source), size, container, options);
}

JsonStream::JsonStream(std::string name, std::unique_ptr<Source> source, std::uint64_t size,
                       JsonContainer container, JsonStreamOptions options)
    : name_(std::move(name)),
      source_(std::move(source)),
      container_(container),
      options_(options),
      size_(size) {
  options_.chunk_bytes = std::max<std::size_t>(options_.chunk_bytes, 1);
  options_.max_record_bytes = std::max<std::size_t>(options_.max_record_bytes, 1);
}

JsonStream::JsonStream(JsonStream&&) noexcept = default;
JsonStream& JsonStream::operator=(JsonStream&&) noexcept = default;
JsonStream::~JsonStream() = default;

// --- scanning ---------------------------------------------------------------------------

bool JsonStream::fill() {
  if (eof_) return false;
  // A too-long record's bytes are never returned: drop them instead of growing.
  if (discarding_) begin_ = scan_;
  if (begin_ > 0) {
    std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    scan_ -= begin_;
    base_ += begin_;
    begin_ = 0;
  }
  if (buffer_.size() < end_ + options_.chunk_bytes) buffer_.resize(end_ + options_.chunk_bytes);
  long n = source_->read(buffer_.data() + end_, options_.chunk_bytes);
  if (n < 0) {
    status_ = Status::io_error(fmt::format("{}: read error: {}", name_, std::strerror(errno)));
    eof_ = true;
    return false;
  }
  end_ += static_cast<std::size_t>(n);
  if (static_cast<std::size_t>(n) < options_.chunk_bytes) eof_ = true;
  return n > 0;
}

int JsonStream::peek() {
  if (scan_ < end_) return static_cast<unsigned char>(buffer_[scan_]);
  if (!fill() || scan_ >= end_) return -1;
  return static_cast<unsigned char>(buffer_[scan_]);
}

void JsonStream::advance() {
  if (buffer_[scan_] == '\n') ++line_;
  ++scan_;
}

void JsonStream::skip_space() {
  for (int c = peek(); c >= 0 && is_space(c); c = peek()) {
    advance();
    begin_ = scan_;
  }
}

JsonStreamPosition JsonStream::position() const {
  return JsonStreamPosition{base_ + scan_, line_, static_cast<int>(state_)};
}

Status JsonStream::seek(const JsonStreamPosition& p) {
  if (p.state < kStart || p.state > kEnd)
    return Status::invalid(fmt::format("{}: bad resume position (state {})", name_, p.state));
  if (p.offset > size_ || !source_->seek(p.offset))
    return Status::invalid(
        fmt::format("{}: cannot resume at byte {} (the input has {} bytes)", name_, p.offset, size_));
  buffer_.clear();
  begin_ = scan_ = end_ = 0;
  base_ = p.offset;
  line_ = p.line;
  eof_ = false;
  discarding_ = false;
  state_ = static_cast<State>(p.state);
  if (state_ == kArray || state_ == kArrayClosed) container_ = JsonContainer::array;
  if (state_ == kLines) container_ = JsonContainer::lines;
  return Status::ok();
}

bool JsonStream::next(JsonElement& out) {
  out.line = 0;
  out.text = {};
  out.problem.clear();
  begin_ = scan_;
  for (;;) {
    switch (state_) {
      case kStart: {
        // A byte-order mark may precede the first byte.
        if (peek() == 0xEF && end_ - scan_ >= 3 && std::memcmp(&buffer_[scan_], "\xEF\xBB\xBF", 3) == 0)
          scan_ += 3;
        skip_space();
        int c = peek();
        if (c < 0) {
          state_ = kEnd;
          if (container_ == JsonContainer::array && status_.is_ok()) {
            out.line = line_;
            out.problem = "empty input (expected a JSON array)";
            return true;
          }
          return false;
        }
        if (c == '[' && container_ != JsonContainer::lines) {
          container_ = JsonContainer::array;
          advance();
          state_ = kArray;
        } else if (container_ == JsonContainer::array) {
          state_ = kEnd;
          out.line = line_;
          out.problem = fmt::format("not a JSON array (the input starts with {})", shown(c));
          return true;
        } else {
          container_ = JsonContainer::lines;
          state_ = kLines;
        }
        continue;
      }
      case kArray:
        return next_in_array(out);
      case kArrayClosed: {
        skip_space();
        int c = peek();
        state_ = kEnd;
        if (c < 0) return false;
        out.line = line_;
        out.problem = fmt::format("unexpected {} after the end of the JSON array", shown(c));
        return true;
      }
      case kLines:
        return next_line(out);
      case kEnd:
        return false;
    }
  }
}

// Invariant on entry: inside the array, after '[' or ','; the next value is a record.
bool JsonStream::next_in_array(JsonElement& out) {
  for (;;) {
    skip_space();
    int c = peek();
    if (c < 0) {
      state_ = kEnd;
      if (!status_.is_ok()) return false;
      out.line = line_;
      out.problem = "the input ends inside the JSON array (no closing ']')";
      return true;
    }
    if (c == ']') {  // "[]", or a tolerated trailing comma
      advance();
      state_ = kArrayClosed;
      return next(out);
    }
    if (c == ',') {  // "[,": an empty record
      out.line = line_;
      advance();
      out.problem = "empty record (two commas in a row)";
      return true;
    }
    break;
  }

  begin_ = scan_;
  out.line = line_;
  int depth = 0;
  bool in_string = false;
  bool escape = false;
  discarding_ = false;
  std::size_t stop = 0;
  char terminator = 0;
  for (;;) {
    int c = peek();
    if (c < 0) {
      state_ = kEnd;
      discarding_ = false;
      if (!status_.is_ok()) return false;
      out.problem = "the input ends inside this record (truncated?)";
      return true;
    }
    if (in_string) {
      if (escape) escape = false;
      else if (c == '\\') escape = true;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}') {
      if (depth > 0) --depth;
    } else if (c == ']') {
      if (depth == 0) {
        stop = scan_;
        terminator = ']';
        break;
      }
      --depth;
    } else if (c == ',' && depth == 0) {
      stop = scan_;
      terminator = ',';
      break;
    }
    advance();
    if (!discarding_ && scan_ - begin_ > options_.max_record_bytes) discarding_ = true;
  }
  advance();  // past the terminator; buffer_ is not touched until the next call
  state_ = terminator == ',' ? kArray : kArrayClosed;
  if (discarding_) {
    discarding_ = false;
    out.problem = fmt::format("record longer than {} bytes", options_.max_record_bytes);
    return true;
  }
  out.text = trim_json_space(std::string_view(buffer_.data() + begin_, stop - begin_));
  return true;
}

bool JsonStream::next_line(JsonElement& out) {
  for (;;) {
    begin_ = scan_;
    out.line = line_;
    discarding_ = false;
    int c = peek();
    if (c < 0) {
      state_ = kEnd;
      return false;
    }
    std::size_t stop = 0;
    for (;;) {
      c = peek();
      if (c < 0) {
        stop = scan_;
        break;
      }
      if (c == '\n') {
        stop = scan_;
        advance();
        break;
      }
      advance();
      if (!discarding_ && scan_ - begin_ > options_.max_record_bytes) discarding_ = true;
    }
    if (discarding_) {
      discarding_ = false;
      out.problem = fmt::format("record longer than {} bytes", options_.max_record_bytes);
      return true;
    }
    // After a discarded stretch begin_ moved on; the text is only whole when it did not.
    auto text = trim_json_space(std::string_view(buffer_.data() + begin_, stop - begin_));
    if (text.empty()) continue;  // a blank line
    out.text = text;
    return true;
  }
}

namespace {
/// nlohmann's message without its "[json.exception.parse_error.101] " prefix.
std::string reason_of(const nlohmann::json::exception& e) {
  std::string what = e.what();
  if (auto p = what.find("] "); p != std::string::npos) what = what.substr(p + 2);
  return what;
}
}  // namespace

StatusOr<nlohmann::json> parse_json_record(std::string_view text) {
  // nlohmann reports bad input only by exception, and not only by parse_error: a
  // number too big for a double (1e999) is out_of_range. Every one becomes a value
  // here, so no reader (nor the actor running it) ever sees an exception.
  try {
    return nlohmann::json::parse(text.begin(), text.end());
  } catch (const nlohmann::json::parse_error& e) {
    return Status::invalid(fmt::format("invalid JSON at byte {} of the record: {}", e.byte, reason_of(e)));
  } catch (const nlohmann::json::exception& e) {
    return Status::invalid(fmt::format("invalid JSON in the record: {}", reason_of(e)));
  } catch (const std::exception& e) {  // std::bad_alloc on a pathological nesting, ...
    return Status::invalid(fmt::format("cannot parse the record: {}", e.what()));
  }
}

}  // namespace moviec::sources
