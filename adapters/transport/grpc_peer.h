// adapters/transport/grpc_peer.h
//
// GrpcPeerTransport: the Transport (adapters/adapter.h) of links to a peer
// gateway that speaks the native gw.v1.PartnerExchange service (MM-MPF.md
// §2). Each Send is one PartnerExchange/Deliver call:
//
//  * request: PartnerMessage.bytes parsed as the gw.v1.Envelope to send
//    (bytes that do not parse answer INTERNAL at once, nothing is sent);
//    PartnerMessage.metadata as request metadata (e.g. gw-message-id);
//    the deadline of the options.
//  * answer: PartnerAnswer.status is the call's gRPC status with its
//    message (the gRPC and absl codes are the same numbers): OK, the peer's
//    refusal, or the transport failure (UNAVAILABLE for a refused
//    connection or a failed TLS handshake, DEADLINE_EXCEEDED for no answer
//    in time). On OK, bytes is the Receipt, serialized deterministically. The
//    metadata holds the trailing metadata the peer sent (keys not starting
//    with "grpc-") and, for a refusal with details, "grpc-status-details-bin"
//    = the serialized google.rpc.Status (raw bytes, as
//    grpc::Status::error_details() gives them).
//
// The channel: mutual TLS (grpc::SslCredentials: this gateway's TLS key and
// certificate, the peer agency's CA as the only root), optionally checking
// another server name than the target's host; HTTP/2 keepalive PING after
// 60 s without activity with a 20 s timeout, also with no call in flight;
// 16 MiB send and receive limits; no compression (MM-MPF.md §2, §9). Calls
// fail fast (no wait-for-ready): a peer that is down answers UNAVAILABLE, and
// the dispatcher retries with backoff. The channel reconnects by itself.
//
// Nothing is received here: the peer calls this gateway's own gRPC server,
// so StartReceiving returns OK and does nothing.
//
// Stop(): every later Send answers UNAVAILABLE at once; calls in flight are
// cancelled and answer UNAVAILABLE ("transport stopped") unless gRPC had
// already completed them. Idempotent.
// Callbacks: `done` runs exactly once per Send, on a gRPC thread, or on the
// caller's thread before Send returns when Send answers at once (stopped
// transport, unparsable bytes, invalid metadata), or on the thread of Stop()
// when gRPC completes a cancelled call there. It must not block.
// Thread safety: Send and Stop may be called concurrently from any thread.
// Destruction stops the transport and waits until every `done` has
// returned: no callback runs after the destructor returns. Do not destroy
// the transport from inside a `done` callback.
#ifndef GW_ADAPTERS_TRANSPORT_GRPC_PEER_H_
#define GW_ADAPTERS_TRANSPORT_GRPC_PEER_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "adapters/adapter.h"
#include "gw/v1/receipt.grpc.pb.h"

namespace gw::adapters {

struct GrpcPeerOptions {
  // gRPC target of the peer's PartnerExchange service, e.g. "host:port".
  std::string target;
  // Server name to verify in the peer's certificate instead of the target's
  // host (GRPC_SSL_TARGET_NAME_OVERRIDE_ARG).
  std::optional<std::string> tls_server_name;
  // Deadline of each Deliver call.
  absl::Duration deadline = absl::Seconds(30);
  // PEM: the peer agency's CA (the only trusted root), and this gateway's
  // TLS private key and certificate chain (client certificate).
  std::string root_certs_pem;
  std::string private_key_pem;
  std::string cert_chain_pem;
};

class GrpcPeerTransport : public Transport {
 public:
  // INVALID_ARGUMENT naming the option ("target: ...", "root_certs_pem:
  // ...", "deadline: ...") for an empty target, empty PEMs or a deadline
  // that is not positive. The channel connects lazily, on the first Send.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<GrpcPeerTransport>>
  Create(GrpcPeerOptions options);

  ~GrpcPeerTransport() override;
  GrpcPeerTransport(const GrpcPeerTransport&) = delete;
  GrpcPeerTransport& operator=(const GrpcPeerTransport&) = delete;

  void Send(const PartnerMessage& message, SendDone done) override;
  [[nodiscard]] absl::Status StartReceiving(InboundReceiver* receiver) override;
  void Stop() override;

 private:
  struct Call;
  struct Shared;

  GrpcPeerTransport(GrpcPeerOptions options,
                    std::shared_ptr<grpc::Channel> channel);

  // The end of one Deliver call, on a gRPC thread: answers it and lets the
  // destructor go on once the answer has been handed over.
  static void Complete(const std::shared_ptr<Shared>& shared, Call* call,
                       const grpc::Status& status);

  const GrpcPeerOptions options_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<gw::v1::PartnerExchange::Stub> stub_;
  // The state completion callbacks touch; shared with each call so that it
  // outlives the last callback's final unlock.
  std::shared_ptr<Shared> shared_;
};

}  // namespace gw::adapters

#endif  // GW_ADAPTERS_TRANSPORT_GRPC_PEER_H_
