// The config file of the commands that run a node, and the keys serve,
// worker and node share: the TLS files, insecure_no_tls, acl and job_types.
#pragma once

#include <string>

#include <nlohmann/json_fwd.hpp>

#include "apps/troupe/commands.hpp"

namespace troupe::cli {

/// Reads the JSON object in `path` (given to --config); throws a usage error
/// naming the file when it cannot be read, is not JSON or not an object.
nlohmann::json read_config_file(const std::string& path);

/// Applies `key` of the config file `path` to `s` if it is one of the keys
/// `security_keys` lists; a flag given on the command line wins. Returns
/// false for any other key. Throws a usage error naming the key (for acl and
/// job_types the entry, `acl.alice`) and the rule. `listens`: the command
/// listens on a port (a worker does not, so insecure_no_tls is not its key).
bool apply_security_key(security_flags& s, const std::string& path,
                        const std::string& key, const nlohmann::json& value,
                        bool listens);

/// The keys `apply_security_key` takes, comma-separated, for messages.
std::string security_keys(bool listens);

/// Reads the --config file of `worker` or `node` (only the keys
/// `security_keys` lists) into `s`; nothing when `path` is empty.
void apply_node_config(security_flags& s, const std::string& path,
                       bool listens);

/// Checks `s` (the TLS files go together and can be read) and returns the
/// node's security options.
security_options to_security_options(const security_flags& s);

} // namespace troupe::cli
