// The gateway's logins and sessions; its relayed requests are in
// gateway_requests.cpp.
#include "troupe/actors/cluster/gateway.hpp"

#include "caf/io/middleman.hpp"

#include "troupe/actors/audit/audit_log.hpp"
#include "troupe/actors/cluster/executor_uplink.hpp"
#include "troupe/actors/cluster/gateway_requests.hpp"
#include "troupe/logging/log.hpp"
#include "troupe/messages/errc.hpp"
#include "troupe/security/client_secret.hpp"
#include "troupe/security/credentials.hpp"

namespace troupe {

namespace {

/// How long a challenge may wait for its login.
constexpr int64_t challenge_ttl_ms = 60'000;
/// Most challenges waiting at once; the oldest make room for new ones.
constexpr size_t max_challenges = 10'000;

int64_t now_ms(gateway_pointer self) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             self->clock().now().time_since_epoch())
      .count();
}

} // namespace

namespace detail {

std::string hello(gateway_pointer self) {
  auto& st = self->state;
  auto now = now_ms(self);
  if (st.challenges.size() >= max_challenges)
    for (auto i = st.challenges.begin(); i != st.challenges.end();)
      i = i->second < now ? st.challenges.erase(i) : std::next(i);
  if (st.challenges.size() >= max_challenges)
    st.challenges.erase(st.challenges.begin());
  auto challenge = "troupe-login-v1:" + random_token(32);
  st.challenges.emplace(challenge, now + challenge_ttl_ms);
  return challenge;
}

} // namespace detail

namespace {

/// Who `creds` prove to be: the principal and its roles.
caf::expected<gateway_session> authenticate(gateway_pointer self,
                                            const credentials& creds) {
  auto& st = self->state;
  auto& settings = st.settings;
  if (creds.method == "secret") {
    if (settings.secret.empty() ||
        !equal_in_constant_time(creds.secret, settings.secret))
      return make_error(errc::forbidden, "login: the secret is wrong");
    return gateway_session{
        settings.secret_principal, {role::admin, role::executor}, {}, {}};
  }
  if (creds.method != "certificate")
    return make_error(errc::forbidden,
                      "login: method must be secret or certificate");
  if (settings.ca_pem.empty())
    return make_error(errc::forbidden,
                      "login: this server takes no certificates (it runs "
                      "without TLS)");
  auto i = st.challenges.find(creds.challenge);
  if (i == st.challenges.end() || i->second < now_ms(self))
    return make_error(errc::forbidden,
                      "login: the challenge is unknown or expired");
  st.challenges.erase(i); // Used once.
  try {
    auto id = verify_certificate(creds.certificate, settings.ca_pem);
    if (!verify_challenge(creds.certificate, creds.challenge, creds.signature))
      return make_error(errc::forbidden,
                        "login: the signature does not match the "
                        "certificate of " +
                            id.principal);
    return gateway_session{
        id.principal, roles_of(settings.acl, id.principal, id.role), {}, {}};
  } catch (const security_error& err) {
    return make_error(errc::forbidden, std::string{"login: "} + err.what());
  }
}

} // namespace

namespace detail {

caf::result<session_grant> login(gateway_pointer self,
                                 const credentials& creds) {
  auto& st = self->state;
  auto session = authenticate(self, creds);
  auto peer = self->current_sender();
  if (session && session->roles.empty())
    session = make_error(errc::forbidden,
                         "login: principal " + session->principal +
                             " holds no role (the ACL has no entry for it)");
  if (session && st.sessions.size() >= st.settings.max_sessions)
    session = make_error(errc::forbidden, "login: too many open sessions");
  if (session && !peer)
    session = make_error(errc::forbidden, "login: an anonymous sender");
  if (!session) {
    log_warn("troupe: refused a login: ", message_of(session.error()));
    audit(self, creds.method == "secret" ? "" : "certificate", "login",
          peer ? to_string(peer->node()) : "", session.error());
    return session.error();
  }
  session->holder = peer->address();
  self->monitor(peer);
  auto token = random_token(32);
  session_grant grant{token, session->principal, role_names(session->roles)};
  st.sessions.emplace(token, std::move(*session));
  return grant;
}

/// An executor principal's uplink, spawned on first join.
caf::result<coordinator_peers> join(gateway_pointer self,
                                    const std::string& token) {
  auto& st = self->state;
  auto i = st.sessions.find(token);
  if (i == st.sessions.end())
    return forbidden("", "join as an executor", guarded_action::execute);
  auto& session = i->second;
  if (!permits(session.roles, guarded_action::execute))
    return forbidden(session.principal, "join as an executor",
                     guarded_action::execute);
  if (!session.uplink)
    session.uplink = self->spawn(executor_uplink, st.settings.actors,
                                 uplink_identity{session.principal, token});
  return coordinator_peers{session.uplink, token, gateway_actor{self}};
}

} // namespace detail

namespace {

/// The holder of some sessions went away: they end.
void holder_down(gateway_pointer self, const caf::down_msg& msg) {
  auto& sessions = self->state.sessions;
  for (auto i = sessions.begin(); i != sessions.end();) {
    if (i->second.holder != msg.source) {
      ++i;
      continue;
    }
    if (i->second.uplink)
      self->send_exit(i->second.uplink, caf::exit_reason::user_shutdown);
    i = sessions.erase(i);
  }
}

} // namespace

const gateway_session* find_session(gateway_pointer self,
                                    const std::string& token) {
  auto i = self->state.sessions.find(token);
  return i == self->state.sessions.end() ? nullptr : &i->second;
}

caf::error forbidden(const std::string& principal, const std::string& what,
                     guarded_action action) {
  if (principal.empty())
    return make_error(errc::forbidden, "no session: log in before you " + what);
  return make_error(errc::forbidden, "principal " + principal + " may not " +
                                         what + ": needs " +
                                         roles_needed(action));
}

void audit(gateway_pointer self, const std::string& principal,
           const std::string& action, const std::string& target,
           const caf::error& outcome) {
  record_audit(self->state.settings.audit,
               make_audit_entry(principal, action, target, outcome));
}

gateway_actor::behavior_type gateway(gateway_pointer self,
                                     gateway_settings settings) {
  self->state.settings = std::move(settings);
  self->set_down_handler([=](caf::down_msg& msg) { holder_down(self, msg); });
  // The uplinks end with the gateway: the actor system waits for them.
  self->set_exit_handler([=](caf::exit_msg& msg) {
    for (auto& [token, session] : self->state.sessions)
      if (session.uplink)
        self->send_exit(session.uplink, msg.reason);
    self->quit(msg.reason);
  });
  return detail::gateway_behavior(self);
}

void load_middleman(caf::actor_system_config& cfg,
                    std::chrono::milliseconds timeout) {
  cfg.load<caf::io::middleman>();
  cfg.set("middleman.heartbeat-interval", caf::timespan{timeout / 5});
  cfg.set("middleman.connection-timeout", caf::timespan{timeout});
}

} // namespace troupe
