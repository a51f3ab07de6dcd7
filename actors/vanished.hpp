#pragma once
// Removals (SourceConfig.removals): after a full run of a source, the records it
// published before but did not publish this time have vanished from it. SeenIds
// remembers which ids a run saw (8 bytes an id: a 64-bit hash, so a 10M-row file
// costs 80 MB); vanished_records lists the rest with the movie each belongs to.
//
// A hash collision can only make a vanished record look seen (it is then kept,
// never wrongly removed). Records with no movie (unmatched) are left alone: the
// unmatched log is the matcher's.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "actors/actors.hpp"
#include "common/status.hpp"
#include "store/db.hpp"

namespace moviec::actors {

class SeenIds {
 public:
  void add(std::string_view source_id);
  /// Sorts what was added; contains() needs it. Idempotent.
  void seal();
  bool contains(std::string_view source_id) const;
  std::size_t size() const { return hashes_.size(); }

 private:
  std::vector<std::uint64_t> hashes_;
  bool sealed_ = false;
};

struct Vanished {
  std::vector<RemoveItem> removals;   // matched records the run did not see
  std::uint64_t unmatched = 0;        // unseen records that belong to no movie (left alone)
};

/// Scans the source's fingerprints (records it published, removed ones excluded)
/// for ids not in `seen`, and finds each one's movie in the match read model,
/// which must be current. `input` and `correlation` go on every RemoveItem.
StatusOr<Vanished> vanished_records(store::Db& db, const std::string& source, const SeenIds& seen,
                                    const std::string& input, const std::string& correlation);

}  // namespace moviec::actors
