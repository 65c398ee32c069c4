// tools/partners/th_rtp_mock/th_codes.h
//
// The NK reason codes of ICD TH-RTP §8: name, class (RETRYABLE `Y` exactly
// for the transient codes 202, 900, 901, 902) and the mock's REASON_TEXT,
// Thai then English as in examples/TH-RTP/nak-inbound.
//
// Thread safety: immutable static data.
#ifndef GW_TOOLS_PARTNERS_TH_RTP_MOCK_TH_CODES_H_
#define GW_TOOLS_PARTNERS_TH_RTP_MOCK_TH_CODES_H_

#include <string>

namespace gw::th_rtp_mock {

enum ReasonCode : int {
  kFrameLength = 100,
  kRecordStructure = 101,
  kRecordOrder = 102,
  kRecordCount = 103,
  kUnsupportedVersion = 110,
  kInvalidValue = 120,
  kMissingValue = 121,
  kInvalidCharacter = 122,
  kWrongParty = 130,
  kNotPermitted = 131,
  kSignatureInvalid = 201,
  kUnknownKey = 202,
  kDuplicateConflict = 301,
  kUnknownReference = 302,
  kWorkflowState = 303,
  kBusy = 900,
  kInternalError = 901,
  kWindowExceeded = 902,
};

// True for a code listed in §8.
bool IsKnownReasonCode(int code);
// "FRAME_LENGTH", ...; "UNKNOWN" for a code not in §8.
const char* ReasonName(int code);
// Class T of §8.
bool IsRetryable(int code);
// The mock's REASON_TEXT (UTF-8, Thai / English); within 200 TIS-620 bytes.
std::string ReasonText(int code);

}  // namespace gw::th_rtp_mock

#endif  // GW_TOOLS_PARTNERS_TH_RTP_MOCK_TH_CODES_H_
