// What travels between the queue, executors and the scheduler for one
// attempt: the dispatch of a ready job and the outcome of running it.
#pragma once

#include <cstdint>
#include <string>

#include "caf/meta/type_name.hpp"

namespace troupe {

/// One attempt of one job, ready to run.
struct job_dispatch {
  std::string id;
  std::string type;
  /// Handler input as JSON text.
  std::string payload;
  uint32_t attempt = 1;
  int32_t timeout_s = 60;
  uint8_t priority = 5;
  std::string owner;
  /// When the job entered the queue, microseconds since the epoch.
  int64_t enqueued_us = 0;
  /// A random number drawn for this attempt: only the executor it was
  /// dispatched to knows it, and every report on the attempt must echo it.
  uint64_t fence = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, job_dispatch& x) {
  return f(caf::meta::type_name("troupe::job_dispatch"), x.id, x.type,
           x.payload, x.attempt, x.timeout_s, x.priority, x.owner,
           x.enqueued_us, x.fence);
}

/// An attempt a slot began to run, as its executor reports it.
struct attempt_start {
  std::string id;
  uint32_t attempt = 0;
  /// The attempt's fence, echoed from its dispatch.
  uint64_t fence = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, attempt_start& x) {
  return f(caf::meta::type_name("troupe::attempt_start"), x.id, x.attempt,
           x.fence);
}

/// How one attempt ended, as reported by its executor.
struct attempt_outcome {
  std::string id;
  uint32_t attempt = 0;
  /// True if the handler returned a result, false if it failed.
  bool succeeded = false;
  /// Handler output as JSON text (when succeeded).
  std::string result;
  /// Why the attempt failed (when not succeeded).
  std::string error;
  std::string executor;
  std::string node;
  /// True if no retry can mend the failure: the job fails at once.
  bool fatal = false;
  /// The attempt's fence, echoed from its dispatch.
  uint64_t fence = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, attempt_outcome& x) {
  return f(caf::meta::type_name("troupe::attempt_outcome"), x.id, x.attempt,
           x.succeeded, x.result, x.error, x.executor, x.node, x.fatal,
           x.fence);
}

} // namespace troupe
