// The reply of a backup: where the checkpoint of the store was written and
// what it holds.
#pragma once

#include <cstdint>
#include <string>

#include "caf/meta/type_name.hpp"

namespace troupe {

/// A consistent checkpoint of a job store, written by `job_store::checkpoint`.
struct backup_report {
  /// The directory written, as an absolute path on the server's machine.
  std::string path;
  /// Jobs in the checkpoint (all statuses).
  uint64_t jobs = 0;
  /// Bytes of the files in the directory.
  uint64_t bytes = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, backup_report& x) {
  return f(caf::meta::type_name("troupe::backup_report"), x.path, x.jobs,
           x.bytes);
}

} // namespace troupe
