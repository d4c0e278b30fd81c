// Relaying one request of a session to a local actor and its answer back.
#pragma once

#include <utility>

#include "caf/error.hpp"
#include "caf/typed_response_promise.hpp"

#include "troupe/actors/cluster/gateway.hpp"

namespace troupe::detail {

/// Asks `dest` with `xs` and answers `rp` with its reply or error.
template <class T, class Dest, class... Ts>
void relay_into(gateway_pointer self, caf::typed_response_promise<T> rp,
                const Dest& dest, caf::timespan timeout, Ts&&... xs) {
  self->request(dest, timeout, std::forward<Ts>(xs)...)
      .then([rp](T& x) mutable { rp.deliver(std::move(x)); },
            [rp](caf::error& err) mutable { rp.deliver(std::move(err)); });
}

/// Asks `dest` with `xs`; the returned promise gets its reply or error.
template <class T, class Dest, class... Ts>
caf::typed_response_promise<T> relay(gateway_pointer self, const Dest& dest,
                                     caf::timespan timeout, Ts&&... xs) {
  auto rp = self->make_response_promise<T>();
  relay_into(self, rp, dest, timeout, std::forward<Ts>(xs)...);
  return rp;
}

/// A promise already answered with `err`.
template <class T>
caf::typed_response_promise<T> refuse(gateway_pointer self, caf::error err) {
  auto rp = self->make_response_promise<T>();
  rp.deliver(std::move(err));
  return rp;
}

/// Like `relay_into`, and the action goes into the audit trail with its
/// outcome once it is answered.
template <class T, class Dest, class... Ts>
void audited_into(gateway_pointer self, caf::typed_response_promise<T> rp,
                  std::string principal, std::string action, std::string target,
                  const Dest& dest, caf::timespan timeout, Ts&&... xs) {
  self->request(dest, timeout, std::forward<Ts>(xs)...)
      .then(
          [=](T& x) mutable {
            audit(self, principal, action, target, caf::none);
            rp.deliver(std::move(x));
          },
          [=](caf::error& err) mutable {
            audit(self, principal, action, target, err);
            rp.deliver(std::move(err));
          });
}

} // namespace troupe::detail
