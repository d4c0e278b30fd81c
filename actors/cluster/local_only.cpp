// Reporting the messages local-only actors refuse.
#include "troupe/actors/cluster/local_only.hpp"

#include "troupe/logging/log.hpp"

namespace troupe::detail {

void report_foreign_message(const char* actor, uint64_t count,
                            const caf::mailbox_element& x) {
  // Every 1000th: a flood must not fill the log.
  if (count % 1000 == 0)
    log_warn("troupe: ", actor, " refused a message from node ",
             to_string(x.sender->node()), " (", count + 1,
             " so far): only its own node may send it messages");
}

} // namespace troupe::detail
