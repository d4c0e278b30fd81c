// Waiting for jobs from code outside actors: subscribe, then read, so no
// terminal event can slip between the read and the subscription.
#include <unordered_set>

#include "caf/after.hpp"

#include "troupe/actors/node/node.hpp"
#include "troupe/messages/request_timeouts.hpp"

namespace {

constexpr auto request_timeout = troupe::request_timeouts::client;

} // namespace

namespace troupe {

caf::expected<std::vector<job_record>>
node::wait(const std::vector<std::string>& ids,
           std::chrono::milliseconds timeout) {
  if (auto err = check_started("wait"))
    return err;
  caf::scoped_actor self{*system_};
  auto me = caf::actor_cast<caf::actor>(self);
  for (const auto& id : ids)
    self->request(reporter_, request_timeout, subscribe_atom_v,
                  subscription_scope::job, id, me)
        .receive([](ok_atom) {}, [](caf::error&) {});
  std::unordered_set<std::string> open;
  for (const auto& id : ids) {
    auto record = get(id);
    if (!record)
      return record.error();
    if (!is_terminal(record->status))
      open.insert(id);
  }
  auto deadline = std::chrono::steady_clock::now() + timeout;
  bool timed_out = false;
  while (!open.empty() && !timed_out) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    self->receive(
        [&](const job_event& event) {
          if (is_terminal(event.to))
            open.erase(event.id);
        },
        caf::after(std::max(left, std::chrono::milliseconds(0))) >>
            [&] { timed_out = true; });
  }
  self->send(reporter_, unsubscribe_atom_v, me);
  if (!open.empty())
    return make_error(errc::invalid_transition,
                      std::to_string(open.size()) +
                          " jobs did not finish before the wait timed out");
  std::vector<job_record> result;
  for (const auto& id : ids) {
    auto record = get(id);
    if (!record)
      return record.error();
    result.push_back(std::move(*record));
  }
  return result;
}

} // namespace troupe
