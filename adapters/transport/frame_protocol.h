// adapters/transport/frame_protocol.h
//
// What a length-prefixed TLS frame transport (tcp_frames.h) must know about
// the frames it carries, supplied by the partner's codec so that the
// transport stays free of any record layout (TH-RTP.md §2.3, §7).
//
// A frame on the wire is LEN (4 bytes, big-endian, the body length) + BODY.
// Every method takes or returns whole frames (prefix included) unless it
// says "body". Implementations are immutable after construction and safe to
// call from any thread.
#ifndef GW_ADAPTERS_TRANSPORT_FRAME_PROTOCOL_H_
#define GW_ADAPTERS_TRANSPORT_FRAME_PROTOCOL_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace gw::adapters {

// What a received frame is, as far as the transport needs to know.
struct FrameInfo {
  enum class Kind {
    // A data frame (TH-RTP: AL, RQ, RD, CS). Only a client sends these.
    kData,
    // An answer to a data frame (TH-RTP: AK, NK). Only a server sends these.
    kAnswer,
    // A heartbeat, signature verified (TH-RTP: HB). Either side.
    kHeartbeat,
  };
  Kind kind = Kind::kData;
  // kData: the frame's own message id, as written (may be invalid; the
  // codec judges it). kAnswer: the message id of the data frame it
  // answers; empty when the answer names none (TH-RTP NK 100/101).
  std::string message_id;
  // The sending agency the frame names (TH-RTP: SENDER), for the check
  // against the TLS peer's agency.
  std::string sender_agency;
};

class FrameProtocol {
 public:
  virtual ~FrameProtocol() = default;

  // Valid body lengths (TH-RTP: 220 .. 1,048,576). A LEN outside them makes
  // the rest of the stream unreadable.
  virtual size_t min_body_length() const = 0;
  virtual size_t max_body_length() const = 0;

  // Classifies a complete received body. An error means the frame cannot
  // be classified: for a server receiving a would-be data frame this is
  // still kData (the codec's Decode will NAK it precisely), so Inspect
  // returns an error only for frames that break the connection: a control
  // frame whose record structure or heartbeat signature is invalid.
  // `peer_agency` is the O= of the TLS peer certificate.
  [[nodiscard]] virtual absl::StatusOr<FrameInfo> Inspect(
      std::string_view body, std::string_view peer_agency) const = 0;

  // A new signed heartbeat frame from this side to `peer_agency`.
  [[nodiscard]] virtual absl::StatusOr<std::string> MakeHeartbeat(
      std::string_view peer_agency) const = 0;

  // The server's answer to a LEN outside the valid range (TH-RTP NK 100,
  // blank message id and digest), sent before the connection is closed.
  [[nodiscard]] virtual absl::StatusOr<std::string> MakeLengthRefusal(
      std::string_view peer_agency) const = 0;

  // The server's answer to a data frame that arrived while the window was
  // full (TH-RTP NK 902, retryable), sent without decoding the frame
  // beyond what the ICD allows. `body` is the received body.
  [[nodiscard]] virtual absl::StatusOr<std::string> MakeWindowRefusal(
      std::string_view body, std::string_view peer_agency) const = 0;
};

}  // namespace gw::adapters

#endif  // GW_ADAPTERS_TRANSPORT_FRAME_PROTOCOL_H_
