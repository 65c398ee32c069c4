// adapters/th_rtp/outbound.h
//
// Canonical gw.v1 messages -> the records of a TH-RTP data frame, header
// first, without the TR (frame.h SealFrame adds it): the field mapping of
// partners/TH-RTP.md §4 read left to right, with §5's text, name and date
// rules and §9's attachment inclusion rule.
//
// Guarantees: the records pass the receiver checks of §6 step 6 for a
// receiver named `recipient` (every value is checked or converted before it
// is written); the same input gives the same bytes. Errors:
// INVALID_ARGUMENT "<canonical path>: <problem>" for a message the frame
// cannot carry (identifiers outside README §2.8 additionally carry
// "ID_NOT_REPRESENTABLE" and the ingest reason of that name); INTERNAL if
// ICU fails. Messages never contain field values.
// Thread safety: pure functions.
#ifndef GW_ADAPTERS_TH_RTP_OUTBOUND_H_
#define GW_ADAPTERS_TH_RTP_OUTBOUND_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "gw/v1/alert.pb.h"
#include "gw/v1/case.pb.h"
#include "gw/v1/repatriation.pb.h"

namespace gw::th_rtp {

// The transport fields of the header prefix (§3.5).
struct FrameAddress {
  std::string message_id;
  std::string sender;
  std::string recipient;
};

[[nodiscard]] absl::StatusOr<std::vector<std::string>> AlertRecords(
    const FrameAddress& address, const gw::v1::CaseAlert& alert);
[[nodiscard]] absl::StatusOr<std::vector<std::string>> RequestRecords(
    const FrameAddress& address, const gw::v1::RepatriationRequest& request);
[[nodiscard]] absl::StatusOr<std::vector<std::string>> DecisionRecords(
    const FrameAddress& address, const gw::v1::RepatriationRecord& record);
[[nodiscard]] absl::StatusOr<std::vector<std::string>> StatusRecords(
    const FrameAddress& address, const gw::v1::CaseStatus& status);

}  // namespace gw::th_rtp

#endif  // GW_ADAPTERS_TH_RTP_OUTBOUND_H_
