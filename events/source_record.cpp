#include "events/source_record.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <map>

#include "events/hash.hpp"

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
class CanonicalWriter {
 public:
  explicit CanonicalWriter(std::string& out)
      : out_(out), serializer_(nlohmann::detail::output_adapter<char>(out), ' ') {}

  void begin_object() { out_ += '{', first_.push_back(true); }
  void end_object() { out_ += '}', first_.pop_back(); }
  void begin_array() { out_ += '[', first_.push_back(true); }
  void end_array() { out_ += ']', first_.pop_back(); }
  /// Starts a member of the current object, or (key null) an element of the current array.
  void next(const char* key) {
    if (!first_.back()) out_ += ',';
    first_.back() = false;
    if (key) out_ += '"', out_ += key, out_ += "\":";  // keys are plain ASCII literals
  }
  template <class T>
  void value(const T& v) {
    scratch_ = v;
    serializer_.dump(scratch_, false, false, 0);
  }
  // The common values written directly, the bytes nlohmann's serializer writes: a
  // string that needs no escape (printable ASCII, no quote or backslash) as it is,
  // integers in decimal, booleans as words. Anything else goes through the serializer.
  void value(const std::string& v) {
    bool plain = std::all_of(v.begin(), v.end(), [](char c) {
      return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
    });
    if (!plain) {
      scratch_ = v;
      serializer_.dump(scratch_, false, false, 0);
      return;
    }
    out_ += '"';
    out_ += v;
    out_ += '"';
  }
  /// As the serializer writes a double: null when not finite, else the shortest form
  /// that reads back the same (its Grisu2 to_chars, called directly).
  void value(double v) {
    if (!std::isfinite(v)) {
      out_ += "null";
      return;
    }
    char digits[64];
    auto* end = nlohmann::detail::to_chars(digits, digits + sizeof digits, v);
    out_.append(digits, end);
  }
  void value(int v) { integer(v); }
  void value(std::int64_t v) { integer(v); }
  void value(bool v) { out_ += v ? "true" : "false"; }
  /// A string-to-string map as an object, keys in order (std::map's, as nlohmann's).
  void value(const std::map<std::string, std::string>& m) {
    begin_object();
    for (auto& [key, v] : m) {
      if (!first_.back()) out_ += ',';
      first_.back() = false;
      value(key);
      out_ += ':';
      value(v);
    }
    end_object();
  }
  template <class T>
  void member(const char* key, const T& v) {
    next(key);
    value(v);
  }

 private:
  template <class Int>
  void integer(Int v) {
    char digits[24];
    auto end = std::to_chars(digits, digits + sizeof digits, v).ptr;
    out_.append(digits, end);
  }

  std::string& out_;
  nlohmann::detail::serializer<json> serializer_;
  json scratch_;
  std::vector<bool> first_;
};

void write_canonical(CanonicalWriter& w, const SourceRecord& r) {
  auto string = [&](const char* key, const std::string& v) {
    if (!v.empty()) w.member(key, v);
  };
  auto optional = [&](const char* key, const auto& v) {
    if (v) w.member(key, *v);
  };
  w.begin_object();
  string("country_of_origin", r.country_of_origin);
  optional("crating_performance", r.crating_performance);
  optional("crating_screenplay", r.crating_screenplay);
  optional("crating_soundtrack", r.crating_soundtrack);
  if (!r.external_ids.empty()) w.member("external_ids", r.external_ids);
  if (!r.genres.empty()) {
    w.next("genres");
    w.begin_array();
    for (auto& g : r.genres) w.next(nullptr), w.value(g);
    w.end_array();
  }
  if (!r.metadata.empty()) w.member("metadata", r.metadata);
  string("movie_id", r.movie_id);
  if (!r.names.empty()) {
    w.next("names");
    w.begin_array();
    for (auto& n : r.names) {
      w.next(nullptr);
      w.begin_object();
      if (n.is_original) w.member("is_original", true);
      if (!n.language.empty()) w.member("language", n.language);
      if (!n.region.empty()) w.member("region", n.region);
      w.member("title", n.title);
      w.end_object();
    }
    w.end_array();
  }
  auto list = [&](const char* key, const std::vector<std::string>& v) {
    if (v.empty()) return;
    w.next(key);
    w.begin_array();
    for (auto& item : v) w.next(nullptr), w.value(item);
    w.end_array();
  };
  list("posters", r.posters);
  string("registration_date", r.registration_date);
  optional("runtime_minutes", r.runtime_minutes);
  w.member("source", r.source);
  w.member("source_id", r.source_id);
  if (!r.source_ratings.empty()) {
    w.next("source_ratings");
    w.begin_array();
    for (auto& x : r.source_ratings) {
      w.next(nullptr);
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
  string("title", r.title);
  list("trailers", r.trailers);
  optional("year", r.year);
  w.end_object();
}

}  // namespace

std::string canonical_json(const SourceRecord& r) {
  std::string out;
  out.reserve(256);
  CanonicalWriter w(out);
  write_canonical(w, r);
  return out;
}

std::string SourceRecord::fingerprint() const {
  // The canonical form is json(*this).dump(): nlohmann objects are std::map-backed.
  return to_hex(fnv1a64(canonical_json(*this)));
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
