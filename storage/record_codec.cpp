// Hand-written encoder and bounds-checked decoder of stored values (fixed-width
// little-endian integers, length-prefixed strings).
#include "troupe/storage/record_codec.hpp"

#include <cstring>
#include <limits>

#include "troupe/messages/errc.hpp"

namespace troupe {

namespace {

static_assert(std::numeric_limits<double>::is_iec559 && sizeof(double) == 8,
              "the encoding stores doubles as IEEE 754 binary64");

constexpr size_t policy_count = 3;

// -- encoding -----------------------------------------------------------------

class writer {
public:
  template <class T>
  void integer(T x) {
    auto bits = static_cast<uint64_t>(x);
    for (size_t i = 0; i < sizeof(T); ++i)
      out_.push_back(static_cast<char>((bits >> (8 * i)) & 0xff));
  }

  void real(double x) {
    uint64_t bits = 0;
    std::memcpy(&bits, &x, sizeof(bits));
    integer(bits);
  }

  void text(const std::string& x) {
    integer(static_cast<uint32_t>(x.size()));
    out_ += x;
  }

  void texts(const std::vector<std::string>& xs) {
    integer(static_cast<uint32_t>(xs.size()));
    for (const auto& x : xs)
      text(x);
  }

  std::string take() { return std::move(out_); }

private:
  std::string out_;
};

// -- decoding -----------------------------------------------------------------

// Reads fields front to back. The first failure is remembered and turns all
// later reads into no-ops, so decoders read straight through and check once.
class reader {
public:
  // Accepts format versions 1 to `newest`; decoders ask `version()` which
  // fields the value holds.
  reader(std::string_view bytes, const char* what, uint8_t newest)
      : in_(bytes), what_(what) {
    integer("version", version_);
    if (ok() && (version_ < 1 || version_ > newest))
      fail("version", "has format version " + std::to_string(version_) +
                          ", expected 1 to " + std::to_string(newest));
  }

  uint8_t version() const { return version_; }

  template <class T>
  void integer(const char* field, T& x) {
    if (!need(field, sizeof(T)))
      return;
    uint64_t bits = 0;
    for (size_t i = 0; i < sizeof(T); ++i)
      bits |= uint64_t{static_cast<uint8_t>(in_[pos_ + i])} << (8 * i);
    pos_ += sizeof(T);
    x = static_cast<T>(bits);
  }

  void real(const char* field, double& x) {
    uint64_t bits = 0;
    integer(field, bits);
    std::memcpy(&x, &bits, sizeof(x));
  }

  template <class Enum>
  void enumeration(const char* field, Enum& x, size_t count) {
    uint8_t raw = 0;
    integer(field, raw);
    if (ok() && raw >= count)
      fail(field, "holds " + std::to_string(raw) + ", not below " +
                      std::to_string(count));
    else if (ok())
      x = static_cast<Enum>(raw);
  }

  void text(const char* field, std::string& x) {
    uint32_t size = 0;
    integer(field, size);
    if (need(field, size)) {
      x.assign(in_.data() + pos_, size);
      pos_ += size;
    }
  }

  void texts(const char* field, std::vector<std::string>& xs) {
    uint32_t count = 0;
    integer(field, count);
    // Each string needs at least its 4-byte length: a larger count is
    // damage, and must not drive a huge allocation.
    if (ok() && count > (in_.size() - pos_) / 4)
      fail(field, "claims " + std::to_string(count) + " strings in " +
                      std::to_string(in_.size() - pos_) + " bytes");
    for (uint32_t i = 0; ok() && i < count; ++i)
      text(field, xs.emplace_back());
  }

  /// Returns the first failure, or a failure for unread trailing bytes.
  caf::error finish() {
    if (ok() && pos_ != in_.size())
      fail("end",
           "has " + std::to_string(in_.size() - pos_) + " trailing bytes");
    return std::move(error_);
  }

private:
  bool ok() const { return !error_; }

  bool need(const char* field, size_t size) {
    if (!ok())
      return false;
    if (in_.size() - pos_ >= size)
      return true;
    fail(field, "needs " + std::to_string(size) + " bytes at offset " +
                    std::to_string(pos_) + " but only " +
                    std::to_string(in_.size() - pos_) + " remain");
    return false;
  }

  void fail(const char* field, const std::string& rule) {
    error_ = make_error(errc::data_dir_corrupt,
                        std::string{what_} + " field '" + field + "' " + rule);
  }

  std::string_view in_;
  size_t pos_ = 0;
  uint8_t version_ = 0;
  const char* what_;
  caf::error error_;
};

} // namespace

std::string encode_record(const job_record& x) {
  writer out;
  out.integer(record_format_version);
  out.text(x.id);
  out.text(x.type);
  out.text(x.payload);
  out.integer(x.priority);
  out.texts(x.deps);
  out.integer(static_cast<uint8_t>(x.on_dependency_failure));
  out.integer(x.timeout_s);
  out.integer(x.max_retries);
  out.integer(x.backoff_base_ms);
  out.text(x.owner);
  out.texts(x.tags);
  out.text(x.unique_key);
  out.integer(x.run_at_us);
  out.integer(static_cast<uint8_t>(x.status));
  out.integer(x.attempt);
  out.text(x.executor);
  out.text(x.node);
  out.real(x.progress);
  out.text(x.progress_message);
  out.text(x.result);
  out.text(x.error);
  out.integer(x.history_length);
  out.integer(x.created_us);
  out.integer(x.updated_us);
  out.integer(x.started_us);
  out.integer(x.finished_us);
  // Version 2 appends the unique window and the result TTL.
  out.integer(x.unique_for_s);
  out.integer(x.result_ttl_s);
  return out.take();
}

std::string encode_history(const history_entry& x) {
  writer out;
  out.integer(history_format_version);
  out.text(x.job_id);
  out.integer(x.seq);
  out.integer(x.time_us);
  out.integer(static_cast<uint8_t>(x.from));
  out.integer(static_cast<uint8_t>(x.to));
  out.integer(x.attempt);
  out.text(x.executor);
  out.text(x.node);
  out.text(x.principal);
  out.text(x.message);
  return out.take();
}

caf::expected<job_record> decode_record(std::string_view bytes) {
  reader in{bytes, "job record", record_format_version};
  job_record x;
  in.text("id", x.id);
  in.text("type", x.type);
  in.text("payload", x.payload);
  in.integer("priority", x.priority);
  in.texts("deps", x.deps);
  in.enumeration("on_dependency_failure", x.on_dependency_failure,
                 policy_count);
  in.integer("timeout_s", x.timeout_s);
  in.integer("max_retries", x.max_retries);
  in.integer("backoff_base_ms", x.backoff_base_ms);
  in.text("owner", x.owner);
  in.texts("tags", x.tags);
  in.text("unique_key", x.unique_key);
  in.integer("run_at_us", x.run_at_us);
  in.enumeration("status", x.status, job_status_count);
  in.integer("attempt", x.attempt);
  in.text("executor", x.executor);
  in.text("node", x.node);
  in.real("progress", x.progress);
  in.text("progress_message", x.progress_message);
  in.text("result", x.result);
  in.text("error", x.error);
  in.integer("history_length", x.history_length);
  in.integer("created_us", x.created_us);
  in.integer("updated_us", x.updated_us);
  in.integer("started_us", x.started_us);
  in.integer("finished_us", x.finished_us);
  if (in.version() >= 2) {
    in.integer("unique_for_s", x.unique_for_s);
    in.integer("result_ttl_s", x.result_ttl_s);
  }
  if (auto err = in.finish())
    return err;
  return x;
}

caf::expected<history_entry> decode_history(std::string_view bytes) {
  reader in{bytes, "history entry", history_format_version};
  history_entry x;
  in.text("job_id", x.job_id);
  in.integer("seq", x.seq);
  in.integer("time_us", x.time_us);
  in.enumeration("from", x.from, job_status_count);
  in.enumeration("to", x.to, job_status_count);
  in.integer("attempt", x.attempt);
  in.text("executor", x.executor);
  in.text("node", x.node);
  in.text("principal", x.principal);
  in.text("message", x.message);
  if (auto err = in.finish())
    return err;
  return x;
}

std::string encode_schedule(const periodic_schedule& x) {
  writer out;
  out.integer(schedule_format_version);
  out.text(x.name);
  out.text(x.cron);
  out.integer(x.every_ms);
  out.integer(static_cast<uint8_t>(x.missed));
  out.integer(x.created_us);
  out.integer(x.last_fired_us);
  out.text(x.last_job_id);
  const auto& job = x.job;
  out.text(job.type);
  out.text(job.payload);
  out.integer(job.priority);
  out.integer(job.timeout_s);
  out.integer(job.max_retries);
  out.text(job.owner);
  out.texts(job.tags);
  out.integer(job.result_ttl_s);
  return out.take();
}

caf::expected<periodic_schedule> decode_schedule(std::string_view bytes) {
  reader in{bytes, "schedule", schedule_format_version};
  periodic_schedule x;
  in.text("name", x.name);
  in.text("cron", x.cron);
  in.integer("every_ms", x.every_ms);
  in.enumeration("missed", x.missed, missed_policy_count);
  in.integer("created_us", x.created_us);
  in.integer("last_fired_us", x.last_fired_us);
  in.text("last_job_id", x.last_job_id);
  auto& job = x.job;
  in.text("job.type", job.type);
  in.text("job.payload", job.payload);
  in.integer("job.priority", job.priority);
  in.integer("job.timeout_s", job.timeout_s);
  in.integer("job.max_retries", job.max_retries);
  in.text("job.owner", job.owner);
  in.texts("job.tags", job.tags);
  in.integer("job.result_ttl_s", job.result_ttl_s);
  if (auto err = in.finish())
    return err;
  return x;
}

std::string encode_audit(const audit_entry& x) {
  writer out;
  out.integer(audit_format_version);
  out.integer(x.at_us);
  out.text(x.principal);
  out.text(x.action);
  out.text(x.target);
  out.text(x.outcome);
  out.text(x.detail);
  return out.take();
}

caf::expected<audit_entry> decode_audit(std::string_view bytes) {
  reader in{bytes, "audit entry", audit_format_version};
  audit_entry x;
  in.integer("at_us", x.at_us);
  in.text("principal", x.principal);
  in.text("action", x.action);
  in.text("target", x.target);
  in.text("outcome", x.outcome);
  in.text("detail", x.detail);
  if (auto err = in.finish())
    return err;
  return x;
}

} // namespace troupe
