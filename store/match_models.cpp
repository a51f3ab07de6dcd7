#include "store/match_models.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "events/title_key.hpp"
#include "store/keys.hpp"

namespace moviec::store {

using nlohmann::json;

namespace {
StatusOr<std::optional<json>> parse_json(std::optional<std::string> stored) {
  if (!stored) return std::optional<json>{};
  auto j = json::parse(*stored, nullptr, false);
  if (j.is_discarded()) return Status::corruption("matching: stored value is not JSON");
  return std::optional<json>{std::move(j)};
}

StatusOr<std::optional<std::string>> crosswalk_movie(StatusOr<std::optional<json>> j) {
  if (!j) return j.status();
  if (!*j) return std::optional<std::string>{};
  return std::optional<std::string>{(*j)->value("movie_id", "")};
}
}  // namespace

StatusOr<std::optional<json>> MatchModels::get_json(const std::string& key) {
  auto stored = db_.find(ColumnFamily::matching, key);
  if (!stored) return stored.status();
  return parse_json(std::move(*stored));
}

StatusOr<MatchModels::RecordFacts> MatchModels::record_facts(const std::string& source, const std::string& id,
                                                             bool with_crosswalk) {
  std::vector<std::string> keys{keys::matching_key(keys::kMatchState, source, id),
                                keys::matching_key(keys::kMatchDecision, source, id)};
  if (with_crosswalk) keys.push_back(keys::matching_key(keys::kMatchCrosswalk, source, id));
  auto found = db_.find_many(ColumnFamily::matching, keys);
  for (auto& f : found)
    if (!f) return f.status();
  RecordFacts out;
  auto state = parse_json(std::move(*found[0]));
  if (!state) return state.status();
  out.state = std::move(*state);
  auto decision = parse_json(std::move(*found[1]));
  if (!decision) return decision.status();
  out.decision = std::move(*decision);
  if (with_crosswalk) {
    auto movie = crosswalk_movie(parse_json(std::move(*found[2])));
    if (!movie) return movie.status();
    out.crosswalk = std::move(*movie);
  }
  return out;
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
  return crosswalk_movie(get_json(keys::matching_key(keys::kMatchCrosswalk, kind, value)));
}

Status MatchModels::block(const std::vector<std::string>& title_keys, int year, int window, std::size_t limit,
                          std::vector<std::string>& out) {
  if (title_keys.empty()) return Status::ok();
  const auto last = static_cast<std::uint64_t>(year + window);
  auto it = db_.iterator(ColumnFamily::movie_index);
  for (auto& key : title_keys) {
    // 'm' 0x00 key 0x00 BE64(year) 0x00 movie_id: the years of one key are adjacent.
    const std::string key_prefix = keys::index_prefix('m', key);
    for (it->Seek(keys::match_block_prefix(key, std::max(0, year - window))); it->Valid() && out.size() < limit;
         it->Next()) {
      auto k = it->key().ToStringView();
      if (k.size() < key_prefix.size() + 9 || k.compare(0, key_prefix.size(), key_prefix) != 0) break;
      std::uint64_t y = 0;
      for (std::size_t i = 0; i < 8; ++i) y = (y << 8) | static_cast<unsigned char>(k[key_prefix.size() + i]);
      if (y > last) break;
      auto id = k.substr(key_prefix.size() + 9);
      if (std::find(out.begin(), out.end(), id) == out.end()) out.emplace_back(id);
    }
    if (out.size() >= limit) break;
  }
  return from_rocksdb(it->status(), "match blocking");
}

StatusOr<bool> MatchModels::has_facts_blocking() {
  auto stored = db_.get(ColumnFamily::matching, keys::matching_key(keys::kMatchLayout, "blocking", ""));
  if (!stored) {
    if (stored.status().code() == Status::Code::not_found) return false;
    return stored.status();
  }
  return true;
}

void BlockHits::add(std::string_view movie_id, std::string_view facts) {
  Hit h{bytes_.size(), movie_id.size(), bytes_.size() + movie_id.size(), facts.size()};
  bytes_.append(movie_id).append(facts);
  hits_.push_back(h);
}

void BlockHits::truncate(std::size_t n) {
  if (n >= hits_.size()) return;
  bytes_.resize(hits_[n].id_at);
  hits_.resize(n);
}

bool BlockHits::contains(std::string_view movie_id, std::size_t n) const {
  for (std::size_t i = 0; i < n && i < hits_.size(); ++i)
    if (this->movie_id(i) == movie_id) return true;
  return false;
}

Status MatchModels::block_facts(const std::vector<std::string>& title_keys, int year, int window,
                                std::size_t limit, BlockHits& out, BigWindows* big) {
  if (title_keys.empty() || limit == 0) return Status::ok();
  std::unique_ptr<rocksdb::Iterator> own;
  if (!held_) own = db_.iterator(ColumnFamily::matching);
  rocksdb::Iterator* it = held_ ? held_.get() : own.get();
  const int first = std::max(0, year - window), last = year + window;
  // 'b' 0x00 key 0x00 BE64(year) 0x00 movie_id: the years of one key are adjacent.
  auto year_of = [](std::string_view k, std::size_t at) {
    std::uint64_t y = 0;
    for (std::size_t i = 0; i < 8; ++i) y = (y << 8) | static_cast<unsigned char>(k[at + i]);
    return static_cast<int>(y);
  };
  for (auto& key : title_keys) {
    if (out.size() >= limit) break;
    const std::size_t room = limit - out.size();
    // A movie is under one year of a key: only the hits of earlier keys can hold it.
    const std::size_t earlier = out.size();
    const std::string key_prefix = keys::index_prefix(keys::kMatchBlock, key);
    // The whole window in one pass, when it holds no more than there is room for
    // (a window known to be bigger goes year by year at once).
    bool overflow = big && big->contains(key, year);
    std::size_t read = 0;
    if (!overflow) {
      for (it->Seek(keys::match_facts_block_prefix(key, first)); it->Valid(); it->Next()) {
        auto k = it->key().ToStringView();
        if (k.size() < key_prefix.size() + 9 || k.compare(0, key_prefix.size(), key_prefix) != 0) break;
        if (year_of(k, key_prefix.size()) > last) break;
        if (read++ == room) {
          overflow = true;
          break;
        }
        auto id = k.substr(key_prefix.size() + 9);
        if (!out.contains(id, earlier)) out.add(id, it->value().ToStringView());
      }
    }
    if (!overflow) continue;
    if (big) big->add(key, year);
    // More than room: year by year, the nearest first (same year, then one apart, ...).
    out.truncate(earlier);
    for (int gap = 0; gap <= window && out.size() < limit; ++gap)
      for (int side = 0; side < (gap == 0 ? 1 : 2) && out.size() < limit; ++side) {
        const int y = side == 0 ? year - gap : year + gap;
        if (y < first) continue;
        const auto prefix = keys::match_facts_block_prefix(key, y);
        for (it->Seek(prefix); it->Valid() && out.size() < limit; it->Next()) {
          if (!it->key().starts_with(prefix)) break;
          auto id = it->key().ToStringView().substr(prefix.size());
          if (!out.contains(id, earlier)) out.add(id, it->value().ToStringView());
        }
      }
  }
  return from_rocksdb(it->status(), "match blocking");
}

StatusOr<std::optional<std::string>> MatchModels::movie_facts_bytes(const std::string& movie_id) {
  return db_.find(ColumnFamily::matching, keys::matching_key(keys::kMatchFacts, movie_id, ""));
}

StatusOr<bool> MatchModels::movie_facts(const std::string& movie_id, events::MatchFacts& facts,
                                        std::string& title) {
  auto stored = db_.get(ColumnFamily::matching, keys::matching_key(keys::kMatchFacts, movie_id, ""));
  if (!stored) {
    if (stored.status().code() == Status::Code::not_found) return false;
    return stored.status();
  }
  if (!decode_match_facts(*stored, facts, title))
    return Status::corruption("matching: the match facts of " + movie_id + " do not decode");
  return true;
}

StatusOr<std::optional<MatchHolder>> MatchModels::holder(const std::string& movie_id,
                                                         const std::string& source) {
  auto j = get_json(keys::matching_key(keys::kMatchHolder, movie_id, source));
  if (!j) return j.status();
  if (!*j) return std::optional<MatchHolder>{};
  MatchHolder h;
  h.source_id = (*j)->value("source_id", "");
  h.method = (*j)->value("method", "");
  if (auto w = (*j)->find("weight"); w != (*j)->end() && w->is_number()) h.weight = w->get<double>();
  return std::optional<MatchHolder>{std::move(h)};
}

// --- the compact match record ------------------------------------------------------

namespace {

constexpr char kField = '\x1f';
constexpr char kItem = '\x1e';
constexpr char kVersion = '1';

std::string clean(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c == kField || c == kItem) c = ' ';
  return out;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  if (s.empty()) return out;
  std::size_t start = 0;
  while (true) {
    auto pos = s.find(sep, start);
    out.push_back(s.substr(start, pos == std::string_view::npos ? std::string_view::npos : pos - start));
    if (pos == std::string_view::npos) break;
    start = pos + 1;
  }
  return out;
}

std::optional<int> to_int(std::string_view s) {
  if (s.empty()) return std::nullopt;
  int v = 0;
  bool negative = s[0] == '-';
  for (std::size_t i = negative ? 1 : 0; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
    v = v * 10 + (s[i] - '0');
  }
  return negative ? -v : v;
}

// Fields, in order: version, title, names, year, runtime, genres, external ids,
// title forms ("K M L word word ..." per form: kind, main words, last subtitle words), genre words, runtime source,
// genres source.
constexpr std::size_t kFields = 11;

}  // namespace

namespace {

void append_items(std::string& out, const std::vector<std::string>& v) {
  out += kField;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i) out += kItem;
    out += clean(v[i]);
  }
}

/// The fields after the genres as written, the same in both forms of a record:
/// external ids, title forms, genre words, the winning sources. Computed once for
/// both (the title forms are most of an encoding's cost).
std::string encoded_tail(const MovieMatchRecord& r) {
  std::string out;
  std::vector<std::string> ids;
  for (auto& [k, v] : r.external_ids) ids.push_back(clean(k) + "=" + clean(v));
  append_items(out, ids);
  std::vector<std::string> forms;
  for (auto& f : events::title_forms(r.title, r.names, /*repair_mojibake=*/false)) {
    std::string form = std::to_string(static_cast<int>(f.kind)) + " " + std::to_string(f.main_words) + " " +
                       std::to_string(f.last_subtitle_words);
    for (auto& w : f.words) form += " " + w;
    forms.push_back(std::move(form));
  }
  append_items(out, forms);
  out += kField;
  auto words = events::genre_words(r.genres);
  for (std::size_t i = 0; i < words.size(); ++i) out += (i ? " " : "") + words[i];
  out += kField;
  out += clean(r.runtime_source);
  out += kField;
  out += clean(r.genres_source);
  return out;
}

std::string encode_with_tail(const MovieMatchRecord& r, bool facts_only, const std::string& tail) {
  static const std::vector<std::string> kNone;
  std::string out(1, kVersion);
  out += kField;
  out += clean(r.title);
  append_items(out, facts_only ? kNone : r.names);
  out += kField;
  if (r.year) out += std::to_string(*r.year);
  out += kField;
  if (r.runtime_minutes) out += std::to_string(*r.runtime_minutes);
  append_items(out, facts_only ? kNone : r.genres);
  out += tail;
  return out;
}

}  // namespace

std::string encode_match_record(const MovieMatchRecord& r, bool facts_only) {
  return encode_with_tail(r, facts_only, encoded_tail(r));
}

std::optional<MovieMatchRecord> decode_match_record(std::string_view bytes) {
  auto f = split(bytes, kField);
  if (f.size() != kFields || f[0].size() != 1 || f[0][0] != kVersion) return std::nullopt;
  MovieMatchRecord r;
  r.title = std::string(f[1]);
  for (auto n : split(f[2], kItem)) r.names.emplace_back(n);
  r.year = to_int(f[3]);
  r.runtime_minutes = to_int(f[4]);
  for (auto g : split(f[5], kItem)) r.genres.emplace_back(g);
  for (auto id : split(f[6], kItem)) {
    auto eq = id.find('=');
    if (eq == std::string_view::npos) continue;
    r.external_ids.emplace_back(std::string(id.substr(0, eq)), std::string(id.substr(eq + 1)));
  }
  r.runtime_source = std::string(f[9]);
  r.genres_source = std::string(f[10]);
  return r;
}

bool decode_title_forms(std::string_view forms, std::vector<events::TitleForm>& out) {
  for (auto form : split(forms, kItem)) {
    auto parts = split(form, ' ');
    if (parts.size() < 4) continue;
    events::TitleForm t;
    auto kind = to_int(parts[0]);
    auto main = to_int(parts[1]);
    auto last = to_int(parts[2]);
    if (!kind || !main || !last || *kind < 0 || *kind > 2 || *main < 0 || *last < 0) return false;
    t.kind = static_cast<events::TitleKind>(*kind);
    t.main_words = static_cast<std::size_t>(*main);
    t.last_subtitle_words = static_cast<std::size_t>(*last);
    for (std::size_t i = 3; i < parts.size(); ++i) t.words.emplace_back(parts[i]);
    out.push_back(std::move(t));
  }
  return true;
}

bool decode_match_facts(std::string_view bytes, events::MatchFacts& facts, std::string& title) {
  auto f = split(bytes, kField);
  if (f.size() != kFields || f[0].size() != 1 || f[0][0] != kVersion) return false;
  facts = events::MatchFacts{};
  title.assign(f[1]);
  facts.year = to_int(f[3]);
  facts.runtime_minutes = to_int(f[4]);
  for (auto id : split(f[6], kItem)) {
    auto eq = id.find('=');
    if (eq == std::string_view::npos) continue;
    facts.external_ids.emplace_back(std::string(id.substr(0, eq)), std::string(id.substr(eq + 1)));
  }
  std::sort(facts.external_ids.begin(), facts.external_ids.end());
  if (!decode_title_forms(f[7], facts.titles)) return false;
  for (auto w : split(f[8], ' ')) facts.genre_words.emplace_back(w);
  facts.runtime_source = std::string(f[9]);
  facts.genres_source = std::string(f[10]);
  return true;
}

bool view_match_facts(std::string_view bytes, MatchFactsView& out) {
  std::string_view f[kFields];
  std::size_t n = 0;
  while (true) {
    auto pos = bytes.find(kField);
    if (n == kFields) return false;
    f[n++] = bytes.substr(0, pos);
    if (pos == std::string_view::npos) break;
    bytes.remove_prefix(pos + 1);
  }
  if (n != kFields || f[0].size() != 1 || f[0][0] != kVersion) return false;
  out.title = f[1];
  out.year = f[3];
  out.runtime = f[4];
  out.external_ids = f[6];
  out.forms = f[7];
  out.genre_words = f[8];
  out.runtime_source = f[9];
  out.genres_source = f[10];
  return true;
}

std::optional<int> view_int(std::string_view s) { return to_int(s); }

void match_record_writes(const std::string& movie_id, const std::optional<MovieMatchRecord>& before,
                         const MovieMatchRecord& after, std::map<std::string, std::optional<std::string>>& out) {
  // A names key carries the facts only while they are this small: a movie known by
  // many titles (IMDb akas) would otherwise store its facts once per title.
  constexpr std::size_t kMaxFactsOnNamesKey = 512;
  auto block_keys = [&](const MovieMatchRecord& r) {
    std::map<std::string, bool> out;  // key -> from the title itself
    if (!r.year) return out;
    for (auto& k : events::title_keys(r.title, {}, /*repair_mojibake=*/false))
      out.emplace(keys::match_facts_block_prefix(k.key, *r.year) + movie_id, true);
    if (!r.names.empty())  // the keys of the names that are not keys of the title
      for (auto& k : events::title_keys(r.title, r.names, /*repair_mojibake=*/false))
        out.emplace(keys::match_facts_block_prefix(k.key, *r.year) + movie_id, false);
    return out;
  };
  auto now = block_keys(after);
  if (before)
    for (auto& [key, from_title] : block_keys(*before))
      if (!now.count(key)) out[key] = std::nullopt;
  const auto tail = encoded_tail(after);
  const auto facts = encode_with_tail(after, /*facts_only=*/true, tail);
  for (auto& [key, from_title] : now)
    out[key] = from_title || facts.size() <= kMaxFactsOnNamesKey ? facts : std::string();
  out[keys::matching_key(keys::kMatchFacts, movie_id, "")] = encode_with_tail(after, /*facts_only=*/false, tail);
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
