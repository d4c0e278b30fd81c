// What runs on a slot thread for one attempt: the handler call, its bounds,
// and the reports it sends back to its executor.
#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "troupe/actors/executor/executor.hpp"

namespace troupe {

/// Runs attempt `job` with `handler` (null: executor `executor` on node
/// `node` has no handler for its type) and reports its start and its
/// outcome through `outlet`. Uses only what it is given, so it may outlive
/// the executor.
void run_attempt(const job_dispatch& job, const job_handler* handler,
                 const std::string& executor, const std::string& node,
                 const std::shared_ptr<std::atomic<bool>>& cancel_flag,
                 const std::shared_ptr<executor_outlet>& outlet);

} // namespace troupe
