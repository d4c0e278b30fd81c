// A service that embeds a troupe node from the installed package: one
// handler, one job, its result. Exits 0 only if the job completed with the
// expected result. Usage: troupe_consumer DATA_DIR
#include <iostream>

#include <troupe/actors/node/node.hpp>
#include <troupe/version.hpp>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: troupe_consumer DATA_DIR\n";
    return 2;
  }
  std::cout << "troupe " << troupe::version() << " (headers "
            << TROUPE_VERSION_STRING << ")\n";
  troupe::node_options options;
  options.store.path = argv[1];
  troupe::node node{options};
  node.handle("square", [](troupe::job_context& ctx) -> troupe::job_result {
    auto n = ctx.payload().value("n", 0);
    return nlohmann::json{{"square", n * n}};
  });
  if (auto err = node.start()) {
    std::cerr << "cannot start: " << troupe::message_of(err) << '\n';
    return 1;
  }
  troupe::job_spec spec;
  spec.type = "square";
  spec.payload = R"({"n": 7})";
  auto id = node.submit(spec);
  if (!id) {
    std::cerr << "cannot submit: " << troupe::message_of(id.error()) << '\n';
    return 1;
  }
  auto done = node.wait({*id});
  if (!done) {
    std::cerr << "cannot wait: " << troupe::message_of(done.error()) << '\n';
    return 1;
  }
  const auto& job = done->front();
  std::cout << "job " << job.id << ' ' << to_string(job.status) << ' '
            << job.result << '\n';
  bool ok = job.status == troupe::job_status::completed &&
            nlohmann::json::parse(job.result) == nlohmann::json{{"square", 49}};
  return ok ? 0 : 1;
}
