// Parking uses the store's record encoding, checked by its own tests, with
// its runs of zero bytes squeezed (most of its fixed-width fields are small
// or zero): a parked job decodes to exactly the record that was parked.
#include "troupe/actors/scheduler/job_table.hpp"

#include <cstring>
#include <stdexcept>
#include <string_view>

#include "troupe/messages/errc.hpp"
#include "troupe/storage/record_codec.hpp"

namespace troupe {

namespace {

/// Passes `bytes` to `put` a byte at a time, each run of up to 255 zero
/// bytes as a zero byte and the length of the run.
template <class Put>
void squeeze_zeros(std::string_view bytes, Put put) {
  for (size_t i = 0; i < bytes.size();) {
    put(bytes[i]);
    if (bytes[i++] != 0)
      continue;
    size_t run = 1;
    while (i < bytes.size() && bytes[i] == 0 && run < 255) {
      ++run;
      ++i;
    }
    put(static_cast<char>(run));
  }
}

/// The bytes `squeeze_zeros` squeezed into `packed`.
std::string expand_zeros(std::string_view packed) {
  std::string out;
  out.reserve(packed.size() * 2);
  for (size_t i = 0; i < packed.size(); ++i) {
    if (packed[i] != 0) {
      out.push_back(packed[i]);
      continue;
    }
    auto run = i + 1 < packed.size() ? static_cast<uint8_t>(packed[++i]) : 0;
    out.append(run, '\0');
  }
  return out;
}

/// A parked job's buffer starts with its status and the size of the rest.
constexpr size_t packed_header = 1 + sizeof(uint32_t);

/// The squeezed encoding in parked buffer `packed`.
std::string_view packed_bytes(const char* packed) {
  uint32_t size = 0;
  std::memcpy(&size, packed + 1, sizeof size);
  return {packed + packed_header, size};
}

} // namespace

job_record* job_table::find(const std::string& id) {
  auto i = jobs_.find(compact_id::borrowed(id));
  return i == jobs_.end() ? nullptr : &unpacked(i->first, i->second);
}

job_record& job_table::unpacked(const compact_id& id, held_job& held) {
  if (const auto* packed = held.packed()) {
    auto x = decode_record(expand_zeros(packed_bytes(packed)));
    if (!x) // Encoded by `park` itself: a failure here is a defect.
      throw std::logic_error(
          "job " + id.str() +
          ": parked record does not decode: " + message_of(x.error()));
    x->id = id.str();
    held.hold(std::make_unique<job_record>(std::move(*x)));
  }
  return *held.record();
}

std::optional<job_status> job_table::status(const std::string& id) const {
  auto i = jobs_.find(compact_id::borrowed(id));
  if (i == jobs_.end())
    return std::nullopt;
  const auto& held = i->second;
  if (const auto* packed = held.packed())
    return static_cast<job_status>(packed[0]);
  return held.record()->status;
}

job_record& job_table::put(job_record x) {
  auto& held = jobs_[compact_id{x.id}];
  held.hold(std::make_unique<job_record>(std::move(x)));
  return *held.record();
}

std::optional<job_record> job_table::take(const std::string& id) {
  auto i = jobs_.find(compact_id::borrowed(id));
  if (i == jobs_.end())
    return std::nullopt;
  auto result = std::move(unpacked(i->first, i->second));
  jobs_.erase(i);
  return result;
}

void job_table::park(const std::string& id) {
  auto i = jobs_.find(compact_id::borrowed(id));
  if (i == jobs_.end())
    return;
  auto& held = i->second;
  auto* x = held.record();
  if (x == nullptr || x->status == job_status::running)
    return;
  x->id.clear(); // The key holds it.
  auto bytes = encode_record(*x);
  uint32_t size = 0;
  squeeze_zeros(bytes, [&size](char) { ++size; });
  auto packed = std::make_unique<char[]>(packed_header + size);
  packed[0] = static_cast<char>(x->status);
  std::memcpy(packed.get() + 1, &size, sizeof size);
  auto* out = packed.get() + packed_header;
  squeeze_zeros(bytes, [&out](char c) { *out++ = c; });
  held.hold(std::move(packed));
}

uint64_t job_table::fence(const std::string& id) const {
  auto i = jobs_.find(compact_id::borrowed(id));
  return i == jobs_.end() ? 0 : i->second.fence;
}

void job_table::set_fence(const std::string& id, uint64_t fence) {
  if (auto i = jobs_.find(compact_id::borrowed(id)); i != jobs_.end())
    i->second.fence = fence;
}

} // namespace troupe
