#include "sources/assets.hpp"

#include <fmt/format.h>

#include "store/assets.hpp"

namespace moviec::sources {

namespace fs = std::filesystem;

bool is_url_reference(const std::string& ref) {
  for (const char* scheme : {"http://", "https://"}) {
    std::string s = scheme;
    if (ref.size() > s.size() && ref.compare(0, s.size(), s) == 0) return true;
  }
  return false;
}

namespace {

Status resolve_one(std::string& ref, const char* field, const fs::path& base_dir,
                   const AssetOptions& options) {
  if (is_url_reference(ref) || store::asset_sha_of(ref)) return Status::ok();
  auto bad = [&](const std::string& why) {
    return Status::invalid(fmt::format("{} \"{}\": {}", field, ref, why));
  };
  if (ref.find("://") != std::string::npos) return bad("only http:// and https:// URLs are taken");
  if (options.data_dir.empty())
    return bad("a path is taken only from a file (ingest or inbox), not from a push; give a URL");
  fs::path rel(ref);
  if (rel.is_absolute()) return bad("an absolute path is not taken (give a path relative to the file)");
  for (auto& part : rel)
    if (part == "..") return bad("a path may not leave the file's directory (\"..\")");
  auto type = store::asset_type_for_name(rel.filename().string());
  if (!type) return bad("not a known image or video file type (.png, .jpg, .gif, .webp, .mp4, .webm, ...)");
  store::AssetBucket bucket(options.data_dir);
  auto stored = bucket.put_file(base_dir / rel, *type, options.max_bytes);
  if (!stored) return bad(stored.status().message());
  ref = store::asset_address(stored->sha256);
  return Status::ok();
}

}  // namespace

Status resolve_assets(events::SourceRecord& r, const fs::path& base_dir, const AssetOptions& options) {
  for (auto& p : r.posters)
    if (auto s = resolve_one(p, "poster", base_dir, options); !s) return s;
  for (auto& t : r.trailers)
    if (auto s = resolve_one(t, "trailer", base_dir, options); !s) return s;
  return Status::ok();
}

}  // namespace moviec::sources
