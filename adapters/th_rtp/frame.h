// adapters/th_rtp/frame.h
//
// TH-RTP frames (partners/TH-RTP.md §2.3, §3.2, §6): the receiver's checks
// in the order of §6, each returning the NK fields of the first failure,
// and the sender's sealing of a body (trailer, Ed25519 signature, length
// prefix).
//
// Receiver order (§6), one function a step, to be called in this order:
//  1. SplitFrame       LEN                                     [100]
//  2. ParseBody        record types, lengths, CR LF            [101]
//                      record order and sequence fields        [102]
//  3.                  TR.RECORD_COUNT                         [103]
//  4. CheckSignature   SENDER = TLS peer agency                [130]
//                      KEY_ID registered to that agency        [202]
//  5.                  SIG_ALG, then the signature             [201]
//  6. ValidateFields   per record: field types [122, 121, 120], formats
//                      and enumerations [120]; after the header record's
//                      fields FMT_VERSION [110] and RECIPIENT [130];
//                      after the last record the rules joining fields
//                      and records [120, 121].
// Step 7 (duplicates, entitlement, references) belongs to the gateway.
//
// Within one record, fields are checked in offset order, and for one field
// 122 before 121 before 120 (th_rtp_codec.h lists this and the other
// readings of the ICD).
//
// Refusal texts are English, name the record and field, and never contain
// field values. Thread safety: pure functions over caller-owned bytes; a
// ParsedFrame points into the body it was parsed from.
#ifndef GW_ADAPTERS_TH_RTP_FRAME_H_
#define GW_ADAPTERS_TH_RTP_FRAME_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "adapters/th_rtp/records.h"
#include "gateway/crypto/signer.h"
#include "gateway/crypto/verifier.h"

namespace gw::th_rtp {

// Body lengths of §2.3.
inline constexpr size_t kMinBodyLength = 220;
inline constexpr size_t kMaxBodyLength = 1048576;
inline constexpr size_t kLengthPrefixBytes = 4;
inline constexpr size_t kSignatureBytes = 64;
inline constexpr char kSigAlg[] = "ED25519 ";

// The NK fields of a refusal (§3.11, §8).
struct ThRtpRefusal {
  int code = 0;
  int record_no = 0;       // 1-based; 0 if none
  std::string field_name;  // "<REC>.<FIELD>", or "" if none
  std::string text;        // English; names fields, never values
};

// §8: 202, 900, 901 and 902 are transient (RETRYABLE Y), all others
// permanent.
bool IsTransientCode(int code);
// True for the codes of §8.
bool IsKnownCode(int code);
// The §8 name of a code ("RECORD_ORDER"), "" for an unknown one.
absl::string_view CodeName(int code);

// A body split into records by ParseBody. Views point into the body.
struct ParsedFrame {
  absl::string_view body;
  std::vector<RecordView> records;  // header first, TR last

  const RecordView& header() const { return records.front(); }
  const RecordView& trailer() const { return records.back(); }
};

// Step 1: the body of a whole frame (prefix + body). 100 for a LEN outside
// 220..1,048,576 (or a frame shorter than its prefix), 101 for a LEN that
// does not match the bytes that follow it.
std::optional<ThRtpRefusal> SplitFrame(absl::string_view frame,
                                       absl::string_view* body);

// Steps 2 and 3.
std::optional<ThRtpRefusal> ParseBody(absl::string_view body, ParsedFrame* out);

// Steps 4 and 5. `peer_agency` is the agency of the TLS peer; `keys` are
// the keys registered to `keys_agency`, so a peer of another agency has no
// key (202). On success *key_id is the KEY_ID that verified. An internal
// verifier failure is 901.
std::optional<ThRtpRefusal> CheckSignature(
    const ParsedFrame& frame, absl::string_view peer_agency,
    absl::string_view keys_agency,
    const std::vector<const crypto::Verifier*>& keys, std::string* key_id);

// Step 6. `local_agency` is the receiver (RECIPIENT must name it).
std::optional<ThRtpRefusal> ValidateFields(const ParsedFrame& frame,
                                           absl::string_view local_agency);

// NAK_MESSAGE_ID for a refused body (§3.11): body bytes 4..39 without
// trailing spaces when all 36 are printable ASCII, else "".
std::string MessageIdEcho(absl::string_view body);

// The whole frame for `records` (header first, no TR): appends TR with
// RECORD_COUNT, the signer's KEY_ID and SIG_ALG, signs every body byte
// before the signature, appends it and prefixes LEN. Errors:
// FAILED_PRECONDITION for a signer that is not Ed25519; INVALID_ARGUMENT
// "frame: N bytes, over ..." for a body over 1 MiB; INTERNAL if signing
// fails.
[[nodiscard]] absl::StatusOr<std::string> SealFrame(
    const std::vector<std::string>& records, const crypto::Signer& signer);

// Pattern checks shared by the encoder and the validator.
bool IsAgencyCode(absl::string_view code);  // README §2.8
bool IsIdentifier(absl::string_view id);    // README §2.8
bool IsLowercaseSha256Hex(absl::string_view hex);
bool IsCountryCode(absl::string_view code);    // ISO 3166-1 alpha-3
bool IsIssuingState(absl::string_view value);  // §3.14, trimmed value

}  // namespace gw::th_rtp

#endif  // GW_ADAPTERS_TH_RTP_FRAME_H_
