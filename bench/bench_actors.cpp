// The submitter (bounded batches in flight, or an open loop at a fixed rate;
// send time noted per batch) and the collector (running and terminal event
// times per job id).
#include "bench/bench_actors.hpp"

#include <algorithm>
#include <chrono>

#include "caf/event_based_actor.hpp"
#include "caf/stateful_actor.hpp"

#include "troupe/messages/errc.hpp"

namespace troupe::bench {

namespace {

constexpr auto submit_timeout = std::chrono::seconds(60);

// -- submitter ----------------------------------------------------------------

std::string shaped_id(size_t n) {
  return "j" + std::to_string(n);
}

struct submitter_state {
  submitter_config config;
  submit_log log;
  size_t next = 0;
  size_t in_flight = 0;
  size_t answered = 0;
  bool done = false;
};

using submitter_ptr = caf::stateful_actor<submitter_state>*;

void finish(submitter_ptr self, std::string error) {
  auto& st = self->state;
  if (st.done)
    return;
  st.done = true;
  st.log.error = std::move(error);
  st.config.done->set_value(std::move(st.log));
  self->quit();
}

void fill(submitter_ptr self);

void answered(submitter_ptr self, size_t index, std::vector<std::string>& ids) {
  auto& st = self->state;
  --st.in_flight;
  st.answered += ids.size();
  st.config.counters->submitted += ids.size();
  st.log.batches[index].ids = std::move(ids);
  if (st.answered >= st.config.jobs) {
    st.log.last_reply_us = wall_now_us();
    finish(self, "");
    return;
  }
  fill(self);
}

/// Sends the next `n` jobs as one request.
void send_batch(submitter_ptr self, size_t n) {
  auto& st = self->state;
  std::vector<job_spec> specs;
  specs.reserve(n);
  for (size_t k = 0; k < n; ++k) {
    auto spec = shaped_spec(st.config.shape, st.next + k);
    spec.type = st.config.type;
    if (!st.config.payload.empty())
      spec.payload = st.config.payload;
    specs.push_back(std::move(spec));
  }
  st.next += n;
  auto index = st.log.batches.size();
  auto sent = wall_now_us();
  if (index == 0)
    st.log.first_send_us = sent;
  st.log.batches.push_back(submitted_batch{sent, {}});
  ++st.in_flight;
  self->request(st.config.scheduler, submit_timeout, submit_atom_v,
                std::move(specs))
      .then([=](std::vector<std::string>& ids) { answered(self, index, ids); },
            [=](caf::error& err) {
              finish(self, "batch " + std::to_string(index) +
                               " failed: " + message_of(err));
            });
}

void fill(submitter_ptr self) {
  auto& st = self->state;
  if (st.config.rate > 0)
    return; // Paced by `pace` instead.
  while (!st.done && st.in_flight < st.config.in_flight &&
         st.next < st.config.jobs)
    send_batch(self, std::min(st.config.batch, st.config.jobs - st.next));
}

/// Open loop: every millisecond, the jobs due at `rate` since the first
/// send go out as one request, however many are still unanswered.
void pace(submitter_ptr self) {
  auto& st = self->state;
  if (st.config.rate == 0 || st.done || st.next >= st.config.jobs)
    return;
  auto now = wall_now_us();
  if (st.log.batches.empty())
    st.log.first_send_us = now;
  auto elapsed = static_cast<double>(now - st.log.first_send_us);
  auto due = static_cast<size_t>(elapsed * st.config.rate / 1e6) + 1;
  due = std::min(due, st.config.jobs);
  if (due > st.next)
    send_batch(self, due - st.next);
  self->delayed_send(self, std::chrono::milliseconds(1), tick_atom_v);
}

caf::behavior submitter(submitter_ptr self, submitter_config config) {
  self->state.config = std::move(config);
  self->state.log.batches.reserve(
      self->state.config.jobs / self->state.config.batch + 1);
  fill(self);
  pace(self);
  // Nothing arrives but replies and the pace's ticks.
  return {[=](tick_atom) { pace(self); }};
}

// -- collector ----------------------------------------------------------------

struct collector_state {
  size_t expected = 0;
  std::shared_ptr<live_counters> counters;
  std::shared_ptr<std::promise<event_log>> done;
  event_log log;
  size_t finished = 0;
};

using collector_ptr = caf::stateful_actor<collector_state>*;

void on_event(collector_ptr self, const job_event& event) {
  if (event.kind != job_event_kind::transition)
    return;
  auto& st = self->state;
  if (event.to == job_status::running) {
    st.log.jobs[event.id].started_us = event.time_us;
    ++st.counters->started;
    return;
  }
  if (!is_terminal(event.to))
    return;
  auto& times = st.log.jobs[event.id];
  if (times.finished_us != 0)
    return; // Counted already.
  times.finished_us = event.time_us;
  times.completed = event.to == job_status::completed;
  if (!times.completed)
    ++st.log.failed;
  ++st.counters->finished;
  if (++st.finished == st.expected) {
    st.log.last_finish_seen_us = wall_now_us();
    st.done->set_value(std::move(st.log));
    self->quit();
  }
}

caf::behavior collector(collector_ptr self, size_t jobs,
                        std::shared_ptr<live_counters> counters,
                        std::shared_ptr<std::promise<event_log>> done) {
  auto& st = self->state;
  st.expected = jobs;
  st.counters = std::move(counters);
  st.done = std::move(done);
  st.log.jobs.reserve(jobs);
  return {[=](const job_event& event) { on_event(self, event); }};
}

} // namespace

int64_t wall_now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

job_spec shaped_spec(const job_shape& shape, size_t n) {
  job_spec spec;
  switch (shape.kind) {
  case job_shape::none:
    return spec;
  case job_shape::chains:
    if (n >= shape.width)
      spec.deps.push_back(shaped_id(n - shape.width));
    break;
  case job_shape::fan_in:
    if (n % shape.width == shape.width - 1)
      for (size_t k = n - (shape.width - 1); k < n; ++k)
        spec.deps.push_back(shaped_id(k));
    break;
  }
  spec.id = shaped_id(n);
  return spec;
}

caf::actor spawn_submitter(caf::actor_system& sys, submitter_config config) {
  return sys.spawn(submitter, std::move(config));
}

caf::actor spawn_collector(caf::actor_system& sys, size_t jobs,
                           std::shared_ptr<live_counters> counters,
                           std::shared_ptr<std::promise<event_log>> done) {
  return sys.spawn(collector, jobs, std::move(counters), std::move(done));
}

} // namespace troupe::bench
