// tools/partners/http_mock/sender.h
//
// `<mock> send`: the partner POSTing one INBOUND message to the gateway
// (KH-CNP.md §2.2 "inbound", VN-MPS.md §2.2), signed with the mock's own
// RFC 9421 code, and judging the gateway's answer as a partner must
// (KH-CNP.md §6.4 last paragraphs, §7):
//   * the response must be signed with the response profile by one of the
//     --gateway-signing-cert keys (http_signature.h steps 5-10) and echo
//     Gw-Message-Id; unsigned or badly signed -> transport failure (1);
//   * its body must be an ack (200/202) or error (4xx/5xx) body of the
//     format (PartnerFormat::ReadAnswer), else transport failure (1);
//   * an ack must name the sent message id and carry payload_sha256 = the
//     SHA-256 of the bytes sent (else 1, ACK_DIGEST_MISMATCH); an error
//     body that names a message id must name the sent one.
// The body is PartnerFormat::MakeSample's (kind, ids, case_ref, created now)
// or a file sent as is. --tamper-body changes one body byte AFTER signing,
// so the digest no longer matches (the gateway must refuse it: 401
// DIGEST_MISMATCH). --repeat N sends the same bytes N times on one kept-
// alive connection, each with a fresh signature whose `created` is later
// than the previous one (the gateway refuses a replayed signature).
//
// Exit status: 0 every answer an ack (202, or 200 for a duplicate); 2 at
// least one signed refusal; 1 transport failure or an answer that fails
// the checks; 3 a body that cannot be built or read.
// Thread safety: one call at a time.
#ifndef GW_TOOLS_PARTNERS_HTTP_MOCK_SENDER_H_
#define GW_TOOLS_PARTNERS_HTTP_MOCK_SENDER_H_

#include <chrono>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "gateway/crypto/signer.h"
#include "gateway/crypto/verifier.h"
#include "nlohmann/json.hpp"
#include "tools/partners/http_mock/http_message.h"
#include "tools/partners/http_mock/partner_format.h"
#include "tools/partners/http_mock/tls.h"

namespace gw::http_mock {

struct SendOptions {
  std::string program = "mock";  // prefix of error sentences
  std::string host;
  std::string port;
  TlsFiles tls;
  std::string server_name;  // name the gateway's certificate must carry
  std::string own_agency;   // default: format.agency()
  std::string peer_agency = "CN-MPS";
  std::string gateway_base_uri = "https://gateway.mekong.example";
  std::string kind = "alert";  // alert | repatriation_request
  std::string message_id;      // "" = the body's, or a new version 4
  std::string case_ref;        // "" = the sample's default
  std::string body_file;       // "" = PartnerFormat::MakeSample
  std::string path;            // "" = the gateway endpoint of `kind`
  bool tamper_body = false;
  int repeat = 1;
  std::chrono::milliseconds timeout{30000};
  bool json = false;
};

// The bytes and ids `send` posts.
struct Outgoing {
  std::string path;
  std::string message_id;  // Gw-Message-Id
  std::string body;        // as signed
};

// Builds the body (sample or file) and picks the path and message id.
// INVALID_ARGUMENT / NOT_FOUND with a sentence fragment for the user.
[[nodiscard]] absl::StatusOr<Outgoing> PrepareOutgoing(
    const SendOptions& options, const PartnerFormat& format, absl::Time now);

// `body` with one byte changed (the case of an ASCII letter in its second
// half, so it stays valid UTF-8); `body` unchanged if it has no letter.
std::string TamperedBody(std::string body);

// One verified answer.
struct SendAnswer {
  int status = 0;
  bool acknowledged = false;
  bool duplicate = false;  // 200 with an ack
  AnswerSummary summary;

  // "202 ACCEPTED message_id=... received_at=... duplicate=no" or
  // "400 SCHEMA_VIOLATION message_id=... location=... detail=...".
  std::string ToLine() const;
  nlohmann::json ToJson() const;
};

// Checks one response to `sent` (see above); the error message is a
// sentence fragment naming the failed check.
[[nodiscard]] absl::StatusOr<SendAnswer> CheckAnswer(
    const HttpResponse& response, const Outgoing& sent,
    const std::string& sent_body, const PartnerFormat& format,
    const std::vector<const crypto::Verifier*>& gateway_keys, absl::Time now);

int RunSend(const SendOptions& options, const PartnerFormat& format,
            const crypto::Signer& signer,
            const std::vector<const crypto::Verifier*>& gateway_keys,
            std::ostream& out, std::ostream& err);

}  // namespace gw::http_mock

#endif  // GW_TOOLS_PARTNERS_HTTP_MOCK_SENDER_H_
