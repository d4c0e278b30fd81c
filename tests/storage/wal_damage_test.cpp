// Damage to the write-ahead log after 200 acknowledged jobs: truncated,
// zeroed, bit-flipped or deleted, the store refuses to open and names the
// loss; it opens only when exactly that loss is accepted, and reports it.
// An unacknowledged torn write at the end is tolerated.
#include <fstream>

#include <catch2/catch.hpp>

#include "tests/storage/store_fixture.hpp"

using namespace troupe;
using namespace troupe::test;

namespace {

constexpr int job_count = 200;

/// A store with `job_count` jobs, each written (and acknowledged) on its
/// own, then closed cleanly: they live in the WAL alone.
struct wal_fixture : store_fixture {
  wal_fixture() {
    for (int i = 0; i < job_count; ++i)
      put(make_job("job-" + std::to_string(i), "work", job_status::queued,
                   i + 1));
    close();
  }

  /// The WAL file holding the jobs (the largest `*.log`).
  std::filesystem::path wal() const {
    std::filesystem::path largest;
    uintmax_t size = 0;
    for (const auto& entry : std::filesystem::directory_iterator(path))
      if (entry.path().extension() == ".log" && entry.file_size() > size) {
        size = entry.file_size();
        largest = entry.path();
      }
    REQUIRE(size > 0);
    return largest;
  }

  /// Overwrites `bytes.size()` bytes of the WAL at `offset`.
  void overwrite(uintmax_t offset, const std::string& bytes) const {
    std::fstream f{wal(), std::ios::in | std::ios::out | std::ios::binary};
    f.seekp(static_cast<std::streamoff>(offset));
    f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    REQUIRE(f.good());
  }

  caf::expected<std::unique_ptr<job_store>> reopen(uint64_t accept = 0) {
    store_options options;
    options.path = path;
    options.accept_data_loss = accept;
    return job_store::open(options);
  }

  /// The loss the refusal named (REQUIREs a refusal that names one).
  uint64_t refused_loss() {
    auto refused = reopen();
    REQUIRE_FALSE(refused);
    CHECK(code_of(refused.error()) == errc::data_dir_corrupt);
    auto text = message_of(refused.error());
    INFO(text);
    CHECK(text.find(path) != std::string::npos);
    CHECK(text.find("lost acknowledged writes") != std::string::npos);
    auto at = text.find("--accept-data-loss ");
    REQUIRE(at != std::string::npos);
    return std::stoull(text.substr(at + 19));
  }

  /// Refused twice alike (a refusal changes nothing), refused with a wrong
  /// count, then opened with the right one. Returns the jobs left.
  uint64_t accept_loss() {
    auto lost = refused_loss();
    CHECK(lost > 0);
    CHECK(refused_loss() == lost);
    CHECK_FALSE(reopen(lost + 1));
    store = require_value(reopen(lost));
    REQUIRE(store->warnings().size() == 1);
    CHECK(store->warnings()[0].find("accepted the loss of " +
                                    std::to_string(lost)) != std::string::npos);
    auto left = count(job_status::queued);
    // Accepted once: the next start opens without a word, new writes stay.
    put(make_job("after", "work", job_status::queued, 1000));
    close();
    store = require_value(reopen());
    CHECK(store->warnings().empty());
    CHECK(count(job_status::queued) == left + 1);
    return left;
  }
};

} // namespace

TEST_CASE_METHOD(wal_fixture, "an intact WAL reopens with every job",
                 "[store][wal]") {
  store = require_value(reopen());
  CHECK(store->warnings().empty());
  CHECK(count(job_status::queued) == job_count);
}

TEST_CASE_METHOD(wal_fixture, "a WAL truncated mid-file is refused",
                 "[store][wal]") {
  std::filesystem::resize_file(wal(), std::filesystem::file_size(wal()) / 2);
  auto left = accept_loss();
  CHECK(left > 0);
  CHECK(left < job_count);
}

TEST_CASE_METHOD(wal_fixture, "a WAL with a zeroed range is refused",
                 "[store][wal]") {
  overwrite(std::filesystem::file_size(wal()) / 2, std::string(4096, '\0'));
  CHECK(accept_loss() < job_count);
}

TEST_CASE_METHOD(wal_fixture, "a WAL with a flipped bit is refused",
                 "[store][wal]") {
  auto offset = std::filesystem::file_size(wal()) / 2;
  std::ifstream in{wal(), std::ios::binary};
  in.seekg(static_cast<std::streamoff>(offset));
  char byte = 0;
  in.read(&byte, 1);
  in.close();
  overwrite(offset, std::string(1, static_cast<char>(byte ^ 0x10)));
  CHECK(accept_loss() < job_count);
}

TEST_CASE_METHOD(wal_fixture, "a deleted WAL is refused", "[store][wal]") {
  std::filesystem::remove(wal());
  CHECK(accept_loss() == 0);
}

TEST_CASE_METHOD(wal_fixture,
                 "a torn write at the end that was never acknowledged is "
                 "tolerated",
                 "[store][wal]") {
  // Half a record header after the last record, as a write cut short by a
  // power loss leaves it.
  std::ofstream{wal(), std::ios::binary | std::ios::app}
      << std::string("\x12\x34\x56", 3);
  store = require_value(reopen());
  CHECK(store->warnings().empty());
  CHECK(count(job_status::queued) == job_count);
}
