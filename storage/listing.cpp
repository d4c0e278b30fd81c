// Listings: the index scan that serves a job query, its filters, and the
// order and page of what it found.
#include "troupe/storage/listing.hpp"

#include <algorithm>
#include <tuple>

#include "rocksdb/db.h"
#include "rocksdb/snapshot.h"

#include "troupe/messages/errc.hpp"
#include "troupe/storage/job_store.hpp"
#include "troupe/storage/key_schema.hpp"

namespace troupe {

namespace {

// Whether `a` comes before `b` in ascending order of `sort`; the id breaks
// ties so that pages are stable.
bool before(const job_record& a, const job_record& b, job_sort sort) {
  switch (sort) {
  case job_sort::priority:
    return std::tie(a.priority, a.created_us, a.id) <
           std::tie(b.priority, b.created_us, b.id);
  case job_sort::updated:
    return std::tie(a.updated_us, a.id) < std::tie(b.updated_us, b.id);
  case job_sort::created:
    break;
  }
  return std::tie(a.created_us, a.id) < std::tie(b.created_us, b.id);
}

} // namespace

bool matches(const job_query& query, const job_record& x) {
  auto has_tag = [&] {
    return std::find(x.tags.begin(), x.tags.end(), query.tag) != x.tags.end();
  };
  return (!query.has_status || x.status == query.status) &&
         (query.type.empty() || x.type == query.type) &&
         (query.owner.empty() || x.owner == query.owner) &&
         (query.tag.empty() || has_tag()) &&
         (query.created_from_us == 0 ||
          x.created_us >= query.created_from_us) &&
         (query.created_to_us == 0 || x.created_us < query.created_to_us);
}

void make_page(std::vector<job_record>& rows, const job_query& query,
               bool sorted) {
  if (query.offset >= rows.size()) {
    rows.clear();
    return;
  }
  auto end =
      std::min<uint64_t>(uint64_t{query.offset} + query.limit, rows.size());
  auto page_end = rows.begin() + static_cast<ptrdiff_t>(end);
  // Only the rows up to the end of the page need to be in order.
  if (!sorted)
    std::partial_sort(rows.begin(), page_end, rows.end(),
                      [&](const job_record& a, const job_record& b) {
                        return query.descending ? before(b, a, query.sort)
                                                : before(a, b, query.sort);
                      });
  rows.erase(page_end, rows.end());
  rows.erase(rows.begin(), rows.begin() + query.offset);
}

caf::expected<std::vector<job_record>>
job_store::list(const job_query& query,
                std::vector<damaged_record>* damaged) const {
  auto prefix = schema::pick_index(*db_, family(schema::index), query);
  auto range =
      schema::time_range(prefix, query.created_from_us, query.created_to_us);
  rocksdb::ManagedSnapshot snapshot{db_.get()};
  rocksdb::ReadOptions read;
  read.snapshot = snapshot.snapshot();
  // Every index sorts by created time, then id: for sort=created the scan
  // order is the page order and the scan can stop once the page is full.
  const bool streaming = query.sort == job_sort::created;
  const uint64_t wanted = uint64_t{query.offset} + query.limit;
  std::vector<job_record> rows;
  auto visit = [&](const std::string& id, bool& stop) -> caf::error {
    auto x = read_indexed(read, id);
    if (!x && code_of(x.error()) == errc::data_dir_corrupt) {
      // One bad record must not hide every good one from every user.
      if (damaged)
        damaged->push_back({id, message_of(x.error())});
      return {};
    }
    if (!x)
      return x.error();
    if (matches(query, *x))
      rows.push_back(std::move(*x));
    stop = streaming && rows.size() >= wanted;
    return {};
  };
  if (auto err = scan_index(read, range, prefix.size(),
                            streaming && query.descending, visit))
    return err;
  make_page(rows, query, streaming);
  return rows;
}

} // namespace troupe
