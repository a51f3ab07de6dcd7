#pragma once
// The movie registry: routes each item to the actor of its movie id, spawning it
// on demand. It is the only router, so at most one actor per movie receives new
// items. Idle actors are stopped after a timeout and the least recently used one
// when the cap is reached; a stopped actor finishes its queue first, and a
// successor that races it is resolved by the journal's expected-version check.

#include <chrono>
#include <list>
#include <string>
#include <unordered_map>

#include "actors/actors.hpp"
#include "actors/movie.hpp"

namespace moviec::actors {

struct RegistryOptions {
  std::size_t max_live = 10000;
  std::chrono::milliseconds idle_timeout{30000};
};

struct registry_state {
  struct Entry {
    movie_actor actor;
    std::list<std::string>::iterator lru_position;
    std::chrono::steady_clock::time_point last_used;
  };
  MovieDeps deps;                               // handed to every movie actor
  RegistryOptions options;
  std::unordered_map<std::string, Entry> live;  // movie id -> its actor
  std::list<std::string> lru;                   // most recently used first
  RegistryStats stats;
  static inline const char* name = "registry";
};

registry_actor::behavior_type registry(registry_actor::stateful_pointer<registry_state> self,
                                       MovieDeps deps, RegistryOptions options);

}  // namespace moviec::actors
