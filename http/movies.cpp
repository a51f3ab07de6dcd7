#include <string>

#include "http/handlers.hpp"
#include "http/params.hpp"

namespace moviec::http {

using nlohmann::json;

namespace {
constexpr std::size_t kDefaultLimit = 20;
constexpr std::size_t kMaxLimit = 1000;
}  // namespace

// GET /movies/{id}: the golden record as the read model stores it, provenance included.
StatusOr<Response> get_movie(Context& ctx, const Request& req) {
  check_params(req, {});
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
  query.limit = count_param(req, "limit", kDefaultLimit, kMaxLimit);
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
