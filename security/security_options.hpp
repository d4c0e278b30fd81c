// How a node proves itself and checks its peers: TLS files, the secret of
// loopback clients and the access-control list. Plain data, no OpenSSL.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace troupe {

/// The PEM files of mutual TLS. All three or none.
struct tls_files {
  /// This node's (or client's) certificate, signed by the cluster's CA.
  std::string cert;
  /// Its private key (mode 0600).
  std::string key;
  /// The cluster's CA certificate: peers must present one it signed.
  std::string ca;

  /// True once any of the three is set (they are checked together).
  bool enabled() const { return !cert.empty() || !key.empty() || !ca.empty(); }
};

/// The roles of troupe's access control, from most to least powerful.
/// `admin`: limits, pauses, cleanup, schedules, spawns, backup and all an
/// operator may; `operator`: cancel and retry any job, and all a reader may;
/// `submitter`: submit, and read, cancel and retry its own jobs; `reader`:
/// read everything; `executor`: register as an executor and receive
/// dispatches, nothing else.
enum class role { admin, operator_, submitter, reader, executor };

/// The name of `x` as the ACL and certificates spell it ("operator", ...).
const char* to_string(role x);

/// Parses a role name; false if `text` names none.
bool parse_role(const std::string& text, role& x);

/// Principals and the roles each holds. A principal absent from the list
/// holds the role its certificate names, if any; none otherwise (deny).
struct access_control_list {
  std::map<std::string, std::vector<role>> principals;
};

/// Everything about who may talk to a node and how.
struct security_options {
  /// Mutual TLS on every cluster connection; empty: plain TCP, which a node
  /// accepts on loopback only unless `insecure_no_tls` is set.
  tls_files tls;
  /// Listen beyond loopback without TLS (prints a warning on every start).
  bool insecure_no_tls = false;
  /// Who holds which roles when TLS is on.
  access_control_list acl;
  /// Where a coordinator writes the secret of its loopback clients (mode
  /// 0600); empty: `client.secret` in the store's directory.
  std::string secret_file;
};

} // namespace troupe
