// tools/partners/la_mps_mock/la_writer.h
//
// LA-MPS's side of writing the file exchange (shared/partners/LA-MPS.md),
// written from the ICD alone, independent of the gateway's adapters/:
//  * EncodeAck: a signed `.ack` (§3.7, §6.2): the records in table order,
//    `key_id` = the signer's key id, then the `signature` record over every
//    byte before it.
//  * EncodeMessage: a message's `.csv` (§3.3, header of §3.4 with key_id =
//    the signer's), `.sig` (§6.1: base64 of the Ed25519 signature and LF)
//    and `.done` (§3.6).
//  * MockAlertBody / MockRepatriationRequestBody: the body records of the
//    two messages `la-mps-mock send` writes (fictional test persons of
//    shared/partners/README.md §4). With the inputs of
//    examples/LA-MPS/inbox/3a0fe15e-....csv the request is that file, byte
//    for byte.
// Errors: only the signer's (INTERNAL). Thread safety: pure functions.
#ifndef GW_TOOLS_PARTNERS_LA_MPS_MOCK_LA_WRITER_H_
#define GW_TOOLS_PARTNERS_LA_MPS_MOCK_LA_WRITER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gateway/crypto/signer.h"
#include "tools/partners/la_mps_mock/la_csv.h"
#include "tools/partners/la_mps_mock/la_reader.h"

namespace gw::la_mps_mock {

struct AckContent {
  std::string message_id;
  std::string sender;     // the acknowledging agency (self)
  std::string recipient;  // the sender of the acknowledged message
  std::string status;     // ACCEPTED, REJECTED, CORRUPT
  std::string payload_sha256;
  absl::Time received_at;
  std::string partner_ref;  // "" = no record
  std::vector<AckWarning> warnings;
  std::string error_code;   // "" for ACCEPTED
  std::string error_field;  // "" = no record
  std::string error_text;
};

absl::StatusOr<std::string> EncodeAck(const AckContent& ack,
                                      const crypto::Signer& signer);

struct MessageHeader {
  std::string message_type;
  std::string message_id;
  std::string sender;
  std::string recipient;
  absl::Time created_at;
};

struct EncodedMessage {
  std::string csv;
  std::string sig;
  std::string done;
};

absl::StatusOr<EncodedMessage> EncodeMessage(const MessageHeader& header,
                                             const std::vector<Record>& body,
                                             const crypto::Signer& signer);

struct MockAlert {
  std::string alert_id;
  std::string case_ref;
  std::string origin_agency = "LA-MPS";
  std::string recipient = "CN-MPS";  // recipients.1
  absl::Time created_at;
};
std::vector<Record> MockAlertBody(const MockAlert& alert);

struct MockRepatriationRequest {
  std::string request_id;
  std::string case_ref;
  std::string requesting_agency = "LA-MPS";
  std::string receiving_agency = "CN-MPS";
  absl::CivilDay handover_date = absl::CivilDay(2026, 4, 16);
};
std::vector<Record> MockRepatriationRequestBody(
    const MockRepatriationRequest& request);

}  // namespace gw::la_mps_mock

#endif  // GW_TOOLS_PARTNERS_LA_MPS_MOCK_LA_WRITER_H_
