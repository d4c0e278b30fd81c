// The jobs the scheduler holds. A job no attempt runs and no change waits on
// is parked: kept as its compact encoding (a fifth of the full record for a
// small job) and unpacked when it is next needed. A large backlog of queued
// jobs then costs little memory, and an active job costs nothing more.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

#include "troupe/messages/compact_id.hpp"
#include "troupe/messages/job_record.hpp"

namespace troupe {

class job_table {
public:
  /// The job `id`, unpacked if it was parked; null if it is not held.
  job_record* find(const std::string& id);

  /// Whether job `id` is held.
  bool contains(const std::string& id) const {
    return jobs_.count(compact_id::borrowed(id)) > 0;
  }

  /// The status of job `id` without unpacking it, if held.
  std::optional<job_status> status(const std::string& id) const;

  /// Holds `x` under its id, replacing a job held there, and returns it.
  job_record& put(job_record x);

  /// Lets go of job `id` and returns its record (empty if not held).
  std::optional<job_record> take(const std::string& id);

  /// Packs job `id` until it is next found (running jobs stay unpacked).
  void park(const std::string& id);

  /// The fence of job `id`'s last dispatch (0: none).
  uint64_t fence(const std::string& id) const;

  /// Sets the fence of held job `id`.
  void set_fence(const std::string& id, uint64_t fence);

  /// Calls `f` with every unpacked job (every running job is one).
  template <class F>
  void for_each_unpacked(F f) {
    for (auto& [id, held] : jobs_)
      if (auto* x = held.record())
        f(*x);
  }

  size_t size() const { return jobs_.size(); }

private:
  /// One job in 16 bytes: its fence, and the one pointer it owns, told
  /// apart by its lowest bit (allocations are aligned, so it is free): to
  /// its record while unpacked, else to a buffer of exactly the size it
  /// needs (a string would keep the slack of its growth) with the job's
  /// status, the size of its encoding, and the encoding without the id.
  class held_job {
  public:
    held_job() = default;
    held_job(const held_job&) = delete;
    held_job& operator=(const held_job&) = delete;
    held_job(held_job&& other) noexcept
        : fence(other.fence), bits_(std::exchange(other.bits_, 0)) {}
    held_job& operator=(held_job&& other) noexcept {
      if (this != &other) {
        release();
        fence = other.fence;
        bits_ = std::exchange(other.bits_, 0);
      }
      return *this;
    }
    ~held_job() { release(); }

    /// The record; null while parked.
    job_record* record() const {
      return parked() ? nullptr : reinterpret_cast<job_record*>(bits_);
    }
    /// The parked buffer; null while unpacked.
    const char* packed() const {
      return parked() ? reinterpret_cast<const char*>(bits_ & ~parked_bit)
                      : nullptr;
    }
    void hold(std::unique_ptr<job_record> x) {
      release();
      bits_ = reinterpret_cast<uintptr_t>(x.release());
    }
    void hold(std::unique_ptr<char[]> packed) {
      release();
      bits_ = reinterpret_cast<uintptr_t>(packed.release()) | parked_bit;
    }

    uint64_t fence = 0;

  private:
    static constexpr uintptr_t parked_bit = 1;
    bool parked() const { return (bits_ & parked_bit) != 0; }
    void release() {
      if (parked())
        delete[] reinterpret_cast<char*>(bits_ & ~parked_bit);
      else
        delete reinterpret_cast<job_record*>(bits_);
      bits_ = 0;
    }
    uintptr_t bits_ = 0;
  };
  static_assert(sizeof(held_job) == 16, "a held job is a pointer and a fence");

  /// The record of job `id`, unpacked first if `held` is parked.
  static job_record& unpacked(const compact_id& id, held_job& held);

  std::unordered_map<compact_id, held_job, compact_id_hash> jobs_;
};

} // namespace troupe
