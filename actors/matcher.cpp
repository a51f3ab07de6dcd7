#include "actors/matcher.hpp"

#include <functional>

#include <fmt/format.h>

#include "actors/errors.hpp"
#include "actors/priority.hpp"
#include "actors/runtime.hpp"
#include "common/clock.hpp"
#include "events/event.hpp"
#include "events/matching.hpp"
#include "store/keys.hpp"
#include "store/read_models.hpp"

namespace moviec::actors {

namespace {

using matcher_self = matcher_actor::stateful_pointer<matcher_state>;
using nlohmann::json;
using OutcomeFn = std::function<void(IngestOutcome)>;
using ErrorFn = std::function<void(caf::error)>;
namespace matching = events::matching;

constexpr std::size_t kResolveBatch = 64;

std::string recent_key(const std::string& source, const std::string& source_id) {
  return source + '\0' + source_id;
}

void remember(matcher_self self, const IngestItem& item, const MatchDecision& d) {
  auto& st = self->state;
  const auto& source = item.record.source;
  const auto& id = item.record.source_id;
  if (st.recent.size() >= st.deps.recent_kept || st.placed.size() >= st.deps.recent_kept) {
    st.recent.clear();  // the read models have caught up long since
    st.holders.clear();
    st.placed.clear();
    st.changes.all();
  }
  st.recent[recent_key(source, id)] = d.movie_id;
  st.changes.record(recent_key(source, id));
  const std::string held_key = d.movie_id + '\0' + source;
  st.changes.holder(held_key);
  store::MatchHolder h{id, d.method, d.weight};
  if (d.method == matching::kTitleYear && !h.weight) {
    // It follows its earlier title + year decision: it holds by that decision's weight.
    if (auto prior = st.holders.find(held_key); prior != st.holders.end() && prior->second.source_id == id)
      h.weight = prior->second.weight;
    else if (auto held = st.decider->matches().holder(d.movie_id, source);
             held && *held && (**held).source_id == id)
      h.weight = (**held).weight;
  }
  if (d.method == matching::kTitleYear) st.placed[recent_key(source, id)] = {item.record, item.fingerprint};
  else st.placed.erase(recent_key(source, id));
  st.holders[held_key] = std::move(h);
}

void forget_holder(matcher_self self, const std::string& movie, const std::string& source, const std::string& id) {
  auto& st = self->state;
  auto held = st.holders.find(movie + '\0' + source);
  if (held != st.holders.end() && held->second.source_id == id) {
    st.changes.holder(held->first);
    st.holders.erase(held);
  }
}

/// The record's recent movie is no more.
void forget_recent(matcher_self self, const std::string& source, const std::string& id) {
  auto& st = self->state;
  auto key = recent_key(source, id);
  if (st.recent.erase(key)) st.changes.record(std::move(key));
}

/// Appends one event to a source stream, tracking the stream's head here: the
/// matcher is that stream's only writer. A conflict (the head moved under a
/// failed append) re-reads the head and tries again.
void append_to_source_stream(matcher_self self, events::Event e, std::vector<store::SideWrite> side,
                             std::function<void(store::AppendResult)> ok, ErrorFn fail,
                             int attempt = 0) {
  auto& st = self->state;
  const std::string stream = e.stream;
  std::uint64_t head = 0;
  if (auto it = st.heads.find(stream); it != st.heads.end()) {
    head = it->second;
  } else {
    auto stored = st.deps.log->stream_version(stream);
    if (!stored) return fail(to_error(stored.status()));
    head = *stored;
  }
  st.heads[stream] = head + 1;
  store::AppendRequest req;
  req.stream = stream;
  req.expected_version = head;
  req.events.push_back(e);
  req.side_writes = side;
  request_as_handled(self, st.deps.journal, st.deps.timeout, append_atom::value, std::move(req))
      .then(
          [=](store::AppendResult& result) {
            if (result.duplicate) self->state.heads.erase(stream);
            ok(result);
          },
          [=](caf::error& err) {
            self->state.heads.erase(stream);
            if (is_conflict(err) && attempt < kMaxConflictRetries)
              return append_to_source_stream(self, e, side, ok, fail, attempt + 1);
            fail(err);
          });
}

/// Takes the record out of `movie` (SourceRecordRemoved there), then runs `next`.
void remove_from_movie(matcher_self self, RemoveItem item, std::function<void()> next, ErrorFn fail) {
  auto& st = self->state;
  request_as_handled(self, st.deps.registry, st.deps.timeout, remove_atom::value, std::move(item))
      .then([=](IngestOutcome&) { next(); }, [=](caf::error& err) { fail(err); });
}

/// What moviec has of a record: its latest version (from its unmatched entry, or
/// from the event that put it in its movie) and the movie it is in ("" = none).
struct KnownRecord {
  std::optional<events::SourceRecord> record;
  std::string fingerprint;
  std::string current;
};

StatusOr<KnownRecord> known_record(matcher_self self, const std::string& source, const std::string& id) {
  auto& st = self->state;
  auto& models = st.decider->matches();
  KnownRecord out;
  auto entry = models.unmatched(source, id);
  if (!entry) return entry.status();
  if (*entry) {
    try {
      out.record = (**entry).at("record").get<events::SourceRecord>();
      out.fingerprint = (**entry).value("fingerprint", "");
    } catch (const json::exception& ex) {
      return Status::corruption(std::string("unmatched entry of ") + source + " " + id + ": " + ex.what());
    }
  }
  auto state = models.state(source, id);
  if (!state) return state.status();
  if (*state && (**state).value("state", "") == "matched") {
    out.current = (**state).value("movie_id", "");
    if (!out.record) {
      auto event = st.deps.log->read((**state).value("sequence", std::uint64_t{0}));
      if (!event) return event.status();
      auto& changed = std::get<events::SourceRecordChanged>(event->data);
      out.record = std::move(changed.record);
      out.fingerprint = std::move(changed.fingerprint);
    }
  }
  return out;
}

void record_unmatched(matcher_self self, IngestItem item, const MatchDecision& d, OutcomeFn ok, ErrorFn fail);
void route(matcher_self self, IngestItem item, MatchDecision d, OutcomeFn ok, ErrorFn fail, int depth = 0);

constexpr int kMaxDisplacements = 16;

/// A record displaced from `movie` (already taken out of it) is decided again:
/// into another movie, or into the unmatched log. Then `done`.
void decide_again(matcher_self self, const std::string& movie, const std::string& source, const std::string& id,
                  const std::string& why, const std::string& correlation, int depth, std::function<void()> done,
                  ErrorFn fail) {
  auto& st = self->state;
  std::optional<events::SourceRecord> record;
  std::string fingerprint;
  if (auto p = st.placed.find(recent_key(source, id)); p != st.placed.end()) {
    record = p->second.first;
    fingerprint = p->second.second;
  } else {
    auto known = known_record(self, source, id);
    if (!known) return fail(to_error(known.status()));
    record = known->record;
    fingerprint = known->fingerprint;
  }
  forget_recent(self, source, id);
  st.placed.erase(recent_key(source, id));
  forget_holder(self, movie, source, id);
  if (!record) return done();  // nothing to decide again (cannot happen for a placed record)
  IngestItem item;
  item.record = std::move(*record);
  item.fingerprint = std::move(fingerprint);
  item.input = why;
  item.correlation = correlation;
  auto d = st.decider->decide(item.record, movie, /*again=*/true);
  if (!d) return fail(to_error(d.status()));
  auto ok = [=](IngestOutcome) { done(); };
  if (d->matched) return route(self, std::move(item), std::move(*d), ok, fail, depth + 1);
  record_unmatched(self, std::move(item), *d, ok, fail);
}

/// Sends a matched item to its movie, moving it out of its old movie first; a
/// title + year decision that displaces a weaker record of its source takes that
/// record out of the movie first and decides it again after.
void route(matcher_self self, IngestItem item, MatchDecision d, OutcomeFn ok, ErrorFn fail, int depth) {
  item.movie_id = d.movie_id;
  item.match_method = d.method;
  item.match_confidence = d.confidence;
  item.match_basis = d.basis;
  const std::string source = item.record.source;
  const std::string id = item.record.source_id;
  if (!d.current_movie.empty())  // it leaves its old movie
    forget_holder(self, d.current_movie, source, id);
  // A chain of displacements is followed this far; the rest wait for the next pass.
  const std::string displaced = depth < kMaxDisplacements ? d.displaces : std::string();
  const std::string why = displaced.empty() ? std::string()
                                            : fmt::format("displaced from {} by {} {}: {:.2f} bits > {:.2f}",
                                                          d.movie_id, source, id, d.weight.value_or(0),
                                                          d.displaced_weight.value_or(0));
  remember(self, item, d);
  if (d.method == matching::kTitleYear) item.match_candidates = std::move(d.candidates);
  // The callbacks below capture what they use, not the item or the decision: each
  // copy of those copied the record and its scored candidates (JSON) again.
  const std::string movie = d.movie_id, current = d.current_movie, correlation = item.correlation;
  const std::string input = item.input;
  const std::uint64_t causation_seq = item.causation_seq;
  auto sent = std::make_shared<IngestItem>(std::move(item));  // sent once, by `send`
  const std::string me = recent_key(source, id);
  self->state.arriving[me];  // on its way: a displacement of it waits for its arrival
  auto arrived = [=] {
    auto& waiting = self->state.arriving;
    auto it = waiting.find(me);
    if (it == waiting.end()) return;
    auto then = std::move(it->second);
    waiting.erase(it);
    for (auto& f : then) f();
  };
  auto send = [=] {
    // No timeout of its own, per record: each is an entry in CAF's clock thread, set
    // and woken up for (7 % of a first IMDb run's CPU). The batch's request from its
    // source has the timeout (SourceOptions::item_timeout), and the movie answers
    // every item (append_item delivers on every path).
    request_as_handled(self, self->state.deps.registry, caf::infinite, ingest_atom::value,
                       std::move(*sent))
        .then(
            [=](IngestOutcome& outcome) {
              arrived();
              if (displaced.empty()) return ok(outcome);
              decide_again(self, movie, source, displaced, why, correlation, depth, [=] { ok(outcome); }, fail);
            },
            [=](caf::error& err) {
              arrived();
              fail(err);
            });
  };
  auto leave_current = [=] {
    if (current.empty()) return send();
    remove_from_movie(self, RemoveItem{current, source, id, input, correlation, causation_seq}, send, fail);
  };
  if (displaced.empty()) return leave_current();
  auto displace = [=] {
    remove_from_movie(self, RemoveItem{movie, source, displaced, why, correlation, 0}, leave_current, fail);
  };
  if (auto it = self->state.arriving.find(recent_key(source, displaced)); it != self->state.arriving.end())
    return it->second.push_back(displace);  // the holder is not in the movie yet
  displace();
}

/// Records that `item` is in no movie: SourceRecordUnmatched in its source stream.
void record_unmatched(matcher_self self, IngestItem item, const MatchDecision& d, OutcomeFn ok,
                      ErrorFn fail) {
  auto& st = self->state;
  const auto& r = item.record;
  std::string previous;
  if (auto entry = st.decider->matches().unmatched(r.source, r.source_id); entry && *entry)
    previous = (**entry).value("fingerprint", "");
  events::Event e;
  e.type = events::EventType::source_record_unmatched;
  e.stream = matching::source_stream(r.source);
  e.time_ms = now_ms();
  e.source = r.source;
  e.causation = item.input;
  e.correlation = item.correlation;
  e.causation_seq = item.causation_seq != 0 ? item.causation_seq : d.basis;
  e.data = events::to_data(
      events::SourceRecordUnmatched{r, item.fingerprint, previous, d.reason, d.message, d.candidates});
  std::vector<store::SideWrite> side{{store::ColumnFamily::fingerprints,
                                      store::keys::fingerprint_key(r.source, r.source_id),
                                      item.fingerprint}};
  forget_recent(self, r.source, r.source_id);
  st.placed.erase(recent_key(r.source, r.source_id));
  if (!d.current_movie.empty()) forget_holder(self, d.current_movie, r.source, r.source_id);
  auto append = [=] {
    append_to_source_stream(
        self, e, side,
        [=](store::AppendResult result) {
          IngestOutcome outcome;
          outcome.changed = !result.duplicate;
          outcome.appended = result.duplicate ? 0 : 1;
          outcome.unmatched = true;
          ok(outcome);
        },
        fail);
  };
  if (d.current_movie.empty()) return append();
  remove_from_movie(self,
                    RemoveItem{d.current_movie, r.source, r.source_id, item.input, item.correlation,
                               e.causation_seq},
                    append, fail);
}

/// The movie this process last routed the record to, which the read models may not show yet.
std::string recent_movie(matcher_self self, const events::SourceRecord& r) {
  auto& st = self->state;
  auto it = st.recent.find(recent_key(r.source, r.source_id));
  return it == st.recent.end() ? std::string() : it->second;
}

/// Carries out a decision for `item`: into its movie, or into the unmatched log.
void apply_decision(matcher_self self, IngestItem item, MatchDecision d, OutcomeFn ok, ErrorFn fail) {
  if (d.matched) return route(self, std::move(item), std::move(d), ok, fail);
  record_unmatched(self, std::move(item), d, ok, fail);
}

void handle_ingest(matcher_self self, IngestItem item, OutcomeFn ok, ErrorFn fail) {
  auto decision = self->state.decider->decide(item.record, recent_movie(self, item.record));
  if (!decision) return fail(to_error(decision.status()));
  apply_decision(self, std::move(item), decision.take(), ok, fail);
}

/// A batch: every record decided at once on every core (actors/batch_decider.hpp),
/// then each decision carried out in order; one that an earlier record's changed
/// since is taken again here first.
void handle_batch(matcher_self self, IngestBatch& batch, const std::shared_ptr<BatchReply>& reply) {
  auto& st = self->state;
  std::vector<DecideItem> items(batch.size());
  for (std::size_t i = 0; i < batch.size(); ++i) items[i] = {&batch[i].record, recent_movie(self, batch[i].record)};
  auto decisions = st.batch_decider->decide(items);
  st.changes.start();
  for (std::size_t i = 0; i < batch.size(); ++i) {
    auto& decision = decisions[i];
    if (decision && !st.changes.empty() && stale(*decision, batch[i].record, st.changes))
      decision = st.decider->decide(batch[i].record, recent_movie(self, batch[i].record));
    if (!decision) {
      reply->failed(i, message_of(to_error(decision.status())));
      continue;
    }
    apply_decision(
        self, std::move(batch[i]), decision.take(), [=](IngestOutcome o) { reply->done(i, std::move(o)); },
        [=](caf::error e) { reply->failed(i, message_of(e)); });
  }
  st.changes.stop();
}

// --- POST /links -------------------------------------------------------------------

void handle_link(matcher_self self, LinkRequest req, caf::typed_response_promise<LinkOutcome> rp) {
  auto& st = self->state;
  auto fail = [=](caf::error err) mutable { rp.deliver(std::move(err)); };
  auto invalid = [&](const std::string& m) { rp.deliver(to_error(Status::invalid(m))); };
  if (req.source.empty()) return invalid("source is required");
  if (req.source_id.empty()) return invalid("source_id is required");
  if (req.by.empty()) return invalid("by (who decides) is required");
  if (req.why.empty()) return invalid("why (the reason) is required");
  if (!req.movie_id.empty()) {
    if (!is_valid_movie_id(req.movie_id)) return invalid("\"" + req.movie_id + "\" is not a movie id");
    auto movie = store::ReadModels(*st.deps.db).movie(req.movie_id);
    if (!movie) { rp.deliver(to_error(movie.status())); return; }
  }

  // What moviec has of the record: its unmatched entry, or its version in a movie.
  auto known = known_record(self, req.source, req.source_id);
  if (!known) {
    rp.deliver(to_error(known.status()));
    return;
  }
  std::optional<events::SourceRecord> record = known->record;
  std::string fingerprint = known->fingerprint;
  std::string current = known->current;

  events::Event e;
  e.type = events::EventType::source_record_linked;
  e.stream = matching::source_stream(req.source);
  e.time_ms = now_ms();
  e.source = req.source;
  e.causation = "POST /links";
  e.correlation = req.correlation;
  e.data = events::to_data(events::SourceRecordLinked{req.source, req.source_id, req.movie_id, req.by,
                                                      req.why, record, fingerprint});
  append_to_source_stream(
      self, e, {},
      [=](store::AppendResult result) mutable {
        LinkOutcome out;
        out.sequence = result.first_sequence;
        out.record_known = record.has_value();
        out.previous_movie = current;
        if (!req.movie_id.empty()) {
          if (!record || current == req.movie_id) {
            out.applied = record.has_value();  // already there, or it follows when it arrives
            { rp.deliver(out); return; }
          }
          IngestItem item;
          item.record = *record;
          item.fingerprint = fingerprint;
          item.input = "POST /links";
          item.correlation = req.correlation;
          item.causation_seq = result.first_sequence;
          MatchDecision d;
          d.matched = true;
          d.movie_id = req.movie_id;
          d.method = std::string(matching::kManual);
          d.basis = result.first_sequence;
          d.current_movie = current;
          out.applied = true;
          return route(self, std::move(item), std::move(d), [=](IngestOutcome) mutable { rp.deliver(out); }, fail);
        }
        // No match: out of its movie, if it is in one; the projection lists it unmatched.
        forget_recent(self, req.source, req.source_id);
        forget_holder(self, current, req.source, req.source_id);
        out.applied = record.has_value();
        if (current.empty()) { rp.deliver(out); return; }
        remove_from_movie(self,
                          RemoveItem{current, req.source, req.source_id, "POST /links",
                                     req.correlation, result.first_sequence},
                          [=]() mutable { rp.deliver(out); }, fail);
      },
      fail);
}

// --- resolve pass ---------------------------------------------------------------------

void resolve_step(matcher_self self);
OutcomeFn resolve_done(matcher_self self);
ErrorFn resolve_failed(matcher_self self);

void finish_resolve(matcher_self self) {
  auto& st = self->state;
  auto waiters = std::move(st.resolve_waiters);
  st.resolve_waiters.clear();
  for (auto& w : waiters) w.deliver(st.resolve_summary);
  st.resolving = false;
}

void start_resolve(matcher_self self) {
  auto& st = self->state;
  st.resolving = true;
  st.resolve_phase = 0;
  st.resolve_cursor.clear();
  st.resolve_exhausted = false;
  st.resolve_in_flight = 0;
  st.resolve_summary = ResolveSummary{};
  st.resolve_correlation = new_correlation_id("resolve");
  resolve_step(self);
}

void resolve_one(matcher_self self, const json& entry) {
  auto& st = self->state;
  ++st.resolve_summary.examined;
  if (entry.value("reason", "") == matching::kNoMatch) return;  // a person's word stands
  events::SourceRecord record;
  try {
    record = entry.at("record").get<events::SourceRecord>();
  } catch (const json::exception& ex) {
    ++st.resolve_summary.failed;
    if (st.resolve_summary.error.empty()) st.resolve_summary.error = std::string("unmatched entry: ") + ex.what();
    return;
  }
  auto fingerprint = entry.value("fingerprint", "");
  // Decided in this process since, or a newer version exists: that one decides.
  if (st.recent.count(recent_key(record.source, record.source_id))) return;
  auto stored = st.deps.db->get(store::ColumnFamily::fingerprints,
                                store::keys::fingerprint_key(record.source, record.source_id));
  if (stored && *stored != fingerprint) return;

  auto decision = st.decider->decide(record);
  if (!decision) {
    ++st.resolve_summary.failed;
    if (st.resolve_summary.error.empty()) st.resolve_summary.error = decision.status().message();
    return;
  }
  if (!decision->matched) return;
  ++st.resolve_summary.resolved;
  ++st.resolve_in_flight;
  IngestItem item;
  item.record = std::move(record);
  item.fingerprint = fingerprint;
  item.input = "resolve";
  item.correlation = st.resolve_correlation;
  item.causation_seq = entry.value("sequence", std::uint64_t{0});
  route(self, std::move(item), std::move(*decision), resolve_done(self), resolve_failed(self));
}

/// The resolve pass's callbacks: one routed or removed record is done.
OutcomeFn resolve_done(matcher_self self) {
  return [=](IngestOutcome) {
    --self->state.resolve_in_flight;
    resolve_step(self);
  };
}
ErrorFn resolve_failed(matcher_self self) {
  return [=](caf::error err) {
    auto& st = self->state;
    --st.resolve_in_flight;
    --st.resolve_summary.resolved;
    ++st.resolve_summary.failed;
    if (st.resolve_summary.error.empty()) st.resolve_summary.error = message_of(err);
    resolve_step(self);
  };
}

/// Phase 1 of a pass: a person's decision that its record does not show yet (the
/// process stopped between the SourceRecordLinked event and applying it) is
/// applied now.
void enforce_decision(matcher_self self, const std::string& key, const json& decision) {
  auto& st = self->state;
  ++st.resolve_summary.examined;
  auto rest = key.substr(2);  // 'p' 0x00 source 0x00 source_id
  auto nul = rest.find('\0');
  if (nul == std::string::npos) return;
  std::string source = rest.substr(0, nul), id = rest.substr(nul + 1);
  auto known = known_record(self, source, id);
  if (!known) {
    ++st.resolve_summary.failed;
    if (st.resolve_summary.error.empty()) st.resolve_summary.error = known.status().message();
    return;
  }
  // Routed in this process to a movie the read models do not show yet: they are
  // behind, and the next pass sees it right.
  if (auto r = st.recent.find(recent_key(source, id)); r != st.recent.end() && r->second != known->current)
    return;
  auto movie = decision.value("movie_id", "");
  auto seq = decision.value("sequence", std::uint64_t{0});
  if (movie == known->current || !known->record) return;  // as decided, or not seen yet
  IngestItem item;
  item.record = std::move(*known->record);
  item.fingerprint = known->fingerprint;
  item.input = "resolve";
  item.correlation = st.resolve_correlation;
  item.causation_seq = seq;
  if (movie.empty()) {  // "no match", yet still in a movie: out, into the unmatched log
    MatchDecision d;
    d.reason = std::string(matching::kNoMatch);
    d.message = "a person said no match: " + decision.value("by", "") + ": " + decision.value("why", "");
    d.basis = seq;
    d.current_movie = known->current;
    ++st.resolve_summary.resolved;
    ++st.resolve_in_flight;
    record_unmatched(self, std::move(item), d, resolve_done(self), resolve_failed(self));
    return;
  }
  MatchDecision d;
  d.matched = true;
  d.movie_id = movie;
  d.method = std::string(matching::kManual);
  d.basis = seq;
  d.current_movie = known->current;
  ++st.resolve_summary.resolved;
  ++st.resolve_in_flight;
  route(self, std::move(item), std::move(d), resolve_done(self), resolve_failed(self));
}

void resolve_step(matcher_self self) {
  auto& st = self->state;
  // Phase 0: people's decisions ('p'); phase 1: the unmatched records ('u').
  const std::string prefix{st.resolve_phase == 0 ? store::keys::kMatchDecision : store::keys::kMatchUnmatched,
                           '\0'};
  while (!st.resolve_exhausted && st.resolve_in_flight < st.deps.resolve_in_flight) {
    std::vector<std::pair<std::string, json>> batch;
    auto it = st.deps.db->iterator(store::ColumnFamily::matching);
    it->Seek(st.resolve_cursor.empty() ? prefix : st.resolve_cursor);
    if (it->Valid() && !st.resolve_cursor.empty() && it->key() == st.resolve_cursor) it->Next();
    for (; it->Valid() && it->key().starts_with(prefix) && batch.size() < kResolveBatch; it->Next())
      batch.emplace_back(it->key().ToString(), json::parse(it->value().ToStringView(), nullptr, false));
    if (auto s = store::from_rocksdb(it->status(), "resolve"); !s) {
      ++st.resolve_summary.failed;
      if (st.resolve_summary.error.empty()) st.resolve_summary.error = s.message();
      st.resolve_exhausted = true;
      break;
    }
    if (batch.size() < kResolveBatch) st.resolve_exhausted = true;
    if (!batch.empty()) st.resolve_cursor = batch.back().first;
    for (auto& [key, entry] : batch) {
      if (entry.is_discarded()) continue;
      if (st.resolve_phase == 0) enforce_decision(self, key, entry);
      else resolve_one(self, entry);
    }
  }
  // The decisions first, all applied, then the unmatched records: a record a person
  // placed is not also placed by title.
  if (st.resolve_phase == 0 && st.resolve_exhausted && st.resolve_in_flight == 0) {
    st.resolve_phase = 1;
    st.resolve_cursor.clear();
    st.resolve_exhausted = false;
    return resolve_step(self);
  }
  if (st.resolve_phase == 1 && st.resolve_exhausted && st.resolve_in_flight == 0 && st.resolving) {
    finish_resolve(self);
    if (!st.resolve_next_waiters.empty()) {  // asked again while this pass ran: new data may be behind its cursor
      st.resolve_waiters = std::move(st.resolve_next_waiters);
      st.resolve_next_waiters.clear();
      start_resolve(self);
    }
  }
}

}  // namespace

matcher_actor::behavior_type matcher(matcher_actor::stateful_pointer<matcher_state> self,
                                     MatcherDeps deps) {
  self->state.deps = std::move(deps);
  self->state.decider = std::make_unique<MatchDecider>(*self->state.deps.db, self->state.deps.settings);
  self->state.decider->set_pending_holders(&self->state.holders);
  self->state.batch_decider = std::make_unique<BatchDecider>(*self->state.deps.db, self->state.deps.settings,
                                                             &self->state.holders, self->state.deps.decide_helpers);
  return {
      [=](ingest_atom, IngestItem& item) {
        auto rp = self->make_response_promise<IngestOutcome>();
        handle_ingest(
            self, std::move(item), [=](IngestOutcome o) mutable { rp.deliver(o); },
            [=](caf::error e) mutable { rp.deliver(std::move(e)); });
        return rp;
      },
      [=](ingest_atom, IngestBatch& batch) {
        auto reply = std::make_shared<BatchReply>(
            batch.size(), self->make_response_promise<IngestBatchOutcome>());
        handle_batch(self, batch, reply);
        return reply->promise;
      },
      [=](link_atom, LinkRequest& request) {
        auto rp = self->make_response_promise<LinkOutcome>();
        handle_link(self, std::move(request), rp);
        return rp;
      },
      [=](resolve_atom) {
        auto& st = self->state;
        auto rp = self->make_response_promise<ResolveSummary>();
        if (st.resolving) {
          st.resolve_next_waiters.push_back(rp);
        } else {
          st.resolve_waiters.push_back(rp);
          start_resolve(self);
        }
        return rp;
      },
  };
}

}  // namespace moviec::actors
