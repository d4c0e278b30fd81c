// Compact binary encoding of job records and history entries as stored (byte
// layout in docs/storage.md).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "caf/expected.hpp"

#include "troupe/messages/audit_entry.hpp"
#include "troupe/messages/job_record.hpp"
#include "troupe/messages/schedule.hpp"

namespace troupe {

/// The leading byte of an encoded job record. Version 2 added unique_for_s
/// and result_ttl_s; version 1 records still decode (both fields 0).
constexpr uint8_t record_format_version = 2;

/// The leading byte of an encoded history entry.
constexpr uint8_t history_format_version = 1;

/// The leading byte of an encoded periodic schedule.
constexpr uint8_t schedule_format_version = 1;

/// The leading byte of an encoded audit entry.
constexpr uint8_t audit_format_version = 1;

/// Encodes `x`: version byte, then every field in declaration order.
std::string encode_record(const job_record& x);

/// Encodes `x`: version byte, then every field in declaration order.
std::string encode_history(const history_entry& x);

/// Decodes a job record. Fails with `errc::data_dir_corrupt` naming the field
/// on an unknown version, a truncated field, an out-of-range enum value or
/// trailing bytes; never reads outside `bytes`.
caf::expected<job_record> decode_record(std::string_view bytes);

/// Decodes a history entry; fails like `decode_record`.
caf::expected<history_entry> decode_history(std::string_view bytes);

/// Encodes a schedule (its stored fields; `next_fire_us` is not stored).
std::string encode_schedule(const periodic_schedule& x);

/// Decodes a schedule; fails like `decode_record`.
caf::expected<periodic_schedule> decode_schedule(std::string_view bytes);

/// Encodes an audit entry: version byte, then every field in declaration
/// order.
std::string encode_audit(const audit_entry& x);

/// Decodes an audit entry; fails like `decode_record`.
caf::expected<audit_entry> decode_audit(std::string_view bytes);

} // namespace troupe
