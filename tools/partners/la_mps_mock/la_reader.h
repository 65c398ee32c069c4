// tools/partners/la_mps_mock/la_reader.h
//
// LA-MPS's side of reading the file exchange (shared/partners/LA-MPS.md),
// written from the ICD alone, independent of the gateway's adapters/:
//  * ParseDoneMarker / IncompleteReason: steps 1-2 of §7.2 (the `.done`
//    marker of §3.6 and the digests of `.csv` and `.sig`).
//  * ExamineMessage: steps 5-7 of §7.2 for a complete message, in the
//    ICD's order: size (PAYLOAD_TOO_LARGE), RFC 4180 parse (MALFORMED_CSV,
//    PAYLOAD_TOO_LARGE), header records first and in order
//    (HEADER_MISMATCH, error_field = the expected field), `format` and
//    `message_id` (HEADER_MISMATCH), `sender` = peer and `recipient` = self
//    (AGENCY_MISMATCH), the key named by `key_id` (unknown → held, no .ack)
//    and the `.sig` (SIGNATURE_INVALID), NFC of every value (NOT_NFC, as
//    LA-MPS answers it), the field tables (SCHEMA_VIOLATION, la_schema.h),
//    then the business rules (UNKNOWN_REFERENCE for a refused case_ref
//    prefix; NOT_A_RECIPIENT for an ALERT not listing self, a CASE_STATUS
//    of a case neither owned by nor shared with self, a
//    REPATRIATION_REQUEST to which self is not a party).
//  * ReadAck: the sender's checks of §7.3 on a peer's `.ack`.
// Error texts name fields and rules, never values (no personal data).
// Ownership: ReceiverPolicy points at verifiers the caller owns and keeps
// alive. Thread safety: pure functions.
#ifndef GW_TOOLS_PARTNERS_LA_MPS_MOCK_LA_READER_H_
#define GW_TOOLS_PARTNERS_LA_MPS_MOCK_LA_READER_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "gateway/crypto/verifier.h"
#include "tools/partners/la_mps_mock/la_csv.h"

namespace gw::la_mps_mock {

// The error_text LA-MPS uses for UNKNOWN_REFERENCE (Lao / English), as in
// shared/partners/examples/LA-MPS/inbox/03d1e44d-....ack.
extern const char kUnknownReferenceText[];

struct DoneMarker {
  std::string csv_sha256;
  std::string sig_sha256;
};

// The two lines of §3.6 exactly, or nullopt.
std::optional<DoneMarker> ParseDoneMarker(absl::string_view bytes,
                                          absl::string_view id);

// The three files of a message as found (nullopt = missing).
struct MessageFileBytes {
  std::optional<std::string> csv;
  std::optional<std::string> sig;
  std::optional<std::string> done;
};

// "" if the message is complete (§7.2 steps 1-2), else one sentence saying
// what is wrong (the error_text of a CORRUPT INCOMPLETE .ack).
std::string IncompleteReason(absl::string_view id,
                             const MessageFileBytes& files);

struct ReceiverPolicy {
  std::string self = "LA-MPS";
  std::string peer = "CN-MPS";
  // Signing keys registered to `peer`; not owned.
  std::vector<const crypto::Verifier*> peer_keys;
  // case_ref values starting with one of these are "unknown".
  std::vector<std::string> refuse_case_prefixes;
};

struct Examination {
  enum class Outcome { kAccepted, kRejected, kHeld };
  Outcome outcome = Outcome::kRejected;
  Refusal refusal;             // kRejected
  std::string unknown_key_id;  // kHeld: the key_id value (64 hex, or junk)
  // The records as parsed (empty if the file did not parse); values are
  // checked only when `fields_valid`.
  std::vector<Record> records;
  bool fields_valid = false;

  // The value of `path`, if the message has that record.
  std::optional<std::string> Get(absl::string_view path) const;
};

// Steps 5-7 of §7.2 for the complete message `id`.
Examination ExamineMessage(absl::string_view id, absl::string_view csv,
                           absl::string_view sig, const ReceiverPolicy& policy);

// A decoded name entry: `path` is its group, e.g. "victim.names.2".
struct NameEntry {
  std::string path;
  std::string script;
  std::string family;
  std::string given;
  std::string full;
};
std::vector<NameEntry> DecodedNames(const std::vector<Record>& records);
// Each language-tagged text list (narrative, guardian.notes, ...) → its
// `lang` values in order.
std::map<std::string, std::vector<std::string>> TextLanguages(
    const std::vector<Record>& records);

struct AckWarning {
  std::string code;
  std::string field;
};

struct AckView {
  std::string message_id;
  std::string sender;
  std::string recipient;
  std::string status;
  std::string payload_sha256;
  std::string received_at;  // as written, DD/MM/YYYY HH:MM:SS+07:00
  std::string partner_ref;
  std::vector<AckWarning> warnings;
  std::string error_code;
  std::string error_field;
  std::string error_text;
  std::string key_id;
};

// Reads the `.ack` for message `id` written by `expected_sender` (whose
// registered keys are `keys`) to `expected_recipient`. Errors:
//  INVALID_ARGUMENT     not a CSV by §3.3, or no `signature` record last
//                       (possibly still being copied);
//  UNAUTHENTICATED      key_id not one of `keys`, or the signature does not
//                       verify;
//  FAILED_PRECONDITION  validly signed, but message_id, sender or recipient
//                       is wrong, a value is not NFC, or a field breaks
//                       §3.7 (a fault of the writer).
absl::StatusOr<AckView> ReadAck(
    absl::string_view bytes, absl::string_view id,
    absl::string_view expected_sender, absl::string_view expected_recipient,
    const std::vector<const crypto::Verifier*>& keys);

}  // namespace gw::la_mps_mock

#endif  // GW_TOOLS_PARTNERS_LA_MPS_MOCK_LA_READER_H_
