// A coordinator and a worker on two network namespaces joined by a veth
// pair: when the link is cut mid-run, the coordinator notices the silence
// within its heartbeat timeout and re-queues the worker's attempts. Needs
// root (to create namespaces); otherwise it reports why it was skipped.
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>

#include <catch2/catch.hpp>

#include "apps/troupe/json_codec.hpp"
#include "tests/cluster/cluster_fixture.hpp"

using namespace troupe::cluster_test;
namespace fs = std::filesystem;

namespace {

std::string ip_binary() {
  for (const char* path : {"/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip"})
    if (fs::exists(path))
      return path;
  return {};
}

/// When the history entry mentioning `text` was written, in microseconds.
std::optional<int64_t> lost_at(const nlohmann::json& history,
                               const std::string& text) {
  for (const auto& entry : history)
    if (entry.value("message", "").find(text) != std::string::npos)
      return troupe::cli::parse_rfc3339(entry.at("time").get<std::string>());
  return std::nullopt;
}

bool run(const std::string& command) {
  return std::system((command + " >/dev/null 2>&1").c_str()) == 0;
}

/// Two namespaces, "<prefix>c" (10.201.0.1) and "<prefix>w" (10.201.0.2),
/// joined by a veth pair; removed again on destruction.
struct veth_link {
  std::string ip;
  std::string prefix = "troupe" + std::to_string(getpid());
  bool ready = false;

  explicit veth_link(std::string ip_path) : ip(std::move(ip_path)) {
    auto c = prefix + "c", w = prefix + "w";
    ready =
        run(ip + " netns add " + c) && run(ip + " netns add " + w) &&
        run(ip + " link add " + prefix + "a type veth peer name " + prefix +
            "b") &&
        run(ip + " link set " + prefix + "a netns " + c) &&
        run(ip + " link set " + prefix + "b netns " + w) &&
        run(ip + " -n " + c + " addr add 10.201.0.1/24 dev " + prefix + "a") &&
        run(ip + " -n " + w + " addr add 10.201.0.2/24 dev " + prefix + "b") &&
        run(ip + " -n " + c + " link set " + prefix + "a up") &&
        run(ip + " -n " + w + " link set " + prefix + "b up") &&
        run(ip + " -n " + c + " link set lo up");
  }

  ~veth_link() {
    run(ip + " netns del " + prefix + "c");
    run(ip + " netns del " + prefix + "w");
  }

  std::vector<std::string> in(const std::string& side) const {
    return {ip, "netns", "exec", prefix + side};
  }

  /// Cuts the link: no error, no reset, just silence.
  bool cut() const {
    return run(ip + " -n " + prefix + "c link set " + prefix + "a down");
  }
};

} // namespace

TEST_CASE("a worker cut off by the network is detected within the "
          "heartbeat timeout and its attempts are re-queued",
          "[cluster][netns]") {
  auto ip = ip_binary();
  if (geteuid() != 0 || ip.empty()) {
    WARN("skipped: needs root and iproute2 to create network namespaces");
    std::cout << "cluster netns test skipped: "
              << (geteuid() != 0 ? "not running as root" : "no ip binary")
              << std::endl;
    return;
  }
  veth_link link{ip};
  REQUIRE(link.ready);
  troupe::cli_test::scratch_dir dir;
  auto in_c = link.in("c");
  auto in_w = link.in("w");
  background_process coordinator{
      {"serve", "--listen", "10.201.0.1:0", "--data", dir / "data", "--slots",
       "0", "--heartbeat-timeout", "2", "--insecure-no-tls"},
      in_c};
  auto address =
      "10.201.0.1:" + std::to_string(coordinator.port_after("10.201.0.1:"));
  auto client = [&](std::vector<std::string> args) {
    args.push_back("--server");
    args.push_back(address);
    auto result = troupe::cli_test::run_wrapped_troupe(in_c, args);
    INFO(args.front() << ": " << result.err);
    REQUIRE(result.exit_code == 0);
    return result;
  };
  background_process worker{{"worker", "--join", address, "--name", "far",
                             "--heartbeat-timeout", "2"},
                            in_w};
  REQUIRE(worker.banner().find("joined") != std::string::npos);
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i)
    ids.push_back(client({"submit", "--type", "sleep", "--payload",
                          R"({"ms": 60000})", "--json"})
                      .parsed()
                      .at("id"));
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  size_t running = 0;
  while (running < ids.size() && std::chrono::steady_clock::now() < deadline)
    running = client({"list", "--status", "running", "--json"}).parsed().size();
  REQUIRE(running == ids.size());
  auto cut_at = std::chrono::system_clock::now();
  REQUIRE(link.cut());
  // Every attempt goes back to the queue (no executor is left to take it).
  deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  size_t queued = 0;
  while (queued < ids.size() && std::chrono::steady_clock::now() < deadline)
    queued = client({"list", "--status", "queued", "--json"}).parsed().size();
  REQUIRE(queued == ids.size());
  auto cut_us = std::chrono::duration_cast<std::chrono::microseconds>(
                    cut_at.time_since_epoch())
                    .count();
  for (const auto& job : client({"list", "--json"}).parsed()) {
    auto history =
        client({"history", job.at("id").template get<std::string>(), "--json"})
            .parsed();
    CHECK(job.at("attempt") == 2);
    auto lost = lost_at(history, "node far lost");
    REQUIRE(lost);
    // The server's own clock says when it noticed: after the cut, and within
    // the 2 s timeout plus generous slack for a loaded machine (a link that
    // were never noticed would leave the attempts running for 60 s).
    CHECK(*lost >= cut_us);
    CHECK(*lost - cut_us < 15'000'000);
  }
}
