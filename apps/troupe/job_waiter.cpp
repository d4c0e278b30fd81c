// The waiting actor. It subscribes to every job first and reads the records
// only once all subscriptions are acknowledged, so no transition can fall
// between the read and the subscription.
#include "apps/troupe/job_waiter.hpp"

#include <future>
#include <memory>
#include <set>

#include "caf/event_based_actor.hpp"
#include "caf/stateful_actor.hpp"

#include "troupe/messages/errc.hpp"
#include "troupe/messages/request_timeouts.hpp"

namespace troupe::cli {

namespace {

constexpr auto request_timeout = troupe::request_timeouts::client;

struct watcher_state {
  job_source source;
  std::vector<std::string> ids;
  progress_display* display = nullptr;
  event_observer observer;
  std::shared_ptr<std::promise<wait_outcome>> done;
  size_t subscribed = 0;
  // Until every record is read, nothing is shown: an unknown id then fails
  // the wait before any output.
  std::vector<job_record> records;
  std::vector<job_event> early_events;
  bool delivered = false;

  ~watcher_state() {
    // The caller blocks on the promise: never leave it unfulfilled.
    if (!delivered && done)
      done->set_value(wait_outcome{
          false, make_error(errc::shutting_down, "the waiting actor stopped")});
  }

  static inline const char* name = "troupe_job_watcher";
};

using watcher_actor = caf::stateful_actor<watcher_state>;

void finish(watcher_actor* self, wait_outcome outcome) {
  auto& st = self->state;
  if (st.delivered)
    return;
  st.delivered = true;
  // The reporter drops the subscription once this actor is gone.
  st.done->set_value(std::move(outcome));
  self->quit();
}

void finish_if_all_terminal(watcher_actor* self) {
  if (self->state.display->all_terminal())
    finish(self, wait_outcome{true, caf::error{}});
}

void record_read(watcher_actor* self, job_record job) {
  auto& st = self->state;
  st.records.push_back(std::move(job));
  if (st.records.size() < st.ids.size())
    return;
  for (const auto& record : st.records)
    st.display->on_record(record);
  for (const auto& event : st.early_events)
    st.display->on_event(event);
  st.early_events.clear();
  finish_if_all_terminal(self);
}

/// Asks the source with `xs` (through the gateway: after the token) and
/// hands the reply to `on_value` or `on_error`.
template <class F, class G, class... Ts>
void ask(watcher_actor* self, F on_value, G on_error, const Ts&... xs) {
  const auto& src = self->state.source;
  if (src.gateway)
    self->request(src.gateway, request_timeout, src.token, xs...)
        .then(on_value, on_error);
  else
    self->request(src.reporter, request_timeout, xs...)
        .then(on_value, on_error);
}

void read_records(watcher_actor* self) {
  auto fail = [=](caf::error& err) { finish(self, {false, std::move(err)}); };
  auto read = [=](job_record& job) { record_read(self, std::move(job)); };
  for (const auto& id : self->state.ids)
    ask(self, read, fail, get_atom_v, id);
}

caf::behavior job_watcher(watcher_actor* self, job_source source,
                          std::vector<std::string> ids,
                          std::chrono::milliseconds timeout,
                          progress_display* display, event_observer observer,
                          std::shared_ptr<std::promise<wait_outcome>> done) {
  auto& st = self->state;
  st.source = std::move(source);
  st.ids = std::move(ids);
  st.display = display;
  st.observer = std::move(observer);
  st.done = std::move(done);
  // A lost connection kills the remote proxy: that ends the wait.
  if (st.source.gateway)
    self->monitor(st.source.gateway);
  else
    self->monitor(st.source.reporter);
  self->set_down_handler([=](caf::down_msg& msg) {
    auto reason = msg.reason
                      ? std::move(msg.reason)
                      : make_error(errc::shutting_down, "the server stopped");
    finish(self, {false, std::move(reason)});
  });
  auto me = caf::actor_cast<caf::actor>(self);
  auto subscribed = [=](ok_atom) {
    if (++self->state.subscribed == self->state.ids.size())
      read_records(self);
  };
  auto fail = [=](caf::error& err) { finish(self, {false, std::move(err)}); };
  for (const auto& id : st.ids)
    ask(self, subscribed, fail, subscribe_atom_v, subscription_scope::job, id,
        me);
  if (timeout.count() > 0)
    self->delayed_send(self, timeout, caf::tick_atom_v);
  return {
      [=](const job_event& event) {
        auto& st = self->state;
        if (st.observer)
          st.observer(event);
        if (st.records.size() < st.ids.size()) {
          st.early_events.push_back(event);
          return;
        }
        st.display->on_event(event);
        finish_if_all_terminal(self);
      },
      [=](caf::tick_atom) {
        finish(self, {false, caf::error{}});
      },
  };
}

} // namespace

wait_outcome wait_for_jobs(caf::actor_system& sys, const job_source& source,
                           const std::vector<std::string>& ids,
                           std::chrono::milliseconds timeout,
                           progress_display& display, event_observer observer) {
  std::vector<std::string> unique;
  std::set<std::string> seen;
  for (const auto& id : ids)
    if (seen.insert(id).second)
      unique.push_back(id);
  if (unique.empty())
    return {true, caf::error{}};
  auto done = std::make_shared<std::promise<wait_outcome>>();
  auto outcome = done->get_future();
  sys.spawn(job_watcher, source, std::move(unique), timeout, &display,
            std::move(observer), done);
  return outcome.get();
}

} // namespace troupe::cli
