#pragma once
// Where a source stands between runs: the checkpoint of an inbox file being
// ingested (so a restart after kill -9 resumes mid-file) and the cursor of a
// polled feed. Each is a small JSON value under (source, name). A cursor is
// written only after the events it covers are committed, so it may lag the log
// (re-reading is harmless: fingerprints make those records unchanged) but never
// run ahead of it. Keys: store/keys.hpp (source_cursors).

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "common/status.hpp"
#include "store/db.hpp"

namespace moviec::store {

class SourceCursors {
 public:
  /// `db` must outlive this object. Thread-safe (RocksDB is).
  explicit SourceCursors(Db& db) : db_(db) {}

  /// The stored value; nullopt when there is none.
  StatusOr<std::optional<nlohmann::json>> get(const std::string& source, const std::string& name);
  /// Stores a value; `sync` makes it survive power loss, not only kill -9.
  Status put(const std::string& source, const std::string& name, const nlohmann::json& value,
             bool sync);
  Status erase(const std::string& source, const std::string& name);

 private:
  Db& db_;
};

}  // namespace moviec::store
