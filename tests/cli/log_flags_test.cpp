// --log-level and --log-format of the commands that run a node: JSON lines
// on stderr, the level filter, and bad values refused with exit code 2.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "tests/cli/cli_process.hpp"
#include "tests/dead_port.hpp"

using namespace troupe::cli_test;

namespace {

/// A worker that cannot join anyone: it logs a warning for each failed try,
/// then gives up after a second.
run_result lonely_worker(std::vector<std::string> flags) {
  auto port = std::to_string(troupe::test::dead_port());
  std::vector<std::string> args{"worker", "--join", "127.0.0.1:" + port,
                                "--join-timeout", "1"};
  args.insert(args.end(), flags.begin(), flags.end());
  return run_troupe(args);
}

/// The stderr lines that start with '{'.
std::vector<std::string> json_lines(const std::string& err) {
  std::vector<std::string> result;
  std::istringstream in{err};
  for (std::string line; std::getline(in, line);)
    if (!line.empty() && line.front() == '{')
      result.push_back(line);
  return result;
}

} // namespace

TEST_CASE("the json log format writes one JSON object per line on stderr",
          "[cli][logging]") {
  auto result = lonely_worker({"--log-format", "json"});
  INFO("stderr: " << result.err);
  CHECK(result.exit_code == 3);
  auto lines = json_lines(result.err);
  REQUIRE_FALSE(lines.empty());
  bool saw_warning = false;
  for (const auto& line : lines) {
    auto x = json::parse(line, nullptr, false);
    REQUIRE_FALSE(x.is_discarded());
    CHECK(x["logger"] == "troupe");
    CHECK_THAT(x["time"].get<std::string>(),
               Catch::Matches(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)"));
    auto message = x["message"].get<std::string>();
    if (x["level"] == "warn" &&
        message.find("cannot join the coordinator") != std::string::npos)
      saw_warning = true;
  }
  CHECK(saw_warning);
}

TEST_CASE("the error log level drops the library's warnings, not the CLI's "
          "errors",
          "[cli][logging]") {
  auto text = lonely_worker({});
  CHECK_THAT(text.err, Catch::Contains("[warning] troupe: cannot join"));
  auto quiet = lonely_worker({"--log-level", "error"});
  INFO("stderr: " << quiet.err);
  CHECK(quiet.exit_code == 3);
  CHECK_THAT(quiet.err, !Catch::Contains("cannot join the coordinator at") &&
                            Catch::Contains("troupe: worker:"));
}

TEST_CASE("bad log flags and config keys are refused with exit code 2, naming "
          "the flag and the allowed values",
          "[cli][logging]") {
  scratch_dir dir;
  auto level = run_troupe({"serve", "--data", dir / "data", "--listen",
                           "127.0.0.1:0", "--log-level", "loud"});
  CHECK(level.exit_code == 2);
  CHECK_THAT(level.err,
             Catch::Contains("--log-level: must be one of trace, debug, info, "
                             "warn, error, off, got \"loud\""));
  auto format = lonely_worker({"--log-format", "xml"});
  CHECK(format.exit_code == 2);
  CHECK_THAT(format.err, Catch::Contains("--log-format: must be one of text, "
                                         "json, got \"xml\""));
  std::ofstream{dir / "config.json"} << R"({"log_level": 3})";
  auto config = run_troupe({"serve", "--data", dir / "data", "--listen",
                            "127.0.0.1:0", "--config", dir / "config.json"});
  CHECK(config.exit_code == 2);
  CHECK_THAT(config.err, Catch::Contains("\"log_level\" must be a string"));
  CHECK_FALSE(std::filesystem::exists(dir / "data"));
}
