// vega_json against the real vega-datasets movies.json (3,201 records).

#include "sources/vega.hpp"

#include <map>
#include <set>

#include <catch2/catch.hpp>

#include "sources/record_reader.hpp"
#include "support/temp_dir.hpp"

using namespace moviec;

namespace {

struct VegaRead {
  std::vector<sources::Item> items;
  std::vector<sources::Reject> rejects;
  Status status;
};

VegaRead read_vega(const std::string& path) {
  config::SourceConfig source;
  source.name = "vega";
  source.format = "vega_json";
  auto reader = sources::open_reader(source, {path});
  REQUIRE(reader.is_ok());
  VegaRead out;
  sources::Item item;
  while ((*reader)->next(item, out.rejects)) out.items.push_back(item);
  out.status = (*reader)->status();
  CHECK((*reader)->bytes_read() == (*reader)->bytes_total());
  return out;
}

const sources::Item* by_id(const VegaRead& r, const std::string& id) {
  for (auto& i : r.items)
    if (i.record.source_id == id) return &i;
  return nullptr;
}

std::string movies_json() { return (test::shared_data() / "vega-datasets-movies" / "movies.json").string(); }

}  // namespace

TEST_CASE("the built-in vega layout is a valid config layout", "[sources][vega]") {
  auto parsed = config::parse_layout(nlohmann::json::parse(sources::vega_layout_json()), "x");
  REQUIRE(parsed.is_ok());
  CHECK(sources::vega_layout().source_id == std::vector<std::string>{"Title", "Release Date"});
}

TEST_CASE("every vega row becomes a record or one reject with its line", "[sources][vega]") {
  if (!test::have_shared_data()) {
    WARN("no shared data: skipped");
    return;
  }
  auto r = read_vega(movies_json());
  CHECK(r.status.is_ok());
  CHECK(r.items.size() + r.rejects.size() == 3201);
  // The one row with a null title is the only reject.
  REQUIRE(r.rejects.size() == 1);
  CHECK(r.rejects[0].file == "movies.json");
  CHECK(r.rejects[0].reason == "column \"Title\": missing (required)");
  CHECK(r.rejects[0].line > 1);
  CHECK(r.rejects[0].source_id == " | Nov 03 2006");
  // First record: line 2 (CRLF, one record per line after "[").
  CHECK(r.items[0].input == "movies.json:2");
  CHECK(r.items[0].record.title == "The Land Girls");
  for (auto& i : r.items) {
    CHECK(i.record.source == "vega");
    CHECK(i.record.movie_id.empty());  // vega knows no movie ids: matching decides
  }
}

TEST_CASE("vega source ids are unique, derived from title and date, and stable", "[sources][vega]") {
  if (!test::have_shared_data()) {
    WARN("no shared data: skipped");
    return;
  }
  auto first = read_vega(movies_json());
  auto second = read_vega(movies_json());
  std::set<std::string> ids;
  REQUIRE(first.items.size() == second.items.size());
  for (std::size_t i = 0; i < first.items.size(); ++i) {
    CHECK(ids.insert(first.items[i].record.source_id).second);
    CHECK(first.items[i].record.source_id == second.items[i].record.source_id);
    CHECK(first.items[i].record.fingerprint() == second.items[i].record.fingerprint());
  }
  CHECK(by_id(first, "The Land Girls | Jun 12 1998") != nullptr);
}

TEST_CASE("remakes with the same title are distinct vega records", "[sources][vega]") {
  if (!test::have_shared_data()) {
    WARN("no shared data: skipped");
    return;
  }
  auto r = read_vega(movies_json());
  std::vector<const sources::Item*> kong;
  for (auto& i : r.items)
    if (i.record.title == "King Kong") kong.push_back(&i);
  REQUIRE(kong.size() == 2);
  CHECK(kong[0]->record.source_id != kong[1]->record.source_id);
  CHECK(kong[0]->record.year != kong[1]->record.year);
}

TEST_CASE("numeric vega titles are kept as text", "[sources][vega]") {
  if (!test::have_shared_data()) {
    WARN("no shared data: skipped");
    return;
  }
  auto r = read_vega(movies_json());
  std::set<std::string> titles;
  for (auto& i : r.items) titles.insert(i.record.title);
  for (auto t : {"1776", "1941", "2012", "300", "9"}) CHECK(titles.count(t) == 1);
  auto* m = by_id(r, "1776 | Nov 09 1972");
  REQUIRE(m != nullptr);
  CHECK(m->record.title == "1776");
}

TEST_CASE("vega dates in the wrong century are repaired and the repair is recorded", "[sources][vega]") {
  if (!test::have_shared_data()) {
    WARN("no shared data: skipped");
    return;
  }
  auto r = read_vega(movies_json());
  auto* gwtw = by_id(r, "Gone with the Wind | Dec 15 2039");
  REQUIRE(gwtw != nullptr);
  CHECK(gwtw->record.year == 1939);
  CHECK(gwtw->record.metadata.at("release_date") == "1939-12-15");
  CHECK(gwtw->record.metadata.at("repairs").find("Release Date \"Dec 15 2039\" read as 1939-12-15") !=
        std::string::npos);
  auto* land_girls = by_id(r, "The Land Girls | Jun 12 1998");
  REQUIRE(land_girls != nullptr);
  CHECK(land_girls->record.year == 1998);
  CHECK(land_girls->record.metadata.at("release_date") == "1998-06-12");
  CHECK(land_girls->record.metadata.count("repairs") == 0);
  // No record is left in the future or before film.
  for (auto& i : r.items) {
    REQUIRE(i.record.year);
    CHECK(*i.record.year >= 1900);
    CHECK(*i.record.year <= 2012);
  }
}

TEST_CASE("IMDB and Rotten Tomatoes ratings of one vega record are both kept", "[sources][vega]") {
  if (!test::have_shared_data()) {
    WARN("no shared data: skipped");
    return;
  }
  auto r = read_vega(movies_json());
  auto* land_girls = by_id(r, "The Land Girls | Jun 12 1998");
  REQUIRE(land_girls != nullptr);
  REQUIRE(land_girls->record.source_ratings.size() == 1);  // its RT rating is null
  CHECK(land_girls->record.source_ratings[0].name == "imdb");
  CHECK(land_girls->record.source_ratings[0].value == 6.1);
  CHECK(land_girls->record.source_ratings[0].votes == 1071);
  CHECK(land_girls->record.source_ratings[0].normalized == 61);
  CHECK(land_girls->record.metadata.at("production_budget") == "8000000");
  CHECK(land_girls->record.metadata.at("mpaa_rating") == "R");

  std::size_t both = 0;
  for (auto& i : r.items) {
    std::map<std::string, double> ratings;
    for (auto& x : i.record.source_ratings) ratings[x.name] = x.normalized;
    if (ratings.count("imdb") && ratings.count("rotten_tomatoes")) ++both;
  }
  CHECK(both > 2000);
}

TEST_CASE("vega titles with a trailing article or mojibake are normalized", "[sources][vega]") {
  if (!test::have_shared_data()) {
    WARN("no shared data: skipped");
    return;
  }
  auto r = read_vega(movies_json());
  std::map<std::string, const sources::Item*> by_title;
  for (auto& i : r.items) by_title[i.record.title] = &i;
  CHECK(by_title.count("The Charge of the Light Brigade") == 1);
  REQUIRE(by_title.count("Astérix aux Jeux Olympiques") == 1);
  CHECK(by_title["Astérix aux Jeux Olympiques"]->record.metadata.at("title_repaired_from") ==
        "AstÈrix aux Jeux Olympiques");
}
