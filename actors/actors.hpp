#pragma once
// Every actor protocol of moviec, in one place (CAF 0.17 typed actors).
//
// Write path of one record:
//   source_actor --ingest--> matcher_actor --ingest--> registry_actor --delegate--> movie_actor
//   movie_actor --append--> journal_actor   (a record in no movie: matcher_actor --append--> journal_actor)
//   journal_actor --committed--> projection_actor
// Each movie stream has exactly one writer, its movie actor; the log has one, the
// journal. Everything else sends them commands. Reads (HTTP) go to RocksDB directly.
//
// Rule: every request has a finite timeout and an explicit error handler.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <caf/all.hpp>

#include "events/source_record.hpp"
#include "sources/record_reader.hpp"
#include "store/event_log.hpp"

namespace moviec::actors {

// --- atoms (at most 10 characters) ---------------------------------------------
using append_atom = caf::atom_constant<caf::atom("append")>;
using committed_atom = caf::atom_constant<caf::atom("committed")>;
using ingest_atom = caf::atom_constant<caf::atom("ingest")>;
using run_atom = caf::atom_constant<caf::atom("run")>;
using snapshot_atom = caf::atom_constant<caf::atom("snapshot")>;
using stats_atom = caf::atom_constant<caf::atom("stats")>;
using stop_atom = caf::atom_constant<caf::atom("stop")>;
using tick_atom = caf::atom_constant<caf::atom("tick")>;
using wait_atom = caf::atom_constant<caf::atom("wait")>;
using flush_atom = caf::atom_constant<caf::atom("flush")>;
using link_atom = caf::atom_constant<caf::atom("link")>;
using resolve_atom = caf::atom_constant<caf::atom("resolve")>;
using remove_atom = caf::atom_constant<caf::atom("remove")>;
using reaggregate_atom = caf::atom_constant<caf::atom("reaggr")>;

// --- message types --------------------------------------------------------------

/// A normalized record on its way to its movie.
struct IngestItem {
  events::SourceRecord record;
  std::string fingerprint;   // record.fingerprint(), computed once by the source
  std::string input;         // "file:line" or request id: the event's causation
  std::string correlation;   // the ingest run or request
  std::string match_method;  // how the matcher found the movie (events/matching.hpp)
  // -- set by the matcher (actors/matcher.hpp) ------------------------------------
  std::string movie_id;      // the movie this item goes to; "" = record.movie_id
  std::uint64_t causation_seq = 0;     // the event that caused it (a link, an unmatched record)
  std::optional<double> match_confidence;  // title_year
  nlohmann::json match_candidates;         // title_year: scored candidates, best first
  std::uint64_t match_basis = 0;       // the earlier event whose decision it follows
};

/// Takes a source record out of a movie (it moves to another, or a person said no match).
struct RemoveItem {
  std::string movie_id;
  std::string source;
  std::string source_id;
  std::string input;          // the event's causation
  std::string correlation;
  std::uint64_t causation_seq = 0;
  bool vanished = false;      // gone from its source: the source's fingerprint is cleared too
};

/// A person's decision (POST /links): the record belongs to movie_id, or ("") to none.
struct LinkRequest {
  std::string source;
  std::string source_id;
  std::string movie_id;       // "" = no match
  std::string by;             // who decides
  std::string why;            // their reason
  std::string correlation;    // the request
};

struct LinkOutcome {
  std::uint64_t sequence = 0;  // the SourceRecordLinked event
  bool record_known = false;   // moviec has the record (else the decision waits for it)
  bool applied = false;        // the record is now where the person said
  std::string previous_movie;  // the movie it was in before, if any
};

/// Counters of one pass over the unmatched records.
struct ResolveSummary {
  std::uint64_t examined = 0;  // unmatched records looked at
  std::uint64_t resolved = 0;  // sent into a movie
  std::uint64_t failed = 0;
  std::string error;           // first failure, empty when none
};

/// What a movie did with an item.
struct IngestOutcome {
  bool changed = false;       // false: the movie already had exactly this record
  std::uint32_t appended = 0; // events appended (0, 1 or 2)
  bool unmatched = false;     // the record went to its source's unmatched log
  std::string error;          // in a batch: why this item failed ("" = it did not)
};

/// Items a source sends together, in input order (one request, not one per record).
using IngestBatch = std::vector<IngestItem>;

/// One outcome per item of an IngestBatch, in the same order; a failed item
/// carries its error and the others stand.
struct IngestBatchOutcome {
  std::vector<IngestOutcome> outcomes;
};

/// Counters of one ingest run; `moviec ingest` prints them.
struct IngestSummary {
  std::uint64_t read = 0;       // records the reader produced
  std::uint64_t changed = 0;    // records that appended events
  std::uint64_t unchanged = 0;  // records identical to what the source sent before
  std::uint64_t rejected = 0;   // input rows rejected (see rejects)
  std::uint64_t appended = 0;   // events appended
  std::uint64_t failed = 0;     // records whose append failed (the run reports an error)
  std::uint64_t unmatched = 0;  // changed records that matched no movie (the unmatched log)
  std::uint64_t resolved = 0;   // earlier unmatched records (any source) this run made matchable
  std::uint64_t removed = 0;    // records removed from their movies: gone from a full snapshot
  std::uint64_t resumed_from = 0;  // records a checkpoint covered when this run resumed (inbox)
  std::vector<sources::Reject> rejects;
  std::string error;            // first failure, empty when none
  std::uint64_t run = 0;        // the run's id on record (GET /sources); 0 when none
  double seconds = 0;           // the run's wall time, as on record
};

/// Re-decide one movie's golden record under the field rules its actor holds.
struct ReaggregateItem {
  std::string movie_id;
  std::string causation;    // names the rule change, e.g. "rules v2 (moviec.json)"
  std::string correlation;  // the reaggregate run
};

/// What re-deciding one movie did.
struct ReaggregateOutcome {
  bool changed = false;        // a MovieChanged (trigger "rules") was appended
  std::uint32_t fields = 0;    // fields it changed
};

/// Counters of one `moviec reaggregate` run.
struct ReaggregateSummary {
  std::uint64_t movies = 0;     // streams re-decided
  std::uint64_t changed = 0;    // movies that appended a MovieChanged
  std::uint64_t unchanged = 0;  // movies whose golden record the new rules leave as it is
  std::uint64_t fields = 0;     // field changes appended, over all movies
  std::uint64_t failed = 0;     // movies whose re-decision failed (the run reports an error)
  std::string error;            // first failure, empty when none
};

/// Events the journal just committed, in sequence order and exactly as stored
/// (sequence, version and causation placed): the projection applies them without
/// reading the log back. Shared, not copied, on the way.
struct CommittedEvents {
  std::shared_ptr<const std::vector<events::Event>> events;
  std::uint64_t last_sequence = 0;  // the log's last sequence after this commit
};

struct RegistryStats {
  std::size_t live_movies = 0;
  std::uint64_t spawned = 0;
  std::uint64_t evicted = 0;
};

/// Gathers the outcomes of a batch's items, which finish in any order, and
/// answers the batch once the last is in. Shared by the callbacks of its items.
struct BatchReply {
  IngestBatchOutcome result;
  std::size_t pending = 0;
  caf::typed_response_promise<IngestBatchOutcome> promise;

  BatchReply(std::size_t items, caf::typed_response_promise<IngestBatchOutcome> rp)
      : pending(items), promise(std::move(rp)) {
    result.outcomes.resize(items);
    if (items == 0) promise.deliver(std::move(result));
  }
  void done(std::size_t i, IngestOutcome outcome) {
    result.outcomes[i] = std::move(outcome);
    if (--pending == 0) promise.deliver(std::move(result));
  }
  void failed(std::size_t i, std::string error) {
    IngestOutcome o;
    o.error = std::move(error);
    done(i, std::move(o));
  }
};

// --- protocols --------------------------------------------------------------------

/// The journal: the one writer of the event log. Appends arriving together are
/// committed together in one WriteBatch (group commit), then the projection is told.
using journal_actor = caf::typed_actor<
    // Appends one stream's events atomically. Fails with a conflict error when the
    // expected version is stale; a duplicate event id answers the original result.
    caf::replies_to<append_atom, store::AppendRequest>::with<store::AppendResult>,
    // Stores a snapshot (movie id, version, bytes) with the next commit; best effort.
    caf::reacts_to<snapshot_atom, std::string, std::uint64_t, std::string>>;

/// One per movie id: folds its stream, runs the field rules, appends its events.
/// Spawned on demand by the registry; recovers from its latest snapshot.
using movie_actor = caf::typed_actor<
    // Applies one record: unchanged, or SourceRecordChanged (+ MovieChanged when the
    // golden record changed). Items are handled strictly one at a time.
    caf::replies_to<ingest_atom, IngestItem>::with<IngestOutcome>,
    // Takes a source record out: SourceRecordRemoved (+ MovieChanged when the golden
    // record changed); unchanged when the movie does not hold it.
    caf::replies_to<remove_atom, RemoveItem>::with<IngestOutcome>,
    // Runs the field rules again over the movie's source records and appends a
    // MovieChanged with trigger "rules" for what they decide differently (values or
    // provenance); nothing when they agree. Serialized with ingest like any item.
    // Fails when the movie was last decided by newer rules than these.
    caf::replies_to<reaggregate_atom, ReaggregateItem>::with<ReaggregateOutcome>,
    // Finish what is queued, then stop (eviction). Idempotent.
    caf::reacts_to<stop_atom>>;

/// Routes items to movie actors, spawning on demand, evicting idle ones and
/// capping how many are live.
using registry_actor = caf::typed_actor<
    // Delegates to the movie actor of item.movie_id, else item.record.movie_id
    // (spawned if needed); an item with neither fails.
    caf::replies_to<ingest_atom, IngestItem>::with<IngestOutcome>,
    // The same for each item of a batch; answers when every movie has.
    caf::replies_to<ingest_atom, IngestBatch>::with<IngestBatchOutcome>,
    // Delegates to the movie actor of item.movie_id.
    caf::replies_to<remove_atom, RemoveItem>::with<IngestOutcome>,
    // Delegates to the movie actor of item.movie_id (spawned if needed).
    caf::replies_to<reaggregate_atom, ReaggregateItem>::with<ReaggregateOutcome>,
    // Periodic: evicts movie actors idle longer than the configured timeout.
    caf::reacts_to<tick_atom>,
    caf::replies_to<stats_atom>::with<RegistryStats>>;

/// Tails the log into the read models, checkpointing in the same batch.
using projection_actor = caf::typed_actor<
    // The log has grown to this sequence; catch up from the log. Coalesces bursts.
    caf::reacts_to<committed_atom, std::uint64_t>,
    // The journal's commit: applied as they are when they follow the checkpoint,
    // else the projection catches up from the log.
    caf::reacts_to<committed_atom, CommittedEvents>,
    // To itself: the commits held so far go in as one batch.
    caf::reacts_to<flush_atom>,
    // Answers (with the checkpoint) once the read models include this sequence.
    caf::replies_to<wait_atom, std::uint64_t>::with<std::uint64_t>>;

/// Where a source sends its items, a batch at a time: the matcher (or, for
/// records that all carry their movie id, the registry directly).
using ingest_sink =
    caf::typed_actor<caf::replies_to<ingest_atom, IngestBatch>::with<IngestBatchOutcome>>;

/// Decides which movie each record belongs to and records every decision as an
/// event (actors/matcher.hpp). The only writer of source streams ("source:NAME").
using matcher_actor = caf::typed_actor<
    // Matched: on to the movie (moved out of its old one first when it must move).
    // Unmatched: SourceRecordUnmatched in the source stream. Answers the outcome.
    caf::replies_to<ingest_atom, IngestItem>::with<IngestOutcome>,
    // The same for each item of a batch, decided in order; answers when all are done.
    caf::replies_to<ingest_atom, IngestBatch>::with<IngestBatchOutcome>,
    // Records a person's link or "no match" (SourceRecordLinked) and applies it to
    // the record when moviec has it. Fails (invalid_argument) on a missing field,
    // (not_found) for an unknown movie.
    caf::replies_to<link_atom, LinkRequest>::with<LinkOutcome>,
    // A pass over every unmatched record: those now matchable go into their movie.
    caf::replies_to<resolve_atom>::with<ResolveSummary>>;

/// Streams one reader's records into the matcher with a bounded number in flight,
/// skipping records whose fingerprint is unchanged.
using source_actor = caf::typed_actor<
    // Runs to the end of the input; answers the summary. At most once.
    caf::replies_to<run_atom>::with<IngestSummary>>;

/// Walks every stream in the log (stream_heads) and asks each movie, through the
/// registry, to re-decide its golden record, with a bounded number in flight.
using reaggregator_actor = caf::typed_actor<
    // Runs over every movie; answers the summary. At most once.
    caf::replies_to<run_atom>::with<ReaggregateSummary>>;

/// Watches one source's inbox directory (`moviec serve`; actors/inbox.hpp).
using inbox_actor = caf::typed_actor<
    // Looks into the directory and ingests the next complete file, if any and if
    // no file is being ingested; sends itself the next tick (inbox_scan_ms).
    caf::reacts_to<tick_atom>>;

/// Polls one http_changes source (`moviec serve`; actors/poller.hpp).
using poller_actor = caf::typed_actor<
    // One poll: list the changes since the cursor, ingest them, store the next
    // cursor once committed; sends itself the next tick (interval or backoff).
    caf::reacts_to<tick_atom>>;

}  // namespace moviec::actors

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(moviec::actors::IngestItem)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(moviec::actors::IngestOutcome)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(moviec::actors::IngestBatch)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(moviec::actors::IngestBatchOutcome)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(moviec::actors::IngestSummary)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(moviec::actors::RemoveItem)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(moviec::actors::LinkRequest)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(moviec::actors::LinkOutcome)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(moviec::actors::ResolveSummary)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(moviec::actors::RegistryStats)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(moviec::actors::CommittedEvents)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(moviec::actors::ReaggregateItem)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(moviec::actors::ReaggregateOutcome)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(moviec::actors::ReaggregateSummary)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(moviec::store::AppendRequest)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(moviec::store::AppendResult)
