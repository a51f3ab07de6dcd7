#include "store/movie_doc.hpp"

#include <algorithm>
#include <array>

#include "events/json_writer.hpp"

namespace moviec::store {

using nlohmann::json;

namespace {

// The document's own keys, in the order dump() writes them (std::map's) and
// render() does; no golden field can have one of these names.
constexpr std::array<std::string_view, 6> kDocumentKeys{"last_sequence", "movie_id", "provenance",
                                                        "rules_version", "sources",  "version"};

bool is_document_key(std::string_view name) {
  return std::find(kDocumentKeys.begin(), kDocumentKeys.end(), name) != kDocumentKeys.end();
}

}  // namespace

bool MovieDoc::attach_source(const std::string& source, const std::string& source_id) {
  auto ref = std::make_pair(source, source_id);
  auto it = std::lower_bound(sources.begin(), sources.end(), ref);
  if (it != sources.end() && *it == ref) return false;
  sources.insert(it, std::move(ref));
  return true;
}

bool MovieDoc::detach_source(const std::string& source, const std::string& source_id) {
  auto it = std::find(sources.begin(), sources.end(), std::make_pair(source, source_id));
  if (it == sources.end()) return false;
  sources.erase(it);
  return true;
}

void MovieDoc::set_field(const std::string& field, const json& value, const std::string& source,
                         const std::string& rule, std::uint64_t sequence) {
  if (is_document_key(field)) return;
  if (value.is_null()) {
    fields.erase(field);
    return;
  }
  auto& f = fields[field];
  f.json = events::dump(value);
  f.source = source;
  f.rule = rule;
  f.sequence = sequence;
  f.has_provenance = true;
}

std::string MovieDoc::render() const {
  std::string out;
  events::JsonWriter w(out);
  // The document's own keys in kDocumentKeys' order, each after the fields whose
  // names sort before it.
  auto field = fields.begin();
  auto fields_before = [&](std::optional<std::string_view> key) {  // nullopt: the rest
    for (; field != fields.end() && (!key || std::string_view(field->first) < *key); ++field) {
      w.key(field->first);
      w.number_text(field->second.json);
    }
  };
  w.begin_object();
  fields_before("last_sequence");
  w.member("last_sequence", last_sequence);
  fields_before("movie_id");
  w.member("movie_id", movie_id);
  fields_before("provenance");
  w.next("provenance");
  w.begin_object();
  for (auto& [name, f] : fields) {
    if (!f.has_provenance) continue;
    w.key(name);
    w.begin_object();
    w.member("rule", f.rule);
    w.member("sequence", f.sequence);
    w.member("source", f.source);
    w.end_object();
  }
  w.end_object();
  fields_before("rules_version");
  w.member("rules_version", rules_version);
  fields_before("sources");
  w.next("sources");
  w.begin_array();
  for (auto& [source, source_id] : sources) {
    w.next();
    w.begin_object();
    w.member("source", source);
    w.member("source_id", source_id);
    w.end_object();
  }
  w.end_array();
  fields_before("version");
  w.member("version", version);
  fields_before(std::nullopt);
  w.end_object();
  return std::move(w.finish_string());
}

json MovieDoc::value(const std::string& field) const {
  auto f = fields.find(field);
  if (f == fields.end()) return nullptr;
  return json::parse(f->second.json, nullptr, false);
}

}  // namespace moviec::store
