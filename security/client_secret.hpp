// The secret of loopback clients: a coordinator or bare node writes a random
// secret that only its own user can read, and a pointer to it that clients
// of the same user find by the server's address. Other local users can read
// neither, so they cannot act at all.
#pragma once

#include <cstdint>
#include <string>

namespace troupe {

/// Writes `secret` to `path` (mode 0600, replacing an older one) and the
/// pointer for `host:port` (see `secret_locator`). Throws
/// std::runtime_error naming the file and the reason.
void write_client_secret(const std::string& path, const std::string& secret,
                         const std::string& host, uint16_t port);

/// Removes the pointer for `host:port` if it points at `path`.
void forget_client_secret(const std::string& path, const std::string& host,
                          uint16_t port);

/// Where a server at `host:port` leaves the pointer to its secret for
/// clients of the same user: `~/.troupe/servers/HOST_PORT` (the folders mode
/// 0700).
std::string secret_locator(const std::string& host, uint16_t port);

/// Where a node without a data directory keeps its secret: beside its
/// pointer, `~/.troupe/servers/HOST_PORT.secret`.
std::string default_secret_file(const std::string& host, uint16_t port);

/// Reads the secret of the server at `host:port`: from `path` if given,
/// else from the file its pointer names. Throws std::runtime_error saying
/// what is missing and how to fix it.
std::string read_client_secret(const std::string& path, const std::string& host,
                               uint16_t port);

/// The name of the user this process runs as (the principal of a secret).
std::string current_user_name();

} // namespace troupe
