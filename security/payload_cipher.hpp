// Encryption at rest of what submitters and handlers wrote (payloads,
// results): AES-256-GCM keys, their files and ids, and sealed values.
// OpenSSL's EVP API only; knows nothing of the store or of CAF.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace troupe {

/// The outcome of a cipher operation: a value, or why there is none, in
/// words naming the field and the rule.
template <class T>
class cipher_result {
public:
  /// A success holding `value`.
  cipher_result(T value) : value_(std::move(value)) {} // NOLINT

  /// A failure saying `why`.
  static cipher_result failure(std::string why) {
    cipher_result out;
    out.error_ = std::move(why);
    return out;
  }

  /// True on success.
  explicit operator bool() const { return value_.has_value(); }

  /// The value of a success.
  T& operator*() { return *value_; }
  const T& operator*() const { return *value_; }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }

  /// Why a failure failed ("" on success).
  const std::string& error() const { return error_; }

private:
  cipher_result() = default;

  std::optional<T> value_;
  std::string error_;
};

/// Bytes of an AES-256 key.
constexpr size_t payload_key_size = 32;

/// Bytes of a key id: the first 8 bytes of the key's SHA-256.
constexpr size_t payload_key_id_size = 8;

/// One AES-256-GCM key and its id.
struct payload_key {
  /// The key itself.
  std::array<uint8_t, payload_key_size> bytes{};
  /// The first 8 bytes of SHA-256 of `bytes`, as 16 lowercase hex digits:
  /// what sealed values carry and what messages name.
  std::string id;

  /// Wipes the key from memory.
  ~payload_key();

  payload_key() = default;
  payload_key(const payload_key&) = default;
  payload_key& operator=(const payload_key&) = default;
};

/// Parses the contents of a key file: exactly 32 raw bytes, or 64 hex
/// digits with an optional trailing newline. Failures start with `what`
/// (e.g. "encryption-key: key file 'k'") and state the rule.
cipher_result<payload_key> parse_payload_key(std::string_view text,
                                             const std::string& what);

/// Reads the key file at `path`, which must be a regular file readable by
/// its owner only (mode 0600 or stricter), holding what `parse_payload_key`
/// accepts. Failures name `field` (e.g. "encryption-key") and the rule.
cipher_result<payload_key> read_payload_key(const std::string& path,
                                            const std::string& field);

/// True if `value` starts like a sealed value (a JSON text never does: its
/// first byte, 0xff, is not even valid UTF-8).
bool is_sealed(std::string_view value);

/// The key id (hex) that sealed value `value` names; "" if it is too short
/// to name one.
std::string sealed_key_id(std::string_view value);

/// The keys of a node: the current one seals every new value, and every one
/// (current and older) opens values sealed with it, which lets keys rotate.
class payload_keyring {
public:
  /// A keyring sealing with `current` and also opening with `older`.
  explicit payload_keyring(payload_key current,
                           std::vector<payload_key> older = {});

  /// The id of the key that seals.
  const std::string& current_id() const { return keys_.front().id; }

  /// The ids of every key, the current one first.
  std::vector<std::string> ids() const;

  /// True if the keyring holds the key with id `id`.
  bool has(const std::string& id) const;

  /// Seals `plain` with the current key and a random nonce. `context` (for
  /// example "payload", a NUL and the job id) is authenticated but not
  /// stored: opening needs the same one, so a value moved to another field
  /// or job fails to open.
  cipher_result<std::string> seal(std::string_view plain,
                                  std::string_view context) const;

  /// Opens a value sealed by `seal` with the same `context`. Fails naming
  /// the key id if the keyring lacks that key, and if the value is
  /// truncated, of an unknown format or does not authenticate.
  cipher_result<std::string> open(std::string_view sealed,
                                  std::string_view context) const;

private:
  const payload_key* find(const std::string& id) const;

  // The current key first.
  std::vector<payload_key> keys_;
};

} // namespace troupe
