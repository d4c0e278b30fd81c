// Tests of opening data directories: creation, locks held by this or another
// process, damaged or foreign directories (left untouched), and damaged data.
#include <spawn.h>
#include <sys/wait.h>

#include <fstream>
#include <map>
#include <sstream>

#include "rocksdb/db.h"

#include "store_fixture.hpp"
#include "troupe/storage/key_schema.hpp"

extern char** environ;

using namespace troupe;
using namespace troupe::test;
namespace fs = std::filesystem;

namespace {

// Names the directory a probe process should try to open.
constexpr const char* probe_variable = "TROUPE_STORAGE_LOCK_PROBE_DIR";

caf::expected<std::unique_ptr<job_store>>
try_open(const std::string& path, bool create_if_missing = true) {
  store_options options;
  options.path = path;
  options.create_if_missing = create_if_missing;
  return job_store::open(options);
}

template <class T>
errc code(const caf::expected<T>& x) {
  return x ? errc::none : code_of(x.error());
}

template <class T>
std::string message(const caf::expected<T>& x) {
  return x ? std::string{} : message_of(x.error());
}

void write_file(const fs::path& path, const std::string& content) {
  std::ofstream out{path, std::ios::binary};
  out << content;
  REQUIRE(out.good());
}

// Every file below `dir` with its content, to show that nothing changed.
std::map<std::string, std::string> contents(const fs::path& dir) {
  std::map<std::string, std::string> out;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    std::ifstream in{entry.path(), std::ios::binary};
    std::ostringstream text;
    if (entry.is_regular_file())
      text << in.rdbuf();
    out[fs::relative(entry.path(), dir).string()] = text.str();
  }
  return out;
}

} // namespace

TEST_CASE("open creates a missing directory and reopens it without "
          "create_if_missing",
          "[store][open]") {
  temp_dir dir;
  auto path = (dir.path / "nested" / "data").string();
  require_value(try_open(path)).reset();
  CHECK(fs::exists(fs::path{path} / "CURRENT"));
  CHECK(require_value(try_open(path, false)) != nullptr);
  // An empty existing directory also becomes a store.
  auto empty = (dir.path / "empty").string();
  fs::create_directory(empty);
  CHECK(require_value(try_open(empty)) != nullptr);
}

TEST_CASE("open without create_if_missing refuses a directory without store",
          "[store][open]") {
  temp_dir dir;
  auto missing = (dir.path / "missing").string();
  auto x = try_open(missing, false);
  CHECK(code(x) == errc::storage_failure);
  CHECK_THAT(message(x), Catch::Contains(missing));
  CHECK_FALSE(fs::exists(missing));
  CHECK(code(try_open(dir.path.string(), false)) == errc::storage_failure);
}

TEST_CASE("a second open of an open store fails as locked, naming the "
          "directory",
          "[store][open]") {
  store_fixture f;
  auto x = try_open(f.path);
  CHECK(code(x) == errc::data_dir_locked);
  CHECK_THAT(message(x), Catch::Contains(f.path));
  // The first store is unaffected.
  f.put(make_job("a", "t", job_status::queued, 1));
  CHECK(f.count(job_status::queued) == 1);
}

TEST_CASE("lock probe: open a store that another process holds",
          "[.lock_probe]") {
  // Runs only in the child process started by the next test.
  const char* path = std::getenv(probe_variable);
  REQUIRE(path != nullptr);
  auto x = try_open(path);
  CHECK(code(x) == errc::data_dir_locked);
  CHECK_THAT(message(x), Catch::Contains(path));
}

TEST_CASE("a store held open by another process is reported as locked",
          "[store][open]") {
  store_fixture f;
  auto self = fs::read_symlink("/proc/self/exe").string();
  std::string filter = "[.lock_probe]";
  char* argv[] = {self.data(), filter.data(), nullptr};
  REQUIRE(::setenv(probe_variable, f.path.c_str(), 1) == 0);
  pid_t child = 0;
  auto rc = posix_spawn(&child, self.c_str(), nullptr, nullptr, argv, environ);
  ::unsetenv(probe_variable);
  REQUIRE(rc == 0);
  int status = 0;
  REQUIRE(waitpid(child, &status, 0) == child);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0); // Catch: the number of failed checks
}

TEST_CASE("a CURRENT file naming a missing manifest is corrupt and left alone",
          "[store][open]") {
  temp_dir dir;
  write_file(dir.path / "CURRENT", "MANIFEST-000099\n");
  write_file(dir.path / "OPTIONS-000007", "junk");
  auto before = contents(dir.path);
  auto x = try_open(dir.path.string());
  CHECK(code(x) == errc::data_dir_corrupt);
  CHECK_THAT(message(x), Catch::Contains(dir.path.string()));
  CHECK(contents(dir.path) == before);
}

TEST_CASE("a garbled manifest is corrupt and left alone", "[store][open]") {
  store_fixture f;
  f.close();
  for (const auto& entry : fs::directory_iterator(f.path))
    if (entry.path().filename().string().rfind("MANIFEST-", 0) == 0)
      write_file(entry.path(), std::string(300, '\x5a'));
  auto before = contents(f.path);
  CHECK(code(try_open(f.path)) == errc::data_dir_corrupt);
  CHECK(contents(f.path) == before);
}

TEST_CASE("a directory with files but no store is refused untouched",
          "[store][open]") {
  temp_dir dir;
  write_file(dir.path / "notes.txt", "my files");
  fs::create_directory(dir.path / "photos");
  auto before = contents(dir.path);
  auto x = try_open(dir.path.string());
  CHECK(code(x) == errc::data_dir_corrupt);
  CHECK_THAT(message(x), Catch::Contains(dir.path.string()));
  CHECK_THAT(message(x), Catch::Contains("holds files but no store"));
  CHECK(contents(dir.path) == before);
}

TEST_CASE("a directory holding only subdirectories becomes a store beside "
          "them",
          "[store][open]") {
  temp_dir dir;
  fs::create_directory(dir.path / "demo");
  write_file(dir.path / "demo" / "CURRENT", "another store's file");
  auto x = try_open(dir.path.string());
  CHECK(code(x) == errc::none);
  CHECK(fs::exists(dir.path / "CURRENT"));
  CHECK(fs::exists(dir.path / "demo" / "CURRENT"));
}

TEST_CASE("a path that is a file is refused untouched", "[store][open]") {
  temp_dir dir;
  auto file = dir.path / "data";
  write_file(file, "not a directory");
  CHECK(code(try_open(file.string())) == errc::data_dir_corrupt);
  CHECK(fs::is_regular_file(file));
}

TEST_CASE("a RocksDB directory with other column families is refused",
          "[store][open]") {
  temp_dir dir;
  rocksdb::Options options;
  options.create_if_missing = true;
  rocksdb::DB* raw = nullptr;
  REQUIRE(rocksdb::DB::Open(options, dir.path.string(), &raw).ok());
  REQUIRE(raw->Close().ok());
  delete raw;
  auto before = contents(dir.path);
  auto x = try_open(dir.path.string());
  CHECK(code(x) == errc::data_dir_corrupt);
  CHECK_THAT(message(x), Catch::Contains("column families"));
  CHECK(contents(dir.path) == before);
}

TEST_CASE("a store with another or no schema version is refused",
          "[store][open]") {
  store_fixture f;
  f.close();
  SECTION("another version") {
    with_raw_store(f.path, all_families(), [](rocksdb::DB& db, auto& handles) {
      REQUIRE(db.Put({}, handles[schema::meta], "schema_version",
                     schema::encode_u32_le(schema::version + 1))
                  .ok());
    });
    auto x = try_open(f.path);
    CHECK(code(x) == errc::data_dir_corrupt);
    CHECK_THAT(message(x), Catch::Contains("schema version 2"));
  }
  SECTION("no version") {
    with_raw_store(f.path, all_families(), [](rocksdb::DB& db, auto& handles) {
      REQUIRE(db.Delete({}, handles[schema::meta], "schema_version").ok());
    });
    auto x = try_open(f.path);
    CHECK(code(x) == errc::data_dir_corrupt);
    CHECK_THAT(message(x), Catch::Contains(f.path));
  }
}

TEST_CASE("a damaged record is reported as corrupt, not a crash",
          "[store][open]") {
  store_fixture f;
  f.put(make_job("good", "t", job_status::queued, 1));
  f.close();
  with_raw_store(f.path, all_families(), [](rocksdb::DB& db, auto& handles) {
    REQUIRE(db.Put({}, handles[schema::jobs], "bad", "\x01\xff\xff").ok());
    auto key = schema::created_prefix() + schema::encode_time(2) + "bad";
    REQUIRE(db.Put({}, handles[schema::index], key, "").ok());
    REQUIRE(db.Put({}, handles[schema::history], schema::history_key("bad", 0),
                   "\x07")
                .ok());
  });
  f.open();
  CHECK(require_value(f.store->get("good")).id == "good");
  auto bad = f.store->get("bad");
  CHECK(code(bad) == errc::data_dir_corrupt);
  CHECK_THAT(message(bad), Catch::Contains("'bad'"));
  CHECK(code(f.store->get_many({"good", "bad"})) == errc::data_dir_corrupt);
  // A listing goes on with the rest and reports it.
  std::vector<damaged_record> damaged;
  auto rows = require_value(f.store->list(job_query{}, &damaged));
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].id == "good");
  REQUIRE(damaged.size() == 1);
  CHECK(damaged[0].id == "bad");
  CHECK(code(f.store->history("bad")) == errc::data_dir_corrupt);
}
