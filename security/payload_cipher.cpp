// AES-256-GCM sealing through OpenSSL's EVP API, key files and key ids. A
// sealed value: magic "\xffTSV", format version, key id (8 bytes), nonce
// (12 random bytes), ciphertext, tag (16 bytes); see docs/storage.md.
#include "troupe/security/payload_cipher.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <memory>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

namespace troupe {

namespace {

constexpr std::string_view sealed_magic{"\xffTSV", 4};
constexpr uint8_t sealed_format_version = 1;
constexpr size_t nonce_size = 12;
constexpr size_t tag_size = 16;
// Magic, version and key id: authenticated with the context.
constexpr size_t header_size = sealed_magic.size() + 1 + payload_key_id_size;
constexpr size_t sealed_overhead = header_size + nonce_size + tag_size;

using cipher_context =
    std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

cipher_context new_context() {
  return cipher_context{EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free};
}

const uint8_t* bytes_of(std::string_view x) {
  return reinterpret_cast<const uint8_t*>(x.data());
}

std::string to_hex(const uint8_t* data, size_t size) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < size; ++i) {
    out.push_back(digits[data[i] >> 4]);
    out.push_back(digits[data[i] & 0xf]);
  }
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

// Decodes `text` (2 * `size` hex digits) into `out`; false on a non-digit.
bool from_hex(std::string_view text, uint8_t* out, size_t size) {
  for (size_t i = 0; i < size; ++i) {
    auto high = hex_value(text[2 * i]);
    auto low = hex_value(text[2 * i + 1]);
    if (high < 0 || low < 0)
      return false;
    out[i] = static_cast<uint8_t>(high * 16 + low);
  }
  return true;
}

std::string key_id_of(const std::array<uint8_t, payload_key_size>& key) {
  uint8_t digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(key.data(), key.size(), digest, &size, EVP_sha256(),
                 nullptr) != 1)
    return {};
  return to_hex(digest, payload_key_id_size);
}

// Feeds the header of a sealed value and `context` as authenticated data.
bool add_context(EVP_CIPHER_CTX* ctx, std::string_view header,
                 std::string_view context) {
  int unused = 0;
  return EVP_CipherUpdate(ctx, nullptr, &unused, bytes_of(header),
                          static_cast<int>(header.size())) == 1 &&
         EVP_CipherUpdate(ctx, nullptr, &unused, bytes_of(context),
                          static_cast<int>(context.size())) == 1;
}

} // namespace

// -- keys ---------------------------------------------------------------------

payload_key::~payload_key() {
  OPENSSL_cleanse(bytes.data(), bytes.size());
}

cipher_result<payload_key> parse_payload_key(std::string_view text,
                                             const std::string& what) {
  payload_key key;
  auto rule = what + " must hold exactly 32 raw bytes or 64 hex digits (with "
                     "an optional trailing newline), ";
  if (text.size() == payload_key_size) {
    std::memcpy(key.bytes.data(), text.data(), payload_key_size);
  } else if (text.size() == 2 * payload_key_size ||
             (text.size() == 2 * payload_key_size + 1 && text.back() == '\n')) {
    if (!from_hex(text, key.bytes.data(), payload_key_size))
      return cipher_result<payload_key>::failure(
          rule + "but its 64 characters are not all hex digits");
  } else {
    return cipher_result<payload_key>::failure(
        rule + "but it holds " + std::to_string(text.size()) + " bytes");
  }
  key.id = key_id_of(key.bytes);
  if (key.id.empty())
    return cipher_result<payload_key>::failure(
        what + ": SHA-256 of the key failed in OpenSSL");
  return key;
}

cipher_result<payload_key> read_payload_key(const std::string& path,
                                            const std::string& field) {
  using result = cipher_result<payload_key>;
  auto what = field + ": key file '" + path + "'";
  if (path.empty())
    return result::failure(field + ": must name a key file, got \"\"");
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return result::failure(what + " cannot be read: " + std::strerror(errno));
  // The checks are made on the file that was opened, not on its name.
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return result::failure(what + " is not a regular file");
  }
  if ((st.st_mode & 077) != 0) {
    ::close(fd);
    char mode[8];
    std::snprintf(mode, sizeof(mode), "%04o",
                  static_cast<unsigned>(st.st_mode & 07777));
    return result::failure(what + " has mode " + mode +
                           ", readable by group or others: it must be 0600 "
                           "or stricter (chmod 600 " +
                           path + ")");
  }
  // One byte more than the longest key file, to tell "too long" apart.
  std::array<char, 2 * payload_key_size + 2> buffer{};
  size_t size = 0;
  ssize_t got = 0;
  while (size < buffer.size() &&
         (got = ::read(fd, buffer.data() + size, buffer.size() - size)) > 0)
    size += static_cast<size_t>(got);
  auto read_errno = errno;
  ::close(fd);
  if (got < 0)
    return result::failure(what +
                           " cannot be read: " + std::strerror(read_errno));
  auto key = parse_payload_key({buffer.data(), size}, what);
  OPENSSL_cleanse(buffer.data(), buffer.size());
  return key;
}

// -- sealed values ------------------------------------------------------------

bool is_sealed(std::string_view value) {
  return value.substr(0, sealed_magic.size()) == sealed_magic;
}

std::string sealed_key_id(std::string_view value) {
  if (value.size() < header_size || !is_sealed(value))
    return {};
  return to_hex(bytes_of(value) + header_size - payload_key_id_size,
                payload_key_id_size);
}

// -- keyring ------------------------------------------------------------------

payload_keyring::payload_keyring(payload_key current,
                                 std::vector<payload_key> older) {
  keys_.push_back(std::move(current));
  for (auto& key : older)
    if (!has(key.id))
      keys_.push_back(std::move(key));
}

std::vector<std::string> payload_keyring::ids() const {
  std::vector<std::string> out;
  for (const auto& key : keys_)
    out.push_back(key.id);
  return out;
}

bool payload_keyring::has(const std::string& id) const {
  return find(id) != nullptr;
}

const payload_key* payload_keyring::find(const std::string& id) const {
  for (const auto& key : keys_)
    if (key.id == id)
      return &key;
  return nullptr;
}

cipher_result<std::string>
payload_keyring::seal(std::string_view plain, std::string_view context) const {
  using result = cipher_result<std::string>;
  if (plain.size() > INT_MAX - sealed_overhead || context.size() > INT_MAX)
    return result::failure("a value of " + std::to_string(plain.size()) +
                           " bytes is too large to seal");
  const auto& key = keys_.front();
  std::string out{sealed_magic};
  out.push_back(static_cast<char>(sealed_format_version));
  out.resize(sealed_overhead + plain.size());
  auto* raw = reinterpret_cast<uint8_t*>(out.data());
  from_hex(key.id, raw + sealed_magic.size() + 1, payload_key_id_size);
  auto* nonce = raw + header_size;
  auto* cipher = nonce + nonce_size;
  auto* tag = cipher + plain.size();
  auto ctx = new_context();
  int size = 0;
  bool ok =
      ctx && RAND_bytes(nonce, nonce_size) == 1 &&
      EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr,
                         key.bytes.data(), nonce) == 1 &&
      add_context(ctx.get(), {out.data(), header_size}, context) &&
      EVP_EncryptUpdate(ctx.get(), cipher, &size, bytes_of(plain),
                        static_cast<int>(plain.size())) == 1 &&
      EVP_EncryptFinal_ex(ctx.get(), cipher + size, &size) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, tag_size, tag) == 1;
  if (!ok)
    return result::failure("sealing a value with key " + key.id +
                           " failed in OpenSSL");
  return out;
}

cipher_result<std::string>
payload_keyring::open(std::string_view sealed, std::string_view context) const {
  using result = cipher_result<std::string>;
  if (!is_sealed(sealed))
    return result::failure("is not a sealed value");
  if (sealed.size() < sealed_overhead)
    return result::failure(
        "sealed value is truncated: " + std::to_string(sealed.size()) +
        " bytes, where a sealed value has at least " +
        std::to_string(sealed_overhead));
  auto version = static_cast<uint8_t>(sealed[sealed_magic.size()]);
  if (version != sealed_format_version)
    return result::failure("sealed value has format version " +
                           std::to_string(version) + ", expected " +
                           std::to_string(sealed_format_version));
  auto id = sealed_key_id(sealed);
  const auto* key = find(id);
  if (key == nullptr)
    return result::failure("sealed with key " + id +
                           ", which this node was not given: pass that key "
                           "with --old-encryption-key FILE");
  auto* nonce = bytes_of(sealed) + header_size;
  auto* cipher = nonce + nonce_size;
  auto cipher_size = sealed.size() - sealed_overhead;
  // The tag is only read, but EVP's interface takes it unqualified.
  std::array<uint8_t, tag_size> tag;
  std::memcpy(tag.data(), cipher + cipher_size, tag_size);
  std::string out(cipher_size, '\0');
  auto* plain = reinterpret_cast<uint8_t*>(out.data());
  auto ctx = new_context();
  int size = 0;
  bool ok = ctx &&
            EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr,
                               key->bytes.data(), nonce) == 1 &&
            add_context(ctx.get(), sealed.substr(0, header_size), context) &&
            EVP_DecryptUpdate(ctx.get(), plain, &size, cipher,
                              static_cast<int>(cipher_size)) == 1 &&
            EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, tag_size,
                                tag.data()) == 1 &&
            EVP_DecryptFinal_ex(ctx.get(), plain + size, &size) == 1;
  if (!ok) {
    OPENSSL_cleanse(out.data(), out.size());
    return result::failure("sealed value (key " + id +
                           ") does not authenticate: it is damaged, or was "
                           "moved from another field or job");
  }
  return out;
}

} // namespace troupe
