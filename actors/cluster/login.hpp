// The caller's side of a session: what a client, executor node or
// coordinator holds to prove itself, and logging in with it.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "caf/expected.hpp"
#include "caf/fwd.hpp"
#include "caf/io/middleman_actor.hpp"

#include "troupe/messages/interfaces.hpp"
#include "troupe/security/security_options.hpp"

namespace troupe {

/// What a caller holds to prove itself: the server's secret (loopback
/// without TLS), or a certificate of the cluster's CA and its key.
struct login_material {
  std::string secret;
  /// PEM.
  std::string certificate;
  /// PEM.
  std::string key;
};

/// With TLS files, their certificate and key; otherwise the secret of the
/// server at `host:port`, read from `secret_file` or found through its
/// pointer. Fails with errc::forbidden saying what is missing.
caf::expected<login_material>
load_login_material(const tls_files& tls, const std::string& secret_file,
                    const std::string& host, uint16_t port);

/// The credentials answering `challenge` (a secret needs none).
credentials answer_challenge(const login_material& material,
                             const std::string& challenge);

/// The credentials with which a coordinator spawns into the bare node
/// `node_id`: a challenge naming that node and the time, signed (TLS) or
/// the bare node's own secret.
credentials spawn_credentials(const login_material& material,
                              const std::string& node_id);

/// Whether `creds` allow a spawn into this bare node (`node_id`): its own
/// secret, or a fresh challenge naming it signed by an admin of the CA in
/// `ca_pem`. Returns an error saying why not.
caf::error check_spawn_credentials(const credentials& creds,
                                   const std::string& secret,
                                   const std::string& ca_pem,
                                   const std::string& node_id);

/// Loads CAF's OpenSSL module into `cfg` with `tls`'s files when TLS is on
/// (after the middleman): every connection this process opens is then
/// mutual TLS. Does nothing without TLS.
void load_tls(caf::actor_system_config& cfg, const tls_files& tls);

/// The middleman actor that opens this process's connections: the OpenSSL
/// module's when it is loaded, so they are TLS; CAF's plain one otherwise.
caf::io::middleman_actor connector(caf::actor_system& sys);

/// A session with a remote coordinator: its gateway, the grant and the
/// actor that holds the session. The session ends when this is destroyed,
/// which must happen before its actor system goes away (the system waits for
/// the holder).
struct remote_coordinator {
  gateway_actor gateway;
  session_grant session;
  caf::actor holder;

  remote_coordinator() = default;
  remote_coordinator(gateway_actor g, session_grant s, caf::actor h)
      : gateway(std::move(g)), session(std::move(s)), holder(std::move(h)) {
    // nop
  }
  remote_coordinator(remote_coordinator&& other) noexcept = default;
  remote_coordinator& operator=(remote_coordinator&& other) noexcept;
  remote_coordinator(const remote_coordinator&) = delete;
  remote_coordinator& operator=(const remote_coordinator&) = delete;
  ~remote_coordinator();
};

/// Connects to the gateway at `host:port` (with TLS when `sys` has CAF's
/// OpenSSL module loaded) and logs in with `material`. Fails with CAF's
/// error when nothing answers there, or errc::forbidden when the login is
/// refused.
caf::expected<remote_coordinator> connect_coordinator(
    caf::actor_system& sys, const std::string& host, uint16_t port,
    const login_material& material,
    std::chrono::milliseconds timeout = std::chrono::seconds(5));

/// Ends the session of `x` (stops its holder).
void end_session(remote_coordinator& x);

} // namespace troupe
