// The matching read model's blocking keys (store/match_models.hpp,
// store/match_projection.hpp): each title key of a movie under its year, its
// facts as the value, kept in step with the golden record by MatchProjection,
// read nearest year first by MatchModels::block_facts.

#include <catch2/catch.hpp>

#include <algorithm>

#include <map>
#include <memory>

#include <rocksdb/write_batch.h>

#include "events/event.hpp"
#include "store/db.hpp"
#include "store/keys.hpp"
#include "store/match_models.hpp"
#include "store/match_projection.hpp"
#include "support/temp_dir.hpp"

using namespace moviec;
using namespace moviec::store;
using nlohmann::json;

namespace {

struct Store {
  test::TempDir dir;
  std::unique_ptr<Db> db;
  std::uint64_t next_sequence = 1;
  std::map<std::string, std::uint64_t> versions;  // movie -> its stream's version

  Store() {
    auto opened = Db::open(dir.str());
    REQUIRE(opened);
    db = opened.take();
  }

  /// One MovieChanged event of `movie` folded by the matching projection and written.
  void change(const std::string& movie, const json& golden) {
    events::MovieChanged mc;
    mc.rules_version = 1;
    for (auto& [field, value] : golden.items()) mc.fields.push_back({field, json(), value, "imdb", "test", 0});
    events::Event e;
    e.type = events::EventType::movie_changed;
    e.stream = movie;
    e.sequence = next_sequence++;
    // The stream's first MovieChanged follows its first record (version 2).
    auto& version = versions[movie];
    version = version == 0 ? 2 : version + 1;
    e.version = version;
    e.data = events::to_data(mc);
    MatchProjection projection(*db);
    projection.apply(e);
    rocksdb::WriteBatch batch;
    projection.write(batch);
    REQUIRE(db->write(batch, false));
  }

  struct Hit {
    std::string movie_id, facts;
  };
  std::vector<Hit> block(const std::vector<std::string>& keys, int year, std::size_t limit = 50,
                         BigWindows* big = nullptr) {
    BlockHits hits;
    REQUIRE(MatchModels(*db).block_facts(keys, year, 2, limit, hits, big));
    std::vector<Hit> out;
    for (std::size_t i = 0; i < hits.size(); ++i)
      out.push_back({std::string(hits.movie_id(i)), std::string(hits.facts(i))});
    return out;
  }

  bool complete() {
    auto has = MatchModels(*db).has_facts_blocking();
    REQUIRE(has);
    return *has;
  }

  std::vector<std::string> ids(const std::vector<std::string>& keys, int year, std::size_t limit = 50,
                               BigWindows* big = nullptr) {
    std::vector<std::string> out;
    for (auto& h : block(keys, year, limit, big)) out.push_back(h.movie_id);
    return out;
  }
};

}  // namespace

TEST_CASE("a movie's blocking keys carry its facts and follow its title and year", "[match_models]") {
  Store s;
  s.change("tt1", {{"title", "The Usual Suspects"}, {"year", 1995}, {"runtime_minutes", 106}});
  auto hits = s.block({"usualsuspects"}, 1996);
  REQUIRE(hits.size() == 1);
  CHECK(hits[0].movie_id == "tt1");
  MatchFactsView v;
  REQUIRE(view_match_facts(hits[0].facts, v));
  CHECK(v.title == "The Usual Suspects");
  CHECK(view_int(v.year) == 1995);
  CHECK(view_int(v.runtime) == 106);

  // A new title and year: the old keys go, the new ones come with the new facts.
  s.change("tt1", {{"title", "Suspects"}, {"year", 1999}});
  CHECK(s.block({"usualsuspects"}, 1995).empty());
  hits = s.block({"suspects"}, 1999);
  REQUIRE(hits.size() == 1);
  REQUIRE(view_match_facts(hits[0].facts, v));
  CHECK(v.title == "Suspects");
  CHECK(view_int(v.runtime) == 106);  // kept from the first change

  // No year: never blocked.
  s.change("tt1", {{"year", nullptr}});
  CHECK(s.block({"suspects"}, 1999).empty());
}

TEST_CASE("the blocking keys are complete only when folded from the log's first event", "[match_models]") {
  Store folded;
  CHECK_FALSE(folded.complete());
  folded.change("tt1", {{"title", "Heat"}, {"year", 1995}});
  CHECK(folded.complete());

  Store later;  // a store whose matching model an earlier build folded up to here
  later.next_sequence = 7;
  later.change("tt1", {{"title", "Heat"}, {"year", 1995}});
  CHECK_FALSE(later.complete());
}

TEST_CASE("blocking reads the nearest years first when a key has more movies than the limit",
          "[match_models]") {
  Store s;
  s.change("tt1990", {{"title", "Love"}, {"year", 1990}});
  s.change("tt1991", {{"title", "Love"}, {"year", 1991}});
  s.change("tt1992", {{"title", "Love"}, {"year", 1992}});
  s.change("tt1993", {{"title", "Love"}, {"year", 1993}});
  s.change("tt1995", {{"title", "Love"}, {"year", 1995}});  // outside the window
  using Ids = std::vector<std::string>;
  // Room for the whole window: all of it (in key order; the matcher sorts by score).
  CHECK(s.ids({"love"}, 1992) == Ids{"tt1990", "tt1991", "tt1992", "tt1993"});
  CHECK(s.ids({"love"}, 1992, 4) == Ids{"tt1990", "tt1991", "tt1992", "tt1993"});
  // Not: the nearest years, the same year first, then the year before, the year after.
  CHECK(s.ids({"love"}, 1992, 2) == Ids{"tt1992", "tt1991"});
  CHECK(s.ids({"love"}, 1992, 3) == Ids{"tt1992", "tt1991", "tt1993"});
  // Each movie once, whichever of the keys found it; the first key fills first.
  s.change("tt2", {{"title", "Love Actually"}, {"year", 1992}});
  CHECK(s.ids({"loveactually", "love"}, 1992, 3) == Ids{"tt2", "tt1992", "tt1991"});
}

TEST_CASE("a window found too big is read year by year the next time, with the same hits",
          "[match_models]") {
  Store s;
  for (int year = 1990; year <= 1994; ++year)
    for (int i = 0; i < 3; ++i)
      s.change("tt" + std::to_string(year) + std::to_string(i), {{"title", "Love"}, {"year", year}});
  using Ids = std::vector<std::string>;
  auto sorted = [](Ids ids) {
    std::sort(ids.begin(), ids.end());
    return ids;
  };
  BigWindows big;
  auto first = s.ids({"love"}, 1992, 4, &big);  // 15 in the window: too big for 4
  CHECK(big.contains("love", 1992));
  CHECK_FALSE(big.contains("love", 1991));
  CHECK(first == s.ids({"love"}, 1992, 4));
  CHECK(s.ids({"love"}, 1992, 4, &big) == first);  // known too big: year by year at once
  // A window it knows as too big that fits after all (more room now): all of it.
  CHECK(sorted(s.ids({"love"}, 1992, 50, &big)) == sorted(s.ids({"love"}, 1992, 50)));
  CHECK(s.ids({"love"}, 1992, 50).size() == 15);
  // It forgets everything past its bound, and starts again.
  BigWindows full;
  for (std::size_t i = 0; i < BigWindows::kMax; ++i) full.add("k" + std::to_string(i), 2000);
  CHECK(full.contains("k0", 2000));
  full.add("one more", 2000);
  CHECK_FALSE(full.contains("k0", 2000));
  CHECK(full.contains("one more", 2000));
}

TEST_CASE("a movie known by many titles has its facts on its own title's keys only", "[match_models]") {
  Store s;
  json names = json::array();
  for (int i = 0; i < 40; ++i)
    names.push_back({{"title", "A Rather Long Localized Title Number " + std::to_string(i)}, {"region", "XX"}});
  s.change("tt1", {{"title", "Heat"}, {"year", 1995}, {"names", names}});
  auto own = s.block({"heat"}, 1995);
  REQUIRE(own.size() == 1);
  CHECK_FALSE(own[0].facts.empty());
  auto other = s.block({"ratherlonglocalizedtitlenumber7"}, 1995);
  REQUIRE(other.size() == 1);
  CHECK(other[0].movie_id == "tt1");
  CHECK(other[0].facts.empty());  // the reader looks the facts record up
  auto facts = MatchModels(*s.db).movie_facts_bytes("tt1");
  REQUIRE(facts);
  REQUIRE(*facts);
  CHECK(**facts != own[0].facts);  // the facts record keeps the names as well
}

TEST_CASE("a record's state, a person's decision and its own crosswalk come in one read as one by one",
          "[match_models]") {
  Store s;
  rocksdb::WriteBatch batch;
  auto* cf = s.db->cf(ColumnFamily::matching);
  batch.Put(cf, keys::matching_key(keys::kMatchState, "rt", "m/heat"),
            R"({"state":"matched","movie_id":"tt1","method":"title_year","sequence":3})");
  batch.Put(cf, keys::matching_key(keys::kMatchDecision, "rt", "m/heat"),
            R"({"movie_id":"tt2","by":"ann","why":"checked","sequence":4})");
  batch.Put(cf, keys::matching_key(keys::kMatchCrosswalk, "rt", "m/heat"),
            R"({"movie_id":"tt1","source":"rt","source_id":"m/heat","sequence":3})");
  REQUIRE(s.db->write(batch, false));
  MatchModels m(*s.db);
  for (auto id : {"m/heat", "m/none"}) {
    INFO(id);
    auto together = m.record_facts("rt", id, true);
    REQUIRE(together);
    auto state = m.state("rt", id);
    auto decision = m.decision("rt", id);
    auto crosswalk = m.crosswalk("rt", id);
    REQUIRE((state && decision && crosswalk));
    CHECK(together->state == *state);
    CHECK(together->decision == *decision);
    CHECK(together->crosswalk == *crosswalk);
    auto without = m.record_facts("rt", id, false);
    REQUIRE(without);
    CHECK(without->state == *state);
    CHECK_FALSE(without->crosswalk);
  }
  CHECK(m.record_facts("rt", "m/heat", true)->crosswalk == std::optional<std::string>("tt1"));
  CHECK_FALSE(m.record_facts("rt", "m/none", true)->state);
}

TEST_CASE("blocking through a held iterator reads the store as it was when the iterator was made",
          "[match_models]") {
  Store s;
  s.change("tt1", {{"title", "Heat"}, {"year", 1995}});
  MatchModels m(*s.db);
  m.hold_iterator();
  s.change("tt2", {{"title", "Heat"}, {"year", 1996}});
  BlockHits held;
  REQUIRE(m.block_facts({"heat"}, 1995, 2, 50, held));
  REQUIRE(held.size() == 1);
  CHECK(held.movie_id(0) == "tt1");
  BlockHits again;  // the same iterator for the next record
  REQUIRE(m.block_facts({"heat"}, 1996, 2, 50, again));
  CHECK(again.size() == 1);
  m.release_iterator();
  BlockHits fresh;
  REQUIRE(m.block_facts({"heat"}, 1995, 2, 50, fresh));
  CHECK(fresh.size() == 2);
}
