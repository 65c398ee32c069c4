// tests/unit/tools/partners/th_rtp_mock/th_frame_reader_test.cc
//
// The mock's decoder: it accepts every example frame of
// shared/partners/examples/TH-RTP/ (signed with the RFC 8032 test keys)
// and decodes the documented values, and it answers crafted bad frames
// with the NK code, RECORD_NO and FIELD_NAME that the receiver order of
// TH-RTP.md §6 gives (at least one frame per code).
#include "tools/partners/th_rtp_mock/th_frame_reader.h"

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/rfc8032_keys.h"
#include "tests/unit/tools/partners/th_rtp_mock/th_examples.h"
#include "tools/partners/th_rtp_mock/th_codes.h"
#include "tools/partners/th_rtp_mock/th_frame_writer.h"

namespace gw::th_rtp_mock {
namespace {

using testing::ExampleBody;
using testing::Patch;
using testing::PatchAndResign;

// Body offsets in alert-outbound.bin (alert-outbound.hex.txt).
constexpr size_t kSb1 = 528;
constexpr size_t kDo = 1040;
constexpr size_t kSb2 = 1239;
constexpr size_t kNr = 1751;
constexpr size_t kTr = 2779;

const crypto::Signer& GatewaySigner() {
  static const crypto::Signer* signer = gw::testing::Rfc8032Signer(1).release();
  return *signer;
}
const crypto::Signer& PartnerSigner() {
  static const crypto::Signer* signer = gw::testing::Rfc8032Signer(2).release();
  return *signer;
}
const crypto::Verifier* GatewayKey() {
  static const crypto::Verifier* key =
      gw::testing::Rfc8032Verifier(1).release();
  return key;
}
const crypto::Verifier* PartnerKey() {
  static const crypto::Verifier* key =
      gw::testing::Rfc8032Verifier(2).release();
  return key;
}

// TH-RTP receiving from the gateway (a server reading outbound frames).
ReaderOptions AtThRtp() {
  ReaderOptions options;
  options.own_agency = "TH-RTP";
  options.peer_agency = "CN-MPS";
  options.peer_keys = {GatewayKey()};
  return options;
}

// The gateway receiving from TH-RTP.
ReaderOptions AtGateway() {
  ReaderOptions options;
  options.own_agency = "CN-MPS";
  options.peer_agency = "TH-RTP";
  options.peer_keys = {PartnerKey()};
  return options;
}

std::string Describe(const ReadResult& result) {
  if (result.ok()) return "accepted";
  return ::testing::PrintToString(result.rejection->code) + " record " +
         ::testing::PrintToString(result.rejection->record_no) + " " +
         result.rejection->field + " (" + result.rejection->detail + ")";
}

TEST(ThFrameReaderTest, DecodesTheOutboundAlertExample) {
  const ReadResult result =
      ReadFrame(ExampleBody("alert-outbound.bin"), AtThRtp());
  ASSERT_TRUE(result.ok()) << Describe(result);
  const DecodedFrame& frame = result.frame;
  EXPECT_EQ(frame.header_type, "AL");
  EXPECT_EQ(frame.message_id, "677639f9-139a-5217-ad22-4969550d608d");
  EXPECT_EQ(frame.sender, "CN-MPS");
  EXPECT_EQ(frame.recipient, "TH-RTP");
  EXPECT_EQ(frame.created_at, "25690314093000");
  EXPECT_EQ(frame.key_id, gw::testing::kRfc8032Test1KeyId);
  // The digest the ack-inbound example acknowledges.
  EXPECT_EQ(frame.body_sha256,
            "162adfa2b61acd0c043eacbadc9c29f3cc726d48980d3c828ac11924787c043f");
  ASSERT_EQ(frame.records.size(), 6u);
  const DecodedRecord& al = frame.header();
  EXPECT_EQ(al.Get("ALERT_ID"), "CNMPS-ALERT-2026-000731");
  EXPECT_EQ(al.Get("CASE_REF"), "CN-YN-XSBN-2026-0042");
  EXPECT_EQ(al.Get("KIND"), "MISSING_PERSON");
  EXPECT_EQ(al.Get("PRIORITY"), "URGENT");
  EXPECT_EQ(al.Get("HANDLING_CODE"), "H2");
  EXPECT_EQ(al.Get("ORIGINATOR"), "yn-xsbn-inv-0107");
  EXPECT_EQ(al.Get("RECIPIENTS"), "TH-RTP");
  EXPECT_EQ(al.Get("LAST_SEEN_AT"), "25690310161500");
  EXPECT_EQ(al.Get("LAST_SEEN_PLACE"),
            "Jinghong long-distance bus station, Xishuangbanna, Yunnan");
  EXPECT_EQ(al.Get("LAST_SEEN_COUNTRY"), "CHN");
  EXPECT_EQ(al.Get("NARR_OMITTED"), "01");
  EXPECT_EQ(al.Get("TEXT_SUBST"), "Y");

  const std::vector<const DecodedRecord*> subjects = frame.Subjects();
  ASSERT_EQ(subjects.size(), 2u);
  const DecodedRecord& victim = *subjects[0];
  EXPECT_EQ(victim.Get("ROLE"), "VICTIM");
  EXPECT_EQ(victim.Get("SEX"), "F");
  EXPECT_EQ(victim.Get("BIRTH_DATE"), "25540805");
  EXPECT_EQ(victim.Get("AGE_ESTIMATE"), "014");
  EXPECT_EQ(victim.Get("TH_GIVEN"), "มาลี");
  EXPECT_EQ(victim.Get("TH_FAMILY"), "ทดสอบ");
  EXPECT_EQ(victim.Get("TH_FULL"), "มาลี ทดสอบ");
  EXPECT_EQ(victim.Get("LATN_FULL"), "Malee THOTSOP");
  EXPECT_EQ(victim.Get("NAME_FLAG"), "N");
  const std::vector<const DecodedRecord*> documents = frame.Documents(1);
  ASSERT_EQ(documents.size(), 1u);
  EXPECT_EQ(documents[0]->Get("DOC_TYPE"), "PASSPORT");
  EXPECT_EQ(documents[0]->Get("ISSUING_STATE"), "THA");
  EXPECT_EQ(documents[0]->Get("EXPIRY"), "25720731");
  EXPECT_EQ(documents[0]->Get("MRZ_1"),
            "P<THATHOTSOP<<MALEE<<<<<<<<<<<<<<<<<<<<<<<<<");
  EXPECT_EQ(documents[0]->Get("MRZ_3"), "");
  const DecodedRecord& suspect = *subjects[1];
  EXPECT_EQ(suspect.Get("ROLE"), "SUSPECT");
  EXPECT_EQ(suspect.Get("BIRTH_DATE"), "25290000");
  EXPECT_EQ(suspect.Get("TH_FULL"), "");
  EXPECT_EQ(suspect.Get("LATN_FULL"), "CESHI Qiang");
  EXPECT_EQ(suspect.Get("NAME_FLAG"), "R");

  ASSERT_EQ(frame.texts.size(), 1u);
  EXPECT_EQ(frame.texts[0].topic, "NARR");
  EXPECT_EQ(frame.texts[0].lang, "en");
  EXPECT_EQ(frame.texts[0].text,
            "FICTIONAL TEST RECORD. Girl aged 14 left Jinghong by bus with an "
            "adult male on 10 March 2026; believed to be heading south towards "
            "the border.");
}

TEST(ThFrameReaderTest, DecodesTheOutboundCaseStatusExample) {
  const ReadResult result =
      ReadFrame(ExampleBody("case-status-outbound.bin"), AtThRtp());
  ASSERT_TRUE(result.ok()) << Describe(result);
  const DecodedFrame& frame = result.frame;
  EXPECT_EQ(frame.header_type, "CS");
  EXPECT_EQ(frame.message_id, "79a79b79-bedf-5266-aef6-cec0dd834e32");
  EXPECT_EQ(frame.body_sha256,
            "4509b6ec170d962fae4266973c19aa1fc9c29b882c63088042668c66855ec3aa");
  EXPECT_EQ(frame.header().Get("CASE_REF"), "CN-YN-XSBN-2026-0099");
  EXPECT_EQ(frame.header().Get("OWNER_AGENCY"), "CN-MPS");
  EXPECT_EQ(frame.header().Get("STATE"), "VICTIM_LOCATED");
  EXPECT_EQ(frame.header().Get("UPDATED_AT"), "25690315080000");
  EXPECT_EQ(frame.header().Get("SHARED_WITH"), "TH-RTP");
  ASSERT_EQ(frame.texts.size(), 1u);
  EXPECT_EQ(frame.texts[0].topic, "NOTE");
  EXPECT_EQ(frame.texts[0].text,
            "FICTIONAL TEST RECORD. Victim located in Mengla county.");
}

TEST(ThFrameReaderTest, DecodesTheInboundRequestAsTheGatewayReadsIt) {
  const ReadResult result =
      ReadFrame(ExampleBody("repatriation-request-inbound.bin"), AtGateway());
  ASSERT_TRUE(result.ok()) << Describe(result);
  const DecodedFrame& frame = result.frame;
  EXPECT_EQ(frame.header_type, "RQ");
  EXPECT_EQ(frame.header().Get("REQUEST_ID"), "RTP-RQ-2569-000058");
  EXPECT_EQ(frame.header().Get("HANDOVER_POINT"), "Suvarnabhumi Airport (BKK)");
  EXPECT_EQ(frame.header().Get("HANDOVER_DATE"), "25690402");
  ASSERT_EQ(frame.Subjects().size(), 1u);
  EXPECT_EQ(frame.Subjects()[0]->Get("LATN_FULL"), "CESHI Hua");
  ASSERT_EQ(frame.Documents(1).size(), 1u);
  EXPECT_EQ(frame.Documents(1)[0]->Get("DOC_USE"), "T");
  ASSERT_EQ(frame.texts.size(), 3u);
  EXPECT_EQ(frame.texts[0].topic, "BIAS");
  EXPECT_EQ(frame.texts[0].lang, "th");
  EXPECT_EQ(frame.texts[0].text, "เด็กประสงค์จะกลับไปหาครอบครัว");
  EXPECT_EQ(frame.texts[1].lang, "en");
  EXPECT_EQ(frame.texts[2].topic, "GRDN");
  EXPECT_EQ(frame.texts[2].seq, 1);
}

TEST(ThFrameReaderTest, DecodesTheControlFrameExamples) {
  const ReadResult ack = ReadFrame(ExampleBody("ack-inbound.bin"), AtGateway());
  ASSERT_TRUE(ack.ok()) << Describe(ack);
  EXPECT_EQ(ack.frame.header().Get("ACK_MESSAGE_ID"),
            "677639f9-139a-5217-ad22-4969550d608d");
  EXPECT_EQ(ack.frame.header().Get("PARTNER_REF"), "RTP-IN-2569-000457");
  EXPECT_EQ(ack.frame.header().Get("DUPLICATE"), "N");

  const ReadResult nak = ReadFrame(ExampleBody("nak-inbound.bin"), AtGateway());
  ASSERT_TRUE(nak.ok()) << Describe(nak);
  EXPECT_EQ(nak.frame.header().Get("REASON_CODE"), "302");
  EXPECT_EQ(nak.frame.header().Get("RETRYABLE"), "N");
  EXPECT_EQ(nak.frame.header().Get("FIELD_NAME"), "CS.CASE_REF");
  EXPECT_EQ(nak.frame.header().Get("REASON_TEXT"),
            "ไม่พบเลขอ้างอิงคดีนี้ / case reference not known");

  const ReadResult heartbeat =
      ReadFrame(ExampleBody("heartbeat.bin"), AtThRtp());
  ASSERT_TRUE(heartbeat.ok()) << Describe(heartbeat);
  EXPECT_EQ(heartbeat.frame.header_type, "HB");

  const ReadResult ack_out =
      ReadFrame(ExampleBody("ack-outbound.bin"), AtThRtp());
  ASSERT_TRUE(ack_out.ok()) << Describe(ack_out);
  EXPECT_EQ(ack_out.frame.header().Get("PARTNER_REF"), "");
}

TEST(ThFrameReaderTest, TheWrongSideOfAnExampleIsRefused) {
  // The gateway's alert read by the gateway: not its own key, not its peer.
  const ReadResult result =
      ReadFrame(ExampleBody("alert-outbound.bin"), AtGateway());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.rejection->code, kWrongParty);
  EXPECT_EQ(result.rejection->field, "AL.SENDER");
}

// One crafted frame: the alert example with `bytes` at body `offset`.
struct BadFrame {
  const char* name;
  size_t offset;
  std::string bytes;
  int code;
  int record_no;
  const char* field;
  bool resign = true;  // false: keep the example's (now wrong) signature
};

// gtest prints the case by name instead of as raw bytes.
void PrintTo(const BadFrame& bad, std::ostream* os) { *os << bad.name; }

class ThFrameReaderRejectTest : public ::testing::TestWithParam<BadFrame> {};

TEST_P(ThFrameReaderRejectTest, AnswersTheRightCodeRecordAndField) {
  const BadFrame& bad = GetParam();
  const std::string body = ExampleBody("alert-outbound.bin");
  const std::string crafted =
      bad.resign ? PatchAndResign(body, bad.offset, bad.bytes, GatewaySigner())
                 : Patch(body, bad.offset, bad.bytes);
  const ReadResult result = ReadFrame(crafted, AtThRtp());
  ASSERT_FALSE(result.ok()) << bad.name;
  EXPECT_EQ(result.rejection->code, bad.code) << Describe(result);
  EXPECT_EQ(result.rejection->record_no, bad.record_no) << Describe(result);
  EXPECT_EQ(result.rejection->field, bad.field) << Describe(result);
}

std::string Spaces(size_t n) { return std::string(n, ' '); }

INSTANTIATE_TEST_SUITE_P(
    OnePerCode, ThFrameReaderRejectTest,
    ::testing::Values(
        // 101: record structure.
        BadFrame{"UnknownRecordType", kSb1, "XX", 101, 2, ""},
        BadFrame{"HeaderWithoutCrLf", 526, "  ", 101, 1, "AL.EOL"},
        BadFrame{"NarrativeWithoutCrLf", kNr + 1026, "\n\r", 101, 5, "NR.EOL"},
        // 102: order and sequences.
        BadFrame{"SubjectNumberSkipped", kSb2 + 2, "003", 102, 4,
                 "SB.SUBJ_SEQ"},
        BadFrame{"SubjectNumberNotDigits", kSb2 + 2, "0 2", 102, 4,
                 "SB.SUBJ_SEQ"},
        BadFrame{"DocumentOfAnotherSubject", kDo + 2, "002", 102, 3,
                 "DO.SUBJ_SEQ"},
        BadFrame{"TopicOfAnotherFrame", kNr + 2, "BIAS", 102, 5, "NR.TOPIC"},
        BadFrame{"TextPartMissing", kNr + 11, "002", 102, 6, "TR.REC_TYPE"},
        BadFrame{"TextStartsAtPartTwo", kNr + 8, "002", 102, 5, "NR.PART_SEQ"},
        // 103: record count.
        BadFrame{"RecordCountWrong", kTr + 2, "000007", 103, 6,
                 "TR.RECORD_COUNT"},
        BadFrame{"RecordCountNotDigits", kTr + 2, "00000X", 103, 6,
                 "TR.RECORD_COUNT"},
        // 130: the sender is not the TLS peer.
        BadFrame{"SenderNotThePeer", 40, "KH-CNP    ", 130, 1, "AL.SENDER"},
        // 201: signature.
        BadFrame{"SigAlgNotEd25519", kTr + 72, "ED448   ", 201, 6,
                 "TR.SIG_ALG"},
        BadFrame{"BodyAlteredAfterSigning", 1800, "X", 201, 6, "TR.SIGNATURE",
                 false},
        // 122: bytes outside §5.1.
        BadFrame{"WindowsEllipsisInThaiField", kSb1 + 28, "\x85", 122, 2,
                 "SB.TH_GIVEN"},
        BadFrame{"IcuPrivateUseByteInThaiField", kSb1 + 28, "\xdb", 122, 2,
                 "SB.TH_GIVEN"},
        BadFrame{"ThaiByteInAsciiField", kSb1 + 268, "\xc1", 122, 2,
                 "SB.LATN_GIVEN"},
        BadFrame{"LineFeedOutsideNarrative", 400, "\n", 122, 1,
                 "AL.LAST_SEEN_PLACE"},
        // 121: a mandatory field blank.
        BadFrame{"AlertIdBlank", 74, Spaces(64), 121, 1, "AL.ALERT_ID"},
        BadFrame{"CreatedAtZeros", 60, "00000000000000", 121, 1,
                 "AL.CREATED_AT"},
        // 120: types, formats, enumerations.
        BadFrame{"NarrOmittedNotDigits", 523, "0X", 120, 1, "AL.NARR_OMITTED"},
        BadFrame{"KindUnknown", 202, "LOST_PERSON         ", 120, 1, "AL.KIND"},
        BadFrame{"SpacesInTimestamp", 386, Spaces(14), 120, 1,
                 "AL.LAST_SEEN_AT"},
        BadFrame{"MessageIdUppercase", 4, "677639F9", 120, 1, "AL.MESSAGE_ID"},
        BadFrame{"RecipientsWithSpace", 306, "TH-RTP, KH-CNP", 120, 1,
                 "AL.RECIPIENTS"},
        BadFrame{"SpacesInBirthDate", kSb1 + 14, Spaces(8), 120, 2,
                 "SB.BIRTH_DATE"},
        BadFrame{"ImpossibleBirthDate", kSb1 + 14, "25540231", 120, 2,
                 "SB.BIRTH_DATE"},
        // 2544 B.E. = 2001 C.E., not a leap year.
        BadFrame{"February29OfCommonYear", kSb1 + 14, "25440229", 120, 2,
                 "SB.BIRTH_DATE"},
        BadFrame{"DayWithoutMonth", kSb1 + 14, "25540005", 120, 2,
                 "SB.BIRTH_DATE"},
        BadFrame{"PartialExpiryDate", kDo + 57, "25720700", 120, 3,
                 "DO.EXPIRY"},
        BadFrame{"IssuingStateFillerFirst", kDo + 54, "<<<", 120, 3,
                 "DO.ISSUING_STATE"},
        BadFrame{"IssuingStateLetterAfterFiller", kDo + 54, "D<D", 120, 3,
                 "DO.ISSUING_STATE"},
        BadFrame{"RoleOutsideTheEnumeration", kSb1 + 5, "CHILD   ", 120, 2,
                 "SB.ROLE"},
        // 110: after the header record's own field checks.
        BadFrame{"VersionNot01", 2, "02", 110, 1, "AL.FMT_VERSION"},
        // 130: RECIPIENT (after the header's fields and FMT_VERSION).
        BadFrame{"RecipientNotThisReceiver", 50, "KH-CNP    ", 130, 1,
                 "AL.RECIPIENT"},
        // 120, 121: rules across fields and records (after the last record).
        BadFrame{"GuardianInAnAlert", kSb2 + 5, "GUARDIAN", 120, 4, "SB.ROLE"},
        BadFrame{"NameFlagUWithNames", kSb2 + 508, "U", 120, 4, "SB.NAME_FLAG"},
        BadFrame{"TextSubstNWithOmittedNarrative", 525, "N", 120, 1,
                 "AL.TEXT_SUBST"},
        BadFrame{"TravelDocumentInAnAlert", kDo + 7, "T", 120, 3, "DO.DOC_USE"},
        BadFrame{"MrzLineTwoMissing", kDo + 109, Spaces(44), 121, 3,
                 "DO.MRZ_2"}),
    [](const ::testing::TestParamInfo<BadFrame>& info) {
      return std::string(info.param.name);
    });

TEST(ThFrameReaderTest, LeapDayIsCheckedOnTheGregorianYear) {
  // 2543 B.E. = 2000 C.E., a leap year (2543 itself is not divisible by 4).
  const std::string body =
      PatchAndResign(ExampleBody("alert-outbound.bin"), kSb1 + 14, "25430229",
                     GatewaySigner());
  const ReadResult result = ReadFrame(body, AtThRtp());
  EXPECT_TRUE(result.ok()) << Describe(result);
}

TEST(ThFrameReaderTest, IssuingStateFormsOfTheIcdAreAccepted) {
  for (const char* state : {"D  ", "D<<", "D< ", "DE<", "THA"}) {
    const std::string body = PatchAndResign(ExampleBody("alert-outbound.bin"),
                                            kDo + 54, state, GatewaySigner());
    const ReadResult result = ReadFrame(body, AtThRtp());
    EXPECT_TRUE(result.ok()) << state << ": " << Describe(result);
  }
}

TEST(ThFrameReaderTest, LengthOutsideTheRangeIs100) {
  const ReadResult short_body = ReadFrame(std::string(219, 'A'), AtThRtp());
  ASSERT_FALSE(short_body.ok());
  EXPECT_EQ(short_body.rejection->code, kFrameLength);
  EXPECT_EQ(short_body.rejection->record_no, 0);
}

TEST(ThFrameReaderTest, BytesAfterTheTrailerAre101) {
  const ReadResult result =
      ReadFrame(ExampleBody("alert-outbound.bin") + "TR", AtThRtp());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.rejection->code, kRecordStructure);
  EXPECT_EQ(result.rejection->record_no, 6);
}

TEST(ThFrameReaderTest, StructureIsCheckedBeforeOrder) {
  // A sequence error in record 4 and a missing CR LF in record 5: 101 wins
  // because step 2 reads the whole structure first.
  std::string body = Patch(ExampleBody("alert-outbound.bin"), kSb2 + 2, "009");
  body = Patch(body, kNr + 1026, "  ");
  const ReadResult result = ReadFrame(body, AtThRtp());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.rejection->code, kRecordStructure);
  EXPECT_EQ(result.rejection->record_no, 5);
}

TEST(ThFrameReaderTest, SenderIsCheckedBeforeTheKey) {
  // Wrong sender AND an unknown key: 130 comes first (§6 step 4).
  const std::string body = PatchAndResign(ExampleBody("alert-outbound.bin"), 40,
                                          "KH-CNP    ", PartnerSigner());
  const ReadResult result = ReadFrame(body, AtThRtp());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.rejection->code, kWrongParty);
}

TEST(ThFrameReaderTest, UnregisteredKeyIs202) {
  const std::string body = PatchAndResign(ExampleBody("alert-outbound.bin"), 0,
                                          "AL", PartnerSigner());
  const ReadResult result = ReadFrame(body, AtThRtp());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.rejection->code, kUnknownKey);
  EXPECT_EQ(result.rejection->record_no, 6);
  EXPECT_EQ(result.rejection->field, "TR.KEY_ID");
  EXPECT_TRUE(IsRetryable(kUnknownKey));
}

TEST(ThFrameReaderTest, FieldTypesOfARecordComeBeforeItsFormats) {
  // In record 2: a bad ROLE (a format, offset 5) and a bad byte in TH_GIVEN
  // (a type, offset 28): the 122 of the type check is answered.
  std::string body =
      Patch(ExampleBody("alert-outbound.bin"), kSb1 + 5, "CHILD   ");
  body = PatchAndResign(body, kSb1 + 28, "\x80", GatewaySigner());
  const ReadResult result = ReadFrame(body, AtThRtp());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.rejection->code, kInvalidCharacter);
  EXPECT_EQ(result.rejection->field, "SB.TH_GIVEN");
}

TEST(ThFrameReaderTest, FieldChecksOfLaterRecordsComeBeforeCrossRules) {
  // Record 1 breaks a cross rule (TEXT_SUBST N with a narrative omitted),
  // record 3 has an impossible expiry date: the field check of record 3 is
  // answered, because cross rules run after the last record.
  std::string body = Patch(ExampleBody("alert-outbound.bin"), 525, "N");
  body = PatchAndResign(body, kDo + 57, "25721399", GatewaySigner());
  const ReadResult result = ReadFrame(body, AtThRtp());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.rejection->code, kInvalidValue);
  EXPECT_EQ(result.rejection->record_no, 3);
  EXPECT_EQ(result.rejection->field, "DO.EXPIRY");
}

TEST(ThFrameReaderTest, HeaderFormatsComeBeforeTheVersion) {
  std::string body = Patch(ExampleBody("alert-outbound.bin"), 2, "02");
  body = PatchAndResign(body, 222, "SOON    ", GatewaySigner());
  const ReadResult result = ReadFrame(body, AtThRtp());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.rejection->code, kInvalidValue);
  EXPECT_EQ(result.rejection->field, "AL.PRIORITY");
}

// A repatriation request from TH-RTP, modified, read by the gateway side.
ReadResult ReadRequest(size_t offset, const std::string& bytes) {
  return ReadFrame(
      PatchAndResign(ExampleBody("repatriation-request-inbound.bin"), offset,
                     bytes, PartnerSigner()),
      AtGateway());
}

TEST(ThFrameReaderTest, HandoverPairMustBeComplete) {
  const ReadResult no_date = ReadRequest(376, "00000000");
  ASSERT_FALSE(no_date.ok());
  EXPECT_EQ(no_date.rejection->code, kMissingValue);
  EXPECT_EQ(no_date.rejection->field, "RQ.HANDOVER_DATE");
  const ReadResult no_point = ReadRequest(256, std::string(120, ' '));
  ASSERT_FALSE(no_point.ok());
  EXPECT_EQ(no_point.rejection->code, kMissingValue);
  EXPECT_EQ(no_point.rejection->field, "RQ.HANDOVER_POINT");
  // Both blank is fine.
  std::string both =
      Patch(ExampleBody("repatriation-request-inbound.bin"), 376, "00000000");
  both = PatchAndResign(both, 256, std::string(120, ' '), PartnerSigner());
  const ReadResult none = ReadFrame(both, AtGateway());
  EXPECT_TRUE(none.ok()) << Describe(none);
}

TEST(ThFrameReaderTest, RequestRolesAreVictimThenGuardian) {
  const ReadResult result = ReadRequest(387 + 5, "SUSPECT ");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.rejection->code, kInvalidValue);
  EXPECT_EQ(result.rejection->record_no, 2);
  EXPECT_EQ(result.rejection->field, "SB.ROLE");
}

TEST(ThFrameReaderTest, RequestTopicsInGrammarOrder) {
  // Records 4-6 are NR BIAS 01, BIAS 02, GRDN 01. With record 4 turned
  // into GRDN 01, the BIAS of record 5 comes after a GRDN: out of place.
  const std::string body =
      PatchAndResign(ExampleBody("repatriation-request-inbound.bin"), 1098 + 2,
                     "GRDN", PartnerSigner());
  const ReadResult result = ReadFrame(body, AtGateway());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.rejection->code, kRecordOrder);
  EXPECT_EQ(result.rejection->record_no, 5);
  EXPECT_EQ(result.rejection->field, "NR.TOPIC");
}

// A decision frame built with the mock's encoder.
std::string Decision(const std::string& state, const std::string& point,
                     const std::string& date) {
  RecordWriter rd("RD");
  rd.Set("FMT_VERSION", "01")
      .Set("MESSAGE_ID", "0b6f1c9e-4f1a-4c39-9a43-6f0e2f4b8d11")
      .Set("SENDER", "CN-MPS")
      .Set("RECIPIENT", "TH-RTP")
      .Set("CREATED_AT", "25690320100000")
      .Set("REQUEST_ID", "RTP-RQ-2569-000058")
      .Set("CASE_REF", "RTP-CASE-2569-0113")
      .Set("STATE", state)
      .Set("DECIDED_BY", "CN-MPS")
      .Set("DECIDED_AT", "25690320100000")
      .Set("HANDOVER_POINT", point)
      .Set("HANDOVER_DATE", date)
      .Set("TEXT_SUBST", "N");
  FrameWriter frame;
  frame.Add(rd);
  frame.AddText("RSN ", 1, "en", "Travel documents verified.");
  absl::StatusOr<std::string> body = frame.FinishBody(GatewaySigner());
  EXPECT_TRUE(body.ok()) << body.status();
  return body.ok() ? *body : std::string();
}

TEST(ThFrameReaderTest, DecisionHandoverOnlyWhenScheduled) {
  const ReadResult scheduled = ReadFrame(
      Decision("HANDOVER_SCHEDULED", "Mohan border checkpoint", "25690402"),
      AtThRtp());
  ASSERT_TRUE(scheduled.ok()) << Describe(scheduled);
  EXPECT_EQ(scheduled.frame.texts.at(0).topic, "RSN ");

  const ReadResult missing = ReadFrame(
      Decision("HANDOVER_SCHEDULED", "Mohan border checkpoint", ""), AtThRtp());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.rejection->code, kMissingValue);
  EXPECT_EQ(missing.rejection->field, "RD.HANDOVER_DATE");

  const ReadResult extra =
      ReadFrame(Decision("APPROVED", "", "25690402"), AtThRtp());
  ASSERT_FALSE(extra.ok());
  EXPECT_EQ(extra.rejection->code, kInvalidValue);
  EXPECT_EQ(extra.rejection->field, "RD.HANDOVER_DATE");
}

TEST(ThFrameReaderTest, LongTextsAreJoinedKeepingSpacesInsideParts) {
  // 999 letters then a space end part 1 (the space is text, §5.4); part 2
  // is padded.
  const std::string text = std::string(999, 'a') + " " + "tail";
  RecordWriter cs("CS");
  cs.Set("FMT_VERSION", "01")
      .Set("MESSAGE_ID", "0b6f1c9e-4f1a-4c39-9a43-6f0e2f4b8d12")
      .Set("SENDER", "CN-MPS")
      .Set("RECIPIENT", "TH-RTP")
      .Set("CREATED_AT", "25690320100000")
      .Set("CASE_REF", "CN-YN-XSBN-2026-0099")
      .Set("OWNER_AGENCY", "CN-MPS")
      .Set("STATE", "INVESTIGATING")
      .Set("UPDATED_AT", "25690320100000")
      .Set("SHARED_WITH", "TH-RTP")
      .Set("TEXT_SUBST", "N");
  FrameWriter frame;
  frame.Add(cs);
  frame.AddText("NOTE", 1, "en", text);
  absl::StatusOr<std::string> body = frame.FinishBody(GatewaySigner());
  ASSERT_TRUE(body.ok()) << body.status();
  const ReadResult result = ReadFrame(*body, AtThRtp());
  ASSERT_TRUE(result.ok()) << Describe(result);
  EXPECT_EQ(result.frame.records.size(), 4u);  // CS, NR, NR, TR
  ASSERT_EQ(result.frame.texts.size(), 1u);
  EXPECT_EQ(result.frame.texts[0].text, text);
}

TEST(ThFrameReaderTest, EchoesOnlyPrintableMessageIds) {
  const std::string body = ExampleBody("alert-outbound.bin");
  EXPECT_EQ(EchoMessageId(body), "677639f9-139a-5217-ad22-4969550d608d");
  EXPECT_EQ(EchoMessageId(Patch(body, 4, "not-a-uuid" + Spaces(26))),
            "not-a-uuid");
  EXPECT_EQ(EchoMessageId(Patch(body, 10, "\xe0")), "");
}

}  // namespace
}  // namespace gw::th_rtp_mock
