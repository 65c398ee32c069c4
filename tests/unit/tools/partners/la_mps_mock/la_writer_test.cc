// tests/unit/tools/partners/la_mps_mock/la_writer_test.cc
//
// The mock's writers reproduce LA-MPS's example files byte for byte from
// the same inputs (Ed25519 is deterministic, so the signatures match too):
// the ACCEPTED and REJECTED receipts in examples/LA-MPS/inbox/ and the
// inbound repatriation request 3a0fe15e-....csv/.sig/.done.
#include "tools/partners/la_mps_mock/la_writer.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "la_mock_test_util.h"
#include "tools/partners/la_mps_mock/la_formats.h"

namespace gw::la_mps_mock {
namespace {

using testing::Example;
using testing::kAlertId;
using testing::kRequestId;
using testing::kStatusId;
using testing::LaSigner;

absl::Time At(const std::string& timestamp) {
  const std::optional<absl::Time> t = ParseTimestamp(timestamp);
  EXPECT_TRUE(t.has_value()) << timestamp;
  return t.value_or(absl::UnixEpoch());
}

TEST(LaWriterTest, AcceptedReceiptIsTheExampleByteForByte) {
  AckContent ack;
  ack.message_id = kAlertId;
  ack.sender = "LA-MPS";
  ack.recipient = "CN-MPS";
  ack.status = "ACCEPTED";
  ack.payload_sha256 =
      "f409c007acc7847aa21f9770e5a58645590078b50d511fe7a73c2c3c74f797b7";
  ack.received_at = At("14/03/2026 15:12:40+07:00");
  ack.partner_ref = "LA-MPS-IN-2026-0188";
  const absl::StatusOr<std::string> bytes = EncodeAck(ack, LaSigner());
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  EXPECT_EQ(*bytes, Example("inbox", absl::StrCat(kAlertId, ".ack")));
}

TEST(LaWriterTest, RejectedReceiptIsTheExampleByteForByte) {
  AckContent ack;
  ack.message_id = kStatusId;
  ack.sender = "LA-MPS";
  ack.recipient = "CN-MPS";
  ack.status = "REJECTED";
  ack.payload_sha256 =
      "3d51de5b202ae2725208d26b84863e2daca05c2234bf2967942c12e1cdf34c13";
  ack.received_at = At("16/03/2026 14:45:00+07:00");
  ack.error_code = "UNKNOWN_REFERENCE";
  ack.error_field = "case_ref";
  ack.error_text = kUnknownReferenceText;
  const absl::StatusOr<std::string> bytes = EncodeAck(ack, LaSigner());
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  EXPECT_EQ(*bytes, Example("inbox", absl::StrCat(kStatusId, ".ack")));
}

TEST(LaWriterTest, RepatriationRequestIsTheExampleByteForByte) {
  MessageHeader header;
  header.message_type = "REPATRIATION_REQUEST";
  header.message_id = kRequestId;
  header.sender = "LA-MPS";
  header.recipient = "CN-MPS";
  header.created_at = At("14/03/2026 13:00:00+07:00");
  MockRepatriationRequest request;
  request.request_id = "LA-MPS-RQ-2026-0009";
  request.case_ref = "LA-MPS-CASE-2026-0021";
  request.handover_date = absl::CivilDay(2026, 4, 16);
  const absl::StatusOr<EncodedMessage> message =
      EncodeMessage(header, MockRepatriationRequestBody(request), LaSigner());
  ASSERT_TRUE(message.ok()) << message.status();
  EXPECT_EQ(message->csv, Example("inbox", absl::StrCat(kRequestId, ".csv")));
  EXPECT_EQ(message->sig, Example("inbox", absl::StrCat(kRequestId, ".sig")));
  EXPECT_EQ(message->done, Example("inbox", absl::StrCat(kRequestId, ".done")));
}

TEST(LaWriterTest, ReceiptWithWarningsAndCorruptStatusReadsBack) {
  AckContent ack;
  ack.message_id = kAlertId;
  ack.sender = "LA-MPS";
  ack.recipient = "CN-MPS";
  ack.status = "CORRUPT";
  ack.payload_sha256 = std::string(64, '0');
  ack.received_at = At("01/01/2027 00:00:00+07:00");
  ack.error_code = "INCOMPLETE";
  ack.error_text = "the SHA-256 of x.csv differs, from x.done";
  const absl::StatusOr<std::string> bytes = EncodeAck(ack, LaSigner());
  ASSERT_TRUE(bytes.ok());
  const absl::StatusOr<AckView> read =
      ReadAck(*bytes, kAlertId, "LA-MPS", "CN-MPS", {&testing::LaVerifier()});
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->status, "CORRUPT");
  EXPECT_EQ(read->error_text, ack.error_text);  // quoted: it has a comma
  EXPECT_EQ(read->received_at, "01/01/2027 00:00:00+07:00");
}

TEST(LaWriterTest, TimestampsAreLaoTime) {
  EXPECT_EQ(FormatTimestamp(absl::FromCivil(
                absl::CivilSecond(2026, 3, 14, 2, 30, 0), absl::UTCTimeZone())),
            "14/03/2026 09:30:00+07:00");
  EXPECT_EQ(
      FormatTimestamp(absl::FromCivil(absl::CivilSecond(2026, 12, 31, 20, 0, 0),
                                      absl::UTCTimeZone())),
      "01/01/2027 03:00:00+07:00");
  EXPECT_EQ(FormatDate(absl::CivilDay(2011, 8, 5)), "05/08/2011");
}

}  // namespace
}  // namespace gw::la_mps_mock
