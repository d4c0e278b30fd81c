// The README's embedding example, compiled by the build so it cannot rot: a
// service embeds a node, registers a handler and submits a small pipeline.
#include <iostream>

#include "actors/node.hpp"

int main() {
  troupe::node_options options;
  options.data_dir = "troupe-data/example";
  troupe::node node{options};
  node.handle("greet", [](troupe::job_context& ctx) -> troupe::job_result {
    ctx.progress(0.5, "composing");
    auto name = ctx.payload().value("name", "world");
    return nlohmann::json{{"greeting", "hello, " + name}};
  });
  if (auto err = node.start()) {
    std::cerr << "cannot start: " << troupe::message_of(err) << '\n';
    return 1;
  }
  troupe::job_spec first;
  first.type = "greet";
  first.payload = R"({"name": "troupe"})";
  auto a = node.submit(first);
  troupe::job_spec second = first;
  second.deps = {*a};  // runs only after the first completed
  auto b = node.submit(second);
  if (!a || !b) {
    std::cerr << "submit failed\n";
    return 1;
  }
  auto done = node.wait({*a, *b});
  if (!done) {
    std::cerr << troupe::message_of(done.error()) << '\n';
    return 1;
  }
  for (const auto& job : *done)
    std::cout << job.id << ' ' << to_string(job.status) << ' ' << job.result
              << '\n';
  return 0;
}
