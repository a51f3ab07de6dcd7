// GET /movies/{id} and GET /movies: the golden record and search, over real HTTP.

#include <set>

#include "fixture.hpp"
#include "store/keys.hpp"

using moviec::test::HttpFixture;
using moviec::test::kJson;
using moviec::test::require_error;
using nlohmann::json;

namespace {

void add_catalogue(HttpFixture& f) {
  f.add_movie({"tt0211915", "Amélie", 2001, {"Comedy", "Romance"}});
  f.add_movie({"tt0114814", "The Usual Suspects", 1995, {"Crime", "Drama"}});
  f.add_movie({"tt0110912", "Pulp Fiction", 1994, {"Crime", "Drama"}});
  f.add_movie({"tt0111161", "The Shawshank Redemption", 1994, {"Drama"}});
  f.add_movie({"tt0108052", "Schindler's List", 1993, {"Biography", "Drama", "History"}});
}

std::set<std::string> ids_of(const json& movies) {
  std::set<std::string> out;
  for (auto& m : movies) out.insert(m.at("movie_id").get<std::string>());
  return out;
}

}  // namespace

TEST_CASE("a movie by id is its golden record with each field's provenance", "[http]") {
  HttpFixture f;
  add_catalogue(f);
  f.serve();

  auto r = f.get("/movies/tt0211915");
  REQUIRE(r.status == 200);
  CHECK(r.content_type == kJson);
  auto& m = r.body;
  CHECK(m["movie_id"] == "tt0211915");
  CHECK(m["title"] == "Amélie");
  CHECK(m["year"] == 2001);
  CHECK(m["genres"] == json({"Comedy", "Romance"}));
  CHECK(m["version"] == 2);
  CHECK(m["last_sequence"] == 2);
  CHECK(m["rules_version"] == 1);
  CHECK(m["sources"] == json::array({{{"source", "imdb"}, {"source_id", "tt0211915"}}}));
  // The MovieChanged cites the SourceRecordChanged just before it: sequence 1.
  for (const char* field : {"title", "year", "genres"}) {
    INFO(field);
    CHECK(m["provenance"][field] == json({{"source", "imdb"}, {"rule", "source_priority"}, {"sequence", 1}}));
  }

  // A later movie's provenance names its own source event.
  auto later = f.get("/movies/tt0108052");
  REQUIRE(later.status == 200);
  CHECK(later.body["provenance"]["title"]["sequence"] == 9);
}

TEST_CASE("an unknown movie id answers 404 with a JSON error", "[http]") {
  HttpFixture f;
  add_catalogue(f);
  f.serve();

  auto r = f.get("/movies/tt9");
  require_error(r, 404);
  CHECK(r.body["error"]["message"] == "no movie with id tt9");
}

TEST_CASE("a corrupt stored movie answers 500 with a JSON error", "[http]") {
  HttpFixture f;
  add_catalogue(f);
  f.serve();
  rocksdb::WriteBatch wb;
  wb.Put(f.db().cf(moviec::store::ColumnFamily::movies), moviec::store::keys::movie_key("tt0000001"),
         "{not json");
  REQUIRE(f.db().write(wb, false).is_ok());

  auto r = f.get("/movies/tt0000001");
  require_error(r, 500);
  CHECK(r.body["error"]["message"].get<std::string>().find("tt0000001") != std::string::npos);
}

TEST_CASE("search by q is case and accent insensitive", "[http]") {
  HttpFixture f;
  add_catalogue(f);
  f.serve();

  for (const char* q : {"amelie", "AMELIE", "Amélie", "amÉlie"}) {
    INFO(q);
    auto r = f.get("/movies", {{"q", q}});
    REQUIRE(r.status == 200);
    CHECK(r.content_type == kJson);
    CHECK(r.body["count"] == 1);
    CHECK(ids_of(r.body["movies"]) == std::set<std::string>{"tt0211915"});
    CHECK(r.body["next_cursor"].is_null());
  }
}

TEST_CASE("search by q needs every word to be in the title", "[http]") {
  HttpFixture f;
  add_catalogue(f);
  f.serve();

  CHECK(ids_of(f.get("/movies", {{"q", "the"}}).body["movies"]) ==
        std::set<std::string>{"tt0114814", "tt0111161"});
  CHECK(ids_of(f.get("/movies", {{"q", "usual the"}}).body["movies"]) ==
        std::set<std::string>{"tt0114814"});
  CHECK(ids_of(f.get("/movies", {{"q", "schindler's"}}).body["movies"]) ==
        std::set<std::string>{"tt0108052"});
  auto none = f.get("/movies", {{"q", "the fiction"}});
  REQUIRE(none.status == 200);
  CHECK(none.body["count"] == 0);
  CHECK(none.body["movies"] == json::array());
  CHECK(none.body["next_cursor"].is_null());
}

TEST_CASE("search filters by year and by genre, alone or together with q", "[http]") {
  HttpFixture f;
  add_catalogue(f);
  f.serve();

  CHECK(ids_of(f.get("/movies", {{"year", "1994"}}).body["movies"]) ==
        std::set<std::string>{"tt0110912", "tt0111161"});
  CHECK(ids_of(f.get("/movies", {{"genre", "crime"}}).body["movies"]) ==
        std::set<std::string>{"tt0114814", "tt0110912"});
  CHECK(ids_of(f.get("/movies", {{"genre", "DRAMA"}, {"year", "1994"}}).body["movies"]) ==
        std::set<std::string>{"tt0110912", "tt0111161"});
  CHECK(ids_of(f.get("/movies", {{"q", "the"}, {"year", "1994"}}).body["movies"]) ==
        std::set<std::string>{"tt0111161"});
  CHECK(ids_of(f.get("/movies", {{"q", "pulp"}, {"genre", "romance"}}).body["movies"]).empty());
  CHECK(f.get("/movies", {{"year", "1800"}}).body["count"] == 0);
  // No filter at all: every movie.
  CHECK(f.get("/movies").body["count"] == 5);
}

TEST_CASE("limit and cursor page through all results without duplicates", "[http]") {
  HttpFixture f;
  std::set<std::string> dramas_1999, all;
  for (int i = 0; i < 47; ++i) {
    std::string id = "tt" + std::to_string(1000000 + i * 7);
    int year = 1999 + i % 2;
    bool drama = i % 3 != 0;
    f.add_movie({id, "Night Film " + std::to_string(i), year, {drama ? "Drama" : "Horror"}});
    if (drama && year == 1999) dramas_1999.insert(id);
    all.insert(id);
  }
  f.serve();

  auto page_through = [&](httplib::Params params, std::size_t limit) {
    std::set<std::string> seen;
    std::size_t pages = 0;
    params.emplace("limit", std::to_string(limit));
    for (;;) {
      auto r = f.get("/movies", params);
      REQUIRE(r.status == 200);
      REQUIRE(r.body["movies"].size() <= limit);
      CHECK(r.body["count"] == r.body["movies"].size());
      for (auto& id : ids_of(r.body["movies"])) CHECK(seen.insert(id).second);  // no duplicate
      ++pages;
      REQUIRE(pages < 100);
      if (r.body["next_cursor"].is_null()) break;
      params.erase("cursor");
      params.emplace("cursor", r.body["next_cursor"].get<std::string>());
    }
    return std::make_pair(seen, pages);
  };

  SECTION("over every movie") {
    auto [seen, pages] = page_through({}, 10);
    CHECK(seen == all);
    CHECK(pages == 5);
  }
  SECTION("with a q, a year and a genre") {
    auto [seen, pages] = page_through({{"q", "night"}, {"year", "1999"}, {"genre", "drama"}}, 4);
    CHECK(seen == dramas_1999);
    CHECK(pages >= 4);
  }
  SECTION("by year only, one movie per page") {
    std::set<std::string> in_2000;
    for (int i = 1; i < 47; i += 2) in_2000.insert("tt" + std::to_string(1000000 + i * 7));
    auto [seen, pages] = page_through({{"year", "2000"}}, 1);
    CHECK(seen == in_2000);
    CHECK(pages == in_2000.size());
  }
  SECTION("a limit of exactly the result size needs one page") {
    auto [seen, pages] = page_through({}, 47);
    CHECK(seen == all);
    CHECK(pages == 1);
  }
  SECTION("the default limit is 20") {
    auto r = f.get("/movies");
    CHECK(r.body["count"] == 20);
    CHECK(r.body["next_cursor"].is_string());
  }
}

TEST_CASE("bad search parameters answer 400 naming the parameter", "[http]") {
  HttpFixture f;
  add_catalogue(f);
  f.serve();

  struct Case {
    httplib::Params params;
    const char* names;
  };
  const std::vector<Case> cases = {
      {{{"year", "abc"}}, "year"},       {{{"year", "1994x"}}, "year"},
      {{{"year", ""}}, "year"},          {{{"year", "99999999999"}}, "year"},
      {{{"limit", "0"}}, "limit"},       {{{"limit", "-5"}}, "limit"},
      {{{"limit", "ten"}}, "limit"},     {{{"limit", "1001"}}, "limit"},
      {{{"limit", "2.5"}}, "limit"},     {{{"years", "1994"}}, "years"},
      {{{"year", "1994"}, {"year", "1995"}}, "year"},
  };
  for (auto& c : cases) {
    std::string desc;
    for (auto& [k, v] : c.params) desc += k + "=" + v + " ";
    INFO(desc);
    auto r = f.get("/movies", c.params);
    require_error(r, 400);
    CHECK(r.body["error"]["message"].get<std::string>().find(c.names) != std::string::npos);
  }
  // The edges of what is allowed.
  CHECK(f.get("/movies", {{"limit", "1000"}}).status == 200);
  CHECK(f.get("/movies", {{"limit", "1"}}).status == 200);
  CHECK(f.get("/movies", {{"year", "-1"}}).status == 200);
  // /movies/{id} takes no parameters.
  require_error(f.get("/movies/tt0110912", {{"verbose", "1"}}), 400);
}

TEST_CASE("a page that ends the results has no next cursor, even when non-matching movies follow",
          "[http]") {
  HttpFixture f;
  f.add_movie({"tt0000001", "Alpha", 2001, {"Drama"}});
  f.add_movie({"tt0000002", "Beta", 2001, {"Drama"}});
  f.add_movie({"tt0000003", "Gamma", 2001, {"Horror"}});
  f.add_movie({"tt0000004", "Delta", 2001, {"Horror"}});
  f.serve();

  // The year index drives the scan; the genre filter drops the last two movies.
  auto r = f.get("/movies", {{"year", "2001"}, {"genre", "drama"}, {"limit", "2"}});
  REQUIRE(r.status == 200);
  CHECK(r.body["count"] == 2);
  CHECK(r.body["next_cursor"].is_null());

  // With more matches left, the cursor leads to a page that is not empty.
  auto first = f.get("/movies", {{"year", "2001"}, {"genre", "horror"}, {"limit", "1"}});
  REQUIRE(first.body["next_cursor"].is_string());
  auto second = f.get("/movies", {{"year", "2001"}, {"genre", "horror"}, {"limit", "1"},
                                  {"cursor", first.body["next_cursor"].get<std::string>()}});
  CHECK(second.body["count"] == 1);
  CHECK(second.body["movies"][0]["movie_id"] == "tt0000004");
  CHECK(second.body["next_cursor"].is_null());
}
