// The audit side of one movie: its event stream and the story of one field.

#include <algorithm>
#include <string>

#include "events/coding.hpp"
#include "events/field_rules.hpp"
#include "events/matching.hpp"
#include "events/timestamp.hpp"
#include "http/handlers.hpp"
#include "http/params.hpp"

namespace moviec::http {

using nlohmann::json;

namespace {

constexpr std::size_t kHistoryDefaultLimit = 100;

/// The stream's head version; not_found for a movie with no events.
StatusOr<std::uint64_t> movie_head(Context& ctx, const std::string& movie_id) {
  if (events::matching::is_source_stream(movie_id))  // a source's match decisions
    return Status::not_found("no movie with id " + movie_id);
  auto head = ctx.log.stream_version(movie_id);
  if (!head) return head.status();
  if (*head == 0) return Status::not_found("no movie with id " + movie_id);
  return head;
}

/// The stream version a page starts at: `cursor` (a version from next_cursor), else 1.
std::uint64_t cursor_version(const Request& req) {
  auto text = param(req, "cursor");
  if (!text) return 1;
  auto value = uint_param(req, "cursor");
  if (!value || *value == 0)
    throw std::invalid_argument("cursor \"" + *text + "\" is not a next_cursor of this endpoint");
  return *value;
}

/// What a field's value came from: the source event it cites.
json source_event_of(Context& ctx, std::uint64_t sequence) {
  if (sequence == 0) return nullptr;
  json out{{"sequence", sequence}};
  auto e = ctx.log.read(sequence);
  if (!e) return out;  // not readable: the sequence alone still says where to look
  out["type"] = events::type_name(e->type);
  out["source"] = e->source;
  out["input"] = e->causation;
  out["time_utc"] = events::format_utc(e->time_ms);
  if (e->type == events::EventType::source_record_changed)
    out["source_id"] = events::source_record_changed(*e).record.source_id;
  return out;
}

}  // namespace

// GET /movies/{id}/history?limit=&cursor=: the movie's stream, oldest first.
StatusOr<Response> get_movie_history(Context& ctx, const Request& req) {
  check_params(req, {"limit", "cursor"});
  const std::string movie_id = req.captures.at(1);
  auto limit = count_param(req, "limit", kHistoryDefaultLimit, kMaxPageLimit);
  auto from = cursor_version(req);
  auto head = movie_head(ctx, movie_id);
  if (!head) return head.status();

  json list = json::array();
  std::uint64_t next = 0;
  auto st = ctx.log.read_stream(movie_id, from, [&](const events::Event& e) {
    if (list.size() == limit) {
      next = e.version;
      return false;
    }
    list.push_back(events::to_json(e));
    return true;
  });
  if (!st) return st;
  json body{{"movie_id", movie_id},
            {"version", *head},
            {"count", list.size()},
            {"events", std::move(list)},
            {"next_cursor", next ? json(std::to_string(next)) : json(nullptr)}};
  return json_response(body);
}

// GET /movies/{id}/fields/{field}?limit=&cursor=: every value the field had, oldest
// first, each with the MovieChanged that set it and the source event it came from.
StatusOr<Response> get_field_story(Context& ctx, const Request& req) {
  check_params(req, {"limit", "cursor"});
  const std::string movie_id = req.captures.at(1);
  const std::string field = req.captures.at(2);
  auto& fields = events::golden_fields();
  if (std::find(fields.begin(), fields.end(), field) == fields.end()) {
    std::string known;
    for (auto& f : fields) known += (known.empty() ? "" : ", ") + f;
    return Status::not_found("no field \"" + field + "\" (fields: " + known + ")");
  }
  auto limit = count_param(req, "limit", kHistoryDefaultLimit, kMaxPageLimit);
  auto from = cursor_version(req);
  auto head = movie_head(ctx, movie_id);
  if (!head) return head.status();

  json values = json::array();
  std::uint64_t next = 0;
  auto st = ctx.log.read_stream(movie_id, from, [&](const events::Event& e) {
    if (e.type != events::EventType::movie_changed) return true;
    auto& change = events::movie_changed(e);
    auto f = std::find_if(change.fields.begin(), change.fields.end(),
                          [&](const events::FieldChange& c) { return c.field == field; });
    if (f == change.fields.end()) return true;
    if (values.size() == limit) {
      next = e.version;
      return false;
    }
    values.push_back(json{{"sequence", e.sequence},
                          {"version", e.version},
                          {"time", e.time_ms},
                          {"time_utc", events::format_utc(e.time_ms)},
                          {"value", f->new_value},
                          {"old", f->old_value},
                          {"source", f->source},
                          {"rule", f->rule},
                          {"rules_version", change.rules_version},
                          {"trigger", change.trigger},
                          {"causation", e.causation},
                          {"correlation", e.correlation},
                          {"from", source_event_of(ctx, f->caused_by)}});
    return true;
  });
  if (!st) return st;
  json body{{"movie_id", movie_id},
            {"field", field},
            {"count", values.size()},
            {"values", std::move(values)},
            {"next_cursor", next ? json(std::to_string(next)) : json(nullptr)}};
  return json_response(body);
}

}  // namespace moviec::http
