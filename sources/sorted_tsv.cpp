#include "sources/sorted_tsv.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <system_error>
#include <vector>

#include <fmt/format.h>

namespace moviec::sources {

namespace {

// Lines in `path` (newlines, plus a last line without one), in 1 MiB reads.
StatusOr<std::uint64_t> count_lines(const std::string& path) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!file) return Status::io_error(path + ": cannot open: " + std::strerror(errno));
  std::vector<char> buffer(1 << 20);
  std::uint64_t lines = 0;
  char last = '\n';
  std::size_t n = 0;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), file.get())) > 0) {
    lines += static_cast<std::uint64_t>(std::count(buffer.data(), buffer.data() + n, '\n'));
    last = buffer[n - 1];
  }
  if (std::ferror(file.get())) return Status::io_error(path + ": read error");
  return lines + (last != '\n' ? 1 : 0);
}

constexpr std::size_t kRunHeader = 16;            // key (8), line number (4), length (4)
constexpr std::size_t kWriteBuffer = 1 << 20;     // shared by the runs as they are written
constexpr std::size_t kMinReadBuffer = 4 << 10;   // per run while merging
constexpr std::size_t kMaxReadBuffer = 1 << 20;

// Writes all of [data, data + n) to `fd`; errno on failure.
bool write_all(int fd, const char* data, std::size_t n) {
  while (n > 0) {
    auto w = ::write(fd, data, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data += w;
    n -= static_cast<std::size_t>(w);
  }
  return true;
}

}  // namespace

void SortedTsv::Run::close_fd(int fd) { ::close(fd); }

SortedTsv::~SortedTsv() = default;

Status SortedTsv::run_error(const char* what, const std::string& dir, int error) const {
  auto message = fmt::format("{}: not sorted by tconst and sorted on disk: cannot {} a sort run in {}: {}",
                             path_, what, dir, std::strerror(error));
  return error == ENOSPC ? Status::no_space(message) : Status::io_error(message);
}

StatusOr<SortedTsv> SortedTsv::load(const std::string& path, KeyFn key, TsvOptions options,
                                    std::uint64_t header_lines, Spill spill) {
  auto tsv = TsvReader::open(path, options);
  if (!tsv) return tsv.status();
  auto lines = count_lines(path);
  if (!lines) return lines.status();
  if (*lines >= UINT32_MAX)
    return Status::invalid(path + ": too many lines to sort (" + std::to_string(*lines) + ")");
  SortedTsv out;
  out.path_ = path;
  out.size_ = tsv->size();
  const std::uint64_t whole = out.size_ + sizeof(Entry) * *lines;
  const bool in_memory = whole <= spill.memory_bytes;
  std::uint64_t text_cap = out.size_;
  std::uint64_t entry_cap = *lines;
  std::string dir = spill.dir;
  if (!in_memory) {
    // One piece holds memory_bytes, shared between text and entries as in the file.
    text_cap = std::max<std::uint64_t>(
        1, static_cast<std::uint64_t>(static_cast<double>(spill.memory_bytes) *
                                      (static_cast<double>(out.size_) / static_cast<double>(whole))));
    entry_cap = std::max<std::uint64_t>(1, (spill.memory_bytes - std::min(text_cap, spill.memory_bytes)) /
                                               sizeof(Entry));
    std::error_code ec;
    if (dir.empty()) dir = std::filesystem::temp_directory_path(ec).string();
    if (ec) return out.run_error("find a directory for", "the system temp dir", ec.value());
    std::filesystem::create_directories(dir, ec);
    if (ec) return out.run_error("create the directory of", dir, ec.value());
  }
  // Both reserved up front: no reallocation, so the peak is what is kept.
  out.text_.reserve(static_cast<std::size_t>(text_cap));
  out.entries_.reserve(static_cast<std::size_t>(entry_cap));
  TsvLine line;
  while (tsv->next(line)) {
    if (line.number >= UINT32_MAX) return Status::invalid(path + ": too many lines to sort");
    const std::size_t bytes = line.too_long ? 0 : line.text.size();
    if (!in_memory && !out.entries_.empty() &&
        (out.entries_.size() >= entry_cap || out.text_.size() + bytes > text_cap))
      if (auto s = out.write_run(dir); !s) return s;
    Entry e;
    e.number = static_cast<std::uint32_t>(line.number);
    e.key = line.number <= header_lines || line.fields.empty() ? 0 : key(line.fields[0]);
    e.begin = out.text_.size();
    e.length = line.too_long ? kTooLong : static_cast<std::uint32_t>(bytes);
    out.text_.append(line.text.data(), bytes);
    out.entries_.push_back(e);
  }
  if (!tsv->status().is_ok()) return tsv->status();
  if (in_memory) {
    // In place (no buffer, unlike stable_sort); the line number keeps equal keys in
    // file order.
    std::sort(out.entries_.begin(), out.entries_.end(), before);
    return out;
  }
  if (!out.entries_.empty())
    if (auto s = out.write_run(dir); !s) return s;
  std::string().swap(out.text_);
  std::vector<Entry>().swap(out.entries_);
  if (auto s = out.start_merge(spill.memory_bytes); !s) return s;
  return out;
}

Status SortedTsv::write_run(const std::string& dir) {
  std::sort(entries_.begin(), entries_.end(), before);
  std::string name = (std::filesystem::path(dir) / "moviec-sort-XXXXXX").string();
  auto run = std::make_unique<Run>();
  run->fd = ::mkostemp(name.data(), O_CLOEXEC);
  if (run->fd < 0) return run_error("create", dir, errno);
  ::unlink(name.c_str());  // the open descriptor keeps it until the run is closed
  std::vector<char> buffer;
  buffer.reserve(kWriteBuffer);
  auto flush = [&] {
    bool ok = write_all(run->fd, buffer.data(), buffer.size());
    buffer.clear();
    return ok;
  };
  for (const Entry& e : entries_) {
    const std::uint32_t length = e.length == kTooLong ? 0 : e.length;
    if (buffer.size() + kRunHeader + length > kWriteBuffer && !flush()) return run_error("write", dir, errno);
    char header[kRunHeader];
    std::memcpy(header, &e.key, 8);
    std::memcpy(header + 8, &e.number, 4);
    std::memcpy(header + 12, &e.length, 4);
    buffer.insert(buffer.end(), header, header + kRunHeader);
    if (length > kWriteBuffer) {  // a line longer than the buffer: straight through
      if (!flush() || !write_all(run->fd, text_.data() + e.begin, length)) return run_error("write", dir, errno);
    } else {
      buffer.insert(buffer.end(), text_.data() + e.begin, text_.data() + e.begin + length);
    }
  }
  if (!flush()) return run_error("write", dir, errno);
  runs_.push_back(std::move(run));
  text_.clear();
  entries_.clear();
  return Status::ok();
}

Status SortedTsv::start_merge(std::uint64_t memory_bytes) {
  const std::size_t per_run = static_cast<std::size_t>(std::clamp<std::uint64_t>(
      memory_bytes / std::max<std::size_t>(1, runs_.size()), kMinReadBuffer, kMaxReadBuffer));
  for (auto& run : runs_) {
    if (::lseek(run->fd, 0, SEEK_SET) != 0) return run_error("rewind", "its directory", errno);
    run->file = ::fdopen(run->fd, "rb");
    if (!run->file) return run_error("read", "its directory", errno);
    run->fd = -1;  // the FILE closes it
    run->buffer.reset(new char[per_run]);
    std::setvbuf(run->file, run->buffer.get(), _IOFBF, per_run);
    if (advance(*run)) heap_.push_back(run.get());
    if (!status_.is_ok()) return status_;
  }
  std::make_heap(heap_.begin(), heap_.end(), [](const Run* a, const Run* b) {
    return a->key != b->key ? a->key > b->key : a->number > b->number;
  });
  return Status::ok();
}

bool SortedTsv::advance(Run& r) {
  char header[kRunHeader];
  auto n = std::fread(header, 1, kRunHeader, r.file);
  if (n == 0 && !std::ferror(r.file)) return false;  // the run's end
  if (n == kRunHeader) {
    std::memcpy(&r.key, header, 8);
    std::memcpy(&r.number, header + 8, 4);
    std::memcpy(&r.length, header + 12, 4);
    if (r.length == kTooLong) {
      r.text.clear();
      return true;
    }
    r.text.resize(r.length);
    if (r.length == 0 || std::fread(r.text.data(), 1, r.length, r.file) == r.length) return true;
  }
  status_ = Status::io_error(path_ + ": a sort run on disk could not be read back" +
                             (std::ferror(r.file) ? std::string(": ") + std::strerror(errno) : std::string()));
  return false;
}

bool SortedTsv::next(TsvLine& line) {
  line.fields.clear();
  line.text = {};
  line.too_long = false;
  if (done_) return false;
  if (runs_.empty() ? next_in_memory(line) : next_merged(line)) return true;
  done_ = true;
  return false;
}

bool SortedTsv::next_in_memory(TsvLine& line) {
  if (next_ == entries_.size()) return false;
  const Entry& e = entries_[next_++];
  line.number = e.number;
  line.too_long = e.length == kTooLong;
  consumed_ += (line.too_long ? 0 : e.length) + 1;
  if (line.too_long) return true;
  line.text = std::string_view(text_.data() + e.begin, e.length);
  split_tsv_fields(line.text, line.fields);
  return true;
}

bool SortedTsv::next_merged(TsvLine& line) {
  if (heap_.empty()) return false;
  auto after = [](const Run* a, const Run* b) {
    return a->key != b->key ? a->key > b->key : a->number > b->number;
  };
  std::pop_heap(heap_.begin(), heap_.end(), after);
  Run* r = heap_.back();
  line.number = r->number;
  line.too_long = r->length == kTooLong;
  consumed_ += (line.too_long ? 0 : r->length) + 1;
  current_.swap(r->text);  // the run reads its next line into the old buffer
  if (advance(*r))
    std::push_heap(heap_.begin(), heap_.end(), after);
  else
    heap_.pop_back();
  if (!status_.is_ok()) {
    heap_.clear();
    return false;
  }
  if (line.too_long) return true;
  line.text = current_;
  split_tsv_fields(line.text, line.fields);
  return true;
}

}  // namespace moviec::sources
