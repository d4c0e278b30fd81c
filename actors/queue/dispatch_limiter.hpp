// Concurrency quotas and token buckets per job type and owner as a plain
// struct: which (type, owner) may start a job now, and when one may next.
// Times are explicit microseconds, so every rule is testable without a clock.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "troupe/messages/dispatch_limit.hpp"

namespace troupe {

/// Why jobs of one (type, owner) may not start now.
struct dispatch_block {
  /// The limit that holds them back.
  dispatch_limit limit;
  /// True if the bucket is empty, false if the quota is full.
  bool by_rate = false;
};

/// Returns e.g. "type sleep: max_running 2" or "owner ana: rate 50/s".
std::string describe(const dispatch_block& block);

/// Returns e.g. "type sleep: max_running 2, rate 50/s, burst 10".
std::string describe(const dispatch_limit& limit);

/// The effective bucket size of `limit`: its burst, at least 1.
uint32_t bucket_size(const dispatch_limit& limit);

/// Running counts and token buckets of every limited type and owner.
class dispatch_limiter {
public:
  /// Replaces the limits. Buckets of limits that stay keep their tokens (at
  /// most the new bucket size); new buckets start full.
  void set_limits(const std::vector<dispatch_limit>& limits, int64_t now);

  /// The first limit that holds back a job of `type` and `owner` at `now`
  /// (quotas before rates, type before owner), or none.
  std::optional<dispatch_block>
  blocked(const std::string& type, const std::string& owner, int64_t now) const;

  /// When a job of `type` and `owner` may start if only tokens are missing;
  /// none if a quota is full (it waits for an attempt to end instead).
  std::optional<int64_t> ready_at(const std::string& type,
                                  const std::string& owner, int64_t now) const;

  /// Counts a dispatched attempt and takes a token from each bucket.
  void take(const std::string& type, const std::string& owner, int64_t now);

  /// A dispatched attempt ended: it no longer counts against quotas.
  void release(const std::string& type, const std::string& owner);

  /// Attempts of `key` (a type or owner) dispatched and not yet ended.
  uint32_t running(control_scope scope, const std::string& key) const;

  /// Whether any limit is set.
  bool empty() const { return limits_.empty(); }

private:
  struct bucket {
    dispatch_limit limit;
    double tokens = 0;
    int64_t refilled_us = 0;
  };
  using key_type = std::pair<control_scope, std::string>;

  const bucket* find(control_scope scope, const std::string& key) const;
  double tokens_at(const bucket& b, int64_t now) const;
  std::optional<dispatch_block> check(const bucket* b, int64_t now,
                                      bool rate) const;

  std::map<key_type, bucket> limits_;
  std::unordered_map<std::string, uint32_t> running_by_type_;
  std::unordered_map<std::string, uint32_t> running_by_owner_;
};

} // namespace troupe
