// The guard broker: pairs each accepted connection with a socket pair whose
// other end it hands to the BASP broker, checks the peer's bytes with
// basp_framing and copies both ways.
#include "troupe/actors/cluster/basp_guard.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <memory>
#include <unordered_map>

#include "caf/io/basp_broker.hpp"
#include "caf/io/broker.hpp"
#include "caf/io/middleman.hpp"
#include "caf/io/network/multiplexer.hpp"

#include "troupe/actors/audit/audit_log.hpp"
#include "troupe/logging/log.hpp"
#include "troupe/messages/errc.hpp"

namespace troupe::detail {

namespace {

using caf::io::connection_handle;

struct guarded_connection {
  /// Invalid until the TLS handshake is done (at once without TLS).
  connection_handle backend;
  basp_framing framing;
  /// Null without TLS.
  std::unique_ptr<tls_stream> tls;
};

struct guard_state {
  basp_guard_options options;
  basp_backend backend;
  uint16_t port = 0;
  std::unordered_map<connection_handle, guarded_connection> peers;
  /// Backend connection to its peer.
  std::unordered_map<connection_handle, connection_handle> backends;
};

void drop(caf::io::broker* self, guard_state& st, connection_handle peer) {
  auto i = st.peers.find(peer);
  if (i == st.peers.end())
    return;
  if (i->second.backend != connection_handle{}) {
    self->close(i->second.backend);
    st.backends.erase(i->second.backend);
  }
  self->close(peer);
  st.peers.erase(i);
}

/// A new connection into the BASP broker: one end of a socket pair becomes
/// its scribe, published as if the peer had reached a BASP port.
caf::expected<connection_handle> open_backend(caf::io::broker* self,
                                              guard_state& st) {
  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
    return caf::make_error(caf::sec::cannot_open_port);
  auto& mm = self->system().middleman();
  auto basp_side = mm.backend().new_scribe(fds[1]);
  caf::anon_send(st.backend.broker, caf::publish_atom_v, std::move(basp_side),
                 st.port, st.backend.published, st.backend.signatures);
  return self->add_scribe(fds[0]);
}

/// Connects `peer` to the BASP broker; false (the peer is dropped) if no
/// socket pair can be made.
bool connect_backend(caf::io::broker* self, guard_state& st,
                     connection_handle peer, guarded_connection& conn) {
  auto backend = open_backend(self, st);
  if (!backend)
    return false;
  conn.backend = *backend;
  st.backends.emplace(*backend, peer);
  self->configure_read(*backend,
                       caf::io::receive_policy::at_most(st.options.read_chunk));
  return true;
}

void accepted(caf::io::broker* self, guard_state& st, connection_handle peer) {
  if (st.peers.size() >= st.options.max_connections) {
    log_warn("troupe: refused a connection: already ",
             st.options.max_connections, " open");
    self->close(peer);
    return;
  }
  auto& conn =
      st.peers
          .emplace(peer,
                   guarded_connection{connection_handle{},
                                      basp_framing{st.options.limits}, nullptr})
          .first->second;
  if (st.options.tls)
    conn.tls = std::make_unique<tls_stream>(*st.options.tls);
  else if (!connect_backend(self, st, peer, conn)) {
    drop(self, st, peer);
    return;
  }
  self->configure_read(peer,
                       caf::io::receive_policy::at_most(st.options.read_chunk));
}

void send_raw(caf::io::broker* self, connection_handle to,
              const std::string& bytes) {
  if (bytes.empty())
    return;
  self->write(to, bytes.size(), bytes.data());
  self->flush(to);
}

/// A peer whose TLS handshake failed: it never reached BASP.
void refuse_tls(caf::io::broker* self, guard_state& st, connection_handle peer,
                guarded_connection& conn) {
  auto where =
      self->remote_addr(peer) + ":" + std::to_string(self->remote_port(peer));
  log_warn("troupe: refused a connection from ", where, ": ",
           conn.tls->error());
  record_audit(
      st.options.audit,
      make_audit_entry("", "refused.connection", where,
                       make_error(errc::forbidden, conn.tls->error())));
  send_raw(self, peer, conn.tls->take_output());
  drop(self, st, peer);
}

/// Bytes from a peer: decrypted if TLS is on, checked, passed to BASP.
void from_peer(caf::io::broker* self, guard_state& st, connection_handle peer,
               guarded_connection& conn, const char* data, size_t size) {
  std::string plain;
  if (conn.tls) {
    if (!conn.tls->feed(data, size))
      return refuse_tls(self, st, peer, conn);
    send_raw(self, peer, conn.tls->take_output());
    if (conn.tls->handshake_done() && conn.backend == connection_handle{} &&
        !connect_backend(self, st, peer, conn))
      return drop(self, st, peer);
    plain = conn.tls->take_plaintext();
    data = plain.data();
    size = plain.size();
  }
  if (size == 0)
    return;
  auto why = conn.framing.feed(data, size);
  if (!why.empty()) {
    log_warn("troupe: dropped a connection: ", why);
    return drop(self, st, peer);
  }
  self->write(conn.backend, size, data);
  self->flush(conn.backend);
}

void received(caf::io::broker* self, guard_state& st,
              caf::io::new_data_msg& msg) {
  if (auto i = st.peers.find(msg.handle); i != st.peers.end()) {
    from_peer(self, st, msg.handle, i->second, msg.buf.data(), msg.buf.size());
    return;
  }
  auto j = st.backends.find(msg.handle);
  if (j == st.backends.end())
    return;
  auto i = st.peers.find(j->second);
  if (i == st.peers.end())
    return;
  auto& conn = i->second;
  if (!conn.tls) {
    self->write(j->second, msg.buf.size(), msg.buf.data());
    self->flush(j->second);
    return;
  }
  if (!conn.tls->write(msg.buf.data(), msg.buf.size()))
    return drop(self, st, j->second);
  send_raw(self, j->second, conn.tls->take_output());
}

caf::behavior guard(caf::io::broker* self, caf::io::doorman_ptr doorman,
                    basp_backend backend, basp_guard_options options) {
  auto st = std::make_shared<guard_state>();
  st->port = doorman->port();
  self->add_doorman(std::move(doorman));
  st->options = options;
  st->backend = std::move(backend);
  return {
      [=](const caf::io::new_connection_msg& msg) {
        accepted(self, *st, msg.handle);
      },
      [=](caf::io::new_data_msg& msg) { received(self, *st, msg); },
      [=](const caf::io::connection_closed_msg& msg) {
        if (auto j = st->backends.find(msg.handle); j != st->backends.end())
          drop(self, *st, j->second);
        else
          drop(self, *st, msg.handle);
      },
      [=](const caf::io::acceptor_closed_msg&) { self->quit(); },
  };
}

} // namespace

basp_backend make_basp_backend(caf::actor_system& sys,
                               caf::strong_actor_ptr whom,
                               std::set<std::string> signatures) {
  auto& mm = sys.middleman();
  return basp_backend{mm.named_broker<caf::io::basp_broker>(caf::atom("BASP")),
                      std::move(whom), std::move(signatures)};
}

caf::expected<basp_guard> open_basp_guard(caf::actor_system& sys,
                                          const std::string& host,
                                          uint16_t port, basp_backend backend,
                                          basp_guard_options options) {
  auto& mm = sys.middleman();
  auto doorman = mm.backend().new_tcp_doorman(port, host.c_str(), true);
  if (!doorman)
    return doorman.error();
  basp_guard result;
  result.port = (*doorman)->port();
  result.broker =
      mm.spawn_broker(guard, std::move(*doorman), std::move(backend), options);
  return result;
}

} // namespace troupe::detail
