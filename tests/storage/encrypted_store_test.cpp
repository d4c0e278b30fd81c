// Encryption at rest in the store: no payload, result or message byte in
// any file of the data directory or a backup, listings by the plain
// indexes, the encryption mark, key rotation and damaged sealed values.
#include <filesystem>
#include <fstream>
#include <iterator>

#include "rocksdb/db.h"

#include "store_fixture.hpp"
#include "troupe/security/payload_cipher.hpp"
#include "troupe/storage/record_codec.hpp"

using namespace troupe;
using namespace troupe::test;

namespace {

namespace fs = std::filesystem;

const std::string key_a =
    "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
const std::string key_b =
    "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100";

// Words that appear nowhere but in the values written here.
const std::string secret_payload = "tangerine-payload-7781";
const std::string secret_result = "kumquat-result-4410";
const std::string secret_error = "quince-error-2291";
const std::string secret_message = "persimmon-history-5530";
const std::string secret_schedule = "loquat-schedule-9902";

payload_key key_of(const std::string& hex) {
  return *parse_payload_key(hex, "test key");
}

std::shared_ptr<const payload_keyring> ring(const std::string& current,
                                            std::vector<std::string> old = {}) {
  std::vector<payload_key> older;
  for (const auto& hex : old)
    older.push_back(key_of(hex));
  return std::make_shared<payload_keyring>(key_of(current), std::move(older));
}

// The files under `dir` (recursively) whose bytes contain `needle`.
std::vector<std::string> files_containing(const fs::path& dir,
                                          const std::string& needle) {
  std::vector<std::string> out;
  for (const auto& entry : fs::recursive_directory_iterator{dir}) {
    if (!entry.is_regular_file())
      continue;
    std::ifstream in{entry.path(), std::ios::binary};
    std::string bytes{std::istreambuf_iterator<char>{in}, {}};
    if (bytes.find(needle) != std::string::npos)
      out.push_back(entry.path().filename().string());
  }
  return out;
}

// A completed job of type "report", owner "ops", tag "nightly" whose
// payload, result, error and progress hold the secret words.
job_record secret_job(const std::string& id, int64_t created_us) {
  auto x = make_job(id, "report", job_status::completed, created_us,
                    created_us + 10);
  x.owner = "ops";
  x.tags = {"nightly"};
  x.unique_key = "unique-" + id;
  x.payload = R"({"word":")" + secret_payload + R"("})";
  x.result = R"({"word":")" + secret_result + R"("})";
  x.error = secret_error;
  x.progress_message = secret_message;
  return x;
}

history_entry secret_entry(const std::string& id, uint32_t seq) {
  history_entry x;
  x.job_id = id;
  x.seq = seq;
  x.time_us = 5;
  x.to = job_status::completed;
  x.principal = "scheduler";
  x.message = "attempt 1 failed: " + secret_message;
  return x;
}

periodic_schedule secret_schedule_of(const std::string& name) {
  periodic_schedule x;
  x.name = name;
  x.every_ms = 60'000;
  x.job.type = "report";
  x.job.payload = R"({"word":")" + secret_schedule + R"("})";
  return x;
}

// A store in a temporary directory, opened with or without a keyring.
struct sealed_fixture {
  temp_dir dir;
  std::string path = (dir.path / "data").string();
  std::unique_ptr<job_store> store;

  caf::expected<std::unique_ptr<job_store>>
  try_open(std::shared_ptr<const payload_keyring> keys,
           const std::string& where = {}) {
    store_options options;
    options.path = where.empty() ? path : where;
    options.encryption = std::move(keys);
    return job_store::open(options);
  }

  void open(std::shared_ptr<const payload_keyring> keys) {
    store = require_value(try_open(std::move(keys)));
  }

  void write_secrets(const std::vector<std::string>& ids) {
    store_batch batch;
    int64_t created = 1000;
    for (const auto& id : ids) {
      batch.records.push_back(secret_job(id, created++));
      batch.history.push_back(secret_entry(id, 0));
    }
    require_ok(store->write(batch));
  }

  void put_one(const job_record& x) {
    store_batch batch;
    batch.records.push_back(x);
    require_ok(store->write(batch));
  }

  // The raw bytes of job `id`'s record as stored.
  std::string raw_record(const std::string& id) {
    std::string value;
    with_raw_store(path, all_families(), [&](auto& db, auto& handles) {
      REQUIRE(db.Get(rocksdb::ReadOptions{}, handles[schema::jobs], id, &value)
                  .ok());
    });
    return value;
  }
};

void check_secret_job(const job_record& x) {
  CHECK(x.payload == secret_job(x.id, 0).payload);
  CHECK(x.result == secret_job(x.id, 0).result);
  CHECK(x.error == secret_error);
  CHECK(x.progress_message == secret_message);
}

} // namespace

TEST_CASE_METHOD(sealed_fixture,
                 "with encryption no payload, result or message byte is in "
                 "any file of the store or its backup, and listings work",
                 "[store][encryption]") {
  open(ring(key_a));
  write_secrets({"j1", "j2", "j3"});
  require_ok(store->put_schedule(secret_schedule_of("hourly")));
  job_query by_type;
  by_type.type = "report";
  job_query by_owner;
  by_owner.owner = "ops";
  job_query by_tag;
  by_tag.tag = "nightly";
  for (const auto& query :
       {with_status(job_status::completed), by_type, by_owner, by_tag}) {
    auto page = require_value(store->list(query));
    REQUIRE(page.size() == 3);
    check_secret_job(page[0]);
  }
  CHECK(require_value(store->latest_unique({"unique-j2"})).at(0).id == "j2");
  CHECK(require_value(store->history("j1")).at(0).message ==
        secret_entry("j1", 0).message);
  // The checkpoint flushes the memtables: table files in both directories.
  auto backup = (dir.path / "backup").string();
  require_value(store->checkpoint(backup));
  store.reset();
  for (const auto& secret : {secret_payload, secret_result, secret_error,
                             secret_message, secret_schedule})
    CHECK(files_containing(dir.path, secret).empty());
  // The scan does read the stores: the plain index keys are there.
  CHECK_FALSE(files_containing(path, "nightly").empty());
  CHECK_FALSE(files_containing(backup, "nightly").empty());
  for (const auto& where : {path, backup}) {
    auto reopened = require_value(try_open(ring(key_a), where));
    check_secret_job(require_value(reopened->get("j3")));
    CHECK(require_value(reopened->schedules()).at(0).job.payload ==
          secret_schedule_of("hourly").job.payload);
  }
}

TEST_CASE_METHOD(sealed_fixture,
                 "without encryption the same words are in the store's files",
                 "[store][encryption]") {
  open(nullptr);
  write_secrets({"j1"});
  store.reset();
  CHECK_FALSE(files_containing(path, secret_payload).empty());
  CHECK_FALSE(files_containing(path, secret_message).empty());
}

TEST_CASE_METHOD(sealed_fixture,
                 "an encrypted store refuses to open without a key and says "
                 "which key it needs",
                 "[store][encryption]") {
  open(ring(key_a));
  write_secrets({"j1"});
  store.reset();
  auto refused = try_open(nullptr);
  REQUIRE_FALSE(refused);
  CHECK(code_of(refused.error()) == errc::invalid_field);
  CHECK_THAT(message_of(refused.error()),
             Catch::Contains("encryption-key") &&
                 Catch::Contains("encrypted payloads") &&
                 Catch::Contains(key_of(key_a).id) &&
                 Catch::Contains("--encryption-key FILE"));
  // Refused twice alike: the refusal changed nothing.
  CHECK_FALSE(try_open(nullptr));
  open(ring(key_a));
  check_secret_job(require_value(store->get("j1")));
}

TEST_CASE_METHOD(sealed_fixture,
                 "a plain store opened with a key reads its old values and "
                 "seals new ones",
                 "[store][encryption]") {
  open(nullptr);
  write_secrets({"plain"});
  store.reset();
  open(ring(key_a));
  check_secret_job(require_value(store->get("plain")));
  write_secrets({"sealed"});
  store.reset();
  CHECK_FALSE(is_sealed(decode_record(raw_record("plain"))->payload));
  auto sealed = decode_record(raw_record("sealed"))->payload;
  CHECK(is_sealed(sealed));
  CHECK(sealed_key_id(sealed) == key_of(key_a).id);
  // From now on the store is marked as encrypted.
  CHECK_FALSE(try_open(nullptr));
}

TEST_CASE_METHOD(sealed_fixture,
                 "after a key rotation old values open with the old key, and "
                 "without it they are damaged records naming it",
                 "[store][encryption]") {
  open(ring(key_a));
  write_secrets({"old"});
  store.reset();
  open(ring(key_b, {key_a}));
  CHECK(store->warnings().empty());
  check_secret_job(require_value(store->get("old")));
  write_secrets({"new"});
  store.reset();
  CHECK(sealed_key_id(decode_record(raw_record("new"))->payload) ==
        key_of(key_b).id);
  open(ring(key_b));
  REQUIRE(store->warnings().size() == 1);
  CHECK_THAT(store->warnings()[0], Catch::Contains(key_of(key_a).id) &&
                                       Catch::Contains("--old-encryption-key"));
  auto lost = store->get("old");
  REQUIRE_FALSE(lost);
  CHECK(code_of(lost.error()) == errc::data_dir_corrupt);
  CHECK_THAT(message_of(lost.error()),
             Catch::Contains("sealed with key " + key_of(key_a).id) &&
                 Catch::Contains("--old-encryption-key"));
  std::vector<damaged_record> damaged;
  auto page =
      require_value(store->list(with_status(job_status::completed), &damaged));
  REQUIRE(page.size() == 1);
  CHECK(page[0].id == "new");
  REQUIRE(damaged.size() == 1);
  CHECK(damaged[0].id == "old");
}

TEST_CASE_METHOD(sealed_fixture,
                 "a damaged sealed value, or one moved to another job, is a "
                 "damaged record",
                 "[store][encryption]") {
  open(ring(key_a));
  write_secrets({"a", "b", "c"});
  store.reset();
  auto a = *decode_record(raw_record("a"));
  auto b = *decode_record(raw_record("b"));
  b.result = a.result; // Sealed for job a.
  auto c = *decode_record(raw_record("c"));
  c.payload.back() = static_cast<char>(c.payload.back() ^ 1);
  write_raw(path, {{schema::jobs, "b", encode_record(b)},
                   {schema::jobs, "c", encode_record(c)}});
  open(ring(key_a));
  for (const auto& id : {"b", "c"}) {
    auto x = store->get(id);
    REQUIRE_FALSE(x);
    CHECK(code_of(x.error()) == errc::data_dir_corrupt);
    CHECK_THAT(message_of(x.error()), Catch::Contains("does not authenticate"));
  }
  std::vector<damaged_record> damaged;
  auto page =
      require_value(store->list(with_status(job_status::completed), &damaged));
  REQUIRE(page.size() == 1);
  CHECK(page[0].id == "a");
  CHECK(damaged.size() == 2);
}

TEST_CASE_METHOD(sealed_fixture,
                 "a schedule with a damaged sealed payload is set aside at "
                 "open, one sealed with a missing key stays and names it",
                 "[store][encryption]") {
  open(ring(key_a));
  require_ok(store->put_schedule(secret_schedule_of("damaged")));
  store.reset();
  std::string value;
  with_raw_store(path, all_families(), [&](auto& db, auto& handles) {
    REQUIRE(db.Get(rocksdb::ReadOptions{}, handles[schema::schedules],
                   "damaged", &value)
                .ok());
  });
  auto x = *decode_schedule(value);
  x.job.payload.back() = static_cast<char>(x.job.payload.back() ^ 1);
  write_raw(path, {{schema::schedules, "damaged", encode_schedule(x)}});
  open(ring(key_b, {key_a}));
  REQUIRE(store->warnings().size() == 1);
  CHECK_THAT(store->warnings()[0], Catch::Contains("does not authenticate"));
  CHECK(require_value(store->schedules()).empty());
  CHECK(require_value(store->quarantined()).size() == 1);
  require_ok(store->put_schedule(secret_schedule_of("by_b")));
  store.reset();
  open(ring(key_a));
  CHECK(require_value(store->quarantined()).size() == 1); // Not set aside.
  auto all = store->schedules();
  REQUIRE_FALSE(all);
  CHECK_THAT(message_of(all.error()),
             Catch::Contains("sealed with key " + key_of(key_b).id));
}

TEST_CASE_METHOD(sealed_fixture,
                 "a result that starts like a sealed value is stored and read "
                 "as it was, with encryption and without",
                 "[store][encryption]") {
  auto lookalike = std::string{"\xffTSV\x01", 5} + std::string(60, 'x');
  for (auto keys : {std::shared_ptr<const payload_keyring>{}, ring(key_a)}) {
    open(keys);
    auto x = secret_job(keys ? "sealed" : "plain", 1);
    x.result = lookalike;
    x.error = lookalike;
    put_one(x);
    store.reset();
    open(keys);
    auto y = require_value(store->get(x.id));
    CHECK(y.result == lookalike);
    CHECK(y.error == lookalike);
    store.reset();
  }
}
