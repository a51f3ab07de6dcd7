#pragma once
// The options of an "http_changes" source: a feed that lists the ids changed
// since a cursor (TMDB's /movie/changes shape) and a URL per record. Documented in
// docs/config.md; sources/changes_feed.hpp and actors/poller.hpp use them.

#include <chrono>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "common/status.hpp"
#include "config/layout.hpp"

namespace moviec::config {

struct PollOptions {
  std::string changes_url;  // GET with start_date, end_date, page (or cursor, page)
  std::string record_url;   // "{id}" is replaced by the changed id
  std::string start_date;   // first window start when no cursor is stored; "" = yesterday
  std::chrono::milliseconds interval{3600000};   // between polls
  std::chrono::milliseconds timeout{10000};      // connect and read timeout per request
  int retries = 3;                               // further attempts after a failed request
  std::chrono::milliseconds backoff{1000};       // wait before the first retry; doubles
  std::chrono::milliseconds max_backoff{60000};  // cap of the doubling
  std::map<std::string, std::string> headers;    // sent with every request (an API key, ...)
  Layout layout;                                 // maps one fetched record
};

/// Validates the options object at `path` ("sources[3].options").
StatusOr<PollOptions> parse_poll_options(const nlohmann::json& j, const std::string& path);

}  // namespace moviec::config
