// POST /links: a person ties one source record to a movie, or says it matches no
// movie. Needs the bearer token; recorded as an event with who and why (the
// LinkHook `serve` installs reaches the matcher).
//
//   {"source": "rotten_tomatoes", "source_id": "...", "movie_id": "tt0110413",
//    "by": "alice", "why": "same director and runtime"}
//   {"source": "vega", "source_id": "...", "no_match": true, "by": "bob", "why": "a TV special"}

#include <atomic>
#include <chrono>

#include "http/auth.hpp"
#include "http/handlers.hpp"
#include "http/params.hpp"
#include "store/match_models.hpp"

namespace moviec::http {

using nlohmann::json;

namespace {

/// A required non-empty string field of the body.
std::string required_string(const json& body, const std::string& key) {
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) throw std::invalid_argument(key + " is required");
  if (it->is_number_integer()) return it->dump();  // MovieLens ids are numbers in JSON
  if (!it->is_string()) throw std::invalid_argument(key + " must be a string");
  auto value = it->get<std::string>();
  if (value.empty()) throw std::invalid_argument(key + " must not be empty");
  return value;
}

}  // namespace

StatusOr<Response> post_link(Context& ctx, const Request& req) {
  if (auto denied = check_token(ctx, req)) return *denied;
  check_params(req, {});
  if (!ctx.link) return error_response(503, "this server takes no links");
  json body = json::parse(req.body, nullptr, false);
  if (body.is_discarded() || !body.is_object())
    throw std::invalid_argument("the body must be a JSON object");
  for (auto& [key, value] : body.items()) {
    (void)value;
    if (key != "source" && key != "source_id" && key != "movie_id" && key != "no_match" &&
        key != "by" && key != "why")
      throw std::invalid_argument("unknown key \"" + key +
                                  "\" (expected source, source_id, movie_id or no_match, by, why)");
  }
  LinkCommand cmd;
  cmd.source = required_string(body, "source");
  cmd.source_id = required_string(body, "source_id");
  cmd.by = required_string(body, "by");
  cmd.why = required_string(body, "why");
  bool no_match = false;
  if (auto it = body.find("no_match"); it != body.end() && !it->is_null()) {
    if (!it->is_boolean()) throw std::invalid_argument("no_match must be true or false");
    no_match = it->get<bool>();
  }
  bool has_movie = body.contains("movie_id") && !body["movie_id"].is_null();
  if (no_match == has_movie)
    throw std::invalid_argument("give either movie_id or \"no_match\": true");
  if (has_movie) cmd.movie_id = required_string(body, "movie_id");

  if (!ctx.config.find_source(cmd.source)) {
    auto report = store::MatchModels(ctx.db).report(cmd.source);
    if (!report) return report.status();
    if ((*report)["records"].get<std::int64_t>() == 0)
      return Status::not_found("no source named " + cmd.source);
  }
  cmd.request_id = new_request_id("link");
  auto outcome = ctx.link(cmd);
  if (!outcome) return outcome.status();
  json answer{{"source", cmd.source},
              {"source_id", cmd.source_id},
              {"movie_id", no_match ? json() : json(cmd.movie_id)},
              {"no_match", no_match},
              {"by", cmd.by},
              {"why", cmd.why}};
  answer.update(*outcome);
  return json_response(answer);
}

}  // namespace moviec::http
