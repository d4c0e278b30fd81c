// The rules on input from remote nodes, one function per message kind.
#include "troupe/actors/cluster/cluster_input.hpp"

#include <cmath>

#include "troupe/actors/scheduler/spec_validation.hpp"
#include "troupe/logging/log.hpp"
#include "troupe/messages/errc.hpp"
#include "troupe/messages/interfaces.hpp"

namespace troupe {

namespace {

using limits = remote_input_limits;

caf::error invalid(const std::string& field, const std::string& rule) {
  return make_error(errc::invalid_field, field + ": " + rule);
}

caf::error check_name(const char* field, const std::string& name,
                      bool may_be_empty = false) {
  if (name.empty() && !may_be_empty)
    return invalid(field, "must not be empty");
  if (name.size() > limits::max_name_bytes)
    return invalid(field, "must be at most " +
                              std::to_string(limits::max_name_bytes) +
                              " bytes, got " + std::to_string(name.size()));
  return caf::none;
}

caf::error check_slots(uint32_t slots) {
  if (slots < 1 || slots > limits::max_slots)
    return invalid("slots", "must be between 1 and " +
                                std::to_string(limits::max_slots) + ", got " +
                                std::to_string(slots));
  return caf::none;
}

caf::error check_types(const std::vector<std::string>& types) {
  if (types.size() > limits::max_types)
    return invalid("types", "must list at most " +
                                std::to_string(limits::max_types) +
                                " types, got " + std::to_string(types.size()));
  for (const auto& type : types)
    if (!is_valid_type_name(type))
      return invalid("types", "each must match " + type_name_rule);
  return caf::none;
}

caf::error check_id(const std::string& id) {
  if (!is_valid_job_id(id))
    return invalid("id", "must match " + job_id_rule);
  return caf::none;
}

caf::error check_size(const char* field, size_t size, size_t max) {
  if (size > max)
    return invalid(field, "must be at most " + std::to_string(max) +
                              " bytes, got " + std::to_string(size));
  return caf::none;
}

} // namespace

caf::error check_executor_info(const executor_info& info) {
  if (auto err = check_name("name", info.name))
    return err;
  if (auto err = check_name("node", info.node))
    return err;
  if (auto err = check_slots(info.slots))
    return err;
  if (auto err = check_types(info.types))
    return err;
  if (info.running.size() > info.slots)
    return invalid("running", "must list at most slots (" +
                                  std::to_string(info.slots) + ") jobs, got " +
                                  std::to_string(info.running.size()));
  for (const auto& id : info.running)
    if (auto err = check_id(id))
      return err;
  return caf::none;
}

caf::error check_executor_settings(const executor_settings& settings) {
  if (auto err = check_name("name", settings.name, true))
    return err;
  if (auto err = check_slots(settings.slots))
    return err;
  if (auto err = check_name("coordinator", settings.coordinator, true))
    return err;
  return check_types(settings.types);
}

caf::error check_demand(const std::vector<std::string>& types, uint32_t credits,
                        uint32_t waiting) {
  if (credits > limits::max_credits)
    return invalid("credits", "must be at most " +
                                  std::to_string(limits::max_credits) +
                                  ", got " + std::to_string(credits));
  if (waiting > limits::max_waiting)
    return invalid("waiting", "must be at most " +
                                  std::to_string(limits::max_waiting) +
                                  ", got " + std::to_string(waiting));
  return check_types(types);
}

caf::error check_progress(const std::string& id, double fraction,
                          const std::string& message) {
  if (auto err = check_id(id))
    return err;
  if (!std::isfinite(fraction) || fraction < 0 || fraction > 1)
    return invalid("progress", "must be a number between 0 and 1");
  return check_size("message", message.size(),
                    limits::max_progress_message_bytes);
}

caf::error check_started(const std::string& id, const std::string& executor,
                         const std::string& node) {
  if (auto err = check_id(id))
    return err;
  // Names only label the history here; the attempt is fenced by its number.
  if (auto err = check_name("executor", executor, true))
    return err;
  return check_name("node", node, true);
}

caf::error check_outcome(const attempt_outcome& outcome) {
  if (auto err = check_started(outcome.id, outcome.executor, outcome.node))
    return err;
  if (auto err =
          check_size("result", outcome.result.size(), limits::max_result_bytes))
    return err;
  return check_size("error", outcome.error.size(), limits::max_error_bytes);
}

caf::error check_peers(const coordinator_peers& peers) {
  if (!peers.uplink)
    return invalid("peers", "the uplink must be an actor");
  if (peers.token.empty() || peers.token.size() > max_token_bytes)
    return invalid("peers", "the token must have 1 to " +
                                std::to_string(max_token_bytes) + " bytes");
  return caf::none;
}

void report_refused(const char* what, const caf::error& reason) {
  log_warn("troupe: refused ", what, ": ", message_of(reason));
}

} // namespace troupe
