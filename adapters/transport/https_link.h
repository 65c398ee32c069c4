// adapters/transport/https_link.h
//
// HttpsLinkTransport: the Transport (adapters/adapter.h) of links that speak
// HTTP/1.1 over mutual TLS with signed requests and responses (KH-CNP.md
// §2, §6, §7; VN-MPS.md §2, §6, §7). It knows no body format and judges no
// answer: the link's codec builds request bodies and answers, signs them
// (RFC 9421) and verifies what comes back. The transport moves requests and
// responses between the codec and the network, and nothing it does makes a
// message "delivered".
//
// TLS (both directions) as tcp_frames.h (the same code, link_tls.h): TLS
// 1.3, or 1.2 with ECDHE and AES-GCM or ChaCha20-Poly1305 only (KH-CNP.md
// §2.1); no compression, renegotiation or resumption; the peer chain
// verifies against peer_ca_pem (+ peer_crl_pem), its subject carries O =
// peer_agency and OU = "gateway"; the client also checks tls_server_name.
// Anything else fails the handshake (an inbound request without a valid
// client certificate gets no response at all, KH-CNP.md §6.4 step 1).
//
// Metadata conventions (PartnerMessage / PartnerAnswer). Header names are
// lowercase; pseudo-entries start with ':'; order is kept, repeats too.
//  * Outbound request (from Codec::Encode): metadata ":path" (e.g.
//    "/cnp/v1/alerts", required) and the headers to send (content-type,
//    content-digest, gw-message-id); `bytes` is the body. The transport adds
//    Host (of base_uri), Content-Length, and, on every attempt, the headers
//    of HttpRequestSigner::SignRequest (Signature-Input, Signature with a
//    fresh `created`, KH-CNP.md §7).
//  * Outbound answer (to SendDone): status OK whenever an HTTP response was
//    read, whatever its status code; metadata ":status" (e.g. "202") then
//    every response header; `bytes` the body. Otherwise the failure:
//      UNAVAILABLE        connect/TLS failure, connection lost before the
//                         whole response, a response that is not HTTP/1.1,
//                         a body over max_response_bytes or a header
//                         block over 64 KiB, no base_uri,
//                         Stop().
//      DEADLINE_EXCEEDED  no whole response within request_timeout of the
//                         request being started (connect included);
//      INTERNAL           a message without exactly one ":path" (an
//                         origin-form path: "/" first, no spaces or
//                         control characters), a header name that is not
//                         a lowercase token, a value with CR, LF or NUL,
//                         a header the transport writes itself (host,
//                         content-length, transfer-encoding, connection),
//                         or a signer error (nothing is sent then).
//    Interim 1xx responses are skipped. Other pseudo-entries of the
//    request's metadata are ignored.
//  * Inbound request (to InboundReceiver::Receive): sender = peer_agency
//    (authenticated by TLS); message_id = the value of the request's single
//    Gw-Message-Id header ("" if absent or repeated); content_type = its
//    single Content-Type ("" otherwise); bytes = the body; metadata
//    ":method", ":path" (the request-target as received, query included),
//    ":target-uri" (external_base_uri + the path without query, the value
//    the signature must cover), ":body-too-large" = "1" only when the body
//    (by Content-Length or as read) exceeded max_body_bytes and was not read
//    (bytes then empty), then every request header.
//  * Inbound answer (from AnswerEncoder::EncodeAnswer): metadata ":status"
//    (required, 100..599 exclusive of 1xx) and the headers to send;
//    `bytes` the body. The transport adds Content-Length (and Connection:
//    close when it will close). nullopt or an error, or an answer whose
//    metadata breaks the rules of outbound requests (content-length etc.
//    included): the connection is closed without a response (logged).
//
// Outbound: up to max_concurrent_requests requests at once, each on its own
// connection; idle connections are kept (up to that many) for reuse and
// closed after idle_timeout or when the server closes them. A request on a
// reused connection that fails before any response byte arrives is not
// retried here: it fails UNAVAILABLE and the delivery engine resends the
// same bytes after its backoff (the transport never re-signs or resends on
// its own). Sends beyond the limit wait in order. Retry-After and backoff
// are the codec's and the delivery engine's business.
//
// Inbound: accepts the partner's TLS connections on listen_address (up to
// max_inbound_connections authenticated at once; handshakes limited apart,
// 16 at once and 2 per address, as tcp_frames.h; a handshake must end
// within connect_timeout). HTTP/1.1 keep-alive, one request at a time per
// connection (pipelined requests wait). The header block is limited to 64
// KiB (larger, or a malformed request: connection closed, nothing handed
// over). Any method and path are handed over. The partner gets
// each response only after `answer` runs, which is after the gateway has
// durably stored (or refused) the message. A body over max_body_bytes is
// not read: the request is handed over with ":body-too-large" and the
// connection is closed after the response. No whole request within
// request_timeout of its first byte, or no request within idle_timeout:
// the connection is closed.
//
// Each connection event is one line on stderr ("https_link[KH-CNP]: ..."):
// agencies, addresses, paths, status codes, message ids; never bodies.
//
// Threads: one I/O thread per transport. `done`, Receive, the signer and
// `answer`-driven writes run on it (Send may call `done` on the caller's
// thread when it fails at once); they must not block. Send, StartReceiving,
// Stop and bound_port may be called from any thread. Stop(): closes every
// connection and the listener; Sends without a response get UNAVAILABLE
// ("transport stopped"); later Sends get it at once; joins the I/O thread;
// idempotent; an `answer` called after Stop() does nothing. The destructor
// calls Stop(). `signer` and `answers` are not owned and must outlive the
// transport; the receiver likewise.
#ifndef GW_ADAPTERS_TRANSPORT_HTTPS_LINK_H_
#define GW_ADAPTERS_TRANSPORT_HTTPS_LINK_H_

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "adapters/adapter.h"

namespace gw::adapters {

// Signs outbound requests at the moment they are written, so that every
// attempt carries a fresh signature (KH-CNP.md §7). Implemented by the
// link's codec.
class HttpRequestSigner {
 public:
  virtual ~HttpRequestSigner() = default;
  // The headers to add to `request` (Signature-Input and Signature),
  // which is about to be POSTed to `target_uri` (base_uri + its ":path").
  [[nodiscard]] virtual absl::StatusOr<Metadata> SignRequest(
      std::string_view target_uri, const PartnerMessage& request) const = 0;
};

struct HttpsLinkOptions {
  // The partner's base URI from its connection sheet ("https://host" or
  // "https://host:port", lowercase, no path). Empty: this link never sends,
  // and every Send answers UNAVAILABLE.
  std::string base_uri;
  // "host:port" to connect to when it is not base_uri's host and port.
  std::string connect_target;
  // The name the server certificate must match (DNS name or IP address
  // SAN). Empty: the host connected to.
  std::string tls_server_name;
  // "host:port" to accept the partner's requests on ("127.0.0.1:0" picks a
  // free port, see bound_port()). Empty: no server.
  std::string listen_address;
  // This gateway's base URI in the partner's connection sheet; inbound
  // ":target-uri" is this + path. Required with listen_address.
  std::string external_base_uri;
  // The partner agency ("KH-CNP"): the O= its certificates must carry.
  std::string peer_agency;
  // This gateway's agency ("CN-MPS"), for log lines.
  std::string local_agency;
  // PEM: this gateway's TLS certificate chain and key (client and server),
  // the partner's CA certificate(s) and optionally its CRL(s).
  std::string cert_pem;
  std::string key_pem;
  std::string peer_ca_pem;
  std::string peer_crl_pem;
  // KH-CNP.md §7, §9; VN-MPS.md §9.
  int max_concurrent_requests = 16;
  int max_inbound_connections = 32;
  size_t max_body_bytes = 8 * 1024 * 1024;
  size_t max_response_bytes = 1024 * 1024;
  absl::Duration connect_timeout = absl::Seconds(10);
  absl::Duration request_timeout = absl::Seconds(30);
  absl::Duration idle_timeout = absl::Seconds(60);
};

// A base URI as HttpsLinkOptions takes it (base_uri, external_base_uri):
// "https://" + lowercase host (DNS name, IPv4 address or [IPv6 address]) +
// optionally ":port" (1..65535, never 443), and nothing else: no path, not
// even "/", no userinfo, query or fragment. That text is what signatures
// cover (@target-uri), so it must be written exactly as the connection
// sheet lists it.
struct HttpsBaseUri {
  std::string host;       // without IPv6 brackets
  std::string port;       // "443" when the URI names none
  std::string authority;  // host[:port] as written: the Host header
};
// INVALID_ARGUMENT "FIELD: want https://host or https://host:port ...".
[[nodiscard]] absl::StatusOr<HttpsBaseUri> ParseHttpsBaseUri(
    std::string_view field, std::string_view uri);

class HttpsLinkTransport final : public Transport {
 public:
  // Checks the options (INVALID_ARGUMENT naming the option: "base_uri: want
  // https://host[:port] with no path", "key_pem: does not match cert_pem",
  // "external_base_uri: required with listen_address", ...; also a null
  // `signer`, or a null `answers` with a listen_address), loads the TLS
  // material and starts the I/O thread. Connects and listens to nothing yet.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<HttpsLinkTransport>>
  Create(HttpsLinkOptions options, const HttpRequestSigner* signer,
         const AnswerEncoder* answers);

  ~HttpsLinkTransport() override;
  HttpsLinkTransport(const HttpsLinkTransport&) = delete;
  HttpsLinkTransport& operator=(const HttpsLinkTransport&) = delete;

  void Send(const PartnerMessage& message, SendDone done) override;

  // Binds listen_address and starts accepting. OK and nothing else when
  // listen_address is empty. INVALID_ARGUMENT for a null receiver;
  // FAILED_PRECONDITION when already receiving or stopped; UNAVAILABLE
  // naming listen_address when it cannot be resolved or bound.
  [[nodiscard]] absl::Status StartReceiving(InboundReceiver* receiver) override;

  void Stop() override;

  // The port the server listens on once StartReceiving succeeded; 0 before
  // or without a listen_address.
  int bound_port() const;

 private:
  class Impl;
  explicit HttpsLinkTransport(std::unique_ptr<Impl> impl);

  std::unique_ptr<Impl> impl_;
};

}  // namespace gw::adapters

#endif  // GW_ADAPTERS_TRANSPORT_HTTPS_LINK_H_
