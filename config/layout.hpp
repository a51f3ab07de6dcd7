#pragma once
// A source layout described by configuration alone (format "layout", and the
// record mapping of "http_changes" sources): how to split the input (CSV, TSV,
// JSON array or JSON lines), which column holds the source id and the movie id,
// and how each column becomes a field of the SourceRecord. docs/sources-layout.md
// documents every key with a worked example; sources/layout_mapper.hpp applies it.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.hpp"

namespace moviec::config {

/// How a column's value is read.
enum class ParseType {
  text,     // a string as given (a JSON number is written out: 1776 -> "1776")
  integer,  // "int": a whole number
  number,   // "float": a decimal number
  date,     // a date, by the first of `formats` that matches
  list,     // items split on `separator` (or a JSON array)
  rating,   // a number on the scale [scale_min, scale_max], with optional votes
};

/// One column -> one field of the SourceRecord.
struct FieldMapping {
  std::string column;  // CSV/TSV header name, or JSON key ("/a/b" is a JSON pointer)
  std::string field;   // "title", "year", ..., "source_ratings", "external_ids.tmdb", "metadata.x"
  ParseType type = ParseType::text;
  bool required = false;            // a missing value rejects the row
  bool zero_means_missing = false;  // a number equal to 0 is "no value"
  // date
  std::vector<std::string> formats;             // tried in order; empty = the defaults
  std::optional<int> repair_century_after;      // a later year is moved back 100 years (recorded)
  bool allow_future = false;                    // else a date after today rejects the row
  // list
  char separator = ',';
  bool json_array = false;  // the cell holds a JSON array ("[{\"id\": 28, \"name\": \"Action\"}]")
  std::string item_key;     // json_array of objects: the key whose value is the item ("name")
  // text, list
  std::map<std::string, std::string> values;  // code -> value ("28" -> "Action"); others kept
  // all
  bool skip_on_error = false;  // "on_error": "skip": a value that fails to parse is left out
                               // (recorded in metadata.skipped) instead of rejecting the row
  // rating
  std::string rating_name;  // "imdb", "critics", ...
  double scale_min = 0;
  double scale_max = 0;
  std::string votes_column;  // "" = no vote count
};

struct Layout {
  std::string type;  // "csv", "tsv", "json" (array or JSON lines, detected), "jsonl"
  char delimiter = ',';                  // csv
  bool header = true;                    // csv/tsv: the first row names the columns
  std::vector<std::string> columns;      // csv/tsv without a header: the column names
  std::vector<std::string> source_id;    // one column, or several: a derived id (see mapper)
  std::string movie_id;                  // column holding the moviec movie id; "" = none
  std::vector<FieldMapping> fields;

  bool is_json() const { return type == "json" || type == "jsonl"; }
};

/// Validates a layout object at `path`, naming the key path of the first problem
/// ("sources[1].options.fields[2].scale: expected [min, max] ..."). With
/// `records_only` (http_changes) the input is always JSON records: "type" may be
/// left out or be "json", and the CSV keys are refused.
StatusOr<Layout> parse_layout(const nlohmann::json& j, const std::string& path,
                              bool records_only = false);

/// The names of the parse types as written in the config ("text", "int", ...).
const char* parse_type_name(ParseType type);

/// The directives a date format may use; sources::parse_date implements them
/// (a test keeps the two in step).
Status check_date_format_directives(const std::string& format);

}  // namespace moviec::config
