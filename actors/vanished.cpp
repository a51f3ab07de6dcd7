#include "actors/vanished.hpp"

#include <algorithm>

#include "events/hash.hpp"
#include "store/keys.hpp"
#include "store/match_models.hpp"

namespace moviec::actors {

void SeenIds::add(std::string_view source_id) {
  hashes_.push_back(events::fnv1a64(source_id));
  sealed_ = false;
}

void SeenIds::seal() {
  if (sealed_) return;
  std::sort(hashes_.begin(), hashes_.end());
  hashes_.erase(std::unique(hashes_.begin(), hashes_.end()), hashes_.end());
  sealed_ = true;
}

bool SeenIds::contains(std::string_view source_id) const {
  return std::binary_search(hashes_.begin(), hashes_.end(), events::fnv1a64(source_id));
}

StatusOr<Vanished> vanished_records(store::Db& db, const std::string& source, const SeenIds& seen,
                                    const std::string& input, const std::string& correlation) {
  Vanished out;
  store::MatchModels matches(db);
  auto prefix = store::keys::source_prefix(source);
  auto it = db.iterator(store::ColumnFamily::fingerprints);
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    if (it->value().empty()) continue;  // removed before: nothing left to remove
    std::string id = it->key().ToString().substr(prefix.size());
    if (seen.contains(id)) continue;
    auto state = matches.state(source, id);
    if (!state) return state.status();
    if (!state->has_value() || (**state).value("state", "") != "matched") {
      ++out.unmatched;
      continue;
    }
    RemoveItem item;
    item.movie_id = (**state).value("movie_id", "");
    item.source = source;
    item.source_id = std::move(id);
    item.input = input;
    item.correlation = correlation;
    item.vanished = true;
    out.removals.push_back(std::move(item));
  }
  if (!it->status().ok()) return store::from_rocksdb(it->status(), "scanning fingerprints of " + source);
  return out;
}

}  // namespace moviec::actors
