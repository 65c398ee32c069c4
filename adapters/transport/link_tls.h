// adapters/transport/link_tls.h
//
// The mutual-TLS setup shared by the partner-link transports that speak TLS
// themselves (tcp_frames.h: TH-RTP; https_link.h: KH-CNP, VN-MPS), so that
// every such link refuses exactly the same peers:
//  * TLS 1.3, or TLS 1.2 with the cipher list the link's ICD allows; no
//    compression, renegotiation or session resumption (a resumed session
//    would skip the chain, CRL and subject checks).
//  * The peer's chain verifies against the partner CA(s) alone (plus its
//    CRL(s): then revocation of the peer certificate is checked), and the
//    peer certificate's subject carries exactly one O = the partner agency
//    and exactly one OU = "gateway" (CONTRACT.md §2).
//  * A client also checks the server name (DNS name or IP address SAN).
// Plus the small helpers both transports log and parse with.
//
// Errors: INVALID_ARGUMENT naming the option ("cert_pem: ...", "key_pem:
// does not match cert_pem", "peer_ca_pem: ...", "peer_crl_pem: ...",
// "connect_target: want host:port"); INTERNAL when OpenSSL refuses a
// setting it should accept. Every OpenSSL error queue entry a function
// causes is cleared before it returns.
// Thread safety: the functions keep no state. A configured ssl::context
// may be shared by the streams of one I/O thread.
#ifndef GW_ADAPTERS_TRANSPORT_LINK_TLS_H_
#define GW_ADAPTERS_TRANSPORT_LINK_TLS_H_

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace gw::adapters::link_tls {

// The OU every partner system certificate carries (CONTRACT.md §2).
inline constexpr char kGatewayRole[] = "gateway";

// Inbound TLS handshakes in progress at once, in all and from one address.
// Anyone who can reach a listening port can start a handshake, so
// handshakes are limited apart from the authenticated connections and
// cannot use up the partner's places (the partner's system connects from a
// handful of addresses).
inline constexpr size_t kMaxInboundHandshakes = 16;
inline constexpr size_t kMaxHandshakesPerAddress = 2;

struct HostPort {
  std::string host;  // without IPv6 brackets
  std::string port;  // decimal digits
};

// "host:port" (an IPv6 address as "[address]:port") in the option named
// `field`. INVALID_ARGUMENT "FIELD: want host:port ..." otherwise, also for
// port 0 unless `allow_port_zero`.
absl::StatusOr<HostPort> SplitHostPort(absl::string_view field,
                                       absl::string_view value,
                                       bool allow_port_zero);

// The single value of subject attribute `nid` (e.g. NID_organizationName)
// of `cert`, as UTF-8; empty if absent, repeated or not a string.
std::string SingleSubjectAttribute(X509* cert, int nid);

// Adds every PEM certificate of `ca_pem` to `store` as a trust anchor, and
// every CRL of `crl_pem` (each must be signed by one of those CAs), then
// turning on revocation checking of the peer certificate. Errors name
// peer_ca_pem / peer_crl_pem.
absl::Status AddTrust(X509_STORE* store, const std::string& ca_pem,
                      const std::string& crl_pem);

// This side's certificate and key, and whom it trusts for the peer.
struct TlsMaterial {
  std::string cert_pem;      // the chain, leaf first
  std::string key_pem;       // the leaf's private key
  std::string peer_ca_pem;   // the partner agency's CA certificate(s)
  std::string peer_crl_pem;  // optional: its CRL(s)
};

// Sets up `context` for one side of a partner link: protocol versions,
// `tls12_ciphers` (OpenSSL cipher list for TLS 1.2; TLS 1.3 keeps its
// defaults), options, no session cache or tickets, the certificate and
// key, the trust store, and the verify mode (a server requires a client
// certificate). The peer's subject is checked per connection
// (PrepareVerification).
absl::Status ConfigureContext(boost::asio::ssl::context& context,
                              const TlsMaterial& material, bool server,
                              const char* tls12_ciphers);

// Client side: sends `server_name` as SNI (unless it is an IP address) and
// makes the handshake fail unless the server certificate matches it (DNS
// name without partial wildcards, or IP address).
void ExpectServerName(SSL* ssl, const std::string& server_name);

// The body of the verify callback: false (and the first failure's text in
// `*failure`, which stays as it is once set) when OpenSSL did not
// preverify the certificate at this depth, or when the leaf's subject does
// not carry exactly O = `peer_agency` and OU = kGatewayRole.
bool CheckPeerCertificate(bool preverified, X509_STORE_CTX* store,
                          const std::string& peer_agency, std::string* failure);

// Arms the per-connection checks on a fresh `stream` (an asio ssl::stream
// or a beast::ssl_stream): ExpectServerName for a client, and the subject
// check of CheckPeerCertificate. `failure` (why the handshake failed, for
// the log line and status) must outlive the stream; it is written only
// during the handshake, on the thread running it.
template <typename SslStream>
void PrepareVerification(SslStream& stream, bool client,
                         const std::string& server_name,
                         std::string peer_agency, std::string* failure) {
  if (client) ExpectServerName(stream.native_handle(), server_name);
  boost::system::error_code ignored;
  stream.set_verify_callback(
      [peer_agency = std::move(peer_agency), failure](
          bool preverified, boost::asio::ssl::verify_context& context) {
        return CheckPeerCertificate(preverified, context.native_handle(),
                                    peer_agency, failure);
      },
      ignored);
}

// Empty when one more inbound handshake may start, given how many are in
// progress in all and from the new connection's address; otherwise the
// reason it is refused, for the log line.
std::string HandshakeRefusal(size_t in_progress, size_t from_address);

// "address:port", an IPv6 address in brackets.
std::string EndpointText(const boost::asio::ip::tcp::endpoint& endpoint);

// A message id as it may appear in a log line: ids are UUIDs; anything
// else (a garbled or hostile message) is not echoed.
std::string LoggableId(std::string_view id);

}  // namespace gw::adapters::link_tls

#endif  // GW_ADAPTERS_TRANSPORT_LINK_TLS_H_
