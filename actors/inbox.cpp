#include "actors/inbox.hpp"

#include <algorithm>
#include <fstream>
#include <vector>

#include "actors/errors.hpp"
#include "actors/run_recorder.hpp"
#include "common/clock.hpp"
#include "common/log.hpp"
#include "store/source_cursors.hpp"

namespace moviec::actors {

namespace fs = std::filesystem;

namespace {

using inbox_self = inbox_actor::stateful_pointer<inbox_state>;

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool temporary_name(const std::string& name) {
  return name.empty() || name[0] == '.' || ends_with(name, ".tmp") || ends_with(name, ".part") ||
         ends_with(name, ".ready");
}

/// The size and modification time a checkpoint is valid for: a different file
/// under the same name starts from the top.
nlohmann::json guard_of(const fs::path& file) {
  std::error_code ec;
  auto size = fs::file_size(file, ec);
  auto mtime = fs::last_write_time(file, ec).time_since_epoch().count();
  return nlohmann::json{{"size", size}, {"mtime", static_cast<std::int64_t>(mtime)}};
}

/// The complete files waiting, in name order.
std::vector<std::string> waiting_files(inbox_self self) {
  auto& st = self->state;
  std::vector<std::string> out;
  std::error_code ec;
  for (auto& entry : fs::directory_iterator(st.dir, ec)) {
    std::error_code type_ec;
    if (!entry.is_regular_file(type_ec)) continue;
    auto name = entry.path().filename().string();
    if (temporary_name(name) || st.stuck.count(name)) continue;
    if (st.source.inbox_marker && !fs::exists(st.dir / (name + ".ready"), type_ec)) continue;
    out.push_back(name);
  }
  std::sort(out.begin(), out.end());
  return out;
}

/// Moves a finished file to processed/ or failed/ (and drops its marker); a name
/// already taken there gets the time appended.
void move_away(inbox_self self, const std::string& name, bool ok, const std::string& error) {
  auto& st = self->state;
  auto target_dir = st.dir / (ok ? "processed" : "failed");
  std::error_code ec;
  fs::create_directories(target_dir, ec);
  auto target = target_dir / name;
  if (fs::exists(target, ec))
    target = target_dir / (name + "." + std::to_string(now_ms()));
  // The reason goes first, so whoever sees the file in failed/ finds it beside it.
  if (!ok) std::ofstream(target.string() + ".error") << error << "\n";
  fs::rename(st.dir / name, target, ec);
  if (ec) {
    std::error_code ignored;
    if (!ok) fs::remove(target.string() + ".error", ignored);
    log::error("inbox_move_failed", {{"source", st.source.name}, {"file", name}, {"to", target.string()}, {"error", ec.message()}});
    st.stuck.insert(name);
    return;
  }
  fs::remove(st.dir / (name + ".ready"), ec);
}

void scan(inbox_self self);

/// A file that could not even be opened: a failed run on record, and failed/.
void fail_to_open(inbox_self self, const std::string& name, const Status& why) {
  auto& st = self->state;
  (void)RunRecorder::record_failed(*st.deps.db, st.source.name, "inbox", name, why);
  move_away(self, name, false, why.message());
}

void ingest(inbox_self self, const std::string& name) {
  auto& st = self->state;
  auto path = st.dir / name;
  sources::AssetOptions assets;  // an inbox file's posters and trailers: paths beside it
  if (st.deps.config) assets = {st.deps.config->data_dir, st.deps.config->assets_max_bytes};
  auto reader = sources::open_reader(st.source, {path.string()}, assets);
  if (!reader) {
    fail_to_open(self, name, reader.status());
    return scan(self);
  }
  store::SourceCursors cursors(*st.deps.db);
  auto checkpoint_name = inbox_checkpoint_name(name);
  auto guard = guard_of(path);
  SourceOptions options;
  options.source_name = st.source.name;
  options.way = "inbox";
  options.input = name;
  options.full_snapshot = true;
  options.checkpoint_name = checkpoint_name;
  options.checkpoint_guard = guard;
  if (st.deps.config) options.checkpoint_every = st.deps.config->inbox_checkpoint_every;
  auto stored = cursors.get(st.source.name, checkpoint_name);
  if (stored && stored->has_value() && (**stored).value("guard", nlohmann::json()) == guard)
    options.resume = **stored;
  auto src = spawn_source(self->system(), std::shared_ptr<sources::RecordReader>(reader.take()), st.deps,
                          std::move(options));
  st.busy = true;
  auto finish = [=](bool ok, const std::string& error) {
    auto& st = self->state;
    // A read-only store (a full disk, store/health.hpp) failed the run: the file
    // stays in the inbox with its checkpoint and is taken again once writes resume.
    if (!ok && !st.deps.db->health().writable) {
      log::warn("inbox_paused", {{"source", st.source.name}, {"file", name}, {"error", error}});
      st.busy = false;
      return;
    }
    // The checkpoint goes first: if we die before the move, the file is read again
    // from the top, which is harmless (its records are unchanged by now).
    (void)store::SourceCursors(*st.deps.db).erase(st.source.name, checkpoint_name);
    move_away(self, name, ok, error);
    st.busy = false;
    scan(self);
  };
  self->request(src, std::chrono::seconds(7 * 24 * 3600), run_atom::value)
      .then([=](const IngestSummary& summary) { finish(summary.failed == 0, summary.error); },
            [=](const caf::error& err) { finish(false, message_of(err)); });
}

void scan(inbox_self self) {
  auto& st = self->state;
  if (st.busy) return;
  if (!st.deps.db->health().writable) return;  // read-only (a full disk): wait, files stay
  auto files = waiting_files(self);
  if (!files.empty()) ingest(self, files.front());
}

}  // namespace

std::string inbox_checkpoint_name(const std::string& file_name) {
  std::string name("inbox");
  name.push_back('\0');
  return name + file_name;
}

inbox_actor::behavior_type inbox(inbox_actor::stateful_pointer<inbox_state> self, SourceDeps deps,
                                 config::SourceConfig source, std::chrono::milliseconds scan_every) {
  auto& st = self->state;
  st.deps = std::move(deps);
  st.source = std::move(source);
  st.dir = st.source.inbox;
  st.scan = scan_every;
  std::error_code ec;
  fs::create_directories(st.dir, ec);
  if (ec)
    log::error("inbox_not_created", {{"source", st.source.name}, {"dir", st.dir.string()}, {"error", ec.message()}});
  self->send(self, tick_atom::value);
  return {
      [=](tick_atom) {
        scan(self);
        self->delayed_send(self, self->state.scan, tick_atom::value);
      },
  };
}

}  // namespace moviec::actors
