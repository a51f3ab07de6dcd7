#include <stdexcept>
#include <string>

#include "events/matching.hpp"
#include "events/timestamp.hpp"
#include "http/handlers.hpp"
#include "http/params.hpp"
#include "store/movie_recovery.hpp"

namespace moviec::http {

using nlohmann::json;

namespace {
constexpr std::size_t kMoviesDefaultLimit = 20;

/// The golden record as of an event sequence (all digits) or an RFC 3339 time: the
/// newest snapshot at or before that point plus the events after it, rendered by the
/// projector's own code (store::movie_document), with "as_of" saying what was used.
StatusOr<Response> movie_as_of(Context& ctx, const std::string& movie_id, const std::string& as_of) {
  json point;
  store::EventPredicate in_past;
  auto at = parse_as_of(as_of);  // throws invalid_argument (400) on a bad value
  if (at.sequence) {
    point = {{"sequence", *at.sequence}};
    in_past = [sequence = *at.sequence](const events::Event& e) { return e.sequence <= sequence; };
  } else {
    point = {{"time", *at.time_ms}, {"time_utc", events::format_utc(*at.time_ms)}};
    in_past = [t = *at.time_ms](const events::Event& e) { return e.time_ms <= t; };
  }
  if (events::matching::is_source_stream(movie_id))  // a source's match decisions
    return Status::not_found("no movie with id " + movie_id);
  auto head = ctx.log.stream_version(movie_id);
  if (!head) return head.status();
  if (*head == 0) return Status::not_found("no movie with id " + movie_id);
  auto recovered = store::recover_movie_until(ctx.log, movie_id, in_past);
  if (!recovered) return recovered.status();
  if (recovered->state.version == 0)
    return Status::not_found("movie " + movie_id + " has no events as of " + as_of);
  json doc = store::movie_document(recovered->state);
  point["version"] = recovered->state.version;
  point["snapshot_version"] = recovered->snapshot_version;
  point["events_folded"] = recovered->events_folded;
  doc["as_of"] = std::move(point);
  return json_response(doc);
}

}  // namespace

// GET /movies/{id}: the golden record as the read model stores it, provenance included.
// With ?as_of= the record as it was then, rebuilt from the log (movie_as_of).
StatusOr<Response> get_movie(Context& ctx, const Request& req) {
  check_params(req, {"as_of"});
  if (auto as_of = param(req, "as_of")) return movie_as_of(ctx, req.captures.at(1), *as_of);
  auto doc = ctx.models.movie(req.captures.at(1));
  if (!doc) return doc.status();
  return json_response(*doc);
}

// GET /movies?q=&year=&genre=&limit=&cursor=: one page of matching movies.
StatusOr<Response> search_movies(Context& ctx, const Request& req) {
  check_params(req, {"q", "year", "genre", "limit", "cursor"});
  store::ReadModels::Query query;
  query.q = param(req, "q").value_or("");
  query.year = int_param(req, "year");
  query.genre = param(req, "genre").value_or("");
  query.limit = count_param(req, "limit", kMoviesDefaultLimit, kMaxPageLimit);
  query.cursor = param(req, "cursor").value_or("");

  auto page = ctx.models.search(query);
  if (!page) return page.status();
  json body{{"movies", json::array()},
            {"next_cursor", page->next_cursor.empty() ? json(nullptr) : json(page->next_cursor)},
            {"count", page->movies.size()}};
  for (auto& m : page->movies) body["movies"].push_back(std::move(m));
  return json_response(body);
}

}  // namespace moviec::http
