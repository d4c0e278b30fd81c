// Validation and editing of dispatch controls. Errors name the field and the
// rule, like every other input check of troupe.
#include "troupe/actors/scheduler/dispatch_rules.hpp"

#include <algorithm>
#include <cmath>

#include "troupe/actors/scheduler/spec_validation.hpp"
#include "troupe/messages/errc.hpp"

namespace troupe {

namespace {

caf::error invalid(const std::string& field, const std::string& rule) {
  return make_error(errc::invalid_field, field + ": " + rule);
}

bool is_valid_owner(const std::string& owner) {
  return !owner.empty() && owner.size() <= 128 &&
         std::all_of(owner.begin(), owner.end(), [](char c) {
           return static_cast<unsigned char>(c) >= 0x20 && c != 0x7f;
         });
}

std::vector<std::string>& paused_list(dispatch_controls& controls,
                                      control_scope scope) {
  return scope == control_scope::type ? controls.paused_types
                                      : controls.paused_jobs;
}

} // namespace

caf::error validate_target(control_scope scope, const std::string& key,
                           const std::string& allowed) {
  if (static_cast<size_t>(scope) >= control_scope_count)
    return invalid("scope", "must be one of " + allowed + ", got " +
                                std::to_string(static_cast<unsigned>(scope)));
  auto name = to_string(scope);
  if (("," + allowed + ",").find("," + name + ",") == std::string::npos)
    return invalid("scope", "must be one of " + allowed + ", got " + name);
  if (scope == control_scope::type && !is_valid_type_name(key))
    return invalid("type",
                   "must match " + type_name_rule + ", got \"" + key + "\"");
  if (scope == control_scope::owner && !is_valid_owner(key))
    return invalid("owner", "must be 1 to 128 printable characters");
  if (scope == control_scope::job && !is_valid_job_id(key))
    return invalid("id", "must match " + job_id_rule + ", got \"" + key + "\"");
  return caf::none;
}

caf::error validate_limit(const dispatch_limit& x) {
  if (auto err = validate_target(x.scope, x.key, "type,owner"))
    return err;
  auto most = std::to_string(max_limit_count);
  if (x.max_running > max_limit_count)
    return invalid("max_running", "must be between 0 and " + most);
  if (!std::isfinite(x.rate) || x.rate < 0 || x.rate > max_limit_rate)
    return invalid("rate", "must be between 0 and 1000000 per second");
  if (x.burst > max_limit_count)
    return invalid("burst", "must be between 0 and " + most);
  if (x.burst > 0 && x.rate == 0)
    return invalid("burst", "needs a rate");
  if (x.max_running == 0 && x.rate == 0)
    return invalid("limit", "needs max_running or rate (clear removes a "
                            "limit)");
  return caf::none;
}

void put_limit(dispatch_controls& controls, const dispatch_limit& limit) {
  auto& xs = controls.limits;
  auto i = std::find_if(xs.begin(), xs.end(), [&](const dispatch_limit& x) {
    return x.scope == limit.scope && x.key == limit.key;
  });
  if (i != xs.end())
    *i = limit;
  else
    xs.push_back(limit);
}

bool erase_limit(dispatch_controls& controls, control_scope scope,
                 const std::string& key) {
  auto& xs = controls.limits;
  auto i = std::find_if(xs.begin(), xs.end(), [&](const dispatch_limit& x) {
    return x.scope == scope && x.key == key;
  });
  if (i == xs.end())
    return false;
  xs.erase(i);
  return true;
}

bool set_paused(dispatch_controls& controls, control_scope scope,
                const std::string& key, bool paused) {
  auto& xs = paused_list(controls, scope);
  auto i = std::find(xs.begin(), xs.end(), key);
  if (paused == (i != xs.end()))
    return false;
  if (paused)
    xs.push_back(key);
  else
    xs.erase(i);
  return true;
}

bool is_paused(const dispatch_controls& controls, const std::string& id,
               const std::string& type) {
  auto has = [](const std::vector<std::string>& xs, const std::string& x) {
    return std::find(xs.begin(), xs.end(), x) != xs.end();
  };
  return has(controls.paused_jobs, id) || has(controls.paused_types, type);
}

} // namespace troupe
