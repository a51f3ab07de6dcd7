#include "sources/sorted_tsv.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <vector>

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

}  // namespace

StatusOr<SortedTsv> SortedTsv::load(const std::string& path, KeyFn key, TsvOptions options,
                                    std::uint64_t header_lines) {
  auto tsv = TsvReader::open(path, options);
  if (!tsv) return tsv.status();
  auto lines = count_lines(path);
  if (!lines) return lines.status();
  if (*lines >= UINT32_MAX)
    return Status::invalid(path + ": too many lines to sort in memory (" + std::to_string(*lines) + ")");
  SortedTsv out;
  out.size_ = tsv->size();
  // Both reserved whole up front: no reallocation, so the peak is what is kept.
  out.text_.reserve(static_cast<std::size_t>(out.size_));
  out.entries_.reserve(static_cast<std::size_t>(*lines));
  TsvLine line;
  while (tsv->next(line)) {
    if (line.number >= UINT32_MAX) return Status::invalid(path + ": too many lines to sort in memory");
    Entry e;
    e.number = static_cast<std::uint32_t>(line.number);
    e.key = line.number <= header_lines || line.fields.empty() ? 0 : key(line.fields[0]);
    e.begin = out.text_.size();
    e.length = line.too_long ? kTooLong : static_cast<std::uint32_t>(line.text.size());
    out.text_.append(line.text);
    out.entries_.push_back(e);
  }
  if (!tsv->status().is_ok()) return tsv->status();
  // In place (no buffer, unlike stable_sort); the line number keeps equal keys in
  // file order.
  std::sort(out.entries_.begin(), out.entries_.end(), [](const Entry& a, const Entry& b) {
    return a.key != b.key ? a.key < b.key : a.number < b.number;
  });
  return out;
}

bool SortedTsv::next(TsvLine& line) {
  line.fields.clear();
  line.text = {};
  line.too_long = false;
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

}  // namespace moviec::sources
