// The gateway's behavior: logins (gateway.cpp) and the relayed requests of
// sessions, each checked against the principal's roles (gateway_requests.cpp).
#pragma once

#include <string>

#include "caf/result.hpp"

#include "troupe/actors/cluster/gateway.hpp"

namespace troupe::detail {

/// A new challenge for a certificate login.
std::string hello(gateway_pointer self);

/// Checks `creds` and opens a session held by the sender.
caf::result<session_grant> login(gateway_pointer self,
                                 const credentials& creds);

/// Hands an executor principal its uplink.
caf::result<coordinator_peers> join(gateway_pointer self,
                                    const std::string& token);

/// Every handler of the gateway.
gateway_actor::behavior_type gateway_behavior(gateway_pointer self);

} // namespace troupe::detail
