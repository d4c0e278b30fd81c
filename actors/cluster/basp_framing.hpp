// The framing of BASP (CAF's wire protocol) as a guard in front of it sees
// it: 32-byte headers, each announcing the payload that follows. Pure: it
// only counts bytes and reads the announced sizes.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

namespace troupe::detail {

/// Bounds on what a peer may announce.
struct basp_limits {
  /// Largest payload of the first message, the peer's handshake.
  /// Default: 64 KiB.
  uint32_t max_handshake_bytes = 64 * 1024;
  /// Largest payload of any later message. Default: 64 MiB.
  uint32_t max_message_bytes = 64 * 1024 * 1024;
};

/// Follows one direction of a BASP connection, from its first byte.
class basp_framing {
public:
  /// Size of a BASP header (caf::io::basp::header_size).
  static constexpr size_t header_size = 32;

  explicit basp_framing(basp_limits limits) : limits_(limits) {
    // nop
  }

  /// Takes the next `size` bytes of the stream. Returns why the stream
  /// breaks the limits (the connection must then be dropped), or an empty
  /// string.
  std::string feed(const char* data, size_t size);

private:
  std::string check_header() const;

  basp_limits limits_;
  std::array<unsigned char, header_size> header_{};
  size_t header_have_ = 0;
  uint64_t payload_left_ = 0;
  bool first_ = true;
};

} // namespace troupe::detail
