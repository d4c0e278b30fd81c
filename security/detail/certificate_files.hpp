// Internal to troupe_security: the files of a certificate directory, written
// so that a key is never overwritten or readable by other users.
#pragma once

#include <string>

#include "troupe/security/certificate_authority.hpp"
#include "troupe/security/detail/openssl_support.hpp"

namespace troupe::detail {

/// A CA's certificate and private key, loaded from its directory.
struct loaded_authority {
  x509_ptr cert;
  pkey_ptr key;
};

/// Creates `dir` with mode 0700 unless it exists (its parents as needed);
/// throws security_error "dir: ..." if it cannot or `dir` is no directory.
void make_private_directory(const std::string& dir);

/// DIR/STEM.pem and DIR/STEM.key.
issued_files files_of(const std::string& dir, const std::string& stem);

/// Throws security_error "FIELD: PATH already exists (WHY)" if either file
/// exists.
void check_absent(const issued_files& files, const char* field,
                  const char* why);

/// Writes the key (mode 0600) then the certificate (0644), each only if it
/// does not exist yet; on any failure removes what it wrote and throws
/// security_error naming `field`.
void write_key_pair(const issued_files& files, const std::string& cert_pem,
                    const std::string& key_pem, const char* field);

/// Reads DIR/ca.pem and DIR/ca.key and checks they belong together; throws
/// security_error "dir: ..." otherwise.
loaded_authority load_authority(const std::string& dir);

} // namespace troupe::detail
