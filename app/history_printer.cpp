#include "app/history_printer.hpp"

#include <string>

#include <fmt/format.h>

#include "events/coding.hpp"
#include "events/timestamp.hpp"

namespace moviec::app {

namespace {

constexpr std::size_t kMaxValueChars = 60;

/// A JSON value on one line, shortened to kMaxValueChars (UTF-8 safe).
std::string short_value(const nlohmann::json& v) {
  if (v.is_null()) return "(none)";
  std::string text = v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (text.size() <= kMaxValueChars) return text;
  std::size_t cut = kMaxValueChars - 3;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut) + "...";
}

/// "2026-11-24 10:00:00.123 UTC"
std::string readable_time(std::int64_t ms) {
  auto t = events::format_utc(ms);
  t[10] = ' ';
  t.pop_back();
  return t + " UTC";
}

/// A field's value for people: ratings as "imdb 6.1/10 (2150 votes)", else short JSON.
std::string readable_value(const std::string& field, const nlohmann::json& v) {
  if (field != "ratings" || !v.is_object()) return short_value(v);
  std::string out;
  for (auto& [name, r] : v.items()) {
    if (!r.is_object()) return short_value(v);
    out += (out.empty() ? "" : ", ") + name + " " + r.value("value", nlohmann::json()).dump();
    if (auto max = r.value("scale_max", 0.0); max > 0) out += "/" + nlohmann::json(max).dump();
    if (auto votes = r.value("votes", std::int64_t{0}); votes > 0)
      out += fmt::format(" ({} votes)", votes);
  }
  return out;
}

void print_record_change(std::ostream& out, const events::Event& e) {
  auto d = events::payload_json(e.data);
  auto record = d.value("record", nlohmann::json::object());
  std::string title = record.value("title", "");
  std::string line = fmt::format("    record {}/{}", record.value("source", ""),
                                 record.value("source_id", ""));
  if (!title.empty()) line += " " + short_value(title);
  if (auto y = record.find("year"); y != record.end() && y->is_number_integer())
    line += fmt::format(" ({})", y->get<int>());
  out << line << "\n";
  std::string previous = d.value("previous_fingerprint", "");
  out << fmt::format("    fingerprint {} ({})", d.value("fingerprint", ""),
                     previous.empty() ? "new record" : "was " + previous);
  if (auto m = d.value("match_method", ""); !m.empty()) out << ", matched by " << m;
  out << "\n";
  // A title + year decision explains itself: the chosen candidate's features and
  // the runner-up (events/match_score.hpp).
  if (auto c = d.find("match_candidates"); c != d.end() && c->is_array() && !c->empty()) {
    auto line_of = [](const nlohmann::json& x) {
      return fmt::format("{} {}{} confidence {} ({} bits): {}", x.value("movie_id", ""),
                         short_value(x.value("title", "")),
                         x.contains("year") ? " (" + x["year"].dump() + ")" : std::string(),
                         x.value("confidence", 0.0), x.value("weight", 0.0), x.value("why", ""));
    };
    out << "    chosen    " << line_of((*c)[0]) << "\n";
    if (c->size() > 1) out << "    runner-up " << line_of((*c)[1]) << "\n";
  }
}

void print_movie_change(std::ostream& out, const events::Event& e) {
  auto& change = events::movie_changed(e);
  if (change.trigger == events::kTriggerRules)
    out << fmt::format("    re-decided: field rules v{} -> v{}\n", change.previous_rules_version,
                       change.rules_version);
  for (auto& f : change.fields) {
    if (f.old_value == f.new_value)
      out << fmt::format("    {:<20} {} (value kept)\n", f.field,
                         readable_value(f.field, f.new_value));
    else
      out << fmt::format("    {:<20} {} -> {}\n", f.field, readable_value(f.field, f.old_value),
                         readable_value(f.field, f.new_value));
    if (f.new_value.is_null())
      out << fmt::format("    {:<20} cleared by {}\n", "", f.rule);
    else
      out << fmt::format("    {:<20} from {} by {}, value of seq {}\n", "", f.source, f.rule,
                         f.caused_by);
  }
}

}  // namespace

void print_history_event(std::ostream& out, const events::Event& e) {
  std::string cause;
  if (e.causation_seq) cause = fmt::format("caused by seq {}", e.causation_seq);
  if (!e.causation.empty()) cause += (cause.empty() ? "" : ", ") + std::string("input ") + e.causation;
  out << fmt::format("#{}  seq {}  {}  {}  from {}\n", e.version, e.sequence,
                     readable_time(e.time_ms), events::type_name(e.type), e.source);
  if (!cause.empty() || !e.correlation.empty())
    out << fmt::format("    {}{}{}\n", cause, cause.empty() || e.correlation.empty() ? "" : "; ",
                       e.correlation.empty() ? "" : "run " + e.correlation);
  switch (e.type) {
    case events::EventType::source_record_changed:
      print_record_change(out, e);
      break;
    case events::EventType::movie_changed:
      print_movie_change(out, e);
      break;
    case events::EventType::source_record_removed:
      out << fmt::format("    record {}/{} removed\n", events::source_record_removed(e).source,
                         events::source_record_removed(e).source_id);
      break;
    default:
      out << "    " << short_value(events::payload_json(e.data)) << "\n";
      break;
  }
}

}  // namespace moviec::app
