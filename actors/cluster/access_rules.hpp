// Which roles may do what: troupe's access control as a table. Pure: the
// gateway asks it before a request reaches a local actor.
#pragma once

#include <string>
#include <vector>

#include "troupe/security/security_options.hpp"

namespace troupe {

/// What a request does, as access control sees it.
enum class guarded_action {
  submit,
  /// Submit jobs whose owner is another principal.
  submit_for_others,
  /// Read a job, its history, listings, statistics, workers, controls,
  /// schedules; subscribe to events.
  read_any,
  /// Read, cancel or retry a job the caller owns.
  touch_own,
  cancel_any,
  retry_any,
  /// Purge, back up, set limits and pauses, add and remove schedules,
  /// spawn executors.
  administer,
  /// Register as an executor and receive dispatches.
  execute,
};

/// True if a principal holding `roles` may do `action`.
bool permits(const std::vector<role>& roles, guarded_action action);

/// The roles that allow `action`, for a refusal's message, e.g. "role
/// operator or ownership".
std::string roles_needed(guarded_action action);

/// The roles of `principal`: the ACL's entry if it has one; otherwise the
/// role its certificate names (`certificate_role`, may be empty); none if
/// neither.
std::vector<role> roles_of(const access_control_list& acl,
                           const std::string& principal,
                           const std::string& certificate_role);

/// The role names of `roles`, for a session grant.
std::vector<std::string> role_names(const std::vector<role>& roles);

} // namespace troupe
