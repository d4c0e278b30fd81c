// The persistence actor: sole owner of the job store. Group-commits batches of
// transitions and serves reads; run it detached, never on shared workers.
#pragma once

#include <memory>
#include <utility>
#include <vector>

#include "caf/typed_event_based_actor.hpp"

#include "troupe/actors/cluster/local_only.hpp"
#include "troupe/messages/interfaces.hpp"
#include "troupe/storage/job_store.hpp"

namespace troupe {

/// Writes collected since the last commit and who waits for them.
struct persistence_state {
  std::shared_ptr<job_store> store;
  store_batch pending;
  std::vector<std::pair<caf::strong_actor_ptr, uint64_t>> waiting;
  bool commit_scheduled = false;
  static inline const char* name = "troupe.persistence";
};

/// Spawns with a store opened by the node.
persistence_actor::behavior_type
persistence(local_only_pointer<persistence_actor, persistence_state> self,
            std::shared_ptr<job_store> store);

} // namespace troupe
