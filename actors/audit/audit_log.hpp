// What a control action's handler calls to leave its trace in the audit
// trail: build an entry from the action's outcome and hand it to the node's
// audit recorder. Light: no actor headers beyond the typed interfaces.
#pragma once

#include <string>

#include "caf/error.hpp"

#include "troupe/messages/audit_entry.hpp"
#include "troupe/messages/interfaces.hpp"

namespace troupe {

/// An entry for `action` on `target` by `principal` that ended with `err`:
/// outcome "ok" (and `detail`) without one, "refused" for
/// `errc::forbidden` and `errc::invalid_field`, else "failed"; an error's
/// message becomes the detail. `at_us` stays 0: the recorder stamps it.
audit_entry make_audit_entry(std::string principal, std::string action,
                             std::string target, const caf::error& err = {},
                             std::string detail = {});

/// Sends `x` to `recorder` (fire and forget; the recorder batches it into
/// the next durable append). Does nothing if `recorder` is null.
void record_audit(const audit_recorder_actor& recorder, audit_entry x);

/// `time_us` (microseconds since the epoch) as RFC 3339 in UTC with
/// seconds, e.g. "2026-12-01T15:49:31Z", for targets and details.
std::string audit_time_text(int64_t time_us);

} // namespace troupe
