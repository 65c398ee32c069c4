// tests/unit/adapters/th_rtp/frame_test.cc
//
// The receiver order of TH-RTP.md §6: one crafted frame per NK code that a
// receiver finds in the frame itself (100, 101, 102, 103, 110, 120, 121,
// 122, 130, 201, 202), each asserting RECORD_NO and FIELD_NAME, and frames
// with two faults showing which check comes first. The frames are the
// example alert (CN-MPS -> TH-RTP) with one field changed and sealed again,
// decoded by TH-RTP's side of the link.
#include "adapters/th_rtp/frame.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gtest/gtest.h"
#include "tests/unit/adapters/th_rtp/th_rtp_examples.h"

namespace gw::th_rtp {
namespace {

using testing::Link;
using testing::Patch;
using testing::ReadExample;
using testing::RecordsOf;
using testing::Resign;

// Records of the example alert: AL SB DO SB NR (TR is record 6).
enum { kAl = 0, kSb1 = 1, kDo = 2, kSb2 = 3, kNr = 4 };

class ReceiverOrderTest : public ::testing::Test {
 protected:
  ReceiverOrderTest()
      : receiver_(link_.Partner()),
        alert_(ReadExample("alert-outbound.bin")),
        records_(RecordsOf(alert_)) {}

  std::string Sealed() const {
    return testing::Seal(records_, link_.gateway_key());
  }

  // Decodes `frame` as TH-RTP receiving from `peer`; the refusal.
  ThRtpRefusal Refuse(
      const std::string& frame,
      absl::StatusCode want_code = absl::StatusCode::kInvalidArgument,
      const std::string& peer = "CN-MPS") const {
    adapters::PartnerMessage received;
    received.bytes = frame;
    absl::StatusOr<adapters::InboundMessage> decoded =
        receiver_->Decode(peer, received);
    EXPECT_FALSE(decoded.ok());
    if (decoded.ok()) return {};
    EXPECT_EQ(decoded.status().code(), want_code) << decoded.status();
    std::optional<ThRtpRefusal> refusal = RefusalOf(decoded.status());
    EXPECT_TRUE(refusal.has_value()) << decoded.status();
    return refusal.value_or(ThRtpRefusal{});
  }

  void ExpectRefusal(
      const std::string& frame, int code, int record_no,
      const std::string& field,
      absl::StatusCode status_code = absl::StatusCode::kInvalidArgument,
      const std::string& peer = "CN-MPS") const {
    const ThRtpRefusal r = Refuse(frame, status_code, peer);
    EXPECT_EQ(r.code, code) << r.text;
    EXPECT_EQ(r.record_no, record_no) << r.text;
    EXPECT_EQ(r.field_name, field) << r.text;
    EXPECT_FALSE(r.text.empty());
  }

  Link link_;
  std::unique_ptr<ThRtpCodec> receiver_;
  const std::string alert_;
  std::vector<std::string> records_;
};

TEST_F(ReceiverOrderTest, TheUnchangedExampleIsAccepted) {
  adapters::PartnerMessage received;
  received.bytes = alert_;
  EXPECT_TRUE(receiver_->Decode("CN-MPS", received).ok());
  // Re-sealing unchanged records gives the example back: the helpers are
  // faithful.
  EXPECT_EQ(Sealed(), alert_);
}

TEST_F(ReceiverOrderTest, Nk100FrameLength) {
  std::string short_frame("\x00\x00\x00\xDB", 4);  // LEN 219
  short_frame += std::string(219, ' ');
  ExpectRefusal(short_frame, 100, 0, "");
  std::string long_frame("\x00\x10\x00\x01", 4);  // LEN 1,048,577
  ExpectRefusal(long_frame, 100, 0, "");
}

TEST_F(ReceiverOrderTest, Nk101UnknownRecordType) {
  records_[kSb1].replace(0, 2, "XB");
  ExpectRefusal(Sealed(), 101, 2, "");
}

TEST_F(ReceiverOrderTest, Nk101RecordNotEndingInCrLf) {
  records_[kDo].replace(197, 2, "\n\r");
  ExpectRefusal(Sealed(), 101, 3, "DO.EOL");
}

TEST_F(ReceiverOrderTest, Nk101BytesAfterTr) {
  std::string frame = alert_ + "HB";
  frame[3] = static_cast<char>(frame[3] + 2);  // LEN 2923 + 2, no carry
  ExpectRefusal(frame, 101, 7, "");
}

TEST_F(ReceiverOrderTest, Nk101NoTr) {
  // The body ends right after the NR record.
  std::string body;
  for (const std::string& r : records_) body += r;
  std::string frame(4, '\0');
  frame[2] = static_cast<char>(body.size() >> 8);
  frame[3] = static_cast<char>(body.size() & 0xFF);
  ExpectRefusal(frame + body, 101, 0, "");
}

TEST_F(ReceiverOrderTest, Nk102SequenceNotConsecutive) {
  Patch(&records_[kSb2], RecordType::kSB, "SUBJ_SEQ", "003");
  ExpectRefusal(Sealed(), 102, 4, "SB.SUBJ_SEQ");
}

TEST_F(ReceiverOrderTest, Nk102SequenceNotAllDigits) {
  Patch(&records_[kDo], RecordType::kDO, "DOC_SEQ", "0A");
  ExpectRefusal(Sealed(), 102, 3, "DO.DOC_SEQ");
}

TEST_F(ReceiverOrderTest, Nk102TopicNotOfTheFrame) {
  Patch(&records_[kNr], RecordType::kNR, "TOPIC", "BIAS");
  ExpectRefusal(Sealed(), 102, 5, "NR.TOPIC");
}

TEST_F(ReceiverOrderTest, Nk102RecordOutOfPlace) {
  // AL NR SB DO SB: the first SB after the narrative is out of place.
  ExpectRefusal(testing::Seal({records_[kAl], records_[kNr], records_[kSb1],
                               records_[kDo], records_[kSb2]},
                              link_.gateway_key()),
                102, 3, "SB.REC_TYPE");
}

TEST_F(ReceiverOrderTest, Nk102TextPartsIncomplete) {
  Patch(&records_[kNr], RecordType::kNR, "PART_COUNT", "002");
  ExpectRefusal(Sealed(), 102, 6, "TR.REC_TYPE");
}

TEST_F(ReceiverOrderTest, Nk103RecordCount) {
  std::string frame = Sealed();
  const size_t tr = frame.size() - 144;
  frame.replace(tr + 2, 6, "000005");
  ExpectRefusal(Resign(frame, link_.gateway_key()), 103, 6, "TR.RECORD_COUNT");
  frame.replace(tr + 2, 6, "00000x");
  ExpectRefusal(Resign(frame, link_.gateway_key()), 103, 6, "TR.RECORD_COUNT");
}

TEST_F(ReceiverOrderTest, Nk130SenderIsNotTheTlsPeer) {
  ExpectRefusal(alert_, 130, 1, "AL.SENDER",
                absl::StatusCode::kPermissionDenied, "LA-MPS");
}

TEST_F(ReceiverOrderTest, Nk202UnknownKey) {
  // Signed with TH-RTP's own key, which is not registered to CN-MPS.
  ExpectRefusal(testing::Seal(records_, link_.partner_key()), 202, 6,
                "TR.KEY_ID", absl::StatusCode::kUnavailable);
}

TEST_F(ReceiverOrderTest, Nk201SignatureDoesNotVerify) {
  std::string frame = alert_;
  frame[frame.size() - 1] ^= 0x01;
  ExpectRefusal(frame, 201, 6, "TR.SIGNATURE",
                absl::StatusCode::kUnauthenticated);
  // A changed body byte under the old signature.
  std::string body_changed = alert_;
  body_changed[4 + 1777] = 'f';  // first byte of the narrative
  ExpectRefusal(body_changed, 201, 6, "TR.SIGNATURE",
                absl::StatusCode::kUnauthenticated);
}

TEST_F(ReceiverOrderTest, Nk201WrongSigAlg) {
  std::string frame = alert_;
  frame.replace(frame.size() - 72, 8, "ED448   ");
  ExpectRefusal(Resign(frame, link_.gateway_key()), 201, 6, "TR.SIG_ALG",
                absl::StatusCode::kUnauthenticated);
}

TEST_F(ReceiverOrderTest, Nk122ByteOutsideThePermittedSet) {
  Patch(&records_[kAl], RecordType::kAL, "ORIGINATOR", "yn-\x80");
  ExpectRefusal(Sealed(), 122, 1, "AL.ORIGINATOR");
}

TEST_F(ReceiverOrderTest, Nk122IcuPrivateUseByteInAThaiField) {
  Patch(&records_[kSb1], RecordType::kSB, "TH_GIVEN", "\xC1\xDB");
  ExpectRefusal(Sealed(), 122, 2, "SB.TH_GIVEN");
}

TEST_F(ReceiverOrderTest, Nk121MandatoryFieldBlank) {
  Patch(&records_[kAl], RecordType::kAL, "KIND", "");
  ExpectRefusal(Sealed(), 121, 1, "AL.KIND");
}

TEST_F(ReceiverOrderTest, Nk120SpacesInADate) {
  Patch(&records_[kSb1], RecordType::kSB, "BIRTH_DATE", "2554 805");
  ExpectRefusal(Sealed(), 120, 2, "SB.BIRTH_DATE");
}

TEST_F(ReceiverOrderTest, Nk120PartialDateOutsideBirthDate) {
  Patch(&records_[kDo], RecordType::kDO, "EXPIRY", "25720700");
  ExpectRefusal(Sealed(), 120, 3, "DO.EXPIRY");
}

TEST_F(ReceiverOrderTest, Nk120UnknownCode) {
  Patch(&records_[kAl], RecordType::kAL, "PRIORITY", "LOW");
  ExpectRefusal(Sealed(), 120, 1, "AL.PRIORITY");
}

TEST_F(ReceiverOrderTest, Nk120RoleTheFrameDoesNotAllow) {
  Patch(&records_[kSb2], RecordType::kSB, "ROLE", "GUARDIAN");
  ExpectRefusal(Sealed(), 120, 4, "SB.ROLE");
}

TEST_F(ReceiverOrderTest, Nk120TextSubstNWithOmittedNarratives) {
  Patch(&records_[kAl], RecordType::kAL, "TEXT_SUBST", "N");
  ExpectRefusal(Sealed(), 120, 1, "AL.TEXT_SUBST");
}

TEST_F(ReceiverOrderTest, Nk120NameFlagInconsistent) {
  Patch(&records_[kSb1], RecordType::kSB, "NAME_FLAG", "U");
  ExpectRefusal(Sealed(), 120, 2, "SB.NAME_FLAG");
}

TEST_F(ReceiverOrderTest, Nk110UnsupportedVersion) {
  Patch(&records_[kAl], RecordType::kAL, "FMT_VERSION", "02");
  ExpectRefusal(Sealed(), 110, 1, "AL.FMT_VERSION");
}

TEST_F(ReceiverOrderTest, Nk130RecipientIsNotTheReceiver) {
  Patch(&records_[kAl], RecordType::kAL, "RECIPIENT", "KH-CNP");
  ExpectRefusal(Sealed(), 130, 1, "AL.RECIPIENT",
                absl::StatusCode::kPermissionDenied);
}

TEST_F(ReceiverOrderTest, StructureBeforeOrderBeforeCount) {
  // 102 (SUBJ_SEQ) and 101 (a later record without CR LF): 101 wins.
  Patch(&records_[kSb2], RecordType::kSB, "SUBJ_SEQ", "009");
  records_[kNr].replace(1026, 2, "  ");
  ExpectRefusal(Sealed(), 101, 5, "NR.EOL");
}

TEST_F(ReceiverOrderTest, SenderBeforeKeyBeforeSignature) {
  std::string frame = testing::Seal(records_, link_.partner_key());
  frame[frame.size() - 1] ^= 0x01;
  ExpectRefusal(frame, 130, 1, "AL.SENDER", absl::StatusCode::kPermissionDenied,
                "VN-MPS");
  ExpectRefusal(frame, 202, 6, "TR.KEY_ID", absl::StatusCode::kUnavailable);
}

TEST_F(ReceiverOrderTest, SignatureBeforeFieldValues) {
  Patch(&records_[kAl], RecordType::kAL, "KIND", "");
  std::string frame = Sealed();
  frame[frame.size() - 1] ^= 0x01;
  ExpectRefusal(frame, 201, 6, "TR.SIGNATURE",
                absl::StatusCode::kUnauthenticated);
}

TEST_F(ReceiverOrderTest, HeaderFieldTypesBeforeVersionBeforeLaterRecords) {
  // FMT_VERSION 02 with a bad byte in the header: the field type first.
  Patch(&records_[kAl], RecordType::kAL, "FMT_VERSION", "02");
  Patch(&records_[kAl], RecordType::kAL, "LAST_SEEN_PLACE", "\x7F");
  ExpectRefusal(Sealed(), 122, 1, "AL.LAST_SEEN_PLACE");
  // FMT_VERSION 02 with a bad byte in a later record: the version first.
  Patch(&records_[kAl], RecordType::kAL, "LAST_SEEN_PLACE", "Jinghong");
  Patch(&records_[kSb1], RecordType::kSB, "LATN_GIVEN", "\xC1");
  ExpectRefusal(Sealed(), 110, 1, "AL.FMT_VERSION");
}

TEST_F(ReceiverOrderTest, WithinARecordFieldsInOffsetOrder) {
  // KIND (offset 202) blank, ORIGINATOR (242) with a bad byte: KIND first.
  Patch(&records_[kAl], RecordType::kAL, "KIND", "");
  Patch(&records_[kAl], RecordType::kAL, "ORIGINATOR", "\x80");
  ExpectRefusal(Sealed(), 121, 1, "AL.KIND");
}

TEST_F(ReceiverOrderTest, JoinRulesAfterTheLastRecord) {
  // TEXT_SUBST N with NARR_OMITTED 01 (header join rule) and a bad byte in
  // the NR record: the per-record check of the later record comes first.
  Patch(&records_[kAl], RecordType::kAL, "TEXT_SUBST", "N");
  Patch(&records_[kNr], RecordType::kNR, "LANG", "e n");
  ExpectRefusal(Sealed(), 120, 5, "NR.LANG");
}

TEST_F(ReceiverOrderTest, MessageIdEchoOnlyWhenPrintable) {
  EXPECT_EQ(MessageIdEcho(testing::BodyOf(alert_)), testing::kAlertMessageId);
  std::string body(testing::BodyOf(alert_));
  body[10] = '\x01';
  EXPECT_EQ(MessageIdEcho(body), "");
  body.replace(4, 36, std::string("not-a-uuid") + std::string(26, ' '));
  EXPECT_EQ(MessageIdEcho(body), "not-a-uuid");
}

// RQ: the handover pair (§3.7); RQ frames come from TH-RTP's side.
TEST(RequestFrameTest, Nk121IncompleteHandoverPair) {
  Link link;
  std::vector<std::string> records =
      RecordsOf(ReadExample("repatriation-request-inbound.bin"));
  Patch(&records[0], RecordType::kRQ, "HANDOVER_DATE", "00000000");
  adapters::PartnerMessage received;
  received.bytes = testing::Seal(records, link.partner_key());
  absl::StatusOr<adapters::InboundMessage> decoded =
      link.Gateway()->Decode("TH-RTP", received);
  ASSERT_FALSE(decoded.ok());
  std::optional<ThRtpRefusal> r = RefusalOf(decoded.status());
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->code, 121);
  EXPECT_EQ(r->record_no, 1);
  EXPECT_EQ(r->field_name, "RQ.HANDOVER_DATE");
}

TEST(RequestFrameTest, Nk120TravelDocumentOutsideAnRequest) {
  Link link;
  std::vector<std::string> records =
      RecordsOf(ReadExample("alert-outbound.bin"));
  Patch(&records[kDo], RecordType::kDO, "DOC_USE", "T");
  adapters::PartnerMessage received;
  received.bytes = testing::Seal(records, link.gateway_key());
  absl::StatusOr<adapters::InboundMessage> decoded =
      link.Partner()->Decode("CN-MPS", received);
  ASSERT_FALSE(decoded.ok());
  std::optional<ThRtpRefusal> r = RefusalOf(decoded.status());
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->code, 120);
  EXPECT_EQ(r->record_no, 3);
  EXPECT_EQ(r->field_name, "DO.DOC_USE");
}

}  // namespace
}  // namespace gw::th_rtp
