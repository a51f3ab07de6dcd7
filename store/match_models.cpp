#include "store/match_models.hpp"

#include <cmath>
#include <set>

#include "store/keys.hpp"

namespace moviec::store {

using nlohmann::json;

StatusOr<std::optional<json>> MatchModels::get_json(const std::string& key) {
  auto stored = db_.get(ColumnFamily::matching, key);
  if (!stored) {
    if (stored.status().code() == Status::Code::not_found) return std::optional<json>{};
    return stored.status();
  }
  auto j = json::parse(*stored, nullptr, false);
  if (j.is_discarded()) return Status::corruption("matching: stored value is not JSON");
  return std::optional<json>{std::move(j)};
}

StatusOr<std::optional<json>> MatchModels::state(const std::string& source, const std::string& id) {
  return get_json(keys::matching_key(keys::kMatchState, source, id));
}

StatusOr<std::optional<json>> MatchModels::unmatched(const std::string& source, const std::string& id) {
  return get_json(keys::matching_key(keys::kMatchUnmatched, source, id));
}

StatusOr<std::optional<json>> MatchModels::decision(const std::string& source, const std::string& id) {
  return get_json(keys::matching_key(keys::kMatchDecision, source, id));
}

StatusOr<std::optional<std::string>> MatchModels::crosswalk(const std::string& kind,
                                                            const std::string& value) {
  auto j = get_json(keys::matching_key(keys::kMatchCrosswalk, kind, value));
  if (!j) return j.status();
  if (!*j) return std::optional<std::string>{};
  return std::optional<std::string>{(*j)->value("movie_id", "")};
}

StatusOr<std::vector<std::string>> MatchModels::block(const std::string& key, int year,
                                                      std::size_t limit) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  auto it = db_.iterator(ColumnFamily::movie_index);
  for (int y = year - 1; y <= year + 1 && out.size() < limit; ++y) {
    if (y < 0) continue;
    auto prefix = keys::match_block_prefix(key, y);
    for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix) && out.size() < limit; it->Next()) {
      std::string id(keys::index_movie_id(it->key().ToStringView(), prefix.size()));
      if (seen.insert(id).second) out.push_back(std::move(id));
    }
  }
  if (auto st = from_rocksdb(it->status(), "match blocking"); !st) return st;
  return out;
}

StatusOr<MatchModels::UnmatchedPage> MatchModels::unmatched_page(const std::string& source,
                                                                std::size_t limit,
                                                                const std::string& cursor,
                                                                const std::string& reason) {
  constexpr std::size_t kMaxScanned = 50000;  // bounds one request; the cursor continues
  UnmatchedPage page;
  auto prefix = keys::matching_prefix(keys::kMatchUnmatched, source);
  auto it = db_.iterator(ColumnFamily::matching);
  std::size_t scanned = 0;
  std::string last_id;
  for (it->Seek(prefix + cursor); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    std::string id(it->key().ToStringView().substr(prefix.size()));
    if (!cursor.empty() && id <= cursor) continue;
    if (scanned++ >= kMaxScanned) {
      page.next_cursor = last_id;
      break;
    }
    auto entry = json::parse(it->value().ToStringView(), nullptr, false);
    if (entry.is_discarded()) return Status::corruption("matching: unmatched entry " + id + " is not JSON");
    if (!reason.empty() && entry.value("reason", "") != reason) {
      last_id = id;
      continue;
    }
    // A full page gets a cursor only once a further entry exists.
    if (page.records.size() >= limit) {
      page.next_cursor = last_id;
      break;
    }
    last_id = id;
    page.records.push_back(std::move(entry));
  }
  if (auto st = from_rocksdb(it->status(), "unmatched records"); !st) return st;
  return page;
}

StatusOr<json> MatchModels::report(const std::string& source) {
  std::int64_t records = 0, matched = 0, unmatched = 0, ambiguous = 0, no_match = 0;
  json by_method = json::object();
  auto prefix = keys::matching_prefix(keys::kMatchCount, source);
  auto it = db_.iterator(ColumnFamily::matching);
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    std::string label(it->key().ToStringView().substr(prefix.size()));
    std::int64_t n = 0;
    try {
      n = std::stoll(it->value().ToString());
    } catch (...) {
      return Status::corruption("matching: count " + label + " of " + source + " is not a number");
    }
    records += n;
    if (label.rfind("matched:", 0) == 0) {
      matched += n;
      by_method[label.substr(8)] = n;
    } else if (label == "ambiguous") {
      ambiguous = n;
    } else if (label == "no_match") {
      no_match = n;
    } else {
      unmatched += n;
    }
  }
  if (auto st = from_rocksdb(it->status(), "match report"); !st) return st;
  json rate = records == 0 ? json(nullptr)
                           : json(std::round(10000.0 * static_cast<double>(matched) /
                                             static_cast<double>(records)) / 100);
  return json{{"source", source},       {"records", records},     {"matched", matched},
              {"by_method", by_method}, {"unmatched", unmatched}, {"ambiguous", ambiguous},
              {"no_match", no_match},   {"match_rate", rate}};
}

StatusOr<std::vector<std::string>> MatchModels::sources() {
  std::vector<std::string> out;
  std::string prefix{keys::kMatchCount, '\0'};
  auto it = db_.iterator(ColumnFamily::matching);
  it->Seek(prefix);
  while (it->Valid() && it->key().starts_with(prefix)) {
    auto rest = it->key().ToStringView().substr(prefix.size());
    std::string source(rest.substr(0, rest.find('\0')));
    out.push_back(source);
    // Skip every count of this source: seek past "n\0source\0\xff...".
    std::string next = prefix + source;
    next.push_back('\x01');
    it->Seek(next);
  }
  if (auto st = from_rocksdb(it->status(), "match sources"); !st) return st;
  return out;
}

}  // namespace moviec::store
