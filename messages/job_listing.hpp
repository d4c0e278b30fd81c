// The replies of listings and purges: what was found, and each record an
// index names that could not be read. Such a record is skipped, left as it
// is for inspection, and named to whoever asked.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "caf/meta/type_name.hpp"

#include "troupe/messages/job_record.hpp"

namespace troupe {

/// A record that an index names but that cannot be read: it does not decode,
/// holds another id, or is missing.
struct damaged_record {
  /// The id under which the index names it.
  std::string id;
  /// What is wrong, naming the directory.
  std::string problem;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, damaged_record& x) {
  return f(caf::meta::type_name("troupe::damaged_record"), x.id, x.problem);
}

/// One page of a listing.
struct job_listing {
  std::vector<job_record> jobs;
  /// Records the page skipped; they count toward no page.
  std::vector<damaged_record> damaged;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, job_listing& x) {
  return f(caf::meta::type_name("troupe::job_listing"), x.jobs, x.damaged);
}

/// The outcome of a retention purge.
struct purge_report {
  /// How many jobs were purged.
  uint64_t purged = 0;
  /// Records it skipped (still stored).
  std::vector<damaged_record> damaged;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, purge_report& x) {
  return f(caf::meta::type_name("troupe::purge_report"), x.purged, x.damaged);
}

} // namespace troupe
