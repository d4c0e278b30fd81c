// Readiness and stopping notices to systemd (sd_notify) for `troupe serve`
// run as a Type=notify unit. Outside systemd (no NOTIFY_SOCKET) they do
// nothing.
#pragma once

namespace troupe::cli {

/// Tells the service manager that the server listens ("READY=1").
void notify_ready();

/// Tells the service manager that the server is stopping ("STOPPING=1").
void notify_stopping();

} // namespace troupe::cli
