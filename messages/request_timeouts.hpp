// Every request timeout of troupe in one place, layered so that whoever asks
// waits longer than everything its request waits for in turn: a caller never
// gives up on a request the server will still complete.
#pragma once

#include <chrono>

namespace troupe::request_timeouts {

/// What each layer adds to the one below it.
constexpr std::chrono::seconds margin{15};

/// One request to persistence: a lookup, a stored control, a relayed read.
constexpr std::chrono::seconds store{30};

/// One request to the scheduler, the schedule keeper or the status
/// reporter, each of which makes at most one request to persistence.
constexpr std::chrono::seconds server = store + margin;

/// One request of a client (the command line, the node API) to a server.
constexpr std::chrono::seconds client = server + margin;

/// A purge of the store, which walks an index and deletes in batches.
constexpr std::chrono::seconds store_purge = std::chrono::minutes{10};

/// A client's purge, or retry by filter (a listing paged through the
/// store), relayed by one server actor.
constexpr std::chrono::seconds client_purge = store_purge + margin;

/// The registry's remote spawn: connecting to a bare node and waiting for
/// its executor to register.
constexpr std::chrono::seconds registry_spawn{30};

/// The gateway's relay of a spawn to the registry.
constexpr std::chrono::seconds gateway_spawn = registry_spawn + margin;

/// A client's spawn request to the gateway.
constexpr std::chrono::seconds client_spawn = gateway_spawn + margin;

} // namespace troupe::request_timeouts
