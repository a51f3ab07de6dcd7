#pragma once
// A polled "what changed since" feed (format http_changes), TMDB /movie/changes
// shaped:
//
//   GET <changes_url>?start_date=2024-01-01&end_date=2024-01-02&page=1
//   -> {"results": [{"id": 603}, {"id": "tt0133093"}], "page": 1, "total_pages": 3}
//
// then one GET <record_url with {id} replaced> per changed id, whose JSON object
// the source's layout maps into a SourceRecord. A feed that hands out an opaque
// cursor instead ("next_cursor" in its pages) is asked with ?cursor=...&page=N
// next time. Every request has the configured timeout and is retried with
// exponential backoff (429, 5xx and connection errors; other 4xx are final).
// The poller (actors/poller.hpp) stores the cursor only after the records of a
// window are committed.

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.hpp"
#include "config/config.hpp"
#include "config/poll_options.hpp"
#include "sources/record_reader.hpp"

namespace moviec::sources {

/// GET with the options' timeout, headers, retries and backoff. Thread-compatible
/// (one user at a time). `cancelled`, when set, cuts waits and retries short.
class HttpFetcher {
 public:
  HttpFetcher(const config::PollOptions& options, std::shared_ptr<std::atomic<bool>> cancelled);

  /// The body of a 2xx answer. not_found for 404 (not retried); io_error after the
  /// last retry, naming the URL and the last failure ("HTTP 503", "Connection").
  StatusOr<std::string> get(const std::string& url);

  /// Requests made so far, retries included (for tests and reports).
  std::uint64_t requests() const { return requests_; }

 private:
  const config::PollOptions& options_;
  std::shared_ptr<std::atomic<bool>> cancelled_;
  std::uint64_t requests_ = 0;
};

/// The window one poll asks for and what the feed said about the next one.
struct ChangesWindow {
  nlohmann::json query;        // {"start_date", "end_date"} or {"cursor"}
  std::vector<std::string> ids;  // changed ids, in feed order, each once
  nlohmann::json next_cursor;  // what to store once the window is committed
};

/// The query for the next window from the stored cursor (null when none):
/// {"cursor": c} when the feed gave one, else {"start_date": stored end date,
/// or options.start_date, or yesterday; "end_date": today (UTC)}.
nlohmann::json next_query(const nlohmann::json& stored_cursor, const config::PollOptions& options);

/// Lists every changed id of the window `query`, following pages 1..total_pages.
StatusOr<ChangesWindow> list_changes(HttpFetcher& fetcher, const config::PollOptions& options,
                                     const nlohmann::json& query);

/// A reader that fetches and maps each id's record, in order. A 404 is a reject
/// ("record 603: not found at <url>"); any other failure ends the input with
/// status() set, so the run is incomplete and the cursor stays where it was.
std::unique_ptr<RecordReader> open_changes_reader(const config::SourceConfig& source,
                                                  const config::PollOptions& options,
                                                  std::vector<std::string> ids,
                                                  std::shared_ptr<std::atomic<bool>> cancelled);

/// `url` with every "{id}" replaced by the percent-encoded id.
std::string record_url(const std::string& url_template, const std::string& id);

}  // namespace moviec::sources
