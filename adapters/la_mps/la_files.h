// adapters/la_mps/la_files.h
//
// The small files of an LA-MPS exchange (LA-MPS.md §3.6, §3.7, §6):
//
//  * <id>.sig: the 64-byte Ed25519 signature of <id>.csv in base64 (RFC 4648
//    §4, with padding), 88 characters and one LF: 89 bytes.
//  * <id>.done: two lines in `sha256sum` format, `<sha256 hex>  <id>.csv`
//    and `<sha256 hex>  <id>.sig`, each ended by LF.
//  * <id>.ack: a signed receipt, a CSV file (csv.h) whose records follow the
//    table of §3.7; its last record, `signature`, signs every byte before it
//    (§6.2).
//
// ParseAck checks structure only (CSV, table order, formats, `format`,
// `message_type` ACK, the status and the error fields a REJECTED or
// CORRUPT receipt must have); VerifyAck checks the signature with a key
// the caller chose by the receipt's key_id. BuildAck writes a receipt by
// the rules (text NFC, values quoted only where §3.3 says) and re-reads it
// with ParseAck before signing it, so it never writes one that a reader
// refuses. Errors name the file and field, never values.
// Thread safety: pure functions; Signer and Verifier are thread-safe.
#ifndef GW_ADAPTERS_LA_MPS_LA_FILES_H_
#define GW_ADAPTERS_LA_MPS_LA_FILES_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "gateway/crypto/signer.h"
#include "gateway/crypto/verifier.h"

namespace gw::la_mps {

inline constexpr size_t kSigFileBytes = 89;

// The .sig file of a 64-byte `signature`.
std::string MakeSigFile(absl::string_view signature);
// The 64 signature bytes of a .sig file. INVALID_ARGUMENT if it is not
// exactly 88 base64 characters and LF, or does not decode to 64 bytes.
[[nodiscard]] absl::StatusOr<std::string> ParseSigFile(absl::string_view sig);

// The .done file of message `message_id` whose files hold `csv` and `sig`.
std::string MakeDoneFile(absl::string_view message_id, absl::string_view csv,
                         absl::string_view sig);
// OK if `done` is exactly the .done file of these files. Otherwise
// FAILED_PRECONDITION saying which: the .done is not the two lines of §3.6,
// or the .csv or the .sig differs from its digest.
[[nodiscard]] absl::Status CheckDoneFile(absl::string_view message_id,
                                         absl::string_view done,
                                         absl::string_view csv,
                                         absl::string_view sig);

enum class AckStatus { kAccepted, kRejected, kCorrupt };
// "ACCEPTED", "REJECTED", "CORRUPT".
absl::string_view AckStatusName(AckStatus status);

struct AckWarning {
  std::string code;   // e.g. "NORMALIZED_NFC"
  std::string field;  // field path, or ""
};

// The fields of an .ack (§3.7); "" for an absent optional field.
struct Ack {
  std::string message_id;
  std::string sender;
  std::string recipient;
  AckStatus status = AckStatus::kAccepted;
  std::string payload_sha256;
  absl::Time received_at;
  std::string partner_ref;
  std::vector<AckWarning> warnings;
  std::string error_code;
  std::string error_field;
  std::string error_text;
  // BuildAck: taken from the signer. ParseAck: as read.
  std::string key_id;
  // ParseAck only: the 64 signature bytes, and how many bytes of the file
  // the signature covers.
  std::string signature;
  size_t signed_bytes = 0;
};

// The signed .ack file of `ack` (key_id, signature and signed_bytes are
// ignored; the key id is `signer`'s). INVALID_ARGUMENT naming the field if
// a value cannot be written (e.g. REJECTED without error_code); the
// signer's errors as they are.
[[nodiscard]] absl::StatusOr<std::string> BuildAck(
    const Ack& ack, const crypto::Signer& signer);

// The fields of an .ack file, unverified (see above). INVALID_ARGUMENT
// naming the field or record when it is not a well-formed receipt.
[[nodiscard]] absl::StatusOr<Ack> ParseAck(absl::string_view bytes);

// OK if the signature of `ack` (parsed from `bytes`) verifies with `key`;
// UNAUTHENTICATED otherwise. Does not compare key ids.
[[nodiscard]] absl::Status VerifyAck(const Ack& ack, absl::string_view bytes,
                                     const crypto::Verifier& key);

// The evidence kept with an inbound message (LA-MPS.md §6.3): its three
// files, each written as one line "<file name> <byte count>" and LF, then
// the file's bytes, then LF, in the order .csv, .sig, .done. For example
// "<id>.csv 1234\n<1234 bytes>\n<id>.sig 89\n<89 bytes>\n<id>.done 210\n
// <210 bytes>\n". The byte counts make the split unambiguous whatever the
// files hold.
struct EvidenceFiles {
  std::string csv;
  std::string sig;
  std::string done;
};
std::string MakeEvidence(absl::string_view message_id,
                         const EvidenceFiles& files);
// The inverse of MakeEvidence; INVALID_ARGUMENT if `evidence` is not one.
[[nodiscard]] absl::StatusOr<EvidenceFiles> ParseEvidence(
    absl::string_view message_id, absl::string_view evidence);

}  // namespace gw::la_mps

#endif  // GW_ADAPTERS_LA_MPS_LA_FILES_H_
