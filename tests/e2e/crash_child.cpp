// The child of the crash recovery test: runs a node, submits a workload and
// reports each acknowledged id and each started attempt on stdout, one line
// per write, until its parent kills it.
#include <unistd.h>

#include <chrono>
#include <iostream>
#include <string>
#include <thread>

#include "actors/node.hpp"

namespace {

void say(const std::string& line) {
  auto text = line + "\n";
  // One write per line: lines from handler threads never interleave.
  auto written = ::write(STDOUT_FILENO, text.data(), text.size());
  if (written != static_cast<ssize_t>(text.size()))
    std::_Exit(3); // The parent went away.
}

} // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: troupe_crash_child DATA_DIR JOBS\n";
    return 2;
  }
  troupe::node_options options;
  options.data_dir = argv[1];
  options.executor_slots = 4;
  troupe::node node{options};
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
