// The built-in job types. Handlers run on executor threads: they check
// `ctx.cancelled()` often, because a timeout or cancel only sets that flag.
#include "apps/troupe/builtin_jobs.hpp"

#include <algorithm>
#include <chrono>
#include <thread>

#include "apps/troupe/shell_command.hpp"
#include "apps/troupe/shell_job.hpp"
#include "troupe/actors/node/node.hpp"

namespace troupe {

namespace {

constexpr int64_t sleep_step_ms = 20;
constexpr int64_t progress_every_ms = 250;

} // namespace

std::string check_sleep_payload(const nlohmann::json& payload) {
  auto ms = payload.is_object() && payload.contains("ms") ? payload["ms"]
                                                          : nlohmann::json{};
  if (!ms.is_number_integer() || ms.get<int64_t>() < 0)
    return "payload.ms: must be a non-negative integer (milliseconds)";
  return {};
}

job_result run_sleep_job(job_context& ctx) {
  if (auto err = check_sleep_payload(ctx.payload()); !err.empty())
    return job_result::fatal(err);
  auto total = ctx.payload()["ms"].get<int64_t>();
  auto start = std::chrono::steady_clock::now();
  int64_t reported = -progress_every_ms;
  for (;;) {
    auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::steady_clock::now() - start)
                       .count();
    if (elapsed >= total)
      break;
    if (ctx.cancelled())
      return job_result::failure("cancelled after " + std::to_string(elapsed) +
                                 " of " + std::to_string(total) + " ms");
    if (elapsed - reported >= progress_every_ms) {
      reported = elapsed;
      ctx.progress(static_cast<double>(elapsed) / static_cast<double>(total),
                   "slept " + std::to_string(elapsed) + " of " +
                       std::to_string(total) + " ms");
    }
    auto left = total - elapsed;
    std::this_thread::sleep_for(
        std::chrono::milliseconds(std::min(left, sleep_step_ms)));
  }
  return nlohmann::json{{"slept_ms", total}};
}

job_result run_fail_job(job_context& ctx) {
  std::string message = "failed on purpose (fail job)";
  if (ctx.payload().is_object() && ctx.payload().contains("message")) {
    const auto& text = ctx.payload()["message"];
    message = text.is_string() ? text.get<std::string>() : text.dump();
  }
  return job_result::failure(message);
}

const char* const shell_off_reason =
    "type: the shell job type is off on this server (enable it with "
    "\"job_types\": {\"shell\": true} in the server's config)";

void register_builtin_jobs(node& n, bool with_shell) {
  n.handle("noop", [](job_context&) { return job_result{}; });
  n.handle("sleep", run_sleep_job, check_sleep_payload);
  n.handle("echo",
           [](job_context& ctx) -> job_result { return ctx.payload(); });
  n.handle("fail", run_fail_job);
  // A shell job runs any command as the server's user: only where the
  // operator asked for it.
  if (with_shell)
    n.handle("shell", run_shell_job, check_shell_payload);
  else
    n.refuse("shell", shell_off_reason);
}

std::vector<std::string> builtin_job_types() {
  return {"noop", "sleep", "echo", "fail", "shell"};
}

} // namespace troupe
