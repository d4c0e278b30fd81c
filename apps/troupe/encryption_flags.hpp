// `troupe serve`'s settings of encryption at rest: the key files of the
// flags --encryption-key and --old-encryption-key and of the config file.
#pragma once

#include <memory>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "apps/troupe/commands.hpp"

namespace troupe {
class payload_keyring;
} // namespace troupe

namespace CLI {
class App;
} // namespace CLI

namespace troupe::cli {

/// Adds --encryption-key and --old-encryption-key to `troupe serve`'s
/// `sub`; each notes in `o.given` that the flag was given.
void add_encryption_flags(CLI::App* sub, serve_options& o);

/// Takes config key `encryption_key` (a path) or `old_encryption_keys` (an
/// array of paths) unless a flag gave it; `field` names the key in errors.
/// Returns false for every other key.
bool apply_encryption_config(serve_options& o, const std::string& key,
                             const nlohmann::json& value,
                             const std::string& field);

/// Reads the key files of `o`: null when no key is given. Throws a usage
/// error naming the flag (or config key) and the rule for a bad key file.
std::shared_ptr<const payload_keyring> read_keyring(const serve_options& o);

} // namespace troupe::cli
