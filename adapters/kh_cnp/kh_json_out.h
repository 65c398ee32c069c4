// adapters/kh_cnp/kh_json_out.h
//
// Canonical gw.v1 messages -> KH-CNP bodies (KH-CNP.md §3-§5, §9), as a
// JSON document the codec validates and writes in JCS.
//
// BuildOutbound parses `payload` as the message of `spec` and builds the
// whole body: message_type, message_id, sender, recipient and the payload
// object, by the tables of §4:
//  * members whose value would be null, "", [] or {} are left out (§3.2);
//    an enumeration at its UNSPECIFIED value counts as absent, and so does
//    age_estimate 0 (proto3 cannot tell "0 years" from "not known");
//  * timestamps in UTC with "Z", whole seconds (kh_time.h); never the
//    clock: the same message always gives the same body;
//  * every string in NFC, U+200B/U+200C removed from name members (§5.1,
//    §5.2: KH-CNP refuses them there);
//  * a person with a Khmr name and no Latn name gets a generated Latn entry
//    after its own entries (kh_names.h); nothing else is added or removed;
//  * Person.sex FEMALE/MALE, anything else UNKNOWN; Guardian tracing
//    FAMILY_FOUND -> FOUND, FAMILY_NOT_FOUND and CARE_INSTITUTION ->
//    NOT_FOUND, unspecified -> NOT_STARTED; assessment DO_NOT_RETURN ->
//    NO_RETURN, unspecified -> PENDING; guardian.relationship,
//    .institution, .verified, CaseAlert.handling_restriction and
//    text_conversions, RepatriationRequest.created_at have no member;
//  * decision (RepatriationRecord): request_id/case_ref of record.request,
//    state, and the latest history entry's actor_agency/at/reason;
//    `handover` = record.request.proposed_handover, only and always for
//    HANDOVER_SCHEDULED (RepatriationEvent has no handover);
//  * case status: `note` = the update's note, else the latest history
//    entry's (§4.5);
//  * attachments: `size` = length of the content; `content` under the
//    inclusion rule of §9: the body is sized with every attachment
//    described, then each attachment in canonical order gets its base64
//    content if the JCS body stays within 8 MiB with it (one that does not
//    fit is skipped, the next may still fit).
// Errors: INVALID_ARGUMENT naming the canonical field ("alert.subjects[0].
// person.names[1].family: ..."): a payload that does not parse; an
// identifier outside README §2.8 ("ID_NOT_REPRESENTABLE <field>: ...",
// with that ingest reason, gateway/ingest/error_reason.h); a missing
// created_at / updated_at / decision; a timestamp outside the years
// 0000-9999; text that is not UTF-8; an attachment whose sha256 is not that
// of its content; HANDOVER_SCHEDULED without a proposed handover. Whatever
// else the schema forbids is found by validating the document
// (CanonicalPath names the field then).
// Thread safety: pure functions.
#ifndef GW_ADAPTERS_KH_CNP_KH_JSON_OUT_H_
#define GW_ADAPTERS_KH_CNP_KH_JSON_OUT_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "adapters/kh_cnp/kh_format.h"
#include "nlohmann/json.hpp"

namespace gw::kh_cnp {

struct OutboundBody {
  nlohmann::json document;
  // Pointers of generated Latn entries and the canonical `names` they
  // were made from.
  std::vector<std::pair<std::string, std::string>> generated;
  // Case status: the canonical field `note` came from.
  std::string note_path;
  // Decision: the canonical path of the history entry used.
  std::string decision_path;
};

[[nodiscard]] absl::StatusOr<OutboundBody> BuildOutbound(
    const KindSpec& spec, absl::string_view payload,
    absl::string_view message_id, absl::string_view sender,
    absl::string_view recipient);

// The canonical field behind a pointer into `body.document`, e.g.
// "/repatriation_decision/decided_at" -> "record.history[2].at".
std::string CanonicalPath(const KindSpec& spec, const OutboundBody& body,
                          absl::string_view pointer);

// README §2.8: 1 to 64 of [A-Za-z0-9._:/-], starting with a letter or digit.
bool IsIdentifier(absl::string_view value);

}  // namespace gw::kh_cnp

#endif  // GW_ADAPTERS_KH_CNP_KH_JSON_OUT_H_
