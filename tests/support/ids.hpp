#pragma once
// Ids the tests make up.

#include <cstdio>
#include <string>

namespace moviec::test {

/// The IMDb id of number `n`: tt and at least seven digits (tt0000042).
inline std::string imdb_id(int n) {
  char id[16];
  std::snprintf(id, sizeof id, "tt%07d", n);
  return id;
}

}  // namespace moviec::test
