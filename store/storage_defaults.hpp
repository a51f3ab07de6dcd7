#pragma once
// Defaults of the store that the config repeats as its own (config/config.hpp,
// StorageConfig): one value for both, without the config depending on RocksDB.

#include <cstdint>

namespace moviec::store {

/// RocksDB's block cache, shared by every column family (config key
/// storage.block_cache_bytes): at 64 MiB the matching family of a 1M-movie store
/// (105 MB) missed it on every other blocking read (bench/match_bench.py:
/// 27,460-29,309 records/s on one core; 30,981-31,458 at 256 MiB).
inline constexpr std::uint64_t kDefaultBlockCacheBytes = 256ull << 20;

}  // namespace moviec::store
