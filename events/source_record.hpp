#pragma once
// The common source schema: every source (IMDb, MovieLens, Rotten Tomatoes, JSON
// feeds, config-defined layouts) maps its rows into one SourceRecord. Values are
// normalized at the edge (sources/normalize.hpp); this type only carries them.

#include <cstdint>
#include <map>
#include <set>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace moviec::events {

/// One rating as a source published it, plus the value on the common 0-100 scale.
struct Rating {
  std::string name;         // which rating of the source: "imdb", "tomatometer", "audience", ...
  double value = 0;         // as published
  double scale_min = 0;     // the published scale, e.g. 1..10, 0..100, 0.5..5
  double scale_max = 0;
  std::int64_t votes = 0;   // 0 when the source gives no count
  double normalized = 0;    // value / scale_max * 100, the one scale moviec compares on
  bool operator==(const Rating&) const;
};

/// A title in one language or region (IMDb akas, MovieLens bracketed alternates).
struct LocalizedName {
  std::string title;
  std::string region;
  std::string language;
  bool is_original = false;
  bool operator==(const LocalizedName&) const;
};

/// The seed's Movie-C source schema plus year, runtime, external ids and metadata.
struct SourceRecord {
  std::string source;            // configured source name, e.g. "imdb"
  std::string source_id;         // the id the source uses for this record
  std::string movie_id;          // the moviec id when the source knows it (IMDb tconst)
  std::string title;
  std::string country_of_origin;
  std::vector<Rating> source_ratings;
  std::string registration_date;  // ISO 8601 date, empty when unknown
  std::vector<LocalizedName> names;
  std::vector<std::string> genres;
  std::optional<double> crating_performance;
  std::optional<double> crating_soundtrack;
  std::optional<double> crating_screenplay;
  std::optional<int> year;
  std::optional<int> runtime_minutes;
  std::map<std::string, std::string> external_ids;  // e.g. {"imdb": "tt0114709", "tmdb": "862"}
  // Asset references: an http(s) URL, or an asset bucket address "/assets/<sha256>"
  // (a path a source gave is stored into the bucket at ingest: sources/assets.hpp).
  std::vector<std::string> posters;
  std::vector<std::string> trailers;
  std::map<std::string, std::string> metadata;      // anything else worth keeping
  // The metadata keys whose value is a number (a layout's int or float): its text
  // is number_text()'s, and JSON shows it as a number. The fingerprint hashes it as
  // text, as builds before wrote it, so records stored before stay unchanged.
  std::set<std::string> metadata_numbers;

  bool operator==(const SourceRecord&) const;

  /// Stable 64-bit content hash of the canonical JSON form: equal records, equal
  /// fingerprints, across runs and machines. "xxh3:" and 16 hex digits of XXH3-64.
  std::string fingerprint() const;
  /// The fingerprint of builds before XXH3: 16 hex digits of FNV-1a 64 over the same
  /// form, ten times slower to compute. Stores keep such fingerprints until the
  /// record changes; matches_fingerprint still recognises them.
  std::string legacy_fingerprint() const;
  /// Whether `stored`, a fingerprint of either kind, is this record's. `current` is
  /// its fingerprint(), computed already.
  bool matches_fingerprint(std::string_view stored, std::string_view current) const;
};

/// A fingerprint of the kind builds before XXH3 wrote (legacy_fingerprint): 16
/// lower-case hex digits, as to_hex writes them.
bool is_legacy_fingerprint(std::string_view fingerprint);

/// The canonical JSON form of a record, as its events store it: exactly
/// json(record).dump(), written without building the tree. The fingerprint hashes
/// the same form with metadata numbers as strings.
std::string canonical_json(const SourceRecord& r);

/// A number as a record's metadata keeps it: a whole number below 9e15 in decimal
/// digits, any other the shortest text that reads back the same. Finite only.
std::string number_text(double d);

class JsonWriter;  // events/json_writer.hpp
/// Writes the canonical form into `w`, as a value where `w` expects one; with
/// `metadata_numbers_as_text`, the form the fingerprint hashes.
void write_json(JsonWriter& w, const SourceRecord& r, bool metadata_numbers_as_text = false);

void to_json(nlohmann::json& j, const Rating& r);
/// A rating as a movie's golden record shows it: as to_json, but without `votes`
/// when the source gives no count (votes 0). A record keeps `votes: 0` in its
/// events and fingerprint, so that records stored before stay unchanged.
nlohmann::json rating_json(const Rating& r);
void from_json(const nlohmann::json& j, Rating& r);
void to_json(nlohmann::json& j, const LocalizedName& n);
void from_json(const nlohmann::json& j, LocalizedName& n);
void to_json(nlohmann::json& j, const SourceRecord& r);
void from_json(const nlohmann::json& j, SourceRecord& r);

}  // namespace moviec::events
