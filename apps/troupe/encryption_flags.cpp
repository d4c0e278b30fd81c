// Reading `troupe serve`'s key files into the store's keyring; a bad key
// file stops the start with exit 2 before anything is opened.
#include "apps/troupe/encryption_flags.hpp"

#include <algorithm>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "apps/troupe/exit_codes.hpp"
#include "troupe/security/payload_cipher.hpp"

namespace troupe::cli {

namespace {

// How errors name a setting: its flag, or its key in the config file.
std::string field_of(const serve_options& o, const std::string& key,
                     const std::string& flag) {
  if (o.given.count(key) > 0 || o.config_file.empty())
    return flag;
  return "--config: " + o.config_file + ": \"" + key + "\"";
}

payload_key read_key(const std::string& path, const std::string& field) {
  auto key = read_payload_key(path, field);
  if (!key)
    throw usage_error(key.error());
  return *key;
}

} // namespace

void add_encryption_flags(CLI::App* sub, serve_options& o) {
  sub->add_option("--encryption-key", o.encryption_key,
                  "key FILE (32 bytes or 64 hex digits, mode 0600): store "
                  "payloads and results encrypted (AES-256-GCM)")
      ->each([&o](const std::string&) { o.given.insert("encryption_key"); });
  sub->add_option("--old-encryption-key", o.old_encryption_keys,
                  "an older key FILE that still opens what it sealed (repeat)")
      ->each(
          [&o](const std::string&) { o.given.insert("old_encryption_keys"); });
}

bool apply_encryption_config(serve_options& o, const std::string& key,
                             const nlohmann::json& value,
                             const std::string& field) {
  if (key == "encryption_key") {
    if (!value.is_string())
      throw usage_error(field + " must be a string (the key file's path)");
    if (o.given.count(key) == 0)
      o.encryption_key = value.get<std::string>();
    return true;
  }
  if (key != "old_encryption_keys")
    return false;
  auto is_text = [](const nlohmann::json& x) { return x.is_string(); };
  if (!value.is_array() || !std::all_of(value.begin(), value.end(), is_text))
    throw usage_error(field + " must be an array of key files' paths");
  if (o.given.count(key) == 0)
    o.old_encryption_keys = value.get<std::vector<std::string>>();
  return true;
}

std::shared_ptr<const payload_keyring> read_keyring(const serve_options& o) {
  auto old_field = field_of(o, "old_encryption_keys", "--old-encryption-key");
  if (o.encryption_key.empty()) {
    if (!o.old_encryption_keys.empty())
      throw usage_error(old_field + ": needs --encryption-key FILE, the key "
                                    "that seals new values");
    return nullptr;
  }
  auto current = read_key(o.encryption_key,
                          field_of(o, "encryption_key", "--encryption-key"));
  std::vector<payload_key> older;
  for (const auto& path : o.old_encryption_keys)
    older.push_back(read_key(path, old_field));
  return std::make_shared<payload_keyring>(std::move(current),
                                           std::move(older));
}

} // namespace troupe::cli
