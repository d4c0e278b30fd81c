// Backups of an open store: a checkpoint holds every write made before it and
// none after, opens as a data directory, and never writes into a directory
// that holds anything.
#include <catch2/catch.hpp>

#include <fstream>

#include "tests/storage/store_fixture.hpp"

using namespace troupe;
using namespace troupe::test;

namespace {

std::unique_ptr<job_store> open_at(const std::string& path) {
  store_options options;
  options.path = path;
  options.create_if_missing = false;
  return require_value(job_store::open(options));
}

} // namespace

TEST_CASE("a checkpoint holds every write before it and none after, and "
          "opens as a store",
          "[storage][backup]") {
  for (auto level : {durability::wal, durability::none}) {
    store_fixture f{level};
    f.put(make_job("a", "t", job_status::queued, 10));
    f.put(make_job("b", "t", job_status::completed, 11, 12));
    auto target = (f.dir.path / "backup").string();
    auto report = require_value(f.store->checkpoint(target));
    CHECK(report.path == target);
    CHECK(report.jobs == 2);
    CHECK(report.bytes > 0);
    f.put(make_job("c", "t", job_status::queued, 13));
    auto restored = open_at(target);
    CHECK(require_value(restored->get("a")).status == job_status::queued);
    CHECK(require_value(restored->get("b")).status == job_status::completed);
    CHECK(code_of(restored->get("c").error()) == errc::not_found);
    CHECK(require_value(restored->non_terminal()).size() == 1);
  }
}

TEST_CASE("a checkpoint refuses a non-empty or relative directory and takes "
          "an empty one",
          "[storage][backup]") {
  store_fixture f;
  f.put(make_job("a", "t", job_status::queued, 10));
  auto full = f.dir.path / "full";
  std::filesystem::create_directories(full);
  std::ofstream{full / "note.txt"} << "keep me";
  auto refused = f.store->checkpoint(full.string());
  REQUIRE_FALSE(refused);
  CHECK(code_of(refused.error()) == errc::invalid_field);
  CHECK_THAT(message_of(refused.error()),
             Catch::StartsWith("to: ") && Catch::Contains("not empty"));
  CHECK(std::filesystem::exists(full / "note.txt"));
  auto relative = f.store->checkpoint("relative/dir");
  REQUIRE_FALSE(relative);
  CHECK_THAT(message_of(relative.error()), Catch::Contains("absolute path"));
  auto empty = f.dir.path / "empty";
  std::filesystem::create_directories(empty);
  require_value(f.store->checkpoint(empty.string()));
  CHECK(require_value(open_at(empty.string())->get("a")).id == "a");
}
