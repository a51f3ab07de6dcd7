#pragma once
// The asset bucket: posters, trailers and other blobs, content-addressed by the
// SHA-256 of their bytes, kept as plain files under DATA/assets/ (not in RocksDB:
// a 100 MiB trailer would be rewritten by every compaction). Layout:
//
//   DATA/assets/ab/ab12…(64 hex)        the blob's bytes
//   DATA/assets/ab/ab12….type           its Content-Type (one line)
//   DATA/assets/tmp/                    files being written
//
// A blob is written to tmp/, fsynced, then renamed into place (and the directory
// fsynced): a blob file that exists is whole. The .type file is put in place
// first, so a blob never lacks its type. Readers verify the bytes against the
// address (a file changed on disk is reported as corruption, never served).
// Thread-safe: concurrent puts of the same bytes each write their own temp file
// and the renames replace equal content.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.hpp"

namespace moviec::store {

/// "/assets/" + sha256: the address records and the HTTP API use for a blob.
std::string asset_address(const std::string& sha256);

/// The sha256 of an address "/assets/<64 lowercase hex>"; nullopt for anything else.
std::optional<std::string> asset_sha_of(std::string_view address);

/// True for 64 lowercase hex digits.
bool is_sha256_hex(std::string_view s);

/// The SHA-256 of `bytes`, as 64 lowercase hex digits (OpenSSL libcrypto).
std::string sha256_hex(std::string_view bytes);

/// The Content-Type for a file name's extension (".png" -> "image/png", ".webm"
/// -> "video/webm", ...); nullopt when it is not a known image or video type.
std::optional<std::string> asset_type_for_name(const std::string& file_name);

/// True for "image/..." and "video/..." media types (parameters allowed).
bool is_asset_type(std::string_view content_type);

struct AssetInfo {
  std::string sha256;
  std::string content_type;
  std::uint64_t size = 0;
  bool created = false;  // put: false when the bucket already held these bytes
};

class AssetBucket {
 public:
  /// The bucket of the store in `data_dir` (DATA/assets); nothing is created yet.
  explicit AssetBucket(const std::filesystem::path& data_dir);

  /// Stores `bytes` with `content_type` (already checked by the caller).
  StatusOr<AssetInfo> put(std::string_view bytes, const std::string& content_type);

  /// Stores the file at `path` (read whole; at most `max_bytes`).
  StatusOr<AssetInfo> put_file(const std::filesystem::path& path, const std::string& content_type,
                               std::uint64_t max_bytes);

  /// Size and type of a stored blob; not_found when there is none.
  StatusOr<AssetInfo> info(const std::string& sha256) const;

  /// True when the blob file exists (no hashing).
  bool contains(const std::string& sha256) const;

  /// Bytes [offset, offset + length) of a blob, after checking the whole blob's
  /// hash (once per process for an unchanged file: size and mtime are remembered).
  /// corruption when the bytes no longer match the address.
  StatusOr<std::string> read(const std::string& sha256, std::uint64_t offset,
                             std::uint64_t length) const;

  /// Recomputes the blob's hash: ok, not_found, or corruption.
  Status check(const std::string& sha256) const;

  const std::filesystem::path& dir() const { return dir_; }

 private:
  std::filesystem::path blob_path(const std::string& sha256) const;
  std::filesystem::path dir_;
};

}  // namespace moviec::store
