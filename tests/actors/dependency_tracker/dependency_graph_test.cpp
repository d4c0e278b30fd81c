// The job DAG: releases, failure propagation one edge at a time, and jobs
// that stop waiting.
#include <catch2/catch.hpp>

#include "troupe/actors/dependency_tracker/dependency_graph.hpp"

using namespace troupe;

TEST_CASE("a job is released once its last dependency completes",
          "[dependencies]") {
  dependency_graph graph;
  graph.watch("c", {"a", "b"});
  auto first = graph.settle("a", job_status::completed);
  CHECK(first.released.empty());
  CHECK(graph.waits_for("c", "b"));
  auto second = graph.settle("b", job_status::completed);
  CHECK(second.released == std::vector<std::string>{"c"});
  CHECK(second.failed.empty());
  CHECK(graph.waiting() == 0);
}

TEST_CASE("a failed dependency is reported for each dependent",
          "[dependencies]") {
  dependency_graph graph;
  graph.watch("b", {"a"});
  graph.watch("c", {"a", "x"});
  auto result = graph.settle("a", job_status::failed);
  CHECK(result.failed.size() == 2);
  CHECK(result.released == std::vector<std::string>{"b"});
  CHECK_FALSE(graph.waits_for("c", "a"));
  CHECK(graph.waits_for("c", "x"));
}

TEST_CASE("a waiting job that ends stops waiting and its own dependents "
          "learn of it",
          "[dependencies]") {
  dependency_graph graph;
  graph.watch("b", {"a"});
  graph.watch("c", {"b"});
  auto result = graph.settle("b", job_status::cancelled);
  CHECK(result.failed ==
        std::vector<std::pair<std::string, std::string>>{{"c", "b"}});
  CHECK(graph.settle("a", job_status::completed).released.empty());
}
