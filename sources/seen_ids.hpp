#pragma once
// The ids a reader has already emitted, to reject a second row for one id. Ids are
// kept as 64-bit hashes with the line where each was first seen: about 32 bytes an
// id, whatever the id's length. (Two ids share a hash with odds of about 1 in 10^7
// for ten million ids; such a row would be rejected as a duplicate, never merged.)

#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "events/hash.hpp"

namespace moviec::sources {

class SeenIds {
 public:
  /// Records `id` at `line`; returns 0 when it is new, else the line where it was
  /// first seen.
  std::uint64_t insert(std::string_view id, std::uint64_t line) {
    std::uint64_t key = events::fnv1a64(id);
    if (key == 0) key = 1;  // 0 marks an empty slot
    if ((size_ + 1) * 2 > slots_.size()) grow();
    std::size_t mask = slots_.size() - 1;
    for (std::size_t i = mix(key) & mask;; i = (i + 1) & mask) {
      auto& slot = slots_[i];
      if (slot.first == key) return slot.second;
      if (slot.first == 0) {
        slot = {key, line};
        ++size_;
        return 0;
      }
    }
  }

  std::size_t size() const { return size_; }

 private:
  static std::size_t mix(std::uint64_t key) {
    key ^= key >> 33;
    key *= 0xff51afd7ed558ccdull;
    key ^= key >> 33;
    return static_cast<std::size_t>(key);
  }

  void grow() {
    std::vector<std::pair<std::uint64_t, std::uint64_t>> old(slots_.empty() ? 64 : slots_.size() * 2);
    old.swap(slots_);
    std::size_t mask = slots_.size() - 1;
    for (auto& slot : old) {
      if (slot.first == 0) continue;
      std::size_t i = mix(slot.first) & mask;
      while (slots_[i].first != 0) i = (i + 1) & mask;
      slots_[i] = slot;
    }
  }

  // --- member variables ----------------------------------------------------
  std::vector<std::pair<std::uint64_t, std::uint64_t>> slots_;  // (hash, first line); size a power of 2
  std::size_t size_ = 0;
};

}  // namespace moviec::sources
