// adapters/vn_mps/vn_in.h
//
// VN-MPS documents -> canonical gw.v1 messages (VN-MPS.md §4 read right to
// left), the checks of §6 step 11 that come after the XSD, and the reading
// of the partner's answers (tip:Acknowledgement, tip:Rejection).
//
// REQUIRES for every function: `root` is the root element of a document
// that validated against VN-MPS.xsd (xml_doc.h), so every required element
// is present, in order, with a value of its type. Untrusted input beyond
// that (rules the XSD cannot express, calendar validity) is checked here
// and reported as a Fault, never asserted.
//
//  * CheckRules (step 11.7): ScheduledHandover present if and only if the
//    state is HANDOVER_SCHEDULED (§4.4; the location names
//    tip:ScheduledHandover when it comes with another state, and
//    tip:RepatriationStateCode when HANDOVER_SCHEDULED comes without it);
//    each AttachmentBinaryBase64 decodes to AttachmentSizeMeasure bytes
//    (location: the size) whose SHA-256 is AttachmentSHA256 (location: the
//    digest). SCHEMA_VIOLATION.
//  * ToCanonical: every date and instant of the document, in document
//    order, is a real one (vn_values.h) [SCHEMA_VIOLATION at the element];
//    then the mapping: names joined (§5.2), sex U -> UNKNOWN, instants to
//    UTC, TracingResultCode FOUND/NOT_FOUND -> FAMILY_FOUND /
//    FAMILY_NOT_FOUND, AssessmentOutcomeCode NO_RETURN -> DO_NOT_RETURN and
//    NOT_REQUIRED -> unspecified with a VALUE_NOT_REPRESENTABLE warning on
//    "best_interests_assessment.outcome"; a decision becomes a
//    RepatriationRecord {request {request_id, case_ref, proposed_handover
//    = ScheduledHandover}, state, history [{to_state, actor_agency, at,
//    reason}], updated_at = MessageCreatedDateTime}; a request's
//    created_at is MessageCreatedDateTime; a status's note is StatusNote.
//    Values of the types that collapse white space (instants, dates,
//    indicators, integers, lang; vn_values.h) are read collapsed, as the
//    XSD validated them: " true " is true, "\n2026-04-07 " 2026-04-07.
//    Texts are taken as they are (already NFC).
// Locations are xmlGetNodePath of the element concerned (§8). Texts name
// elements, never values.
// Thread safety: pure functions over a document the caller owns.
#ifndef GW_ADAPTERS_VN_MPS_VN_IN_H_
#define GW_ADAPTERS_VN_MPS_VN_IN_H_

#include <libxml/tree.h>

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "google/protobuf/message.h"
#include "gw/v1/receipt.pb.h"

namespace gw::vn_mps {

// A refusal found in the body, in the ICD's terms.
struct Fault {
  int http_status = 400;
  std::string code;
  std::string location;
  std::string text;
};

// tip:MessageHeader of a data message.
struct MessageHeaderView {
  std::string message_id;
  std::string sender;
  std::string recipient;
  const xmlNode* message_id_node = nullptr;
  const xmlNode* sender_node = nullptr;
  const xmlNode* recipient_node = nullptr;
};
// REQUIRES: root is a data message (its first child is the header).
MessageHeaderView ReadHeader(const xmlNode* root);

// Whether `root` is one of the four data messages of §2.2.
bool IsDataMessage(const xmlNode* root);

std::optional<Fault> CheckRules(const xmlNode* root);

struct CanonicalMessage {
  std::string payload_type;
  std::unique_ptr<google::protobuf::Message> message;
  std::vector<gw::v1::ReceiptWarning> warnings;
};
struct Decoded {
  std::optional<Fault> fault;  // set: `message` is not usable
  CanonicalMessage message;
};
// REQUIRES: IsDataMessage(root).
Decoded ToCanonical(const xmlNode* root);

// The partner's answers.
struct AckView {
  std::string message_id;
  std::string sender;
  std::string recipient;
  std::string status;
  std::string payload_sha256;
  std::string received_at;  // white space collapsed
  std::string partner_reference;
  std::vector<std::pair<std::string, std::string>> warnings;  // code, location
};
// REQUIRES: root is tip:Acknowledgement.
AckView ReadAck(const xmlNode* root);

struct RejectionView {
  std::string rejected_message_id;
  std::string sender;
  std::string recipient;
  std::string payload_sha256;
  std::string code;
  std::string location;
  std::string text;
  std::string rejected_at;  // white space collapsed
};
// REQUIRES: root is tip:Rejection.
RejectionView ReadRejection(const xmlNode* root);

}  // namespace gw::vn_mps

#endif  // GW_ADAPTERS_VN_MPS_VN_IN_H_
