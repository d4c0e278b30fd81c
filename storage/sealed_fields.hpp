// Which stored fields are encrypted at rest, and the context each is bound
// to: what submitters and handlers wrote is sealed, what indexes need
// (ids, type, owner, tags, unique key, status, times) stays plain.
#pragma once

#include <string>
#include <string_view>

#include "caf/error.hpp"

#include "troupe/messages/job_record.hpp"
#include "troupe/messages/schedule.hpp"

namespace troupe {

class payload_keyring;

namespace schema {

/// Key of the meta family's row that marks a store as holding sealed
/// values: the ids of the keys that sealed them, comma-separated.
constexpr std::string_view sealed_keys_key = "sealed_key_ids";

/// Seals the payload, result, error and progress message of `x` with the
/// current key of `keys`, each bound to its field and the job's id. Empty
/// fields stay empty. Fails with `errc::storage_failure`.
caf::error seal_fields(const payload_keyring& keys, job_record& x);

/// Seals the message of `x`, bound to the job's id and the entry's `seq`.
caf::error seal_fields(const payload_keyring& keys, history_entry& x);

/// Seals the job payload of schedule `x`, bound to its name.
caf::error seal_fields(const payload_keyring& keys, periodic_schedule& x);

/// Opens the sealed fields of `x` (plain ones are left as they are; with
/// `keys` null, every field is). Fails with `errc::data_dir_corrupt` naming
/// the field: a value sealed with a key `keys` lacks (naming its id), or
/// one that does not authenticate.
caf::error open_fields(const payload_keyring* keys, job_record& x);

/// Opens the sealed message of `x`; fails like the record's overload.
caf::error open_fields(const payload_keyring* keys, history_entry& x);

/// Opens the sealed job payload of `x`; fails like the record's overload.
caf::error open_fields(const payload_keyring* keys, periodic_schedule& x);

} // namespace schema

} // namespace troupe
