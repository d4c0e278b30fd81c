// `troupe serve --encryption-key` through the real binary: jobs run and list
// with their payloads and results, none of whose bytes is in any file of
// the data directory; a start without the key or with a bad key file is
// refused with exit 2 naming encryption-key.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/stat.h>

#include <fstream>
#include <iterator>

#include "tests/cli/cli_process.hpp"

using namespace troupe::cli_test;

namespace {

const std::string key_a =
    "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
const std::string key_b =
    "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100";
// The id of key_a: the first 8 bytes of its SHA-256.
const std::string key_a_id = "630dcd2966c43366";

const std::string payload_word = "tangerine-cli-7781";
const std::string schedule_word = "loquat-cli-9902";

std::string key_file(const scratch_dir& dir, const std::string& name,
                     const std::string& contents, mode_t mode = 0600) {
  auto path = dir / name;
  std::ofstream{path, std::ios::binary} << contents;
  REQUIRE(::chmod(path.c_str(), mode) == 0);
  return path;
}

// The names of the files under `dir` whose bytes contain `needle`.
std::vector<std::string> files_containing(const std::string& dir,
                                          const std::string& needle) {
  std::vector<std::string> out;
  for (const auto& entry : std::filesystem::recursive_directory_iterator{dir}) {
    if (!entry.is_regular_file())
      continue;
    std::ifstream in{entry.path(), std::ios::binary};
    std::string bytes{std::istreambuf_iterator<char>{in}, {}};
    if (bytes.find(needle) != std::string::npos)
      out.push_back(entry.path().filename().string());
  }
  return out;
}

run_result client(const server_process& server, std::vector<std::string> args) {
  args.push_back("--server");
  args.push_back(server.address());
  return run_troupe(args);
}

// Runs `troupe serve` on `data` with `args`, expecting it to refuse to start.
run_result refused_serve(const std::string& data,
                         const std::vector<std::string>& args) {
  std::vector<std::string> all{"serve", "--data", data, "--listen",
                               "127.0.0.1:0"};
  all.insert(all.end(), args.begin(), args.end());
  return run_troupe(all);
}

} // namespace

TEST_CASE("with --encryption-key jobs run and list, and no payload or "
          "result byte is in any file of the data directory",
          "[cli][encryption]") {
  scratch_dir dir;
  auto data = dir / "data";
  auto key = key_file(dir, "a.key", key_a + "\n");
  std::string id;
  {
    server_process server{data, {"--encryption-key", key}};
    auto payload = R"({"word":")" + payload_word + R"("})";
    auto submitted = client(server, {"submit", "--type", "echo", "--payload",
                                     payload, "--owner", "ops", "--wait"});
    INFO("stderr: " << submitted.err);
    REQUIRE(submitted.exit_code == 0);
    id = submitted.out.substr(0, submitted.out.find('\n'));
    auto status = client(server, {"status", id, "--json"}).parsed();
    CHECK(status["status"] == "completed");
    CHECK(status["payload"]["word"] == payload_word);
    CHECK(status["result"]["word"] == payload_word);
    auto listed = client(server, {"list", "--owner", "ops", "--json"});
    REQUIRE(listed.exit_code == 0);
    REQUIRE(ids_of(listed.parsed()) == std::vector<std::string>{id});
    CHECK(listed.parsed()[0]["payload"]["word"] == payload_word);
    auto table = client(server, {"list", "--status", "completed"});
    CHECK_THAT(table.out, Catch::Contains(payload_word));
    REQUIRE(client(server,
                   {"schedule", "add", "hourly", "--every", "1h", "--type",
                    "echo", "--payload", R"({"w":")" + schedule_word + R"("})"})
                .exit_code == 0);
    auto schedules = client(server, {"schedule", "list", "--json"});
    CHECK_THAT(schedules.out, Catch::Contains(schedule_word));
    REQUIRE(server.stop(SIGTERM) == 0);
  }
  CHECK(files_containing(data, payload_word).empty());
  CHECK(files_containing(data, schedule_word).empty());
  // The scan reads the store: the plain index keys are there.
  CHECK_FALSE(files_containing(data, "ops").empty());

  auto without = refused_serve(data, {});
  CHECK(without.exit_code == 2);
  CHECK_THAT(without.err, Catch::Contains("encryption-key") &&
                              Catch::Contains("encrypted payloads") &&
                              Catch::Contains(key_a_id) &&
                              Catch::Contains("--encryption-key FILE"));
  // Rotated: a new current key, the old one still opens what it sealed.
  auto b = key_file(dir, "b.key", key_b);
  server_process rotated{
      data,
      {"--encryption-key", b, "--old-encryption-key", key, "--slots", "0"}};
  auto status = client(rotated, {"status", id, "--json"}).parsed();
  CHECK(status["result"]["word"] == payload_word);
  CHECK(rotated.stop(SIGTERM) == 0);
}

TEST_CASE("serve refuses a bad key file with exit 2 naming encryption-key",
          "[cli][encryption]") {
  scratch_dir dir;
  auto data = dir / "data";
  auto short_key = refused_serve(
      data, {"--encryption-key", key_file(dir, "short", "0123456789")});
  CHECK(short_key.exit_code == 2);
  CHECK_THAT(short_key.err, Catch::Contains("--encryption-key") &&
                                Catch::Contains("32 raw bytes or 64 hex") &&
                                Catch::Contains("holds 10 bytes"));
  auto open_key = refused_serve(
      data, {"--encryption-key", key_file(dir, "open", key_a, 0644)});
  CHECK(open_key.exit_code == 2);
  CHECK_THAT(open_key.err, Catch::Contains("--encryption-key") &&
                               Catch::Contains("mode 0644") &&
                               Catch::Contains("0600 or stricter"));
  auto missing = refused_serve(data, {"--encryption-key", dir / "none"});
  CHECK(missing.exit_code == 2);
  CHECK_THAT(missing.err, Catch::Contains("cannot be read"));
  auto good = key_file(dir, "good", key_a);
  auto old_only = refused_serve(data, {"--old-encryption-key", good});
  CHECK(old_only.exit_code == 2);
  CHECK_THAT(old_only.err, Catch::Contains("--old-encryption-key: needs "
                                           "--encryption-key"));
  auto bad_old =
      refused_serve(data, {"--encryption-key", good, "--old-encryption-key",
                           key_file(dir, "old", key_b + "00")});
  CHECK(bad_old.exit_code == 2);
  CHECK_THAT(bad_old.err, Catch::Contains("--old-encryption-key"));
  auto config = dir / "config.json";
  std::ofstream{config} << R"({"encryption_key": 7})";
  auto bad_config = refused_serve(data, {"--config", config});
  CHECK(bad_config.exit_code == 2);
  CHECK_THAT(bad_config.err, Catch::Contains("\"encryption_key\" must be a "
                                             "string"));
  // None of them created a store.
  CHECK_FALSE(std::filesystem::exists(data + "/CURRENT"));
}

TEST_CASE("the config file's encryption_key and old_encryption_keys seal and "
          "open like the flags",
          "[cli][encryption]") {
  scratch_dir dir;
  auto data = dir / "data";
  auto config = dir / "config.json";
  std::ofstream{config} << R"({"encryption_key": ")" +
                               key_file(dir, "a.key", key_a) + R"("})";
  std::string id;
  {
    server_process server{data, {"--config", config}};
    auto submitted =
        client(server, {"submit", "--type", "echo", "--payload",
                        R"({"w":")" + payload_word + R"("})", "--wait"});
    REQUIRE(submitted.exit_code == 0);
    id = submitted.out.substr(0, submitted.out.find('\n'));
    REQUIRE(server.stop(SIGTERM) == 0);
  }
  CHECK(files_containing(data, payload_word).empty());
  std::ofstream{config, std::ios::trunc}
      << R"({"encryption_key": ")" + key_file(dir, "b.key", key_b) +
             R"(", "old_encryption_keys": [")" + dir / "a.key" + R"("]})";
  server_process rotated{data, {"--config", config, "--slots", "0"}};
  auto status = client(rotated, {"status", id, "--json"}).parsed();
  CHECK(status["payload"]["w"] == payload_word);
  CHECK(rotated.stop(SIGTERM) == 0);
}

TEST_CASE("a backup of an encrypted server holds no payload byte and "
          "restores with its key",
          "[cli][encryption][backup]") {
  scratch_dir dir;
  auto key = key_file(dir, "a.key", key_a);
  auto backup = dir / "backup";
  std::string id;
  {
    server_process server{dir / "data", {"--encryption-key", key}};
    auto submitted =
        client(server, {"submit", "--type", "echo", "--payload",
                        R"({"w":")" + payload_word + R"("})", "--wait"});
    REQUIRE(submitted.exit_code == 0);
    id = submitted.out.substr(0, submitted.out.find('\n'));
    auto written = client(server, {"backup", "--to", backup});
    INFO("stderr: " << written.err);
    REQUIRE(written.exit_code == 0);
    REQUIRE(server.stop(SIGTERM) == 0);
  }
  CHECK(files_containing(backup, payload_word).empty());
  auto without = refused_serve(backup, {});
  CHECK(without.exit_code == 2);
  CHECK_THAT(without.err, Catch::Contains(key_a_id));
  server_process restored{backup, {"--encryption-key", key, "--slots", "0"}};
  auto status = client(restored, {"status", id, "--json"}).parsed();
  CHECK(status["result"]["w"] == payload_word);
  CHECK(restored.stop(SIGTERM) == 0);
}
