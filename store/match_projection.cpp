#include "store/match_projection.hpp"

#include "events/json_writer.hpp"
#include "events/matching.hpp"
#include "store/match_models.hpp"
#include "store/keys.hpp"

namespace moviec::store {

using events::Event;
using events::EventType;
using nlohmann::json;
namespace matching = events::matching;

namespace {

std::string state_key(const std::string& source, const std::string& id) {
  return keys::matching_key(keys::kMatchState, source, id);
}
std::string unmatched_key(const std::string& source, const std::string& id) {
  return keys::matching_key(keys::kMatchUnmatched, source, id);
}

/// The state an unmatched reason puts a record in.
std::string unmatched_state(const std::string& reason) {
  if (reason == matching::kAmbiguous) return "ambiguous";
  if (reason == matching::kNoMatch) return "no_match";
  return "unmatched";
}

}  // namespace

std::string state_label(const json& state) {
  auto s = state.value("state", "");
  if (s == "matched") return "matched:" + state.value("method", "");
  return s;
}

const std::optional<std::string>& MatchProjection::bytes(const std::string& key) {
  if (auto p = pending_.find(key); p != pending_.end()) return p->second;
  auto f = fetched_.find(key);
  if (f == fetched_.end()) {
    auto stored = db_.get(ColumnFamily::matching, key);
    f = fetched_.emplace(key, stored ? std::optional<std::string>(stored.take()) : std::nullopt).first;
  }
  return f->second;
}

std::optional<json> MatchProjection::get(const std::string& key) {
  const auto& value = bytes(key);
  if (!value) return std::nullopt;
  auto j = json::parse(*value, nullptr, false);
  if (j.is_discarded()) return std::nullopt;
  return j;
}

void MatchProjection::put(const std::string& key, json value) { pending_[key] = events::dump(value); }
void MatchProjection::erase(const std::string& key) { pending_[key] = std::nullopt; }

void MatchProjection::set_state(const std::string& source, const std::string& id,
                                std::optional<json> state) {
  auto key = state_key(source, id);
  auto old = get(key);
  if (old) counts_[keys::matching_key(keys::kMatchCount, source, state_label(*old))] -= 1;
  if (state) {
    counts_[keys::matching_key(keys::kMatchCount, source, state_label(*state))] += 1;
    put(key, std::move(*state));
  } else if (old) {
    erase(key);
  }
}

void MatchProjection::apply(const Event& e, const events::MovieChanged* change) {
  // Folded from the log's first event: every movie's blocking keys 'b' will be
  // here (a store folded by an earlier build from its start lacks this key until
  // `moviec replay`).
  if (e.sequence == 1) pending_[keys::matching_key(keys::kMatchLayout, "blocking", "")] = "1";
  switch (e.type) {
    case EventType::source_record_changed: return on_changed(e);
    case EventType::source_record_removed: return on_removed(e);
    case EventType::source_record_unmatched: return on_unmatched(e);
    case EventType::source_record_linked: return on_linked(e);
    case EventType::movie_changed: return on_movie_changed(e, change);
  }
}

void MatchProjection::on_changed(const Event& e) {
  auto& p = events::source_record_changed(e);
  const auto& source = p.record.source;
  const auto& id = p.record.source_id;
  auto old = get(state_key(source, id));

  json state{{"state", "matched"}, {"movie_id", e.stream}, {"sequence", e.sequence},
             {"method", p.match_method}, {"decided", e.sequence}};
  if (p.match_confidence) state["confidence"] = *p.match_confidence;
  // The weight of the candidate it was placed in (title_year): what a later record
  // of its source must beat to take its place.
  if (p.match_candidates.is_array())
    for (auto& c : p.match_candidates)
      if (c.is_object() && c.value("movie_id", "") == e.stream && c.contains("weight") && c["weight"].is_number()) {
        state["weight"] = c["weight"];
        break;
      }
  // A record that only follows an earlier decision (a changed version of a record
  // already in this movie) keeps how that decision was made.
  if (p.match_basis != 0 && old && old->value("state", "") == "matched" &&
      old->value("movie_id", "") == e.stream) {
    state["method"] = old->value("method", p.match_method);
    state["decided"] = old->value("decided", p.match_basis);
    if (old->contains("confidence")) state["confidence"] = (*old)["confidence"];
    else state.erase("confidence");
    if (old->contains("weight")) state["weight"] = (*old)["weight"];
    else state.erase("weight");
  }

  // A record that moved: what it taught about its old movie no longer holds.
  if (old && old->value("state", "") == "matched" && old->value("movie_id", "") != e.stream) {
    forget_crosswalks(*old, source, id);
    drop_holder(old->value("movie_id", ""), source, id);
  }

  // Crosswalks: ids this record carries (and its own id, as kind = source name)
  // now lead to this movie, unless another movie was taught them first.
  json taught = json::array();
  auto teach = [&](const std::string& kind, const std::string& value) {
    if (kind.empty() || value.empty() || kind == "imdb") return;  // imdb ids are movie ids
    auto key = keys::matching_key(keys::kMatchCrosswalk, kind, value);
    auto existing = get(key);
    if (existing && existing->value("movie_id", "") != e.stream) return;
    if (!existing)
      put(key, json{{"movie_id", e.stream}, {"source", source}, {"source_id", id}, {"sequence", e.sequence}});
    taught.push_back(json::array({kind, value}));
  };
  teach(source, id);
  for (auto& [kind, value] : p.record.external_ids) teach(kind, value);
  state["crosswalks"] = std::move(taught);

  set_holder(e.stream, source, id, state);
  set_state(source, id, std::move(state));
  // An unmatched entry exists only beside a state that is not "matched" (on_unmatched,
  // on_linked): a record seen for the first time, or matched before, has none to
  // look up (a miss per record of a first run).
  if (old && old->value("state", "") != "matched" && get(unmatched_key(source, id)))
    erase(unmatched_key(source, id));
}

void MatchProjection::forget_crosswalks(const json& state, const std::string& source,
                                        const std::string& id) {
  for (auto& pair : state.value("crosswalks", json::array())) {
    if (!pair.is_array() || pair.size() != 2 || !pair[0].is_string() || !pair[1].is_string()) continue;
    auto key = keys::matching_key(keys::kMatchCrosswalk, pair[0].get<std::string>(),
                                  pair[1].get<std::string>());
    auto walk = get(key);
    if (walk && walk->value("source", "") == source && walk->value("source_id", "") == id) erase(key);
  }
}

void MatchProjection::on_removed(const Event& e) {
  auto& p = events::source_record_removed(e);
  auto old = get(state_key(p.source, p.source_id));
  if (!old || old->value("state", "") != "matched" || old->value("movie_id", "") != e.stream) return;
  forget_crosswalks(*old, p.source, p.source_id);
  drop_holder(e.stream, p.source, p.source_id);
  set_state(p.source, p.source_id, std::nullopt);
}

void MatchProjection::set_holder(const std::string& movie, const std::string& source,
                                 const std::string& source_id, const json& state) {
  json h{{"source_id", source_id},
         {"method", state.value("method", "")},
         {"sequence", state.value("sequence", std::uint64_t{0})}};
  if (state.contains("weight")) h["weight"] = state["weight"];
  put(keys::matching_key(keys::kMatchHolder, movie, source), std::move(h));
}

void MatchProjection::drop_holder(const std::string& movie, const std::string& source,
                                  const std::string& source_id) {
  auto key = keys::matching_key(keys::kMatchHolder, movie, source);
  auto h = get(key);
  if (h && h->value("source_id", "") == source_id) erase(key);
}

void MatchProjection::on_movie_changed(const Event& e, const events::MovieChanged* change) {
  const auto& p = change ? *change : events::movie_changed(e);
  bool relevant = false;
  for (auto& c : p.fields)
    if (c.field == "title" || c.field == "year" || c.field == "runtime_minutes" || c.field == "genres" ||
        c.field == "names" || c.field == "external_ids")
      relevant = true;
  if (!relevant) return;
  auto key = keys::matching_key(keys::kMatchFacts, e.stream, "");
  std::optional<MovieMatchRecord> before;
  // A stream's first MovieChanged is its second event (a record comes first; a
  // movie without one has nothing to re-decide): no facts were written before it,
  // so no lookup (a miss per new movie: a million of them in a first run of 1M).
  if (e.version > 2)
    if (const auto& stored = bytes(key)) before = decode_match_record(*stored);
  MovieMatchRecord r = before ? *before : MovieMatchRecord{};
  for (auto& c : p.fields) {
    const json& v = c.new_value;
    if (c.field == "title") {
      r.title = v.is_string() ? v.get<std::string>() : "";
    } else if (c.field == "year") {
      r.year = v.is_number_integer() ? std::optional<int>(v.get<int>()) : std::nullopt;
    } else if (c.field == "runtime_minutes") {
      r.runtime_minutes = v.is_number_integer() ? std::optional<int>(v.get<int>()) : std::nullopt;
      r.runtime_source = r.runtime_minutes ? c.source : "";
    } else if (c.field == "genres") {
      r.genres_source = v.is_array() && !v.empty() ? c.source : "";
      r.genres.clear();
      if (v.is_array())
        for (auto& g : v)
          if (g.is_string()) r.genres.push_back(g.get<std::string>());
    } else if (c.field == "names") {
      r.names.clear();
      if (v.is_array())
        for (auto& n : v)
          if (n.is_object() && n.contains("title") && n["title"].is_string())
            r.names.push_back(n["title"].get<std::string>());
    } else if (c.field == "external_ids") {
      r.external_ids.clear();
      if (v.is_object())
        for (auto& [kind, value] : v.items())
          if (value.is_string()) r.external_ids.emplace_back(kind, value.get<std::string>());
    }
  }
  // The facts record and the blocking keys that carry the facts.
  match_record_writes(e.stream, before, r, pending_);
}

void MatchProjection::on_unmatched(const Event& e) {
  auto& p = events::source_record_unmatched(e);
  const auto& source = p.record.source;
  const auto& id = p.record.source_id;
  set_state(source, id, json{{"state", unmatched_state(p.reason)}, {"reason", p.reason},
                             {"sequence", e.sequence}});
  put(unmatched_key(source, id),
      json{{"source_id", id},         {"reason", p.reason},   {"message", p.message},
           {"candidates", p.candidates}, {"record", p.record}, {"fingerprint", p.fingerprint},
           {"sequence", e.sequence},  {"time", e.time_ms}});
}

void MatchProjection::on_linked(const Event& e) {
  auto& p = events::source_record_linked(e);
  put(keys::matching_key(keys::kMatchDecision, p.source, p.source_id),
      json{{"movie_id", p.movie_id}, {"by", p.by}, {"why", p.why}, {"sequence", e.sequence},
           {"time", e.time_ms}});
  if (!p.movie_id.empty()) return;  // the record follows as a SourceRecordChanged (method manual)

  // "No match": a record moviec has is now unmatched on a person's word.
  auto entry = get(unmatched_key(p.source, p.source_id));
  json record = p.record ? json(*p.record) : entry ? entry->value("record", json()) : json();
  if (record.is_null()) return;  // not seen yet: the decision waits for it
  std::string fingerprint = p.record ? p.fingerprint : entry->value("fingerprint", "");
  auto message = "a person said no match: " + p.by + ": " + p.why;
  set_state(p.source, p.source_id,
            json{{"state", "no_match"}, {"reason", matching::kNoMatch}, {"sequence", e.sequence}});
  put(unmatched_key(p.source, p.source_id),
      json{{"source_id", p.source_id}, {"reason", matching::kNoMatch}, {"message", message},
           {"candidates", json::array()}, {"record", std::move(record)},
           {"fingerprint", fingerprint},  {"sequence", e.sequence}, {"time", e.time_ms}});
}

void MatchProjection::write(rocksdb::WriteBatch& batch) {
  auto* cf = db_.cf(ColumnFamily::matching);
  // Counts at zero are no key at all, as in `stats`: the bytes must not depend on
  // where batches were cut.
  for (auto& [key, delta] : counts_) {
    if (delta == 0) continue;
    std::int64_t value = delta;
    if (auto stored = db_.get(ColumnFamily::matching, key)) value += std::stoll(*stored);
    if (value == 0) pending_[key] = std::nullopt;
    else pending_[key] = std::to_string(value);
  }
  for (auto& [key, value] : pending_) {
    if (value) batch.Put(cf, key, *value);
    else batch.Delete(cf, key);
  }
  pending_.clear();
  counts_.clear();
}

}  // namespace moviec::store
