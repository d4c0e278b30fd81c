// The payload cipher on its own: key files and their rules, key ids, and
// sealed values that open only with their key and their context.
#include <sys/stat.h>

#include <fstream>
#include <string>

#include <catch2/catch.hpp>

#include "tests/temp_dir.hpp"
#include "troupe/security/payload_cipher.hpp"

using namespace troupe;
using namespace troupe::test;
using namespace std::string_literals;

namespace {

const std::string key_a_hex =
    "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
const std::string key_b_hex =
    "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100";

payload_key key_of(const std::string& hex) {
  auto key = parse_payload_key(hex, "test key");
  INFO(key.error());
  REQUIRE(key);
  return *key;
}

// Writes `contents` to `dir/name` with `mode`; returns its path.
std::string key_file(const temp_dir& dir, const std::string& name,
                     const std::string& contents, mode_t mode) {
  auto path = (dir.path / name).string();
  std::ofstream{path, std::ios::binary} << contents;
  REQUIRE(::chmod(path.c_str(), mode) == 0);
  return path;
}

} // namespace

TEST_CASE("a key id is the first 8 bytes of the key's SHA-256, in hex",
          "[cipher]") {
  // SHA-256 of 32 zero bytes starts 66687aadf862bd77.
  auto zero = parse_payload_key(std::string(32, '\0'), "k");
  REQUIRE(zero);
  CHECK(zero->id == "66687aadf862bd77");
  // The same key as 64 hex digits, with or without a newline.
  auto hex = parse_payload_key(std::string(64, '0') + "\n", "k");
  REQUIRE(hex);
  CHECK(hex->id == zero->id);
  CHECK(hex->bytes == zero->bytes);
  CHECK(key_of(key_a_hex).id != key_of(key_b_hex).id);
}

TEST_CASE("a key of the wrong length or with non-hex digits is refused, "
          "naming the field and the rule",
          "[cipher]") {
  for (const auto& text :
       {std::string(31, 'x'), std::string(33, 'x'), std::string(63, 'a'),
        std::string(65, 'a'), key_a_hex + "\n\n", std::string{}}) {
    auto key = parse_payload_key(text, "encryption-key: key file 'k'");
    CHECK_FALSE(key);
    CHECK_THAT(key.error(),
               Catch::Contains("encryption-key: key file 'k'") &&
                   Catch::Contains("32 raw bytes or 64 hex") &&
                   Catch::Contains("holds " + std::to_string(text.size())));
  }
  auto bad = parse_payload_key(std::string(63, 'a') + "g", "encryption-key");
  CHECK_FALSE(bad);
  CHECK_THAT(bad.error(), Catch::Contains("not all hex digits"));
}

TEST_CASE("a key file must be a regular file readable by its owner only",
          "[cipher]") {
  temp_dir dir;
  auto good = key_file(dir, "good", key_a_hex + "\n", 0600);
  auto key = read_payload_key(good, "encryption-key");
  REQUIRE(key);
  CHECK(key->id == key_of(key_a_hex).id);
  CHECK(read_payload_key(key_file(dir, "ro", key_a_hex, 0400), "x"));
  auto open_to_all = key_file(dir, "open", key_a_hex, 0644);
  auto refused = read_payload_key(open_to_all, "encryption-key");
  CHECK_FALSE(refused);
  CHECK_THAT(refused.error(), Catch::Contains("encryption-key") &&
                                  Catch::Contains("mode 0644") &&
                                  Catch::Contains("0600 or stricter"));
  auto group = read_payload_key(key_file(dir, "g", key_a_hex, 0640), "k");
  CHECK_THAT(group.error(), Catch::Contains("mode 0640"));
  auto missing = read_payload_key((dir.path / "none").string(), "k");
  CHECK_THAT(missing.error(), Catch::Contains("cannot be read"));
  auto directory = read_payload_key(dir.path.string(), "k");
  CHECK_THAT(directory.error(), Catch::Contains("not a regular file"));
  auto short_key = read_payload_key(key_file(dir, "s", "abc", 0600), "k");
  CHECK_THAT(short_key.error(), Catch::Contains("holds 3 bytes"));
}

TEST_CASE("a sealed value hides its text and opens to it with the same "
          "context",
          "[cipher]") {
  payload_keyring keys{key_of(key_a_hex)};
  std::string plain = R"({"secret":"tangerine-7781"})";
  auto sealed = keys.seal(plain, "payload\0job-1"s);
  REQUIRE(sealed);
  CHECK(is_sealed(*sealed));
  CHECK_FALSE(is_sealed(plain));
  CHECK(sealed_key_id(*sealed) == keys.current_id());
  CHECK(sealed->find("tangerine") == std::string::npos);
  CHECK(sealed->size() == plain.size() + 41);
  auto again = keys.seal(plain, "payload\0job-1"s);
  REQUIRE(again);
  CHECK(*again != *sealed); // A fresh nonce every time.
  auto opened = keys.open(*sealed, "payload\0job-1"s);
  REQUIRE(opened);
  CHECK(*opened == plain);
  auto empty = keys.seal("", "ctx");
  REQUIRE(empty);
  CHECK(*keys.open(*empty, "ctx") == "");
}

TEST_CASE("a sealed value does not open in another context, damaged or "
          "truncated",
          "[cipher]") {
  payload_keyring keys{key_of(key_a_hex)};
  auto sealed = *keys.seal("{\"n\":1}", "payload\0job-1"s);
  auto moved = keys.open(sealed, "payload\0job-2"s);
  CHECK_FALSE(moved);
  CHECK_THAT(moved.error(), Catch::Contains("does not authenticate") &&
                                Catch::Contains(keys.current_id()));
  CHECK_FALSE(keys.open(sealed, "result\0job-1"s));
  for (size_t i = 4; i < sealed.size(); ++i) {
    auto damaged = sealed;
    damaged[i] = static_cast<char>(damaged[i] ^ 0x01);
    CHECK_FALSE(keys.open(damaged, "payload\0job-1"s));
  }
  auto truncated = keys.open(sealed.substr(0, 30), "payload\0job-1"s);
  CHECK_THAT(truncated.error(), Catch::Contains("truncated"));
  auto version = sealed;
  version[4] = 9;
  CHECK_THAT(keys.open(version, "payload\0job-1"s).error(),
             Catch::Contains("format version 9"));
  CHECK_THAT(keys.open("{}", "x").error(), Catch::Contains("not a sealed"));
}

TEST_CASE("a keyring seals with its current key and opens with older ones, "
          "and names a key it lacks",
          "[cipher]") {
  payload_keyring old_ring{key_of(key_a_hex)};
  auto by_a = *old_ring.seal("old", "ctx");
  payload_keyring rotated{key_of(key_b_hex), {key_of(key_a_hex)}};
  CHECK(rotated.current_id() == key_of(key_b_hex).id);
  CHECK(rotated.ids().size() == 2);
  CHECK(*rotated.open(by_a, "ctx") == "old");
  auto by_b = *rotated.seal("new", "ctx");
  CHECK(sealed_key_id(by_b) == key_of(key_b_hex).id);
  auto lacking = old_ring.open(by_b, "ctx");
  CHECK_FALSE(lacking);
  CHECK_THAT(lacking.error(),
             Catch::Contains("sealed with key " + key_of(key_b_hex).id) &&
                 Catch::Contains("was not given") &&
                 Catch::Contains("--old-encryption-key"));
  // The current key given again as an old one is kept once.
  payload_keyring twice{key_of(key_a_hex), {key_of(key_a_hex)}};
  CHECK(twice.ids().size() == 1);
}
