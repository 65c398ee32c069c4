// tools/partners/kh_cnp_mock/kh_rules.h
//
// The rules of KH-CNP.md that a receiver checks beyond KH-CNP.schema.json,
// as KH-CNP (the partner) checks them, on a body that already passed the
// schema. Each returns the first breach as a Refusal (400, code, RFC 6901
// pointer of the member, one English line that never quotes the value), or
// nullopt. Members are visited depth first, object members in key order.
//
//   FindNotNfc            §5.1: every string value in Unicode NFC (ICU
//                         unorm2) [NOT_NFC]; KH-CNP rejects instead of
//                         normalizing
//   FindZeroWidthInNames  §5.2: no U+200B / U+200C in the family, given
//                         and full members of `names` entries
//                         [SCHEMA_VIOLATION]
//   FindImpossibleDate    §5.3: expiry, completed_on, date and a full
//                         date_of_birth are real calendar dates; created_at,
//                         at, decided_at, updated_at and received_at real
//                         instants [SCHEMA_VIOLATION]
//   FindHandoverBreach    §4.4: repatriation_decision.handover present if
//                         and only if state is HANDOVER_SCHEDULED: pointer
//                         .../handover for a handover with another state,
//                         .../state for HANDOVER_SCHEDULED without one
//                         [SCHEMA_VIOLATION]
//   FindAttachmentBreach  §4.1: an attachment's content (base64) decodes to
//                         `size` bytes whose SHA-256 is `sha256`
//                         [SCHEMA_VIOLATION at .../content]
//
// Thread safety: pure functions.
#ifndef GW_TOOLS_PARTNERS_KH_CNP_MOCK_KH_RULES_H_
#define GW_TOOLS_PARTNERS_KH_CNP_MOCK_KH_RULES_H_

#include <optional>
#include <string>
#include <string_view>

#include "nlohmann/json.hpp"
#include "tools/partners/http_mock/partner_format.h"

namespace gw::kh_cnp_mock {

// RFC 6901 escaping of one reference token (~ -> ~0, / -> ~1).
std::string PointerToken(std::string_view token);

// Whether `text` (valid UTF-8) is in NFC.
bool IsNfc(std::string_view text);

// YYYY-MM-DD naming a real day of the proleptic Gregorian calendar.
bool IsRealDate(std::string_view text);

std::optional<http_mock::Refusal> FindNotNfc(const nlohmann::json& doc);
std::optional<http_mock::Refusal> FindZeroWidthInNames(
    const nlohmann::json& doc);
std::optional<http_mock::Refusal> FindImpossibleDate(const nlohmann::json& doc);
std::optional<http_mock::Refusal> FindHandoverBreach(const nlohmann::json& doc);
std::optional<http_mock::Refusal> FindAttachmentBreach(
    const nlohmann::json& doc);

}  // namespace gw::kh_cnp_mock

#endif  // GW_TOOLS_PARTNERS_KH_CNP_MOCK_KH_RULES_H_
