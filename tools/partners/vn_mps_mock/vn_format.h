// tools/partners/vn_mps_mock/vn_format.h
//
// VnMpsFormat: the body format of VN-MPS (shared/partners/VN-MPS.md) for
// the shared signed-HTTPS mock (tools/partners/http_mock/partner_format.h),
// implemented from the ICD alone with libxml2 and ICU. Nothing under
// adapters/ is used: the mock checks the gateway's VN-MPS adapter.
//
// CheckBody is VN-MPS.md §6 step 11 as VN-MPS applies it, in its order; the
// first failure is the answer:
//   1 MALFORMED_XML     not UTF-8, not (namespace-)well-formed, or a DOCTYPE
//                       (refused at the DOCTYPE itself: vn_xml.h)
//   2 NOT_NFC           VN-MPS refuses non-NFC text; ErrorLocation = the
//                       first element in document order holding some (§5.1)
//   3 SCHEMA_VIOLATION  VN-MPS.xsd, location and text as vn_schema.h
//   4 WRONG_ENDPOINT    the root is not one of the four data messages
//   5 HEADER_MISMATCH   tip:MessageID != Gw-Message-Id
//   6 WRONG_ENDPOINT    the root does not fit the path
//   7 SCHEMA_VIOLATION  ScheduledHandover iff HANDOVER_SCHEDULED (§4.4);
//                       attachment content vs tip:AttachmentSizeMeasure,
//                       then vs tip:AttachmentSHA256 (§4.1), located at the
//                       element that disagrees with the content
//   8 AGENCY_MISMATCH   (403) SenderAgencyCode != the certificate's agency,
//                       RecipientAgencyCode != the mock's agency
// All 400 but 8. RejectedMessageID (Refusal::message_id) follows KH-CNP.md
// §8: the body's MessageID when it is a valid id, else the Gw-Message-Id
// header when that is one, else none. An accepted body may carry a step-12
// business refusal, 403 NOT_A_RECIPIENT: an alert whose recipients do not
// list the mock, a request to which it is no party, a status of a case it
// neither owns nor shares (a decision's parties are those of its request,
// which the mock does not keep, so decisions are not checked).
//
// The summary of an accepted body (received.jsonl) has the ids, kind,
// agencies, times, codes, the persons' names as received and their birth
// dates, language tags and counts, and "exact_serialization": whether the
// body is byte for byte the §3.3 form of its own content (the gateway
// writes that form; a receiver must not demand it, so it is only noted).
//
// Details never quote a value of the body (STYLE: no personal data in
// errors); they name elements, codes, ids and sizes.
//
// MakeAck / MakeError write tip:Acknowledgement / tip:Rejection in the
// §3.3 form (vn_writer.h). ReadAnswer reads the gateway's tip:Acknowledgement
// (with its NORMALIZED_NFC warnings) or tip:Rejection, after the same
// parse, NFC and XSD checks (the gateway always writes NFC).
//
// MakeSample writes the inbound messages of the ICD examples with the
// given ids, agencies, time and case reference (kinds: kSampleKinds; the
// default case_ref is "<sender>-CASE-<year>-<6 digits of the message id>",
// a new case for each new message).
//
// Thread safety: immutable after Create; every method may be called from
// any thread.
#ifndef GW_TOOLS_PARTNERS_VN_MPS_MOCK_VN_FORMAT_H_
#define GW_TOOLS_PARTNERS_VN_MPS_MOCK_VN_FORMAT_H_

#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "absl/status/statusor.h"
#include "tools/partners/http_mock/partner_format.h"
#include "tools/partners/vn_mps_mock/vn_schema.h"

namespace gw::vn_mps_mock {

// Sample kinds of MakeSample. The *_nfd kinds are the same messages with
// every text in NFD (decomposed), as a sender that produced NFD would
// write them (examples/VN-MPS/repatriation-request-inbound-nfd.xml): the
// gateway must accept them with NORMALIZED_NFC warnings (§5.1).
// "invalid_repatriation_decision" is an APPROVED decision without
// tip:DecidingAgencyCode: the gateway must refuse it with 400
// SCHEMA_VIOLATION at
// /tip:RepatriationDecisionMessage/tip:RepatriationDecision/tip:DecisionDateTime
// (§8, §10).
inline constexpr const char* kSampleKinds[] = {
    "alert",     "repatriation_request",     "repatriation_decision",
    "alert_nfd", "repatriation_request_nfd", "invalid_repatriation_decision",
};

// The endpoint kind ("alert", "repatriation_request",
// "repatriation_decision") a sample kind is POSTed to; "" if unknown.
std::string EndpointKindOfSample(std::string_view sample_kind);

// Business ids of a sample; "" = the default shown.
struct SampleDetails {
  std::string alert_id;    // "<sender>-AL-<message id>"
  std::string request_id;  // "<sender>-RQ-<message id>"
  std::string originator;  // "vn-mps-inv-0107" (the alert's OriginatorID)
};

class VnMpsFormat final : public http_mock::PartnerFormat {
 public:
  // INTERNAL if the embedded XSD cannot be compiled.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<VnMpsFormat>> Create();

  std::string agency() const override { return "VN-MPS"; }
  std::vector<std::string> accepted_media_types() const override;
  std::string media_type() const override { return "application/xml"; }
  std::vector<http_mock::Endpoint> partner_endpoints() const override;
  std::vector<http_mock::Endpoint> gateway_endpoints() const override;
  std::string file_extension() const override { return "xml"; }

  std::variant<http_mock::Accepted, http_mock::Refusal> CheckBody(
      const http_mock::Endpoint& endpoint, std::string_view body,
      std::string_view header_message_id, std::string_view peer_agency,
      std::string_view own_agency) const override;

  std::string MakeAck(const http_mock::AckFields& ack) const override;
  std::string MakeError(const http_mock::Refusal& refusal,
                        std::string_view sender, std::string_view recipient,
                        std::string_view received_at) const override;

  absl::StatusOr<http_mock::AnswerSummary> ReadAnswer(
      int http_status, std::string_view body) const override;

  // INVALID_ARGUMENT naming the Sample field that is not usable (kind not
  // in kSampleKinds, message id not a lowercase UUID, agency code, time not
  // RFC 3339, case_ref not an identifier of README §2.8).
  absl::StatusOr<std::string> MakeSample(const Sample& sample) const override;
  absl::StatusOr<std::string> MakeSample(const Sample& sample,
                                         const SampleDetails& details) const;

  // The compiled XSD (for tests and tools that validate documents).
  const VnMpsSchema& schema() const { return *schema_; }

 private:
  explicit VnMpsFormat(std::unique_ptr<VnMpsSchema> schema)
      : schema_(std::move(schema)) {}
  std::unique_ptr<VnMpsSchema> schema_;
};

}  // namespace gw::vn_mps_mock

#endif  // GW_TOOLS_PARTNERS_VN_MPS_MOCK_VN_FORMAT_H_
