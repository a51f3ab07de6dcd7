// MovieDoc::parse (store/movie_doc.hpp): a stored document read back. Compiled on its
// own with simdjson's flags (CMakeLists.txt), as the event reader is.
//
// A golden field's value is kept as its JSON text, and a stored document is render()'s
// output, in which each value's text is already what dump() writes for it: the fast
// path takes that text as it stands (simdjson's on-demand reader points into the
// document) instead of building a tree and dumping each value again. Anything it does
// not expect takes nlohmann's path, which decides alone what the document holds.

#include <cstdint>
#include <cstring>
#include <string>

#include <simdjson.h>

#include "store/movie_doc.hpp"

namespace moviec::store {

namespace {

using nlohmann::json;
namespace od = simdjson::ondemand;

struct Unusual {};

template <typename T>
T must(simdjson::simdjson_result<T> r) {
  T v;
  if (std::move(r).get(v)) throw Unusual{};
  return v;
}

std::uint64_t u64(od::value v) { return must(v.get_uint64()); }
std::string string_of(od::value v) { return std::string(must(v.get_string())); }

/// fn(name, value) for each member of `o`, in order.
template <class Fn>
void each_member(od::object o, Fn&& fn) {
  for (auto member : o) {
    od::field f = must(std::move(member));
    fn(must(f.unescaped_key()), f.value());
  }
}

/// A value's JSON text as it stands in the document.
std::string_view raw_text(od::value v) {
  switch (must(v.type())) {
    case od::json_type::array: return must(must(v.get_array()).raw_json());
    case od::json_type::object: return must(must(v.get_object()).raw_json());
    default: return v.raw_json_token();  // no whitespace follows it (checked above)
  }
}

std::optional<MovieDoc> parse_fast(std::string_view text) {
  // simdjson takes a control character inside a string as it is; nlohmann's parser
  // (and JSON) refuse it, and render() never leaves one unescaped. Nor does render()
  // write a space between tokens: a value's text with one is not dump()'s.
  // A number is dump()'s when it reads back to the same text: checked for those
  // another notation could spell (a fraction or exponent, a long or odd integer).
  bool in_string = false, escaped = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    unsigned char c = text[i];
    if (c < 0x20) return std::nullopt;
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == ' ') {
      return std::nullopt;
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      std::size_t end = i;
      bool plain = true;
      while (end < text.size() && std::strchr("0123456789+-.eE", text[end]) && text[end] != '\0') {
        if (!(text[end] >= '0' && text[end] <= '9') && !(end == i && text[end] == '-')) plain = false;
        ++end;
      }
      auto number = text.substr(i, end - i);
      bool leading_zero = number.size() > 1 && number[number[0] == '-' ? 1 : 0] == '0';
      if (!plain || leading_zero || number.size() > 18) {
        json j = json::parse(number, nullptr, false);
        if (j.is_discarded() || j.dump() != number) return std::nullopt;
      }
      i = end - 1;
    }
  }
  thread_local od::parser parser;
  simdjson::padded_string padded(text);
  try {
    od::document doc;
    if (parser.iterate(padded).get(doc)) return std::nullopt;
    MovieDoc d;
    std::map<std::string, MovieDoc::Field> provenance;  // as stored, joined to the fields below
    // A document key twice (never written so) is nlohmann's to read: the last one wins there.
    unsigned seen = 0;
    auto first_time = [&](unsigned bit) {
      if (seen & bit) throw Unusual{};
      seen |= bit;
    };
    each_member(must(doc.get_object()), [&](std::string_view key, od::value v) {
      if (key == "movie_id") {
        first_time(1);
        d.movie_id = string_of(v);
      } else if (key == "version") {
        first_time(2);
        d.version = u64(v);
      } else if (key == "last_sequence") {
        first_time(4);
        d.last_sequence = u64(v);
      } else if (key == "rules_version") {
        first_time(8);
        d.rules_version = u64(v);
      } else if (key == "provenance") {
        first_time(16);
        each_member(must(v.get_object()), [&](std::string_view name, od::value entry) {
          auto& p = provenance[std::string(name)];
          unsigned parts = 0;
          each_member(must(entry.get_object()), [&](std::string_view part, od::value x) {
            if (part == "rule") p.rule = string_of(x), parts |= 1;
            else if (part == "sequence") p.sequence = u64(x), parts |= 2;
            else if (part == "source") p.source = string_of(x), parts |= 4;
            else throw Unusual{};
          });
          if (parts != 7) throw Unusual{};
        });
      } else if (key == "sources") {
        first_time(32);
        for (auto ref : must(v.get_array())) {
          std::string source, source_id;
          unsigned parts = 0;
          each_member(must(ref.get_object()), [&](std::string_view part, od::value x) {
            if (part == "source") source = string_of(x), parts |= 1;
            else if (part == "source_id") source_id = string_of(x), parts |= 2;
            else throw Unusual{};
          });
          if (parts != 3) throw Unusual{};
          d.sources.emplace_back(std::move(source), std::move(source_id));
        }
      } else if (!must(v.is_null())) {
        auto& field = d.fields[std::string(key)];
        field.json = std::string(raw_text(v));
        field.has_provenance = false;
      }
    });
    // Nothing after the object: nlohmann refuses a document with anything there.
    if (doc.current_location().error() != simdjson::OUT_OF_BOUNDS) return std::nullopt;
    for (auto& [name, p] : provenance) {
      auto f = d.fields.find(name);
      if (f == d.fields.end()) continue;
      f->second.source = std::move(p.source);
      f->second.rule = std::move(p.rule);
      f->second.sequence = p.sequence;
      f->second.has_provenance = true;
    }
    return d;
  } catch (const Unusual&) {
    return std::nullopt;
  }
}

/// Any document nlohmann reads: damaged ones, and those the fast path leaves.
std::optional<MovieDoc> parse_tree(std::string_view text) {
  json doc = json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return std::nullopt;
  MovieDoc d;
  auto u64 = [](const json& v) { return v.is_number() ? v.get<std::uint64_t>() : 0; };
  const json* provenance = nullptr;
  for (auto& [key, value] : doc.items()) {
    if (key == "movie_id") {
      if (value.is_string()) d.movie_id = value.get<std::string>();
    } else if (key == "version") {
      d.version = u64(value);
    } else if (key == "last_sequence") {
      d.last_sequence = u64(value);
    } else if (key == "rules_version") {
      d.rules_version = u64(value);
    } else if (key == "provenance") {
      provenance = &value;
    } else if (key == "sources") {
      if (value.is_array())
        for (auto& ref : value)
          if (ref.is_object())
            d.sources.emplace_back(ref.value("source", ""), ref.value("source_id", ""));
    } else if (!value.is_null()) {
      auto& f = d.fields[key];
      f.json = value.dump();
      f.has_provenance = false;
    }
  }
  if (provenance && provenance->is_object())
    for (auto& [name, p] : provenance->items()) {
      auto f = d.fields.find(name);
      if (f == d.fields.end() || !p.is_object()) continue;
      f->second.source = p.value("source", "");
      f->second.rule = p.value("rule", "");
      f->second.sequence = p.contains("sequence") ? u64(p["sequence"]) : 0;
      f->second.has_provenance = true;
    }
  return d;
}

}  // namespace

std::optional<MovieDoc> MovieDoc::parse(std::string_view text) {
  if (auto d = parse_fast(text)) return d;
  return parse_tree(text);
}

}  // namespace moviec::store
