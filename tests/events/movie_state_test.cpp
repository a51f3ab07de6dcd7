// MovieState: the fold of one movie's stream, and aggregate(): the field rules that
// turn the sources' records into the golden record.

#include <catch2/catch.hpp>

#include <map>

#include "events/field_rules.hpp"
#include "events/movie_state.hpp"

using namespace moviec::events;
using nlohmann::json;

namespace {

SourceRecord record(std::string source, std::string source_id) {
  SourceRecord r;
  r.source = std::move(source);
  r.source_id = std::move(source_id);
  return r;
}

Event changed_event(const SourceRecord& r, std::uint64_t seq, std::uint64_t version,
                    std::string stream = "tt1") {
  Event e;
  e.type = EventType::source_record_changed;
  e.sequence = seq;
  e.version = version;
  e.stream = std::move(stream);
  e.source = r.source;
  e.data = to_data(SourceRecordChanged{r, r.fingerprint(), "", "test", std::nullopt, nullptr, 0});
  return e;
}

Event removed_event(const std::string& source, const std::string& source_id, std::uint64_t seq,
                    std::uint64_t version) {
  Event e;
  e.type = EventType::source_record_removed;
  e.sequence = seq;
  e.version = version;
  e.stream = "tt1";
  e.data = to_data(SourceRecordRemoved{source, source_id, ""});
  return e;
}

Event golden_event(std::vector<FieldChange> fields, std::uint64_t seq, std::uint64_t version,
                   std::uint32_t rules_version = 1) {
  Event e;
  e.type = EventType::movie_changed;
  e.sequence = seq;
  e.version = version;
  e.stream = "tt1";
  e.data = to_data(MovieChanged{rules_version, std::move(fields)});
  return e;
}

/// A state holding the given records with their sequences (0 = uncommitted).
MovieState state_with(const std::vector<std::pair<SourceRecord, std::uint64_t>>& entries) {
  MovieState s;
  s.movie_id = "tt1";
  for (auto& [r, seq] : entries)
    s.sources[SourceKey{r.source, r.source_id}] = SourceEntry{r, r.fingerprint(), seq};
  return s;
}

FieldRules rules_for(std::string field, Strategy strategy,
                     std::vector<std::string> priority = {"imdb", "movielens", "rt"},
                     OnEmpty on_empty = OnEmpty::keep) {
  FieldRules rules;
  rules.version = 4;
  FieldRule rule;
  rule.field = std::move(field);
  rule.strategy = strategy;
  rule.priority = std::move(priority);
  rule.on_empty = on_empty;
  rules.rules.push_back(std::move(rule));
  return rules;
}

const FieldChange* change_of(const std::vector<FieldChange>& changes, const std::string& field) {
  for (auto& c : changes)
    if (c.field == field) return &c;
  return nullptr;
}

/// Commits `changes` into `s` the way the movie actor does: a MovieChanged event.
void commit(MovieState& s, std::vector<FieldChange> changes, std::uint64_t seq) {
  s.apply(golden_event(std::move(changes), seq, s.version + 1));
}

}  // namespace

// --- the fold -------------------------------------------------------------------

TEST_CASE("folding a SourceRecordChanged stores the source's record and its sequence",
          "[events][state]") {
  auto r = record("imdb", "tt1");
  r.title = "Carmencita";
  MovieState s;
  s.apply(changed_event(r, 5, 1));
  CHECK(s.movie_id == "tt1");
  CHECK(s.version == 1);
  CHECK(s.last_sequence == 5);
  REQUIRE(s.sources.count({"imdb", "tt1"}) == 1);
  auto& entry = s.sources.at({"imdb", "tt1"});
  CHECK(entry.record == r);
  CHECK(entry.fingerprint == r.fingerprint());
  CHECK(entry.sequence == 5);
}

TEST_CASE("a newer record of the same source id replaces the older one", "[events][state]") {
  auto a = record("imdb", "tt1");
  a.title = "Old";
  auto b = a;
  b.title = "New";
  auto other = record("imdb", "tt1-alt");
  other.title = "Alternate";
  MovieState s;
  s.apply(changed_event(a, 1, 1));
  s.apply(changed_event(other, 2, 2));
  s.apply(changed_event(b, 3, 3));
  CHECK(s.sources.size() == 2);
  CHECK(s.sources.at({"imdb", "tt1"}).record.title == "New");
  CHECK(s.sources.at({"imdb", "tt1"}).sequence == 3);
  CHECK(s.sources.at({"imdb", "tt1-alt"}).record.title == "Alternate");
  CHECK(s.version == 3);
}

TEST_CASE("folding a SourceRecordRemoved drops only that record", "[events][state]") {
  MovieState s;
  s.apply(changed_event(record("imdb", "tt1"), 1, 1));
  s.apply(changed_event(record("movielens", "1"), 2, 2));
  s.apply(removed_event("imdb", "tt1", 3, 3));
  CHECK(s.sources.size() == 1);
  CHECK(s.sources.count({"movielens", "1"}) == 1);
  CHECK(s.version == 3);
  CHECK(s.last_sequence == 3);
}

TEST_CASE("folding a MovieChanged sets and clears golden fields with provenance",
          "[events][state]") {
  MovieState s;
  s.apply(golden_event({{"title", json(), "Toy Story", "imdb", "source_priority", 1},
                        {"year", json(), 1995, "imdb", "source_priority", 1}},
                       2, 1, 7));
  CHECK(s.rules_version == 7);
  REQUIRE(s.golden.count("title"));
  CHECK(s.golden.at("title").value == "Toy Story");
  CHECK(s.golden.at("title").source == "imdb");
  CHECK(s.golden.at("title").rule == "source_priority");
  CHECK(s.golden.at("title").sequence == 1);
  s.apply(golden_event({{"year", 1995, json(), "", "source_priority", 0}}, 3, 2, 8));
  CHECK(s.golden.count("year") == 0);
  CHECK(s.golden.count("title") == 1);
  CHECK(s.rules_version == 8);
}

TEST_CASE("a snapshot restores the same state", "[events][state]") {
  auto imdb = record("imdb", "tt1");
  imdb.title = "Amélie";
  imdb.year = 2001;
  imdb.genres = {"Comedy", "Romance"};
  imdb.crating_performance = 8.5;
  imdb.source_ratings = {Rating{"imdb", 8.3, 1, 10, 700000, 83}};
  auto ml = record("movielens", "4973");
  ml.title = "Amelie (Fabuleux destin d'Amélie Poulain, Le)";
  MovieState s;
  s.apply(changed_event(imdb, 10, 1));
  s.apply(changed_event(ml, 11, 2));
  s.apply(golden_event(aggregate(s, FieldRules::defaults()), 12, 3, 2));
  REQUIRE_FALSE(s.golden.empty());

  auto text = s.to_snapshot().dump();
  auto back = MovieState::from_snapshot(json::parse(text));
  CHECK(back.movie_id == "tt1");
  CHECK(back.version == 3);
  CHECK(back.last_sequence == 12);
  CHECK(back.rules_version == 2);
  REQUIRE(back.sources.size() == 2);
  CHECK(back.sources.at({"imdb", "tt1"}).record == imdb);
  CHECK(back.sources.at({"imdb", "tt1"}).sequence == 10);
  CHECK(back.sources.at({"movielens", "4973"}).fingerprint == ml.fingerprint());
  REQUIRE(back.golden.size() == s.golden.size());
  for (auto& [field, g] : s.golden) {
    INFO(field);
    REQUIRE(back.golden.count(field));
    CHECK(back.golden.at(field).value == g.value);
    CHECK(back.golden.at(field).source == g.source);
    CHECK(back.golden.at(field).rule == g.rule);
    CHECK(back.golden.at(field).sequence == g.sequence);
  }
  CHECK(back.to_snapshot() == s.to_snapshot());
  // A restored state aggregates exactly like the original: nothing to change.
  CHECK(aggregate(back, FieldRules::defaults()).empty());
}

TEST_CASE("an empty state snapshots and restores as empty", "[events][state]") {
  auto back = MovieState::from_snapshot(MovieState{}.to_snapshot());
  CHECK(back.movie_id.empty());
  CHECK(back.version == 0);
  CHECK(back.sources.empty());
  CHECK(back.golden.empty());
}

// --- aggregate: strategies ------------------------------------------------------

TEST_CASE("source_priority takes the first listed source with a value", "[events][rules]") {
  auto imdb = record("imdb", "tt1");
  imdb.title = "Toy Story";
  auto ml = record("movielens", "1");
  ml.title = "Toy Story (1995)";
  auto rt = record("rt", "toy_story");
  rt.title = "Toy Story!";
  auto s = state_with({{rt, 1}, {ml, 9}, {imdb, 2}});
  auto changes = aggregate(s, rules_for("title", Strategy::source_priority));
  REQUIRE(changes.size() == 1);
  CHECK(changes[0].field == "title");
  CHECK(changes[0].old_value.is_null());
  CHECK(changes[0].new_value == "Toy Story");
  CHECK(changes[0].source == "imdb");
  CHECK(changes[0].rule == "source_priority");
  CHECK(changes[0].caused_by == 2);
}

TEST_CASE("source_priority skips sources without a value", "[events][rules]") {
  auto imdb = record("imdb", "tt1");  // no year
  auto ml = record("movielens", "1");
  ml.year = 1995;
  auto changes = aggregate(state_with({{imdb, 1}, {ml, 2}}), rules_for("year", Strategy::source_priority));
  REQUIRE(changes.size() == 1);
  CHECK(changes[0].new_value == 1995);
  CHECK(changes[0].source == "movielens");
  CHECK(changes[0].caused_by == 2);
}

TEST_CASE("source_priority ranks unlisted sources after listed ones, by name", "[events][rules]") {
  auto zeta = record("zeta", "1");
  zeta.country_of_origin = "DE";
  auto alpha = record("alpha", "1");
  alpha.country_of_origin = "FR";
  auto rt = record("rt", "1");
  rt.country_of_origin = "US";
  auto rules = rules_for("country_of_origin", Strategy::source_priority);
  auto changes = aggregate(state_with({{zeta, 1}, {alpha, 2}}), rules);
  REQUIRE(changes.size() == 1);
  CHECK(changes[0].new_value == "FR");
  CHECK(changes[0].source == "alpha");
  changes = aggregate(state_with({{zeta, 1}, {alpha, 2}, {rt, 3}}), rules);
  REQUIRE(changes.size() == 1);
  CHECK(changes[0].source == "rt");
}

TEST_CASE("within one source the most recent record comes first", "[events][rules]") {
  auto older = record("imdb", "a");
  older.title = "Older";
  auto newer = record("imdb", "b");
  newer.title = "Newer";
  auto changes = aggregate(state_with({{older, 3}, {newer, 8}}), rules_for("title", Strategy::source_priority));
  REQUIRE(changes.size() == 1);
  CHECK(changes[0].new_value == "Newer");
  CHECK(changes[0].caused_by == 8);
}

TEST_CASE("highest_trust takes the most trusted source's value", "[events][rules]") {
  auto imdb = record("imdb", "tt1");
  imdb.runtime_minutes = 81;
  auto rt = record("rt", "1");
  rt.runtime_minutes = 80;
  auto ml = record("movielens", "1");
  ml.runtime_minutes = 79;
  auto rules = rules_for("runtime_minutes", Strategy::highest_trust);
  rules.trust = {{"rt", 0.9}, {"imdb", 0.5}};
  auto changes = aggregate(state_with({{imdb, 1}, {rt, 2}, {ml, 3}}), rules);
  REQUIRE(changes.size() == 1);
  CHECK(changes[0].new_value == 80);
  CHECK(changes[0].source == "rt");
  CHECK(changes[0].rule == "highest_trust");
  CHECK(changes[0].caused_by == 2);

  SECTION("a trusted source without a value is skipped") {
    rt.runtime_minutes.reset();
    changes = aggregate(state_with({{imdb, 1}, {rt, 2}, {ml, 3}}), rules);
    REQUIRE(changes.size() == 1);
    CHECK(changes[0].new_value == 81);
    CHECK(changes[0].source == "imdb");
  }
  SECTION("equal trust falls back to the priority order") {
    rules.trust = {{"rt", 0.5}, {"imdb", 0.5}, {"movielens", 0.5}};
    changes = aggregate(state_with({{imdb, 1}, {rt, 2}, {ml, 3}}), rules);
    REQUIRE(changes.size() == 1);
    CHECK(changes[0].source == "imdb");
  }
}

TEST_CASE("most_recent takes the value of the latest committed record", "[events][rules]") {
  auto imdb = record("imdb", "tt1");
  imdb.registration_date = "1995-01-01";
  auto ml = record("movielens", "1");
  ml.registration_date = "1996-02-02";
  auto rt = record("rt", "1");
  rt.registration_date = "1994-03-03";
  auto rules = rules_for("registration_date", Strategy::most_recent);
  auto changes = aggregate(state_with({{imdb, 5}, {ml, 9}, {rt, 7}}), rules);
  REQUIRE(changes.size() == 1);
  CHECK(changes[0].new_value == "1996-02-02");
  CHECK(changes[0].source == "movielens");
  CHECK(changes[0].rule == "most_recent");
  CHECK(changes[0].caused_by == 9);

  SECTION("an uncommitted record is the most recent of all") {
    changes = aggregate(state_with({{imdb, 5}, {ml, 9}, {rt, 0}}), rules);
    REQUIRE(changes.size() == 1);
    CHECK(changes[0].new_value == "1994-03-03");
    CHECK(changes[0].caused_by == 0);
  }
}

TEST_CASE("union merges lists in priority order without duplicates", "[events][rules]") {
  auto imdb = record("imdb", "tt1");
  imdb.genres = {"Animation", "Comedy"};
  auto ml = record("movielens", "1");
  ml.genres = {"Children", "Comedy", "Animation", "Fantasy"};
  auto other = record("other", "1");  // no genres: not a contributor
  auto changes = aggregate(state_with({{ml, 4}, {imdb, 6}, {other, 9}}), rules_for("genres", Strategy::union_lists));
  REQUIRE(changes.size() == 1);
  CHECK(changes[0].new_value == json{"Animation", "Comedy", "Children", "Fantasy"});
  CHECK(changes[0].source == "imdb,movielens");
  CHECK(changes[0].rule == "union");
  CHECK(changes[0].caused_by == 6);  // the newest contributor
}

TEST_CASE("posters and trailers are golden lists with provenance, by the default rules", "[events][rules]") {
  const std::string stored = "/assets/" + std::string(64, 'c');
  auto studio = record("studio", "1");
  studio.posters = {stored, "https://example.org/b.jpg"};
  studio.trailers = {"https://example.org/t.mp4"};
  auto ml = record("movielens", "1");
  ml.posters = {"https://example.org/b.jpg", "https://example.org/c.jpg"};
  auto changes = aggregate(state_with({{studio, 3}, {ml, 5}}), FieldRules::defaults());
  std::map<std::string, moviec::events::FieldChange> by_field;
  for (auto& c : changes) by_field[c.field] = c;
  REQUIRE(by_field.count("posters"));
  CHECK(by_field["posters"].new_value == json{"https://example.org/b.jpg", "https://example.org/c.jpg", stored});
  CHECK(by_field["posters"].source == "movielens,studio");  // listed sources first, then the rest
  CHECK(by_field["posters"].rule == "union");
  CHECK(by_field["posters"].caused_by == 5);
  REQUIRE(by_field.count("trailers"));
  CHECK(by_field["trailers"].new_value == json{"https://example.org/t.mp4"});
  CHECK(by_field["trailers"].source == "studio");
  CHECK(by_field["trailers"].caused_by == 3);
}

TEST_CASE("union of maps lets the first source to name a key keep it", "[events][rules]") {
  auto imdb = record("imdb", "tt1");
  imdb.external_ids = {{"imdb", "tt0114709"}};
  auto ml = record("movielens", "1");
  ml.external_ids = {{"imdb", "tt9999999"}, {"tmdb", "862"}};
  auto changes = aggregate(state_with({{imdb, 3}, {ml, 2}}), rules_for("external_ids", Strategy::union_lists));
  REQUIRE(changes.size() == 1);
  CHECK(changes[0].new_value == json{{"imdb", "tt0114709"}, {"tmdb", "862"}});
  CHECK(changes[0].caused_by == 3);
}

TEST_CASE("union of localized names compares whole names", "[events][rules]") {
  auto imdb = record("imdb", "tt1");
  imdb.names = {LocalizedName{"Toy Story", "US", "en", true}};
  auto ml = record("movielens", "1");
  ml.names = {LocalizedName{"Toy Story", "US", "en", true}, LocalizedName{"Toy Story", "GB", "en", false}};
  auto changes = aggregate(state_with({{imdb, 1}, {ml, 2}}), rules_for("names", Strategy::union_lists));
  REQUIRE(changes.size() == 1);
  REQUIRE(changes[0].new_value.size() == 2);
  CHECK(changes[0].new_value[1]["region"] == "GB");
}

TEST_CASE("per_source keeps one rating per rating name with the source that gave it",
          "[events][rules]") {
  auto imdb = record("imdb", "tt1");
  imdb.source_ratings = {Rating{"imdb", 8.3, 1, 10, 1000, 83}};
  auto rt = record("rt", "1");
  rt.source_ratings = {Rating{"tomatometer", 100, 0, 100, 0, 100}, Rating{"audience", 92, 0, 100, 0, 92}};
  auto ml = record("movielens", "1");
  ml.source_ratings = {Rating{"", 3.9, 0.5, 5, 50000, 78}, Rating{"imdb", 1, 1, 10, 1, 10}};
  auto changes = aggregate(state_with({{imdb, 1}, {rt, 2}, {ml, 3}}), rules_for("ratings", Strategy::per_source));
  REQUIRE(changes.size() == 1);
  auto& v = changes[0].new_value;
  REQUIRE(v.is_object());
  CHECK(v.size() == 4);
  CHECK(v["imdb"]["value"] == 8.3);  // imdb's own, not movielens' copy of the name
  CHECK(v["imdb"]["source"] == "imdb");
  CHECK(v["tomatometer"]["source"] == "rt");
  CHECK(v["audience"]["normalized"] == 92);
  CHECK(v["movielens"]["value"] == 3.9);  // an unnamed rating is keyed by its source
  CHECK(v["movielens"]["votes"] == 50000);
  // A rating the source gives no count for has no votes key (not "votes": 0).
  CHECK_FALSE(v["tomatometer"].contains("votes"));
  CHECK_FALSE(v["audience"].contains("votes"));
  CHECK(v["imdb"]["votes"] == 1000);
  CHECK(changes[0].source == "imdb,movielens,rt");
  CHECK(changes[0].rule == "per_source");
  CHECK(changes[0].caused_by == 3);
}

TEST_CASE("weighted_mean averages the sources' numbers with their weights", "[events][rules]") {
  auto imdb = record("imdb", "tt1");
  imdb.crating_performance = 8;
  auto ml = record("movielens", "1");
  ml.crating_performance = 5;
  auto rt = record("rt", "1");
  rt.crating_performance = 2;
  auto rules = rules_for("crating_performance", Strategy::weighted_mean);
  rules.rules[0].weights = {{"imdb", 2}, {"rt", 0}};  // movielens defaults to 1
  auto changes = aggregate(state_with({{imdb, 1}, {ml, 2}, {rt, 3}}), rules);
  REQUIRE(changes.size() == 1);
  CHECK(changes[0].new_value.get<double>() == Approx(7.0));  // (2*8 + 5) / 3
  CHECK(changes[0].source == "imdb,movielens");              // rt weighs nothing
  CHECK(changes[0].rule == "weighted_mean");
  CHECK(changes[0].caused_by == 2);
}

TEST_CASE("weighted_mean rounds to two decimals", "[events][rules]") {
  auto a = record("imdb", "tt1");
  a.crating_soundtrack = 7;
  auto b = record("movielens", "1");
  b.crating_soundtrack = 8;
  auto c = record("rt", "1");
  c.crating_soundtrack = 8;
  auto changes = aggregate(state_with({{a, 1}, {b, 2}, {c, 3}}), rules_for("crating_soundtrack", Strategy::weighted_mean));
  REQUIRE(changes.size() == 1);
  CHECK(changes[0].new_value.get<double>() == 7.67);
}

TEST_CASE("weighted_mean with no numbers is an empty result", "[events][rules]") {
  auto a = record("imdb", "tt1");
  auto changes = aggregate(state_with({{a, 1}}), rules_for("crating_screenplay", Strategy::weighted_mean));
  CHECK(changes.empty());
}

// --- aggregate: empty results, no-ops and causation -----------------------------

TEST_CASE("on_empty keep leaves the old golden value when no source has one", "[events][rules]") {
  auto imdb = record("imdb", "tt1");
  imdb.title = "Toy Story";
  auto s = state_with({{imdb, 1}});
  auto rules = rules_for("title", Strategy::source_priority, {"imdb"}, OnEmpty::keep);
  commit(s, aggregate(s, rules), 2);
  REQUIRE(s.golden.count("title"));
  s.apply(removed_event("imdb", "tt1", 3, s.version + 1));
  CHECK(aggregate(s, rules).empty());
}

TEST_CASE("on_empty clear empties the golden field when no source has a value",
          "[events][rules]") {
  auto imdb = record("imdb", "tt1");
  imdb.title = "Toy Story";
  auto s = state_with({{imdb, 1}});
  auto rules = rules_for("title", Strategy::source_priority, {"imdb"}, OnEmpty::clear);
  commit(s, aggregate(s, rules), 2);
  s.apply(removed_event("imdb", "tt1", 3, s.version + 1));
  auto changes = aggregate(s, rules);
  REQUIRE(changes.size() == 1);
  CHECK(changes[0].field == "title");
  CHECK(changes[0].old_value == "Toy Story");
  CHECK(changes[0].new_value.is_null());
  CHECK(changes[0].rule == "source_priority");
  commit(s, changes, 4);
  CHECK(s.golden.count("title") == 0);
  CHECK(aggregate(s, rules).empty());  // clearing an empty field is no change
}

TEST_CASE("a record with an empty title offers no title", "[events][rules]") {
  auto imdb = record("imdb", "tt1");  // title "" and no genres
  auto ml = record("movielens", "1");
  ml.title = "From MovieLens";
  auto changes = aggregate(state_with({{imdb, 1}, {ml, 2}}), rules_for("title", Strategy::source_priority));
  REQUIRE(changes.size() == 1);
  CHECK(changes[0].new_value == "From MovieLens");
}

TEST_CASE("aggregate reports nothing when the golden record already holds the result",
          "[events][rules]") {
  auto imdb = record("imdb", "tt1");
  imdb.title = "Toy Story";
  imdb.year = 1995;
  imdb.genres = {"Animation"};
  auto s = state_with({{imdb, 1}});
  auto rules = FieldRules::defaults();
  auto first = aggregate(s, rules);
  CHECK(change_of(first, "title"));
  CHECK(change_of(first, "year"));
  CHECK(change_of(first, "genres"));
  CHECK_FALSE(change_of(first, "runtime_minutes"));
  commit(s, first, 2);
  CHECK(aggregate(s, rules).empty());
  // Through a decoded snapshot too, where numbers come back from text.
  auto restored = MovieState::from_snapshot(json::parse(s.to_snapshot().dump()));
  CHECK(aggregate(restored, rules).empty());
}

TEST_CASE("a changed value reports the old and the new value", "[events][rules]") {
  auto imdb = record("imdb", "tt1");
  imdb.title = "Toy Story";
  auto s = state_with({{imdb, 1}});
  auto rules = rules_for("title", Strategy::source_priority);
  commit(s, aggregate(s, rules), 2);
  imdb.title = "Toy Story (Special Edition)";
  s.apply(changed_event(imdb, 3, s.version + 1));
  auto changes = aggregate(s, rules);
  REQUIRE(changes.size() == 1);
  CHECK(changes[0].old_value == "Toy Story");
  CHECK(changes[0].new_value == "Toy Story (Special Edition)");
  CHECK(changes[0].caused_by == 3);
}

TEST_CASE("a value supplied by an uncommitted entry has caused_by 0", "[events][rules]") {
  auto imdb = record("imdb", "tt1");
  imdb.title = "Toy Story";
  imdb.genres = {"Animation"};
  auto ml = record("movielens", "1");
  ml.genres = {"Children"};
  ml.crating_performance = 6;
  imdb.crating_performance = 8;
  // imdb committed at 4; movielens is the record being ingested right now.
  auto s = state_with({{imdb, 4}, {ml, 0}});
  auto changes = aggregate(s, FieldRules::defaults());
  REQUIRE(change_of(changes, "title"));
  CHECK(change_of(changes, "title")->caused_by == 4);  // imdb's committed value
  REQUIRE(change_of(changes, "genres"));
  CHECK(change_of(changes, "genres")->caused_by == 0);  // a contributor is uncommitted
  REQUIRE(change_of(changes, "crating_performance"));
  CHECK(change_of(changes, "crating_performance")->caused_by == 0);
  CHECK(change_of(changes, "crating_performance")->new_value.get<double>() == Approx(7.0));

  auto only_new = state_with({{ml, 0}});
  auto c2 = aggregate(only_new, rules_for("genres", Strategy::source_priority));
  REQUIRE(c2.size() == 1);
  CHECK(c2[0].caused_by == 0);
}

TEST_CASE("fields without a rule are never aggregated", "[events][rules]") {
  auto imdb = record("imdb", "tt1");
  imdb.title = "Toy Story";
  imdb.year = 1995;
  auto changes = aggregate(state_with({{imdb, 1}}), rules_for("year", Strategy::source_priority));
  REQUIRE(changes.size() == 1);
  CHECK(changes[0].field == "year");
}

TEST_CASE("the default rules cover every golden field", "[events][rules]") {
  auto rules = FieldRules::defaults();
  for (auto& field : golden_fields()) {
    INFO(field);
    REQUIRE(rules.find(field));
    CHECK(rules.find(field)->field == field);
  }
  CHECK(rules.find("ratings")->strategy == Strategy::per_source);
  CHECK(rules.find("genres")->strategy == Strategy::union_lists);
  CHECK(rules.find("nonexistent") == nullptr);
}

TEST_CASE("strategy names and strategies map one to one", "[events][rules]") {
  for (auto s : {Strategy::source_priority, Strategy::highest_trust, Strategy::most_recent,
                 Strategy::union_lists, Strategy::per_source, Strategy::weighted_mean}) {
    auto back = strategy_from_name(strategy_name(s));
    REQUIRE(back);
    CHECK(*back == s);
  }
  CHECK(strategy_name(Strategy::union_lists) == "union");
  CHECK_FALSE(strategy_from_name("union_lists"));
}

TEST_CASE("field_value reads every golden field from a record", "[events][rules]") {
  auto r = record("imdb", "tt1");
  for (auto& field : golden_fields()) CHECK(field_value(r, field).is_null());
  r.title = "T";
  r.year = 2000;
  r.runtime_minutes = 90;
  r.genres = {"Drama"};
  r.names = {LocalizedName{"T", "US", "", false}};
  r.source_ratings = {Rating{"imdb", 7, 1, 10, 1, 70}};
  r.country_of_origin = "US";
  r.registration_date = "2000-01-01";
  r.crating_performance = 1;
  r.crating_soundtrack = 2;
  r.crating_screenplay = 3;
  r.external_ids = {{"imdb", "tt1"}};
  r.posters = {"https://example.org/p.png"};
  r.trailers = {"/assets/" + std::string(64, 'b')};
  for (auto& field : golden_fields()) {
    INFO(field);
    CHECK_FALSE(field_value(r, field).is_null());
  }
  CHECK(field_value(r, "year") == 2000);
  CHECK(field_value(r, "crating_screenplay") == 3.0);
  CHECK(field_value(r, "external_ids") == json{{"imdb", "tt1"}});
  CHECK(field_value(r, "posters") == json{"https://example.org/p.png"});
  CHECK(field_value(r, "no_such_field").is_null());
}
