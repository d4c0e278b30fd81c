// Tests of the key layout (key_schema, index_keys): encoded times, history
// and index keys sort as the store's scans need.
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "troupe/storage/key_schema.hpp"

using namespace troupe;

TEST_CASE("encoded times sort like the times", "[keys]") {
  std::vector<int64_t> times = {
      INT64_MIN, -5, -1, 0, 1, 255, 256, 1'700'000'000'000'000, INT64_MAX};
  for (size_t i = 0; i + 1 < times.size(); ++i) {
    INFO(times[i] << " < " << times[i + 1]);
    CHECK(schema::encode_time(times[i]) < schema::encode_time(times[i + 1]));
  }
  for (auto t : times)
    CHECK(schema::decode_time(schema::encode_time(t)) == t);
}

TEST_CASE("history keys of one job sort by seq and stay inside its prefix",
          "[keys]") {
  CHECK(schema::history_key("a", 255) < schema::history_key("a", 256));
  CHECK(schema::history_key("a", 65535) < schema::history_key("a", 65536));
  auto range = schema::prefix_range(schema::history_prefix("a"));
  CHECK(schema::history_key("a", 0xffffffffu) < range.upper);
  CHECK_FALSE(schema::history_key("ab", 0) < range.upper);
}

TEST_CASE("index keys follow the record and carry the id last", "[keys]") {
  job_record x;
  x.id = "j";
  x.type = "t";
  x.owner = "o";
  x.tags = {"red", "red", "blue"};
  x.status = job_status::queued;
  CHECK(schema::index_keys(x).size() == 6); // status, created, type, owner, 2
  x.status = job_status::completed;
  auto keys = schema::index_keys(x);
  CHECK(keys.size() == 7); // plus finished
  for (const auto& key : keys)
    CHECK(key.substr(key.size() - 1) == "j");
  auto status_key = schema::status_prefix(job_status::completed) +
                    schema::encode_time(0) + "j";
  CHECK(std::count(keys.begin(), keys.end(), status_key) == 1);
  auto id = schema::index_id(status_key, 2);
  REQUIRE(id);
  CHECK(*id == "j");
  CHECK_FALSE(schema::index_id("s\x02short", 2));
}

TEST_CASE("type prefixes do not overlap for types sharing a beginning",
          "[keys]") {
  auto a = schema::prefix_range(schema::type_prefix("ab"));
  auto key = schema::type_prefix("abc") + schema::encode_time(1) + "id";
  CHECK((key < a.lower || !(key < a.upper)));
}

TEST_CASE("time ranges are empty when from is not before to", "[keys]") {
  auto range = schema::time_range("c", 10, 10);
  CHECK(range.lower == range.upper);
  range = schema::time_range("c", 0, 0);
  CHECK(range.lower == "c");
  CHECK(range.upper == "d");
}
