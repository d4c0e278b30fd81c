// sd_notify for `troupe serve`; the only file that includes libsystemd.
#include "apps/troupe/service_notify.hpp"

#include <systemd/sd-daemon.h>

namespace troupe::cli {

// A notice that cannot be sent changes nothing for the server (systemd then
// times the start out on its own), so the result is deliberately dropped.

void notify_ready() {
  static_cast<void>(sd_notify(0, "READY=1"));
}

void notify_stopping() {
  static_cast<void>(sd_notify(0, "STOPPING=1"));
}

} // namespace troupe::cli
