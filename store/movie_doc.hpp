#pragma once
// The golden record document of the `movies` read model (store/read_models.hpp),
// held typed while the projector folds events into it, and written as the JSON that
// GET /movies/{id} serves:
//
//   {"last_sequence", "movie_id", <field>: value ..., "provenance": {<field>:
//    {"rule", "sequence", "source"}}, "rules_version", "sources": [{"source",
//    "source_id"}] in (source, source_id) order, "version"}
//
// every key in std::map order: the bytes nlohmann's dump() writes for the same tree
// (the projector built that tree before; stores it wrote read back the same). A
// field's value is kept as its JSON text: a batch writes each value once instead of
// copying, dumping and destroying a tree per movie (a first IMDb run: the tree was a
// third of the projection's time).

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace moviec::store {

struct MovieDoc {
  struct Field {
    std::string json;    // the value as JSON text (never null: a null value removes the field)
    std::string source;  // provenance: the source whose value won,
    std::string rule;    // the rule that decided,
    std::uint64_t sequence = 0;  // and the source event that supplied it
    bool has_provenance = true;  // false only as a damaged stored document had it
  };

  std::string movie_id;
  std::uint64_t version = 0;
  std::uint64_t last_sequence = 0;
  std::uint64_t rules_version = 0;
  std::vector<std::pair<std::string, std::string>> sources;  // (source, source_id), sorted
  std::map<std::string, Field> fields;

  /// Adds a source record reference in order; false when it was there already.
  bool attach_source(const std::string& source, const std::string& source_id);
  /// Removes a source record reference; false when it was not there.
  bool detach_source(const std::string& source, const std::string& source_id);
  /// Sets a golden field and its provenance; a null value removes the field. A name
  /// that is one of the document's own keys is no golden field and is ignored.
  void set_field(const std::string& field, const nlohmann::json& value, const std::string& source,
                 const std::string& rule, std::uint64_t sequence);

  /// The document's JSON text (the stored form).
  std::string render() const;
  /// A stored document; nullopt when it is not one (not JSON, or not an object).
  static std::optional<MovieDoc> parse(std::string_view text);

  /// A field's value parsed back (null when the field is absent).
  nlohmann::json value(const std::string& field) const;
};

}  // namespace moviec::store
