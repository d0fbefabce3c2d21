// The sandbox's TLS identity: a throwaway CA and a server certificate made
// at start with the OpenSSL API (nothing is committed to the repository),
// or the operator's own PEM files.
#pragma once

#include <string>
#include <vector>

namespace prospect::sandbox {

struct certificate_set {
    std::string ca_pem;    // the certificate a client trusts
    std::string cert_pem;  // the server certificate chain
    std::string key_pem;   // the server private key
};

// An EC P-256 CA (basicConstraints CA:TRUE) and a server certificate it
// signs, valid for one year for `hosts` (IP addresses become IP entries of
// subjectAltName, other names DNS entries). Throws std::runtime_error.
certificate_set make_throwaway_certificates(const std::vector<std::string>& hosts);

// The operator's files; the CA written by --ca-out is then the last
// certificate of the chain (the certificate itself when it is self-signed).
// Throws std::runtime_error naming the file.
certificate_set load_certificates(const std::string& cert_file, const std::string& key_file);

}  // namespace prospect::sandbox
