// tools/partners/la_mps_mock/la_sender.h
//
// `la-mps-mock send`: LA-MPS sending one message to the gateway and waiting
// for its receipt (shared/partners/LA-MPS.md §3.2, §7.3).
//  * Writes <root>/inbox/<id>.csv, .sig, .done in that order, each by the
//    atomic protocol of §3.2 (la_files.h).
//  * corrupt_first: the first .csv is cut in half (the .sig and .done are
//    the correct ones), so the gateway finds the message incomplete; after
//    `corrupt_for`, or as soon as the gateway answers CORRUPT, the three
//    files are written again, correctly (the §7.3 rewrite).
//  * Waits up to `wait` (counted after the correct files are in place) for
//    <root>/outbox/<id>.ack, read every `poll`. An .ack that does not parse
//    or verify (signature with one of `gateway_keys`, message_id, sender =
//    peer, recipient = self) is ignored and read again when it changes. A
//    valid one ends the wait: ACCEPTED → kAccepted; REJECTED, CORRUPT, or
//    ACCEPTED/REJECTED whose payload_sha256 is not the SHA-256 of the .csv
//    (ACK_DIGEST_MISMATCH) → kRefused. An .ack already there before the
//    files were written counts only if it is valid, not CORRUPT and
//    matches the .csv (an exact duplicate's receipt).
// Errors: FAILED_PRECONDITION if the link root is not a directory; the
// file-system errors of la_files.h; INVALID_ARGUMENT for a bad message id.
// Thread safety: one call at a time per message id.
#ifndef GW_TOOLS_PARTNERS_LA_MPS_MOCK_LA_SENDER_H_
#define GW_TOOLS_PARTNERS_LA_MPS_MOCK_LA_SENDER_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gateway/crypto/signer.h"
#include "gateway/crypto/verifier.h"
#include "nlohmann/json.hpp"

namespace gw::la_mps_mock {

struct SendOptions {
  std::string link_root;
  std::string kind;  // "alert" or "repatriation-request"
  std::string case_ref;
  std::string alert_id;    // alert
  std::string request_id;  // repatriation-request
  std::string message_id;  // "" = a new UUID v4
  absl::CivilDay handover_date;
  absl::Duration wait = absl::Seconds(60);
  absl::Duration poll = absl::Seconds(1);
  bool corrupt_first = false;
  absl::Duration corrupt_for = absl::Seconds(70);
  std::string self = "LA-MPS";
  std::string peer = "CN-MPS";
};

struct SendClock {
  std::function<absl::Time()> now;
  std::function<void(absl::Duration)> sleep;
};

struct SendResult {
  enum class Outcome { kAccepted, kRefused, kNoAck };
  Outcome outcome = Outcome::kNoAck;
  std::string message_id;
  std::string line;     // the one line to print
  nlohmann::json json;  // the same for --json
};

absl::StatusOr<SendResult> SendAndWait(
    const SendOptions& options, const crypto::Signer& signer,
    const std::vector<const crypto::Verifier*>& gateway_keys,
    const SendClock& clock,
    const std::function<void(const std::string&)>& progress);

}  // namespace gw::la_mps_mock

#endif  // GW_TOOLS_PARTNERS_LA_MPS_MOCK_LA_SENDER_H_
