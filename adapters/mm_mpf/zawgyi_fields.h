// adapters/mm_mpf/zawgyi_fields.h
//
// Applies MM-MPF.md §5.3-§5.7 to whole canonical messages: finds the
// human-text fields that may hold Burmese (the §5.3 list, per message
// type), scores each candidate and the message (p_f, p_m: the candidates in
// payload order joined with single spaces), and converts or flags per the
// §5.4 decision table.
//
// Inbound (ConvertInboundZawgyi): converted fields are rewritten in place
// (text/zawgyi.h ZawgyiToUnicode), one gw.v1.TextConversion per converted
// field is appended to the message's `text_conversions` (canonical path,
// from_encoding "Zawgyi", transform "Zawgyi-my", p_f and p_m rounded to 6
// decimals, SHA-256 of the original string), and the report lists a
// ReceiptWarning {ZAWGYI_CONVERTED, path} per converted field and
// {ZAWGYI_UNCERTAIN, path} per flagged one. Unicode text is never touched.
// Outbound (DetectOutboundZawgyi): changes nothing; warns
// {ZAWGYI_SUSPECTED, path} for each string with p_f >= 0.95 (§5.7).
//
// Field paths are canonical proto paths with indexes, e.g.
// "subjects[0].person.names[0].given",
// "best_interests_assessment.summary[0].text". Supported messages:
// gw.v1.CaseAlert, RepatriationRequest, RepatriationRecord, CaseStatus. Others:
// INVALID_ARGUMENT. Thread safety: pure functions.
#ifndef GW_ADAPTERS_MM_MPF_ZAWGYI_FIELDS_H_
#define GW_ADAPTERS_MM_MPF_ZAWGYI_FIELDS_H_

#include <vector>

#include "absl/status/statusor.h"
#include "google/protobuf/message.h"
#include "gw/v1/person.pb.h"
#include "gw/v1/receipt.pb.h"

namespace gw::mm_mpf {

struct ZawgyiReport {
  // The conversions appended to the message's text_conversions.
  std::vector<gw::v1::TextConversion> conversions;
  // ZAWGYI_CONVERTED / ZAWGYI_UNCERTAIN (inbound) or ZAWGYI_SUSPECTED
  // (outbound), one per field, in payload order.
  std::vector<gw::v1::ReceiptWarning> warnings;
  // p_m; 0 when the message has no candidate string.
  double message_probability = 0;
};

[[nodiscard]] absl::StatusOr<ZawgyiReport> ConvertInboundZawgyi(
    google::protobuf::Message* payload);

[[nodiscard]] absl::StatusOr<ZawgyiReport> DetectOutboundZawgyi(
    const google::protobuf::Message& payload);

}  // namespace gw::mm_mpf

#endif  // GW_ADAPTERS_MM_MPF_ZAWGYI_FIELDS_H_
