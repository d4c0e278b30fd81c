// A listing request: filters, sort order and paging over stored jobs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "caf/meta/type_name.hpp"

#include "troupe/messages/job_status.hpp"

namespace troupe {

/// Sort keys for listings.
enum class job_sort : uint8_t { created, priority, updated };

/// Filters (all optional, combined with AND), sort and page of a listing.
struct job_query {
  /// Only jobs in this status. Default: any (`has_status` false).
  bool has_status = false;
  job_status status = job_status::queued;
  /// Only jobs of this type. Default: empty, any.
  std::string type;
  /// Only jobs of this owner. Default: empty, any.
  std::string owner;
  /// Only jobs carrying this tag. Default: empty, any.
  std::string tag;
  /// Created at or after, microseconds since the epoch. Default: 0, any.
  int64_t created_from_us = 0;
  /// Created before, microseconds since the epoch. Default: 0, any.
  int64_t created_to_us = 0;
  /// Sort key. Default: created.
  job_sort sort = job_sort::created;
  /// Descending order. Default: false (oldest, most urgent first).
  bool descending = false;
  /// Page size. Default: 100.
  uint32_t limit = 100;
  /// Rows skipped before the page. Default: 0.
  uint32_t offset = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, job_query& x) {
  return f(caf::meta::type_name("troupe::job_query"), x.has_status, x.status,
           x.type, x.owner, x.tag, x.created_from_us, x.created_to_us, x.sort,
           x.descending, x.limit, x.offset);
}

/// Returns the lowercase name of `x`.
std::string to_string(job_sort x);

/// Parses "created", "priority" or "updated".
std::optional<job_sort> parse_job_sort(const std::string& name);

} // namespace troupe
