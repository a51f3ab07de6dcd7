#include "events/source_record.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <map>
#include <string_view>

#include "events/hash.hpp"
#include "events/text.hpp"

#include <xxhash.h>

namespace moviec::events {

using nlohmann::json;

bool Rating::operator==(const Rating& o) const {
  return name == o.name && value == o.value && scale_min == o.scale_min &&
         scale_max == o.scale_max && votes == o.votes && normalized == o.normalized;
}

bool LocalizedName::operator==(const LocalizedName& o) const {
  return title == o.title && region == o.region && language == o.language &&
         is_original == o.is_original;
}

bool SourceRecord::operator==(const SourceRecord& o) const {
  return json(*this) == json(o);
}

namespace {

/// Writes a record as json(record).dump() does (keys in std::map order, values
/// through nlohmann's own serializer, so numbers and escapes are the same bytes)
/// without building the JSON tree first: the fingerprint of every record read.
/// It writes into a plain character buffer, space reserved once per value: the
/// fingerprint is half of an unchanged re-ingest, and std::string's per-character
/// appends were most of the writing.
class CanonicalWriter {
 public:
  explicit CanonicalWriter(std::string& out) : out_(out) {
    out_.resize(std::max<std::size_t>(out_.capacity(), 512));
    at_ = out_.data();
    end_ = at_ + out_.size();
  }
  /// The text written; the writer is done with it.
  std::string_view finish() {
    return {out_.data(), static_cast<std::size_t>(at_ - out_.data())};
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
  void value(const std::string& v) {
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
  void value(bool v) { v ? literal("true") : literal("false"); }
  /// A string-to-string map as an object, keys in order (std::map's, as nlohmann's).
  void value(const std::map<std::string, std::string>& m) {
    begin_object();
    for (auto& [key, v] : m) {
      next();
      value(key);
      put(':');
      value(v);
    }
    end_object();
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
  void escaped(const std::string& v) {
    std::string text;
    nlohmann::detail::serializer<json> serializer(nlohmann::detail::output_adapter<char>(text), ' ');
    serializer.dump(json(v), false, false, 0);
    reserve(text.size());
    std::memcpy(at_, text.data(), text.size());
    at_ += text.size();
  }

  std::string& out_;
  char* at_ = nullptr;
  char* end_ = nullptr;
  // Whether the open object or array at each depth has no member yet. A record
  // nests three deep (record, names, one name).
  bool first_[8] = {};
  int depth_ = 0;
};

void write_canonical(CanonicalWriter& w, const SourceRecord& r) {
  w.begin_object();
  if (!r.country_of_origin.empty()) w.member("country_of_origin", r.country_of_origin);
  if (r.crating_performance) w.member("crating_performance", *r.crating_performance);
  if (r.crating_screenplay) w.member("crating_screenplay", *r.crating_screenplay);
  if (r.crating_soundtrack) w.member("crating_soundtrack", *r.crating_soundtrack);
  if (!r.external_ids.empty()) w.member("external_ids", r.external_ids);
  auto list = [&](const std::vector<std::string>& v) {
    w.begin_array();
    for (auto& item : v) w.next(), w.value(item);
    w.end_array();
  };
  if (!r.genres.empty()) w.next("genres"), list(r.genres);
  if (!r.metadata.empty()) w.member("metadata", r.metadata);
  if (!r.movie_id.empty()) w.member("movie_id", r.movie_id);
  if (!r.names.empty()) {
    w.next("names");
    w.begin_array();
    for (auto& n : r.names) {
      w.next();
      w.begin_object();
      if (n.is_original) w.member("is_original", true);
      if (!n.language.empty()) w.member("language", n.language);
      if (!n.region.empty()) w.member("region", n.region);
      w.member("title", n.title);
      w.end_object();
    }
    w.end_array();
  }
  if (!r.posters.empty()) w.next("posters"), list(r.posters);
  if (!r.registration_date.empty()) w.member("registration_date", r.registration_date);
  if (r.runtime_minutes) w.member("runtime_minutes", *r.runtime_minutes);
  w.member("source", r.source);
  w.member("source_id", r.source_id);
  if (!r.source_ratings.empty()) {
    w.next("source_ratings");
    w.begin_array();
    for (auto& x : r.source_ratings) {
      w.next();
      w.begin_object();
      w.member("name", x.name);
      w.member("normalized", x.normalized);
      w.member("scale_max", x.scale_max);
      w.member("scale_min", x.scale_min);
      w.member("value", x.value);
      w.member("votes", x.votes);
      w.end_object();
    }
    w.end_array();
  }
  if (!r.title.empty()) w.member("title", r.title);
  if (!r.trailers.empty()) w.next("trailers"), list(r.trailers);
  if (r.year) w.member("year", *r.year);
  w.end_object();
}

/// The canonical form of `r` in a buffer of the calling thread's, reused from
/// record to record; valid until the thread's next call.
std::string_view canonical_view(const SourceRecord& r) {
  thread_local std::string buffer;
  if (buffer.capacity() > (1u << 20)) std::string().swap(buffer);  // after a huge record
  CanonicalWriter w(buffer);
  write_canonical(w, r);
  return w.finish();
}

}  // namespace

std::string canonical_json(const SourceRecord& r) {
  return std::string(canonical_view(r));
}

namespace {
constexpr std::string_view kFingerprintPrefix = "xxh3:";
}  // namespace

std::string SourceRecord::fingerprint() const {
  // The canonical form is json(*this).dump(): nlohmann objects are std::map-backed.
  auto form = canonical_view(*this);
  return std::string(kFingerprintPrefix) + to_hex(XXH3_64bits(form.data(), form.size()));
}

std::string SourceRecord::legacy_fingerprint() const {
  return to_hex(fnv1a64(canonical_view(*this)));
}

bool SourceRecord::matches_fingerprint(std::string_view stored, std::string_view current) const {
  if (stored == current) return true;
  return is_legacy_fingerprint(stored) && stored == legacy_fingerprint();
}

bool is_legacy_fingerprint(std::string_view fingerprint) {
  return fingerprint.size() == 16 && fingerprint.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

void to_json(json& j, const Rating& r) {
  j = json{{"name", r.name},           {"value", r.value}, {"scale_min", r.scale_min},
           {"scale_max", r.scale_max}, {"votes", r.votes}, {"normalized", r.normalized}};
}

void from_json(const json& j, Rating& r) {
  r.name = j.value("name", "");
  r.value = j.value("value", 0.0);
  r.scale_min = j.value("scale_min", 0.0);
  r.scale_max = j.value("scale_max", 0.0);
  r.votes = j.value("votes", std::int64_t{0});
  r.normalized = j.value("normalized", 0.0);
}

void to_json(json& j, const LocalizedName& n) {
  j = json{{"title", n.title}};
  if (!n.region.empty()) j["region"] = n.region;
  if (!n.language.empty()) j["language"] = n.language;
  if (n.is_original) j["is_original"] = true;
}

void from_json(const json& j, LocalizedName& n) {
  n.title = j.value("title", "");
  n.region = j.value("region", "");
  n.language = j.value("language", "");
  n.is_original = j.value("is_original", false);
}

namespace {
template <class T>
void put_optional(json& j, const char* key, const std::optional<T>& v) {
  if (v) j[key] = *v;
}
template <class T>
void get_optional(const json& j, const char* key, std::optional<T>& v) {
  auto it = j.find(key);
  if (it != j.end() && !it->is_null()) v = it->get<T>();
  else v.reset();
}
void put_string(json& j, const char* key, const std::string& v) {
  if (!v.empty()) j[key] = v;
}
}  // namespace

// Empty values are left out so that fingerprints do not depend on how a source
// spells "missing" once it has been normalized.
void to_json(json& j, const SourceRecord& r) {
  j = json::object();
  j["source"] = r.source;
  j["source_id"] = r.source_id;
  put_string(j, "movie_id", r.movie_id);
  put_string(j, "title", r.title);
  put_string(j, "country_of_origin", r.country_of_origin);
  if (!r.source_ratings.empty()) j["source_ratings"] = r.source_ratings;
  put_string(j, "registration_date", r.registration_date);
  if (!r.names.empty()) j["names"] = r.names;
  if (!r.genres.empty()) j["genres"] = r.genres;
  put_optional(j, "crating_performance", r.crating_performance);
  put_optional(j, "crating_soundtrack", r.crating_soundtrack);
  put_optional(j, "crating_screenplay", r.crating_screenplay);
  put_optional(j, "year", r.year);
  put_optional(j, "runtime_minutes", r.runtime_minutes);
  if (!r.external_ids.empty()) j["external_ids"] = r.external_ids;
  if (!r.metadata.empty()) j["metadata"] = r.metadata;
  if (!r.posters.empty()) j["posters"] = r.posters;
  if (!r.trailers.empty()) j["trailers"] = r.trailers;
}

void from_json(const json& j, SourceRecord& r) {
  r.source = j.value("source", "");
  r.source_id = j.value("source_id", "");
  r.movie_id = j.value("movie_id", "");
  r.title = j.value("title", "");
  r.country_of_origin = j.value("country_of_origin", "");
  r.source_ratings = j.value("source_ratings", std::vector<Rating>{});
  r.registration_date = j.value("registration_date", "");
  r.names = j.value("names", std::vector<LocalizedName>{});
  r.genres = j.value("genres", std::vector<std::string>{});
  get_optional(j, "crating_performance", r.crating_performance);
  get_optional(j, "crating_soundtrack", r.crating_soundtrack);
  get_optional(j, "crating_screenplay", r.crating_screenplay);
  get_optional(j, "year", r.year);
  get_optional(j, "runtime_minutes", r.runtime_minutes);
  r.external_ids = j.value("external_ids", std::map<std::string, std::string>{});
  r.metadata = j.value("metadata", std::map<std::string, std::string>{});
  r.posters = j.value("posters", std::vector<std::string>{});
  r.trailers = j.value("trailers", std::vector<std::string>{});
}

}  // namespace moviec::events
