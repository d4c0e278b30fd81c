// What a listening node checks its peers against: the cluster's CA when TLS
// is on, and the secret of loopback clients, written where only this user
// can read it; and the guard in front of the BASP broker.
#include "caf/io/middleman.hpp"

#include "troupe/actors/cluster/basp_guard.hpp"
#include "troupe/actors/cluster/gateway.hpp"
#include "troupe/actors/node/node.hpp"
#include "troupe/security/client_secret.hpp"
#include "troupe/security/credentials.hpp"

namespace troupe {

caf::error node::load_security() {
  const auto& security = options_.security;
  try {
    check_tls_files(security.tls);
    if (security.tls.enabled())
      ca_pem_ = read_pem_file(security.tls.ca, "tls-ca");
  } catch (const security_error& err) {
    return make_error(errc::invalid_field, err.what());
  }
  secret_ = random_token(32);
  return caf::none;
}

caf::error node::publish(const coordinator_actors& actors) {
  if (auto err = load_security())
    return err;
  gateway_settings settings;
  settings.actors = actors;
  settings.audit = audit_;
  settings.secret = secret_;
  settings.secret_principal = current_user_name();
  settings.ca_pem = ca_pem_;
  settings.acl = options_.security.acl;
  gateway_ = system_->spawn(gateway, std::move(settings));
  return guard_port(caf::actor_cast<caf::strong_actor_ptr>(gateway_),
                    system_->message_types<gateway_actor>());
}

caf::error node::guard_port(caf::strong_actor_ptr published,
                            std::set<std::string> signatures) {
  detail::basp_guard_options guard_options;
  guard_options.limits.max_message_bytes = options_.max_message_bytes;
  guard_options.audit = audit_;
  if (options_.security.tls.enabled()) {
    try {
      guard_options.tls =
          std::make_shared<tls_server_context>(options_.security.tls);
    } catch (const security_error& err) {
      return make_error(errc::invalid_field, err.what());
    }
  }
  auto guard = detail::open_basp_guard(
      *system_, options_.listen_host,
      static_cast<uint16_t>(options_.listen_port),
      detail::make_basp_backend(*system_, std::move(published),
                                std::move(signatures)),
      guard_options);
  if (!guard)
    return make_error(errc::invalid_field,
                      "listen: cannot listen on " + options_.listen_host + ":" +
                          std::to_string(options_.listen_port) + ": " +
                          to_string(guard.error()));
  guard_ = guard->broker;
  port_ = guard->port;
  secret_path_ = !options_.security.secret_file.empty()
                     ? options_.security.secret_file
                 : !options_.store.path.empty() && !options_.bare
                     ? options_.store.path + "/client.secret"
                     : default_secret_file(options_.listen_host, port_);
  try {
    write_client_secret(secret_path_, secret_, options_.listen_host, port_);
  } catch (const std::exception& err) {
    return make_error(errc::invalid_field, err.what());
  }
  return caf::none;
}

void node::forget_secret() {
  if (secret_path_.empty())
    return;
  forget_client_secret(secret_path_, options_.listen_host, port_);
  secret_path_.clear();
}

} // namespace troupe
