// The acknowledgement ledger: a small file beside the RocksDB files holding
// the highest sequence number of an acknowledged job write, so that a start
// can tell a write-ahead log that lost acknowledged writes from a whole one.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "caf/expected.hpp"

namespace troupe {

/// The file `TROUPE-ACKED` in a data directory: 8 bytes "TROUPEAK", then the
/// sequence number as `u64` little-endian. Overwritten in place after each
/// acknowledged write, never synced: it is a lower bound of what was
/// acknowledged, so a crash can make it lag behind but never run ahead.
class ack_ledger {
public:
  ack_ledger() = default;
  ~ack_ledger();

  ack_ledger(const ack_ledger&) = delete;
  ack_ledger& operator=(const ack_ledger&) = delete;

  /// Opens the ledger of the store in `dir`. Returns the sequence number it
  /// holds, or `nullopt` if there is none yet (`record` creates it).
  caf::expected<std::optional<uint64_t>> open(const std::string& dir);

  /// Records that every write up to `sequence` was acknowledged.
  caf::error record(uint64_t sequence);

private:
  std::string path_;
  int fd_ = -1;
};

} // namespace troupe
