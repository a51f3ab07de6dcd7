#include "sources/csv_reader.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>

namespace moviec::sources {

StatusOr<CsvReader> CsvReader::open(const std::string& path, CsvOptions options) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    return Status::io_error(fmt::format("{}: is a directory", path));
  std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
  if (!file) return Status::io_error(fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
  auto size = std::filesystem::file_size(path, ec);
  if (ec) size = 0;
  options.chunk_bytes = std::max<std::size_t>(options.chunk_bytes, 1);
  options.max_record_bytes = std::max<std::size_t>(options.max_record_bytes, 1);
  return CsvReader(path, std::move(file), size, options);
}

CsvReader::CsvReader(std::string path, std::unique_ptr<std::FILE, FileCloser> file,
                     std::uint64_t size, CsvOptions options)
    : path_(std::move(path)), file_(std::move(file)), options_(options), size_(size) {}

bool CsvReader::fill() {
  if (eof_) return false;
  if (pos_ > 0) {
    std::memmove(buffer_.data(), buffer_.data() + pos_, end_ - pos_);
    end_ -= pos_;
    pos_ = 0;
  }
  if (buffer_.size() < end_ + options_.chunk_bytes) buffer_.resize(end_ + options_.chunk_bytes);
  auto n = std::fread(buffer_.data() + end_, 1, options_.chunk_bytes, file_.get());
  end_ += n;
  if (n < options_.chunk_bytes) {
    if (std::ferror(file_.get()))
      status_ = Status::io_error(fmt::format("{}: read error: {}", path_, std::strerror(errno)));
    eof_ = true;
  }
  return n > 0;
}

bool CsvReader::next(CsvRecord& r) {
  r.fields.clear();
  r.ends.clear();
  r.buffer.clear();
  r.too_long = false;
  r.error.clear();
  if (at_start_) {
    while (end_ - pos_ < 3 && fill()) {
    }
    if (end_ - pos_ >= 3 && std::memcmp(buffer_.data() + pos_, "\xEF\xBB\xBF", 3) == 0) {
      pos_ += 3;
      offset_ += 3;
    }
    at_start_ = false;
  }

  // States of one record: at the start of a field, inside an unquoted field,
  // inside a quoted field, just after a quote inside a quoted field (a second
  // quote or the end of the field follows), after that quote and a '\r'.
  enum class State { field_start, unquoted, quoted, after_quote, after_quote_cr };
  State state = State::field_start;
  bool field_quoted = false;     // the current field began with a quote
  std::uint64_t quote_line = 0;  // where the open quoted field began
  r.line = line_;

  auto store = [&](const char* p, std::size_t n) {
    if (r.too_long || n == 0) return;
    if (r.buffer.size() + n > options_.max_record_bytes) {
      r.too_long = true;
      r.buffer.clear();
      r.ends.clear();
      return;
    }
    r.buffer.append(p, n);
  };
  auto end_field = [&] {
    if (!r.too_long) r.ends.push_back(r.buffer.size());
    field_quoted = false;
  };
  auto malformed = [&](std::string why) {
    if (r.error.empty()) r.error = std::move(why);
  };
  // Drops the '\r' of a "\r\n" that ends an unquoted field.
  auto strip_cr = [&] {
    std::size_t start = r.ends.empty() ? 0 : r.ends.back();
    if (!field_quoted && !r.too_long && r.buffer.size() > start && r.buffer.back() == '\r')
      r.buffer.pop_back();
  };
  auto finish = [&] {
    if (!r.too_long) {
      std::size_t start = 0;
      for (auto end : r.ends) {
        r.fields.emplace_back(r.buffer.data() + start, end - start);
        start = end;
      }
    }
    return true;
  };

  for (;;) {
    if (pos_ == end_ && !fill()) {
      // End of file (or a read error, which ends the file early).
      if (!status_.is_ok()) return false;
      bool blank = state == State::field_start && r.ends.empty() && !r.too_long;
      if (blank) return false;
      if (state == State::quoted)
        malformed(fmt::format("quoted field opened at line {} is not closed at the end of the file",
                              quote_line));
      if (state == State::unquoted) strip_cr();
      end_field();
      r.end_line = line_;
      return finish();
    }
    const char* data = buffer_.data();
    const char delim = options_.delimiter;
    switch (state) {
      case State::field_start:
        if (data[pos_] == '"') {
          ++pos_;
          ++offset_;
          field_quoted = true;
          quote_line = line_;
          state = State::quoted;
          continue;
        }
        state = State::unquoted;
        [[fallthrough]];
      case State::unquoted: {
        std::size_t i = pos_;
        while (i < end_ && data[i] != delim && data[i] != '\n') ++i;
        store(data + pos_, i - pos_);
        offset_ += i - pos_;
        pos_ = i;
        if (i == end_) continue;  // the field goes on in the next chunk
        const char c = data[pos_++];
        ++offset_;
        if (c == delim) {
          end_field();
          state = State::field_start;
          continue;
        }
        // '\n': the record ends, unless it is a blank line.
        strip_cr();
        std::size_t start = r.ends.empty() ? 0 : r.ends.back();
        if (r.ends.empty() && !field_quoted && !r.too_long && r.buffer.size() == start &&
            r.error.empty()) {
          ++line_;
          r.line = line_;
          state = State::field_start;
          continue;
        }
        end_field();
        r.end_line = line_++;
        return finish();
      }
      case State::quoted: {
        const void* q = std::memchr(data + pos_, '"', end_ - pos_);
        std::size_t stop = q ? static_cast<std::size_t>(static_cast<const char*>(q) - data) : end_;
        line_ += static_cast<std::uint64_t>(std::count(data + pos_, data + stop, '\n'));
        store(data + pos_, stop - pos_);
        offset_ += stop - pos_;
        pos_ = stop;
        if (!q) continue;
        ++pos_;
        ++offset_;
        state = State::after_quote;
        continue;
      }
      case State::after_quote: {
        const char c = data[pos_];
        if (c == '"') {  // a doubled quote is one quote character
          store("\"", 1);
          ++pos_;
          ++offset_;
          state = State::quoted;
          continue;
        }
        if (c == delim) {
          ++pos_;
          ++offset_;
          end_field();
          state = State::field_start;
          continue;
        }
        if (c == '\n') {
          ++pos_;
          ++offset_;
          end_field();
          r.end_line = line_++;
          return finish();
        }
        if (c == '\r') {
          ++pos_;
          ++offset_;
          state = State::after_quote_cr;
          continue;
        }
        // Lenient like most readers: keep the text, but say the record is malformed.
        malformed(fmt::format("field {} has text after its closing quote", r.ends.size() + 1));
        field_quoted = false;
        state = State::unquoted;
        continue;
      }
      case State::after_quote_cr: {
        if (data[pos_] == '\n') {
          ++pos_;
          ++offset_;
          end_field();
          r.end_line = line_++;
          return finish();
        }
        malformed(fmt::format("field {} has text after its closing quote", r.ends.size() + 1));
        store("\r", 1);
        field_quoted = false;
        state = State::unquoted;
        continue;
      }
    }
  }
}

}  // namespace moviec::sources
