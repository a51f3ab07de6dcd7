#include "store/movie_recovery.hpp"

#include <nlohmann/json.hpp>

namespace moviec::store {

StatusOr<MovieRecovery> recover_movie(EventLog& log, const std::string& movie_id,
                                      std::uint64_t max_version) {
  MovieRecovery out;
  out.state.movie_id = movie_id;
  // A stream with no events yet (every movie of a first run): one point lookup,
  // answered by the Bloom filter, instead of two iterator seeks. The head is
  // written in the same batch as the events, so 0 means nothing to fold.
  auto head = log.stream_version(movie_id);
  if (!head) return head.status();
  if (*head == 0) return out;
  // A short stream is folded from its first event without looking for a snapshot
  // (an iterator seek): folding a few events costs less, and the state is the same
  // either way. Most movies of a bulk load have two events when the next source's
  // records arrive.
  constexpr std::uint64_t kFoldWithoutSnapshot = 4;
  StatusOr<std::optional<std::pair<std::uint64_t, std::string>>> snapshot{std::nullopt};
  if (*head > kFoldWithoutSnapshot) snapshot = log.latest_snapshot(movie_id, max_version);
  if (!snapshot) return snapshot.status();
  if (*snapshot) {
    auto j = nlohmann::json::parse((*snapshot)->second, nullptr, false);
    if (j.is_discarded())
      return Status::corruption("snapshot " + movie_id + "@" + std::to_string((*snapshot)->first) +
                                " is not JSON");
    out.state = events::MovieState::from_snapshot(j);
    out.snapshot_version = out.state.version;
  }
  auto st = log.read_stream(movie_id, out.state.version + 1, [&](const events::Event& e) {
    if (e.version > max_version) return false;
    out.state.apply(e);
    ++out.events_folded;
    return true;
  });
  if (!st) return st;
  return out;
}

StatusOr<std::uint64_t> last_version_where(EventLog& log, const std::string& movie_id,
                                           const EventPredicate& in_past) {
  auto head = log.stream_version(movie_id);
  if (!head) return head.status();
  // Invariant: in_past holds at `low` (or low == 0) and fails above `high`.
  std::uint64_t low = 0, high = *head;
  while (low < high) {
    std::uint64_t mid = low + (high - low + 1) / 2;
    auto e = log.read_version(movie_id, mid);
    if (!e) return e.status();
    if (in_past(*e)) low = mid;
    else high = mid - 1;
  }
  return low;
}

StatusOr<MovieRecovery> recover_movie_until(EventLog& log, const std::string& movie_id,
                                            const EventPredicate& in_past) {
  auto version = last_version_where(log, movie_id, in_past);
  if (!version) return version.status();
  if (*version == 0) {
    MovieRecovery none;
    none.state.movie_id = movie_id;
    return none;
  }
  return recover_movie(log, movie_id, *version);
}

}  // namespace moviec::store
