// adapters/vn_mps/vn_out.h
//
// Canonical gw.v1 messages -> VN-MPS documents (VN-MPS.md §3, §4 read left
// to right), in the exact serialization of §3.3 (xml_writer.h), and the
// gateway's own response bodies (tip:Acknowledgement, tip:Rejection).
//
//  * MessageHeader: MessageID = the delivery's message id, Sender = this
//    gateway, Recipient = the partner, MessageCreatedDateTime = the
//    canonical creation time, never the clock (CaseAlert: created_at;
//    RepatriationRequest: created_at; RepatriationRecord: updated_at, else
//    the latest history entry's at; CaseStatus: updated_at), so the same
//    message always gives the same bytes.
//  * Text: every string NFC; short texts and long texts per vn_text.h;
//    names per §5.2 (vn_names.h); times per §5.4 (vn_values.h).
//  * Attachments (§9): each is described; its AttachmentBinaryBase64 is
//    added in canonical order when the document stays within 8 MiB with
//    it, otherwise it is described only (an empty content is never
//    written: its size 0 says all).
//  * gw.v1 has values the ICD has not and the other way round: Guardian
//    FAMILY_FOUND -> FOUND, FAMILY_NOT_FOUND and CARE_INSTITUTION ->
//    NOT_FOUND, unspecified -> NOT_STARTED; assessment DO_NOT_RETURN ->
//    NO_RETURN, unspecified -> PENDING; Person.sex other than FEMALE/MALE
//    -> U; age_estimate 0 is "not given". A decision's ScheduledHandover
//    (state HANDOVER_SCHEDULED only) is record.request.proposed_handover,
//    since gw.v1.RepatriationEvent has no handover; CaseStatus notes are
//    the update's `note`, else the latest history entry's.
//
// Errors: INVALID_ARGUMENT "<canonical field>: <problem>" (never a value):
// identifiers outside README §2.8 with "ID_NOT_REPRESENTABLE" in the
// message and as the ingest reason; a missing required part; a partial
// date of another form; a document over 8 MiB without attachment content.
// Anything else the XSD refuses is found by CheckAgainstXsd, named by the
// canonical field of the element where validation failed.
// Thread safety: pure functions.
#ifndef GW_ADAPTERS_VN_MPS_VN_OUT_H_
#define GW_ADAPTERS_VN_MPS_VN_OUT_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "adapters/vn_mps/xml_doc.h"
#include "gw/v1/alert.pb.h"
#include "gw/v1/case.pb.h"
#include "gw/v1/repatriation.pb.h"

namespace gw::vn_mps {

struct MessageAddress {
  std::string message_id;
  std::string sender;     // this gateway
  std::string recipient;  // the partner
};

struct OutDocument {
  std::string path;  // the partner's endpoint (§2.2)
  std::string bytes;
  // The canonical field each element comes from, in document order.
  std::vector<std::string> fields;
};

[[nodiscard]] absl::StatusOr<OutDocument> AlertDocument(
    const MessageAddress& address, const gw::v1::CaseAlert& alert);
[[nodiscard]] absl::StatusOr<OutDocument> RequestDocument(
    const MessageAddress& address, const gw::v1::RepatriationRequest& request);
[[nodiscard]] absl::StatusOr<OutDocument> DecisionDocument(
    const MessageAddress& address, const gw::v1::RepatriationRecord& record);
[[nodiscard]] absl::StatusOr<OutDocument> StatusDocument(
    const MessageAddress& address, const gw::v1::CaseStatus& status);

// OK when `document` validates against `schema`; otherwise
// INVALID_ARGUMENT "<field>: not representable in VN-MPS (<xsd text>)".
[[nodiscard]] absl::Status CheckAgainstXsd(const OutDocument& document,
                                           const XsdSchema& schema);

// The gateway's answers (§3.2 order). Values are written as given (the
// caller makes them fit the XSD); optional ones are left out when empty.
struct AckBody {
  std::string message_id;
  std::string sender;
  std::string recipient;
  std::string payload_sha256;
  std::string received_at;
  std::string partner_reference;
  std::vector<std::string> nfc_locations;  // one tip:Warning each
};
std::string AcknowledgementDocument(const AckBody& ack);

struct RejectionBody {
  std::string rejected_message_id;
  std::string sender;
  std::string recipient;
  std::string payload_sha256;
  std::string code;
  std::string location;
  std::string text;
  std::string rejected_at;
};
std::string RejectionDocument(const RejectionBody& rejection);

}  // namespace gw::vn_mps

#endif  // GW_ADAPTERS_VN_MPS_VN_OUT_H_
