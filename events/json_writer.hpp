#pragma once
// A JSON writer that produces exactly the bytes nlohmann's dump() would for the
// same tree (keys are the caller's to write in std::map order), without building
// the tree: record fingerprints (events/source_record.cpp) and the event encoding
// (events/coding.cpp) are written with it.

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <map>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "events/text.hpp"

namespace moviec::events {

/// Writes JSON as dump() does (values through nlohmann's own number formatting and,
/// for a string to escape or a JSON value, its serializer, so the bytes are the same)
/// without building the JSON tree first. It writes into a plain character buffer,
/// space reserved once per value: the fingerprint of every record read is half of an
/// unchanged re-ingest, and std::string's per-character appends were most of it.
class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {
    out_.resize(std::max<std::size_t>(out_.capacity(), 512));
    at_ = out_.data();
    end_ = at_ + out_.size();
  }
  /// The text written; the writer is done with it.
  std::string_view finish() {
    return {out_.data(), static_cast<std::size_t>(at_ - out_.data())};
  }
  /// The same, as the output string cut to the text written.
  std::string& finish_string() {
    out_.resize(static_cast<std::size_t>(at_ - out_.data()));
    return out_;
  }

  void begin_object() { put('{'), first_[++depth_] = true; }
  void end_object() { put('}'), --depth_; }
  void begin_array() { put('['), first_[++depth_] = true; }
  void end_array() { put(']'), --depth_; }
  /// Starts a member of the current object: `"key":` after a comma unless it is
  /// the first. Keys are plain ASCII literals.
  template <std::size_t N>
  void next(const char (&key)[N]) {
    reserve(N + 3);
    comma();
    *at_++ = '"';
    std::memcpy(at_, key, N - 1);
    at_ += N - 1;
    *at_++ = '"';
    *at_++ = ':';
  }
  /// Starts an element of the current array.
  void next() {
    reserve(1);
    comma();
  }
  // The common values written directly, the bytes nlohmann's serializer writes: a
  // string that needs no escape (valid UTF-8 without control characters, quote or
  // backslash) as it is, integers in decimal, booleans as words. A string with
  // something to escape goes through the serializer.
  void value(const std::string& v) { value(std::string_view(v)); }
  void value(std::string_view v) {
    if (!plain(v)) return escaped(v);
    reserve(v.size() + 2);
    *at_++ = '"';
    std::memcpy(at_, v.data(), v.size());
    at_ += v.size();
    *at_++ = '"';
  }
  /// As the serializer writes a double: null when not finite, else the shortest form
  /// that reads back the same (its Grisu2 to_chars, called directly).
  void value(double v) {
    if (!std::isfinite(v)) return literal("null");
    reserve(64);
    at_ = nlohmann::detail::to_chars(at_, at_ + 64, v);
  }
  void value(int v) { integer(v); }
  void value(std::int64_t v) { integer(v); }
  void value(std::uint32_t v) { integer(v); }
  void value(std::uint64_t v) { integer(v); }
  /// Any JSON value: null, booleans, numbers, plain strings, arrays and objects
  /// written here (the serializer goes character by character through its output
  /// adapter, a fifth of the journal's time); a string to escape, a binary value, or
  /// a container nested past this writer's depth through the serializer itself.
  void value(const nlohmann::json& v) {
    using Type = nlohmann::json::value_t;
    switch (v.type()) {
      case Type::null: return literal("null");
      case Type::boolean: return value(v.get<bool>());
      case Type::number_integer: return integer(v.get<std::int64_t>());
      case Type::number_unsigned: return integer(v.get<std::uint64_t>());
      case Type::number_float: return value(v.get<double>());
      case Type::string: {
        const auto& text = v.get_ref<const std::string&>();
        if (plain(text)) return value(std::string_view(text));
        return serialized(v);
      }
      case Type::array:
        if (depth_ + 1 >= kMaxDepth) return serialized(v);
        begin_array();
        for (const auto& element : v) {
          next();
          value(element);
        }
        return end_array();
      case Type::object:
        if (depth_ + 1 >= kMaxDepth) return serialized(v);
        begin_object();
        for (auto it = v.begin(); it != v.end(); ++it) {  // std::map order, as dump()
          key(it.key());
          value(it.value());
        }
        return end_object();
      default:
        return serialized(v);
    }
  }
  void value(bool v) { v ? literal("true") : literal("false"); }
  /// A string-to-string map as an object, keys in order (std::map's, as nlohmann's).
  void value(const std::map<std::string, std::string>& m) {
    begin_object();
    for (auto& [k, v] : m) {
      key(k);
      value(v);
    }
    end_object();
  }
  /// Starts a member of the current object whose key is known only at run time.
  void key(std::string_view name) {
    next();
    value(name);
    put(':');
  }
  /// A number already in JSON's form (events::number_text), written as it is.
  void number_text(std::string_view text) {
    reserve(text.size());
    std::memcpy(at_, text.data(), text.size());
    at_ += text.size();
  }
  template <std::size_t N, class T>
  void member(const char (&key)[N], const T& v) {
    next(key);
    value(v);
  }

 private:
  void reserve(std::size_t n) {
    if (static_cast<std::size_t>(end_ - at_) >= n) return;
    auto used = static_cast<std::size_t>(at_ - out_.data());
    out_.resize(std::max(out_.size() * 2, used + n));
    at_ = out_.data() + used;
    end_ = out_.data() + out_.size();
  }
  void put(char c) {
    reserve(1);
    *at_++ = c;
  }
  void comma() {  // space for one more byte reserved by the caller
    if (!first_[depth_]) *at_++ = ',';
    first_[depth_] = false;
  }
  template <std::size_t N>
  void literal(const char (&text)[N]) {
    reserve(N - 1);
    std::memcpy(at_, text, N - 1);
    at_ += N - 1;
  }
  template <class Int>
  void integer(Int v) {
    reserve(24);
    at_ = std::to_chars(at_, at_ + 24, v).ptr;
  }
  /// Whether `v` can be written as it is: no byte below 0x20, 0x7f, '"' or '\\'
  /// (found eight bytes at a time by the classic "has a zero byte" test on the
  /// word), and valid UTF-8 if it goes past ASCII (the serializer escapes nothing
  /// there; invalid UTF-8 is the serializer's to refuse).
  static bool plain(std::string_view v) {
    constexpr std::uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    auto has_zero = [](std::uint64_t x) { return (x - ones) & ~x & highs; };
    auto has_escape = [&](std::uint64_t x) {
      return ((x - ones * 0x20) & ~x & highs) | has_zero(x ^ (ones * 0x7f)) |
             has_zero(x ^ (ones * '"')) | has_zero(x ^ (ones * '\\'));
    };
    std::uint64_t past_ascii = 0;
    std::size_t i = 0;
    for (; i + 8 <= v.size(); i += 8) {
      std::uint64_t x;
      std::memcpy(&x, v.data() + i, 8);
      if (has_escape(x)) return false;
      past_ascii |= x & highs;
    }
    for (; i < v.size(); ++i) {
      auto c = static_cast<unsigned char>(v[i]);
      if (c < 0x20 || c == 0x7f || c == '"' || c == '\\') return false;
      past_ascii |= c & 0x80;
    }
    return !past_ascii || is_valid_utf8(v);
  }
  /// A string with characters to escape, written by the serializer itself.
  void escaped(std::string_view v) { serialized(nlohmann::json(v)); }
  /// Any value as the serializer writes it.
  void serialized(const nlohmann::json& v) {
    thread_local std::string text;
    text.clear();
    nlohmann::detail::serializer<nlohmann::json> serializer(
        nlohmann::detail::output_adapter<char>(text), ' ');
    serializer.dump(v, false, false, 0);
    reserve(text.size());
    std::memcpy(at_, text.data(), text.size());
    at_ += text.size();
  }

  static constexpr int kMaxDepth = 16;  // first_'s size

  std::string& out_;
  char* at_ = nullptr;
  char* end_ = nullptr;
  // Whether the open object or array at each depth has no member yet. A record
  // nests three deep (record, names, one name), five in an event (envelope, data).
  bool first_[kMaxDepth] = {};
  int depth_ = 0;
};

/// v.dump(), written by JsonWriter.
inline std::string dump(const nlohmann::json& v) {
  thread_local std::string scratch;  // JsonWriter writes into all of its capacity
  JsonWriter w(scratch);
  w.value(v);
  return std::string(w.finish());
}

}  // namespace moviec::events
