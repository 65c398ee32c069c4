// gateway/ingest/pipeline.h
//
// Pipeline is the one ingest path (DESIGN.md): every signed message, from a
// local user or (later) a partner adapter, is verified, validated, decided
// by policy and persisted here, together with its audit entry, in one store
// transaction. Refusals are audited too.
//
// Each operation runs its checks (signature verification, parsing,
// validation, policy) on the calling thread, hands the write to the group
// commit Writer and returns at once; `done` runs exactly once, on the writer
// thread, when the write is durable or refused. `done` must not block.
//
// Errors given to `done` (messages name the field, never a personal value):
//  INVALID_ARGUMENT    wrong payload_type, no signature, payload does not
//                      parse, a field is missing or malformed, unknown
//                      recipient agency
//  UNAUTHENTICATED     the author's signature is not by the caller's
//                      certificate, or does not verify
//  PERMISSION_DENIED   origin_agency/originator is not the caller; a
//                      recipient may not receive this kind; the case is
//                      owned by another agency
//  NOT_FOUND           the case does not exist or is not visible
//  ALREADY_EXISTS      the id was used before with a different payload
//  RESOURCE_EXHAUSTED  the request is larger than limits.max_message_bytes
//  ABORTED/UNAVAILABLE the store could not commit; nothing was stored
//
// Ownership: every pointer is not owned and must outlive the pipeline.
// Thread safety: all methods may be called concurrently.
#ifndef GW_INGEST_PIPELINE_H_
#define GW_INGEST_PIPELINE_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/clock.h"
#include "adapters/adapter.h"
#include "gateway/identity/principal.h"
#include "gateway/identity/trust_store.h"
#include "gateway/ingest/case_watchers.h"
#include "gateway/ingest/writer.h"
#include "gateway/policy/policy.h"
#include "gateway/store/store.h"
#include "gateway/util/payload_types.h"
#include "gw/v1/alert.pb.h"
#include "gw/v1/case.pb.h"
#include "gw/v1/envelope.pb.h"
#include "gw/v1/receipt.pb.h"

namespace gw::ingest {

using ::gw::util::kCaseAlertPayloadType;
using ::gw::util::kCaseStatusPayloadType;

// What an audited refusal or read records.
struct AuditFacts {
  std::string action;  // e.g. "AlertService.GetAlert"
  std::vector<std::string> object_ids;
  std::string payload_sha256;
};

// The case after a status update and the gateway's receipt for the update
// (absent only if the audit log could not issue one).
// What AcceptInbound answers when it accepts a partner's message.
struct InboundAccepted {
  // This gateway's signed receipt (the first one for an exact resend).
  gw::v1::Receipt receipt;
  // The partner resent a message it had delivered before: the same
  // (sender, message id) with the same digest (partners/README.md §2.2).
  bool duplicate = false;
};

struct CaseUpdateResult {
  gw::v1::CaseStatus status;
  std::optional<gw::v1::Receipt> receipt;
};

class Pipeline {
 public:
  using Clock = std::function<absl::Time()>;

  Pipeline(std::shared_ptr<const policy::Policy> policy, store::Store* store,
           Writer* writer, CaseWatchers* watchers, Clock clock = absl::Now);

  void SendAlert(
      const identity::Principal& caller,
      const gw::v1::SendAlertRequest& request,
      std::function<void(absl::StatusOr<gw::v1::SendAlertResponse>)> done);

  void UpdateCaseStatus(
      const identity::Principal& caller,
      const gw::v1::UpdateCaseStatusRequest& request,
      std::function<void(absl::StatusOr<CaseUpdateResult>)> done);

  // A message a partner delivered through its adapter (adapters/adapter.h),
  // e.g. a peer gateway's PartnerExchange.Deliver (partners/MM-MPF.md §6):
  //  * the caller is a `gateway` of message.sender_agency;
  //  * DSSE links (message.link_key_id empty):
  //    - the author's signature (signatures[0]) is by a certificate that
  //      the trust store accepts for the agency the payload names as its
  //      origin, whose CN is the payload's originator, and it verifies;
  //    - another signature is by a key registered to the sending agency
  //      (policies/ signing_cert_files) and verifies;
  //  * links whose partner signs its own format (TH-RTP, LA-MPS, KH-CNP,
  //    VN-MPS; message.link_key_id set): the adapter verified the partner's
  //    signature over message.evidence; the key must still be registered
  //    to the sending agency (else UNAVAILABLE UNKNOWN_KEY: transient, the
  //    partner keeps the message and retries until an operator registers
  //    the key, partners/README.md §2.6), the envelope carries no
  //    signature, and the payload's origin is the sending agency. The
  //    evidence is stored with the record;
  //  * the payload (as converted by the adapter, if it converted text) is
  //    validated like a local one, and this gateway's agency is among its
  //    recipients;
  //  * then it is stored exactly as a local alert is (case created or
  //    updated, no onward deliveries), deduplicated by (sender, message id)
  //    with the digest of what was received, and audited; converted text
  //    gets its own ENCODING_CONVERTED audit entry (MM-MPF.md §5.6).
  // `done` gets this gateway's signed receipt: message_id = the partner's
  // message id, payload_sha256 = of the payload as received, the adapter's
  // warnings; for an exact duplicate, the receipt of the first time.
  // Errors carry an ErrorInfo reason (error_reason.h) as well:
  //  INVALID_ARGUMENT  MISSING_MESSAGE_ID, UNKNOWN_PAYLOAD_TYPE,
  //                    PAYLOAD_UNPARSEABLE, FIELD_INVALID, SIGNATURE_INVALID
  //  UNAUTHENTICATED   SIGNATURE_INVALID (a signer that is not the author or
  //                    the sending gateway)
  //  PERMISSION_DENIED AUTHOR_AGENCY_MISMATCH, NOT_A_RECIPIENT
  //  ALREADY_EXISTS    DUPLICATE_ID_CONFLICT
  //  UNAVAILABLE       NOT_SUPPORTED_YET: a payload type of the catalogue
  //                    this release does not take inbound yet (transient,
  //                    so the peer keeps the message and retries);
  //                    UNKNOWN_KEY (link signatures, above)
  // REQUIRES: SetTrustStore() was called.
  void AcceptInbound(const identity::Principal& caller,
                     adapters::InboundMessage message,
                     std::function<void(absl::StatusOr<InboundAccepted>)> done);

  // The trust store that vouches for inbound authors and registered keys.
  // Not owned; must outlive the pipeline. Call before serving.
  void SetTrustStore(const identity::TrustStore* trust) { trust_ = trust; }
  // This gateway's agency (gatewayd --agency), the recipient inbound
  // messages must name.
  void SetLocalAgency(std::string agency) { local_agency_ = std::move(agency); }

  // Appends an audit entry for a refusal decided outside the pipeline (an
  // RPC the role may not call, an object the caller may not see), then
  // calls done(refusal) so the caller answers only once it is recorded.
  void AuditRefusal(const identity::Principal& caller, AuditFacts facts,
                    absl::Status refusal,
                    std::function<void(absl::Status)> done);

  const policy::Policy& policy() const { return *policy_; }

 private:
  gw::v1::AuditEntry NewAuditEntry(const identity::Principal& caller,
                                   const AuditFacts& facts,
                                   absl::Time now) const;

  // The first steps of every signed submission: the request's size, the
  // author's signature, then `payload` parsed from the envelope.
  absl::Status OpenSigned(const identity::Principal& caller,
                          const google::protobuf::Message& request,
                          const gw::v1::Envelope& envelope,
                          absl::string_view payload_type,
                          google::protobuf::Message* payload) const;

  // Verifies envelope.signatures[0] as the caller's own signature.
  absl::Status VerifyAuthor(const identity::Principal& caller,
                            const gw::v1::Envelope& envelope,
                            absl::string_view want_payload_type) const;

  absl::Status CheckAlert(const identity::Principal& caller,
                          const gw::v1::CaseAlert& alert, absl::Time now,
                          std::string* reason) const;

  // AcceptInbound's checks for a message the adapter verified by the
  // partner's link signature (message.link_key_id set).
  absl::Status CheckLinkSignature(const identity::Principal& caller,
                                  const adapters::InboundMessage& message,
                                  const gw::v1::CaseAlert& payload) const;

  absl::Status CheckCaseUpdate(const identity::Principal& caller,
                               const gw::v1::CaseStatus& update) const;

  std::shared_ptr<const policy::Policy> policy_;
  store::Store* const store_;     // not owned
  Writer* const writer_;          // not owned
  CaseWatchers* const watchers_;  // not owned
  Clock clock_;
  const identity::TrustStore* trust_ = nullptr;  // not owned
  std::string local_agency_ = "CN-MPS";
};

}  // namespace gw::ingest

#endif  // GW_INGEST_PIPELINE_H_
