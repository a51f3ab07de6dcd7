#include "store/source_cursors.hpp"

#include "store/keys.hpp"

namespace moviec::store {

StatusOr<std::optional<nlohmann::json>> SourceCursors::get(const std::string& source,
                                                          const std::string& name) {
  auto bytes = db_.get(ColumnFamily::source_cursors, keys::cursor_key(source, name));
  if (!bytes) {
    if (bytes.status().code() == Status::Code::not_found) return std::optional<nlohmann::json>();
    return bytes.status();
  }
  auto j = nlohmann::json::parse(*bytes, nullptr, false);
  if (j.is_discarded()) return Status::corruption("cursor " + name + " of " + source + " is not JSON");
  return std::optional<nlohmann::json>(std::move(j));
}

Status SourceCursors::put(const std::string& source, const std::string& name,
                          const nlohmann::json& value, bool sync) {
  rocksdb::WriteBatch batch;
  batch.Put(db_.cf(ColumnFamily::source_cursors), keys::cursor_key(source, name),
            value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  return db_.write(batch, sync);
}

Status SourceCursors::erase(const std::string& source, const std::string& name) {
  rocksdb::WriteBatch batch;
  batch.Delete(db_.cf(ColumnFamily::source_cursors), keys::cursor_key(source, name));
  return db_.write(batch, false);
}

}  // namespace moviec::store
