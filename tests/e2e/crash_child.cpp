// The child of the crash recovery tests: runs a node, submits a workload and
// reports each acknowledged id and each started attempt on stdout, one line
// per write, until its parent kills it. With "poison" as the job count it
// submits one job whose handler kills the process once its start is durable.
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <future>
#include <iostream>
#include <string>
#include <thread>

#include "troupe/actors/node/node.hpp"

namespace {

void say(const std::string& line) {
  auto text = line + "\n";
  // One write per line: lines from handler threads never interleave.
  auto written = ::write(STDOUT_FILENO, text.data(), text.size());
  if (written != static_cast<ssize_t>(text.size()))
    std::_Exit(3); // The parent went away.
}

} // namespace

/// Submits the job "poison", whose every attempt kills this process as soon
/// as the store says it runs and the submission was reported; returns only
/// if that fails. After a restart the recovered job starts at once, so its
/// attempt waits for the report too.
int run_poison(troupe::node& node) {
  std::promise<void> reported;
  auto acked = reported.get_future().share();
  node.handle("poison", [&node, acked](troupe::job_context& ctx) {
    acked.wait();
    for (int i = 0; i < 1000; ++i) {
      auto job = node.get(ctx.id());
      if (job && job->status == troupe::job_status::running)
        ::kill(::getpid(), SIGKILL);
    }
    return nlohmann::json{{"survived", ctx.attempt()}};
  });
  if (auto err = node.start()) {
    std::cerr << troupe::message_of(err) << '\n';
    return 1;
  }
  troupe::job_spec spec;
  spec.id = "poison";
  spec.type = "poison";
  spec.max_retries = 10;
  auto id = node.submit(spec);
  if (!id) {
    std::cerr << troupe::message_of(id.error()) << '\n';
    reported.set_value(); // Let the attempt end, so the node can stop.
    return 1;
  }
  say("acked " + *id);
  reported.set_value();
  for (;;)
    pause();
}

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: troupe_crash_child DATA_DIR JOBS|poison\n";
    return 2;
  }
  troupe::node_options options;
  options.store.path = argv[1];
  options.executor.slots = 4;
  troupe::node node{options};
  if (std::string{argv[2]} == "poison")
    return run_poison(node);
  node.handle("work", [](troupe::job_context& ctx) {
    say("running " + ctx.id() + " " + std::to_string(ctx.attempt()));
    std::this_thread::sleep_for(std::chrono::milliseconds(5)); // The work.
    return nlohmann::json{{"attempt", ctx.attempt()}};
  });
  if (auto err = node.start()) {
    std::cerr << troupe::message_of(err) << '\n';
    return 1;
  }
  auto total = std::stoi(argv[2]);
  for (int i = 0; i < total; i += 10) {
    std::vector<troupe::job_spec> batch(10);
    for (auto& spec : batch)
      spec.type = "work";
    auto ids = node.submit(std::move(batch));
    if (!ids) {
      std::cerr << troupe::message_of(ids.error()) << '\n';
      return 1;
    }
    for (const auto& id : *ids)
      say("acked " + id);
  }
  say("all acked");
  // Keep working until killed.
  for (;;)
    pause();
}
