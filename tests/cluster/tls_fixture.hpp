// A cluster CA in a scratch directory and a coordinator serving mutual TLS
// with it, driven through the real CLI as one principal or another.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "tests/cli/cli_process.hpp"

namespace troupe::cluster_test {

/// A PKI (our CA and another cluster's) and a coordinator that trusts ours.
struct tls_fixture {
  cli_test::scratch_dir dir;
  /// Our cluster's CA directory: ca.pem, and NAME.pem / NAME.key per issue.
  std::string ca_dir = dir / "pki";
  /// Another cluster's CA directory.
  std::string other_dir = dir / "other";
  std::unique_ptr<cli_test::server_process> coordinator;

  /// Creates both CAs and issues "coordinator" (admin) and "root" (admin).
  tls_fixture();

  /// Issues NAME with ROLE from our CA, or from `dir` if given.
  void issue(const std::string& name, const std::string& role,
             const std::string& from = {}) const;

  /// `args` followed by `--tls-cert NAME.pem --tls-key NAME.key --tls-ca
  /// CA/ca.pem`, the certificate taken from `from` (default: our CA's
  /// directory).
  std::vector<std::string> with_tls(std::vector<std::string> args,
                                    const std::string& name,
                                    const std::string& from = {}) const;

  /// A bare node over TLS and the address it listens on.
  struct bare_node {
    std::unique_ptr<cli_test::background_process> process;
    std::string address;
  };

  /// Starts `troupe node` as `name` (its certificate) on a free port.
  bare_node start_bare_node(const std::string& name) const;

  /// Starts `troupe serve` with the certificate `cert` and `extra`.
  void start_coordinator(const std::vector<std::string>& extra = {},
                         const std::string& cert = "coordinator");

  /// Runs `troupe ARGS --server COORDINATOR` as principal `name`.
  cli_test::run_result as(const std::string& name,
                          std::vector<std::string> args) const;

  /// Submits a job as `name` and returns its id (requires success).
  std::string submit_as(const std::string& name, const std::string& type,
                        const std::string& payload) const;

  /// `status ID --json` as the admin "root".
  cli_test::json status(const std::string& id) const;

  /// Polls `status` until the job runs; returns the node it runs on.
  std::string await_running(const std::string& id) const;

  /// `troupe wait ID` as "root" (requires completion); then its status.
  cli_test::json wait_done(const std::string& id) const;
};

} // namespace troupe::cluster_test
