// A full disk under a real `troupe serve` (a small tmpfs, so root only):
// a refused write acknowledges nothing, a retry of the refused id is not
// told it exists, and the server recovers by itself once there is room.
#include <catch2/catch.hpp>

#include <signal.h>
#include <unistd.h>

#include <fstream>

#include "tests/cli/cli_process.hpp"

using namespace troupe::cli_test;

namespace {

/// A tmpfs of `size` mounted on `dir / "mnt"`, unmounted at the end.
struct tmpfs_mount {
  std::string path;
  bool mounted = false;

  tmpfs_mount(const scratch_dir& dir, const std::string& size)
      : path(dir / "mnt") {
    std::filesystem::create_directories(path);
    auto result = run_program(
        "/bin/mount", {"-t", "tmpfs", "-o", "size=" + size, "tmpfs", path});
    mounted = result.exit_code == 0;
    if (!mounted)
      WARN("mount -t tmpfs failed: " << result.err);
  }

  ~tmpfs_mount() {
    if (mounted)
      run_program("/bin/umount", {path});
  }
};

/// Fills the file system of `path` until a write fails.
void fill(const std::string& path) {
  std::ofstream out{path, std::ios::binary};
  std::string chunk(64 * 1024, 'x');
  while (out.write(chunk.data(), static_cast<std::streamsize>(chunk.size())))
    out.flush();
}

/// Writes a payload of 256 KiB to `path`: more than the last page of a full
/// disk can take, so the WAL must grow to hold it.
std::string write_payload(const std::string& path) {
  std::ofstream{path} << "{\"ms\": 1, \"pad\": \""
                      << std::string(256 * 1024, 'p') << "\"}";
  return "@" + path;
}

std::vector<std::string> submit_args(const std::string& id,
                                     const std::string& payload) {
  return {"submit", "--type", "sleep", "--id", id, "--payload", payload};
}

run_result call(const server_process& server, std::vector<std::string> args) {
  args.push_back("--server");
  args.push_back(server.address());
  return run_troupe(args);
}

} // namespace

TEST_CASE("a full disk refuses writes, acknowledges nothing not durable and "
          "the server recovers once there is room",
          "[cli][serve][disk-full]") {
  if (geteuid() != 0) {
    WARN("skipped: mounting a small tmpfs needs root");
    return;
  }
  scratch_dir dir;
  tmpfs_mount disk{dir, "128m"};
  REQUIRE(disk.mounted);
  auto data = disk.path + "/data";
  auto payload = write_payload(dir / "payload.json");
  auto server = std::make_unique<server_process>(
      data, std::vector<std::string>{"--slots", "0"});
  for (auto id : {"a1", "a2", "a3"})
    REQUIRE(call(*server, submit_args(id, payload)).exit_code == 0);
  fill(disk.path + "/filler");
  auto refused = call(*server, submit_args("full-1", payload));
  INFO(refused.out << refused.err);
  CHECK(refused.exit_code == 3);
  // Whether the server is restarting or failed the write again, the retry
  // of the refused id is never told that it exists.
  auto retried = call(*server, submit_args("full-1", payload));
  CHECK(retried.exit_code == 3);
  CHECK(retried.out.find("full-1") == std::string::npos);
  std::filesystem::remove(disk.path + "/filler");
  // Each failed try is followed by a restart; wait for those, not the clock.
  bool accepted = false;
  for (int i = 0; i < 20 && !accepted; ++i) {
    server->wait_for_output("restarted, listening on");
    accepted = call(*server, submit_args("full-1", payload)).exit_code == 0;
  }
  REQUIRE(accepted);
  for (auto id : {"a1", "a2", "a3", "full-1"})
    CHECK(call(*server, {"status", id, "--json"}).parsed()["status"] ==
          "queued");
  CHECK(server->stop(SIGTERM) == 0);
  // Durable: a new server on the same directory has them all.
  server = std::make_unique<server_process>(
      data, std::vector<std::string>{"--slots", "0"});
  auto jobs = call(*server, {"list", "--json"}).parsed();
  CHECK(ids_of(jobs).size() == 4);
  CHECK(server->stop(SIGTERM) == 0);
}
