// GET /sources/{name}/match-report and GET /sources/{name}/unmatched: how well a
// source's records found their movies (the seed's table: records, matched by each
// method, unmatched, ambiguous, match rate) and the records that did not, each
// with the reason and the candidates that came closest. From the matching read
// model (store/match_models.hpp).

#include <algorithm>
#include <array>
#include <string_view>

#include "events/matching.hpp"
#include "events/timestamp.hpp"
#include "http/handlers.hpp"
#include "http/params.hpp"
#include "store/match_models.hpp"

namespace moviec::http {

using nlohmann::json;
namespace matching = events::matching;

namespace {

constexpr std::size_t kMatchingDefaultLimit = 20;

constexpr std::array<std::string_view, 7> kReasons{
    matching::kNoTitle, matching::kNoYear,    matching::kNoCandidates,  matching::kWeak,
    matching::kAmbiguous, matching::kNoMatch, matching::kInvalidMovieId};

/// A configured source, or one with match decisions (a source since removed from
/// the config keeps its history); otherwise not_found.
StatusOr<json> report_of(Context& ctx, const std::string& name) {
  store::MatchModels models(ctx.db);
  auto report = models.report(name);
  if (!report) return report.status();
  if (!ctx.config.find_source(name) && (*report)["records"].get<std::int64_t>() == 0)
    return Status::not_found("no source named " + name);
  return report;
}

}  // namespace

StatusOr<Response> get_match_report(Context& ctx, const Request& req) {
  check_params(req, {});
  auto report = report_of(ctx, req.captures.at(1));
  if (!report) return report.status();
  return json_response(*report);
}

StatusOr<Response> get_unmatched(Context& ctx, const Request& req) {
  check_params(req, {"limit", "cursor", "reason"});
  const std::string& name = req.captures.at(1);
  auto limit = count_param(req, "limit", kMatchingDefaultLimit, kMaxPageLimit);
  auto cursor = param(req, "cursor").value_or("");
  auto reason = param(req, "reason").value_or("");
  if (!reason.empty() && std::find(kReasons.begin(), kReasons.end(), reason) == kReasons.end()) {
    std::string known;
    for (auto r : kReasons) known += (known.empty() ? "" : ", ") + std::string(r);
    throw std::invalid_argument("reason \"" + reason + "\" is not one of: " + known);
  }
  auto report = report_of(ctx, name);
  if (!report) return report.status();
  auto page = store::MatchModels(ctx.db).unmatched_page(name, limit, cursor, reason);
  if (!page) return page.status();
  json records = json::array();
  for (auto& entry : page->records) {
    if (entry.contains("time") && entry["time"].is_number_integer())
      entry["time"] = events::format_utc(entry["time"].get<std::int64_t>());
    records.push_back(std::move(entry));
  }
  return json_response(json{{"source", name},
                            {"unmatched", std::move(records)},
                            {"count", page->records.size()},
                            {"next_cursor", page->next_cursor.empty() ? json() : json(page->next_cursor)}});
}

}  // namespace moviec::http
