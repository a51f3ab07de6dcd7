#include "sources/chunked_file.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>

namespace moviec::sources {

StatusOr<ChunkedFile> ChunkedFile::open(const std::string& path, std::size_t chunk_bytes) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    return Status::io_error(fmt::format("{}: is a directory", path));
  std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
  if (!file) return Status::io_error(fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
  auto size = std::filesystem::file_size(path, ec);
  if (ec) size = 0;
  return ChunkedFile(path, std::move(file), size, std::max<std::size_t>(chunk_bytes, 1));
}

ChunkedFile::ChunkedFile(std::string path, std::unique_ptr<std::FILE, FileCloser> file,
                         std::uint64_t size, std::size_t chunk_bytes)
    : path_(std::move(path)), file_(std::move(file)), chunk_bytes_(chunk_bytes), size_(size) {}

bool ChunkedFile::fill() {
  if (eof_) return false;
  if (pos_ > 0) {
    std::memmove(buffer_.data(), buffer_.data() + pos_, end_ - pos_);
    end_ -= pos_;
    base_ += pos_;
    pos_ = 0;
  }
  if (buffer_.size() < end_ + chunk_bytes_) buffer_.resize(end_ + chunk_bytes_);
  auto n = std::fread(buffer_.data() + end_, 1, chunk_bytes_, file_.get());
  end_ += n;
  if (n < chunk_bytes_) {
    if (std::ferror(file_.get()))
      status_ = Status::io_error(fmt::format("{}: read error: {}", path_, std::strerror(errno)));
    eof_ = true;
  }
  return n > 0;
}

}  // namespace moviec::sources
