// The movie actor's event ids: a retry is recognised, a genuine change never is
// mistaken for one.

#include <catch2/catch.hpp>

#include "actors/runtime.hpp"
#include "events/coding.hpp"
#include "support/temp_dir.hpp"

using namespace moviec;
using moviec::test::TempDir;

namespace {

actors::IngestOutcome send(actors::Runtime& rt, double rating) {
  events::SourceRecord r;
  r.source = "imdb";
  r.source_id = "tt1";
  r.movie_id = "tt1";
  r.title = "Carmencita";
  r.source_ratings.push_back({"imdb", rating, 1, 10, 2150, rating * 10});
  actors::IngestItem item;
  item.record = r;
  item.fingerprint = r.fingerprint();
  item.input = "title.ratings.tsv:2";
  item.correlation = "run";
  item.match_method = "source_movie_id";
  actors::IngestOutcome outcome;
  caf::scoped_actor self{rt.system()};
  self->request(rt.registry(), caf::duration(std::chrono::seconds(60)), actors::ingest_atom::value, item)
      .receive([&](actors::IngestOutcome& o) { outcome = o; },
               [&](caf::error& e) { FAIL("ingest failed: " << caf::to_string(e)); });
  return outcome;
}

}  // namespace

TEST_CASE("a rating that flips back and forth is recorded every time it changes", "[actors][movie]") {
  TempDir dir;
  auto cfg = config::Config::defaults();
  cfg.data_dir = dir.str();
  cfg.sync_writes = false;
  auto rt = actors::Runtime::open(cfg).take();
  for (double rating : {5.7, 6.1, 5.7, 6.1, 5.7}) {
    INFO(rating);
    auto outcome = send(*rt, rating);
    CHECK(outcome.changed);
    CHECK(outcome.appended == 2);
  }
  CHECK(rt->log().last_sequence() == 10);
  auto last = rt->log().read_version("tt1", 10);
  REQUIRE(last);
  CHECK(events::movie_changed(*last).fields.at(0).new_value["imdb"]["value"] == 5.7);
  // The same record again is no change at all.
  CHECK_FALSE(send(*rt, 5.7).changed);
  CHECK(rt->log().last_sequence() == 10);
}
