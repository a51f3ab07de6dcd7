// The movies read model's document (store/movie_doc.hpp): written as nlohmann's dump()
// writes the same tree, read back as it was written.

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "store/movie_doc.hpp"

using namespace moviec::store;
using nlohmann::json;

namespace {

/// The document as the projector built it before MovieDoc: a JSON tree, dumped.
json as_tree(const MovieDoc& d) {
  json doc{{"movie_id", d.movie_id},         {"version", d.version},
           {"last_sequence", d.last_sequence}, {"rules_version", d.rules_version},
           {"provenance", json::object()},   {"sources", json::array()}};
  for (auto& [source, source_id] : d.sources)
    doc["sources"].push_back(json{{"source", source}, {"source_id", source_id}});
  for (auto& [name, f] : d.fields) {
    doc[name] = json::parse(f.json);
    doc["provenance"][name] = json{{"source", f.source}, {"rule", f.rule}, {"sequence", f.sequence}};
  }
  return doc;
}

MovieDoc sample() {
  MovieDoc d;
  d.movie_id = "tt0000001";
  d.version = 7;
  d.last_sequence = 12345678901234ull;
  d.rules_version = 3;
  d.attach_source("rotten_tomatoes", "m/carmencita");
  d.attach_source("imdb", "tt0000001");
  d.attach_source("movielens", "1");
  d.set_field("title", "Carmencita \"the dancer\"\n\ttab", "imdb", "source_priority", 1);
  d.set_field("year", 1894, "imdb", "source_priority", 1);
  d.set_field("genres", json::array({"Documentary", "Short", "Ação"}), "imdb", "union", 1);
  d.set_field("ratings", json{{"imdb", {{"value", 5.7}, {"scale", 10}, {"votes", 2000}}},
                              {"movielens", {{"value", 0.1 + 0.2}, {"scale", 5}}}},
              "movielens", "per_source", 9);
  d.set_field("names", json::array({json{{"title", "Карменсита"}, {"region", "RU"}}}), "imdb", "union", 1);
  d.set_field("runtime_minutes", 1, "imdb", "source_priority", 1);
  d.set_field("registration_date", "1894-03-10", "imdb", "most_recent", 2);
  d.set_field("country_of_origin", "\x01" "control", "vega", "source_priority", 4);
  d.set_field("external_ids", json{{"imdb", "tt0000001"}, {"tmdb", "16612"}}, "imdb", "union", 1);
  d.set_field("posters", json::array(), "imdb", "union", 1);
  d.set_field("trailers", json::array({nullptr, true, -1.5e300}), "imdb", "union", 1);
  return d;
}

}  // namespace

TEST_CASE("a movie document is written as dump() writes the same tree, every key in order", "[store][movie_doc]") {
  MovieDoc d = sample();
  CHECK(d.render() == as_tree(d).dump());

  MovieDoc empty;
  empty.movie_id = "m1";
  CHECK(empty.render() == as_tree(empty).dump());
  CHECK(empty.render() ==
        R"({"last_sequence":0,"movie_id":"m1","provenance":{},"rules_version":0,"sources":[],"version":0})");
}

TEST_CASE("a movie document reads back as it was written", "[store][movie_doc]") {
  MovieDoc d = sample();
  auto text = d.render();
  auto back = MovieDoc::parse(text);
  REQUIRE(back);
  CHECK(back->render() == text);
  CHECK(back->movie_id == "tt0000001");
  CHECK(back->version == 7);
  CHECK(back->last_sequence == 12345678901234ull);
  CHECK(back->sources.size() == 3);
  CHECK(back->value("year") == 1894);
  CHECK(back->value("title") == "Carmencita \"the dancer\"\n\ttab");
  CHECK(back->value("absent").is_null());

  CHECK_FALSE(MovieDoc::parse("not json"));
  CHECK_FALSE(MovieDoc::parse("[1,2]"));
}

TEST_CASE("a movie document keeps its sources in order and once, and a null value removes its field", "[store][movie_doc]") {
  MovieDoc d = sample();
  CHECK_FALSE(d.attach_source("imdb", "tt0000001"));
  CHECK(d.detach_source("movielens", "1"));
  CHECK_FALSE(d.detach_source("movielens", "1"));
  CHECK(d.sources == std::vector<std::pair<std::string, std::string>>{{"imdb", "tt0000001"},
                                                                      {"rotten_tomatoes", "m/carmencita"}});
  d.set_field("year", nullptr, "imdb", "source_priority", 5);
  CHECK(d.fields.count("year") == 0);
  CHECK(d.render() == as_tree(d).dump());
  // The document's own keys are no golden fields.
  d.set_field("version", 99, "imdb", "source_priority", 5);
  CHECK(d.version == 7);
  CHECK(d.fields.count("version") == 0);
}

TEST_CASE("a stored movie document not in render()'s form reads as nlohmann reads it", "[store][movie_doc]") {
  // Whatever the text, the document read back renders as the tree nlohmann parses
  // from it would: spaces between tokens, a number in another notation, document
  // keys twice, provenance with parts missing, odd types.
  auto tree_render = [](const std::string& text) {
    json j = json::parse(text);
    MovieDoc d;
    d.movie_id = j.value("movie_id", json()).is_string() ? j["movie_id"].get<std::string>() : "";
    auto u64 = [&](const char* k) { return j.contains(k) && j[k].is_number() ? j[k].get<std::uint64_t>() : 0; };
    d.version = u64("version");
    d.last_sequence = u64("last_sequence");
    d.rules_version = u64("rules_version");
    if (j.contains("sources") && j["sources"].is_array())
      for (auto& r : j["sources"])
        if (r.is_object()) d.sources.emplace_back(r.value("source", ""), r.value("source_id", ""));
    for (auto& [k, v] : j.items()) {
      if (k == "movie_id" || k == "version" || k == "last_sequence" || k == "rules_version" ||
          k == "sources" || k == "provenance" || v.is_null())
        continue;
      auto& f = d.fields[k];
      f.json = v.dump();
      f.has_provenance = false;
      if (j.contains("provenance") && j["provenance"].contains(k) && j["provenance"][k].is_object()) {
        auto& p = j["provenance"][k];
        f.source = p.value("source", "");
        f.rule = p.value("rule", "");
        f.sequence = p.contains("sequence") && p["sequence"].is_number() ? p["sequence"].get<std::uint64_t>() : 0;
        f.has_provenance = true;
      }
    }
    return d.render();
  };
  const std::string canonical = sample().render();
  for (std::string text : {
           json::parse(canonical).dump(2),
           std::string(R"({"movie_id":"m1","version":1,"year":1.5e3,"provenance":{"year":{"rule":"r","sequence":3,"source":"s"}}})"),
           std::string(R"({"movie_id":"m1","movie_id":"m2","version":1,"version":2})"),
           std::string(R"({"movie_id":"m1","title":"T","provenance":{"title":{"source":"s"}}})"),
           std::string(R"({"movie_id":7,"version":"3","sources":[{"source":"a"},3],"title":"T"})"),
           std::string(R"({"movie_id":"m1","title":null,"genres":["a","b c"],"sources":[{"source":"a","source_id":"1"}]})"),
       }) {
    INFO(text);
    auto back = MovieDoc::parse(text);
    REQUIRE(back);
    CHECK(back->render() == tree_render(text));
  }
  CHECK(MovieDoc::parse(canonical)->render() == canonical);
  CHECK_FALSE(MovieDoc::parse(R"({"movie_id":"m1"} trailing)"));
  CHECK_FALSE(MovieDoc::parse("{\"title\":\"a\x01\"}"));
}
