// GET /events: the global feed, in log order, with an optional long poll: a
// catch-up subscription over HTTP. A subscriber keeps `next_after` and asks again.

#include <algorithm>
#include <chrono>
#include <limits>
#include <optional>
#include <string>

#include "events/coding.hpp"
#include "http/handlers.hpp"
#include "http/params.hpp"

namespace moviec::http {

using nlohmann::json;

namespace {

constexpr std::size_t kEventsDefaultLimit = 100;
constexpr std::uint64_t kMaxWaitSeconds = 60;
/// Events examined per scan; a filter that skips most of the log ends a page early
/// (with a next_after past what it examined) rather than scanning it all.
constexpr std::size_t kMaxScanned = 100000;
/// Long polls at once: each holds a worker thread, so at most half the workers
/// (config http_workers) wait, and the rest stay free for other requests.
int max_waiting(const Context& ctx) {
  return static_cast<int>(std::max<std::size_t>(1, ctx.config.http_workers / 2));
}
/// How often a long poll looks at the stop flag while no event arrives.
constexpr std::chrono::milliseconds kWaitSlice{200};

struct Filter {
  std::optional<events::EventType> type;
  std::optional<std::string> source;
  bool matches(const events::Event& e) const {
    return (!type || e.type == *type) && (!source || e.source == *source);
  }
};

struct Page {
  json events = json::array();
  std::uint64_t next_after = 0;  // the last sequence this page examined
};

Status scan(Context& ctx, const Filter& filter, std::size_t limit, Page& page) {
  // Nothing follows the largest sequence (and after + 1 would wrap to the start).
  if (page.next_after == std::numeric_limits<std::uint64_t>::max()) return Status::ok();
  std::size_t scanned = 0;
  return ctx.log.read_from(page.next_after, [&](const events::Event& e) {
    if (page.events.size() == limit || scanned == kMaxScanned) return false;
    ++scanned;
    page.next_after = e.sequence;
    if (filter.matches(e)) page.events.push_back(events::to_json(e));
    return true;
  });
}

/// Counts this request among the long polls while it lives.
struct WaitingSlot {
  explicit WaitingSlot(Context& ctx) : ctx_(ctx) { taken_ = ++ctx_.waiting <= max_waiting(ctx); }
  ~WaitingSlot() { --ctx_.waiting; }
  bool taken() const { return taken_; }

 private:
  Context& ctx_;
  bool taken_ = false;
};

}  // namespace

// GET /events?after=SEQ&limit=N&type=&source=&wait=SECONDS
StatusOr<Response> get_events(Context& ctx, const Request& req) {
  check_params(req, {"after", "limit", "type", "source", "wait"});
  Page page;
  page.next_after = uint_param(req, "after").value_or(0);
  auto limit = count_param(req, "limit", kEventsDefaultLimit, kMaxPageLimit);
  auto wait = uint_param(req, "wait", kMaxWaitSeconds).value_or(0);
  Filter filter;
  if (auto t = param(req, "type")) {
    filter.type = events::type_from_name(*t);
    if (!filter.type)
      throw std::invalid_argument("type \"" + *t + "\" is not an event type (e.g. MovieChanged)");
  }
  filter.source = param(req, "source");

  if (auto st = scan(ctx, filter, limit, page); !st) return st;
  if (page.events.empty() && wait > 0) {
    WaitingSlot slot(ctx);
    if (!slot.taken())
      return Status::busy("too many long polls at once (" + std::to_string(max_waiting(ctx)) +
                          "); retry, or poll without wait");
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(wait);
    while (page.events.empty() && !ctx.stopping) {
      auto now = std::chrono::steady_clock::now();
      if (now >= deadline) break;
      auto slice = std::min<std::chrono::steady_clock::duration>(kWaitSlice, deadline - now);
      auto last = ctx.log.wait_for_append(
          page.next_after, std::chrono::duration_cast<std::chrono::milliseconds>(slice));
      if (last <= page.next_after) continue;
      if (auto st = scan(ctx, filter, limit, page); !st) return st;
    }
  }
  json body{{"count", page.events.size()},
            {"events", std::move(page.events)},
            {"next_after", page.next_after},
            {"last_sequence", ctx.log.last_sequence()}};
  return json_response(body);
}

}  // namespace moviec::http
