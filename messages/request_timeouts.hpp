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

/// The gateway's relay of one request to the scheduler, the schedule keeper
/// or the status reporter.
constexpr std::chrono::seconds gateway = server + margin;

/// One request of a client (the command line, the node API) to a server.
constexpr std::chrono::seconds client = gateway + margin;

/// A purge of the store, which walks an index and deletes in batches.
constexpr std::chrono::seconds store_purge = std::chrono::minutes{10};

/// The gateway's relay of a purge, or of a retry by filter (a listing paged
/// through the store), to the server actor that relays it to persistence.
constexpr std::chrono::seconds gateway_purge = store_purge + margin;

/// A client's purge or retry by filter.
constexpr std::chrono::seconds client_purge = gateway_purge + margin;

/// The registry's remote spawn: connecting to a bare node and waiting for
/// its executor to register.
constexpr std::chrono::seconds registry_spawn{30};

/// The gateway's relay of a spawn to the registry.
constexpr std::chrono::seconds gateway_spawn = registry_spawn + margin;

/// A client's spawn request to the gateway.
constexpr std::chrono::seconds client_spawn = gateway_spawn + margin;

} // namespace troupe::request_timeouts
