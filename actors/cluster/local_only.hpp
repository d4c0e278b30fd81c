// A base for actors that only their own node may command. BASP addresses
// actors by small integer ids, so any connected peer could message one whose
// handle ever crossed the network (as the sender of a dispatch, say); such
// an actor drops every message from another node before its behavior sees
// it. Answers to its own requests and down messages of actors it monitors
// still arrive: CAF matches the first to a pending request, and the second
// only matter for actors it monitors.
#pragma once

#include <cstdint>

#include "caf/invoke_message_result.hpp"
#include "caf/mailbox_element.hpp"
#include "caf/make_message.hpp"
#include "caf/stateful_actor.hpp"
#include "caf/system_messages.hpp"

#include "troupe/messages/errc.hpp"

namespace troupe {

namespace detail {

/// Logs the refusal (the first and every 1000th of an actor).
void report_foreign_message(const char* actor, uint64_t count,
                            const caf::mailbox_element& x);

} // namespace detail

template <class State, class Base>
class local_only_actor : public caf::stateful_actor<State, Base> {
public:
  using super = caf::stateful_actor<State, Base>;

  using super::super;

  caf::invoke_message_result consume(caf::mailbox_element& x) override {
    if (foreign(x)) {
      detail::report_foreign_message(State::name, refused_++, x);
      if (x.mid.is_request())
        x.sender->enqueue(
            caf::make_mailbox_element(
                this->ctrl(), x.mid.response_id(), {},
                make_error(errc::forbidden,
                           std::string{State::name} +
                               " takes no messages from other nodes")),
            this->context());
      return caf::invoke_message_result::consumed;
    }
    return super::consume(x);
  }

private:
  bool foreign(const caf::mailbox_element& x) const {
    if (x.sender == nullptr || x.sender->node() == this->node() ||
        x.mid.is_response())
      return false;
    return !x.content().template match_elements<caf::down_msg>();
  }

  uint64_t refused_ = 0;
};

/// The `self` of a local-only actor with typed interface `Handle`.
template <class Handle, class State>
using local_only_pointer = local_only_actor<State, typename Handle::base>*;

} // namespace troupe
