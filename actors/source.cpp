#include "actors/source.hpp"

#include "actors/errors.hpp"
#include "store/keys.hpp"

namespace moviec::actors {

namespace {

using self_ptr = source_actor::stateful_pointer<source_state>;

void reject(self_ptr self, sources::Reject r) {
  auto& st = self->state;
  ++st.summary.rejected;
  if (st.rejects.is_open()) st.rejects << r.file << '\t' << r.line << '\t' << r.reason << '\n';
  if (st.summary.rejects.size() < st.options.rejects_kept) st.summary.rejects.push_back(std::move(r));
}

void finish_if_done(self_ptr self) {
  auto& st = self->state;
  if (!st.end_of_input || st.in_flight > 0 || !st.done.pending()) return;
  if (st.rejects.is_open()) st.rejects.flush();
  st.done.deliver(st.summary);
  self->quit();
}

bool unchanged_at_source(self_ptr self, const events::SourceRecord& r, const std::string& fp) {
  auto stored = self->state.db->get(store::ColumnFamily::fingerprints,
                                    store::keys::fingerprint_key(r.source, r.source_id));
  return stored && *stored == fp;
}

void pump(self_ptr self) {
  auto& st = self->state;
  std::vector<sources::Reject> rejects;
  while (!st.end_of_input && st.in_flight < st.options.max_in_flight) {
    sources::Item item;
    rejects.clear();
    bool more = st.reader->next(item, rejects);
    for (auto& r : rejects) reject(self, std::move(r));
    if (st.options.progress) {
      st.options.progress->bytes_read = st.reader->bytes_read();
      st.options.progress->bytes_total = st.reader->bytes_total();
    }
    if (!more) {
      st.end_of_input = true;
      break;
    }
    ++st.summary.read;
    if (st.options.progress) ++st.options.progress->read;
    // Which movie it belongs to is the matcher's decision (a record without a
    // movie id is matched or goes to the unmatched log, never rejected).
    IngestItem msg{std::move(item.record), "", std::move(item.input), st.options.correlation, ""};
    msg.fingerprint = msg.record.fingerprint();
    if (unchanged_at_source(self, msg.record, msg.fingerprint)) {
      ++st.summary.unchanged;
      continue;
    }
    ++st.in_flight;
    self->request(st.sink, st.options.item_timeout, ingest_atom::value, std::move(msg))
        .then(
            [=](const IngestOutcome& outcome) {
              auto& st = self->state;
              --st.in_flight;
              if (outcome.changed) ++st.summary.changed;
              else ++st.summary.unchanged;
              if (outcome.unmatched) ++st.summary.unmatched;
              st.summary.appended += outcome.appended;
              pump(self);
            },
            [=](const caf::error& err) {
              auto& st = self->state;
              --st.in_flight;
              ++st.summary.failed;
              if (st.summary.error.empty()) st.summary.error = message_of(err);
              pump(self);
            });
  }
  finish_if_done(self);
}

}  // namespace

source_actor::behavior_type source(source_actor::stateful_pointer<source_state> self,
                                   std::shared_ptr<sources::RecordReader> reader,
                                   ingest_sink sink, store::Db* db, SourceOptions options) {
  auto& st = self->state;
  st.reader = std::move(reader);
  st.sink = std::move(sink);
  st.db = db;
  st.options = std::move(options);
  if (st.options.max_in_flight == 0) st.options.max_in_flight = 1;
  if (!st.options.rejects_path.empty())
    st.rejects.open(st.options.rejects_path, std::ios::out | std::ios::app);
  return {
      [=](run_atom) {
        auto rp = self->make_response_promise<IngestSummary>();
        self->state.done = rp;
        pump(self);
        return rp;
      },
  };
}

}  // namespace moviec::actors
