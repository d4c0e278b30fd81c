// The dependency tracker actor: a thin shell over dependency_graph that tells
// the scheduler which waiting jobs are released or lost a dependency.
#pragma once

#include "caf/typed_event_based_actor.hpp"

#include "troupe/actors/dependency_tracker/dependency_graph.hpp"
#include "troupe/messages/interfaces.hpp"

namespace troupe {

struct dependency_tracker_state {
  dependency_graph graph;
  static inline const char* name = "troupe.dependency_tracker";
};

/// Answers `scheduler` with released_atom and dep_failed_atom.
dependency_tracker_actor::behavior_type dependency_tracker(
    dependency_tracker_actor::stateful_pointer<dependency_tracker_state> self,
    scheduler_actor scheduler);

} // namespace troupe
