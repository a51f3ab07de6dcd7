#pragma once
// Read models: what the HTTP API serves, derived from the log and rebuildable
// from sequence 0 at any time.
//
//  movies       movie id -> the golden record as served by GET /movies/{id}:
//               {"movie_id", "version", "last_sequence", "rules_version",
//                <field>: value ..., "provenance": {<field>: {source, rule, sequence}},
//                "sources": [{"source", "source_id"}] in (source, source_id) order}
//               (store/movie_doc.hpp); movie_document() renders a folded MovieState
//               the same way, byte for byte, for "as of" queries.
//  movie_index  title words, year and genres -> movie id (keys in store/keys.hpp);
//               match blocking 'm' keys only in a store folded before facts blocking
//  stats        movie count, records per source
//
// Projector is the one writer. It applies events in sequence order and stores its
// checkpoint in the same WriteBatch as the changes, so each event lands exactly
// once even across crashes. ReadModels is the read side and is thread-safe.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.hpp"
#include "events/event.hpp"
#include "events/movie_state.hpp"
#include "store/db.hpp"
#include "store/event_log.hpp"
#include "store/movie_doc.hpp"

namespace moviec::store {

class Projector {
 public:
  static constexpr const char* kName = "read_models";

  /// Reads the checkpoint of `name` from `target`.
  explicit Projector(Db& target);
  Projector(const Projector&) = delete;
  Projector& operator=(const Projector&) = delete;

  std::uint64_t checkpoint() const { return checkpoint_; }

  /// Applies events (in sequence order, all after the checkpoint) and commits the
  /// read-model changes with the new checkpoint in one batch. Events at or below
  /// the checkpoint are skipped, which makes a replayed delivery harmless.
  [[nodiscard]] Status apply(const std::vector<events::Event>& batch);
  /// The same for several batches in a row, applied and committed as one.
  [[nodiscard]] Status apply_batches(const std::vector<const std::vector<events::Event>*>& batches);

  /// Applies everything in `log` after the checkpoint, `chunk` events per batch.
  /// `progress` (optional) sees the checkpoint after each batch.
  [[nodiscard]] Status catch_up(EventLog& log, std::size_t chunk = 2000,
                                const std::function<void(std::uint64_t)>& progress = {});

 private:
  struct Pending;  // one batch's state: touched docs and counters
  void apply_one(const events::Event& e, const events::MovieChanged* change, Pending& p);
  /// The movie's document as the batch left it; `first_event`: the stream's first
  /// event is being applied, so there is nothing stored to read.
  MovieDoc& doc_for(const std::string& movie_id, bool first_event, Pending& p);

  Db& db_;
  ReusedWriteBatch batch_;  // each batch's writes (a Projector has one caller at a time)
  std::uint64_t checkpoint_ = 0;
  // The matching read model was folded by a build before facts blocking (no 'v'
  // marker, store/match_models.hpp): the matcher blocks on movie_index 'm' keys, so
  // they are kept up to date. Otherwise they are not written.
  bool legacy_blocking_ = false;
};

class ReadModels {
 public:
  explicit ReadModels(Db& db) : db_(db) {}

  /// The golden record JSON; not_found for an unknown id.
  StatusOr<nlohmann::json> movie(const std::string& movie_id);

  struct Query {
    std::string q;                 // title words, case and accent insensitive; all must match
    std::optional<int> year;
    std::string genre;             // case insensitive
    std::size_t limit = 20;
    std::string cursor;            // from a previous page's next_cursor
  };
  struct Page {
    std::vector<nlohmann::json> movies;
    std::string next_cursor;       // empty: no more results
  };
  /// Movies matching every given filter, in movie-id order within the index used.
  StatusOr<Page> search(const Query& query);

  /// {"movies": N, "sources": {name: {"records": N}}} (the caller adds "events").
  StatusOr<nlohmann::json> stats();

  std::uint64_t checkpoint();

 private:
  Db& db_;
};

/// The golden record document of a folded movie state, exactly as the projector
/// stores it after the same events (GET /movies/{id}?as_of= serves it).
nlohmann::json movie_document(const events::MovieState& state);

/// The movie_index 'm' keys (match blocking) of a golden record document. Only a
/// store whose matching read model was folded by a build before facts blocking
/// (MatchModels::has_facts_blocking() false, until `moviec replay`) has them.
std::vector<std::string> legacy_blocking_keys(const nlohmann::json& doc);

/// Deletes the movie_index 'm' keys of a store with facts blocking: builds before
/// this one wrote them there too, and nothing reads them. A no-op otherwise.
[[nodiscard]] Status drop_unread_blocking_keys(Db& db);

/// Compares the read-model column families of two databases key by key.
/// Returns the first difference found, or nullopt when byte-identical.
std::optional<std::string> compare_read_models(Db& a, Db& b);

}  // namespace moviec::store
