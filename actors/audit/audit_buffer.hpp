// The audit recorder's plain state: entries collected for the next append,
// stamped, cut to the store's field limit and bounded in number. No actors.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "troupe/messages/audit_entry.hpp"

namespace troupe {

/// Entries waiting for the next durable append.
class audit_buffer {
public:
  /// Most entries held at once; more are dropped, counted, and named by an
  /// "audit.dropped" entry in the next batch. Default: 10,000.
  static constexpr size_t default_capacity = 10'000;

  explicit audit_buffer(size_t capacity = default_capacity)
      : capacity_(capacity) {
    // nop
  }

  /// Adds `x`: stamped with `now_us` if its time is 0 or less, each text
  /// field cut to `max_audit_field_bytes` (ending in "..."). Returns false,
  /// and counts it, when the buffer is full.
  bool add(audit_entry x, int64_t now_us);

  /// Takes every entry held, oldest first, plus (at `now_us`) an entry
  /// naming how many were dropped since the last batch, if any were.
  std::vector<audit_entry> take(int64_t now_us);

  /// True if nothing is held and nothing was dropped.
  bool empty() const { return entries_.empty() && dropped_ == 0; }

  /// Entries held now.
  size_t size() const { return entries_.size(); }

private:
  size_t capacity_;
  std::vector<audit_entry> entries_;
  uint64_t dropped_ = 0;
};

/// Cuts `text` to at most `max_bytes` bytes (at least 3), ending in "..."
/// if cut and never splitting a UTF-8 sequence.
void cut_audit_field(std::string& text, size_t max_bytes);

} // namespace troupe
