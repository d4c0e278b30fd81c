// The admission order of a batch whose jobs depend on each other by
// client-chosen id, and the cycle that makes such an order impossible.
#pragma once

#include <cstddef>
#include <vector>

#include "caf/expected.hpp"

#include "troupe/messages/job_spec.hpp"

namespace troupe {

/// Returns the indexes of `specs` ordered so that every job comes after the
/// jobs of the same batch it depends on, keeping the given order otherwise.
/// Dependencies on ids outside the batch are not this function's concern.
/// Fails with `errc::dependency_cycle` and a message naming the cycle's ids
/// in dependency order, e.g. "deps: the batch's dependencies form a cycle:
/// a -> b -> c -> a".
caf::expected<std::vector<size_t>>
batch_admission_order(const std::vector<job_spec>& specs);

} // namespace troupe
