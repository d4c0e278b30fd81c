// An example service that embeds a troupe node as a member of a cluster: it
// joins a remote coordinator, serves its own job type there, and an actor of
// its own submits jobs with messages through the coordinator's gateway,
// with the node's session token, and follows their events.
//
//   troupe serve --slots 0 &
//   troupe_example_service --join 127.0.0.1:4242 --reports 5
#include <cstdlib>
#include <iostream>
#include <string>
#include <unordered_set>

#include "caf/event_based_actor.hpp"
#include "troupe/actors/node/node.hpp"

using namespace std::chrono_literals;

namespace {

/// Renders one report; runs on whichever node's executor takes the job.
troupe::job_result render_report(troupe::job_context& ctx) {
  auto customer = ctx.payload().value("customer", "unknown");
  for (int page = 1; page <= 4; ++page) {
    if (ctx.cancelled())
      return troupe::job_result::failure("cancelled while rendering");
    ctx.progress(page / 4.0, "page " + std::to_string(page) + " of 4");
  }
  return nlohmann::json{{"customer", customer}, {"pages", 4}};
}

/// What the requester knows: the ids it submitted, and the jobs it saw end
/// (an event may overtake the reply to a submit).
struct report_tally {
  std::unordered_set<std::string> submitted;
  std::unordered_set<std::string> ended;
  int expected = 0;

  bool all_done() const {
    if (static_cast<int>(submitted.size()) < expected)
      return false;
    for (const auto& id : submitted)
      if (ended.count(id) == 0)
        return false;
    return true;
  }
};

/// The service's own actor: subscribes to the events of its job type, then
/// submits one report job per customer with a message, and quits once every
/// one of its jobs has ended.
caf::behavior report_requester(caf::event_based_actor* self,
                               troupe::remote_session session, int reports) {
  auto tally = std::make_shared<report_tally>();
  tally->expected = reports;
  auto fail = [=](const caf::error& err) {
    std::cerr << troupe::message_of(err) << '\n';
    self->quit(err);
  };
  auto submit_all = [=](troupe::ok_atom) {
    for (int i = 1; i <= reports; ++i) {
      troupe::job_spec spec;
      spec.type = "render_report";
      spec.owner = "report-service";
      spec.payload =
          nlohmann::json{{"customer", "c" + std::to_string(i)}}.dump();
      self->request(session.gateway, 10s, session.token, troupe::submit_atom_v,
                    spec)
          .then(
              [=](const std::string& id) {
                std::cout << "submitted " << id << std::endl;
                tally->submitted.insert(id);
                if (tally->all_done())
                  self->quit();
              },
              fail);
    }
  };
  self->request(session.gateway, 10s, session.token, troupe::subscribe_atom_v,
                troupe::subscription_scope::type, std::string{"render_report"},
                caf::actor{self})
      .then(submit_all, fail);
  return {
      [=](const troupe::job_event& event) {
        if (event.owner != "report-service")
          return;
        std::cout << event.id << ' ' << to_string(event.to);
        if (event.kind == troupe::job_event_kind::progress)
          std::cout << ' ' << static_cast<int>(event.progress * 100) << "% "
                    << event.message;
        std::cout << std::endl;
        if (event.kind == troupe::job_event_kind::transition &&
            troupe::is_terminal(event.to)) {
          tally->ended.insert(event.id);
          if (tally->all_done())
            self->quit();
        }
      },
  };
}

} // namespace

int main(int argc, char** argv) {
  std::string join = "127.0.0.1:4242";
  int reports = 5;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--join")
      join = argv[i + 1];
    else if (flag == "--reports")
      reports = std::atoi(argv[i + 1]);
  }
  troupe::node_options options;
  options.join = join; // A member of the coordinator's cluster, no store.
  options.name = "report-service";
  options.executor.slots = 2;
  troupe::node node{options};
  node.handle("render_report", render_report);
  if (auto err = node.start()) {
    std::cerr << "cannot join: " << troupe::message_of(err) << '\n';
    return 1;
  }
  auto requester =
      node.system().spawn(report_requester, node.session(), reports);
  caf::scoped_actor self{node.system()};
  self->wait_for(requester);
  return 0;
}
