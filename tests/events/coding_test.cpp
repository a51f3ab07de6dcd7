// Event encoding (events/coding.hpp) and the typed payloads (events/event.hpp).

#include <catch2/catch.hpp>

#include <set>

#include "events/coding.hpp"
#include "events/coding_fast.hpp"
#include "events/event.hpp"

using namespace moviec::events;
using moviec::Status;
using nlohmann::json;

namespace {

Event full_event() {
  Event e;
  e.sequence = 4242;
  e.stream = "tt0114709";
  e.version = 17;
  e.type = EventType::source_record_removed;
  e.schema_version = kCurrentSchemaVersion;
  e.time_ms = 1732492800123;
  e.source = "movielens";
  e.causation_seq = 4241;
  e.causation = "movies.csv:42";
  e.correlation = "batch-7";
  e.id = "0123456789abcdef0123456789abcdef";
  e.data = to_data(SourceRecordRemoved{"movielens", "1", "00ff00ff00ff00ff"});
  return e;
}

json encoded_json(const Event& e) { return json::parse(encode(e)); }

/// One payload of every type, with what is hard to write: escapes, non-ASCII text,
/// doubles, optional members present and absent, nested JSON values.
std::vector<Payload> every_kind_of_payload() {
  SourceRecord r;
  r.source = "vega";
  r.source_id = "id \"7\"\\\x01";
  r.title = "Amélie \t — 1/2";
  r.year = 2001;
  r.runtime_minutes = 122;
  r.genres = {"Comedy", "Romance"};
  r.names = {{"Le Fabuleux Destin d'Amélie Poulain", "FR", "fr", true}, {"Amelie", "", "", false}};
  r.source_ratings = {{"imdb", 8.3, 1, 10, 712345, 83.0 / 0.9}};
  r.external_ids = {{"imdb", "tt0211915"}};
  r.metadata = {{"budget", "10000000"}, {"gross", "10000000"}, {"popularity", "21.946943"}, {"tiny", "1e-07"}};
  r.metadata_numbers = {"gross", "popularity", "tiny"};  // budget stays text
  r.crating_performance = 0.1;
  SourceRecord bare;
  bare.source = "imdb";
  bare.source_id = "tt1";
  json candidates = json::array(
      {json{{"movie_id", "tt0211915"}, {"confidence", 0.9731}, {"weight", 12.5}, {"why", "title=1"}},
       json{{"movie_id", "tt2"}, {"confidence", 1e-7}, {"year", nullptr}}});
  std::vector<Payload> out;
  out.push_back(SourceRecordChanged{r, r.fingerprint(), "xxh3:00", "title_year", 0.9731, candidates, 12});
  out.push_back(SourceRecordChanged{bare, bare.fingerprint(), "", "", std::nullopt, nullptr, 0});
  out.push_back(SourceRecordRemoved{"movielens", "1", "00ff00ff00ff00ff"});
  MovieChanged rules{3, {}, kTriggerRules, 2};
  rules.fields.push_back({"title", "Amelie", "Amélie \"x\"", "vega", "source_priority", 0});
  rules.fields.push_back({"ratings", json{{"imdb", {{"value", 8.3}, {"votes", 7}}}}, nullptr, "", "", 41});
  out.push_back(rules);
  out.push_back(MovieChanged{1, {{"year", nullptr, 2001, "imdb", "source_priority", 9}}});
  out.push_back(SourceRecordUnmatched{r, r.fingerprint(), "xxh3:01", "ambiguous", "two \"close\"", candidates});
  out.push_back(SourceRecordUnmatched{bare, bare.fingerprint(), "", "no_title", "no title", nullptr});
  out.push_back(SourceRecordLinked{"vega", "7", "tt0211915", "alice", "checked \u00e9", r, r.fingerprint()});
  out.push_back(SourceRecordLinked{"vega", "8", "", "bob", "", std::nullopt, ""});
  return out;
}

}  // namespace

TEST_CASE("encode then decode preserves every envelope field", "[events][coding]") {
  auto e = full_event();
  auto decoded = decode(encode(e));
  REQUIRE(decoded);
  CHECK(decoded->sequence == 4242);
  CHECK(decoded->stream == "tt0114709");
  CHECK(decoded->version == 17);
  CHECK(decoded->type == EventType::source_record_removed);
  CHECK(decoded->schema_version == kCurrentSchemaVersion);
  CHECK(decoded->time_ms == 1732492800123);
  CHECK(decoded->source == "movielens");
  CHECK(decoded->causation_seq == 4241);
  CHECK(decoded->causation == "movies.csv:42");
  CHECK(decoded->correlation == "batch-7");
  CHECK(decoded->id == "0123456789abcdef0123456789abcdef");
  CHECK(decoded->data == e.data);
  CHECK(encode(*decoded) == encode(e));
}

TEST_CASE("every event type survives encoding", "[events][coding]") {
  for (auto& payload : every_kind_of_payload()) {
    auto e = full_event();
    e.type = type_of(payload);
    e.data = payload;
    auto decoded = decode(encode(e));
    REQUIRE(decoded);
    CHECK(decoded->type == e.type);
    CHECK(decoded->data == payload);
    CHECK(payload_json(decoded->data) == payload_json(payload));
    CHECK(encode(*decoded) == encode(e));
  }
}

TEST_CASE("extreme integer values survive encoding", "[events][coding]") {
  auto e = full_event();
  e.sequence = UINT64_MAX;
  e.version = UINT64_MAX - 1;
  e.causation_seq = UINT64_MAX;
  e.time_ms = -1;
  auto decoded = decode(encode(e));
  REQUIRE(decoded);
  CHECK(decoded->sequence == UINT64_MAX);
  CHECK(decoded->version == UINT64_MAX - 1);
  CHECK(decoded->causation_seq == UINT64_MAX);
  CHECK(decoded->time_ms == -1);
}

TEST_CASE("the encoding uses the documented envelope keys", "[events][coding]") {
  auto j = encoded_json(full_event());
  for (auto key : {"seq", "stream", "ver", "type", "schema", "time", "source", "cause", "input",
                   "corr", "id", "data"})
    CHECK(j.contains(key));
  CHECK(j.size() == 12);
  CHECK(j["type"] == "SourceRecordRemoved");
  CHECK(j["seq"] == 4242);
  CHECK(j["cause"] == 4241);
  CHECK(j["input"] == "movies.csv:42");
}

TEST_CASE("decode rejects an event from a future schema version", "[events][coding]") {
  auto j = encoded_json(full_event());
  j["schema"] = kCurrentSchemaVersion + 1;
  auto decoded = decode(j.dump());
  REQUIRE_FALSE(decoded);
  CHECK(decoded.status().code() == Status::Code::corruption);
  CHECK_THAT(decoded.status().message(), Catch::Contains("newer"));
}

TEST_CASE("decode upcasts an older schema version to the current one", "[events][coding]") {
  auto j = encoded_json(full_event());
  j["schema"] = 0;
  auto decoded = decode(j.dump());
  REQUIRE(decoded);
  CHECK(decoded->schema_version == kCurrentSchemaVersion);
  CHECK(decoded->stream == "tt0114709");
}

TEST_CASE("decode rejects an unknown event type", "[events][coding]") {
  auto j = encoded_json(full_event());
  j["type"] = "MovieDeleted";
  auto decoded = decode(j.dump());
  REQUIRE_FALSE(decoded);
  CHECK(decoded.status().code() == Status::Code::corruption);
  CHECK_THAT(decoded.status().message(), Catch::Contains("MovieDeleted"));
}

TEST_CASE("decode rejects bytes that are not a JSON object", "[events][coding]") {
  for (std::string bad : {"", "{", "not json", "[1,2,3]", "42", "\"seq\"", "{\"seq\":1,}"}) {
    INFO(bad);
    auto decoded = decode(bad);
    REQUIRE_FALSE(decoded);
    CHECK(decoded.status().code() == Status::Code::corruption);
  }
}

TEST_CASE("decode rejects an envelope missing a required key", "[events][coding]") {
  for (auto key : {"seq", "stream", "ver", "type", "schema", "time", "data"}) {
    INFO(key);
    auto j = encoded_json(full_event());
    j.erase(key);
    auto decoded = decode(j.dump());
    REQUIRE_FALSE(decoded);
    CHECK(decoded.status().code() == Status::Code::corruption);
  }
}

TEST_CASE("decode rejects an envelope field of the wrong type", "[events][coding]") {
  auto j = encoded_json(full_event());
  j["seq"] = "4242";
  CHECK_FALSE(decode(j.dump()));
  j = encoded_json(full_event());
  j["type"] = 3;
  CHECK_FALSE(decode(j.dump()));
  j = encoded_json(full_event());
  j["stream"] = json::array();
  CHECK_FALSE(decode(j.dump()));
}

TEST_CASE("decode defaults the optional envelope keys", "[events][coding]") {
  auto j = encoded_json(full_event());
  for (auto key : {"source", "cause", "input", "corr", "id"}) j.erase(key);
  auto decoded = decode(j.dump());
  REQUIRE(decoded);
  CHECK(decoded->source.empty());
  CHECK(decoded->causation_seq == 0);
  CHECK(decoded->causation.empty());
  CHECK(decoded->correlation.empty());
  CHECK(decoded->id.empty());
}

TEST_CASE("the HTTP form names every envelope field readably", "[events][coding]") {
  auto j = to_json(full_event());
  CHECK(j["sequence"] == 4242);
  CHECK(j["stream"] == "tt0114709");
  CHECK(j["version"] == 17);
  CHECK(j["type"] == "SourceRecordRemoved");
  CHECK(j["schema_version"] == kCurrentSchemaVersion);
  CHECK(j["time"] == 1732492800123);
  CHECK(j["source"] == "movielens");
  CHECK(j["causation_seq"] == 4241);
  CHECK(j["causation"] == "movies.csv:42");
  CHECK(j["correlation"] == "batch-7");
  CHECK(j["event_id"] == "0123456789abcdef0123456789abcdef");
  CHECK(j["data"]["source_id"] == "1");
}

TEST_CASE("type names and types map one to one", "[events]") {
  for (auto type : {EventType::source_record_changed, EventType::source_record_removed,
                    EventType::movie_changed}) {
    auto t = type_from_name(type_name(type));
    REQUIRE(t);
    CHECK(*t == type);
  }
  CHECK(type_name(EventType::movie_changed) == "MovieChanged");
  CHECK(type_name(static_cast<EventType>(0)) == "Unknown");
  CHECK_FALSE(type_from_name("Unknown"));
  CHECK_FALSE(type_from_name("moviechanged"));
}

TEST_CASE("a SourceRecordChanged payload survives a round trip", "[events]") {
  SourceRecordChanged p;
  p.record.source = "imdb";
  p.record.source_id = "tt1";
  p.record.title = "Carmencita";
  p.record.year = 1894;
  p.fingerprint = p.record.fingerprint();
  p.previous_fingerprint = "aaaaaaaaaaaaaaaa";
  p.match_method = "source_movie_id";
  Event e;
  e.type = EventType::source_record_changed;
  e.data = to_data(p);
  auto back = source_record_changed(*decode(encode(e)));
  CHECK(back.record == p.record);
  CHECK(back.fingerprint == p.fingerprint);
  CHECK(back.previous_fingerprint == "aaaaaaaaaaaaaaaa");
  CHECK(back.match_method == "source_movie_id");
}

TEST_CASE("a SourceRecordRemoved payload survives a round trip", "[events]") {
  Event e;
  e.type = EventType::source_record_removed;
  e.data = to_data(SourceRecordRemoved{"rt", "m/toy_story", "0123"});
  auto back = source_record_removed(e);
  CHECK(back.source == "rt");
  CHECK(back.source_id == "m/toy_story");
  CHECK(back.previous_fingerprint == "0123");
}

TEST_CASE("a MovieChanged payload keeps every field change in order", "[events]") {
  MovieChanged p;
  p.rules_version = 3;
  p.fields.push_back({"title", json(), "Toy Story", "imdb", "source_priority", 7});
  p.fields.push_back({"year", 1994, json(), "", "source_priority", 0});
  Event e;
  e.type = EventType::movie_changed;
  e.data = to_data(p);
  auto back = movie_changed(*decode(encode(e)));
  CHECK(back.rules_version == 3);
  REQUIRE(back.fields.size() == 2);
  CHECK(back.fields[0].field == "title");
  CHECK(back.fields[0].old_value.is_null());
  CHECK(back.fields[0].new_value == "Toy Story");
  CHECK(back.fields[0].source == "imdb");
  CHECK(back.fields[0].rule == "source_priority");
  CHECK(back.fields[0].caused_by == 7);
  CHECK(back.fields[1].field == "year");
  CHECK(back.fields[1].old_value == 1994);
  CHECK(back.fields[1].new_value.is_null());
  CHECK(back.fields[1].caused_by == 0);
}

TEST_CASE("resolve_causation fills only causes that are still unknown", "[events]") {
  MovieChanged p;
  p.fields.push_back({"title", json(), "A", "imdb", "source_priority", 0});
  p.fields.push_back({"year", json(), 1995, "imdb", "source_priority", 3});
  Event e;
  e.type = EventType::movie_changed;
  e.data = to_data(p);
  resolve_causation(e, 9);
  CHECK(e.causation_seq == 9);
  auto back = movie_changed(e);
  CHECK(back.fields[0].caused_by == 9);
  CHECK(back.fields[1].caused_by == 3);

  Event known;
  known.type = EventType::source_record_removed;
  known.causation_seq = 2;
  known.data = to_data(SourceRecordRemoved{"rt", "x", ""});
  resolve_causation(known, 9);
  CHECK(known.causation_seq == 2);
  CHECK(known.data == to_data(SourceRecordRemoved{"rt", "x", ""}));
}

TEST_CASE("encode writes the same bytes as the envelope dumped as one JSON object", "[events][coding]") {
  // Stores written before encode() wrote the payload straight from its struct hold
  // exactly these bytes (the envelope and payload_json dumped): the two must never
  // drift apart, for any payload.
  for (auto& payload : every_kind_of_payload()) {
    auto e = full_event();
    e.causation = "quote \" and \\ and \x01 and é";
    e.type = type_of(payload);
    e.data = payload;
    json envelope{{"seq", e.sequence},   {"stream", e.stream},      {"ver", e.version},
                  {"type", type_name(e.type)}, {"schema", e.schema_version}, {"time", e.time_ms},
                  {"source", e.source},  {"cause", e.causation_seq}, {"input", e.causation},
                  {"corr", e.correlation}, {"id", e.id},            {"data", payload_json(e.data)}};
    CHECK(encode(e) == envelope.dump());
  }
}

// --- the two ways decode() reads an event (events/coding_fast.hpp) ---------------------

namespace {

/// Whether the fast reader and the nlohmann reader agree on `bytes`: the fast one
/// declines, or both give the same event.
void check_readers_agree(const std::string& bytes) {
  INFO(bytes);
  auto fast = moviec::events::detail::decode_current(bytes);
  auto tree = moviec::events::detail::decode_tree(bytes);
  if (!fast) return;
  REQUIRE(tree);
  CHECK(encode(*fast) == encode(*tree));
  CHECK(to_json(*fast) == to_json(*tree));
}

}  // namespace

TEST_CASE("an event of the current schema is read by the fast reader, as the nlohmann reader reads it",
          "[events][coding]") {
  for (auto& payload : every_kind_of_payload()) {
    auto e = full_event();
    e.type = type_of(payload);
    e.data = payload;
    auto bytes = encode(e);
    auto fast = moviec::events::detail::decode_current(bytes);
    REQUIRE(fast);  // nothing unusual here: the fast path takes it
    check_readers_agree(bytes);
    CHECK(encode(*fast) == bytes);
  }
}

TEST_CASE("the fast reader declines what only the nlohmann reader can judge", "[events][coding]") {
  auto e = full_event();
  auto j = encoded_json(e);
  auto declined = [](json x) {
    INFO(x.dump());
    CHECK_FALSE(moviec::events::detail::decode_current(x.dump()));
  };
  auto older = j;
  older["schema"] = 1;  // to be upcast
  declined(older);
  auto newer = j;
  newer["schema"] = kCurrentSchemaVersion + 1;
  declined(newer);
  auto float_seq = j;
  float_seq["seq"] = 4242.0;  // nlohmann converts, the fast reader does not guess
  declined(float_seq);
  auto no_stream = j;
  no_stream.erase("stream");
  declined(no_stream);
  auto null_source = j;
  null_source["data"]["source"] = nullptr;
  declined(null_source);
  CHECK_FALSE(moviec::events::detail::decode_current("{\"seq\":1,\"input\":\"a\x01\"}"));
  CHECK_FALSE(moviec::events::detail::decode_current("[1,2]"));
  CHECK_FALSE(moviec::events::detail::decode_current("{\"seq\":"));
  // decode() still judges each as before: upcast, or corruption with a reason.
  CHECK(decode(older.dump()));
  CHECK(decode(float_seq.dump()));
  CHECK_FALSE(decode(newer.dump()));
  CHECK_FALSE(decode(no_stream.dump()));
  CHECK_FALSE(decode(null_source.dump()));
  // A float where an integer belongs is converted only when it is in range: a cast of
  // 1.7e50 to int64 would be undefined behaviour (found by fuzz/event_decode_fuzz).
  auto huge_time = j;
  huge_time["time"] = 1.7e50;
  declined(huge_time);
  auto huge = decode(huge_time.dump());
  REQUIRE_FALSE(huge);
  CHECK_THAT(huge.status().message(), Catch::Contains("out of range"));
  auto huge_year = j;
  huge_year["type"] = "SourceRecordChanged";
  huge_year["data"] = json{{"fingerprint", "x"}, {"record", {{"source", "a"}, {"source_id", "1"}, {"year", -1e300}}}};
  CHECK_FALSE(decode(huge_year.dump()));
  huge_year["data"]["record"]["year"] = 1994.0;  // in range: truncated, as before
  REQUIRE(decode(huge_year.dump()));
  CHECK(source_record_changed(*decode(huge_year.dump())).record.year == 1994);
}

TEST_CASE("the two readers agree on every event with one member changed or dropped", "[events][coding]") {
  // Every member of every payload kind, at every depth, dropped, set to null, to a
  // number, to a string and to an array: the fast reader either declines or agrees.
  std::vector<json> odd_values{nullptr, 7, -7, 2.5, "x", json::array({1}), json::object(), true,
                               18446744073709551615ull};
  for (auto& payload : every_kind_of_payload()) {
    auto e = full_event();
    e.type = type_of(payload);
    e.data = payload;
    auto j = encoded_json(e);
    // Every path to a value and to each object or array that holds it.
    std::set<std::string> paths;
    const auto flat = j.flatten();
    for (auto& [pointer, value] : flat.items()) {
      (void)value;
      for (json::json_pointer p(pointer); !p.empty(); p = p.parent_pointer()) paths.insert(p.to_string());
    }
    for (auto& path : paths) {
      json::json_pointer p(path);
      auto dropped = j;
      auto& parent = dropped[p.parent_pointer()];
      if (parent.is_object()) parent.erase(p.back());
      else parent.erase(std::stoul(p.back()));
      check_readers_agree(dropped.dump());
      for (auto& odd : odd_values) {
        auto changed = j;
        changed[p] = odd;
        check_readers_agree(changed.dump());
      }
    }
  }
}
