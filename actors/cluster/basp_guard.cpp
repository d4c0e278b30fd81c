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

#include "troupe/logging/log.hpp"

namespace troupe::detail {

namespace {

using caf::io::connection_handle;

struct guarded_connection {
  connection_handle backend;
  basp_framing framing;
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
  self->close(i->second.backend);
  st.backends.erase(i->second.backend);
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

void accepted(caf::io::broker* self, guard_state& st, connection_handle peer) {
  if (st.peers.size() >= st.options.max_connections) {
    log_warn("troupe: refused a connection: already ",
             st.options.max_connections, " open");
    self->close(peer);
    return;
  }
  auto backend = open_backend(self, st);
  if (!backend) {
    self->close(peer);
    return;
  }
  st.peers.emplace(
      peer, guarded_connection{*backend, basp_framing{st.options.limits}});
  st.backends.emplace(*backend, peer);
  auto policy = caf::io::receive_policy::at_most(st.options.read_chunk);
  self->configure_read(peer, policy);
  self->configure_read(*backend, policy);
}

void received(caf::io::broker* self, guard_state& st,
              caf::io::new_data_msg& msg) {
  if (auto i = st.peers.find(msg.handle); i != st.peers.end()) {
    auto why = i->second.framing.feed(msg.buf.data(), msg.buf.size());
    if (!why.empty()) {
      log_warn("troupe: dropped a connection: ", why);
      drop(self, st, msg.handle);
      return;
    }
    self->write(i->second.backend, msg.buf.size(), msg.buf.data());
    self->flush(i->second.backend);
  } else if (auto j = st.backends.find(msg.handle); j != st.backends.end()) {
    self->write(j->second, msg.buf.size(), msg.buf.data());
    self->flush(j->second);
  }
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
