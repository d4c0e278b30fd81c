// Layout of a troupe store: its column families, the keys of jobs, history
// and indexes, and scans over key ranges.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "caf/error.hpp"
#include "caf/expected.hpp"

#include "troupe/messages/job_query.hpp"
#include "troupe/messages/job_record.hpp"
#include "troupe/messages/job_status.hpp"

namespace rocksdb {
class ColumnFamilyHandle;
class DB;
class Status;
class WriteBatch;
struct ReadOptions;
} // namespace rocksdb

namespace troupe {
class payload_keyring;
} // namespace troupe

namespace troupe::schema {

/// Version of the key layout and value encoding; stored in the meta family.
constexpr uint32_t version = 1;

/// Key of the schema version in the meta family. Its value is 4 bytes, LE.
constexpr std::string_view version_key = "schema_version";

/// Positions of the column families in `family_names` and in the handles.
enum family : size_t {
  meta,
  jobs,
  history,
  index,
  limits,
  schedules,
  quarantine,
  audit
};

/// Names of the column families, by position. RocksDB requires "default".
constexpr std::array<const char*, 8> family_names = {
    "default", "jobs",      "history",    "index",
    "limits",  "schedules", "quarantine", "audit"};

/// Families every store has had since schema version 1; those after them
/// were added later and are created when a store without them is opened.
constexpr size_t original_family_count = 4;

/// Number of bytes of an encoded timestamp.
constexpr size_t time_size = 8;

/// Encodes `us` in 8 bytes, big-endian with the sign bit flipped, so that the
/// byte order of encoded times equals their numeric order.
std::string encode_time(int64_t us);

/// Decodes the first 8 bytes of `bytes`, which must hold at least 8.
int64_t decode_time(std::string_view bytes);

/// Appends `x` in 4 bytes, big-endian (history sequence numbers, text
/// lengths in index keys).
void append_u32_be(std::string& out, uint32_t x);

/// Encodes `x` in 4 bytes, little-endian (the schema version value).
std::string encode_u32_le(uint32_t x);

/// Requires a job id to be non-empty and free of NUL bytes, since history
/// keys use NUL to end the id. `field` names the id in the error.
caf::error check_id(const std::string& id, const char* field);

/// Requires the enums of `x` to be in range (status, dependency policy), so
/// that no record is written that could not be read back.
caf::error check_record_enums(const job_record& x);

/// Key of a row set aside in the quarantine family: the name of the family
/// it came from, a NUL byte, its original key.
std::string quarantine_key(family from, std::string_view key);

/// `key` for a message: printable bytes as they are, others as `\xNN`,
/// at most 80 bytes of it.
std::string printable_key(std::string_view key);

/// Why row `key`, `value` of the limits family cannot be used, or "".
std::string limits_row_problem(std::string_view key, std::string_view value);

/// Why row `key`, `value` of the schedules family cannot be used, or "":
/// also a sealed payload that does not open with `keys` (null: no keyring,
/// nothing is opened), unless its key is one `keys` lacks.
std::string schedule_row_problem(std::string_view key, std::string_view value,
                                 const payload_keyring* keys);

// -- history ------------------------------------------------------------------

/// Returns `id + '\0'`: the common prefix of all history keys of `id`.
std::string history_prefix(const std::string& id);

/// Returns `id + '\0' + seq` with `seq` as 4 bytes big-endian.
std::string history_key(const std::string& id, uint32_t seq);

// -- audit trail --------------------------------------------------------------

/// Bytes of an audit key: the entry's time and a sequence number.
constexpr size_t audit_key_size = time_size + 8;

/// Returns the key of an audit entry: its time (`encode_time`), then `seq`
/// in 8 bytes big-endian, so entries sort by time and entries of the same
/// microsecond by the order in which they were appended.
std::string audit_key(int64_t at_us, uint64_t seq);

// -- index
// ----------------------------------------------------------------------

/// Prefix of status index keys: 's', status byte.
std::string status_prefix(job_status x);

/// Prefix of type index keys: 't', 4-byte BE length, type.
std::string type_prefix(std::string_view type);

/// Prefix of owner index keys: 'o', 4-byte BE length, owner.
std::string owner_prefix(std::string_view owner);

/// Prefix of tag index keys: 'g', 4-byte BE length, tag.
std::string tag_prefix(std::string_view tag);

/// Prefix of the created index: 'c'.
std::string created_prefix();

/// Prefix of the finished index of terminal jobs: 'f'.
std::string finished_prefix();

/// Prefix of the unique-key index: 'u', 4-byte BE length, key. Its time is
/// the created time, so the last key of a prefix is the latest job.
std::string unique_prefix(std::string_view unique_key);

/// Prefix of the expiry index of terminal jobs with a result TTL: 'x'. Its
/// time is `finished_us + result_ttl_s` seconds.
std::string expiry_prefix();

/// What index keys of a version of a job depend on besides the fields no
/// version changes (id, created time, type, owner, tags, unique key, result
/// TTL): its status and finished time.
struct index_state {
  job_status status = job_status::queued;
  int64_t finished_us = 0;
};

/// The index state of `x` itself.
inline index_state index_state_of(const job_record& x) {
  return {x.status, x.finished_us};
}

/// When a terminal job with a result TTL expires: `finished_us` plus
/// `result_ttl_s` seconds.
int64_t expiry_time(const job_record& x);

/// When `x` in state `at` expires.
int64_t expiry_time(const job_record& x, index_state at);

/// Appends the unique-key and expiry index keys of `x` in state `at` (if it
/// has them).
void append_unique_and_expiry_keys(const job_record& x, index_state at,
                                   std::vector<std::string>& keys);

/// Returns every index key of `x` in state `at`, sorted: one per status,
/// type, owner, tag, created and (for terminal jobs) finished time, plus
/// unique key and expiry (see `append_unique_and_expiry_keys`). Each key is
/// a prefix, an encoded time and the id. Empty type, owner or tags get no
/// key.
std::vector<std::string> index_keys(const job_record& x, index_state at);

/// The index keys of `x` in its own state.
inline std::vector<std::string> index_keys(const job_record& x) {
  return index_keys(x, index_state_of(x));
}

/// Returns the prefixes of the indexes that can serve `query`'s filters in
/// order of usual selectivity (owner, tag, type, status), or the created
/// index alone if it has none.
std::vector<std::string> index_candidates(const job_query& query);

/// Returns the id of index key `key` whose prefix has `prefix_size` bytes, or
/// `nullopt` if the key is too short to hold a time and an id.
std::optional<std::string_view> index_id(std::string_view key,
                                         size_t prefix_size);

/// Picks among `index_candidates(query)` the index whose part in the created
/// range of `query` RocksDB estimates smallest in `index_cf`; ties and failed
/// estimates keep the candidates' order. Returns the index prefix.
std::string pick_index(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* index_cf,
                       const job_query& query);

/// Stages job `x` in `out`: its record, its index keys, and deletes of
/// `old_keys` (the sorted index keys of the version it replaces; empty if
/// none) that `x` no longer has. `families` are the handles by `family`.
rocksdb::Status
stage_job_put(const std::vector<rocksdb::ColumnFamilyHandle*>& families,
              const std::vector<std::string>& old_keys, const job_record& x,
              rocksdb::WriteBatch& out);

/// Stages deletes of every key of job `x` in `out`: its record, its index
/// keys and its history entries. `families` are the handles by `family`.
rocksdb::Status
stage_job_delete(rocksdb::DB& db,
                 const std::vector<rocksdb::ColumnFamilyHandle*>& families,
                 const job_record& x, rocksdb::WriteBatch& out);

// -- key ranges
// -----------------------------------------------------------------

/// Half-open key range [lower, upper).
struct key_range {
  std::string lower;
  std::string upper;
};

/// Returns the smallest string greater than every string starting with
/// `prefix` (the first byte of `prefix` must not be 0xff).
std::string prefix_end(std::string prefix);

/// Returns all keys starting with `prefix`.
key_range prefix_range(const std::string& prefix);

/// Returns the keys of index `prefix` whose time lies in [from_us, to_us);
/// 0 leaves that side unbounded. Returns an empty range if from >= to.
key_range time_range(const std::string& prefix, int64_t from_us, int64_t to_us);

/// Receives a key and its value; returns false to end the scan.
using key_visitor = std::function<bool(std::string_view, std::string_view)>;

/// Visits the entries of `cf` in `range`, in key order or in reverse, until
/// `visit` returns false. Returns the iterator's final status.
rocksdb::Status scan_keys(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* cf,
                          const rocksdb::ReadOptions& read,
                          const key_range& range, bool reverse,
                          const key_visitor& visit);

} // namespace troupe::schema
