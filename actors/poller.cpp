#include "actors/poller.hpp"

#include <algorithm>

#include "actors/errors.hpp"
#include "actors/run_recorder.hpp"
#include "common/log.hpp"
#include "common/metrics.hpp"
#include "sources/changes_feed.hpp"
#include "store/source_cursors.hpp"

namespace moviec::actors {

namespace {

using poller_self = poller_actor::stateful_pointer<poller_state>;

constexpr const char* kCursorName = "poll";

std::string describe(const nlohmann::json& query, std::size_t ids) {
  std::string window = query.contains("cursor")
                           ? "cursor " + query["cursor"].get<std::string>()
                           : query.value("start_date", "") + " .. " + query.value("end_date", "");
  return window + (ids == SIZE_MAX ? "" : " (" + std::to_string(ids) + " changed)");
}

/// Schedules the next poll: the interval after a good one, a doubling backoff after failures.
void schedule(poller_self self, bool ok) {
  auto& st = self->state;
  st.busy = false;
  std::chrono::milliseconds wait = st.options.interval;
  if (ok) {
    st.failures = 0;
  } else {
    ++st.failures;
    metrics::poll_failed(st.source.name);
    wait = st.options.backoff;
    for (int i = 1; i < st.failures && wait < st.options.max_backoff; ++i) wait *= 2;
    wait = std::min(wait, st.options.max_backoff);
  }
  self->delayed_send(self, wait, tick_atom::value);
}

/// A poll that failed before any record was read is still a run on record.
void record_failure(poller_self self, const std::string& input, const Status& why) {
  auto& st = self->state;
  (void)RunRecorder::record_failed(*st.deps.db, st.source.name, "poll", input, why);
}

void poll(poller_self self) {
  auto& st = self->state;
  if (st.busy) return;
  st.busy = true;
  ++st.polls;
  store::SourceCursors cursors(*st.deps.db);
  auto stored = cursors.get(st.source.name, kCursorName);
  if (!stored) {
    record_failure(self, "cursor", stored.status());
    return schedule(self, false);
  }
  auto query = sources::next_query(stored->value_or(nullptr), st.options);
  sources::HttpFetcher fetcher(st.options, st.deps.stopping);
  auto window = sources::list_changes(fetcher, st.options, query);
  if (!window) {
    record_failure(self, describe(query, SIZE_MAX), window.status());
    return schedule(self, false);
  }
  auto reader = sources::open_changes_reader(st.source, st.options, window->ids, st.deps.stopping);
  SourceOptions options;
  options.source_name = st.source.name;
  options.way = "poll";
  options.input = describe(query, window->ids.size());
  auto src = spawn_source(self->system(), std::shared_ptr<sources::RecordReader>(reader.release()),
                          st.deps, std::move(options));
  auto next_cursor = window->next_cursor;
  self->request(src, std::chrono::seconds(24 * 3600), run_atom::value)
      .then(
          [=](const IngestSummary& summary) {
            auto& st = self->state;
            bool ok = summary.failed == 0;
            // Only now are the window's events committed: the cursor may move on.
            if (ok) {
              auto put = store::SourceCursors(*st.deps.db).put(st.source.name, kCursorName, next_cursor, true);
              if (!put) {
                log::error("poll_cursor_not_stored", {{"source", st.source.name}, {"error", put.message()}});
                ok = false;
              }
            }
            schedule(self, ok);
          },
          [=](const caf::error& err) {
            record_failure(self, describe(query, SIZE_MAX), Status::io_error(message_of(err)));
            schedule(self, false);
          });
}

}  // namespace

poller_actor::behavior_type poller(poller_actor::stateful_pointer<poller_state> self, SourceDeps deps,
                                   config::SourceConfig source) {
  auto& st = self->state;
  st.deps = std::move(deps);
  st.source = std::move(source);
  auto options = config::parse_poll_options(st.source.options, "sources." + st.source.name + ".options");
  if (!options) {
    log::error("poll_not_started", {{"source", st.source.name}, {"error", options.status().message()}});
    self->quit();
    return {[=](tick_atom) {}};
  }
  st.options = options.take();
  self->send(self, tick_atom::value);
  return {
      [=](tick_atom) { poll(self); },
  };
}

}  // namespace moviec::actors
