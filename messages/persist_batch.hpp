// The unit of group commit: transitions the scheduler hands to persistence,
// acknowledged by ticket once durable.
#pragma once

#include <cstdint>
#include <vector>

#include "caf/meta/type_name.hpp"

#include "troupe/messages/job_record.hpp"

namespace troupe {

/// Records and history entries to write together; acknowledged with `ticket`.
struct persist_batch {
  uint64_t ticket = 0;
  std::vector<job_record> records;
  std::vector<history_entry> history;
  /// Ids among `records` of jobs created since the last batch: no stored
  /// version of them exists, so the store looks none up.
  std::vector<std::string> created;
  /// For each of `records`, in order: the status of the version it
  /// replaces, as the scheduler last wrote it (see `store_batch::replaced`).
  std::vector<job_status> replaced;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, persist_batch& x) {
  return f(caf::meta::type_name("troupe::persist_batch"), x.ticket, x.records,
           x.history, x.created, x.replaced);
}

} // namespace troupe
