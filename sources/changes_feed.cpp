#include "sources/changes_feed.hpp"

#include <chrono>
#include <ctime>
#include <set>
#include <thread>

#include <fmt/format.h>
#include <httplib.h>

#include "sources/assets.hpp"
#include "sources/json_stream.hpp"
#include "sources/layout_mapper.hpp"
#include "sources/normalize.hpp"

namespace moviec::sources {

using nlohmann::json;

namespace {

constexpr int kMaxPages = 1000;  // TMDB caps at 500; a feed that never ends is cut here

struct SplitUrl {
  std::string base;  // scheme://host[:port]
  std::string path;  // /path?query
};

SplitUrl split_url(const std::string& url) {
  auto scheme_end = url.find("://");
  auto slash = url.find('/', scheme_end == std::string::npos ? 0 : scheme_end + 3);
  if (slash == std::string::npos) return {url, "/"};
  return {url.substr(0, slash), url.substr(slash)};
}

std::string encode(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~')
      out.push_back(static_cast<char>(c));
    else
      out += fmt::format("%{:02X}", c);
  }
  return out;
}

std::string with_query(const std::string& url, const json& query, int page) {
  std::string out = url + (url.find('?') == std::string::npos ? "?" : "&");
  for (auto& [key, value] : query.items())
    out += key + "=" + encode(value.is_string() ? value.get<std::string>() : value.dump()) + "&";
  return out + "page=" + std::to_string(page);
}

std::string iso_day(std::time_t t) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  return fmt::format("{:04}-{:02}-{:02}", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

bool retryable(int status) { return status == 429 || status >= 500; }

}  // namespace

std::string record_url(const std::string& url_template, const std::string& id) {
  std::string out = url_template;
  for (auto at = out.find("{id}"); at != std::string::npos; at = out.find("{id}", at)) {
    auto encoded = encode(id);
    out.replace(at, 4, encoded);
    at += encoded.size();
  }
  return out;
}

HttpFetcher::HttpFetcher(const config::PollOptions& options,
                         std::shared_ptr<std::atomic<bool>> cancelled)
    : options_(options), cancelled_(std::move(cancelled)) {}

StatusOr<std::string> HttpFetcher::get(const std::string& url) {
  auto [base, path] = split_url(url);
  httplib::Client client(base);
  auto ms = options_.timeout.count();
  client.set_connection_timeout(ms / 1000, static_cast<time_t>((ms % 1000) * 1000));
  client.set_read_timeout(ms / 1000, static_cast<time_t>((ms % 1000) * 1000));
  client.set_write_timeout(ms / 1000, static_cast<time_t>((ms % 1000) * 1000));
  httplib::Headers headers(options_.headers.begin(), options_.headers.end());

  auto backoff = options_.backoff;
  std::string last;
  int attempts = 0;
  for (int attempt = 0; attempt <= options_.retries; ++attempt) {
    if (attempt > 0) {
      // Sleep in slices so that a shutdown does not wait for a long backoff.
      auto until = std::chrono::steady_clock::now() + backoff;
      while (std::chrono::steady_clock::now() < until) {
        if (cancelled_ && *cancelled_) return Status::io_error(fmt::format("GET {}: cancelled", url));
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
      backoff = std::min(backoff * 2, options_.max_backoff);
    }
    if (cancelled_ && *cancelled_) return Status::io_error(fmt::format("GET {}: cancelled", url));
    ++requests_;
    ++attempts;
    auto res = client.Get(path.c_str(), headers);
    if (!res) {
      last = httplib::to_string(res.error());
      continue;
    }
    if (res->status >= 200 && res->status < 300) return res->body;
    if (res->status == 404) return Status::not_found(fmt::format("not found at {}", url));
    last = fmt::format("HTTP {}", res->status);
    if (!retryable(res->status)) break;
  }
  return Status::io_error(fmt::format("GET {} failed after {} attempt{}: {}", url, attempts,
                                      attempts == 1 ? "" : "s", last));
}

json next_query(const json& stored, const config::PollOptions& options) {
  if (stored.is_object() && stored.contains("cursor") && stored["cursor"].is_string())
    return json{{"cursor", stored["cursor"]}};
  std::string start;
  if (stored.is_object() && stored.contains("start_date") && stored["start_date"].is_string())
    start = stored["start_date"].get<std::string>();
  else if (!options.start_date.empty())
    start = options.start_date;
  else
    start = iso_day(std::time(nullptr) - 24 * 3600);
  return json{{"start_date", start}, {"end_date", today_utc().iso()}};
}

StatusOr<ChangesWindow> list_changes(HttpFetcher& fetcher, const config::PollOptions& options,
                                     const json& query) {
  ChangesWindow window;
  window.query = query;
  std::set<std::string> seen;
  int total_pages = 1;
  for (int page = 1; page <= total_pages && page <= kMaxPages; ++page) {
    auto url = with_query(options.changes_url, query, page);
    auto body = fetcher.get(url);
    if (!body) return body.status();
    auto j = parse_json_record(*body);
    if (!j) return Status::invalid(fmt::format("GET {}: {}", url, j.status().message()));
    if (!j->is_object() || !j->contains("results") || !(*j)["results"].is_array())
      return Status::invalid(fmt::format("GET {}: not a changes page (no \"results\" array)", url));
    for (auto& r : (*j)["results"]) {
      const json* id = r.is_object() && r.contains("id") ? &r["id"] : nullptr;
      if (!id || !(id->is_string() || id->is_number_integer()))
        return Status::invalid(fmt::format("GET {}: a result without an \"id\": {}", url, r.dump()));
      std::string text = id->is_string() ? id->get<std::string>() : id->dump();
      if (seen.insert(text).second) window.ids.push_back(std::move(text));
    }
    if (auto it = j->find("total_pages"); it != j->end() && it->is_number_integer())
      total_pages = static_cast<int>(std::max<std::int64_t>(1, it->get<std::int64_t>()));
    if (auto it = j->find("next_cursor"); it != j->end() && it->is_string())
      window.next_cursor = json{{"cursor", *it}};
  }
  if (window.next_cursor.is_null()) {
    if (query.contains("end_date")) window.next_cursor = json{{"start_date", query["end_date"]}};
    else window.next_cursor = query;  // a cursor feed that gave no new cursor: ask again from it
  }
  return window;
}

namespace {

class ChangesReader final : public RecordReader {
 public:
  ChangesReader(const config::SourceConfig& source, const config::PollOptions& options,
                std::vector<std::string> ids, std::shared_ptr<std::atomic<bool>> cancelled)
      : options_(options),
        mapper_(source.name, options.layout),
        ids_(std::move(ids)),
        fetcher_(options_, std::move(cancelled)) {}

  bool next(Item& out, std::vector<Reject>& rejects) override {
    while (status_.is_ok() && next_ < ids_.size()) {
      const std::string& id = ids_[next_++];
      auto url = record_url(options_.record_url, id);
      auto where = split_url(url).path;
      auto body = fetcher_.get(url);
      if (!body) {
        if (body.status().code() == Status::Code::not_found) {
          rejects.push_back({where, 0, fmt::format("record {}: {}", id, body.status().message()), ""});
          continue;
        }
        status_ = body.status();
        return false;
      }
      auto j = parse_json_record(*body);
      if (!j) {
        rejects.push_back({where, 0, j.status().message(), ""});
        continue;
      }
      if (!j->is_object()) {
        rejects.push_back({where, 0, fmt::format("expected a JSON object, got {}", j->type_name()), ""});
        continue;
      }
      std::string source_id;
      JsonRow row(*j, mapper_.columns());
      auto record = mapper_.map(row, source_id);
      if (!record) {
        rejects.push_back({where, 0, record.status().message(), source_id});
        continue;
      }
      // A feed's poster or trailer is a URL (or an address): a path has no file to be relative to.
      if (auto s = resolve_assets(*record, {}, AssetOptions{}); !s) {
        rejects.push_back({where, 0, s.message(), source_id});
        continue;
      }
      out.record = record.take();
      out.input = "GET " + where;
      return true;
    }
    return false;
  }

  std::uint64_t bytes_read() const override { return next_; }
  std::uint64_t bytes_total() const override { return ids_.size(); }
  Status status() const override { return status_; }

 private:
  config::PollOptions options_;
  LayoutMapper mapper_;
  std::vector<std::string> ids_;
  std::size_t next_ = 0;
  HttpFetcher fetcher_;
  Status status_;
};

}  // namespace

std::unique_ptr<RecordReader> open_changes_reader(const config::SourceConfig& source,
                                                  const config::PollOptions& options,
                                                  std::vector<std::string> ids,
                                                  std::shared_ptr<std::atomic<bool>> cancelled) {
  return std::make_unique<ChangesReader>(source, options, std::move(ids), std::move(cancelled));
}

}  // namespace moviec::sources
