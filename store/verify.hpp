#pragma once
// `moviec verify`: proves the store is consistent.
//  - the log holds sequences 1..last with no gap, each event decodes;
//  - every event's id maps to its own sequence (no event stored twice);
//  - every stream's versions are 1..head with no gap, and its index points at
//    events of that stream and version;
//  - every asset a source record references ("/assets/<sha256>" in posters or
//    trailers) is in the bucket and its bytes hash to its address;
//  - the read models are byte-identical to a fold of the whole log into an empty
//    database (built in `scratch_dir`, removed afterwards).
// Read models that lag a sound log (a crash before the projection caught up)
// are caught up first, as the next start would, and the lag is reported apart.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "store/assets.hpp"
#include "store/db.hpp"
#include "store/event_log.hpp"

namespace moviec::store {

struct VerifyReport {
  std::uint64_t events = 0;
  std::uint64_t streams = 0;
  std::uint64_t read_model_checkpoint = 0;
  std::uint64_t read_models_caught_up = 0;  // events the read models lagged (folded before checking)
  std::uint64_t assets = 0;                 // distinct assets referenced (and checked)
  std::vector<std::string> problems;  // empty: consistent
  bool ok() const { return problems.empty(); }
};

/// `bucket`: the store's asset bucket; null skips the asset check.
VerifyReport verify(Db& db, EventLog& log, const std::string& scratch_dir,
                    const AssetBucket* bucket = nullptr);

/// Clears the read models and their checkpoint and folds the log from sequence 0
/// (`moviec replay`). `progress` sees the checkpoint as it advances.
Status rebuild_read_models(Db& db, EventLog& log,
                           const std::function<void(std::uint64_t)>& progress = {});

}  // namespace moviec::store
