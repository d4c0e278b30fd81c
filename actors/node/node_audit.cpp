// The node API's audit trail: recording one entry and reading the trail,
// blocking, for code outside actors.
#include "troupe/actors/node/node.hpp"
#include "troupe/messages/request_timeouts.hpp"

namespace troupe {

caf::error node::record_audit(audit_entry x) {
  if (!system_ || !audit_)
    return make_error(errc::invalid_transition,
                      system_ ? "record_audit: this node keeps no audit trail "
                                "(it has no store)"
                              : "record_audit: the node is not started");
  caf::scoped_actor self{*system_};
  caf::error result;
  self->request(audit_, request_timeouts::client, audit_atom_v,
                std::vector<audit_entry>{std::move(x)})
      .receive([](ok_atom) {},
               [&](caf::error& err) { result = std::move(err); });
  return result;
}

caf::expected<std::vector<audit_entry>> node::audit(const audit_query& query) {
  if (auto err = check_started("audit"))
    return err;
  caf::scoped_actor self{*system_};
  caf::expected<std::vector<audit_entry>> result{std::vector<audit_entry>{}};
  self->request(reporter_, request_timeouts::client, audit_atom_v, query)
      .receive([&](std::vector<audit_entry>& xs) { result = std::move(xs); },
               [&](caf::error& err) { result = std::move(err); });
  return result;
}

} // namespace troupe
