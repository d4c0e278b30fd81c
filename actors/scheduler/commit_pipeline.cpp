// The commit pipeline's bookkeeping: which batch is acknowledged next and
// what each releases. No actor is involved; the shell performs the effects.
#include "troupe/actors/scheduler/commit_pipeline.hpp"

#include <string>

#include "troupe/messages/errc.hpp"

namespace troupe {

void commit_pipeline::hold(delivery d) {
  collecting_.push_back(std::move(d));
}

bool commit_pipeline::request_flush() {
  if (flush_scheduled_)
    return false;
  flush_scheduled_ = true;
  return true;
}

uint64_t commit_pipeline::take_ticket() {
  flush_scheduled_ = false;
  return next_ticket_++;
}

std::optional<in_flight_batch> commit_pipeline::close(uint64_t ticket,
                                                      scheduler_effects effects,
                                                      bool has_writes) {
  in_flight_batch batch{ticket, std::move(effects), std::move(collecting_)};
  collecting_.clear();
  // Nothing to make durable and nothing ahead of it: act now.
  if (!has_writes && in_flight_.empty())
    return batch;
  in_flight_.push_back(std::move(batch));
  return std::nullopt;
}

caf::expected<in_flight_batch>
commit_pipeline::acknowledge(uint64_t ticket, const caf::error& err) {
  if (in_flight_.empty() || in_flight_.front().ticket != ticket) {
    auto expected = in_flight_.empty()
                        ? std::string{"none"}
                        : std::to_string(in_flight_.front().ticket);
    return make_error(errc::storage_failure, "persistence acknowledged batch " +
                                                 std::to_string(ticket) +
                                                 ", expected " + expected);
  }
  // Not durable, so not acted on: the submitters learn it failed.
  if (err)
    return err;
  auto batch = std::move(in_flight_.front());
  in_flight_.pop_front();
  return batch;
}

void commit_pipeline::fail_all(const caf::error& err) {
  for (auto& batch : in_flight_)
    for (auto& deliver : batch.deliveries)
      deliver(err);
  in_flight_.clear();
  for (auto& deliver : collecting_)
    deliver(err);
  collecting_.clear();
  for (auto& deliver : drained_)
    deliver(err);
  drained_.clear();
}

bool commit_pipeline::add_drain_waiter(delivery d) {
  bool first = !draining_;
  draining_ = true;
  drained_.push_back(std::move(d));
  return first;
}

void commit_pipeline::finish_drain_if_idle() {
  if (!draining_ || !in_flight_.empty() || flush_scheduled_)
    return;
  for (auto& deliver : drained_)
    deliver(caf::none);
  drained_.clear();
}

} // namespace troupe
