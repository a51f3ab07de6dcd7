#include "sources/sorted_tsv.hpp"

#include <algorithm>

namespace moviec::sources {

StatusOr<SortedTsv> SortedTsv::load(const std::string& path, KeyFn key, TsvOptions options,
                                    std::uint64_t header_lines) {
  auto tsv = TsvReader::open(path, options);
  if (!tsv) return tsv.status();
  SortedTsv out;
  out.size_ = tsv->size();
  out.text_.reserve(static_cast<std::size_t>(out.size_));
  TsvLine line;
  while (tsv->next(line)) {
    Entry e;
    e.number = line.number;
    e.too_long = line.too_long;
    e.key = line.number <= header_lines || line.fields.empty() ? 0 : key(line.fields[0]);
    e.begin = out.text_.size();
    e.length = static_cast<std::uint32_t>(line.text.size());
    out.text_.append(line.text);
    out.entries_.push_back(e);
  }
  if (!tsv->status().is_ok()) return tsv->status();
  out.text_.shrink_to_fit();
  out.entries_.shrink_to_fit();
  std::stable_sort(out.entries_.begin(), out.entries_.end(),
                   [](const Entry& a, const Entry& b) { return a.key < b.key; });
  return out;
}

bool SortedTsv::next(TsvLine& line) {
  line.fields.clear();
  line.text = {};
  line.too_long = false;
  if (next_ == entries_.size()) return false;
  const Entry& e = entries_[next_++];
  consumed_ += e.length + 1;
  line.number = e.number;
  line.too_long = e.too_long;
  if (e.too_long) return true;
  line.text = std::string_view(text_.data() + e.begin, e.length);
  split_tsv_fields(line.text, line.fields);
  return true;
}

}  // namespace moviec::sources
