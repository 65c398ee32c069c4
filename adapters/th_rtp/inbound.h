// adapters/th_rtp/inbound.h
//
// A validated TH-RTP data frame -> its canonical gw.v1 message: the field
// mapping of partners/TH-RTP.md §4 read right to left (AL -> CaseAlert, RQ
// -> RepatriationRequest, RD -> RepatriationRecord, CS -> CaseStatus).
// T fields are decoded from TIS-620 and normalised to NFC, and nothing else
// is changed (§5.3); trailing spaces are removed (§5.2).
//
// Precondition: the frame passed ParseBody and ValidateFields (frame.h), so
// every field has its type and format. Errors: INTERNAL if text decoding
// fails all the same (ICU), never a refusal of the partner's frame.
// Thread safety: pure function.
#ifndef GW_ADAPTERS_TH_RTP_INBOUND_H_
#define GW_ADAPTERS_TH_RTP_INBOUND_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "adapters/th_rtp/frame.h"
#include "google/protobuf/message.h"
#include "gw/v1/receipt.pb.h"

namespace gw::th_rtp {

struct CanonicalMessage {
  std::string payload_type;  // "application/vnd.gw.v1.<Type>+proto"
  std::unique_ptr<google::protobuf::Message> message;
  // NAME_INCOMPLETE / NAME_TRUNCATED per subject, TEXT_SUBSTITUTED,
  // VALUE_NOT_REPRESENTABLE (see th_rtp_codec.h).
  std::vector<gw::v1::ReceiptWarning> warnings;
};

[[nodiscard]] absl::StatusOr<CanonicalMessage> ToCanonical(
    const ParsedFrame& frame);

}  // namespace gw::th_rtp

#endif  // GW_ADAPTERS_TH_RTP_INBOUND_H_
