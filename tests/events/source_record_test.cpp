// SourceRecord: the common source schema, its JSON form and its fingerprint.

#include <catch2/catch.hpp>

#include <xxhash.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>

#include "events/hash.hpp"
#include "events/source_record.hpp"

using moviec::events::LocalizedName;
using moviec::events::Rating;
using moviec::events::SourceRecord;
using nlohmann::json;

namespace {

SourceRecord full_record() {
  SourceRecord r;
  r.source = "imdb";
  r.source_id = "tt0114709";
  r.movie_id = "tt0114709";
  r.title = "Toy Story";
  r.country_of_origin = "US";
  r.source_ratings = {Rating{"imdb", 8.3, 1, 10, 1000000, 83},
                      Rating{"metascore", 95, 0, 100, 0, 95}};
  r.registration_date = "1995-11-22";
  r.names = {LocalizedName{"Toy Story", "US", "en", true},
             LocalizedName{"Histoire de jouets", "FR", "fr", false}};
  r.genres = {"Animation", "Comedy"};
  r.crating_performance = 7.5;
  r.crating_soundtrack = 8.25;
  r.crating_screenplay = 9;
  r.year = 1995;
  r.runtime_minutes = 81;
  r.external_ids = {{"imdb", "tt0114709"}, {"tmdb", "862"}};
  r.metadata = {{"studio", "Pixar"}};
  r.posters = {"/assets/" + std::string(64, 'a'), "https://example.org/toy-story.jpg"};
  r.trailers = {"https://example.org/toy-story.mp4"};
  return r;
}

}  // namespace

TEST_CASE("a source record survives a JSON round trip with every field", "[events]") {
  auto r = full_record();
  json j = r;
  auto back = j.get<SourceRecord>();
  CHECK(back == r);
  CHECK(back.source == "imdb");
  CHECK(back.source_id == "tt0114709");
  CHECK(back.movie_id == "tt0114709");
  CHECK(back.title == "Toy Story");
  CHECK(back.country_of_origin == "US");
  REQUIRE(back.source_ratings.size() == 2);
  CHECK(back.source_ratings[0] == Rating{"imdb", 8.3, 1, 10, 1000000, 83});
  CHECK(back.source_ratings[1].name == "metascore");
  CHECK(back.registration_date == "1995-11-22");
  REQUIRE(back.names.size() == 2);
  CHECK(back.names[0].is_original);
  CHECK(back.names[1] == LocalizedName{"Histoire de jouets", "FR", "fr", false});
  CHECK(back.genres == std::vector<std::string>{"Animation", "Comedy"});
  CHECK(back.posters == r.posters);
  CHECK(back.trailers == r.trailers);
  REQUIRE(back.crating_performance);
  REQUIRE(back.crating_soundtrack);
  REQUIRE(back.crating_screenplay);
  CHECK(*back.crating_performance == Approx(7.5));
  CHECK(*back.crating_soundtrack == Approx(8.25));
  CHECK(*back.crating_screenplay == Approx(9));
  CHECK(back.year == 1995);
  CHECK(back.runtime_minutes == 81);
  CHECK(back.external_ids.at("tmdb") == "862");
  CHECK(back.metadata.at("studio") == "Pixar");
}

TEST_CASE("a source record survives a round trip through serialized text", "[events]") {
  auto r = full_record();
  auto back = json::parse(json(r).dump()).get<SourceRecord>();
  CHECK(back == r);
  CHECK(back.fingerprint() == r.fingerprint());
}

TEST_CASE("empty values are left out of a source record's JSON", "[events]") {
  SourceRecord r;
  r.source = "movielens";
  r.source_id = "1";
  json j = r;
  CHECK(j == json{{"source", "movielens"}, {"source_id", "1"}});
  CHECK_FALSE(j.contains("year"));
  CHECK_FALSE(j.contains("genres"));
  CHECK_FALSE(j.contains("title"));
}

TEST_CASE("missing and null JSON fields read as empty values", "[events]") {
  auto r = json{{"source", "rt"}, {"source_id", "x"}, {"year", nullptr}, {"crating_soundtrack", nullptr}}
               .get<SourceRecord>();
  CHECK(r.source == "rt");
  CHECK(r.source_id == "x");
  CHECK(r.title.empty());
  CHECK_FALSE(r.year.has_value());
  CHECK_FALSE(r.runtime_minutes.has_value());
  CHECK_FALSE(r.crating_soundtrack.has_value());
  CHECK(r.genres.empty());
  CHECK(r.external_ids.empty());
}

TEST_CASE("a localized name omits empty region and language and a false original flag",
          "[events]") {
  json j = LocalizedName{"Le Roi Lion", "", "", false};
  CHECK(j == json{{"title", "Le Roi Lion"}});
  auto back = j.get<LocalizedName>();
  CHECK(back == LocalizedName{"Le Roi Lion", "", "", false});
  CHECK_FALSE(back == LocalizedName{"Le Roi Lion", "FR", "", false});
  CHECK_FALSE(back == LocalizedName{"Le Roi Lion", "", "", true});
}

TEST_CASE("ratings compare equal only when every part is equal", "[events]") {
  Rating a{"imdb", 8.3, 1, 10, 100, 83};
  CHECK(a == Rating{"imdb", 8.3, 1, 10, 100, 83});
  CHECK_FALSE(a == Rating{"imdb", 8.3, 1, 10, 101, 83});
  CHECK_FALSE(a == Rating{"imdb", 8.3, 0, 10, 100, 83});
  CHECK_FALSE(a == Rating{"tomatometer", 8.3, 1, 10, 100, 83});
  CHECK(json(a).get<Rating>() == a);
}

TEST_CASE("equal records have equal fingerprints", "[events]") {
  CHECK(full_record().fingerprint() == full_record().fingerprint());
  CHECK(full_record().fingerprint().size() == 21);  // "xxh3:" and 16 hex digits
}

TEST_CASE("any changed field changes the fingerprint", "[events]") {
  const auto base = full_record().fingerprint();
  auto changed = [&](auto mutate) {
    auto r = full_record();
    mutate(r);
    return r.fingerprint() != base;
  };
  CHECK(changed([](SourceRecord& r) { r.title = "Toy Story 2"; }));
  CHECK(changed([](SourceRecord& r) { r.year = 1996; }));
  CHECK(changed([](SourceRecord& r) { r.year.reset(); }));
  CHECK(changed([](SourceRecord& r) { r.genres.push_back("Family"); }));
  CHECK(changed([](SourceRecord& r) { r.source_ratings[0].votes += 1; }));
  CHECK(changed([](SourceRecord& r) { r.names[1].region = "BE"; }));
  CHECK(changed([](SourceRecord& r) { r.metadata["studio"] = "Disney"; }));
  CHECK(changed([](SourceRecord& r) { r.external_ids.erase("tmdb"); }));
  CHECK(changed([](SourceRecord& r) { r.crating_screenplay = 9.01; }));
  CHECK(changed([](SourceRecord& r) { r.posters.pop_back(); }));
  CHECK(changed([](SourceRecord& r) { r.trailers.clear(); }));
}

TEST_CASE("the fingerprint does not depend on the order maps were filled in", "[events]") {
  auto a = full_record();
  auto b = full_record();
  b.metadata.clear();
  b.external_ids.clear();
  b.external_ids["tmdb"] = "862";
  b.external_ids["imdb"] = "tt0114709";
  b.metadata["studio"] = "Pixar";
  CHECK(a.fingerprint() == b.fingerprint());
}

TEST_CASE("the fingerprint is stable across runs and machines", "[events]") {
  // Fingerprints are stored (change detection): a change to this value means every
  // stored fingerprint goes stale and every source re-emits all of its records.
  SourceRecord r;
  r.source = "imdb";
  r.source_id = "tt1";
  r.title = "Carmencita";
  r.year = 1894;
  CHECK(json(r).dump() ==
        R"({"source":"imdb","source_id":"tt1","title":"Carmencita","year":1894})");
  CHECK(r.fingerprint() == "xxh3:" + moviec::events::to_hex(XXH3_64bits(json(r).dump().data(), json(r).dump().size())));
  CHECK(r.fingerprint() == "xxh3:1eb8aee149198436");
  // What builds before XXH3 stored, and still recognised.
  CHECK(r.legacy_fingerprint() == moviec::events::to_hex(moviec::events::fnv1a64(json(r).dump())));
}

TEST_CASE("a record matches its fingerprint of either kind, and no other record's", "[events]") {
  using moviec::events::is_legacy_fingerprint;
  auto r = full_record();
  auto other = full_record();
  other.title += " II";
  const auto current = r.fingerprint();
  CHECK(r.matches_fingerprint(current, current));
  CHECK(r.matches_fingerprint(r.legacy_fingerprint(), current));  // a store written by an earlier build
  CHECK_FALSE(r.matches_fingerprint(other.fingerprint(), current));
  CHECK_FALSE(r.matches_fingerprint(other.legacy_fingerprint(), current));
  CHECK_FALSE(r.matches_fingerprint("", current));  // removed: the record comes back as a change
  CHECK_FALSE(r.matches_fingerprint(current.substr(5), current));  // the digits alone are no FNV
  CHECK(is_legacy_fingerprint(r.legacy_fingerprint()));
  CHECK_FALSE(is_legacy_fingerprint(current));
  CHECK_FALSE(is_legacy_fingerprint(""));
  CHECK_FALSE(is_legacy_fingerprint("xxh3:0123456789a"));  // 16 characters, not 16 digits
}

TEST_CASE("fnv1a64 matches the published test vectors", "[events]") {
  using moviec::events::fnv1a64;
  CHECK(fnv1a64("") == 0xcbf29ce484222325ull);
  CHECK(fnv1a64("a") == 0xaf63dc4c8601ec8cull);
  CHECK(fnv1a64("foobar") == 0x85944171f73967e8ull);
}

TEST_CASE("to_hex writes sixteen lower-case digits, zero padded", "[events]") {
  using moviec::events::to_hex;
  CHECK(to_hex(0) == "0000000000000000");
  CHECK(to_hex(0xabcull) == "0000000000000abc");
  CHECK(to_hex(UINT64_MAX) == "ffffffffffffffff");
}

TEST_CASE("hash_id is 32 hex digits, deterministic and input sensitive", "[events]") {
  using moviec::events::hash_id;
  auto id = hash_id("tt0114709/imdb");
  CHECK(id.size() == 32);
  CHECK(id.find_first_not_of("0123456789abcdef") == std::string::npos);
  CHECK(id == hash_id("tt0114709/imdb"));
  CHECK(id != hash_id("tt0114709/imdc"));
  CHECK(id.substr(0, 16) != id.substr(16));
}

TEST_CASE("the canonical form the fingerprint hashes is exactly the record's JSON dumped",
          "[events]") {
  // Stored fingerprints were made from json(record).dump(): the hand-written form
  // must give the same bytes for every shape of record, or re-ingesting unchanged
  // files would append everything again.
  using moviec::events::canonical_json;
  std::vector<SourceRecord> records;
  records.push_back(full_record());
  records.push_back(SourceRecord{});  // everything empty
  auto odd = full_record();
  odd.title = "Quote \" backslash \\ tab \t newline \n control \x01 del \x7f é 東京 😀";
  odd.names.push_back(LocalizedName{"", "", "", false});
  odd.source_ratings.push_back(Rating{"", -0.0, 1e-7, 1e300, -5, 33.333333333333336});
  odd.source_ratings.push_back(Rating{"nan", std::nan(""), 0, 0, INT64_MAX, 0.1 + 0.2});
  odd.crating_performance = 100;
  odd.crating_screenplay.reset();
  odd.year = -3;
  odd.runtime_minutes = 0;
  odd.external_ids.clear();
  odd.metadata = {{"z", "last"}, {"a", "first \"quoted\""}, {"", "empty key"}};
  odd.genres = {"Sci-Fi", "", "Film-Noir"};
  odd.posters = {"poster \"1\".png", ""};
  records.push_back(odd);
  for (int i = 0; i < 50; ++i) {  // fields present and absent in many combinations
    auto r = full_record();
    if (i & 1) r.country_of_origin.clear();
    if (i & 2) r.names.clear();
    if (i & 4) r.source_ratings.clear();
    if (i & 8) r.year.reset(), r.runtime_minutes.reset();
    if (i & 16) r.genres.clear(), r.metadata.clear();
    if (i & 32) r.movie_id.clear(), r.registration_date.clear(), r.crating_soundtrack.reset();
    if (i % 3 == 0) r.posters.clear();
    if (i % 5 == 0) r.trailers.clear();
    r.source_ratings.push_back(Rating{"r", i / 7.0, 0.5, 5, i, i * 3.3});
    records.push_back(r);
  }
  // Each kind of character that needs escaping (or is not ASCII) at every place of a
  // word-wise check: first, middle and last byte of an 8-byte word, and in the tail.
  for (std::string special : {"\"", "\\", "\x01", "\x1f", "\x7f", "\t", "é", "😀"}) {
    for (std::size_t at = 0; at < 19; ++at) {
      SourceRecord r;
      r.title = std::string(at, 'a') + special + std::string(19 - at, 'a');
      r.source_id = std::string(at, ' ') + special;
      records.push_back(r);
    }
  }
  // Doubles of every magnitude and bit pattern, infinities too (written as null).
  std::mt19937_64 bits(7);
  for (int i = 0; i < 2000; ++i) {
    SourceRecord r;
    double random_bits;
    auto b = bits();
    std::memcpy(&random_bits, &b, sizeof b);
    double scaled = std::ldexp(static_cast<double>(bits() % 1000003), static_cast<int>(bits() % 80) - 40);
    r.source_ratings.push_back(Rating{"x", random_bits, scaled, -scaled, 0, static_cast<double>(i) / 10});
    r.crating_performance = i % 2 ? std::numeric_limits<double>::infinity() : -1.0 / (i + 1);
    records.push_back(r);
  }
  for (auto& r : records) {
    INFO(json(r).dump());
    CHECK(canonical_json(r) == json(r).dump());
  }
}

TEST_CASE("a number mapped to metadata is a JSON number, fingerprinted as the text it was before",
          "[events]") {
  using moviec::events::canonical_json;
  using moviec::events::number_text;
  SourceRecord r;
  r.source = "tmdb";
  r.source_id = "862";
  for (double d : {30000000.0, 4.5, 21.946943, 0.1, 1e-7, 1e20, -3.25, 0.0, 123456789012345.0})
    r.metadata["n" + std::to_string(r.metadata.size())] = number_text(d);
  r.metadata["text"] = "30000000";
  auto as_text = r;  // as builds before this one stored it
  for (auto& [key, v] : r.metadata)
    if (key != "text") r.metadata_numbers.insert(key);

  auto j = json(r);
  CHECK(j["metadata"]["n0"] == 30000000);
  CHECK(j["metadata"]["n0"].is_number_integer());
  CHECK(j["metadata"]["n1"] == 4.5);
  CHECK(j["metadata"]["n5"] == 1e20);
  CHECK(j["metadata"]["text"] == "30000000");
  CHECK(canonical_json(r) == j.dump());
  CHECK(canonical_json(r).find("\"n1\":4.5") != std::string::npos);

  CHECK(r.fingerprint() == as_text.fingerprint());  // stored records stay unchanged
  CHECK(r.legacy_fingerprint() == as_text.legacy_fingerprint());

  auto back = j.get<SourceRecord>();
  CHECK(back.metadata == r.metadata);
  CHECK(back.metadata_numbers == r.metadata_numbers);
  CHECK(back == r);
  CHECK_FALSE(back == as_text);  // a number is not its text
  CHECK(json(as_text).get<SourceRecord>().metadata_numbers.empty());
}
