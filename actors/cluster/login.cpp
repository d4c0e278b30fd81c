// Loading login material, answering challenges and logging in.
#include "troupe/actors/cluster/login.hpp"

#include <chrono>
#include <cstdlib>

#include "caf/actor_system_config.hpp"
#include "caf/event_based_actor.hpp"
#include "caf/io/middleman.hpp"
#include "caf/openssl/manager.hpp"
#include "caf/openssl/remote_actor.hpp"
#include "caf/scoped_actor.hpp"
#include "caf/send.hpp"

#include "troupe/messages/errc.hpp"
#include "troupe/security/client_secret.hpp"
#include "troupe/security/credentials.hpp"

namespace troupe {

namespace {

constexpr const char* spawn_prefix = "troupe-spawn-v1:";
/// How far a spawn challenge's time may be from the bare node's clock.
constexpr int64_t spawn_skew_s = 300;

int64_t unix_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

} // namespace

caf::expected<login_material>
load_login_material(const tls_files& tls, const std::string& secret_file,
                    const std::string& host, uint16_t port) {
  login_material material;
  try {
    if (tls.enabled()) {
      check_tls_files(tls);
      material.certificate = read_pem_file(tls.cert, "tls-cert");
      material.key = read_pem_file(tls.key, "tls-key");
    } else {
      material.secret = read_client_secret(secret_file, host, port);
    }
  } catch (const std::exception& err) {
    return make_error(errc::forbidden, err.what());
  }
  return material;
}

credentials answer_challenge(const login_material& material,
                             const std::string& challenge) {
  credentials creds;
  if (material.certificate.empty()) {
    creds.method = "secret";
    creds.secret = material.secret;
    return creds;
  }
  creds.method = "certificate";
  creds.certificate = material.certificate;
  creds.challenge = challenge;
  creds.signature = sign_challenge(material.key, challenge);
  return creds;
}

credentials spawn_credentials(const login_material& material,
                              const std::string& node_id) {
  return answer_challenge(material, spawn_prefix + node_id + ":" +
                                        std::to_string(unix_seconds()));
}

caf::error check_spawn_credentials(const credentials& creds,
                                   const std::string& secret,
                                   const std::string& ca_pem,
                                   const std::string& node_id) {
  auto refuse = [](const std::string& why) {
    return make_error(errc::forbidden, "spawn: " + why);
  };
  if (creds.method == "secret") {
    if (secret.empty() || !equal_in_constant_time(creds.secret, secret))
      return refuse("the secret is wrong");
    return caf::none;
  }
  if (creds.method != "certificate" || ca_pem.empty())
    return refuse("this node takes spawns with its secret only");
  auto expected = spawn_prefix + node_id + ":";
  if (creds.challenge.rfind(expected, 0) != 0)
    return refuse("the challenge names another node");
  auto at =
      std::strtoll(creds.challenge.c_str() + expected.size(), nullptr, 10);
  if (std::llabs(at - unix_seconds()) > spawn_skew_s)
    return refuse("the challenge is older than 5 minutes");
  try {
    auto id = verify_certificate(creds.certificate, ca_pem);
    if (id.role != "admin")
      return refuse("principal " + id.principal +
                    " may not spawn executors: needs role admin");
    if (!verify_challenge(creds.certificate, creds.challenge, creds.signature))
      return refuse("the signature does not match the certificate");
  } catch (const security_error& err) {
    return refuse(err.what());
  }
  return caf::none;
}

namespace {

/// Holds a session: the gateway ends it once this actor is gone. It logs in
/// itself, since the gateway ties the session to whoever sent the login.
caf::behavior session_holder(caf::event_based_actor* self,
                             std::chrono::milliseconds timeout) {
  return {
      [=](login_atom, const gateway_actor& gateway, const credentials& creds) {
        auto rp = self->make_response_promise();
        self->request(gateway, timeout, login_atom_v, creds)
            .then([rp](session_grant& grant) mutable { rp.deliver(grant); },
                  [rp](caf::error& err) mutable { rp.deliver(err); });
        return rp;
      },
  };
}

caf::expected<gateway_actor>
reach_gateway(caf::actor_system& sys, const std::string& host, uint16_t port) {
  if (sys.has_openssl_manager())
    return caf::openssl::remote_actor<gateway_actor>(sys, host, port);
  return sys.middleman().remote_actor<gateway_actor>(host, port);
}

} // namespace

void load_tls(caf::actor_system_config& cfg, const tls_files& tls) {
  if (!tls.enabled())
    return;
  cfg.load<caf::openssl::manager>();
  cfg.set("openssl.certificate", tls.cert);
  cfg.set("openssl.key", tls.key);
  cfg.set("openssl.cafile", tls.ca);
}

caf::io::middleman_actor connector(caf::actor_system& sys) {
  if (sys.has_openssl_manager())
    return sys.openssl_manager().actor_handle();
  return sys.middleman().actor_handle();
}

caf::expected<remote_coordinator>
connect_coordinator(caf::actor_system& sys, const std::string& host,
                    uint16_t port, const login_material& material,
                    std::chrono::milliseconds timeout) {
  auto gateway = reach_gateway(sys, host, port);
  if (!gateway)
    return gateway.error();
  caf::scoped_actor self{sys};
  caf::error failed;
  std::string challenge;
  if (!material.certificate.empty())
    self->request(*gateway, timeout, hello_atom_v)
        .receive([&](std::string& x) { challenge = std::move(x); },
                 [&](caf::error& err) { failed = std::move(err); });
  if (failed)
    return failed;
  credentials creds;
  try {
    creds = answer_challenge(material, challenge);
  } catch (const std::exception& err) {
    return make_error(errc::forbidden, std::string{"login: "} + err.what());
  }
  remote_coordinator result{
      *gateway, {}, sys.spawn<caf::hidden>(session_holder, timeout)};
  self->request(result.holder, timeout, login_atom_v, *gateway, creds)
      .receive([&](session_grant& grant) { result.session = std::move(grant); },
               [&](caf::error& err) { failed = std::move(err); });
  if (failed) {
    end_session(result);
    return failed;
  }
  return result;
}

void end_session(remote_coordinator& x) {
  if (x.holder)
    caf::anon_send_exit(x.holder, caf::exit_reason::user_shutdown);
  x.holder = nullptr;
}

} // namespace troupe
