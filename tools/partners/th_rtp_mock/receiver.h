// tools/partners/th_rtp_mock/receiver.h
//
// TH-RTP's receiving side, without the network: turns one data frame body
// into its one answer (AK or NK, signed), applying §6 steps 2-6 through
// th_frame_reader and step 7 itself:
//   duplicates  known id + same body digest -> AK DUPLICATE Y with the
//               FIRST RECEIVED_AT and PARTNER_REF; known id + other digest
//               -> NK 301 (<REC>.MESSAGE_ID);
//   entitlement AL whose RECIPIENTS does not list the receiver -> 131
//               (AL.RECIPIENTS); RQ to which it is no party -> 131
//               (RQ.RECEIVING_AGENCY); CS for a case it neither owns nor
//               shares -> 131 (CS.SHARED_WITH);
//   references  CASE_REF starting with --refuse-case-prefix -> 302
//               (<REC>.CASE_REF), so tests can get a permanent rejection;
//   otherwise   store, then AK with PARTNER_REF "RTP-IN-<B.E. year>-<6-digit
//               counter>".
//
// Store layout under `store_dir` (created if missing):
//   received/<message_id>.bin  every accepted frame, prefix and body,
//                              written (fsync, rename) before its AK
//   seen.jsonl                 the duplicate memory: one line per accepted
//                              message {sender, message_id, body_sha256,
//                              received_at, partner_ref}, fsynced before its
//                              AK; read back by Open, so a restarted mock
//                              answers duplicates as before
//   received.jsonl             one line per data frame answered (see
//                              FrameReport::ToJson): what tests read
// A failure to store answers NK 901 (transient), never AK.
//
// Thread safety: none; one thread (the server's io_context) uses it.
#ifndef GW_TOOLS_PARTNERS_TH_RTP_MOCK_RECEIVER_H_
#define GW_TOOLS_PARTNERS_TH_RTP_MOCK_RECEIVER_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "gateway/crypto/signer.h"
#include "gateway/crypto/verifier.h"
#include "nlohmann/json.hpp"
#include "tools/partners/th_rtp_mock/th_frame_reader.h"

namespace gw::th_rtp_mock {

struct ReceiverOptions {
  std::string own_agency = "TH-RTP";
  std::string peer_agency = "CN-MPS";
  std::string store_dir;
  std::string refuse_case_prefix;                  // "" = refuse nothing
  std::vector<const crypto::Verifier*> peer_keys;  // not owned
  const crypto::Signer* signer = nullptr;          // not owned
  std::function<absl::Time()> now = [] { return absl::Now(); };
  std::function<std::string()> new_message_id;  // default: random v4 UUID
};

// What happened to one data frame.
struct FrameReport {
  std::string message_id;   // decoded, or the NAK_MESSAGE_ID echo
  std::string type;         // AL, RQ, RD, CS, or "" if unreadable
  std::string received_at;  // TS of this receipt (duplicates: the first)
  bool duplicate = false;
  bool accepted = false;    // answered AK
  std::string partner_ref;  // AK
  int code = 0;             // NK
  int record_no = 0;
  std::string field;
  std::string detail;
  std::string body_sha256;
  std::string stored_file;  // "received/<id>.bin" when stored now
  // Present when the frame decoded (everything but step 7 passed).
  std::shared_ptr<const DecodedFrame> frame;

  // "AK" or "NK <code>".
  std::string Answer() const;
  // The received.jsonl line: message_id, type, sender, case_ref,
  // alert_id / request_id, received_at (TS) and received_at_utc, duplicate,
  // answer, partner_ref or nk {code, record_no, field, detail},
  // body_sha256, stored_file, and for decoded frames: subjects (seq, role,
  // sex, birth_date, nationality, names [{script Thai|Latn, given, family,
  // full}], name_flag, truncated, documents), texts [{topic, seq, lang,
  // text}], narrative_langs, and the header's enumerations (kind, state...).
  // With `personal_data` false (stdout), names, texts and documents are
  // left out.
  nlohmann::json ToJson(bool personal_data) const;
  // One line for stdout, without personal data.
  std::string ToLine() const;
};

struct Answer {
  std::string frame;  // LEN + body of the signed AK or NK
  FrameReport report;
};

class Receiver {
 public:
  // Creates the store directories and loads the duplicate memory.
  // INVALID_ARGUMENT without a signer or store_dir; UNAVAILABLE "<path>:
  // ..." if the store cannot be created or seen.jsonl cannot be read.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<Receiver>> Open(
      ReceiverOptions options);

  // §6 steps 2-7 for one data frame body whose LEN was valid and which the
  // window admitted. `tls_peer_agency` is the O of the peer certificate.
  // Appends the report to received.jsonl.
  Answer HandleDataFrame(absl::string_view body,
                         absl::string_view tls_peer_agency);
  // NK 902 for a frame the window did not admit (§7), not decoded.
  Answer WindowExceeded(absl::string_view body);
  // NK 100 for a LEN outside 220..1,048,576 (§2.3); the caller closes.
  Answer FrameLength(uint32_t length);

  // A signed HB frame (LEN + body) to send now.
  absl::StatusOr<std::string> Heartbeat();
  // OK if `body` is a valid HB frame from the peer (§7: otherwise the
  // connection is closed); the message names the failure.
  absl::Status CheckHeartbeat(absl::string_view body,
                              absl::string_view tls_peer_agency) const;

  int accepted_count() const { return static_cast<int>(seen_.size()); }

 private:
  struct Seen {
    std::string body_sha256;
    std::string received_at;
    std::string partner_ref;
  };

  explicit Receiver(ReceiverOptions options);
  absl::Status Load();
  ReaderOptions ReaderFor(absl::string_view tls_peer_agency) const;
  Answer Reject(absl::string_view body, FrameReport report,
                const Rejection& rejection);
  Answer Accept(absl::string_view body, FrameReport report, const Seen& seen);
  absl::Status Store(absl::string_view body, const std::string& message_id,
                     const Seen& seen);
  void Log(const FrameReport& report);
  std::string NewMessageId() const;

  ReceiverOptions options_;
  std::map<std::string, Seen> seen_;  // key: sender + " " + message_id
};

}  // namespace gw::th_rtp_mock

#endif  // GW_TOOLS_PARTNERS_TH_RTP_MOCK_RECEIVER_H_
