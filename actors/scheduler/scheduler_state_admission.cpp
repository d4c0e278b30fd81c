// Clients' commands to the scheduler's state machine: submitted specs
// (validated, all or nothing, idempotent by id and unique key), manual
// retries and cancels.
#include <algorithm>
#include <cstdio>

#include "troupe/actors/scheduler/batch_order.hpp"
#include "troupe/actors/scheduler/scheduler_state.hpp"
#include "troupe/actors/scheduler/spec_conflict.hpp"
#include "troupe/messages/errc.hpp"

namespace troupe {

namespace {

std::string hex(uint64_t x) {
  char buf[17];
  std::snprintf(buf, sizeof(buf), "%llx", static_cast<unsigned long long>(x));
  return buf;
}

} // namespace

std::vector<std::string>
scheduler_state::unknown_ids(const std::vector<job_spec>& specs) const {
  std::vector<std::string> result;
  // Jobs of a batch may name each other in any order.
  std::unordered_set<std::string> in_batch;
  for (const auto& spec : specs)
    if (!spec.id.empty())
      in_batch.insert(spec.id);
  std::unordered_set<std::string> listed;
  auto consider = [&](const std::string& id, bool known) {
    if (!id.empty() && !known && listed.insert(id).second)
      result.push_back(id);
  };
  for (const auto& spec : specs) {
    for (const auto& dep : spec.deps)
      if (!in_batch.count(dep))
        consider(dep, status_of(dep).has_value());
    // A job known by its status only is read again: a resubmitted id is
    // compared with the stored spec.
    consider(spec.id, jobs_.contains(spec.id));
  }
  return result;
}

void scheduler_state::learn(const std::vector<job_record>& records) {
  for (const auto& record : records)
    if (is_terminal(record.status) && !jobs_.contains(record.id))
      remember_settled(record.id, record.status);
}

std::vector<std::string>
scheduler_state::unknown_unique_keys(const std::vector<job_spec>& specs) const {
  std::vector<std::string> result;
  std::unordered_set<std::string> listed;
  for (const auto& spec : specs) {
    const auto& key = spec.unique_key;
    if (!key.empty() && !unique_keys_.count(key) &&
        !unique_windows_.count(key) && listed.insert(key).second)
      result.push_back(key);
  }
  return result;
}

void scheduler_state::learn_unique(const std::vector<job_record>& records) {
  for (const auto& record : records)
    if (is_terminal(record.status))
      remember_window(record);
}

void scheduler_state::remember_window(const job_record& job) {
  if (job.unique_key.empty() || job.unique_for_s <= 0)
    return;
  auto until = job.finished_us + job.unique_for_s * 1000 * 1000;
  auto& slot = unique_windows_[job.unique_key];
  if (slot.first.empty() || slot.second < until)
    slot = {job.id, until};
}

const std::string* scheduler_state::unique_holder(const std::string& key,
                                                  int64_t now) {
  if (auto i = unique_keys_.find(key); i != unique_keys_.end())
    return &i->second;
  auto i = unique_windows_.find(key);
  if (i == unique_windows_.end())
    return nullptr;
  if (i->second.second > now)
    return &i->second.first;
  unique_windows_.erase(i); // The window is over: forget it.
  return nullptr;
}

caf::error scheduler_state::check_payload(const job_spec& spec,
                                          const std::string& prefix) const {
  const auto& validators = config_.payload_validators;
  if (!validators)
    return caf::none;
  auto i = validators->find(spec.type);
  if (i == validators->end())
    return caf::none;
  // validate_spec accepted the payload, so it parses.
  auto payload = nlohmann::json::parse(
      spec.payload.empty() ? std::string{"{}"} : spec.payload, nullptr, false);
  std::string why;
  try {
    why = i->second(payload);
  } catch (const std::exception& e) {
    why = std::string{"payload: the check of type "} + spec.type +
          " threw: " + e.what();
  }
  if (why.empty())
    return caf::none;
  return make_error(errc::invalid_field, prefix + why);
}

caf::error
scheduler_state::check_batch(const std::vector<job_spec>& specs) const {
  std::unordered_set<std::string> in_batch;
  auto prefix_of = [&](size_t i) {
    return specs.size() > 1 ? "jobs[" + std::to_string(i) + "]." : "";
  };
  for (size_t i = 0; i < specs.size(); ++i) {
    const auto& spec = specs[i];
    if (auto err = validate_spec(spec, config_.limits, prefix_of(i)))
      return err;
    if (auto err = check_payload(spec, prefix_of(i)))
      return err;
    if (!spec.id.empty() && !in_batch.insert(spec.id).second)
      return make_error(errc::invalid_field,
                        prefix_of(i) + "id: " + spec.id +
                            " appears more than once in the batch");
  }
  for (size_t i = 0; i < specs.size(); ++i) {
    const auto& deps = specs[i].deps;
    for (size_t j = 0; j < deps.size(); ++j)
      if (!in_batch.count(deps[j]) && !status_of(deps[j]))
        return make_error(errc::unknown_dependency,
                          prefix_of(i) + "deps[" + std::to_string(j) +
                              "]: no job " + deps[j] +
                              " exists (dependencies must name existing "
                              "jobs or jobs of the same batch)");
  }
  return caf::none;
}

caf::error
scheduler_state::check_resubmitted(const std::vector<job_spec>& specs,
                                   const std::vector<job_record>& stored,
                                   int64_t now) {
  std::unordered_map<std::string, const job_record*> stored_by_id;
  for (const auto& record : stored)
    stored_by_id.emplace(record.id, &record);
  for (size_t i = 0; i < specs.size(); ++i) {
    const auto& spec = specs[i];
    if (spec.id.empty())
      continue;
    const job_record* held = find(spec.id);
    if (held == nullptr)
      if (auto j = stored_by_id.find(spec.id); j != stored_by_id.end())
        held = j->second;
    if (held == nullptr)
      continue; // New, or known by status only and gone from the store.
    auto diff = first_spec_difference(*held, make_record(spec, now));
    if (!diff.empty())
      return make_error(errc::conflict,
                        (specs.size() > 1 ? "jobs[" + std::to_string(i) + "]."
                                          : std::string{}) +
                            "id: job " + spec.id +
                            " already exists with a different spec: " + diff);
  }
  return caf::none;
}

caf::expected<std::vector<std::string>>
scheduler_state::submit(std::vector<job_spec> specs, int64_t now,
                        const std::vector<job_record>& stored) {
  if (auto err = validate_batch_size(specs.size(), config_.limits))
    return err;
  if (auto err = check_batch(specs))
    return err;
  if (auto err = check_resubmitted(specs, stored, now))
    return err;
  // Dependencies first, so that each job sees the jobs it waits for.
  auto order = batch_admission_order(specs);
  if (!order)
    return order.error();
  std::vector<std::string> ids(specs.size());
  for (auto index : *order) {
    auto& spec = specs[index];
    if (!spec.id.empty() && status_of(spec.id)) {
      ids[index] = spec.id;
      continue;
    }
    if (!spec.unique_key.empty()) {
      if (auto holder = unique_holder(spec.unique_key, now)) {
        ids[index] = *holder;
        continue;
      }
    }
    auto& job = jobs_.put(make_record(std::move(spec), now));
    auto id = job.id;
    if (!job.unique_key.empty())
      unique_keys_.emplace(job.unique_key, id);
    admit(job, now, true, job.owner.empty() ? "client" : job.owner,
          "submitted");
    ids[index] = std::move(id);
  }
  return ids;
}

job_record scheduler_state::make_record(job_spec spec, int64_t now) {
  job_record job;
  job.id = spec.id.empty() ? hex(static_cast<uint64_t>(now)) + "-" +
                                 std::to_string(next_id_++)
                           : std::move(spec.id);
  job.type = std::move(spec.type);
  job.payload = spec.payload.empty() ? "{}" : std::move(spec.payload);
  job.priority = spec.priority != 0 ? spec.priority : config_.default_priority;
  job.deps = std::move(spec.deps);
  job.on_dependency_failure = spec.on_dependency_failure;
  job.timeout_s =
      spec.timeout_s >= 0 ? spec.timeout_s : config_.default_timeout_s;
  job.max_retries =
      spec.max_retries >= 0 ? spec.max_retries : config_.default_max_retries;
  job.backoff_base_ms = spec.backoff_base_ms > 0
                            ? spec.backoff_base_ms
                            : config_.default_backoff_base_ms;
  job.owner = std::move(spec.owner);
  job.tags = std::move(spec.tags);
  job.unique_key = std::move(spec.unique_key);
  job.run_at_us = spec.run_at_us;
  job.unique_for_s = spec.unique_for_s;
  job.result_ttl_s = spec.result_ttl_s;
  job.created_us = now;
  job.updated_us = now;
  return job;
}

void scheduler_state::admit(job_record& job, int64_t now, bool created,
                            const std::string& principal,
                            const std::string& message) {
  std::vector<std::string> unmet;
  std::string failed_dep;
  auto failed_status = job_status::failed;
  for (const auto& dep : job.deps) {
    auto status = status_of(dep);
    if (status == job_status::completed)
      continue;
    if (!status || is_terminal(*status)) {
      if (job.on_dependency_failure == dependency_policy::ignore)
        continue;
      if (failed_dep.empty()) {
        failed_dep = dep;
        failed_status = status ? *status : job_status::failed;
      }
      continue;
    }
    unmet.push_back(dep);
  }
  auto target = job_status::queued;
  if (!failed_dep.empty() || !unmet.empty())
    target = job_status::waiting;
  else if (job.run_at_us > now)
    target = job_status::scheduled;
  if (created) {
    job.status = target;
    created_.push_back(job.id);
  }
  transition(job, target, now, principal, message, created);
  if (!failed_dep.empty())
    dependency_failed(job.id, failed_dep, failed_status, now);
  else if (!unmet.empty())
    effects_.watch.emplace_back(job.id, std::move(unmet));
  else if (target == job_status::scheduled)
    set_timer(job.id, job.run_at_us);
  else
    enqueue(job, now);
}

caf::expected<job_status> scheduler_state::retry(const std::string& id,
                                                 const job_record* stored,
                                                 int64_t now,
                                                 const std::string& principal) {
  auto* i = jobs_.find(id);
  bool from_store = i == nullptr;
  if (from_store) {
    if (stored == nullptr)
      return make_error(errc::not_found, "id: no job " + id);
    i = &jobs_.put(*stored);
  }
  auto& job = *i;
  if (job.status != job_status::failed && job.status != job_status::cancelled) {
    auto status = job.status;
    // Only a copy just taken from the store leaves again; a live job stays.
    if (from_store) {
      jobs_.take(id);
      if (is_terminal(status))
        remember_settled(id, status);
    }
    return make_error(errc::invalid_transition,
                      "job " + id + " is " + to_string(status) +
                          "; only failed or cancelled jobs can be retried");
  }
  settled_.erase(id);
  if (!job.unique_key.empty())
    unique_keys_.emplace(job.unique_key, id);
  job.attempt += 1;
  forget_last_attempt(job);
  job.error.clear();
  job.result.clear();
  job.finished_us = 0;
  job.run_at_us = 0;
  admit(job, now, false, principal, "retried by " + principal);
  return job.status;
}

std::vector<std::string>
scheduler_state::retry_all(const std::vector<job_record>& stored, int64_t now,
                           const std::string& principal) {
  std::vector<std::string> retried;
  for (const auto& record : stored)
    if (retry(record.id, &record, now, principal))
      retried.push_back(record.id);
  return retried;
}

// -- cancel -------------------------------------------------------------------

caf::expected<job_status>
scheduler_state::cancel(const std::string& id, int64_t now,
                        const std::string& principal) {
  auto* i = jobs_.find(id);
  if (i == nullptr) {
    if (auto status = status_of(id))
      return make_error(errc::invalid_transition,
                        "job " + id + " is already " + to_string(*status));
    return make_error(errc::not_found, "id: no job " + id);
  }
  auto& job = *i;
  if (is_terminal(job.status))
    return make_error(errc::invalid_transition,
                      "job " + id + " is already " + to_string(job.status));
  clear_timer(id);
  if (job.status == job_status::queued)
    effects_.dequeue.push_back(id);
  else if (job.status == job_status::running)
    effects_.stop.emplace_back(id, job.attempt);
  job.error = "cancelled by " + principal;
  transition(job, job_status::cancelled, now, principal, job.error);
  return job_status::cancelled;
}

} // namespace troupe
