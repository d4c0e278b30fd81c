// A release build as a job DAG: fetch, four compiles at different
// priorities, link, two test suites, package, plus a flaky upload, a step
// that times out and an optional publish step the demo cancels.
#include "apps/troupe/demo_pipeline.hpp"

#include <chrono>
#include <thread>

namespace troupe::cli {

namespace {

using json = nlohmann::json;

// Walks through `steps` of the payload in `ms` milliseconds, reporting each
// step as progress; returns early when cancelled.
job_result run_steps(job_context& ctx) {
  auto total_ms = ctx.payload().value("ms", 1000);
  auto steps =
      ctx.payload().value("steps", std::vector<std::string>{"working"});
  auto step_ms = total_ms / static_cast<int>(steps.size());
  for (size_t i = 0; i < steps.size(); ++i) {
    ctx.progress(static_cast<double>(i) / static_cast<double>(steps.size()),
                 steps[i]);
    for (int waited = 0; waited < step_ms; waited += 20) {
      if (ctx.cancelled())
        return job_result::failure("stopped during: " + steps[i]);
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  return json{{"steps", steps.size()}, {"ms", total_ms}};
}

// The artifact store "answers 503" to the first two attempts.
job_result run_flaky_upload(job_context& ctx) {
  ctx.progress(0.1, "uploading debug symbols (attempt " +
                        std::to_string(ctx.attempt()) + ")");
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  if (ctx.attempt() < 3)
    return job_result::failure(
        "artifact store answered 503 Service Unavailable (simulated, attempt " +
        std::to_string(ctx.attempt()) + ")");
  return json{{"uploaded", "symbols-2.4.0.tar.zst"},
              {"attempt", ctx.attempt()}};
}

job_spec step(std::string id, std::string type, int ms,
              std::vector<std::string> steps, std::vector<std::string> deps,
              uint8_t priority = 5) {
  job_spec spec;
  spec.id = std::move(id);
  spec.type = std::move(type);
  spec.payload = json{{"ms", ms}, {"steps", std::move(steps)}}.dump();
  spec.deps = std::move(deps);
  spec.priority = priority;
  spec.owner = "release-bot";
  spec.tags = {"release", "v2.4.0"};
  return spec;
}

job_spec compile(const std::string& module, int ms, uint8_t priority) {
  return step("compile-" + module, "compile", ms,
              {"configuring " + module, "compiling src/" + module + "/*.cpp",
               "generating " + module + " headers",
               "archiving lib" + module + ".a"},
              {"fetch"}, priority);
}

} // namespace

std::vector<std::pair<std::string, job_handler>> demo_job_handlers() {
  std::vector<std::pair<std::string, job_handler>> result;
  for (const char* type :
       {"fetch", "compile", "link", "test", "package", "publish"})
    result.emplace_back(type, run_steps);
  result.emplace_back("upload", run_flaky_upload);
  return result;
}

std::vector<job_spec> demo_pipeline() {
  std::vector<job_spec> jobs;
  jobs.push_back(step("fetch", "fetch", 900,
                      {"cloning acme/server", "checking out v2.4.0",
                       "downloading third-party sources"},
                      {}));
  jobs.push_back(compile("core", 1800, 2));
  jobs.push_back(compile("net", 1500, 4));
  jobs.push_back(compile("storage", 2000, 6));
  jobs.push_back(compile("cli", 1200, 8));
  jobs.push_back(
      step("link", "link", 900, {"resolving symbols", "writing bin/server"},
           {"compile-core", "compile-net", "compile-storage", "compile-cli"}));
  jobs.push_back(step("unit-tests", "test", 1200,
                      {"running 412 unit tests", "collecting coverage"},
                      {"link"}));
  jobs.push_back(step("integration-tests", "test", 1600,
                      {"starting fixtures", "running 58 scenarios"}, {"link"}));
  job_spec upload;
  upload.id = demo_flaky_id;
  upload.type = "upload";
  upload.deps = {"link"};
  upload.max_retries = 3;
  upload.owner = "release-bot";
  jobs.push_back(upload);
  jobs.push_back(step("package", "package", 800,
                      {"building server-2.4.0.deb", "signing the package"},
                      {"unit-tests", "integration-tests"}));
  job_spec mirror;
  mirror.id = demo_timeout_id;
  mirror.type = "sleep";
  mirror.payload = R"({"ms": 5000})";
  mirror.timeout_s = 1;
  mirror.max_retries = 0;
  mirror.priority = 7;
  mirror.owner = "release-bot";
  jobs.push_back(mirror);
  jobs.push_back(
      step(demo_cancelled_id, "publish", 8000,
           {"signing nightly packages", "uploading to mirror 1 of 3",
            "uploading to mirror 2 of 3", "uploading to mirror 3 of 3"},
           {"unit-tests"}));
  return jobs;
}

std::vector<std::string>
check_demo_outcome(const std::vector<job_record>& jobs) {
  std::vector<std::string> problems;
  auto expect = [&](const job_record& job, job_status status) {
    if (job.status != status)
      problems.push_back(job.id + " is " + to_string(job.status) +
                         ", expected " + to_string(status));
  };
  for (const auto& job : jobs) {
    if (job.id == demo_timeout_id) {
      expect(job, job_status::failed);
      if (job.error.find("timed out") == std::string::npos)
        problems.push_back(job.id + " failed without a timeout: " + job.error);
    } else if (job.id == demo_cancelled_id) {
      expect(job, job_status::cancelled);
    } else {
      expect(job, job_status::completed);
    }
    if (job.id == demo_flaky_id && job.attempt != 3)
      problems.push_back(job.id + " completed on attempt " +
                         std::to_string(job.attempt) + ", expected 3");
  }
  return problems;
}

} // namespace troupe::cli
