#pragma once
// A small "what changed since" feed on loopback, TMDB /movie/changes shaped, for
// poll tests: GET /movie/changes?...&page=N lists the changed ids (per_page a
// page), GET /movie/{id} answers the record. It records every request and can be
// told to fail or stall the next requests. Fed with append_changes() instead, it
// is a change journal that honours the cursor it hands out (see there).

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

namespace moviec::test {

class FakeFeed {
 public:
  FakeFeed() {
    server_.Get("/movie/changes", [this](const httplib::Request& req, httplib::Response& res) {
      if (fault(req, res)) return;
      std::lock_guard<std::mutex> lock(mu_);
      if (journal_mode_) return serve_journal(req, res);
      int page = req.has_param("page") ? std::stoi(req.get_param_value("page")) : 1;
      int pages = std::max<int>(1, static_cast<int>((changed_.size() + per_page_ - 1) / per_page_));
      nlohmann::json results = nlohmann::json::array();
      for (std::size_t i = (page - 1) * per_page_; i < changed_.size() && i < page * per_page_; ++i)
        results.push_back({{"id", changed_[i]}, {"adult", false}});
      nlohmann::json body{{"results", results}, {"page", page}, {"total_pages", pages}};
      if (!next_cursor_.empty()) body["next_cursor"] = next_cursor_;
      res.set_content(body.dump(), "application/json");
    });
    server_.Get(R"(/movie/([^/]+))", [this](const httplib::Request& req, httplib::Response& res) {
      if (fault(req, res)) return;
      std::lock_guard<std::mutex> lock(mu_);
      auto it = records_.find(req.matches[1].str());
      if (it == records_.end()) {
        res.status = 404;
        res.set_content(R"({"status_message": "not found"})", "application/json");
        return;
      }
      res.set_content(it->second.dump(), "application/json");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~FakeFeed() {
    server_.stop();
    thread_.join();
  }
  FakeFeed(const FakeFeed&) = delete;
  FakeFeed& operator=(const FakeFeed&) = delete;

  int port() const { return port_; }
  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }

  /// The ids the changes endpoint lists (any window), per_page a page.
  void set_changed(std::vector<std::string> ids, std::size_t per_page = 2) {
    std::lock_guard<std::mutex> lock(mu_);
    changed_ = std::move(ids);
    per_page_ = per_page;
  }
  void set_record(const std::string& id, nlohmann::json record) {
    std::lock_guard<std::mutex> lock(mu_);
    records_[id] = std::move(record);
  }
  /// Journal mode: each id appended is one change (set its record first). The
  /// changes endpoint serves the journal from the request's `cursor` (a position;
  /// 0 without one) to its end, per_page a page, and hands out that end as
  /// `next_cursor`: a poller that stored cursor N has been served every change
  /// before N. Pages asked while the journal grows stay consistent: each answer
  /// counts its pages to the end as it is then and names that end.
  void append_changes(const std::vector<std::string>& ids) {
    std::lock_guard<std::mutex> lock(mu_);
    journal_mode_ = true;
    journal_.insert(journal_.end(), ids.begin(), ids.end());
  }
  /// The journal so far (journal mode).
  std::vector<std::string> journal() const {
    std::lock_guard<std::mutex> lock(mu_);
    return journal_;
  }
  void set_next_cursor(std::string cursor) {
    std::lock_guard<std::mutex> lock(mu_);
    next_cursor_ = std::move(cursor);
  }
  /// The next `n` requests answer `status` (0: the connection is dropped).
  void fail_next(int n, int status = 503) {
    std::lock_guard<std::mutex> lock(mu_);
    failures_ = n;
    failure_status_ = status;
  }
  /// The next `n` requests wait `delay` before answering.
  void stall_next(int n, std::chrono::milliseconds delay) {
    std::lock_guard<std::mutex> lock(mu_);
    stalls_ = n;
    stall_ = delay;
  }
  /// Every request so far: "/movie/changes?start_date=...&page=1" (path and query).
  std::vector<std::string> requests() const {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_;
  }
  void clear_requests() {
    std::lock_guard<std::mutex> lock(mu_);
    requests_.clear();
  }

 private:
  // The journal page the request asks for (mu_ held).
  void serve_journal(const httplib::Request& req, httplib::Response& res) {
    std::size_t from = 0;
    if (req.has_param("cursor")) from = std::stoul(req.get_param_value("cursor"));
    from = std::min(from, journal_.size());
    std::size_t page = req.has_param("page") ? std::stoul(req.get_param_value("page")) : 1;
    std::size_t left = journal_.size() - from;
    std::size_t pages = std::max<std::size_t>(1, (left + per_page_ - 1) / per_page_);
    nlohmann::json results = nlohmann::json::array();
    for (std::size_t i = from + (page - 1) * per_page_; i < journal_.size() && i < from + page * per_page_; ++i)
      results.push_back({{"id", journal_[i]}, {"adult", false}});
    nlohmann::json body{{"results", results}, {"page", page}, {"total_pages", pages},
                        {"next_cursor", std::to_string(journal_.size())}};
    res.set_content(body.dump(), "application/json");
  }

  // Records the request; true when it was answered with an injected failure.
  bool fault(const httplib::Request& req, httplib::Response& res) {
    std::chrono::milliseconds delay{0};
    {
      std::lock_guard<std::mutex> lock(mu_);
      std::string query;
      for (auto& [k, v] : req.params) query += (query.empty() ? "?" : "&") + k + "=" + v;
      requests_.push_back(req.path + query);
      if (stalls_ > 0) {
        --stalls_;
        delay = stall_;
      }
      if (failures_ > 0) {
        --failures_;
        res.status = failure_status_;
        res.set_content(R"({"status_message": "injected failure"})", "application/json");
        return true;
      }
    }
    if (delay.count()) std::this_thread::sleep_for(delay);
    return false;
  }

  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  mutable std::mutex mu_;
  std::vector<std::string> changed_;
  std::size_t per_page_ = 2;
  std::map<std::string, nlohmann::json> records_;
  std::string next_cursor_;
  bool journal_mode_ = false;
  std::vector<std::string> journal_;
  int failures_ = 0;
  int failure_status_ = 503;
  int stalls_ = 0;
  std::chrono::milliseconds stall_{0};
  std::vector<std::string> requests_;
};

}  // namespace moviec::test
