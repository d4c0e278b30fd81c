// How a listing filters, orders and pages the records its index scan found.
#pragma once

#include <vector>

#include "troupe/messages/job_query.hpp"
#include "troupe/messages/job_record.hpp"

namespace troupe {

/// Returns whether `x` passes every filter of `query`.
bool matches(const job_query& query, const job_record& x);

/// Turns `rows`, all matches of `query`, into its page: sorts them (unless
/// `sorted`, i.e. already in page order), then applies offset and limit.
void make_page(std::vector<job_record>& rows, const job_query& query,
               bool sorted);

} // namespace troupe
