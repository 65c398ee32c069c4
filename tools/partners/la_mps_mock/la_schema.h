// tools/partners/la_mps_mock/la_schema.h
//
// The field tables of shared/partners/LA-MPS.md §3.4, §3.5 and §3.7 as data,
// and the validator that holds a record list to them, as LA-MPS does in
// step 7 of §7.2. The validator walks the records once, in file order, and
// reports the FIRST fault it meets as SCHEMA_VIOLATION with error_field:
//  * an unknown path (including an index 0 or with a leading zero) → that
//    path;
//  * a record out of table order (groups depth-first, ascending indices) →
//    that record's path;
//  * a list index that is not the next one (1, 2, 3, ...) → that path;
//  * more elements than §9 allows (999 subjects, 10 names/documents, 20
//    texts, 16 agency codes) → the first extra element's path;
//  * a mandatory field missing from a group that is present (M = mandatory
//    when its group is present; `victim` and `subjects.{i}.person` are
//    always present) → the missing path (for a whole missing group, its
//    first mandatory field);
//  * a bad value (format, code, length; §3.3 value formats) → its path;
//  * the cross-field rules of §3.5: a name with none of family/given/full,
//    an mrz list that is not 2 or 3 lines, attachments content present iff
//    included is Y (and size = decoded length), handover iff
//    HANDOVER_SCHEDULED; ACK: error_code/error_text iff REJECTED/CORRUPT.
// NFC is not checked here (the caller answers it with NOT_NFC).
// Error texts name rules and paths, never values.
// Thread safety: the schemas are immutable; functions are pure.
#ifndef GW_TOOLS_PARTNERS_LA_MPS_MOCK_LA_SCHEMA_H_
#define GW_TOOLS_PARTNERS_LA_MPS_MOCK_LA_SCHEMA_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "tools/partners/la_mps_mock/la_csv.h"

namespace gw::la_mps_mock {

inline constexpr char kFormatName[] = "MKG-LA-CSV/1";

// The seven header records of every message file, in order (§3.4).
const std::vector<std::string>& HeaderFields();

// Body message types LA-MPS knows.
bool IsKnownMessageType(absl::string_view type);

// Validates the header values (records [0, 7), already in the right order)
// and the body (records [7, end)) of a message of `message_type`.
std::optional<Refusal> ValidateMessage(const std::vector<Record>& records);

// Validates a whole `.ack` record list (§3.7), signature record included.
std::optional<Refusal> ValidateAck(const std::vector<Record>& records);

}  // namespace gw::la_mps_mock

#endif  // GW_TOOLS_PARTNERS_LA_MPS_MOCK_LA_SCHEMA_H_
