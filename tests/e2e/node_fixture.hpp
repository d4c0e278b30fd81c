// A node on a temporary data directory with short helpers, so each end-to-end
// test reads as its scenario.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "tests/temp_dir.hpp"
#include "troupe/actors/node/node.hpp"

namespace troupe::test {

struct node_fixture {
  temp_dir dir{"troupe-e2e"};
  node_options options;

  node_fixture() {
    options.store.path = (dir.path / "data").string();
    options.scheduler.default_backoff_base_ms = 20;
  }

  static job_spec spec(std::string type, std::string payload = "{}",
                       std::vector<std::string> deps = {}) {
    job_spec x;
    x.type = std::move(type);
    x.payload = std::move(payload);
    x.deps = std::move(deps);
    return x;
  }

  static std::string submit(node& n, job_spec x) {
    auto id = n.submit(std::move(x));
    REQUIRE(id);
    return *id;
  }

  static std::vector<job_record> wait(node& n,
                                      const std::vector<std::string>& ids) {
    auto records = n.wait(ids, std::chrono::seconds(60));
    REQUIRE(records);
    return *records;
  }

  static std::vector<history_entry> history(node& n, const std::string& id) {
    caf::scoped_actor self{n.system()};
    std::vector<history_entry> result;
    self->request(n.status_reporter(), std::chrono::seconds(10), history_atom_v,
                  id)
        .receive(
            [&](std::vector<history_entry>& xs) { result = std::move(xs); },
            [&](caf::error& err) { FAIL(message_of(err)); });
    return result;
  }

  /// The jobs of one listing page; no record may be damaged.
  static std::vector<job_record> list(node& n, job_query query = {}) {
    caf::scoped_actor self{n.system()};
    job_listing result;
    self->request(n.status_reporter(), std::chrono::seconds(10), list_atom_v,
                  query)
        .receive([&](job_listing& xs) { result = std::move(xs); },
                 [&](caf::error& err) { FAIL(message_of(err)); });
    CHECK(result.damaged.empty());
    return std::move(result.jobs);
  }
};

} // namespace troupe::test
