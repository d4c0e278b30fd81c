// The BASP framing the port guard follows: sizes announced by headers are
// checked before anything is allocated for them, wherever reads split.
#include <catch2/catch.hpp>

#include "troupe/actors/cluster/basp_framing.hpp"

using troupe::detail::basp_framing;
using troupe::detail::basp_limits;

namespace {

std::string header(unsigned char operation, uint32_t payload_len) {
  std::string h(basp_framing::header_size, '\0');
  h[0] = static_cast<char>(operation);
  for (int i = 0; i < 4; ++i)
    h[4 + i] = static_cast<char>((payload_len >> (24 - 8 * i)) & 0xff);
  return h;
}

std::string feed(basp_framing& f, const std::string& bytes) {
  return f.feed(bytes.data(), bytes.size());
}

basp_limits small_limits() {
  basp_limits limits;
  limits.max_handshake_bytes = 100;
  limits.max_message_bytes = 1000;
  return limits;
}

} // namespace

TEST_CASE("a handshake within its limit and messages within theirs pass, "
          "split anywhere",
          "[basp]") {
  basp_framing f{small_limits()};
  auto stream = header(0x01, 100) + std::string(100, 'h') + header(0x02, 1000) +
                std::string(1000, 'm') + header(0x06, 0);
  for (size_t i = 0; i < stream.size(); i += 7)
    CHECK(f.feed(stream.data() + i, std::min<size_t>(7, stream.size() - i)) ==
          "");
}

TEST_CASE("a handshake announcing more than its limit is refused", "[basp]") {
  basp_framing f{small_limits()};
  CHECK(feed(f, header(0x01, 0xC0000000u)) ==
        "the handshake announces 3221225472 bytes, more than the limit of 100");
}

TEST_CASE("a first message that is not a client handshake is refused",
          "[basp]") {
  basp_framing f{small_limits()};
  CHECK(feed(f, header(0x02, 10)) ==
        "the first message is not a BASP client handshake");
}

TEST_CASE("a later message announcing more than the limit is refused, even "
          "split across reads",
          "[basp]") {
  basp_framing f{small_limits()};
  CHECK(feed(f, header(0x01, 4) + "abcd") == "");
  auto big = header(0x02, 1001);
  CHECK(feed(f, big.substr(0, 6)) == "");
  CHECK(feed(f, big.substr(6)) ==
        "a message announces 1001 bytes, more than the limit of 1000");
}
