// tools/partners/th_rtp_mock/th_frame_reader.h
//
// The mock partner's own decoder of TH-RTP frame bodies (ICD TH-RTP v1.1),
// written from the ICD alone so that it can catch the gateway adapter's
// mistakes. ReadFrame applies the receiver order of §6 strictly; the first
// failure decides the NK code (§8), its RECORD_NO and FIELD_NAME:
//
//   1. body length 220..1,048,576                         100
//   2. record types, lengths, CR LF, TR last (§3.1)       101
//      then record order and sequence fields (§3.2)       102
//   3. TR.RECORD_COUNT digits and equal to the count      103
//   4. header SENDER == TLS peer agency                   130
//      TR.KEY_ID registered to that agency                202
//   5. TR.SIG_ALG "ED25519 ", then the signature          201
//   6. record by record, in body order: field types
//      (all 122 checks of the record, then 121, then
//      120), then formats and enumerations (120, field
//      by field in offset order); right after the header
//      record: FMT_VERSION (110), RECIPIENT (130). After
//      the last record, the rules joining fields and
//      records, in body order (120, 121).
//
// Step 7 of §6 (duplicates, entitlement, references) is the receiver's
// (receiver.h): it needs memory this decoder does not have. The window
// (902) is the connection's.
//
// ReadFrame accepts any frame type (data or control); which types a side
// may receive is the caller's business (§2.1).
//
// Privacy: Rejection::detail never quotes a field's value.
// Thread safety: ReadFrame is a pure function (the verifiers must stay
// alive during the call).
#ifndef GW_TOOLS_PARTNERS_TH_RTP_MOCK_TH_FRAME_READER_H_
#define GW_TOOLS_PARTNERS_TH_RTP_MOCK_TH_FRAME_READER_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "gateway/crypto/verifier.h"

namespace gw::th_rtp_mock {

struct Rejection {
  int code = 0;        // §8 REASON_CODE
  int record_no = 0;   // 1-based record of the fault; 0 if none
  std::string field;   // "SB.BIRTH_DATE"; "" if none
  std::string detail;  // English, for people; never a field's value
};

struct DecodedRecord {
  std::string type;   // "SB"
  int number = 0;     // 1-based position in the body
  size_t offset = 0;  // in the body
  // Every field but EOL, by name. A fields without trailing spaces; T
  // fields decoded to UTF-8 (NFC) without trailing spaces; N, NB, D, TS as
  // written; BIN fields as raw bytes.
  std::map<std::string, std::string> fields;

  // The field's value, "" if the record has no such field.
  const std::string& Get(const std::string& name) const;
};

// One text (§5.4): its NR parts joined, trailing spaces removed from the
// last part only, then decoded to UTF-8.
struct DecodedText {
  std::string topic;  // "NARR", "BIAS", "GRDN", "RSN " (with its space), "NOTE"
  int seq = 0;        // TEXT_SEQ
  std::string lang;
  std::string text;
  int first_record = 0;
};

struct DecodedFrame {
  std::string header_type;  // "AL", ..., "HB"
  std::string message_id;   // header MESSAGE_ID, trailing spaces removed
  std::string sender;
  std::string recipient;
  std::string created_at;              // TS as written
  std::string key_id;                  // TR.KEY_ID
  std::string body_sha256;             // lowercase hex of the whole body
  std::vector<DecodedRecord> records;  // body order, header first, TR last
  std::vector<DecodedText> texts;      // body order

  const DecodedRecord& header() const { return records.front(); }
  // The SB records, in order.
  std::vector<const DecodedRecord*> Subjects() const;
  // The DO records of subject `subj_seq`.
  std::vector<const DecodedRecord*> Documents(int subj_seq) const;
};

struct ReaderOptions {
  // The receiving side: the header's RECIPIENT must name it (130).
  std::string own_agency = "TH-RTP";
  // The agency of the TLS peer: the header's SENDER must name it (130).
  std::string peer_agency = "CN-MPS";
  // The signing keys registered to peer_agency (not owned); TR.KEY_ID must
  // be one of theirs (202).
  std::vector<const crypto::Verifier*> peer_keys;
};

struct ReadResult {
  std::optional<Rejection> rejection;
  // Complete when ok(). After a rejection it holds what could be read:
  // header_type (if the first record type was readable) and body_sha256.
  DecodedFrame frame;

  bool ok() const { return !rejection.has_value(); }
};

ReadResult ReadFrame(absl::string_view body, const ReaderOptions& options);

// NAK_MESSAGE_ID for a rejected body (§3.11): body bytes 4 to 39 with
// trailing spaces removed when all 36 are printable ASCII, else "". (Codes
// 100 and 101 always use "": the caller decides.)
std::string EchoMessageId(absl::string_view body);

}  // namespace gw::th_rtp_mock

#endif  // GW_TOOLS_PARTNERS_TH_RTP_MOCK_TH_FRAME_READER_H_
