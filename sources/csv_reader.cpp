#include "sources/csv_reader.hpp"

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

namespace moviec::sources {

StatusOr<CsvReader> CsvReader::open(const std::string& path, CsvOptions options) {
  auto in = ChunkedFile::open(path, options.chunk_bytes);
  if (!in.is_ok()) return in.status();
  options.max_record_bytes = std::max<std::size_t>(options.max_record_bytes, 1);
  return CsvReader(std::move(*in), options);
}

bool CsvReader::next(CsvRecord& r) {
  r.fields.clear();
  r.ends.clear();
  r.buffer.clear();
  r.too_long = false;
  r.error.clear();
  if (at_start_) {
    while (in_.end() - in_.pos() < 3 && in_.fill()) {
    }
    if (in_.end() - in_.pos() >= 3 && std::memcmp(in_.data() + in_.pos(), "\xEF\xBB\xBF", 3) == 0)
      in_.advance(3);
    at_start_ = false;
  }

  // States of one record: at the start of a field, inside an unquoted field,
  // inside a quoted field, just after a quote inside a quoted field (a second
  // quote or the end of the field follows), after that quote and a '\r'.
  // skip_line: a quoted field ran past max_record_bytes, so its quote is taken as
  // unclosed; the record ends at the next line break and the next line is read
  // afresh (rather than the next quote in the file, maybe rows later, closing it).
  enum class State { field_start, unquoted, quoted, after_quote, after_quote_cr, skip_line };
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
    if (in_.pos() == in_.end() && !in_.fill()) {
      // End of file (or a read error, which ends the file early).
      if (!in_.status().is_ok()) return false;
      bool blank = state == State::field_start && r.ends.empty() && !r.too_long;
      if (blank) return false;
      if (state == State::skip_line) {
        r.end_line = line_;
        return finish();
      }
      if (state == State::quoted)
        malformed(fmt::format("quoted field opened at line {} is not closed at the end of the file",
                              quote_line));
      if (state == State::unquoted) strip_cr();
      end_field();
      r.end_line = line_;
      return finish();
    }
    const char* data = in_.data();
    const std::size_t pos = in_.pos(), end = in_.end();
    const char delim = options_.delimiter;
    switch (state) {
      case State::field_start:
        if (data[pos] == '"') {
          in_.advance(1);
          field_quoted = true;
          quote_line = line_;
          state = State::quoted;
          continue;
        }
        state = State::unquoted;
        [[fallthrough]];
      case State::unquoted: {
        std::size_t i = pos;
        while (i < end && data[i] != delim && data[i] != '\n') ++i;
        store(data + pos, i - pos);
        in_.advance_to(i);
        if (i == end) continue;  // the field goes on in the next chunk
        const char c = data[i];
        in_.advance(1);
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
        const void* q = std::memchr(data + pos, '"', end - pos);
        std::size_t stop = q ? static_cast<std::size_t>(static_cast<const char*>(q) - data) : end;
        if (stop - pos > options_.max_record_bytes - std::min(options_.max_record_bytes, r.buffer.size())) {
          // Too long for the record: give the quote up at the line break that
          // follows the limit (the bytes up to it go with the skipped record).
          std::size_t room = options_.max_record_bytes - std::min(options_.max_record_bytes, r.buffer.size());
          line_ += static_cast<std::uint64_t>(std::count(data + pos, data + pos + room, '\n'));
          r.too_long = true;
          r.buffer.clear();
          r.ends.clear();
          r.error = fmt::format("quoted field opened at line {} is not closed within {} bytes", quote_line,
                                options_.max_record_bytes);
          in_.advance_to(pos + room);
          state = State::skip_line;
          continue;
        }
        line_ += static_cast<std::uint64_t>(std::count(data + pos, data + stop, '\n'));
        store(data + pos, stop - pos);
        in_.advance_to(stop);
        if (!q) continue;
        in_.advance(1);
        state = State::after_quote;
        continue;
      }
      case State::after_quote: {
        const char c = data[pos];
        if (c == '"') {  // a doubled quote is one quote character
          store("\"", 1);
          in_.advance(1);
          state = State::quoted;
          continue;
        }
        if (c == delim) {
          in_.advance(1);
          end_field();
          state = State::field_start;
          continue;
        }
        if (c == '\n') {
          in_.advance(1);
          end_field();
          r.end_line = line_++;
          return finish();
        }
        if (c == '\r') {
          in_.advance(1);
          state = State::after_quote_cr;
          continue;
        }
        // Lenient like most readers: keep the text, but say the record is malformed.
        malformed(fmt::format("field {} has text after its closing quote", r.ends.size() + 1));
        field_quoted = false;
        state = State::unquoted;
        continue;
      }
      case State::skip_line: {
        const void* nl = std::memchr(data + pos, '\n', end - pos);
        if (!nl) {
          in_.advance_to(end);
          continue;
        }
        in_.advance_to(static_cast<std::size_t>(static_cast<const char*>(nl) - data) + 1);
        r.end_line = line_++;
        return finish();
      }
      case State::after_quote_cr: {
        if (data[pos] == '\n') {
          in_.advance(1);
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
