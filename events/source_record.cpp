#include "events/source_record.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <map>
#include <string_view>

#include <fmt/format.h>

#include "events/hash.hpp"
#include "events/json_number.hpp"
#include "events/json_writer.hpp"
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

std::string number_text(double d) {
  if (d == std::floor(d) && std::fabs(d) < 9e15) return std::to_string(static_cast<std::int64_t>(d));
  return fmt::format("{}", d);
}

void write_json(JsonWriter& w, const SourceRecord& r, bool metadata_numbers_as_text) {
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
  if (!r.metadata.empty()) {
    if (r.metadata_numbers.empty() || metadata_numbers_as_text) {
      w.member("metadata", r.metadata);
    } else {
      w.next("metadata");
      w.begin_object();
      for (auto& [key, v] : r.metadata) {
        w.key(key);
        if (r.metadata_numbers.count(key)) w.number_text(v);
        else w.value(v);
      }
      w.end_object();
    }
  }
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

namespace {

/// The canonical form of `r` in a buffer of the calling thread's, reused from
/// record to record; valid until the thread's next call.
std::string_view canonical_view(const SourceRecord& r, bool metadata_numbers_as_text) {
  thread_local std::string buffer;
  if (buffer.capacity() > (1u << 20)) std::string().swap(buffer);  // after a huge record
  JsonWriter w(buffer);
  write_json(w, r, metadata_numbers_as_text);
  return w.finish();
}

}  // namespace

std::string canonical_json(const SourceRecord& r) {
  return std::string(canonical_view(r, false));
}

namespace {
constexpr std::string_view kFingerprintPrefix = "xxh3:";
}  // namespace

std::string SourceRecord::fingerprint() const {
  // The canonical form is json(*this).dump() (nlohmann objects are std::map-backed),
  // with metadata numbers as text.
  auto form = canonical_view(*this, true);
  return std::string(kFingerprintPrefix) + to_hex(XXH3_64bits(form.data(), form.size()));
}

std::string SourceRecord::legacy_fingerprint() const {
  return to_hex(fnv1a64(canonical_view(*this, true)));
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

json rating_json(const Rating& r) {
  json j = r;
  if (r.votes == 0) j.erase("votes");
  return j;
}

void from_json(const json& j, Rating& r) {
  r.name = j.value("name", "");
  r.value = j.value("value", 0.0);
  r.scale_min = j.value("scale_min", 0.0);
  r.scale_max = j.value("scale_max", 0.0);
  r.votes = json_integer(j, "votes", std::int64_t{0});
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
  if (it == j.end() || it->is_null()) v.reset();
  else if constexpr (std::is_integral_v<T>) v = json_integer<T>(*it);
  else v = it->get<T>();
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
  if (!r.metadata.empty()) {
    auto& m = j["metadata"] = r.metadata;
    for (auto& key : r.metadata_numbers)
      if (auto it = r.metadata.find(key); it != r.metadata.end()) m[key] = json::parse(it->second);
  }
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
  r.metadata.clear();
  r.metadata_numbers.clear();
  if (auto m = j.find("metadata"); m != j.end()) {
    for (auto& [key, v] : m->items()) {
      if (v.is_number()) {
        r.metadata[key] = v.is_number_float() ? number_text(v.get<double>()) : v.dump();
        r.metadata_numbers.insert(key);
      } else {
        r.metadata[key] = v.get<std::string>();
      }
    }
  }
  r.posters = j.value("posters", std::vector<std::string>{});
  r.trailers = j.value("trailers", std::vector<std::string>{});
}

}  // namespace moviec::events
