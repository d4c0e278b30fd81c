// The table of troupe's access control.
#include "troupe/actors/cluster/access_rules.hpp"

#include <algorithm>

namespace troupe {

namespace {

bool holds(const std::vector<role>& roles, role x) {
  return std::find(roles.begin(), roles.end(), x) != roles.end();
}

} // namespace

bool permits(const std::vector<role>& roles, guarded_action action) {
  auto admin = holds(roles, role::admin);
  auto operator_ = admin || holds(roles, role::operator_);
  auto reader = operator_ || holds(roles, role::reader);
  switch (action) {
  case guarded_action::submit:
    return operator_ || holds(roles, role::submitter);
  case guarded_action::submit_for_others:
  case guarded_action::cancel_any:
  case guarded_action::retry_any:
    return operator_;
  case guarded_action::read_any:
    return reader;
  case guarded_action::touch_own:
    return reader || holds(roles, role::submitter);
  case guarded_action::administer:
    return admin;
  case guarded_action::execute:
    return holds(roles, role::executor);
  }
  return false;
}

std::string roles_needed(guarded_action action) {
  switch (action) {
  case guarded_action::submit:
    return "role submitter or operator";
  case guarded_action::submit_for_others:
    return "role operator to submit for another owner";
  case guarded_action::cancel_any:
  case guarded_action::retry_any:
    return "role operator or ownership";
  case guarded_action::read_any:
    return "role reader";
  case guarded_action::touch_own:
    return "role reader or ownership";
  case guarded_action::administer:
    return "role admin";
  case guarded_action::execute:
    return "role executor";
  }
  return "a role";
}

std::vector<role> roles_of(const access_control_list& acl,
                           const std::string& principal,
                           const std::string& certificate_role) {
  if (auto i = acl.principals.find(principal); i != acl.principals.end())
    return i->second;
  role x;
  if (parse_role(certificate_role, x))
    return {x};
  return {};
}

std::vector<std::string> role_names(const std::vector<role>& roles) {
  std::vector<std::string> names;
  for (auto x : roles)
    names.emplace_back(to_string(x));
  return names;
}

} // namespace troupe
