#include "config/layout.hpp"

#include <algorithm>
#include <set>

#include "config/checks.hpp"

namespace moviec::config {

using nlohmann::json;
using namespace checks;

namespace {

const std::vector<std::string>& type_names() {
  static const std::vector<std::string> names{"text", "int", "float", "date", "list", "rating"};
  return names;
}

std::optional<ParseType> type_from_name(const std::string& name) {
  static const ParseType types[] = {ParseType::text, ParseType::integer, ParseType::number,
                                    ParseType::date, ParseType::list,    ParseType::rating};
  for (auto t : types)
    if (name == parse_type_name(t)) return t;
  return std::nullopt;
}

// The fields a column may fill, and with which parse types. "external_ids." and
// "metadata." take any key after the dot.
struct Target {
  const char* field;
  std::vector<ParseType> types;
};

const std::vector<Target>& targets() {
  using P = ParseType;
  static const std::vector<Target> t{
      {"title", {P::text}},
      {"year", {P::integer, P::date}},
      {"runtime_minutes", {P::integer}},
      {"genres", {P::list, P::text}},
      {"names", {P::list, P::text}},
      {"posters", {P::list, P::text}},
      {"trailers", {P::list, P::text}},
      {"country_of_origin", {P::text}},
      {"registration_date", {P::date}},
      {"crating_performance", {P::number, P::integer}},
      {"crating_soundtrack", {P::number, P::integer}},
      {"crating_screenplay", {P::number, P::integer}},
      {"source_ratings", {P::rating}},
      {"external_ids.", {P::text, P::integer}},
      {"metadata.", {P::text, P::integer, P::number, P::date, P::list}},
  };
  return t;
}

const Target* find_target(const std::string& field) {
  for (auto& t : targets()) {
    std::string name = t.field;
    if (name.back() == '.') {
      if (field.size() > name.size() && field.compare(0, name.size(), name) == 0) return &t;
    } else if (field == name) {
      return &t;
    }
  }
  return nullptr;
}

std::vector<std::string> target_names() {
  std::vector<std::string> out;
  for (auto& t : targets()) {
    std::string name = t.field;
    if (name.back() == '.') name += "<key>";
    out.push_back(std::move(name));
  }
  return out;
}

Status get_char(const json& j, const std::string& path, char& out) {
  std::string s;
  if (auto st = get_string(j, path, s); !st) return st;
  if (s.size() != 1) return error(path, fmt::format("expected one character, got \"{}\"", s));
  if (s[0] == '\n' || s[0] == '\r' || s[0] == '"')
    return error(path, "a line break or a quote cannot separate values");
  out = s[0];
  return Status::ok();
}

Status parse_mapping(const json& j, const std::string& path, FieldMapping& m) {
  if (auto s = expect_type(j, path, j.is_object(), "an object"); !s) return s;
  if (auto s = check_keys(j, path,
                          {"column", "field", "type", "required", "zero_means_missing", "formats",
                           "repair_century_after", "allow_future", "separator", "name", "scale",
                           "votes", "json_array", "item_key", "values", "on_error"});
      !s)
    return s;
  for (const char* key : {"column", "field"})
    if (!j.contains(key)) return error(child(path, key), "missing (required)");
  if (auto s = get_nonempty_string(j["column"], child(path, "column"), m.column); !s) return s;
  if (m.column[0] == '/' && m.column.size() < 2)
    return error(child(path, "column"), "a JSON pointer needs a key after '/'");
  if (auto s = get_nonempty_string(j["field"], child(path, "field"), m.field); !s) return s;
  const Target* target = find_target(m.field);
  if (!target)
    return error(child(path, "field"), fmt::format("unknown field \"{}\" (expected one of {})",
                                                   m.field, join_quoted(target_names())));
  if (j.contains("type")) {
    std::string name;
    if (auto s = get_string(j["type"], child(path, "type"), name); !s) return s;
    auto type = type_from_name(name);
    if (!type)
      return error(child(path, "type"), fmt::format("unknown type \"{}\" (expected one of {})",
                                                    name, join_quoted(type_names())));
    m.type = *type;
  } else {
    m.type = target->types.front();
  }
  if (std::find(target->types.begin(), target->types.end(), m.type) == target->types.end()) {
    std::vector<std::string> allowed;
    for (auto t : target->types) allowed.emplace_back(parse_type_name(t));
    return error(child(path, "type"),
                 fmt::format("field \"{}\" cannot be of type \"{}\" (it takes {})", m.field,
                             parse_type_name(m.type), join_quoted(allowed)));
  }

  // Keys that belong to one parse type only.
  auto only_for = [&](const char* key, ParseType type) -> Status {
    if (j.contains(key) && m.type != type)
      return error(child(path, key), fmt::format("only for type \"{}\"", parse_type_name(type)));
    return Status::ok();
  };
  for (const char* key : {"formats", "repair_century_after", "allow_future"})
    if (auto s = only_for(key, ParseType::date); !s) return s;
  for (const char* key : {"separator", "json_array", "item_key"})
    if (auto s = only_for(key, ParseType::list); !s) return s;
  if (j.contains("values") && m.type != ParseType::list && m.type != ParseType::text)
    return error(child(path, "values"), "only for type \"text\" or \"list\"");
  for (const char* key : {"name", "scale", "votes"})
    if (auto s = only_for(key, ParseType::rating); !s) return s;

  if (j.contains("required"))
    if (auto s = get_bool(j["required"], child(path, "required"), m.required); !s) return s;
  if (j.contains("zero_means_missing"))
    if (auto s = get_bool(j["zero_means_missing"], child(path, "zero_means_missing"),
                          m.zero_means_missing);
        !s)
      return s;
  if (j.contains("formats")) {
    auto fpath = child(path, "formats");
    if (auto s = get_names(j["formats"], fpath, m.formats); !s) return s;
    for (std::size_t i = 0; i < m.formats.size(); ++i)
      if (auto s = check_date_format_directives(m.formats[i]); !s)
        return error(j["formats"].is_array() ? element(fpath, i) : fpath, s.message());
  }
  if (j.contains("repair_century_after")) {
    std::int64_t year = 0;
    if (auto s = get_int_in(j["repair_century_after"], child(path, "repair_century_after"), 1900,
                            9999, year);
        !s)
      return s;
    m.repair_century_after = static_cast<int>(year);
  }
  if (j.contains("allow_future"))
    if (auto s = get_bool(j["allow_future"], child(path, "allow_future"), m.allow_future); !s)
      return s;
  if (j.contains("separator"))
    if (auto s = get_char(j["separator"], child(path, "separator"), m.separator); !s) return s;
  if (j.contains("json_array"))
    if (auto s = get_bool(j["json_array"], child(path, "json_array"), m.json_array); !s) return s;
  if (j.contains("item_key")) {
    if (auto s = get_nonempty_string(j["item_key"], child(path, "item_key"), m.item_key); !s) return s;
    if (!m.json_array) return error(child(path, "item_key"), "only with \"json_array\": true");
  }
  if (j.contains("values")) {
    const auto& values = j["values"];
    auto vpath = child(path, "values");
    if (!values.is_object() || values.empty())
      return error(vpath, fmt::format("expected an object of code -> value, got {}", values.dump()));
    for (auto& [code, value] : values.items()) {
      if (!value.is_string() || value.get<std::string>().empty())
        return error(child(vpath, code), fmt::format("expected a non-empty string, got {}", value.dump()));
      m.values[code] = value.get<std::string>();
    }
  }
  if (j.contains("on_error")) {
    std::string mode;
    if (auto s = get_string(j["on_error"], child(path, "on_error"), mode); !s) return s;
    if (mode != "reject" && mode != "skip")
      return error(child(path, "on_error"),
                   fmt::format("unknown value \"{}\" (expected \"reject\" or \"skip\")", mode));
    if (mode == "skip" && m.required)
      return error(child(path, "on_error"), "\"skip\" cannot be used with \"required\": true");
    m.skip_on_error = mode == "skip";
  }
  if (m.type == ParseType::rating) {
    if (!j.contains("name")) return error(child(path, "name"), "missing (required for a rating)");
    if (auto s = get_nonempty_string(j["name"], child(path, "name"), m.rating_name); !s) return s;
    if (!j.contains("scale"))
      return error(child(path, "scale"), "missing (required for a rating: [min, max])");
    const auto& scale = j["scale"];
    auto spath = child(path, "scale");
    if (!scale.is_array() || scale.size() != 2 || !scale[0].is_number() || !scale[1].is_number())
      return error(spath, fmt::format("expected [min, max], two numbers, got {}", scale.dump()));
    m.scale_min = scale[0].get<double>();
    m.scale_max = scale[1].get<double>();
    if (!(m.scale_min < m.scale_max) || m.scale_min < 0)
      return error(spath, fmt::format("expected 0 <= min < max, got {}", scale.dump()));
    if (j.contains("votes"))
      if (auto s = get_nonempty_string(j["votes"], child(path, "votes"), m.votes_column); !s)
        return s;
  }
  return Status::ok();
}

}  // namespace

const char* parse_type_name(ParseType type) {
  switch (type) {
    case ParseType::text: return "text";
    case ParseType::integer: return "int";
    case ParseType::number: return "float";
    case ParseType::date: return "date";
    case ParseType::list: return "list";
    case ParseType::rating: return "rating";
  }
  return "?";
}

Status check_date_format_directives(const std::string& format) {
  bool year = false, month = false, day = false;
  for (std::size_t i = 0; i < format.size(); ++i) {
    if (format[i] != '%') continue;
    if (i + 1 == format.size()) return Status::invalid(fmt::format("\"{}\" ends with a lone %", format));
    char d = format[++i];
    switch (d) {
      case 'Y': year = true; break;
      case 'm': case 'b': case 'B': month = true; break;
      case 'd': day = true; break;
      case '%': break;
      default:
        return Status::invalid(fmt::format(
            "\"{}\": unknown directive %{} (known: %Y, %m, %d, %b, %B, %%)", format, d));
    }
  }
  if (!year) return Status::invalid(fmt::format("\"{}\" has no year (%Y)", format));
  if (day && !month) return Status::invalid(fmt::format("\"{}\" has a day but no month", format));
  return Status::ok();
}

StatusOr<Layout> parse_layout(const json& j, const std::string& path, bool records_only) {
  Layout out;
  if (auto s = expect_type(j, path, j.is_object(), "an object"); !s) return s;
  const std::vector<std::string> csv_keys{"delimiter", "header", "columns"};
  std::vector<std::string> allowed{"type", "source_id", "movie_id", "fields"};
  if (!records_only) allowed.insert(allowed.end(), csv_keys.begin(), csv_keys.end());
  if (auto s = check_keys(j, path, allowed); !s) return s;

  if (j.contains("type")) {
    if (auto s = get_string(j["type"], child(path, "type"), out.type); !s) return s;
    const std::vector<std::string> types = records_only ? std::vector<std::string>{"json"}
                                                        : std::vector<std::string>{"csv", "tsv", "json", "jsonl"};
    if (std::find(types.begin(), types.end(), out.type) == types.end())
      return error(child(path, "type"), fmt::format("unknown type \"{}\" (expected one of {})",
                                                    out.type, join_quoted(types)));
  } else if (records_only) {
    out.type = "json";
  } else {
    return error(child(path, "type"), "missing (required: \"csv\", \"tsv\", \"json\" or \"jsonl\")");
  }
  const bool table = out.type == "csv" || out.type == "tsv";
  out.delimiter = out.type == "tsv" ? '\t' : ',';
  for (auto& key : csv_keys)
    if (j.contains(key) && !table)
      return error(child(path, key), "only for type \"csv\" or \"tsv\"");
  if (j.contains("delimiter")) {
    if (out.type != "csv") return error(child(path, "delimiter"), "only for type \"csv\"");
    if (auto s = get_char(j["delimiter"], child(path, "delimiter"), out.delimiter); !s) return s;
  }
  if (j.contains("header"))
    if (auto s = get_bool(j["header"], child(path, "header"), out.header); !s) return s;
  if (j.contains("columns")) {
    auto cpath = child(path, "columns");
    if (!j["columns"].is_array()) return expect_type(j["columns"], cpath, false, "an array of strings");
    if (auto s = get_names(j["columns"], cpath, out.columns); !s) return s;
    std::set<std::string> seen;
    for (std::size_t i = 0; i < out.columns.size(); ++i)
      if (!seen.insert(out.columns[i]).second)
        return error(element(cpath, i), fmt::format("duplicate column \"{}\"", out.columns[i]));
    if (out.header)
      return error(cpath, "only when \"header\" is false (with a header, the header names the columns)");
  }
  if (table && !out.header && out.columns.empty())
    return error(child(path, "columns"), "missing (required when \"header\" is false)");

  if (!j.contains("source_id"))
    return error(child(path, "source_id"), "missing (required: the column with the record's id)");
  if (auto s = get_names(j["source_id"], child(path, "source_id"), out.source_id); !s) return s;
  if (j.contains("movie_id"))
    if (auto s = get_nonempty_string(j["movie_id"], child(path, "movie_id"), out.movie_id); !s)
      return s;

  if (!j.contains("fields")) return error(child(path, "fields"), "missing (required)");
  const auto& fields = j["fields"];
  auto fpath = child(path, "fields");
  if (auto s = expect_type(fields, fpath, fields.is_array(), "an array"); !s) return s;
  if (fields.empty()) return error(fpath, "must map at least one column");
  for (std::size_t i = 0; i < fields.size(); ++i) {
    FieldMapping m;
    if (auto s = parse_mapping(fields[i], element(fpath, i), m); !s) return s;
    out.fields.push_back(std::move(m));
  }

  // Without a header the columns are known now: every name used must be one of them.
  if (table && !out.header) {
    auto known = [&](const std::string& c) {
      return std::find(out.columns.begin(), out.columns.end(), c) != out.columns.end();
    };
    auto unknown = [&](const std::string& where, const std::string& c) {
      return error(where, fmt::format("column \"{}\" is not in \"columns\"", c));
    };
    for (std::size_t i = 0; i < out.source_id.size(); ++i)
      if (!known(out.source_id[i])) return unknown(child(path, "source_id"), out.source_id[i]);
    if (!out.movie_id.empty() && !known(out.movie_id)) return unknown(child(path, "movie_id"), out.movie_id);
    for (std::size_t i = 0; i < out.fields.size(); ++i) {
      if (!known(out.fields[i].column))
        return unknown(child(element(fpath, i), "column"), out.fields[i].column);
      if (!out.fields[i].votes_column.empty() && !known(out.fields[i].votes_column))
        return unknown(child(element(fpath, i), "votes"), out.fields[i].votes_column);
    }
  }
  return out;
}

}  // namespace moviec::config
