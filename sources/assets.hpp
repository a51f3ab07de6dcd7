#pragma once
// Poster and trailer references of a source record (layout fields `posters` and
// `trailers`): an http(s) URL is kept as it is; a path, relative to the input
// file's directory, is stored into the asset bucket at ingest (store/assets.hpp)
// and replaced by its address "/assets/<sha256>". Paths must stay inside that
// directory (no absolute path, no ".."), name a known image or video type by their
// extension and be at most `max_bytes`. Without a bucket (a push over HTTP: its
// file is the request body, its directory the server's) a path is refused.

#include <cstdint>
#include <filesystem>
#include <string>

#include "common/status.hpp"
#include "events/source_record.hpp"

namespace moviec::sources {

struct AssetOptions {
  std::filesystem::path data_dir;            // the store whose bucket takes paths; empty: paths refused
  std::uint64_t max_bytes = 100 * 1024 * 1024;  // config assets_max_bytes
};

/// Resolves every poster and trailer of `r`: URLs and bucket addresses stay, paths
/// (relative to `base_dir`) are stored and become addresses. invalid_argument names
/// the reference and why (the row is rejected, also when the bucket cannot write).
Status resolve_assets(events::SourceRecord& r, const std::filesystem::path& base_dir,
                      const AssetOptions& options);

/// True for "http://..." and "https://..." references.
bool is_url_reference(const std::string& ref);

}  // namespace moviec::sources
