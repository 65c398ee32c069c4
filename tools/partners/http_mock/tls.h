// tools/partners/http_mock/tls.h
//
// Mutual TLS for both sides of a signed-HTTPS partner link (KH-CNP.md §2.1,
// VN-MPS.md §2.1): TLS 1.3, or TLS 1.2 with ECDHE key exchange and AES-GCM
// or ChaCha20-Poly1305 only; no compression, no renegotiation; the peer
// must present a certificate that
// chains to the given CA (and is not on the CRL, when one is given); after
// the handshake its subject must carry O=<peer agency>, OU=gateway.
//
// Errors: INVALID_ARGUMENT "--flag FILE: reason" naming the flag whose file
// is unusable, so the CLI can print it as is.
// Thread safety: configure a context before sharing it; PeerIdentityOf and
// SetExpectedServerName act on one SSL object.
#ifndef GW_TOOLS_PARTNERS_HTTP_MOCK_TLS_H_
#define GW_TOOLS_PARTNERS_HTTP_MOCK_TLS_H_

#include <openssl/ssl.h>

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "boost/asio/ssl/context.hpp"

namespace gw::http_mock {

struct TlsFiles {
  std::string cert;      // --tls-cert: PEM certificate (chain)
  std::string key;       // --tls-key: PEM private key
  std::string peer_ca;   // --peer-ca: CA the peer's certificate chains to
  std::string peer_crl;  // --peer-crl: PEM CRL of that CA ("" = none)
};

// Loads the files into `context` and sets the rules above.
absl::Status ConfigureTls(boost::asio::ssl::context& context,
                          const TlsFiles& files);

struct PeerIdentity {
  std::string organization;  // O: the agency
  std::string unit;          // OU
  std::string common_name;   // CN
};

// The subject of the verified peer certificate of `ssl`.
// FAILED_PRECONDITION if there is none.
absl::StatusOr<PeerIdentity> PeerIdentityOf(SSL* ssl);

// OK if `peer` is O=`agency`, OU=gateway; PERMISSION_DENIED otherwise.
absl::Status CheckPeerIdentity(const PeerIdentity& peer,
                               const std::string& agency);

// Client side: SNI (for a DNS name) and verification that the server
// certificate's subjectAltName matches `name` (a DNS name or an IP
// address). Call before the handshake.
absl::Status SetExpectedServerName(SSL* ssl, const std::string& name);

}  // namespace gw::http_mock

#endif  // GW_TOOLS_PARTNERS_HTTP_MOCK_TLS_H_
