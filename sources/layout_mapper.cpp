#include "sources/layout_mapper.hpp"

#include <algorithm>
#include <cmath>
#include <optional>

#include <fmt/format.h>

#include "events/hash.hpp"
#include "sources/normalize.hpp"

namespace moviec::sources {

using config::FieldMapping;
using config::ParseType;
using nlohmann::json;

Cell JsonRow::cell(std::size_t column) const {
  const std::string& name = columns_[column];
  const json* v = nullptr;
  if (name[0] == '/') {
    // A JSON pointer: nlohmann reports a malformed or missing path only by exception.
    try {
      json::json_pointer pointer(name);
      if (object_.contains(pointer)) v = &object_.at(pointer);
    } catch (const json::exception&) {
      v = nullptr;
    }
  } else if (auto it = object_.find(name); it != object_.end()) {
    v = &*it;
  }
  Cell c;
  if (!v) return c;
  if (v->is_null()) c.kind = Cell::Kind::null;
  else if (v->is_string()) {
    c.kind = Cell::Kind::text;
    c.text = v->get_ref<const std::string&>();
  } else {
    c.kind = Cell::Kind::json;
    c.value = v;
  }
  return c;
}

namespace {

// A value read from a cell and not null.
struct Value {
  const Cell* cell;
  std::string_view text() const { return trim(cell->text); }
  bool is_text() const { return cell->kind == Cell::Kind::text; }
  const json& j() const { return *cell->value; }
};

bool is_null_cell(const Cell& c, bool zero_means_missing) {
  switch (c.kind) {
    case Cell::Kind::absent:
    case Cell::Kind::null: return true;
    case Cell::Kind::text: return is_missing(c.text, zero_means_missing);
    case Cell::Kind::json: return zero_means_missing && c.value->is_number() && c.value->get<double>() == 0;
  }
  return true;
}

std::string json_kind(const json& j) {
  if (j.is_number()) return "a number";
  if (j.is_boolean()) return "true/false";
  if (j.is_array()) return "an array";
  if (j.is_object()) return "an object";
  return j.type_name();
}

Status bad(const std::string& why) { return Status::invalid(why); }

StatusOr<std::string> as_text(const Value& v) {
  if (v.is_text()) {
    if (auto problem = utf8_problem(v.cell->text); !problem.empty()) return bad(problem);
    return std::string(v.text());
  }
  const json& j = v.j();
  if (j.is_number_integer() || j.is_number_unsigned() || j.is_number_float() || j.is_boolean())
    return j.dump();
  return bad(fmt::format("expected text, got {}", json_kind(j)));
}

StatusOr<std::int64_t> as_int(const Value& v) {
  if (v.is_text()) {
    auto n = parse_int(v.text());
    if (n) return n;
    // A whole number written as a decimal ("116.0", TMDB's runtimes) is a whole number.
    if (auto d = parse_float(v.text()); d && std::isfinite(*d) && *d == std::floor(*d) && std::fabs(*d) < 9e15)
      return static_cast<std::int64_t>(*d);
    return bad(fmt::format("\"{}\": {}", v.text(), n.status().message()));
  }
  const json& j = v.j();
  if (j.is_number_integer()) return j.get<std::int64_t>();
  if (j.is_number_float()) {
    double d = j.get<double>();
    if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9e15) return static_cast<std::int64_t>(d);
    return bad(fmt::format("{}: not a whole number", j.dump()));
  }
  return bad(fmt::format("expected a whole number, got {}", json_kind(j)));
}

StatusOr<double> as_float(const Value& v) {
  if (v.is_text()) {
    auto n = parse_float(v.text());
    if (!n) return bad(fmt::format("\"{}\": {}", v.text(), n.status().message()));
    return n;
  }
  const json& j = v.j();
  if (j.is_number()) return j.get<double>();
  return bad(fmt::format("expected a number, got {}", json_kind(j)));
}

// A date with the repairs and checks of its mapping; `repairs` collects what was repaired.
StatusOr<Date> as_date(const Value& v, const FieldMapping& m, const Date& today,
                       std::vector<std::string>& repairs) {
  if (!v.is_text()) return bad(fmt::format("expected a date, got {}", json_kind(v.j())));
  auto text = v.text();
  auto date = m.formats.empty() ? parse_date(text) : parse_date(text, m.formats);
  if (!date) return bad(fmt::format("\"{}\": {}", text, date.status().message()));
  Date d = *date;
  if (m.repair_century_after && d.year > *m.repair_century_after) {
    Date repaired = d;
    repaired.year -= 100;
    repairs.push_back(fmt::format("{} \"{}\" read as {} (a year after {} is taken to be a century off)",
                                  m.column, text, repaired.iso(), *m.repair_century_after));
    d = repaired;
  }
  if (!m.allow_future)
    if (auto s = check_not_future(d, today); !s) return bad(fmt::format("\"{}\": {}", text, s.message()));
  return d;
}

StatusOr<std::vector<std::string>> as_list(const Value& v, const FieldMapping& m) {
  json parsed;
  const json* array = nullptr;
  if (v.is_text()) {
    if (auto problem = utf8_problem(v.cell->text); !problem.empty()) return bad(problem);
    if (!m.json_array) return split_list(v.cell->text, m.separator);
    // JSON in a cell: TMDB's `[{"id": 28, "name": "Action"}, ...]`.
    parsed = json::parse(v.text(), nullptr, false);
    if (parsed.is_discarded()) return bad("not a JSON array (it does not parse as JSON)");
    array = &parsed;
  } else {
    array = &v.j();
  }
  const json& j = *array;
  if (!j.is_array()) return bad(fmt::format("expected a list, got {}", json_kind(j)));
  std::vector<std::string> out;
  for (auto& element : j) {
    const json* picked = &element;
    if (!m.item_key.empty()) {
      if (!element.is_object())
        return bad(fmt::format("expected objects with \"{}\" in the array, got {}", m.item_key,
                               json_kind(element)));
      auto k = element.find(m.item_key);
      if (k == element.end()) continue;  // an item without the key says nothing
      picked = &*k;
    }
    const json& item = *picked;
    if (item.is_null()) continue;
    std::string s = item.is_string() ? item.get<std::string>() : item.dump();
    if (item.is_object() || item.is_array())
      return bad(fmt::format("expected a list of values, got {} in it", json_kind(item)));
    auto t = trim(s);
    if (!is_null(t)) out.emplace_back(t);
  }
  return out;
}

using events::number_text;

bool plausible_year(std::int64_t year, const Date& today) { return year >= 1800 && year <= today.year + 10; }

}  // namespace

LayoutMapper::LayoutMapper(std::string source, config::Layout layout)
    : source_(std::move(source)), layout_(std::move(layout)) {
  auto add = [&](const std::string& column) -> std::size_t {
    auto it = std::find(columns_.begin(), columns_.end(), column);
    if (it != columns_.end()) return static_cast<std::size_t>(it - columns_.begin());
    columns_.push_back(column);
    return columns_.size() - 1;
  };
  for (auto& c : layout_.source_id) source_id_columns_.push_back(add(c));
  if (!layout_.movie_id.empty()) movie_id_column_ = add(layout_.movie_id);
  for (auto& f : layout_.fields) {
    field_columns_.push_back(add(f.column));
    votes_columns_.push_back(f.votes_column.empty() ? SIZE_MAX : add(f.votes_column));
  }
}

Status LayoutMapper::read_source_id(const Row& row, std::string& out) {
  out.clear();
  if (source_id_columns_.size() == 1) {
    Cell c = row.cell(source_id_columns_[0]);
    if (is_null_cell(c, false))
      return bad(fmt::format("no source id (column \"{}\" is empty)", layout_.source_id[0]));
    auto text = as_text(Value{&c});
    if (!text) return bad(fmt::format("column \"{}\": {}", layout_.source_id[0], text.status().message()));
    out = text.take();
    return Status::ok();
  }
  // Derived: the raw texts joined, then "#n" for the n-th row with the same key.
  std::string key;
  bool any = false;
  for (std::size_t i = 0; i < source_id_columns_.size(); ++i) {
    if (i) key += " | ";
    Cell c = row.cell(source_id_columns_[i]);
    if (is_null_cell(c, false)) continue;
    auto text = as_text(Value{&c});
    if (!text) return bad(fmt::format("column \"{}\": {}", layout_.source_id[i], text.status().message()));
    key += *text;
    any = true;
  }
  if (!any) return bad("no source id (every column of the derived id is empty)");
  auto n = ++derived_seen_[events::fnv1a64(key)];
  if (n > 1) key += "#" + std::to_string(n);
  out = std::move(key);
  return Status::ok();
}

StatusOr<events::SourceRecord> LayoutMapper::map(const Row& row, std::string& source_id) {
  if (auto s = read_source_id(row, source_id); !s) return s;
  events::SourceRecord r;
  r.source = source_;
  r.source_id = source_id;
  if (movie_id_column_ != SIZE_MAX) {
    Cell c = row.cell(movie_id_column_);
    if (!is_null_cell(c, false)) {
      auto id = as_text(Value{&c});
      if (!id) return bad(fmt::format("column \"{}\": {}", layout_.movie_id, id.status().message()));
      r.movie_id = id.take();
    }
  }

  const Date today = today_utc();
  std::vector<std::string> repairs;
  std::vector<std::string> skipped;
  std::optional<Date> registration;
  for (std::size_t i = 0; i < layout_.fields.size(); ++i) {
    const FieldMapping& m = layout_.fields[i];
    Cell cell = row.cell(field_columns_[i]);
    if (is_null_cell(cell, m.zero_means_missing)) {
      if (m.required) return bad(fmt::format("column \"{}\": missing (required)", m.column));
      continue;
    }
    Value v{&cell};
    // A value that fails to parse rejects the row, or with "on_error": "skip" is
    // left out, the problem kept in metadata.skipped (ok() = go on without it).
    auto fail = [&](const Status& s) {
      auto why = fmt::format("column \"{}\": {}", m.column, s.message());
      if (!m.skip_on_error) return bad(why);
      skipped.push_back(std::move(why));
      return Status::ok();
    };
    const std::string& f = m.field;

    // Parse by type first; then put the value where the field wants it.
    std::optional<std::string> text;
    std::optional<std::int64_t> integer;
    std::optional<double> number;
    std::optional<Date> date;
    std::vector<std::string> list;
    switch (m.type) {
      case ParseType::text: {
        auto t = as_text(v);
        if (!t) {
          if (auto st = fail(t.status()); !st) return st;
          continue;  // on_error skip
        }
        if (t->empty()) {
          if (m.required) return bad(fmt::format("column \"{}\": missing (required)", m.column));
          continue;
        }
        text = t.take();
        break;
      }
      case ParseType::integer: {
        auto n = as_int(v);
        if (!n) {
          if (auto st = fail(n.status()); !st) return st;
          continue;  // on_error skip
        }
        integer = *n;
        break;
      }
      case ParseType::number: {
        auto n = as_float(v);
        if (!n) {
          if (auto st = fail(n.status()); !st) return st;
          continue;  // on_error skip
        }
        number = *n;
        break;
      }
      case ParseType::date: {
        auto d = as_date(v, m, today, repairs);
        if (!d) {
          if (auto st = fail(d.status()); !st) return st;
          continue;  // on_error skip
        }
        date = *d;
        break;
      }
      case ParseType::list: {
        auto l = as_list(v, m);
        if (!l) {
          if (auto st = fail(l.status()); !st) return st;
          continue;  // on_error skip
        }
        list = l.take();
        break;
      }
      case ParseType::rating: {
        auto value = as_float(v);
        if (!value) {
          if (auto st = fail(value.status()); !st) return st;
          continue;  // on_error skip
        }
        if (*value < m.scale_min || *value > m.scale_max) {
          auto why = fmt::format("{}: out of range {}..{}", number_text(*value), number_text(m.scale_min),
                                 number_text(m.scale_max));
          if (auto st = fail(Status::invalid(why)); !st) return st;
          continue;
        }
        std::int64_t votes = 0;
        if (votes_columns_[i] != SIZE_MAX) {
          Cell vc = row.cell(votes_columns_[i]);
          if (!is_null_cell(vc, false)) {
            auto n = as_int(Value{&vc});
            if (!n) return bad(fmt::format("column \"{}\": {}", m.votes_column, n.status().message()));
            if (*n < 0) return bad(fmt::format("column \"{}\": {} votes: must not be negative", m.votes_column, *n));
            votes = *n;
          }
        }
        r.source_ratings.push_back(make_rating(m.rating_name, *value, m.scale_min, m.scale_max, votes));
        continue;
      }
    }

    if (!m.values.empty()) {  // a value map: codes to values ("28" -> "Action")
      auto mapped = [&](std::string& value) {
        if (auto it = m.values.find(value); it != m.values.end()) value = it->second;
      };
      if (text) mapped(*text);
      for (auto& item : list) mapped(item);
    }

    if (f == "title") {
      auto t = normalize_title(*text);
      r.title = move_trailing_article(t.text);
      if (!t.repaired_from.empty()) r.metadata["title_repaired_from"] = t.repaired_from;
    } else if (f == "year") {
      std::int64_t year = date ? date->year : *integer;
      if (!plausible_year(year, today)) {
        auto why = fmt::format("year {} is not plausible (1800..{})", year, today.year + 10);
        if (auto st = fail(Status::invalid(why)); !st) return st;
        continue;
      }
      r.year = static_cast<int>(year);
    } else if (f == "runtime_minutes") {
      if (*integer <= 0 || *integer > 100000) {
        auto why = fmt::format("runtime {} minutes is not plausible", *integer);
        if (auto st = fail(Status::invalid(why)); !st) return st;
        continue;
      }
      r.runtime_minutes = static_cast<int>(*integer);
    } else if (f == "genres" || f == "names") {
      if (text) list.push_back(*text);
      for (auto& item : list) {
        if (f == "genres") {
          if (std::find(r.genres.begin(), r.genres.end(), item) == r.genres.end()) r.genres.push_back(item);
        } else {
          events::LocalizedName n;
          n.title = normalize_title(item).text;
          r.names.push_back(std::move(n));
        }
      }
    } else if (f == "posters" || f == "trailers") {  // references: sources/assets.hpp resolves paths
      if (text) list.push_back(*text);
      auto& refs = f == "posters" ? r.posters : r.trailers;
      for (auto& item : list) {
        std::string ref(trim(item));
        if (!ref.empty() && std::find(refs.begin(), refs.end(), ref) == refs.end()) refs.push_back(std::move(ref));
      }
    } else if (f == "country_of_origin") {
      r.country_of_origin = *text;
    } else if (f == "registration_date") {
      r.registration_date = date->iso();
      registration = date;
    } else if (f == "crating_performance" || f == "crating_soundtrack" || f == "crating_screenplay") {
      double value = number ? *number : static_cast<double>(*integer);
      auto& target = f == "crating_performance" ? r.crating_performance
                     : f == "crating_soundtrack" ? r.crating_soundtrack
                                                 : r.crating_screenplay;
      target = value;
    } else {
      // external_ids.<key> or metadata.<key>
      auto dot = f.find('.');
      std::string key = f.substr(dot + 1);
      std::string value;
      if (text) value = *text;
      else if (integer) value = std::to_string(*integer);
      else if (number) value = number_text(*number);
      else if (date) value = date->iso();
      else {
        for (auto& item : list) value += (value.empty() ? "" : "|") + item;
        if (value.empty()) continue;
      }
      if (f.compare(0, dot, "external_ids") == 0) {
        r.external_ids[key] = std::move(value);
        continue;
      }
      // A number stays one (JSON shows it as such); one too big to read stays text.
      if (integer || (number && std::isfinite(*number))) r.metadata_numbers.insert(key);
      else r.metadata_numbers.erase(key);
      r.metadata[key] = std::move(value);
    }
  }
  if (registration && r.year)
    if (auto s = check_release_year(*r.year, *registration); !s) return bad(s.message());
  if (!skipped.empty()) {
    std::string joined;
    for (auto& why : skipped) joined += (joined.empty() ? "" : "; ") + why;
    r.metadata["skipped"] = joined;
  }
  if (!repairs.empty()) {
    std::string joined;
    for (auto& rep : repairs) joined += (joined.empty() ? "" : "; ") + rep;
    r.metadata["repairs"] = joined;
  }
  return r;
}


}  // namespace moviec::sources
