// Quota and token-bucket arithmetic. Buckets are refilled lazily from the
// time of their last take, so no timer is needed to keep them current.
#include "troupe/actors/queue/dispatch_limiter.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace troupe {

namespace {

constexpr double us_per_s = 1e6;
// Token counts are sums of products of doubles; a hair below 1 is a token.
constexpr double token_epsilon = 1e-9;

std::string rate_text(double rate) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%g/s", rate);
  return buf;
}

} // namespace

std::string describe(const dispatch_block& block) {
  const auto& x = block.limit;
  auto head = to_string(x.scope) + " " + x.key + ": ";
  if (block.by_rate)
    return head + "rate " + rate_text(x.rate);
  return head + "max_running " + std::to_string(x.max_running);
}

std::string describe(const dispatch_limit& x) {
  std::string rules;
  if (x.max_running > 0)
    rules = "max_running " + std::to_string(x.max_running);
  if (x.rate > 0)
    rules += (rules.empty() ? "" : ", ") + std::string{"rate "} +
             rate_text(x.rate) + ", burst " + std::to_string(bucket_size(x));
  return to_string(x.scope) + " " + x.key + ": " + rules;
}

uint32_t bucket_size(const dispatch_limit& limit) {
  return std::max<uint32_t>(1, limit.burst);
}

void dispatch_limiter::set_limits(const std::vector<dispatch_limit>& limits,
                                  int64_t now) {
  std::map<key_type, bucket> next;
  for (const auto& limit : limits) {
    bucket b;
    b.limit = limit;
    b.refilled_us = now;
    b.tokens = bucket_size(limit);
    auto key = key_type{limit.scope, limit.key};
    if (auto i = limits_.find(key);
        i != limits_.end() && limit.rate > 0 && i->second.limit.rate > 0)
      b.tokens = std::min(b.tokens, tokens_at(i->second, now));
    next[key] = b;
  }
  limits_ = std::move(next);
}

const dispatch_limiter::bucket*
dispatch_limiter::find(control_scope scope, const std::string& key) const {
  if (limits_.empty() || key.empty())
    return nullptr;
  auto i = limits_.find(key_type{scope, key});
  return i != limits_.end() ? &i->second : nullptr;
}

double dispatch_limiter::tokens_at(const bucket& b, int64_t now) const {
  auto elapsed = static_cast<double>(std::max<int64_t>(0, now - b.refilled_us));
  return std::min<double>(bucket_size(b.limit),
                          b.tokens + elapsed * b.limit.rate / us_per_s);
}

std::optional<dispatch_block>
dispatch_limiter::check(const bucket* b, int64_t now, bool rate) const {
  if (b == nullptr)
    return std::nullopt;
  const auto& x = b->limit;
  if (!rate && x.max_running > 0 && running(x.scope, x.key) >= x.max_running)
    return dispatch_block{x, false};
  if (rate && x.rate > 0 && tokens_at(*b, now) + token_epsilon < 1)
    return dispatch_block{x, true};
  return std::nullopt;
}

std::optional<dispatch_block>
dispatch_limiter::blocked(const std::string& type, const std::string& owner,
                          int64_t now) const {
  if (limits_.empty())
    return std::nullopt;
  auto* by_type = find(control_scope::type, type);
  auto* by_owner = find(control_scope::owner, owner);
  for (bool rate : {false, true})
    for (auto* b : {by_type, by_owner})
      if (auto block = check(b, now, rate))
        return block;
  return std::nullopt;
}

std::optional<int64_t> dispatch_limiter::ready_at(const std::string& type,
                                                  const std::string& owner,
                                                  int64_t now) const {
  int64_t result = now;
  for (auto* b :
       {find(control_scope::type, type), find(control_scope::owner, owner)}) {
    if (b == nullptr)
      continue;
    if (check(b, now, false))
      return std::nullopt;
    auto missing = 1 - tokens_at(*b, now);
    if (b->limit.rate > 0 && missing > token_epsilon) {
      auto wait =
          static_cast<int64_t>(std::ceil(missing * us_per_s / b->limit.rate));
      result = std::max(result, now + wait);
    }
  }
  return result;
}

void dispatch_limiter::take(const std::string& type, const std::string& owner,
                            int64_t now) {
  ++running_by_type_[type];
  if (!owner.empty())
    ++running_by_owner_[owner];
  for (auto scope : {control_scope::type, control_scope::owner}) {
    auto i = limits_.find(
        key_type{scope, scope == control_scope::type ? type : owner});
    if (i == limits_.end() || i->second.limit.rate <= 0)
      continue;
    i->second.tokens = tokens_at(i->second, now) - 1;
    i->second.refilled_us = now;
  }
}

void dispatch_limiter::release(const std::string& type,
                               const std::string& owner) {
  auto drop = [](std::unordered_map<std::string, uint32_t>& counts,
                 const std::string& key) {
    auto i = counts.find(key);
    if (i != counts.end() && --i->second == 0)
      counts.erase(i);
  };
  drop(running_by_type_, type);
  if (!owner.empty())
    drop(running_by_owner_, owner);
}

uint32_t dispatch_limiter::running(control_scope scope,
                                   const std::string& key) const {
  const auto& counts =
      scope == control_scope::type ? running_by_type_ : running_by_owner_;
  auto i = counts.find(key);
  return i != counts.end() ? i->second : 0;
}

} // namespace troupe
