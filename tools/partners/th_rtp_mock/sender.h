// tools/partners/th_rtp_mock/sender.h
//
// `th-rtp-mock send`: TH-RTP delivering INBOUND traffic to the gateway's
// TH-RTP endpoint (ICD TH-RTP §2.1: the side with data frames is the TLS
// client). It builds one signed data frame with the mock's own encoder,
// sends the same bytes `repeat` times on one mutual-TLS connection, one at
// a time, and waits up to `answer_timeout` for each answer. An answer
// counts only if (README §2.3, ICD §7):
//   * it decodes as a valid frame from the gateway (the mock's own
//     decoder, SENDER = peer agency, RECIPIENT = own agency, KEY_ID one of
//     the --gateway-signing-cert keys, signature valid);
//   * it is an AK or NK naming the sent MESSAGE_ID (NK 100/101: blank);
//   * its ACK_BODY_SHA256 / NAK_BODY_SHA256 is the SHA-256 of the sent body.
// HB frames from the gateway are verified and skipped; any other frame, or
// an answer failing a check, is a transport failure.
//
// Exit status: 0 every answer AK; 2 at least one NK; 1 transport failure
// (connect, TLS, timeout, invalid answer) after printing one sentence that
// says what to do.
// Thread safety: one call at a time; RunSend owns its io_context.
#ifndef GW_TOOLS_PARTNERS_TH_RTP_MOCK_SENDER_H_
#define GW_TOOLS_PARTNERS_TH_RTP_MOCK_SENDER_H_

#include <chrono>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "gateway/crypto/signer.h"
#include "gateway/crypto/verifier.h"
#include "nlohmann/json.hpp"
#include "tools/partners/th_rtp_mock/th_frame_reader.h"
#include "tools/partners/th_rtp_mock/tls.h"

namespace gw::th_rtp_mock {

struct SendOptions {
  std::string host;
  std::string port;
  TlsFiles tls;
  std::string server_name;  // host name verification and SNI
  std::string own_agency = "TH-RTP";
  std::string peer_agency = "CN-MPS";
  std::string kind;        // "alert" or "repatriation-request"
  std::string case_ref;    // "" = a new one
  std::string alert_id;    // "" = a new one
  std::string request_id;  // "" = a new one
  std::string message_id;  // "" = random v4 UUID
  int repeat = 1;
  std::chrono::milliseconds answer_timeout{30000};
  bool json = false;
};

// The body of the frame `send` sends, signed by `signer`, created at `now`.
// INVALID_ARGUMENT for an unknown kind or ids that do not fit.
absl::StatusOr<std::string> BuildSendBody(const SendOptions& options,
                                          const crypto::Signer& signer,
                                          absl::Time now);

// What one verified answer said.
struct AnswerSummary {
  bool accepted = false;    // AK
  std::string message_id;   // the answered (sent) message id
  std::string received_at;  // AK/NK RECEIVED_AT
  bool duplicate = false;
  std::string partner_ref;
  int code = 0;  // NK
  bool retryable = false;
  int record_no = 0;
  std::string field;
  std::string text;  // NK REASON_TEXT, UTF-8

  // "AK <id> received_at=... duplicate=N partner_ref=..." or
  // "NK <code> <field>: <text> (retryable=Y)".
  std::string ToLine() const;
  nlohmann::json ToJson() const;
};

// Checks a decoded answer against the sent frame (see above). The error
// message is a sentence fragment naming the failed check.
absl::StatusOr<AnswerSummary> CheckAnswer(const DecodedFrame& answer,
                                          const std::string& sent_message_id,
                                          const std::string& sent_body_sha256);

// Runs the command; returns the exit status.
int RunSend(const SendOptions& options, const crypto::Signer& signer,
            const std::vector<const crypto::Verifier*>& gateway_keys,
            std::ostream& out, std::ostream& err);

}  // namespace gw::th_rtp_mock

#endif  // GW_TOOLS_PARTNERS_TH_RTP_MOCK_SENDER_H_
