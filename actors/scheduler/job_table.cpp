// Parking uses the store's record encoding: compact, and checked by its own
// tests; a parked job decodes to exactly the record that was parked.
#include "troupe/actors/scheduler/job_table.hpp"

#include <stdexcept>

#include "troupe/messages/errc.hpp"
#include "troupe/storage/record_codec.hpp"

namespace troupe {

namespace {

/// Empties `x` and frees its buffer.
void release(std::string& x) {
  std::string{}.swap(x);
}

} // namespace

job_record* job_table::find(const std::string& id) {
  auto i = jobs_.find(id);
  if (i == jobs_.end())
    return nullptr;
  auto& held = i->second;
  if (!held.record) {
    auto x = decode_record(held.packed);
    if (!x) // Encoded by `park` itself: a failure here is a defect.
      throw std::logic_error("job " + id + ": parked record does not decode: " +
                             message_of(x.error()));
    held.record = std::make_unique<job_record>(std::move(*x));
    release(held.packed);
  }
  return held.record.get();
}

std::optional<job_status> job_table::status(const std::string& id) const {
  auto i = jobs_.find(id);
  if (i == jobs_.end())
    return std::nullopt;
  const auto& held = i->second;
  return held.record ? held.record->status : held.parked_status;
}

job_record& job_table::put(job_record x) {
  auto& held = jobs_[x.id];
  release(held.packed);
  held.record = std::make_unique<job_record>(std::move(x));
  return *held.record;
}

std::optional<job_record> job_table::take(const std::string& id) {
  auto* x = find(id);
  if (x == nullptr)
    return std::nullopt;
  auto result = std::move(*x);
  jobs_.erase(id);
  return result;
}

void job_table::park(const std::string& id) {
  auto i = jobs_.find(id);
  if (i == jobs_.end() || !i->second.record ||
      i->second.record->status == job_status::running)
    return;
  auto& held = i->second;
  held.packed = encode_record(*held.record);
  held.parked_status = held.record->status;
  held.record.reset();
}

uint64_t job_table::fence(const std::string& id) const {
  auto i = jobs_.find(id);
  return i == jobs_.end() ? 0 : i->second.fence;
}

void job_table::set_fence(const std::string& id, uint64_t fence) {
  if (auto i = jobs_.find(id); i != jobs_.end())
    i->second.fence = fence;
}

} // namespace troupe
