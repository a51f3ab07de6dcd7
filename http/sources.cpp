// GET /sources and GET /sources/{name}/rejects: each configured source with its
// counts and last run, and the rows a run rejected. Read from what the source
// side stored (store/source_runs.hpp) and the read models.

#include <string>

#include "events/timestamp.hpp"
#include "http/handlers.hpp"
#include "http/params.hpp"
#include "store/match_models.hpp"
#include "store/source_cursors.hpp"
#include "store/source_runs.hpp"

namespace moviec::http {

using nlohmann::json;

namespace {

json run_json(const store::RunRecord& r) {
  json j{{"run", r.run},
         {"way", r.way},
         {"input", r.input},
         {"state", r.state},
         {"started", events::format_utc(r.started_ms)},
         {"finished", r.finished_ms ? json(events::format_utc(r.finished_ms)) : json()},
         {"summary", r.summary},
         {"rejects_stored", r.rejects_stored}};
  return j;
}

const config::SourceConfig* find_source(Context& ctx, const std::string& name) {
  return ctx.config.find_source(name);
}

}  // namespace

StatusOr<Response> list_sources(Context& ctx, const Request& req) {
  check_params(req, {});
  auto stats = ctx.models.stats();
  if (!stats) return stats.status();
  store::SourceRuns runs(ctx.db);
  store::SourceCursors cursors(ctx.db);
  json out = json::array();
  for (auto& source : ctx.config.sources) {
    auto latest = runs.latest(source.name);
    if (!latest) return latest.status();
    auto count = runs.count(source.name);
    if (!count) return count.status();
    json s{{"name", source.name},
           {"format", source.format},
           {"removals", source.removals},
           {"inbox", source.inbox.empty() ? json() : json(source.inbox)},
           {"records", (*stats)["sources"].value(source.name, json::object()).value("records", 0)},
           {"rejects", latest->has_value() ? (**latest).summary.value("rejected", 0) : 0},
           {"runs", *count},
           {"last_run", latest->has_value() ? run_json(**latest) : json()}};
    // How its records found their movies (GET /sources/{name}/match-report has it all).
    auto match = store::MatchModels(ctx.db).report(source.name);
    if (!match) return match.status();
    s["match"] = json{{"records", (*match)["records"]},     {"matched", (*match)["matched"]},
                      {"unmatched", (*match)["unmatched"]}, {"ambiguous", (*match)["ambiguous"]},
                      {"no_match", (*match)["no_match"]},   {"match_rate", (*match)["match_rate"]}};
    if (source.format == "http_changes") {
      auto cursor = cursors.get(source.name, "poll");
      if (!cursor) return cursor.status();
      s["cursor"] = cursor->has_value() ? **cursor : json();
    }
    out.push_back(std::move(s));
  }
  return json_response(json{{"sources", out}});
}

StatusOr<Response> get_source_rejects(Context& ctx, const Request& req) {
  check_params(req, {"run", "cursor", "limit"});
  const std::string& name = req.captures.at(1);
  if (!find_source(ctx, name)) return Status::not_found("no source named " + name);
  store::SourceRuns runs(ctx.db);
  std::optional<store::RunRecord> run;
  if (auto id = uint_param(req, "run")) {
    auto got = runs.get(name, *id);
    if (!got) return got.status();
    if (!got->has_value())
      return Status::not_found("source " + name + " has no run " + std::to_string(*id) +
                               " (only the newest " + std::to_string(store::SourceRuns::kRunsKept) +
                               " are kept)");
    run = **got;
  } else {
    auto latest = runs.latest(name);
    if (!latest) return latest.status();
    run = *latest;
  }
  auto limit = count_param(req, "limit", 100, 1000);
  auto from = uint_param(req, "cursor").value_or(0);
  json body{{"source", name}, {"run", nullptr}, {"rejects", json::array()}, {"count", 0},
            {"next_cursor", nullptr}};
  if (!run) return json_response(body);
  auto page = runs.rejects(name, run->run, from, limit);
  if (!page) return page.status();
  for (auto& [n, r] : page->rejects)
    body["rejects"].push_back(json{{"file", r.file}, {"line", r.line}, {"reason", r.reason}});
  body["run"] = run->run;
  body["rejected"] = run->summary.value("rejected", 0);
  body["rejects_stored"] = run->rejects_stored;
  body["count"] = page->rejects.size();
  if (page->next) body["next_cursor"] = std::to_string(*page->next);
  return json_response(body);
}

}  // namespace moviec::http
