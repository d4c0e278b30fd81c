// The slot side of an attempt: parse the payload, call the handler, turn what
// it returned or threw into an outcome the scheduler accepts.
#include "troupe/actors/executor/attempt_runner.hpp"

#include <chrono>
#include <exception>

#include "troupe/actors/cluster/cluster_input.hpp"
#include "troupe/actors/scheduler/json_depth.hpp"

namespace troupe {

namespace {

attempt_outcome call_handler(const job_handler& handler, job_context& ctx) {
  attempt_outcome outcome;
  try {
    auto result = handler(ctx);
    outcome.succeeded = result.succeeded();
    if (outcome.succeeded)
      outcome.result = result.value().dump();
    else
      outcome.error = result.error();
    outcome.fatal = result.is_fatal();
  } catch (const std::exception& e) {
    outcome.error = std::string{"handler threw: "} + e.what();
  } catch (...) {
    outcome.error = "handler threw an unknown exception";
  }
  return outcome;
}

/// An outcome the scheduler would refuse becomes a failure that says why,
/// so the attempt ends now instead of at its timeout.
void bound_outcome(attempt_outcome& outcome) {
  using limits = remote_input_limits;
  if (outcome.result.size() > limits::max_result_bytes) {
    outcome.error = "the result has " + std::to_string(outcome.result.size()) +
                    " bytes, more than the limit of " +
                    std::to_string(limits::max_result_bytes);
    outcome.result.clear();
    outcome.succeeded = false;
  }
  if (outcome.error.size() > limits::max_error_bytes)
    outcome.error.resize(limits::max_error_bytes);
}

attempt_outcome outcome_of(const job_dispatch& job, const job_handler* handler,
                           const std::string& where,
                           const std::shared_ptr<std::atomic<bool>>& flag,
                           const std::shared_ptr<executor_outlet>& outlet) {
  attempt_outcome outcome;
  if (handler == nullptr) {
    outcome.error = "no handler for type " + job.type + " on " + where;
    return outcome;
  }
  if (flag->load()) {
    outcome.error = "cancelled before it started";
    return outcome;
  }
  // A stored payload may predate the depth limit: too deep to hand to a
  // handler (dumping it recurses), it fails the job for good.
  // Opening that many levels takes at least that many bytes, so small
  // payloads (nearly all of them) skip the scan.
  if (job.payload.size() > max_safe_json_depth &&
      check_json(job.payload, max_safe_json_depth) == json_check::too_deep) {
    outcome.error = "the payload nests deeper than " +
                    std::to_string(max_safe_json_depth) + " levels";
    outcome.fatal = true;
    return outcome;
  }
  nlohmann::json payload;
  try {
    payload = nlohmann::json::parse(job.payload);
  } catch (const std::exception&) {
    payload = nullptr;
  }
  auto id = job.id;
  auto attempt = job.attempt;
  job_context ctx{
      job.id, job.attempt, std::move(payload), flag,
      [outlet, id, attempt](double f, const std::string& m) {
        outlet->send(
            progress_atom_v, id, attempt, f,
            m.substr(0, remote_input_limits::max_progress_message_bytes));
      }};
  outcome = call_handler(*handler, ctx);
  bound_outcome(outcome);
  return outcome;
}

} // namespace

void run_attempt(const job_dispatch& job, const job_handler* handler,
                 const std::string& executor, const std::string& node,
                 const std::shared_ptr<std::atomic<bool>>& cancel_flag,
                 const std::shared_ptr<executor_outlet>& outlet) {
  using clock = std::chrono::steady_clock;
  outlet->send(started_atom_v, job.id, job.attempt);
  auto began = clock::now();
  auto outcome = outcome_of(job, handler, executor, cancel_flag, outlet);
  auto ran = std::chrono::duration_cast<std::chrono::microseconds>(
                 clock::now() - began)
                 .count();
  outcome.id = job.id;
  outcome.attempt = job.attempt;
  outcome.executor = executor;
  outcome.node = node;
  outcome.fence = job.fence;
  outlet->send(finished_atom_v, std::move(outcome), int64_t{ran});
}

} // namespace troupe
