// The asset bucket over HTTP (store/assets.hpp):
//   POST /assets            bearer token; Content-Type image/* or video/*; the body is
//                           the blob (at most assets_max_bytes); answers its address
//   GET  /assets/{sha256}   the blob with its Content-Type, ETag = "sha256",
//                           immutable caching, and one byte range (206 / 416)
// A multi-range request is answered 200 with the whole blob (ignoring Range is
// allowed by RFC 9110), so no request multiplies an answer. (A Range header httplib
// cannot parse never gets here: httplib answers 416 itself, on every route.)

#include <string_view>

#include "http/auth.hpp"
#include "http/handlers.hpp"
#include "http/params.hpp"
#include "http/range.hpp"
#include "store/assets.hpp"

namespace moviec::http {

namespace {

constexpr const char* kImmutable = "public, max-age=31536000, immutable";

store::AssetBucket bucket_of(const Context& ctx) { return store::AssetBucket(ctx.config.data_dir); }

nlohmann::json describe(const store::AssetInfo& a) {
  return {{"sha256", a.sha256},
          {"address", store::asset_address(a.sha256)},
          {"content_type", a.content_type},
          {"size", a.size}};
}

/// True when If-None-Match names this ETag (or is "*").
bool matches(const std::string& if_none_match, const std::string& etag) {
  if (if_none_match.empty()) return false;
  if (if_none_match == "*") return true;
  std::string_view rest(if_none_match);
  while (!rest.empty()) {
    auto comma = rest.find(',');
    auto item = rest.substr(0, comma);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (item.substr(0, 2) == "W/") item.remove_prefix(2);
    if (item == etag) return true;
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return false;
}

}  // namespace

StatusOr<Response> post_asset(Context& ctx, const Request& req) {
  if (auto denied = check_token(ctx, req)) return *denied;
  check_params(req, {});
  if (!store::is_asset_type(req.content_type))
    return error_response(415, "unsupported Content-Type \"" + req.content_type +
                                   "\" (an asset is an image/* or video/* type)");
  if (req.body.empty()) return error_response(400, "empty body: no asset to store");
  if (req.body.size() > ctx.config.assets_max_bytes)
    return error_response(413, "asset too large: " + std::to_string(req.body.size()) +
                                   " bytes (at most assets_max_bytes = " +
                                   std::to_string(ctx.config.assets_max_bytes) + ")");
  std::string type = req.content_type;
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.pop_back();
  auto bucket = bucket_of(ctx);
  auto stored = bucket.put(req.body, type);
  if (!stored) return stored.status();
  auto r = json_response(describe(*stored), stored->created ? 201 : 200);
  r.headers.emplace_back("Location", store::asset_address(stored->sha256));
  return r;
}

StatusOr<Response> get_asset(Context& ctx, const Request& req) {
  check_params(req, {});
  const std::string& sha = req.captures.at(1);
  if (!store::is_sha256_hex(sha))
    return error_response(400, "\"" + sha + "\" is not a SHA-256 (64 lowercase hex digits)");
  auto bucket = bucket_of(ctx);
  auto info = bucket.info(sha);
  if (!info) return info.status();
  const std::string etag = "\"" + sha + "\"";
  Response r;
  r.content_type = info->content_type;
  r.headers = {{"ETag", etag}, {"Cache-Control", kImmutable}, {"Accept-Ranges", "bytes"}};
  if (matches(req.if_none_match, etag)) {
    r.status = 304;
    return r;
  }
  auto ask = parse_range(req.range, info->size);
  if (ask.kind == RangeAsk::unsatisfiable) {
    auto e = error_response(416, "range not satisfiable: \"" + req.range + "\" (the asset has " +
                                     std::to_string(info->size) + " bytes)");
    e.headers.emplace_back("Content-Range", "bytes */" + std::to_string(info->size));
    return e;
  }
  std::uint64_t first = 0, length = info->size;
  if (ask.kind == RangeAsk::one) {
    first = ask.range.first;
    length = ask.range.last - ask.range.first + 1;
    r.status = 206;
    r.headers.emplace_back("Content-Range", "bytes " + std::to_string(ask.range.first) + "-" +
                                                std::to_string(ask.range.last) + "/" +
                                                std::to_string(info->size));
  }
  auto bytes = bucket.read(sha, first, length);
  if (!bytes) return bytes.status();
  r.body = bytes.take();
  return r;
}

}  // namespace moviec::http
