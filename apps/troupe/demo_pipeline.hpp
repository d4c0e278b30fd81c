// The demo's release pipeline: its job specs, the demo-only handlers that
// pretend to fetch, compile, link, test, upload and publish, and the check
// of the expected outcome. No actors here; demo_command.cpp runs it.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "troupe/actors/executor/job_handler.hpp"
#include "troupe/messages/job_record.hpp"
#include "troupe/messages/job_spec.hpp"

namespace troupe::cli {

/// Fails twice, then succeeds.
inline constexpr const char* demo_flaky_id = "upload-symbols";
/// Sleeps longer than its 1 s timeout, with no retries.
inline constexpr const char* demo_timeout_id = "sync-mirror";
/// Cancelled by the demo once it is uploading (a quarter done).
inline constexpr const char* demo_cancelled_id = "publish-nightly";

/// Handlers of the demo-only job types (fetch, compile, link, test, package,
/// upload, publish).
std::vector<std::pair<std::string, job_handler>> demo_job_handlers();

/// The pipeline in submission order (every dependency before its
/// dependents), submitted as one batch.
std::vector<job_spec> demo_pipeline();

/// Returns how the final records differ from the expected outcome; empty
/// when the demo went as planned.
std::vector<std::string>
check_demo_outcome(const std::vector<job_record>& jobs);

} // namespace troupe::cli
