#include "sources/tsv_reader.hpp"

#include <algorithm>
#include <cstring>

namespace moviec::sources {

StatusOr<TsvReader> TsvReader::open(const std::string& path, TsvOptions options) {
  auto in = ChunkedFile::open(path, options.chunk_bytes);
  if (!in.is_ok()) return in.status();
  options.max_line_bytes = std::max<std::size_t>(options.max_line_bytes, 1);
  return TsvReader(std::move(*in), options);
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
    const char* data = in_.data();
    const std::size_t begin = in_.pos(), end = in_.end();
    const void* nl = begin < end ? std::memchr(data + begin, '\n', end - begin) : nullptr;
    if (skipping_) {
      // Invariant: the too-long line was already returned; drop its remaining bytes.
      if (nl) {
        in_.advance_to(static_cast<std::size_t>(static_cast<const char*>(nl) - data) + 1);
        skipping_ = false;
        continue;
      }
      in_.advance_to(end);
      if (!in_.fill()) return false;
      continue;
    }
    std::size_t stop = 0;     // end of the line's text
    std::size_t consumed = 0; // text plus terminator
    if (nl) {
      stop = static_cast<std::size_t>(static_cast<const char*>(nl) - data);
      consumed = stop + 1 - begin;
    } else if (end - begin > options_.max_line_bytes) {
      line.number = ++line_number_;
      line.too_long = true;
      in_.advance_to(end);
      skipping_ = true;
      return true;
    } else if (!in_.eof()) {
      in_.fill();
      continue;
    } else if (begin < end && in_.status().is_ok()) {
      stop = end;  // the last line has no newline
      consumed = end - begin;
    } else {
      return false;
    }
    if (stop - begin > options_.max_line_bytes) {
      line.number = ++line_number_;
      line.too_long = true;
      in_.advance(consumed);
      return true;
    }
    std::string_view text(data + begin, stop - begin);
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    line.number = ++line_number_;
    line.text = text;
    split_tsv_fields(text, line.fields);
    in_.advance(consumed);
    return true;
  }
}

}  // namespace moviec::sources
