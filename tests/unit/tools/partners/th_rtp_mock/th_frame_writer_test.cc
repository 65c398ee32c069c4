// tests/unit/tools/partners/th_rtp_mock/th_frame_writer_test.cc
//
// The mock's encoder reproduces the TH-RTP examples byte for byte from the
// values of their .hex.txt decodings and the RFC 8032 test keys: the AK and
// NK TH-RTP sends, the heartbeat, the gateway's AK, the alert and the
// repatriation request. Ed25519 is deterministic, so equal bytes mean equal
// layouts, paddings, record counts, key ids and signed ranges.
#include "tools/partners/th_rtp_mock/th_frame_writer.h"

#include <string>

#include "absl/strings/escaping.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/rfc8032_keys.h"
#include "tests/unit/tools/partners/th_rtp_mock/th_examples.h"
#include "tools/partners/th_rtp_mock/th_codes.h"
#include "tools/partners/th_rtp_mock/th_frame_reader.h"

namespace gw::th_rtp_mock {
namespace {

using testing::ExampleBody;
using testing::ExampleFile;
using ::testing::HasSubstr;
using ::testing::Not;

// Compares long byte strings readably: the first differing offset.
::testing::AssertionResult SameBytes(const std::string& actual,
                                     const std::string& expected) {
  if (actual == expected) return ::testing::AssertionSuccess();
  size_t i = 0;
  while (i < actual.size() && i < expected.size() && actual[i] == expected[i])
    ++i;
  return ::testing::AssertionFailure()
         << "lengths " << actual.size() << " vs " << expected.size()
         << ", first difference at byte " << i << ": "
         << absl::BytesToHexString(actual.substr(i, 16)) << " vs "
         << absl::BytesToHexString(expected.substr(i, 16));
}

TEST(ThFrameWriterTest, AckReproducesTheAckInboundExample) {
  AckValues ack;
  ack.header = {"47c67bef-759b-56ce-8a3a-7ea556bda3c4", "TH-RTP", "CN-MPS",
                "25690314093002"};
  ack.ack_message_id = "677639f9-139a-5217-ad22-4969550d608d";
  ack.ack_body_sha256 =
      "162adfa2b61acd0c043eacbadc9c29f3cc726d48980d3c828ac11924787c043f";
  ack.received_at = "25690314093002";
  ack.duplicate = false;
  ack.partner_ref = "RTP-IN-2569-000457";
  absl::StatusOr<std::string> body =
      EncodeAck(ack, *gw::testing::Rfc8032Signer(2));
  ASSERT_TRUE(body.ok()) << body.status();
  EXPECT_TRUE(
      SameBytes(WithLengthPrefix(*body), ExampleFile("ack-inbound.bin")));
}

TEST(ThFrameWriterTest, NakReproducesTheNakInboundExample) {
  NakValues nak;
  nak.header = {"d74e3cfa-b647-5068-945c-b16d1b8369b7", "TH-RTP", "CN-MPS",
                "25690315080001"};
  nak.nak_message_id = "79a79b79-bedf-5266-aef6-cec0dd834e32";
  nak.nak_body_sha256 =
      "4509b6ec170d962fae4266973c19aa1fc9c29b882c63088042668c66855ec3aa";
  nak.received_at = "25690315080001";
  nak.reason_code = 302;
  nak.record_no = 1;
  nak.field_name = "CS.CASE_REF";
  nak.reason_text = "ไม่พบเลขอ้างอิงคดีนี้ / case reference not known";
  absl::StatusOr<std::string> body =
      EncodeNak(nak, *gw::testing::Rfc8032Signer(2));
  ASSERT_TRUE(body.ok()) << body.status();
  EXPECT_TRUE(
      SameBytes(WithLengthPrefix(*body), ExampleFile("nak-inbound.bin")));
  // The mock's own text for 302 is the example's.
  EXPECT_EQ(ReasonText(302), nak.reason_text);
}

TEST(ThFrameWriterTest, HeartbeatReproducesTheExample) {
  absl::StatusOr<std::string> body =
      EncodeHeartbeat({"d0cda719-9292-54f5-828f-f856d0d7cfe1", "CN-MPS",
                       "TH-RTP", "25690314093100"},
                      *gw::testing::Rfc8032Signer(1));
  ASSERT_TRUE(body.ok()) << body.status();
  EXPECT_TRUE(SameBytes(WithLengthPrefix(*body), ExampleFile("heartbeat.bin")));
}

TEST(ThFrameWriterTest, GatewayAckReproducesTheAckOutboundExample) {
  AckValues ack;
  ack.header = {"e548fd3a-10bf-5c47-a46b-5a6c02b5f976", "CN-MPS", "TH-RTP",
                "25690314100501"};
  ack.ack_message_id = "bf7826c6-359b-59b9-b8eb-3284f1d62573";
  ack.ack_body_sha256 =
      "20b5e52110ec96328bc8fbcf501325feb86f7bf01182c00aec568dc05ad4fb09";
  ack.received_at = "25690314100501";
  absl::StatusOr<std::string> body =
      EncodeAck(ack, *gw::testing::Rfc8032Signer(1));
  ASSERT_TRUE(body.ok()) << body.status();
  EXPECT_TRUE(
      SameBytes(WithLengthPrefix(*body), ExampleFile("ack-outbound.bin")));
}

TEST(ThFrameWriterTest, AlertEncoderReproducesTheAlertOutboundExample) {
  AlertValues alert;
  alert.header = {"677639f9-139a-5217-ad22-4969550d608d", "CN-MPS", "TH-RTP",
                  "25690314093000"};
  alert.alert_id = "CNMPS-ALERT-2026-000731";
  alert.case_ref = "CN-YN-XSBN-2026-0042";
  alert.kind = "MISSING_PERSON";
  alert.priority = "URGENT";
  alert.handling_code = "H2";
  alert.origin_agency = "CN-MPS";
  alert.originator = "yn-xsbn-inv-0107";
  alert.recipients = "TH-RTP";
  alert.last_seen_at = "25690310161500";
  alert.last_seen_place =
      "Jinghong long-distance bus station, Xishuangbanna, Yunnan";
  alert.last_seen_country = "CHN";
  alert.narr_omitted = 1;
  alert.text_subst = "Y";
  SubjectValues victim;
  victim.role = "VICTIM";
  victim.sex = "F";
  victim.birth_date = "25540805";
  victim.age_estimate = "014";
  victim.nationality = "THA";
  victim.th_given = "มาลี";
  victim.th_family = "ทดสอบ";
  victim.th_full = "มาลี ทดสอบ";
  victim.latn_given = "Malee";
  victim.latn_family = "THOTSOP";
  victim.latn_full = "Malee THOTSOP";
  DocumentValues passport;
  passport.type = "PASSPORT";
  passport.number = "AA0000001";
  passport.issuing_state = "THA";
  passport.expiry = "25720731";
  passport.mrz_1 = "P<THATHOTSOP<<MALEE<<<<<<<<<<<<<<<<<<<<<<<<<";
  passport.mrz_2 = "AA00000011THA1108051F2907310<<<<<<<<<<<<<<00";
  victim.documents.push_back(passport);
  SubjectValues suspect;
  suspect.role = "SUSPECT";
  suspect.sex = "M";
  suspect.birth_date = "25290000";
  suspect.age_estimate = "040";
  suspect.nationality = "CHN";
  suspect.latn_given = "Qiang";
  suspect.latn_family = "CESHI";
  suspect.latn_full = "CESHI Qiang";
  suspect.name_flag = "R";
  alert.subjects = {victim, suspect};
  alert.narrative.push_back(
      {"en",
       "FICTIONAL TEST RECORD. Girl aged 14 left Jinghong by bus with an "
       "adult male on 10 March 2026; believed to be heading south towards the "
       "border."});
  absl::StatusOr<std::string> body =
      EncodeAlert(alert, *gw::testing::Rfc8032Signer(1));
  ASSERT_TRUE(body.ok()) << body.status();
  EXPECT_TRUE(SameBytes(*body, ExampleBody("alert-outbound.bin")));
}

TEST(ThFrameWriterTest, RequestEncoderReproducesTheInboundRequestExample) {
  RequestValues request = SampleInboundRequest();
  request.header.message_id = "bf7826c6-359b-59b9-b8eb-3284f1d62573";
  request.header.created_at = "25690314100500";
  absl::StatusOr<std::string> body =
      EncodeRequest(request, *gw::testing::Rfc8032Signer(2));
  ASSERT_TRUE(body.ok()) << body.status();
  EXPECT_TRUE(SameBytes(WithLengthPrefix(*body),
                        ExampleFile("repatriation-request-inbound.bin")));
}

TEST(ThFrameWriterTest, SampleInboundAlertIsAValidThaiAlert) {
  AlertValues alert = SampleInboundAlert();
  alert.header.message_id = "3f2a6c1e-8d4b-4f7a-9c2e-1b5d7e9f0a12";
  alert.header.created_at = "25690314100500";
  alert.alert_id = "RTP-AL-2569-000001";
  alert.case_ref = "RTP-CASE-2569-0001";
  absl::StatusOr<std::string> body =
      EncodeAlert(alert, *gw::testing::Rfc8032Signer(2));
  ASSERT_TRUE(body.ok()) << body.status();
  ReaderOptions at_gateway;
  at_gateway.own_agency = "CN-MPS";
  at_gateway.peer_agency = "TH-RTP";
  auto key = gw::testing::Rfc8032Verifier(2);
  at_gateway.peer_keys = {key.get()};
  const ReadResult result = ReadFrame(*body, at_gateway);
  ASSERT_TRUE(result.ok()) << result.rejection->code << " "
                           << result.rejection->field;
  const DecodedRecord& al = result.frame.header();
  EXPECT_EQ(al.Get("ORIGIN_AGENCY"), "TH-RTP");
  EXPECT_EQ(al.Get("ORIGINATOR"), "rtp-inv-0042");
  EXPECT_EQ(al.Get("HANDLING_CODE"), "H1");
  EXPECT_EQ(al.Get("RECIPIENTS"), "CN-MPS");
  ASSERT_EQ(result.frame.Subjects().size(), 1u);
  EXPECT_EQ(result.frame.Subjects()[0]->Get("TH_FULL"), "มาลี ทดสอบ");
  EXPECT_EQ(result.frame.Subjects()[0]->Get("BIRTH_DATE"), "25540800");
  ASSERT_EQ(result.frame.texts.size(), 2u);
  EXPECT_EQ(result.frame.texts[0].lang, "th");
  EXPECT_EQ(result.frame.texts[1].lang, "en");
}

TEST(ThFrameWriterTest, RefusesValuesThatDoNotFit) {
  RecordWriter al("AL");
  al.Set("ALERT_ID", std::string(65, 'A'));
  absl::StatusOr<std::string> too_long = al.Finish();
  ASSERT_FALSE(too_long.ok());
  EXPECT_THAT(too_long.status().message(), HasSubstr("AL.ALERT_ID"));

  RecordWriter sb("SB");
  sb.Set("TH_GIVEN", "测试");  // Hani: not in TIS-620
  absl::StatusOr<std::string> not_thai = sb.Finish();
  ASSERT_FALSE(not_thai.ok());
  EXPECT_THAT(not_thai.status().message(), HasSubstr("SB.TH_GIVEN"));
  EXPECT_THAT(not_thai.status().message(), Not(HasSubstr("测试")));

  RecordWriter latin("SB");
  latin.Set("LATN_GIVEN", "Thị");  // A fields are ASCII
  EXPECT_FALSE(latin.Finish().ok());
}

TEST(ThFrameWriterTest, ReasonTextIsCutWithoutSplittingThaiMarks) {
  NakValues nak;
  nak.header = {"d74e3cfa-b647-5068-945c-b16d1b8369b7", "TH-RTP", "CN-MPS",
                "25690315080001"};
  nak.received_at = "25690315080001";
  nak.reason_code = 120;
  // 199 ASCII bytes then "กี่": the cut at 200 would separate ก from its
  // marks, so it moves before ก.
  nak.reason_text = std::string(199, 'x') + "กี่";
  absl::StatusOr<std::string> body =
      EncodeNak(nak, *gw::testing::Rfc8032Signer(2));
  ASSERT_TRUE(body.ok()) << body.status();
  EXPECT_EQ(body->substr(222, 200), std::string(199, 'x') + " ");
}

}  // namespace
}  // namespace gw::th_rtp_mock
