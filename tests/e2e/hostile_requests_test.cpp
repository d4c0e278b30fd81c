// Bad requests from a client connected to the coordinator's port: a null
// handle, a scope out of range, a flood of duplicate subscriptions, a
// subscriber over its cap, a payload nested too deep and an oversized batch
// each get an error (or fold), and the coordinator goes on serving.
#include <future>
#include <memory>

#include "caf/event_based_actor.hpp"
#include "caf/send.hpp"

#include "tests/e2e/hostile_client.hpp"
#include "tests/e2e/node_fixture.hpp"
#include "troupe/messages/type_ids.hpp"

using namespace troupe;
using troupe::test::hostile_client;
using troupe::test::node_fixture;

namespace {

constexpr auto request_timeout = std::chrono::seconds(30);

/// Subscribes and returns the error, if any.
caf::error subscribe(hostile_client& client, subscription_scope scope,
                     const std::string& key, const caf::actor& subscriber) {
  caf::error result;
  client.self()
      ->request(client.gateway(), request_timeout, client.token(),
                subscribe_atom_v, scope, key, subscriber)
      .receive([](ok_atom) {}, [&](caf::error& err) { result = err; });
  return result;
}

/// Submits a batch and returns the error, if any.
caf::error submit_error(hostile_client& client, std::vector<job_spec> specs) {
  caf::error result;
  client.self()
      ->request(client.gateway(), request_timeout, client.token(),
                submit_atom_v, std::move(specs))
      .receive([](std::vector<std::string>&) {},
               [&](caf::error& err) { result = err; });
  return result;
}

/// Submits one job; fails the test on an error.
std::string remote_submit(hostile_client& client, const job_spec& spec) {
  std::string id;
  client.self()
      ->request(client.gateway(), request_timeout, client.token(),
                submit_atom_v, spec)
      .receive([&](std::string& x) { id = std::move(x); },
               [&](caf::error& err) { FAIL(message_of(err)); });
  return id;
}

/// Counts the events of one job it receives before that job's first
/// `completed` event, then reports the count.
caf::behavior counting_subscriber(caf::event_based_actor*, std::string id,
                                  std::shared_ptr<std::promise<size_t>> done) {
  auto seen = std::make_shared<size_t>(0);
  auto reported = std::make_shared<bool>(false);
  return {
      [=](const job_event& event) {
        if (event.id != id || *reported)
          return;
        if (event.to == job_status::completed &&
            event.kind == job_event_kind::transition) {
          *reported = true;
          done->set_value(*seen);
          return;
        }
        ++*seen;
      },
  };
}

} // namespace

TEST_CASE_METHOD(node_fixture,
                 "a remote subscribe with a null handle or a bad scope, and a "
                 "listing without bounds, are refused and the coordinator "
                 "goes on",
                 "[e2e][remote][subscriptions]") {
  options.listen_port = 0;
  node n{options};
  n.handle("echo", [](job_context& ctx) { return ctx.payload(); });
  REQUIRE_FALSE(n.start());
  hostile_client client{n.port()};
  for (auto scope : {subscription_scope::all, subscription_scope::job}) {
    auto err = subscribe(client, scope, "x", caf::actor{});
    REQUIRE(err);
    CHECK(message_of(err).find("subscriber: must be a live actor") !=
          std::string::npos);
  }
  // A live handle that is never read from: no spawn needed.
  caf::scoped_actor listener{client.system()};
  auto err = subscribe(client, static_cast<subscription_scope>(9), "x",
                       caf::actor_cast<caf::actor>(listener));
  REQUIRE(err);
  CHECK(message_of(err).find("scope: must be job, type or all") !=
        std::string::npos);
  job_query query;
  query.limit = 4'000'000'000u;
  client.self()
      ->request(client.gateway(), request_timeout, client.token(), list_atom_v,
                query)
      .receive([](job_listing&) { FAIL("listed"); },
               [](caf::error& err) {
                 CHECK(message_of(err) ==
                       "limit: must be between 1 and 10000, got 4000000000");
               });
  auto id = remote_submit(client, spec("echo", R"({"still": "here"})"));
  CHECK(wait(n, {id}).front().status == job_status::completed);
}

TEST_CASE_METHOD(node_fixture,
                 "a flood of duplicate remote subscriptions delivers each "
                 "event once, and a subscriber over its cap is refused",
                 "[e2e][remote][subscriptions]") {
  options.listen_port = 0;
  options.reporter.max_subscriptions_per_subscriber = 5;
  node n{options};
  n.handle("echo", [](job_context& ctx) { return ctx.payload(); });
  REQUIRE_FALSE(n.start());
  hostile_client client{n.port()};
  auto done = std::make_shared<std::promise<size_t>>();
  auto counted = done->get_future();
  job_spec x = spec("echo", "{}");
  x.id = "flooded";
  auto counter = client.system().spawn(counting_subscriber, x.id, done);
  {
    // One-way sends: their replies land in this actor's mailbox unread.
    caf::scoped_actor self{client.system()};
    for (int i = 0; i < 20'000; ++i)
      self->send(client.gateway(), client.token(), subscribe_atom_v,
                 subscription_scope::all, std::string{}, counter);
  }
  // In order after the flood: once it is answered, the flood was handled.
  REQUIRE_FALSE(subscribe(client, subscription_scope::job, x.id, counter));
  for (auto key : {"a", "b", "c"})
    REQUIRE_FALSE(subscribe(client, subscription_scope::job, key, counter));
  auto over = subscribe(client, subscription_scope::job, "d", counter);
  REQUIRE(over);
  CHECK(message_of(over).find("most subscriptions allowed (5)") !=
        std::string::npos);
  auto id = remote_submit(client, x);
  CHECK(wait(n, {id}).front().status == job_status::completed);
  // Every transition before completion (created, queued to running), once.
  auto before_completion = history(n, id).size() - 1;
  REQUIRE(counted.wait_for(request_timeout) == std::future_status::ready);
  CHECK(counted.get() == before_completion);
  caf::anon_send_exit(counter, caf::exit_reason::user_shutdown);
}

TEST_CASE_METHOD(node_fixture,
                 "a remote submission nested too deep or batched too large is "
                 "refused and stores nothing",
                 "[e2e][remote][validation]") {
  options.listen_port = 0;
  node n{options};
  n.handle("echo", [](job_context& ctx) { return ctx.payload(); });
  REQUIRE_FALSE(n.start());
  hostile_client client{n.port()};
  auto deep = spec("echo", std::string(200'000, '['));
  auto err = submit_error(client, {deep});
  REQUIRE(err);
  CHECK(message_of(err) ==
        "payload: arrays and objects may nest at most 64 levels deep");
  std::vector<job_spec> huge(10'001, spec("echo"));
  for (size_t i = 0; i < huge.size(); ++i)
    huge[i].id = "big-" + std::to_string(i);
  err = submit_error(client, huge);
  REQUIRE(err);
  CHECK(message_of(err) ==
        "jobs: a batch may hold at most 10000 jobs, got 10001");
  CHECK(list(n).empty());
  auto id = remote_submit(client, spec("echo", R"({"still": "here"})"));
  CHECK(wait(n, {id}).front().status == job_status::completed);
}
