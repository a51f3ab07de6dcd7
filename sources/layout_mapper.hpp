#pragma once
// Applies a config::Layout to one input row: reads the columns it names, parses
// each value by its type, normalizes it (sources/normalize.hpp) and fills a
// SourceRecord. The same mapper serves CSV, TSV and JSON rows through Row.
//
// Contract:
// - A row maps whole or is rejected whole; the error is the reject reason and
//   names the column: `column "IMDB Rating": 11: out of range 1..10`.
// - A null value (empty, `\N`, `N/A`, JSON null, a missing key, and 0 where the
//   mapping says zero_means_missing) leaves its field empty, unless the mapping is
//   `required`, which rejects the row.
// - Source id from one column: that column's text; an empty one rejects the row.
//   From several columns (a derived id, for sources without ids such as vega):
//   their texts as given, joined with " | " (a missing one is empty), and from
//   the second row with the same text on "#2", "#3", ... in input order. Stable
//   as long as rows with equal keys keep their order. Costs one hash-table entry
//   (about 40 bytes) per row.
// - Titles are cleaned, mojibake repaired when unambiguous (recorded in
//   metadata.title_repaired_from) and a trailing article moved to the front.
// - Dates become ISO 8601; a year after `repair_century_after` is moved back 100
//   years and the repair recorded in metadata.repairs; a date after today is
//   rejected unless `allow_future`. A release year after the registration date is
//   rejected.

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.hpp"
#include "config/layout.hpp"
#include "events/source_record.hpp"

namespace moviec::sources {

/// One value of a row, as found in the input.
struct Cell {
  enum class Kind { absent, null, text, json };
  Kind kind = Kind::absent;
  std::string_view text;                  // kind text: the raw text (CSV field, JSON string)
  const nlohmann::json* value = nullptr;  // kind json: a number, boolean, array or object
};

/// A row of input. cell(i) is the value of LayoutMapper::columns()[i].
class Row {
 public:
  virtual ~Row() = default;
  virtual Cell cell(std::size_t column) const = 0;
};

/// A JSON object as a Row: a column is a key, or a JSON pointer when it starts with '/'.
class JsonRow : public Row {
 public:
  /// `object` and `columns` must outlive the row.
  JsonRow(const nlohmann::json& object, const std::vector<std::string>& columns)
      : object_(object), columns_(columns) {}
  Cell cell(std::size_t column) const override;

 private:
  const nlohmann::json& object_;
  const std::vector<std::string>& columns_;
};

class LayoutMapper {
 public:
  LayoutMapper(std::string source, config::Layout layout);

  /// The distinct column names the layout reads (source id, movie id, fields,
  /// votes), in a fixed order: Row::cell(i) answers for columns()[i].
  const std::vector<std::string>& columns() const { return columns_; }
  const config::Layout& layout() const { return layout_; }

  /// Maps one row. On error (invalid_argument: the reject reason), `source_id`
  /// still holds the row's id when it could be read ("" otherwise), so that a
  /// removal pass does not take a rejected row for a vanished one.
  StatusOr<events::SourceRecord> map(const Row& row, std::string& source_id);

  /// True when source ids are derived (several columns): the mapper then keeps
  /// state across rows and the input cannot be resumed mid-way.
  bool derives_ids() const { return layout_.source_id.size() > 1; }

 private:
  Status read_source_id(const Row& row, std::string& out);

  // --- member variables ----------------------------------------------------
  std::string source_;
  config::Layout layout_;
  std::vector<std::string> columns_;
  std::vector<std::size_t> source_id_columns_;
  std::size_t movie_id_column_ = SIZE_MAX;
  std::vector<std::size_t> field_columns_;   // per layout_.fields
  std::vector<std::size_t> votes_columns_;   // per layout_.fields; SIZE_MAX = none
  std::unordered_map<std::uint64_t, std::uint32_t> derived_seen_;  // hash of derived key -> rows
};

}  // namespace moviec::sources
