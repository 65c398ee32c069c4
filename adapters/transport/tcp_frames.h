// adapters/transport/tcp_frames.h
//
// TcpFramesTransport: the Transport (adapters/adapter.h) of links that carry
// length-prefixed frames over mutual TLS, one connection per direction
// (TH-RTP.md §2, §7, §8, §9). It knows no record layout: what a frame is
// (data, answer, heartbeat), the heartbeat and the two refusals it sends on
// its own come from a FrameProtocol (frame_protocol.h); the answers to
// inbound data frames come from an AnswerEncoder (adapter.h).
//
// TLS (both directions): TLS 1.3, or TLS 1.2 with ECDHE-ECDSA/ECDHE-RSA
// AES256-GCM-SHA384 only; no compression, no renegotiation, no session
// resumption (every connection verifies the peer in full). The peer's chain
// must verify against peer_ca_pem (and peer_crl_pem when given), and its
// certificate subject must carry O = peer_agency and OU = "gateway". The
// client also checks tls_server_name against the server certificate (DNS
// name or IP address SAN). Anything else fails the handshake.
//
// Outbound (the gateway is the client; Send):
//  * One connection at a time to connect_target, opened by the first Send
//    and kept open. Frames go out whole, in Send order; at most `window`
//    data frames are unanswered on the connection, the next waits for an
//    answer.
//  * `done` gets PartnerAnswer{OK, bytes = the whole answer frame, length
//    prefix included} when an answer (FrameInfo::kAnswer) names the frame's
//    message id. The transport judges nothing more: Codec::ReadAnswer
//    verifies it.
//  * An answer that names no unanswered frame (blank id: TH-RTP NK 100 and
//    101, or an unknown id) is held back, and no further frame is sent on
//    the connection, until every other frame has had its own answer; the
//    remaining frame(s) then get the held answer(s), oldest first. An
//    answer with nothing left to give it to is dropped (logged). A server
//    that answers every data frame exactly once (TH-RTP.md §7) thereby has
//    every answer delivered to the frame it belongs to.
//  * Failures, each a status on `done` (never a resend: the delivery
//    engine resends the same bytes after its backoff):
//      DEADLINE_EXCEEDED  no answer within ack_timeout of the frame being
//                         written; the connection is closed.
//      UNAVAILABLE        connect or TLS failure or timeout, connection
//                         lost or closed (by the peer, a protocol violation,
//                         the dead-peer timeout, an ack timeout of another
//                         frame before this one was written, Stop()), or no
//                         connect_target configured.
//      ABORTED            a Send whose message id is already in flight on
//                         this link (retry once the first one is done).
//      INTERNAL           bytes that are not one frame (LEN prefix not the
//                         body length, or LEN outside the protocol's range),
//                         or an empty message id: the codec's bug.
//  * A data frame from the server, an Inspect error, a LEN outside the
//    protocol's range, or a control frame naming another sender closes the
//    connection (protocol violation, TH-RTP.md §2.1, §8).
//
// Inbound (the gateway is the server; StartReceiving):
//  * Accepts the partner's TLS connections on listen_address (several over
//    time, up to max_inbound_connections authenticated at once). Anyone
//    who can reach the port can start a handshake, so handshakes are
//    limited apart (16 at once, 2 per address) and cannot use up the
//    partner's places. Reads LEN, then exactly LEN bytes.
//  * LEN outside [min_body_length, max_body_length]: writes
//    MakeLengthRefusal, then closes. An Inspect error, an answer frame, or
//    a heartbeat naming another sender closes the connection.
//  * A data frame while `window` are unanswered on the connection is
//    answered at once with MakeWindowRefusal and not counted. Otherwise it
//    goes to InboundReceiver::Receive(peer_agency, PartnerMessage{
//    message_id = FrameInfo::message_id, content_type =
//    inbound_content_type, bytes = the whole frame}, answer). `answer` (any
//    thread, once; later calls are ignored) is encoded with
//    AnswerEncoder::EncodeAnswer and written on the same connection if it is
//    still open (otherwise dropped: the partner resends); nullopt writes
//    nothing (the frame then no longer counts against the window); an error
//    closes the connection.
//  * A connection whose peer does not read what is written to it stops
//    being read once 2 * window + 8 frames wait to be written, and resumes
//    when half of them are out (the dead-peer timeout ends it otherwise).
//
// Both directions send FrameProtocol::MakeHeartbeat when nothing was written
// for heartbeat_interval, and close a connection that delivered no complete
// frame for dead_peer_timeout. Each connection event is one line on stderr
// ("tcp_frames[TH-RTP]: ..."): agencies, addresses, message ids, reasons;
// never frame contents.
//
// Threads: one I/O thread per transport, started by Create. `done`,
// InboundReceiver::Receive and the FrameProtocol / AnswerEncoder calls run
// on it (except that Send calls `done` on the caller's thread when it
// answers at once: bad bytes, stopped transport); they must not block (a
// slow Receive stalls both directions of the link). From there they may
// call Send, and Stop (which then returns at once and does its work right
// after), but must not destroy the transport. Send, StartReceiving, Stop
// and bound_port may be called from any thread. No lock is held while
// `done` or Receive runs.
// Stop(): closes every connection and the listener, every Send without an
// answer gets UNAVAILABLE ("transport stopped"), later Sends get it at
// once, and the I/O thread is joined; idempotent. An `answer` callback
// still held by the receiver after Stop() (or after destruction) does
// nothing. The destructor calls Stop().
// Ownership: `protocol` and `answers` are not owned and must outlive the
// transport; `receiver` likewise.
#ifndef GW_ADAPTERS_TRANSPORT_TCP_FRAMES_H_
#define GW_ADAPTERS_TRANSPORT_TCP_FRAMES_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "adapters/adapter.h"
#include "adapters/transport/frame_protocol.h"

namespace gw::adapters {

struct TcpFramesOptions {
  // "host:port" of the partner's server. Empty: this link never sends, and
  // every Send answers UNAVAILABLE.
  std::string connect_target;
  // The name the partner's server certificate must match (DNS name or IP
  // address, as in its subjectAltName). Empty: the host of connect_target.
  std::string tls_server_name;
  // "host:port" on which the partner connects to deliver inbound frames
  // ("127.0.0.1:0" picks a free port, see bound_port()). Empty: no server.
  std::string listen_address;
  // The partner agency, e.g. "TH-RTP": the O= its certificates must carry,
  // and the sender of every inbound message.
  std::string peer_agency;
  // This gateway's agency, e.g. "CN-MPS" (for log lines).
  std::string local_agency;
  // PEM: this gateway's TLS certificate (chain) and private key, used as
  // both server and client certificate.
  std::string cert_pem;
  std::string key_pem;
  // PEM: the partner agency's CA certificate(s), the only trust anchors
  // for both directions, and optionally its CRL(s) (then revocation of the
  // peer certificate is checked).
  std::string peer_ca_pem;
  std::string peer_crl_pem;
  // PartnerMessage::content_type of inbound frames.
  std::string inbound_content_type = "application/vnd.th-rtp.frame";
  // Unanswered data frames per connection (TH-RTP.md §7).
  int window = 32;
  // Authenticated inbound connections open at once; one more is closed
  // right after its handshake. The ICD's partner keeps one.
  int max_inbound_connections = 4;
  // TH-RTP.md §2.1, §7, §9.
  absl::Duration connect_timeout = absl::Seconds(10);
  absl::Duration handshake_timeout = absl::Seconds(10);
  absl::Duration ack_timeout = absl::Seconds(60);
  absl::Duration heartbeat_interval = absl::Seconds(30);
  absl::Duration dead_peer_timeout = absl::Seconds(90);
};

class TcpFramesTransport final : public Transport {
 public:
  // Checks the options and loads the certificates, key, CA and CRL; starts
  // the I/O thread. Connects nothing: the client connects on the first
  // Send, the server listens from StartReceiving.
  // INVALID_ARGUMENT naming the option ("peer_agency: empty", "key_pem:
  // does not match cert_pem", "window: must be at least 1", ...), also for
  // a null `protocol`, or a null `answers` with a listen_address.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<TcpFramesTransport>>
  Create(TcpFramesOptions options, const FrameProtocol* protocol,
         const AnswerEncoder* answers);

  ~TcpFramesTransport() override;
  TcpFramesTransport(const TcpFramesTransport&) = delete;
  TcpFramesTransport& operator=(const TcpFramesTransport&) = delete;

  void Send(const PartnerMessage& message, SendDone done) override;

  // Binds listen_address and starts accepting. OK and nothing else when
  // listen_address is empty. INVALID_ARGUMENT for a null receiver;
  // FAILED_PRECONDITION when already receiving or stopped; UNAVAILABLE
  // naming listen_address when it cannot be resolved or bound.
  [[nodiscard]] absl::Status StartReceiving(InboundReceiver* receiver) override;

  void Stop() override;

  // The port the server listens on once StartReceiving succeeded (the
  // chosen one for port 0); 0 before, or without a listen_address.
  int bound_port() const;

 private:
  class Impl;
  explicit TcpFramesTransport(std::unique_ptr<Impl> impl);

  std::unique_ptr<Impl> impl_;
};

}  // namespace gw::adapters

#endif  // GW_ADAPTERS_TRANSPORT_TCP_FRAMES_H_
