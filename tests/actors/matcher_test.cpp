// The matcher between sources and movies (actors/matcher.hpp): each decision an
// event, unmatched records kept and resolved later, crosswalks, a person's link
// and "no match", and the matching read model that the match report reads.

#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <set>

#include "actors/matcher.hpp"
#include "actors/runtime.hpp"
#include "actors/source.hpp"
#include "events/matching.hpp"
#include "store/match_models.hpp"
#include "store/verify.hpp"
#include "support/actor_helpers.hpp"
#include "support/temp_dir.hpp"

using namespace moviec;
using moviec::test::TempDir;
using moviec::test::test_config;
using moviec::test::VectorReader;
using moviec::test::run_source;
using nlohmann::json;
namespace matching = events::matching;

namespace {

/// What Runtime::ingest does, for records made here: through the matcher, then the
/// read models, then a resolve pass; returns when the read models show it all.
/// `max_in_flight` 8 sends batches of 2 (decided on the matcher's thread); 256, of 64.
actors::IngestSummary ingest_and_resolve(actors::Runtime& rt, std::vector<events::SourceRecord> records,
                                         std::size_t max_in_flight = 8) {
  auto result = run_source(rt, rt.matcher(), std::move(records), max_in_flight);
  REQUIRE(rt.wait_for_read_models());
  auto resolved = rt.resolve_unmatched();
  REQUIRE(resolved);
  result.resolved = resolved->resolved;
  REQUIRE(rt.wait_for_read_models());
  return result;
}

events::SourceRecord imdb(const std::string& tt, const std::string& title, int year,
                          std::optional<int> runtime = std::nullopt) {
  events::SourceRecord r;
  r.source = "imdb";
  r.source_id = tt;
  r.movie_id = tt;
  r.title = title;
  r.year = year;
  r.runtime_minutes = runtime;
  r.external_ids["imdb"] = tt;
  return r;
}

events::SourceRecord titled(const std::string& source, const std::string& id, const std::string& title,
                            std::optional<int> year) {
  events::SourceRecord r;
  r.source = source;
  r.source_id = id;
  r.title = title;
  r.year = year;
  return r;
}

json state_of(actors::Runtime& rt, const std::string& source, const std::string& id) {
  auto s = store::MatchModels(rt.db()).state(source, id);
  REQUIRE(s);
  return s->value_or(json());
}

json report_of(actors::Runtime& rt, const std::string& source) {
  auto r = store::MatchModels(rt.db()).report(source);
  REQUIRE(r);
  return *r;
}

/// The events of a stream, oldest first.
std::vector<events::Event> stream(actors::Runtime& rt, const std::string& name) {
  std::vector<events::Event> out;
  REQUIRE(rt.log().read_stream(name, 1, [&](const events::Event& e) {
    out.push_back(e);
    return true;
  }));
  return out;
}

bool movie_holds(actors::Runtime& rt, const std::string& movie, const std::string& source,
                 const std::string& id) {
  auto doc = store::ReadModels(rt.db()).movie(movie);
  if (!doc) return false;
  for (auto& ref : (*doc)["sources"])
    if (ref["source"] == source && ref["source_id"] == id) return true;
  return false;
}

void check_verified(actors::Runtime& rt, const TempDir& dir) {
  REQUIRE(rt.wait_for_read_models());
  auto report = store::verify(rt.db(), rt.log(), (dir / "verify").string());
  INFO((report.problems.empty() ? "" : report.problems.front()));
  CHECK(report.ok());
}

}  // namespace

TEST_CASE("a record without a movie id joins the one movie with its title and year", "[matcher]") {
  TempDir dir;
  auto rt = actors::Runtime::open(test_config(dir)).take();
  ingest_and_resolve(*rt, {imdb("tt0114814", "The Usual Suspects", 1995, 106),
                           imdb("tt0064505", "The Italian Job", 1969, 99),
                           imdb("tt0317740", "The Italian Job", 2003, 111)});
  auto summary = ingest_and_resolve(*rt, {titled("movielens", "50", "Usual Suspects, The", 1995),
                                          titled("movielens", "2", "Italian Job, The", 2003)});
  CHECK(summary.unmatched == 0);
  CHECK(movie_holds(*rt, "tt0114814", "movielens", "50"));
  CHECK(movie_holds(*rt, "tt0317740", "movielens", "2"));  // the remake, by its year
  CHECK_FALSE(movie_holds(*rt, "tt0064505", "movielens", "2"));

  events::SourceRecordChanged changed;
  for (auto& e : stream(*rt, "tt0114814"))
    if (e.type == events::EventType::source_record_changed && e.source == "movielens")
      changed = events::source_record_changed(e);
  CHECK(changed.record.source_id == "50");
  CHECK(changed.match_method == matching::kTitleYear);
  CHECK(changed.match_confidence == Approx(0.992));
  REQUIRE(changed.match_candidates.is_array());
  CHECK(changed.match_candidates[0]["movie_id"] == "tt0114814");

  auto state = state_of(*rt, "movielens", "50");
  CHECK(state["state"] == "matched");
  CHECK(state["method"] == "title_year");
  auto report = report_of(*rt, "movielens");
  CHECK(report["records"] == 2);
  CHECK(report["by_method"]["title_year"] == 2);
  CHECK(report["match_rate"] == 100.0);
  CHECK(report_of(*rt, "imdb")["by_method"]["source_movie_id"] == 3);
  check_verified(*rt, dir);
}

TEST_CASE("a year off by one still matches a single candidate, with less confidence", "[matcher]") {
  TempDir dir;
  auto rt = actors::Runtime::open(test_config(dir)).take();
  ingest_and_resolve(*rt, {imdb("tt0110413", "Léon: The Professional", 1994)});
  // vega mojibake, a year later
  ingest_and_resolve(*rt, {titled("vega", "leon", "L\xc3\x88on: The Professional", 1995)});
  auto state = state_of(*rt, "vega", "leon");
  CHECK(state["movie_id"] == "tt0110413");
  CHECK(state["confidence"] == Approx(0.958));  // 4.5 bits
}

TEST_CASE("two movies with the same title and year leave the record unmatched as ambiguous", "[matcher]") {
  TempDir dir;
  auto rt = actors::Runtime::open(test_config(dir)).take();
  ingest_and_resolve(*rt, {imdb("tt1", "Hamlet", 1990), imdb("tt2", "Hamlet", 1990)});
  auto summary = ingest_and_resolve(*rt, {titled("rotten_tomatoes", "m/hamlet", "Hamlet", 1990)});
  CHECK(summary.unmatched == 1);
  auto entry = store::MatchModels(rt->db()).unmatched("rotten_tomatoes", "m/hamlet");
  REQUIRE(entry);
  REQUIRE(entry->has_value());
  CHECK((**entry)["reason"] == "ambiguous");
  CHECK((**entry)["candidates"].size() == 2);
  CHECK((**entry)["record"]["title"] == "Hamlet");  // the record is kept whole
  CHECK(report_of(*rt, "rotten_tomatoes")["ambiguous"] == 1);

  // The unmatched record is an event in the source's stream, with its reason.
  auto events = stream(*rt, matching::source_stream("rotten_tomatoes"));
  REQUIRE(events.size() == 1);
  CHECK(events[0].type == events::EventType::source_record_unmatched);
  CHECK(events::source_record_unmatched(events[0]).reason == "ambiguous");

  // A runtime tells them apart.
  auto with_runtime = titled("rotten_tomatoes", "m/hamlet", "Hamlet", 1990);
  with_runtime.runtime_minutes = 134;
  ingest_and_resolve(*rt, {imdb("tt1", "Hamlet", 1990, 134), imdb("tt2", "Hamlet", 1990, 60)});
  ingest_and_resolve(*rt, {with_runtime});
  CHECK(state_of(*rt, "rotten_tomatoes", "m/hamlet")["movie_id"] == "tt1");
  CHECK(report_of(*rt, "rotten_tomatoes")["ambiguous"] == 0);
  check_verified(*rt, dir);
}

TEST_CASE("a record with no candidate or no year is kept unmatched with its reason", "[matcher]") {
  TempDir dir;
  auto rt = actors::Runtime::open(test_config(dir)).take();
  ingest_and_resolve(*rt, {imdb("tt1", "Heat", 1995)});
  auto summary = ingest_and_resolve(*rt, {titled("vega", "a", "Nothing Like It", 2001),
                                          titled("vega", "b", "Heat", std::nullopt),
                                          titled("vega", "c", "Heat", 1999)});
  CHECK(summary.unmatched == 3);
  store::MatchModels models(rt->db());
  CHECK((**models.unmatched("vega", "a"))["reason"] == "no_candidates");
  CHECK((**models.unmatched("vega", "b"))["reason"] == "no_year");
  CHECK((**models.unmatched("vega", "c"))["reason"] == "no_candidates");  // 4 years apart
  auto report = report_of(*rt, "vega");
  CHECK(report["records"] == 3);
  CHECK(report["unmatched"] == 3);
  CHECK(report["match_rate"] == 0.0);

  // The same records again: nothing new is appended.
  auto last = rt->log().last_sequence();
  auto again = ingest_and_resolve(*rt, {titled("vega", "a", "Nothing Like It", 2001)});
  CHECK(again.unchanged == 1);
  CHECK(rt->log().last_sequence() == last);

  auto page = models.unmatched_page("vega", 2, "", "");
  REQUIRE(page);
  CHECK(page->records.size() == 2);
  CHECK(page->next_cursor == "b");
  auto rest = models.unmatched_page("vega", 2, page->next_cursor, "");
  REQUIRE(rest);
  CHECK(rest->records.size() == 1);
  CHECK(rest->next_cursor.empty());
}

TEST_CASE("a movie that arrives later resolves an earlier unmatched record", "[matcher]") {
  TempDir dir;
  auto rt = actors::Runtime::open(test_config(dir)).take();
  ingest_and_resolve(*rt, {titled("rotten_tomatoes", "m/toy_story", "Toy Story", 1995)});
  CHECK(report_of(*rt, "rotten_tomatoes")["unmatched"] == 1);
  auto unmatched_seq = rt->log().last_sequence();

  auto summary = ingest_and_resolve(*rt, {imdb("tt0114709", "Toy Story", 1995)});
  CHECK(summary.resolved == 1);
  CHECK(movie_holds(*rt, "tt0114709", "rotten_tomatoes", "m/toy_story"));
  auto report = report_of(*rt, "rotten_tomatoes");
  CHECK(report["unmatched"] == 0);
  CHECK(report["by_method"]["title_year"] == 1);
  auto entry = store::MatchModels(rt->db()).unmatched("rotten_tomatoes", "m/toy_story");
  REQUIRE(entry);
  CHECK_FALSE(entry->has_value());

  // The resolution is an event caused by the unmatched record's event.
  bool found = false;
  for (auto& e : stream(*rt, "tt0114709"))
    if (e.type == events::EventType::source_record_changed && e.source == "rotten_tomatoes") {
      found = true;
      CHECK(e.causation_seq == unmatched_seq);
      CHECK(e.causation == "resolve");
    }
  CHECK(found);
  check_verified(*rt, dir);
}

TEST_CASE("ids a record carries or another record taught place it (crosswalks)", "[matcher]") {
  TempDir dir;
  auto rt = actors::Runtime::open(test_config(dir)).take();
  // A TMDB record first: nothing knows tmdb 862 yet, and it has no year.
  auto tmdb = titled("tmdb", "862", "Toy Story", std::nullopt);
  ingest_and_resolve(*rt, {tmdb});
  CHECK(report_of(*rt, "tmdb")["unmatched"] == 1);

  // A MovieLens record with its links row: movie id and tmdb id (a crosswalk).
  auto ml = titled("movielens", "1", "Toy Story", 1995);
  ml.movie_id = "tt0114709";
  ml.external_ids = {{"imdb", "tt0114709"}, {"tmdb", "862"}, {"movielens", "1"}};
  auto summary = ingest_and_resolve(*rt, {ml});
  CHECK(summary.resolved == 1);  // the TMDB record, by the id MovieLens taught
  CHECK(state_of(*rt, "movielens", "1")["method"] == "external_id");
  CHECK(state_of(*rt, "tmdb", "862")["method"] == "crosswalk");
  CHECK(movie_holds(*rt, "tt0114709", "tmdb", "862"));

  // Another source naming the tmdb id, and a record carrying only an IMDb id.
  auto other = titled("justwatch", "jw-1", "Toy Story (1995)", std::nullopt);
  other.external_ids["tmdb"] = "862";
  auto with_imdb = titled("vega", "v-1", "Something Else Entirely", 1990);
  with_imdb.external_ids["imdb"] = "tt0114709";
  ingest_and_resolve(*rt, {other, with_imdb});
  CHECK(state_of(*rt, "justwatch", "jw-1")["method"] == "crosswalk");
  CHECK(state_of(*rt, "vega", "v-1")["method"] == "external_id");
  CHECK(state_of(*rt, "vega", "v-1")["movie_id"] == "tt0114709");
  check_verified(*rt, dir);
}

TEST_CASE("a changed record stays in the movie it was matched to", "[matcher]") {
  TempDir dir;
  auto rt = actors::Runtime::open(test_config(dir)).take();
  ingest_and_resolve(*rt, {imdb("tt1", "Heat", 1995), imdb("tt2", "Heat and Dust", 1983)});
  ingest_and_resolve(*rt, {titled("vega", "h", "Heat", 1995)});
  REQUIRE(state_of(*rt, "vega", "h")["movie_id"] == "tt1");
  auto decided = state_of(*rt, "vega", "h")["decided"];
  // The source now spells the title differently: the earlier match stands.
  ingest_and_resolve(*rt, {titled("vega", "h", "Heat and Dust", 1983)});
  auto state = state_of(*rt, "vega", "h");
  CHECK(state["movie_id"] == "tt1");
  CHECK(state["method"] == "title_year");
  CHECK(state["decided"] == decided);
  CHECK_FALSE(movie_holds(*rt, "tt2", "vega", "h"));
}

TEST_CASE("a person links an unmatched record, and says no match for a matched one", "[matcher]") {
  TempDir dir;
  auto rt = actors::Runtime::open(test_config(dir)).take();
  ingest_and_resolve(*rt, {imdb("tt1", "Hamlet", 1990), imdb("tt2", "Hamlet", 1990), imdb("tt3", "Heat", 1995)});
  ingest_and_resolve(*rt, {titled("vega", "hamlet", "Hamlet", 1990), titled("vega", "heat", "Heat", 1995)});
  REQUIRE(report_of(*rt, "vega")["ambiguous"] == 1);

  // Link the ambiguous one.
  auto linked = rt->link({"vega", "hamlet", "tt2", "alice", "same director", "req-1"});
  REQUIRE(linked);
  CHECK(linked->record_known);
  CHECK(linked->applied);
  REQUIRE(rt->wait_for_read_models());
  CHECK(movie_holds(*rt, "tt2", "vega", "hamlet"));
  CHECK(state_of(*rt, "vega", "hamlet")["method"] == "manual");
  auto link_event = rt->log().read(linked->sequence);
  REQUIRE(link_event);
  auto payload = events::source_record_linked(*link_event);
  CHECK(payload.by == "alice");
  CHECK(payload.why == "same director");
  CHECK(link_event->correlation == "req-1");

  // "No match" for the one matched by title: it leaves its movie and stays out.
  auto no_match = rt->link({"vega", "heat", "", "bob", "a TV special", "req-2"});
  REQUIRE(no_match);
  CHECK(no_match->previous_movie == "tt3");
  REQUIRE(rt->wait_for_read_models());
  CHECK_FALSE(movie_holds(*rt, "tt3", "vega", "heat"));
  auto entry = store::MatchModels(rt->db()).unmatched("vega", "heat");
  REQUIRE(entry);
  REQUIRE(entry->has_value());
  CHECK((**entry)["reason"] == "no_match");
  CHECK((**entry)["message"] == "a person said no match: bob: a TV special");
  auto removed = stream(*rt, "tt3");
  CHECK(std::any_of(removed.begin(), removed.end(), [&](auto& e) {
    return e.type == events::EventType::source_record_removed && e.causation_seq == no_match->sequence;
  }));

  // Neither a resolve pass nor a changed version brings it back.
  auto resolved = rt->resolve_unmatched();
  REQUIRE(resolved);
  CHECK(resolved->resolved == 0);
  auto changed = titled("vega", "heat", "Heat", 1995);
  changed.runtime_minutes = 170;
  ingest_and_resolve(*rt, {changed});
  CHECK_FALSE(movie_holds(*rt, "tt3", "vega", "heat"));
  auto report = report_of(*rt, "vega");
  CHECK(report["no_match"] == 1);
  CHECK(report["by_method"]["manual"] == 1);
  CHECK(report["records"] == 2);

  // A link moves a matched record from one movie to another.
  auto moved = rt->link({"vega", "hamlet", "tt1", "carol", "alice was wrong", "req-3"});
  REQUIRE(moved);
  CHECK(moved->previous_movie == "tt2");
  REQUIRE(rt->wait_for_read_models());
  CHECK(movie_holds(*rt, "tt1", "vega", "hamlet"));
  CHECK_FALSE(movie_holds(*rt, "tt2", "vega", "hamlet"));
  check_verified(*rt, dir);
}

TEST_CASE("a link is refused for an unknown movie or without who and why", "[matcher]") {
  TempDir dir;
  auto rt = actors::Runtime::open(test_config(dir)).take();
  ingest_and_resolve(*rt, {imdb("tt1", "Heat", 1995)});
  auto unknown = rt->link({"vega", "x", "tt999", "alice", "because", ""});
  REQUIRE_FALSE(unknown);
  CHECK(unknown.status().code() == Status::Code::not_found);
  auto nobody = rt->link({"vega", "x", "tt1", "", "because", ""});
  REQUIRE_FALSE(nobody);
  CHECK(nobody.status().code() == Status::Code::invalid_argument);
  auto no_reason = rt->link({"vega", "x", "tt1", "alice", "", ""});
  REQUIRE_FALSE(no_reason);
  CHECK(no_reason.status().code() == Status::Code::invalid_argument);
}

TEST_CASE("a link made before the record arrives places it when it comes", "[matcher]") {
  TempDir dir;
  auto rt = actors::Runtime::open(test_config(dir)).take();
  ingest_and_resolve(*rt, {imdb("tt1", "Heat", 1995)});
  auto early = rt->link({"vega", "later", "tt1", "alice", "known in advance", ""});
  REQUIRE(early);
  CHECK_FALSE(early->record_known);
  ingest_and_resolve(*rt, {titled("vega", "later", "A Title Nobody Matches", 2020)});
  CHECK(movie_holds(*rt, "tt1", "vega", "later"));
  CHECK(state_of(*rt, "vega", "later")["method"] == "manual");
}

TEST_CASE("the same year beats the same title one year apart by the margin", "[matcher]") {
  TempDir dir;
  auto rt = actors::Runtime::open(test_config(dir)).take();
  // The real case from the IMDb samples: the 1903 film and its 1904 remake.
  ingest_and_resolve(*rt, {imdb("tt0000439", "The Great Train Robbery", 1903),
                           imdb("tt0000487", "The Great Train Robbery", 1904)});
  ingest_and_resolve(*rt, {titled("movielens", "49389", "The Great Train Robbery", 1903)});
  auto state = state_of(*rt, "movielens", "49389");
  CHECK(state["movie_id"] == "tt0000439");
  CHECK(state["confidence"] == Approx(0.992));
  // One year before the first: only the first is within a year.
  ingest_and_resolve(*rt, {titled("rotten_tomatoes", "m/gtr", "Great Train Robbery", 1902)});
  CHECK(state_of(*rt, "rotten_tomatoes", "m/gtr")["movie_id"] == "tt0000439");  // 1904 is two years off
}

TEST_CASE("a second record of the same source does not share a movie, within a run too", "[matcher][assignment]") {
  TempDir dir;
  auto rt = actors::Runtime::open(test_config(dir)).take();
  ingest_and_resolve(*rt, {imdb("tt1", "Heat", 1995)});
  // One run: the second record sees the first's decision before the read models do.
  auto summary = ingest_and_resolve(*rt, {titled("vega", "a", "Heat", 1995), titled("vega", "b", "Heat", 1995)});
  CHECK(summary.unmatched == 1);
  CHECK(state_of(*rt, "vega", "a")["movie_id"] == "tt1");
  auto entry = store::MatchModels(rt->db()).unmatched("vega", "b");
  REQUIRE(entry);
  REQUIRE(entry->has_value());
  CHECK((**entry)["reason"] == "taken");  // an equal claim does not displace the holder
  CHECK((**entry)["candidates"][0]["held_by"]["source_id"] == "a");
  check_verified(*rt, dir);
}

namespace {

/// The assignment of the "tmdb" records after ingesting `records` in that order
/// into a store holding `movies`: source id -> movie ("" = unmatched, with reason).
std::string assignment(std::vector<events::SourceRecord> movies,
                       std::vector<std::vector<events::SourceRecord>> runs, std::size_t max_in_flight = 8) {
  TempDir dir;
  auto rt = actors::Runtime::open(test_config(dir)).take();
  ingest_and_resolve(*rt, std::move(movies));
  std::set<std::string> ids;
  for (auto& run : runs) {
    for (auto& r : run) ids.insert(r.source_id);
    ingest_and_resolve(*rt, run, max_in_flight);
  }
  std::string out;
  for (auto& id : ids) {  // "id=movie" or "id=-reason", by id
    auto s = state_of(*rt, "tmdb", id);
    out += (out.empty() ? "" : " ") + id + "=" +
           (s.value("state", "") == "matched" ? s.value("movie_id", "") : "-" + s.value("reason", ""));
  }
  check_verified(*rt, dir);
  return out;
}

}  // namespace

TEST_CASE("the best record of a source wins a movie whatever order the records came in",
          "[matcher][assignment]") {
  // The case: a 3-vote "Suckerpunch" 2010 must not keep "Sucker Punch" from
  // the right record, and the chain A takes B's movie, B takes C's resolves too.
  std::vector<events::SourceRecord> movies{imdb("tt1", "Sucker Punch", 2011), imdb("tt2", "Sucker Punch", 2008)};
  auto weak = titled("tmdb", "weak", "Suckerpunch", 2010);    // spacing, 1 year from 2011, 2 from 2008
  auto right = titled("tmdb", "right", "Sucker Punch", 2011);  // exact, same year as tt1
  auto other = titled("tmdb", "other", "Sucker Punch", 2008);  // exact, same year as tt2
  const std::string expected = "other=tt2 right=tt1 weak=-taken";
  // One record a run, in two orders; and all in one run, in two orders.
  CHECK(assignment(movies, {{weak}, {right}, {other}}) == expected);
  CHECK(assignment(movies, {{other}, {right}, {weak}}) == expected);
  CHECK(assignment(movies, {{weak, right, other}}) == expected);
  CHECK(assignment(movies, {{right, other, weak}}) == expected);
}

TEST_CASE("records decided together on every core are assigned as when decided one by one",
          "[matcher][assignment]") {
  // Batches of 64 are decided at once (actors/batch_decider.hpp). Here each movie
  // has a weak record and, later in the same batch, the right one: decided at the
  // batch's start, both would take the movie; the right one must displace the weak
  // one as when they are decided one by one. And one record twice in a batch.
  const std::vector<std::string> titles{"Heat",   "Ran",  "Alien", "Brazil", "Casablanca", "Vertigo",
                                        "Psycho", "Jaws", "Rocky", "Fargo",  "Memento",    "Amelie"};
  std::vector<events::SourceRecord> movies, run;
  std::string expected;
  for (std::size_t i = 0; i < titles.size(); ++i) {
    const int year = 1980 + static_cast<int>(i);
    const std::string tt = "tt" + std::to_string(100 + i);
    movies.push_back(imdb(tt, titles[i], year, 100 + static_cast<int>(i)));
    auto right = titled("tmdb", "right" + std::to_string(10 + i), titles[i], year);
    right.runtime_minutes = 100 + static_cast<int>(i);
    run.push_back(titled("tmdb", "weak" + std::to_string(10 + i), titles[i], year + 1));
    run.push_back(right);
  }
  auto dup = titled("tmdb", "dup", "Zelig", 1983);
  movies.push_back(imdb("tt200", "Zelig", 1983, 79));
  run.insert(run.begin() + 3, dup);
  dup.runtime_minutes = 79;  // changed, later in the same batch
  run.push_back(dup);
  auto reversed = run;
  std::reverse(reversed.begin(), reversed.end());

  auto one_by_one = assignment(movies, {run}, 8);
  for (std::size_t i = 0; i < titles.size(); ++i) {
    CHECK(one_by_one.find("right" + std::to_string(10 + i) + "=tt" + std::to_string(100 + i)) != std::string::npos);
    CHECK(one_by_one.find("weak" + std::to_string(10 + i) + "=-taken") != std::string::npos);
  }
  CHECK(one_by_one.find("dup=tt200") != std::string::npos);
  CHECK(assignment(movies, {run}, 256) == one_by_one);
  CHECK(assignment(movies, {reversed}, 256) == one_by_one);
}

TEST_CASE("a displaced record leaves its movie by an event that says why, and is decided again",
          "[matcher][assignment]") {
  TempDir dir;
  auto rt = actors::Runtime::open(test_config(dir)).take();
  ingest_and_resolve(*rt, {imdb("tt1", "Sucker Punch", 2011, 110), imdb("tt2", "Sucker Punch", 2009, 125)});
  // A year from both; its runtime makes tt1 the better (6.0 bits against 3.0).
  auto weak = titled("tmdb", "weak", "Sucker Punch", 2010);
  weak.runtime_minutes = 110;
  ingest_and_resolve(*rt, {weak});
  REQUIRE(state_of(*rt, "tmdb", "weak")["movie_id"] == "tt1");
  auto right = titled("tmdb", "right", "Sucker Punch", 2011);  // 8.5 bits for tt1
  right.runtime_minutes = 110;
  ingest_and_resolve(*rt, {right});
  CHECK(state_of(*rt, "tmdb", "right")["movie_id"] == "tt1");
  // Decided again, it lands in the movie it now suits best.
  CHECK(state_of(*rt, "tmdb", "weak")["movie_id"] == "tt2");
  CHECK(movie_holds(*rt, "tt2", "tmdb", "weak"));
  CHECK_FALSE(movie_holds(*rt, "tt1", "tmdb", "weak"));

  // tt1's history: weak in, weak out (displaced, with the weights), right in.
  std::vector<std::string> seen;
  std::string removal_cause;
  for (auto& e : stream(*rt, "tt1")) {
    if (e.source != "tmdb") continue;
    if (e.type == events::EventType::source_record_changed)
      seen.push_back("+" + events::source_record_changed(e).record.source_id);
    if (e.type == events::EventType::source_record_removed) {
      seen.push_back("-" + events::source_record_removed(e).source_id);
      removal_cause = e.causation;
    }
  }
  CHECK(seen == std::vector<std::string>{"+weak", "-weak", "+right"});
  CHECK(removal_cause.find("displaced from tt1 by tmdb right") != std::string::npos);
  // tt2's event names the same cause.
  for (auto& e : stream(*rt, "tt2"))
    if (e.type == events::EventType::source_record_changed && e.source == "tmdb")
      CHECK(e.causation.find("displaced from tt1") != std::string::npos);
  check_verified(*rt, dir);
}

TEST_CASE("a record a person linked is never displaced", "[matcher][assignment]") {
  TempDir dir;
  auto rt = actors::Runtime::open(test_config(dir)).take();
  ingest_and_resolve(*rt, {imdb("tt1", "Sucker Punch", 2011)});
  ingest_and_resolve(*rt, {titled("tmdb", "weak", "Suckerpunch", 2010)});
  auto linked = rt->link({"tmdb", "weak", "tt1", "alice", "checked the poster", "req-1"});
  REQUIRE(linked);
  REQUIRE(rt->wait_for_read_models());
  ingest_and_resolve(*rt, {titled("tmdb", "right", "Sucker Punch", 2011)});
  CHECK(state_of(*rt, "tmdb", "weak")["movie_id"] == "tt1");
  CHECK(movie_holds(*rt, "tt1", "tmdb", "weak"));
  auto person = store::MatchModels(rt->db()).decision("tmdb", "weak");
  REQUIRE(person);
  CHECK((**person)["movie_id"] == "tt1");
  auto entry = store::MatchModels(rt->db()).unmatched("tmdb", "right");
  REQUIRE(entry);
  REQUIRE(entry->has_value());
  CHECK((**entry)["reason"] == "taken");
  CHECK((**entry)["candidates"][0]["held_by"]["method"] == "manual");
}

TEST_CASE("a source named in several_per_movie may put several records in one movie", "[matcher][assignment]") {
  TempDir dir;
  auto cfg = test_config(dir);
  cfg.matching.several_per_movie = {"tmdb"};
  auto rt = actors::Runtime::open(cfg).take();
  ingest_and_resolve(*rt, {imdb("tt1", "Heat", 1995)});
  ingest_and_resolve(*rt, {titled("tmdb", "a", "Heat", 1995), titled("tmdb", "b", "Heat", 1995)});
  CHECK(state_of(*rt, "tmdb", "a")["movie_id"] == "tt1");
  CHECK(state_of(*rt, "tmdb", "b")["movie_id"] == "tt1");
}

TEST_CASE("a person's decision stored but never applied (a stop in between) is applied by the next pass",
          "[matcher]") {
  TempDir dir;
  auto rt = actors::Runtime::open(test_config(dir)).take();
  ingest_and_resolve(*rt, {imdb("tt1", "Heat", 1995), imdb("tt2", "Heat", 1986)});
  ingest_and_resolve(*rt, {titled("vega", "h", "Heat", 1995), titled("vega", "x", "Heat", 1986)});
  REQUIRE(state_of(*rt, "vega", "h")["movie_id"] == "tt1");
  REQUIRE(state_of(*rt, "vega", "x")["movie_id"] == "tt2");

  // What the log holds when the process stopped right after recording two links:
  // "h" belongs to tt2, "x" to no movie; neither was applied.
  auto append_link = [&](const std::string& id, const std::string& movie) {
    events::Event e;
    e.type = events::EventType::source_record_linked;
    e.time_ms = 1;
    e.source = "vega";
    e.data = events::to_data(events::SourceRecordLinked{"vega", id, movie, "alice", "checked", {}, ""});
    store::AppendRequest req;
    req.stream = matching::source_stream("vega");
    req.expected_version = *rt->log().stream_version(req.stream);
    req.events.push_back(std::move(e));
    caf::scoped_actor self{rt->system()};
    self->request(rt->journal(), caf::duration(std::chrono::seconds(10)), actors::append_atom::value, req)
        .receive([](store::AppendResult&) {}, [](caf::error& err) { FAIL(caf::to_string(err)); });
  };
  append_link("h", "tt2");
  append_link("x", "");
  REQUIRE(rt->wait_for_read_models());
  CHECK(movie_holds(*rt, "tt1", "vega", "h"));  // not applied yet

  auto pass = rt->resolve_unmatched();
  REQUIRE(pass);
  CHECK(pass->resolved == 2);
  REQUIRE(rt->wait_for_read_models());
  CHECK(movie_holds(*rt, "tt2", "vega", "h"));
  CHECK_FALSE(movie_holds(*rt, "tt1", "vega", "h"));
  CHECK(state_of(*rt, "vega", "h")["method"] == "manual");
  CHECK_FALSE(movie_holds(*rt, "tt2", "vega", "x"));
  CHECK(report_of(*rt, "vega")["no_match"] == 1);
  // Nothing left to do: a second pass changes nothing.
  auto again = rt->resolve_unmatched();
  REQUIRE(again);
  CHECK(again->resolved == 0);
  check_verified(*rt, dir);
}
