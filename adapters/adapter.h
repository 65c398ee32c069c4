// adapters/adapter.h
//
// The two interfaces every partner adapter implements (DESIGN.md, "Layout"),
// and the value types that cross them. An adapter translates and moves
// bytes; it decides no policy and writes nothing to the store. The gateway
// core (delivery dispatcher, ingest pipeline) sees only these types, so a
// new partner is a new folder under adapters/ plus a `partners` entry in
// policies/, with no change to the core.
//
//  * Codec: canonical gw.v1 message <-> the partner's bytes, both
//    directions, and the reading of the partner's answer (acknowledgement or
//    refusal) into a DeliveryOutcome. A codec is deterministic: encoding the
//    same OutboundMessage twice gives the same bytes, so a retry resends
//    exactly what was sent before (partners/README.md §2.1, §2.4).
//  * Transport: moves PartnerMessages: sends one and reports the partner's
//    answer, and (for links where the partner calls us) receives inbound
//    messages and sends back the answer the gateway gives.
//
// "Delivered" (partners/README.md §2.3) is decided by Codec::ReadAnswer,
// never by the transport: a write to a socket, an HTTP response or a file
// copy is not a delivery until the codec has verified the partner's signed
// acknowledgement for this message id and these bytes.
//
// Thread safety: Codec methods are const and may be called concurrently.
// Transport::Send may be called concurrently (up to Adapter::max_in_flight
// calls at once); its callback may run on any thread and must not block.
#ifndef GW_ADAPTERS_ADAPTER_H_
#define GW_ADAPTERS_ADAPTER_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "gw/v1/alert.pb.h"
#include "gw/v1/envelope.pb.h"
#include "gw/v1/person.pb.h"
#include "gw/v1/receipt.pb.h"

namespace gw::adapters {

// Transport headers or gRPC metadata: (lowercase key, value) pairs.
using Metadata = std::vector<std::pair<std::string, std::string>>;

// One canonical message on its way to one partner (one delivery).
struct OutboundMessage {
  // The delivery's transport id (partners/README.md §2.1): assigned when
  // the delivery was queued, the same on every retry.
  std::string message_id;
  // The partner agency, e.g. "MM-MPF".
  std::string recipient;
  // The canonical envelope: the author's signature first, then this
  // gateway's signature over the same PAE (CONTRACT.md §3). The delivery
  // engine has verified both before handing it over.
  gw::v1::Envelope envelope;
  // Lowercase hex SHA-256 of envelope.payload.
  std::string payload_sha256;
  // Business ids, for the partner formats that carry them.
  std::string alert_id;
  std::string case_ref;
  gw::v1::CaseAlert::Priority priority = gw::v1::CaseAlert::ROUTINE;
};

// A message in the partner's own format, exactly as it goes on (or came
// off) the wire.
struct PartnerMessage {
  std::string message_id;
  // The partner's media type, e.g. "application/vnd.gw.v1.Envelope+proto".
  std::string content_type;
  std::string bytes;
  Metadata metadata;
};

// What came back from the partner for one PartnerMessage, before anyone
// has judged it.
struct PartnerAnswer {
  // OK when the partner answered. Otherwise the transport failure
  // (UNAVAILABLE for a refused or reset connection or TLS failure,
  // DEADLINE_EXCEEDED for no answer in time) or, on links whose refusals
  // are statuses (gRPC), the partner's status with its message.
  absl::Status status;
  // The answer's body: a serialized Receipt, an AK/NK frame, an .ack file,
  // an HTTP body. Empty if there was none.
  std::string bytes;
  // Response headers / trailing metadata (e.g. retry-after).
  Metadata metadata;
};

// The codec's verdict on one delivery attempt (partners/README.md §2.3,
// §2.4).
struct DeliveryOutcome {
  enum class Kind {
    // A valid signed acknowledgement for this message id and these bytes.
    kDelivered,
    // The partner refused for good (signed NK, 4xx, REJECTED, a permanent
    // gRPC status), or its signed acknowledgement names other bytes
    // (ACK_DIGEST_MISMATCH): dead-letter, no automatic retry.
    kPermanentFailure,
    // Anything else: retried with backoff, same bytes, same id.
    kTransientFailure,
  };
  Kind kind = Kind::kTransientFailure;
  // One line for operators: the partner's code, field and text, or the
  // transport error. Never personal data.
  std::string reason;
  // kDelivered: the canonical receipt the gateway keeps as proof of
  // delivery (for native peers the peer's own signed Receipt; for other
  // partners one the adapter builds around the partner's acknowledgement).
  std::optional<gw::v1::Receipt> receipt;
  // The partner's signed acknowledgement or refusal, byte for byte.
  std::string evidence;
  // The partner asked not to be called again before this time.
  std::optional<absl::Time> retry_after;
  // Remarks for the originator that do not block delivery, e.g. outbound
  // Burmese text that looks like Zawgyi (MM-MPF.md §5.7).
  std::vector<gw::v1::ReceiptWarning> warnings;

  static DeliveryOutcome Delivered(gw::v1::Receipt receipt,
                                   std::string evidence) {
    DeliveryOutcome outcome;
    outcome.kind = Kind::kDelivered;
    outcome.receipt = std::move(receipt);
    outcome.evidence = std::move(evidence);
    return outcome;
  }
  static DeliveryOutcome Permanent(std::string reason,
                                   std::string evidence = "") {
    DeliveryOutcome outcome;
    outcome.kind = Kind::kPermanentFailure;
    outcome.reason = std::move(reason);
    outcome.evidence = std::move(evidence);
    return outcome;
  }
  static DeliveryOutcome Transient(std::string reason) {
    DeliveryOutcome outcome;
    outcome.kind = Kind::kTransientFailure;
    outcome.reason = std::move(reason);
    return outcome;
  }
};

// One message received from a partner, translated to canonical form and
// ready for the ingest pipeline, which verifies its signatures.
struct InboundMessage {
  // The partner agency, from its authenticated TLS certificate.
  std::string sender_agency;
  // The partner's message id (partners/README.md §2.1).
  std::string message_id;
  // The canonical envelope as received: every DSSE signature in it still
  // verifies over its payload.
  gw::v1::Envelope envelope;
  // Lowercase hex SHA-256 of what the partner sent, as its ICD defines the
  // digest for deduplication (MM-MPF: of envelope.payload).
  std::string received_sha256;
  // The payload to store when the adapter changed text on the way in (e.g.
  // Zawgyi converted to Unicode, MM-MPF.md §5.6): a serialized message of
  // envelope.payload_type carrying the conversions in text_conversions.
  // Absent when the payload is stored as received.
  std::optional<std::string> converted_payload;
  // Field paths converted or flagged, for the audit entry and the receipt.
  std::vector<gw::v1::ReceiptWarning> warnings;
  // The partner's original bytes and signature, kept as evidence (empty for
  // native peers, whose envelope is the evidence).
  std::string evidence;
  // Links whose partners sign their own format instead of DSSE (TH-RTP,
  // LA-MPS, KH-CNP, VN-MPS; partners/README.md §2.6): the key id of the
  // partner's link signature, which Decode verified over `evidence` with a
  // key the AdapterContext registered to `sender_agency`. The envelope then
  // carries no signature; the ingest pipeline checks that this key is still
  // registered to the sender and stores `evidence` with the record, so the
  // partner's own signature is what proves the message later (the
  // gateway's signed receipt and audit entry record its digest).
  // Empty for DSSE links, whose envelope signatures the pipeline verifies.
  std::string link_key_id;
};

class Codec {
 public:
  virtual ~Codec() = default;

  // The partner-format bytes of `message`. Deterministic.
  // Errors: INVALID_ARGUMENT naming the field when the message cannot be
  // represented in the partner's format (the delivery is dead-lettered with
  // that reason, e.g. ID_NOT_REPRESENTABLE). Any other error (INTERNAL,
  // FAILED_PRECONDITION for a misconfigured key, ...) is the gateway's own
  // and the delivery is retried with backoff.
  [[nodiscard]] virtual absl::StatusOr<PartnerMessage> Encode(
      const OutboundMessage& message) const = 0;

  // Judges the partner's answer to `sent` (the bytes of `message`).
  virtual DeliveryOutcome ReadAnswer(const OutboundMessage& message,
                                     const PartnerMessage& sent,
                                     const PartnerAnswer& answer) const = 0;

  // Translates a message received from `sender_agency` to canonical form.
  // Errors name the partner's field and carry the status the partner's ICD
  // prescribes (INVALID_ARGUMENT for a malformed message, ...).
  [[nodiscard]] virtual absl::StatusOr<InboundMessage> Decode(
      const std::string& sender_agency,
      const PartnerMessage& received) const = 0;
};

// The gateway's answer to one inbound message, for the transport to send
// back in the partner's format.
struct InboundAnswer {
  // OK with the gateway's receipt, or the refusal (from Codec::Decode or
  // the ingest pipeline; its reason code is error_reason.h's payload).
  absl::Status status;
  std::optional<gw::v1::Receipt> receipt;
  // OK answers only: the message is an exact resend of one already
  // accepted, and `receipt` is the first receipt (same received_at).
  bool duplicate = false;
};

// Links on which the partner calls the gateway answer in the partner's own
// format (an AK/NK frame, an .ack file, a signed HTTP response). Codecs of
// those links implement this too; native peers answer with gRPC statuses
// and do not.
class AnswerEncoder {
 public:
  virtual ~AnswerEncoder() = default;
  // The partner-format answer to `received` (exactly what Decode was
  // given). Returns nullopt when the ICD prescribes no answer at all (e.g.
  // LA-MPS: a message signed with an unknown key is held without an .ack;
  // a conflicting reuse of a message id keeps the earlier .ack).
  [[nodiscard]] virtual absl::StatusOr<std::optional<PartnerMessage>>
  EncodeAnswer(const std::string& sender_agency, const PartnerMessage& received,
               const InboundAnswer& answer) const = 0;
};

// Where a transport hands the messages it receives. Implemented by the
// gateway, which hands each one to the ingest pipeline
// (Pipeline::AcceptInbound).
class InboundReceiver {
 public:
  virtual ~InboundReceiver() = default;
  // Takes one received message; `answer` runs exactly once, on any thread,
  // when the message is durably stored (or refused).
  virtual void Receive(const std::string& sender_agency,
                       PartnerMessage received,
                       std::function<void(InboundAnswer)> answer) = 0;
};

class Transport {
 public:
  using SendDone = std::function<void(PartnerAnswer answer)>;

  virtual ~Transport() = default;

  // Sends `message` and calls `done` exactly once with the partner's answer
  // or the transport failure. Never blocks the caller for network I/O.
  virtual void Send(const PartnerMessage& message, SendDone done) = 0;

  // Starts accepting messages the partner initiates and hands each one to
  // `receiver` (not owned; outlives the transport). Links on which the
  // partner calls the gateway's own gRPC service (native peers) receive
  // nothing here and return OK.
  [[nodiscard]] virtual absl::Status StartReceiving(
      InboundReceiver* receiver) = 0;

  // Stops sending and receiving; every pending Send's `done` runs (with
  // UNAVAILABLE if it had no answer). Idempotent.
  virtual void Stop() = 0;
};

// One partner link: the codec and transport for one partner agency.
class Adapter {
 public:
  virtual ~Adapter() = default;
  virtual const Codec& codec() const = 0;
  virtual Transport& transport() = 0;
  // How many Sends the dispatcher may have outstanding on this link.
  virtual int max_in_flight() const = 0;
  // How the gateway answers inbound messages on this link in the partner's
  // format; nullptr for links whose answers are gRPC statuses (native
  // peers). The gateway's InboundReceiver uses it for every message the
  // transport hands over.
  virtual const AnswerEncoder* answer_encoder() const { return nullptr; }
};

}  // namespace gw::adapters

#endif  // GW_ADAPTERS_ADAPTER_H_
