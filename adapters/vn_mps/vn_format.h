// adapters/vn_mps/vn_format.h
//
// The wire constants of the VN-MPS link (partners/VN-MPS.md), shared by the
// encoder (vn_out.cc) and the decoder (vn_in.cc) so that both sides of the
// codec name elements, endpoints and limits the same way. Each constant
// cites the ICD section that fixes it. Header only; no state.
#ifndef GW_ADAPTERS_VN_MPS_VN_FORMAT_H_
#define GW_ADAPTERS_VN_MPS_VN_FORMAT_H_

#include <cstddef>

#include "gateway/util/payload_types.h"

namespace gw::vn_mps {

// §1, §3.3 item 2: the one namespace and its prefix.
inline constexpr char kNamespace[] = "urn:vn:mps:tip:1.0";
inline constexpr char kPrefix[] = "tip";
// §3.3 item 1: the first line of every document.
inline constexpr char kDeclaration[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

// §2.3: what we write, and the three values a receiver takes.
inline constexpr char kMediaType[] = "application/xml";
inline constexpr const char* kAcceptedMediaTypes[] = {
    "application/xml", "application/xml; charset=utf-8",
    "text/xml; charset=utf-8"};

// §3.1 root elements (local names).
inline constexpr char kCaseAlertMessage[] = "CaseAlertMessage";
inline constexpr char kRepatriationRequestMessage[] =
    "RepatriationRequestMessage";
inline constexpr char kRepatriationDecisionMessage[] =
    "RepatriationDecisionMessage";
inline constexpr char kCaseStatusMessage[] = "CaseStatusMessage";
inline constexpr char kAcknowledgement[] = "Acknowledgement";
inline constexpr char kRejection[] = "Rejection";

// §2.2 endpoints: outbound (the partner's) and inbound (ours).
inline constexpr char kOutAlerts[] = "/tip/v1/alerts";
inline constexpr char kOutRequests[] = "/tip/v1/repatriation-requests";
inline constexpr char kOutDecisions[] = "/tip/v1/repatriation-decisions";
inline constexpr char kOutStatus[] = "/tip/v1/case-status";
inline constexpr char kInAlerts[] = "/gw/vn/v1/alerts";
inline constexpr char kInRequests[] = "/gw/vn/v1/repatriation-requests";
inline constexpr char kInDecisions[] = "/gw/vn/v1/repatriation-decisions";
inline constexpr char kInStatus[] = "/gw/vn/v1/case-status";

// §9 limits.
inline constexpr size_t kMaxBodyBytes = 8 * 1024 * 1024;
inline constexpr int kMaxWarnings = 100;             // tip:Warning, XSD
inline constexpr size_t kMaxErrorText = 200;         // ErrorText, README §2.11
inline constexpr size_t kMaxPartnerReference = 200;  // README §2.11
inline constexpr size_t kMaxLocation = 500;          // XPathLocationType

// The canonical payload types (envelope.payload_type).
using ::gw::util::kCaseAlertPayloadType;
using ::gw::util::kCaseStatusPayloadType;
using ::gw::util::kRepatriationRecordPayloadType;
using ::gw::util::kRepatriationRequestPayloadType;

// §5.1: the warning code of a normalized inbound element.
inline constexpr char kNormalizedNfc[] = "NORMALIZED_NFC";
// A value gw.v1 has no enumerator for (BestInterestsAssessment outcome
// NOT_REQUIRED), as th_rtp_codec.h reports it.
inline constexpr char kValueNotRepresentable[] = "VALUE_NOT_REPRESENTABLE";

}  // namespace gw::vn_mps

#endif  // GW_ADAPTERS_VN_MPS_VN_FORMAT_H_
