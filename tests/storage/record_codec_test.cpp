// Tests of the value encoding (record_codec): round trips and damaged bytes
// reported with the field named.
#include <algorithm>
#include <cstdint>
#include <string>

#include <catch2/catch.hpp>

#include "troupe/messages/errc.hpp"
#include "troupe/storage/key_schema.hpp"
#include "troupe/storage/record_codec.hpp"

using namespace troupe;

namespace {

job_record full_record() {
  job_record x;
  x.id = "job-1";
  x.type = "resize";
  x.payload = R"({"w":640})";
  x.priority = 9;
  x.deps = {"job-0", "", std::string{"with\0nul", 8}};
  x.on_dependency_failure = dependency_policy::ignore;
  x.timeout_s = -7;
  x.max_retries = 11;
  x.backoff_base_ms = -1234567890123;
  x.owner = "alice";
  x.tags = {"red", "blue"};
  x.unique_key = "uk";
  x.run_at_us = 1'700'000'000'000'001;
  x.status = job_status::cancelled;
  x.attempt = 4'000'000'000u;
  x.executor = "exec-3";
  x.node = "node-b";
  x.progress = 0.625;
  x.progress_message = "almost";
  x.result = R"({"ok":true})";
  x.error = "late";
  x.history_length = 17;
  x.created_us = 1;
  x.updated_us = 2;
  x.started_us = -3;
  x.finished_us = INT64_MAX;
  return x;
}

history_entry full_entry() {
  history_entry x;
  x.job_id = "job-1";
  x.seq = 0xfffffffeu;
  x.time_us = INT64_MIN;
  x.from = job_status::running;
  x.to = job_status::failed;
  x.attempt = 3;
  x.executor = "exec-3";
  x.node = "node-b";
  x.principal = "executor";
  x.message = "handler threw";
  return x;
}

void require_same(const job_record& a, const job_record& b) {
  CHECK(a.id == b.id);
  CHECK(a.type == b.type);
  CHECK(a.payload == b.payload);
  CHECK(a.priority == b.priority);
  CHECK(a.deps == b.deps);
  CHECK(a.on_dependency_failure == b.on_dependency_failure);
  CHECK(a.timeout_s == b.timeout_s);
  CHECK(a.max_retries == b.max_retries);
  CHECK(a.backoff_base_ms == b.backoff_base_ms);
  CHECK(a.owner == b.owner);
  CHECK(a.tags == b.tags);
  CHECK(a.unique_key == b.unique_key);
  CHECK(a.run_at_us == b.run_at_us);
  CHECK(a.status == b.status);
  CHECK(a.attempt == b.attempt);
  CHECK(a.executor == b.executor);
  CHECK(a.node == b.node);
  CHECK(a.progress == b.progress);
  CHECK(a.progress_message == b.progress_message);
  CHECK(a.result == b.result);
  CHECK(a.error == b.error);
  CHECK(a.history_length == b.history_length);
  CHECK(a.created_us == b.created_us);
  CHECK(a.updated_us == b.updated_us);
  CHECK(a.started_us == b.started_us);
  CHECK(a.finished_us == b.finished_us);
}

template <class T>
errc decode_code(const caf::expected<T>& x) {
  return x ? errc::none : code_of(x.error());
}

} // namespace

TEST_CASE("a job record decodes to the record that was encoded", "[codec]") {
  auto x = full_record();
  auto bytes = encode_record(x);
  CHECK(static_cast<uint8_t>(bytes[0]) == record_format_version);
  auto y = decode_record(bytes);
  REQUIRE(y);
  require_same(*y, x);
  // The fixed-width fields and empty strings of docs/storage.md add up so.
  CHECK(encode_record(job_record{}).size() == 140);
  auto defaults = decode_record(encode_record(job_record{}));
  REQUIRE(defaults);
  require_same(*defaults, job_record{});
}

TEST_CASE("a history entry decodes to the entry that was encoded", "[codec]") {
  auto x = full_entry();
  auto y = decode_history(encode_history(x));
  REQUIRE(y);
  CHECK(y->job_id == x.job_id);
  CHECK(y->seq == x.seq);
  CHECK(y->time_us == x.time_us);
  CHECK(y->from == x.from);
  CHECK(y->to == x.to);
  CHECK(y->attempt == x.attempt);
  CHECK(y->executor == x.executor);
  CHECK(y->node == x.node);
  CHECK(y->principal == x.principal);
  CHECK(y->message == x.message);
}

TEST_CASE("every truncation of an encoded value is reported as corrupt",
          "[codec]") {
  auto record = encode_record(full_record());
  for (size_t size = 0; size < record.size(); ++size)
    REQUIRE(decode_code(decode_record(record.substr(0, size))) ==
            errc::data_dir_corrupt);
  auto entry = encode_history(full_entry());
  for (size_t size = 0; size < entry.size(); ++size)
    REQUIRE(decode_code(decode_history(entry.substr(0, size))) ==
            errc::data_dir_corrupt);
}

TEST_CASE("damaged values are reported as corrupt with the field named",
          "[codec]") {
  auto bytes = encode_record(full_record());
  SECTION("unknown format version") {
    bytes[0] = 3;
    auto x = decode_record(bytes);
    REQUIRE(decode_code(x) == errc::data_dir_corrupt);
    CHECK_THAT(message_of(x.error()), Catch::Contains("version"));
  }
  SECTION("trailing bytes") {
    bytes += "xy";
    auto x = decode_record(bytes);
    REQUIRE(decode_code(x) == errc::data_dir_corrupt);
    CHECK_THAT(message_of(x.error()), Catch::Contains("2 trailing bytes"));
  }
  SECTION("string length beyond the end") {
    bytes[1] = static_cast<char>(0xff); // low byte of the id's length
    auto x = decode_record(bytes);
    REQUIRE(decode_code(x) == errc::data_dir_corrupt);
    CHECK_THAT(message_of(x.error()), Catch::Contains("'id'"));
  }
  SECTION("out-of-range status") {
    auto entry = encode_history(full_entry());
    // version, job_id (4 + 5), seq (4), time (8): then the `from` byte.
    entry[1 + 4 + 5 + 4 + 8] = 7;
    auto x = decode_history(entry);
    REQUIRE(decode_code(x) == errc::data_dir_corrupt);
    CHECK_THAT(message_of(x.error()), Catch::Contains("'from'"));
  }
  SECTION("a string list count that cannot fit") {
    job_record small;
    auto raw = encode_record(small);
    // version, id, type, payload (4 bytes each when empty), priority: deps.
    size_t deps_at = 1 + 4 + 4 + 4 + 1;
    for (size_t i = 0; i < 4; ++i)
      raw[deps_at + i] = static_cast<char>(0xff);
    auto x = decode_record(raw);
    REQUIRE(decode_code(x) == errc::data_dir_corrupt);
    CHECK_THAT(message_of(x.error()), Catch::Contains("'deps'"));
  }
}
