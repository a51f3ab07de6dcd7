#include "sources/tsv_reader.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>

namespace moviec::sources {

StatusOr<TsvReader> TsvReader::open(const std::string& path, TsvOptions options) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    return Status::io_error(fmt::format("{}: is a directory", path));
  std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
  if (!file) return Status::io_error(fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
  auto size = std::filesystem::file_size(path, ec);
  if (ec) size = 0;
  options.chunk_bytes = std::max<std::size_t>(options.chunk_bytes, 1);
  options.max_line_bytes = std::max<std::size_t>(options.max_line_bytes, 1);
  return TsvReader(path, std::move(file), size, options);
}

TsvReader::TsvReader(std::string path, std::unique_ptr<std::FILE, FileCloser> file,
                     std::uint64_t size, TsvOptions options)
    : path_(std::move(path)), file_(std::move(file)), options_(options), size_(size) {}

bool TsvReader::fill() {
  if (eof_) return false;
  if (begin_ > 0) {
    std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
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

void split_tsv_fields(std::string_view text, std::vector<std::string_view>& fields) {
  fields.clear();
  std::size_t start = 0;
  for (;;) {
    auto tab = text.find('\t', start);
    if (tab == std::string_view::npos) {
      fields.push_back(text.substr(start));
      return;
    }
    fields.push_back(text.substr(start, tab - start));
    start = tab + 1;
  }
}

bool TsvReader::next(TsvLine& line) {
  line.fields.clear();
  line.text = {};
  line.too_long = false;
  for (;;) {
    const char* data = buffer_.data();
    const void* nl = begin_ < end_ ? std::memchr(data + begin_, '\n', end_ - begin_) : nullptr;
    if (skipping_) {
      // Invariant: the too-long line was already returned; drop its remaining bytes.
      if (nl) {
        auto stop = static_cast<std::size_t>(static_cast<const char*>(nl) - data) + 1;
        offset_ += stop - begin_;
        begin_ = stop;
        skipping_ = false;
        continue;
      }
      offset_ += end_ - begin_;
      begin_ = end_ = 0;
      if (!fill()) return false;
      continue;
    }
    std::size_t stop = 0;     // end of the line's text
    std::size_t consumed = 0; // text plus terminator
    if (nl) {
      stop = static_cast<std::size_t>(static_cast<const char*>(nl) - data);
      consumed = stop + 1 - begin_;
    } else if (end_ - begin_ > options_.max_line_bytes) {
      line.number = ++line_number_;
      line.too_long = true;
      offset_ += end_ - begin_;
      begin_ = end_ = 0;
      skipping_ = true;
      return true;
    } else if (!eof_) {
      fill();
      continue;
    } else if (begin_ < end_ && status_.is_ok()) {
      stop = end_;  // the last line has no newline
      consumed = end_ - begin_;
    } else {
      return false;
    }
    if (stop - begin_ > options_.max_line_bytes) {
      line.number = ++line_number_;
      line.too_long = true;
      offset_ += consumed;
      begin_ += consumed;
      return true;
    }
    std::string_view text(data + begin_, stop - begin_);
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    line.number = ++line_number_;
    line.text = text;
    split_tsv_fields(text, line.fields);
    offset_ += consumed;
    begin_ += consumed;
    return true;
  }
}

}  // namespace moviec::sources
