// What a job handler sees and returns: the job context (id, attempt, payload,
// progress, cancellation) and the result or error of one attempt.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>

#include <nlohmann/json.hpp>

namespace troupe {

/// The running attempt as seen by its handler.
class job_context {
public:
  using progress_fn = std::function<void(double, const std::string&)>;

  job_context(std::string id, uint32_t attempt, nlohmann::json payload,
              std::shared_ptr<const std::atomic<bool>> cancel_flag,
              progress_fn report)
      : id_(std::move(id)), attempt_(attempt), payload_(std::move(payload)),
        cancel_flag_(std::move(cancel_flag)), report_(std::move(report)) {
    // nop
  }

  /// The job's id; with `attempt`, the key for idempotent handlers.
  const std::string& id() const { return id_; }

  /// The attempt number, starting at 1.
  uint32_t attempt() const { return attempt_; }

  /// The job's input.
  const nlohmann::json& payload() const { return payload_; }

  /// Reports progress (0 to 1) with a message; shown by status and events.
  void progress(double fraction, const std::string& message = "") {
    if (report_)
      report_(fraction, message);
  }

  /// True once the attempt was cancelled or timed out: return soon.
  bool cancelled() const {
    return cancel_flag_ && cancel_flag_->load(std::memory_order_relaxed);
  }

private:
  std::string id_;
  uint32_t attempt_;
  nlohmann::json payload_;
  std::shared_ptr<const std::atomic<bool>> cancel_flag_;
  progress_fn report_;
};

/// The outcome of one attempt: a JSON result or an error message.
class job_result {
public:
  /// A successful attempt returning `value`.
  job_result(nlohmann::json value = nullptr) : value_(std::move(value)) {
    // nop
  }

  /// A failed attempt; it is retried while retries remain.
  static job_result failure(std::string message) {
    job_result result;
    result.failed_ = true;
    result.error_ = std::move(message);
    return result;
  }

  /// A failed attempt that no retry can mend (say, a program that cannot be
  /// executed): the job fails at once, whatever retries remain.
  static job_result fatal(std::string message) {
    auto result = failure(std::move(message));
    result.fatal_ = true;
    return result;
  }

  bool succeeded() const { return !failed_; }
  /// True for a failure made by `fatal`.
  bool is_fatal() const { return fatal_; }
  const nlohmann::json& value() const { return value_; }
  const std::string& error() const { return error_; }

private:
  nlohmann::json value_;
  bool failed_ = false;
  bool fatal_ = false;
  std::string error_;
};

/// Runs one attempt. Throwing an exception fails the attempt with its message.
using job_handler = std::function<job_result(job_context&)>;

/// Handlers by job type.
using handler_map = std::unordered_map<std::string, job_handler>;

/// Checks a payload at submission, so one that can never work is refused
/// instead of retried. Returns why, naming the field and the rule
/// ("payload.ms: must be a non-negative integer"), or an empty string.
using payload_validator = std::function<std::string(const nlohmann::json&)>;

/// Payload validators by job type.
using validator_map = std::unordered_map<std::string, payload_validator>;

} // namespace troupe
