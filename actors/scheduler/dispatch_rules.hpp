// Rules of dispatch controls as pure functions: validation of limits and
// pause targets, and edits of a `dispatch_controls` value. Used by the
// scheduler, the node at start, and the command line.
#pragma once

#include <string>

#include "caf/error.hpp"

#include "troupe/messages/dispatch_limit.hpp"

namespace troupe {

/// Largest `max_running` and `burst` of a limit.
constexpr uint32_t max_limit_count = 1'000'000;

/// Largest `rate` of a limit, starts per second.
constexpr double max_limit_rate = 1'000'000;

/// Checks every field of `limit`; returns `errc::invalid_field` naming the
/// field and the rule, or no error.
caf::error validate_limit(const dispatch_limit& limit);

/// Checks that `key` names a type (`[a-z0-9_.-]{1,64}`), an owner (1-128
/// printable characters) or a job id, as `scope` says, and that `scope` is
/// one of `allowed` (a comma-separated list such as "type,owner").
caf::error validate_target(control_scope scope, const std::string& key,
                           const std::string& allowed);

/// Adds `limit` or replaces the one with its scope and key.
void put_limit(dispatch_controls& controls, const dispatch_limit& limit);

/// Removes the limit of `scope` and `key`; returns whether one existed.
bool erase_limit(dispatch_controls& controls, control_scope scope,
                 const std::string& key);

/// Pauses (or resumes) the type or job `key`; returns whether that changed
/// anything.
bool set_paused(dispatch_controls& controls, control_scope scope,
                const std::string& key, bool paused);

/// Whether a job with `id` and `type` is held back by a pause.
bool is_paused(const dispatch_controls& controls, const std::string& id,
               const std::string& type);

} // namespace troupe
