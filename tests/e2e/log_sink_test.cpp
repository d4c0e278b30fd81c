// The logger of an embedding service: a sink passed in node_options receives
// the library's lines with their level, and the level option filters them.
#include <catch2/catch.hpp>

#include <condition_variable>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "caf/scoped_actor.hpp"
#include "spdlog/sinks/base_sink.h"

#include "tests/e2e/node_fixture.hpp"

using namespace troupe;
using namespace troupe::test;

namespace {

/// Keeps every line with its level; a test waits for a line to arrive.
class collecting_sink : public spdlog::sinks::base_sink<std::mutex> {
public:
  /// Waits up to a generous deadline for a line containing `needle`;
  /// returns its level, or `off` if none came.
  spdlog::level::level_enum await(const std::string& needle) {
    std::unique_lock<std::mutex> guard{lines_mutex_};
    spdlog::level::level_enum found = spdlog::level::off;
    arrived_.wait_for(guard, std::chrono::seconds(60), [&] {
      for (const auto& [level, text] : lines_)
        if (text.find(needle) != std::string::npos) {
          found = level;
          return true;
        }
      return false;
    });
    return found;
  }

  /// Whether any line so far contains `needle`.
  bool saw(const std::string& needle) {
    std::lock_guard<std::mutex> guard{lines_mutex_};
    for (const auto& line : lines_)
      if (line.second.find(needle) != std::string::npos)
        return true;
    return false;
  }

protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    std::lock_guard<std::mutex> guard{lines_mutex_};
    lines_.emplace_back(msg.level,
                        std::string{msg.payload.data(), msg.payload.size()});
    arrived_.notify_all();
  }

  void flush_() override {
    // nop
  }

private:
  std::mutex lines_mutex_;
  std::condition_variable arrived_;
  std::vector<std::pair<spdlog::level::level_enum, std::string>> lines_;
};

// Sends a heartbeat the reporter refuses (and logs), then waits until the
// reporter handled it: it answers requests in the order they arrive.
void send_bad_heartbeat(node& n) {
  executor_info info; // No name: the reporter refuses it.
  info.node = "local";
  info.slots = 1;
  caf::scoped_actor self{n.system()};
  self->send(n.status_reporter(), heartbeat_atom_v, info);
  self->request(n.status_reporter(), std::chrono::seconds(30), workers_atom_v)
      .receive([](std::vector<executor_info>&) {},
               [](caf::error& err) { FAIL(message_of(err)); });
}

} // namespace

TEST_CASE("an embedding service's sink receives a refused heartbeat with its "
          "level",
          "[e2e][logging]") {
  node_fixture f;
  auto sink = std::make_shared<collecting_sink>();
  f.options.log.sink = sink;
  node n{f.options};
  REQUIRE_FALSE(n.start());
  send_bad_heartbeat(n);
  CHECK(sink->await("refused a heartbeat") == spdlog::level::warn);
  n.shutdown();
  configure_logging(log_options{}); // Back to stderr for later tests.
}

TEST_CASE("the log level option drops lines below it", "[e2e][logging]") {
  node_fixture f;
  auto sink = std::make_shared<collecting_sink>();
  f.options.log.sink = sink;
  f.options.log.level = log_level::error;
  node n{f.options};
  REQUIRE_FALSE(n.start());
  send_bad_heartbeat(n);
  CHECK_FALSE(sink->saw("refused a heartbeat"));
  log_error("an error line");
  CHECK(sink->await("an error line") == spdlog::level::err);
  n.shutdown();
  configure_logging(log_options{});
}
