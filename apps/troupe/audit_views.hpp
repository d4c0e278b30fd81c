// The audit trail for people and programs: the --since rule of `troupe
// audit`, an entry as JSON, and the text table. Pure: no connection.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "troupe/messages/audit_entry.hpp"

namespace troupe::cli {

/// Parses `text` given to `flag` as a duration ("15m", "7d": that long
/// before `now_us`) or an RFC 3339 time; returns microseconds since the
/// epoch. Throws a usage error naming the flag and both forms.
int64_t parse_since_us(const std::string& flag, const std::string& text,
                       int64_t now_us);

/// An entry with the field names at (RFC 3339), at_us, principal, action,
/// target, outcome and detail.
nlohmann::ordered_json audit_entry_to_json(const audit_entry& x);

/// Writes `xs` as a table: TIME, PRINCIPAL, ACTION, TARGET, OUTCOME,
/// DETAIL (long targets and details cut, "-" for an empty principal), or
/// a line saying there is none.
void print_audit_table(std::ostream& out, const std::vector<audit_entry>& xs);

} // namespace troupe::cli
