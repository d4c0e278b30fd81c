// The README's embedding example, compiled by the build so it cannot rot: a
// service embeds a node, registers a handler and submits from an actor.
#include <iostream>

#include "caf/event_based_actor.hpp"
#include "troupe/actors/node/node.hpp"

using namespace std::chrono_literals;

int main() {
  troupe::node_options options;
  options.store.path = "troupe-data/example";
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
  // Blocking convenience for code outside actors.
  troupe::job_spec first;
  first.type = "greet";
  first.payload = R"({"name": "troupe"})";
  auto a = node.submit(first);
  if (!a) {
    std::cerr << troupe::message_of(a.error()) << '\n';
    return 1;
  }
  // Any actor submits with a message; the reply comes once it is durable.
  auto scheduler = node.scheduler();
  node.system().spawn([=](caf::event_based_actor* self) {
    troupe::job_spec second = first;
    second.deps = {*a}; // Runs only after the first completed.
    self->request(scheduler, 10s, troupe::submit_atom_v, second)
        .then(
            [](const std::string& id) {
              std::cout << "submitted " << id << '\n';
            },
            [](const caf::error& err) {
              std::cerr << troupe::message_of(err) << '\n';
            });
  });
  auto done = node.wait({*a});
  if (!done) {
    std::cerr << troupe::message_of(done.error()) << '\n';
    return 1;
  }
  for (const auto& job : *done)
    std::cout << job.id << ' ' << to_string(job.status) << ' ' << job.result
              << '\n';
  return 0;
}
