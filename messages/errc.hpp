// troupe's error codes, registered with CAF as the error category "troupe".
// Every error carries a message naming the field or resource and the rule.
#pragma once

#include <cstdint>
#include <string>

#include "caf/atom.hpp"
#include "caf/error.hpp"

namespace troupe {

/// Why a troupe operation failed.
enum class errc : uint8_t {
  /// Reserved: not an error.
  none = 0,
  /// A field of a job spec or request breaks a validation rule.
  invalid_field,
  /// A dependency names a job that does not exist.
  unknown_dependency,
  /// Dependencies would form a cycle.
  dependency_cycle,
  /// No job with that id.
  not_found,
  /// The job's status does not allow the operation (e.g. cancel a completed
  /// job).
  invalid_transition,
  /// RocksDB reported an error while reading or writing.
  storage_failure,
  /// Another process holds the data directory's lock.
  data_dir_locked,
  /// The data directory is damaged or from an incompatible version.
  data_dir_corrupt,
  /// The node is shutting down and accepts no more work.
  shutting_down,
  /// Another node (a coordinator to join, a bare node to spawn into) did not
  /// answer.
  node_unreachable,
  /// A job with the submitted id exists with a different spec.
  conflict,
  /// The caller's principal lacks the role (or ownership) the request needs,
  /// or the caller proved no principal at all.
  forbidden,
};

/// The CAF error category of troupe errors.
constexpr caf::atom_value errc_category = caf::atom("troupe");

/// Returns the name of `x`, e.g. "invalid_field".
std::string to_string(errc x);

/// Creates a troupe error without further context.
caf::error make_error(errc x);

/// Creates a troupe error whose context is `message`.
caf::error make_error(errc x, std::string message);

/// Returns the troupe code of `x`, or `errc::none` if it is no troupe error.
errc code_of(const caf::error& x);

/// Returns the context message of a troupe error, or CAF's rendering of any
/// other error.
std::string message_of(const caf::error& x);

} // namespace troupe
