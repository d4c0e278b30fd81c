// Header by header: payloads are skipped by count, headers are read whole,
// and each announced size is checked before anyone allocates it.
#include "troupe/actors/cluster/basp_framing.hpp"

#include <algorithm>
#include <cstring>

namespace troupe::detail {

namespace {

/// caf::io::basp::message_type::client_handshake.
constexpr unsigned char client_handshake = 0x01;

/// caf::io::basp::message_type::routed_message: names its own source node,
/// so a peer could pass a message off as one of this node's own actors.
/// troupe's peers always connect directly and never route.
constexpr unsigned char routed_message = 0x03;

/// The last operation BASP defines (heartbeat).
constexpr unsigned char last_operation = 0x06;

/// Offset of the big-endian payload length in a header.
constexpr size_t payload_len_offset = 4;

} // namespace

std::string basp_framing::check_header() const {
  uint32_t announced = 0;
  for (size_t i = 0; i < 4; ++i)
    announced = (announced << 8) | header_[payload_len_offset + i];
  if (first_ && header_[0] != client_handshake)
    return "the first message is not a BASP client handshake";
  if (header_[0] == routed_message)
    return "a routed message (it could claim any sender)";
  if (header_[0] > last_operation)
    return "an unknown BASP operation";
  auto limit = first_ ? limits_.max_handshake_bytes : limits_.max_message_bytes;
  if (announced > limit)
    return std::string{first_ ? "the handshake" : "a message"} + " announces " +
           std::to_string(announced) + " bytes, more than the limit of " +
           std::to_string(limit);
  return {};
}

std::string basp_framing::feed(const char* data, size_t size) {
  while (size > 0) {
    if (payload_left_ > 0) {
      auto skip = static_cast<size_t>(std::min<uint64_t>(payload_left_, size));
      payload_left_ -= skip;
      data += skip;
      size -= skip;
      continue;
    }
    auto take = std::min(size, header_size - header_have_);
    std::memcpy(header_.data() + header_have_, data, take);
    header_have_ += take;
    data += take;
    size -= take;
    if (header_have_ < header_size)
      break;
    if (auto why = check_header(); !why.empty())
      return why;
    for (size_t i = 0; i < 4; ++i)
      payload_left_ = (payload_left_ << 8) | header_[payload_len_offset + i];
    header_have_ = 0;
    first_ = false;
  }
  return {};
}

} // namespace troupe::detail
