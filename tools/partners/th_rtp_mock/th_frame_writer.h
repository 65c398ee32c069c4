// tools/partners/th_rtp_mock/th_frame_writer.h
//
// The mock partner's own encoder of TH-RTP frames (ICD TH-RTP v1.1 §3, §6),
// independent of adapters/: records from field values laid out by
// th_layout.h, the TR trailer with its Ed25519 signature, and the frames
// TH-RTP sends (AK, NK, HB answers; AL and RQ data frames for `send`).
//
// Values are written exactly as given: the mock never folds, substitutes or
// truncates its own text (except NK.REASON_TEXT, cut to its width as
// README §2.11 allows), so a value that does not fit is an error.
//
// Errors: INVALID_ARGUMENT "<REC>.<FIELD>: <reason>" (never the value).
// Thread safety: RecordWriter and FrameWriter are not thread-safe; the
// Encode* functions are pure (the Signer must stay alive during the call).
#ifndef GW_TOOLS_PARTNERS_TH_RTP_MOCK_TH_FRAME_WRITER_H_
#define GW_TOOLS_PARTNERS_TH_RTP_MOCK_TH_FRAME_WRITER_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "gateway/crypto/signer.h"
#include "tools/partners/th_rtp_mock/th_layout.h"

namespace gw::th_rtp_mock {

// One record. Fields start blank: spaces for A, T and NB; zeros for N, D,
// TS; 00 bytes for BIN. REC_TYPE and EOL are filled in.
class RecordWriter {
 public:
  // REQUIRES: FindRecordSpec(type) != nullptr.
  explicit RecordWriter(absl::string_view type);

  // A: ASCII 20-7E, left-aligned; T: UTF-8 encoded to TIS-620 (LF allowed
  // only in NR.TEXT), left-aligned; N/NB: decimal digits, right-aligned with
  // zeros; D/TS: exactly the field's width in digits; BIN: raw bytes, padded
  // with 00. An empty value leaves the field blank.
  RecordWriter& Set(absl::string_view field, absl::string_view value);
  RecordWriter& SetNumber(absl::string_view field, long long value);
  // Exactly `bytes`, which must be the field's width: for tests that craft
  // invalid records.
  RecordWriter& SetRaw(absl::string_view field, absl::string_view bytes);

  // The record's bytes, or the first error of the Set calls.
  absl::StatusOr<std::string> Finish() const;

 private:
  const FieldSpec* Field(absl::string_view name);

  const RecordSpec* spec_;
  std::string bytes_;
  absl::Status status_;
};

// A frame body: records in order, then TR.
class FrameWriter {
 public:
  void Add(const RecordWriter& record);
  // Adds one text as NR records (§5.4): TIS-620 bytes split into parts of
  // exactly 1000 bytes, the last padded with spaces.
  void AddText(absl::string_view topic, int text_seq, absl::string_view lang,
               absl::string_view utf8_text);

  // Appends TR (RECORD_COUNT, the signer's KEY_ID, "ED25519 "), signs every
  // byte before TR.SIGNATURE and returns the body (no length prefix).
  absl::StatusOr<std::string> FinishBody(const crypto::Signer& signer) const;
  int record_count() const { return static_cast<int>(records_.size()); }

 private:
  std::vector<std::string> records_;
  absl::Status status_;
};

// The 4-byte big-endian LEN followed by `body` (§2.3).
std::string WithLengthPrefix(absl::string_view body);

// Replaces TR.SIGNATURE (the last 64 bytes) with a fresh signature of the
// bytes before it, after setting TR.KEY_ID to the signer's key id when the
// body ends in a well-placed TR: for tests that alter a valid frame and
// still want it to pass step 5 of §6.
absl::StatusOr<std::string> Resign(absl::string_view body,
                                   const crypto::Signer& signer);

// The 74-byte prefix of every header record (§3.5).
struct CommonHeader {
  std::string message_id;
  std::string sender;
  std::string recipient;
  std::string created_at;  // TS, B.E.
};

struct AckValues {
  CommonHeader header;
  std::string ack_message_id;
  std::string ack_body_sha256;
  std::string received_at;  // TS of the first receipt
  bool duplicate = false;
  std::string partner_ref;  // "" = blank
};

struct NakValues {
  CommonHeader header;
  std::string nak_message_id;   // "" = blank
  std::string nak_body_sha256;  // "" = blank
  std::string received_at;
  int reason_code = 0;
  int record_no = 0;
  std::string field_name;
  std::string reason_text;  // UTF-8; cut to 200 TIS-620 bytes (§5.3 step 6)
};

// Bodies of signed control frames.
absl::StatusOr<std::string> EncodeAck(const AckValues& values,
                                      const crypto::Signer& signer);
// RETRYABLE is derived from the code (§8).
absl::StatusOr<std::string> EncodeNak(const NakValues& values,
                                      const crypto::Signer& signer);
absl::StatusOr<std::string> EncodeHeartbeat(const CommonHeader& header,
                                            const crypto::Signer& signer);

struct DocumentValues {
  std::string use = "I";  // DOC_USE
  std::string type;
  std::string number;
  std::string issuing_state;
  std::string expiry;  // D
  std::string mrz_1, mrz_2, mrz_3;
};

struct SubjectValues {
  std::string role;
  std::string sex = "U";
  std::string birth_date;    // D, "" = 00000000
  std::string age_estimate;  // "" = blank
  std::string nationality;
  std::string th_given, th_family, th_full;  // UTF-8 Thai
  std::string latn_given, latn_family, latn_full;
  std::string name_flag = "N";
  std::string truncated = "N";
  std::vector<DocumentValues> documents;
};

struct TextValues {
  std::string lang;
  std::string text;  // UTF-8
};

struct AlertValues {
  CommonHeader header;
  std::string alert_id;
  std::string case_ref;
  std::string kind;
  std::string priority;
  std::string handling_code;
  std::string origin_agency;
  std::string originator;
  std::string recipients;  // "CN-MPS,KH-CNP"
  std::string last_seen_at;
  std::string last_seen_place;
  std::string last_seen_country;
  int narr_omitted = 0;
  std::string text_subst = "N";
  std::vector<SubjectValues> subjects;
  std::vector<TextValues> narrative;
};

struct RequestValues {
  CommonHeader header;
  std::string request_id;
  std::string case_ref;
  std::string requesting_agency;
  std::string receiving_agency;
  std::string identity_verified = "N";
  std::string nationality_verified = "N";
  std::string tracing_result = "NOT_STARTED";
  std::string bia_outcome = "PENDING";
  std::string bia_date;
  std::string handover_point;
  std::string handover_date;
  std::string text_subst = "N";
  SubjectValues victim;
  std::optional<SubjectValues> guardian;
  std::vector<TextValues> assessment;      // NR BIAS
  std::vector<TextValues> guardian_notes;  // NR GRDN
};

absl::StatusOr<std::string> EncodeAlert(const AlertValues& values,
                                        const crypto::Signer& signer);
absl::StatusOr<std::string> EncodeRequest(const RequestValues& values,
                                          const crypto::Signer& signer);

// What `th-rtp-mock send` sends (fictional test data, partners/README.md
// §4), header left for the caller:
//  * an alert TH-RTP -> CN-MPS: MISSING_PERSON, URGENT, H1, originator
//    rtp-inv-0042, recipients CN-MPS, one VICTIM with the Thai name
//    มาลี ทดสอบ and the Latin name Malee THOTSOP, born 2011-08 (25540800),
//    narrative in Thai and in English;
//  * the repatriation request of examples/TH-RTP/repatriation-request-
//    inbound (request RTP-RQ-2569-000058, case RTP-CASE-2569-0113).
AlertValues SampleInboundAlert();
RequestValues SampleInboundRequest();

}  // namespace gw::th_rtp_mock

#endif  // GW_TOOLS_PARTNERS_TH_RTP_MOCK_TH_FRAME_WRITER_H_
