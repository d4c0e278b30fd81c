// Who receives which job events: the status reporter's subscriptions as a
// plain table. Duplicates fold into one, every subscriber is capped, and an
// event reaches each subscriber once however many of its scopes match.
#pragma once

#include <cstddef>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "troupe/messages/job_event.hpp"

namespace troupe {

/// What `subscription_table::add` did.
enum class subscribe_outcome {
  /// A new subscription.
  added,
  /// The subscriber already had it; nothing changed.
  folded,
  /// The subscriber holds its maximum; nothing changed.
  over_limit,
};

/// Subscriptions keyed by subscriber (any hashable handle; the reporter uses
/// actor addresses, tests use plain values).
template <class Subscriber>
class subscription_table {
public:
  /// `max_per_subscriber` bounds the distinct subscriptions one subscriber
  /// may hold.
  explicit subscription_table(size_t max_per_subscriber)
      : max_per_subscriber_(max_per_subscriber) {
    // nop
  }

  /// Subscribes `who` to the events of `scope` (the key names the job or
  /// type; it is ignored for `all`).
  subscribe_outcome add(const Subscriber& who, subscription_scope scope,
                        const std::string& key) {
    auto name = entry_name(scope, key);
    auto& mine = by_subscriber_[who];
    if (mine.count(name))
      return subscribe_outcome::folded;
    if (mine.size() >= max_per_subscriber_) {
      if (mine.empty())
        by_subscriber_.erase(who);
      return subscribe_outcome::over_limit;
    }
    mine.insert(name);
    if (scope == subscription_scope::all)
      to_all_.insert(who);
    else
      index(scope)[key].insert(who);
    return subscribe_outcome::added;
  }

  /// Drops every subscription of `who`; a subscriber never seen is a no-op.
  void remove(const Subscriber& who) {
    auto i = by_subscriber_.find(who);
    if (i == by_subscriber_.end())
      return;
    for (const auto& name : i->second) {
      auto scope = static_cast<subscription_scope>(name.front());
      if (scope == subscription_scope::all) {
        to_all_.erase(who);
        continue;
      }
      auto& keyed = index(scope);
      auto k = keyed.find(name.substr(1));
      if (k == keyed.end())
        continue;
      k->second.erase(who);
      if (k->second.empty())
        keyed.erase(k);
    }
    by_subscriber_.erase(i);
  }

  /// Calls `f` with every subscriber that `event` concerns, each once.
  /// Allocates nothing unless more than one scope matches.
  template <class F>
  void for_each_recipient(const job_event& event, F&& f) const {
    const std::unordered_set<Subscriber>* sources[3] = {&to_all_, nullptr,
                                                        nullptr};
    if (auto i = by_job_.find(event.id); i != by_job_.end())
      sources[1] = &i->second;
    if (auto i = by_type_.find(event.type); i != by_type_.end())
      sources[2] = &i->second;
    const std::unordered_set<Subscriber>* only = nullptr;
    size_t matching = 0;
    for (const auto* source : sources)
      if (source != nullptr && !source->empty()) {
        only = source;
        ++matching;
      }
    if (matching == 1) {
      for (const auto& who : *only) // Each source holds a subscriber once.
        f(who);
      return;
    }
    std::unordered_set<Subscriber> seen;
    for (const auto* source : sources)
      if (source != nullptr)
        for (const auto& who : *source)
          if (seen.insert(who).second)
            f(who);
  }

  /// Every subscriber that `event` concerns, each once.
  std::vector<Subscriber> recipients(const job_event& event) const {
    std::vector<Subscriber> result;
    for_each_recipient(event,
                       [&](const Subscriber& who) { result.push_back(who); });
    return result;
  }

  /// Whether `who` holds any subscription.
  bool contains(const Subscriber& who) const {
    return by_subscriber_.count(who) > 0;
  }

  /// Distinct subscriptions held by `who`.
  size_t count(const Subscriber& who) const {
    auto i = by_subscriber_.find(who);
    return i == by_subscriber_.end() ? 0 : i->second.size();
  }

  /// Subscribers that hold at least one subscription.
  size_t subscribers() const { return by_subscriber_.size(); }

private:
  using keyed_index =
      std::unordered_map<std::string, std::unordered_set<Subscriber>>;

  /// The scope byte followed by the key: one string names a subscription.
  static std::string entry_name(subscription_scope scope,
                                const std::string& key) {
    std::string name(1, static_cast<char>(scope));
    if (scope != subscription_scope::all)
      name += key;
    return name;
  }

  keyed_index& index(subscription_scope scope) {
    return scope == subscription_scope::job ? by_job_ : by_type_;
  }

  size_t max_per_subscriber_;
  keyed_index by_job_;
  keyed_index by_type_;
  std::unordered_set<Subscriber> to_all_;
  std::unordered_map<Subscriber, std::unordered_set<std::string>>
      by_subscriber_;
};

} // namespace troupe
