// tests/unit/tools/partners/la_mps_mock/la_reader_test.cc
//
// The mock's reader, playing LA-MPS (LA-MPS.md §7.2 steps 1-7), against
// the gateway-written examples in shared/partners/examples/LA-MPS/outbox
// (signed with RFC 8032 TEST 1, the gateway's key in the examples), and
// against crafted files that must each produce one error code with the
// right error_field. Crafted files are re-signed with TEST 1 so that only
// the intended fault is present.
#include "tools/partners/la_mps_mock/la_reader.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gateway/crypto/sha256.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "la_mock_test_util.h"
#include "tools/partners/la_mps_mock/la_formats.h"
#include "tools/partners/la_mps_mock/la_writer.h"

namespace gw::la_mps_mock {
namespace {

using ::testing::ElementsAre;
using testing::Example;
using testing::GatewaySigner;
using testing::GatewayVerifier;
using ::testing::HasSubstr;
using testing::kAlertId;
using testing::kRequestId;
using testing::kStatusId;
using testing::LaSigner;
using testing::LaVerifier;
using testing::Replace;
using testing::SigFor;

ReceiverPolicy Policy() {
  ReceiverPolicy policy;
  policy.peer_keys = {&GatewayVerifier()};
  return policy;
}

std::string AlertCsv() {
  return Example("outbox", absl::StrCat(kAlertId, ".csv"));
}

// Examines `csv` as message kAlertId, signed afresh with the gateway key.
Examination ExamineSigned(const std::string& csv,
                          const ReceiverPolicy& policy = Policy()) {
  return ExamineMessage(kAlertId, csv, SigFor(csv), policy);
}

TEST(LaReaderTest, AcceptsEveryGatewayExampleMessage) {
  for (const std::string id : {kAlertId, kStatusId}) {
    const std::string csv = Example("outbox", id + ".csv");
    const std::string sig = Example("outbox", id + ".sig");
    const std::string done = Example("outbox", id + ".done");
    EXPECT_EQ(IncompleteReason(id, {csv, sig, done}), "") << id;
    const Examination e = ExamineMessage(id, csv, sig, Policy());
    EXPECT_EQ(e.outcome, Examination::Outcome::kAccepted)
        << id << ": " << e.refusal.code << " " << e.refusal.text;
    EXPECT_TRUE(e.fields_valid);
  }
}

TEST(LaReaderTest, DecodesTheExampleAlert) {
  const Examination e = ExamineMessage(
      kAlertId, AlertCsv(), Example("outbox", absl::StrCat(kAlertId, ".sig")),
      Policy());
  ASSERT_EQ(e.outcome, Examination::Outcome::kAccepted) << e.refusal.text;
  EXPECT_EQ(e.Get("message_type"), "ALERT");
  EXPECT_EQ(e.Get("alert_id"), "CNMPS-ALERT-2026-000734");
  EXPECT_EQ(e.Get("case_ref"), "CN-YN-XSBN-2026-0042");
  EXPECT_EQ(e.Get("handling_code"), "H2");
  EXPECT_EQ(e.Get("recipients.1"), "LA-MPS");
  EXPECT_EQ(e.Get("subjects.1.person.date_of_birth"), "05/08/2011");
  EXPECT_EQ(e.Get("subjects.1.person.age_estimate"), "14");
  // The quoted value, read as its content.
  EXPECT_EQ(e.Get("last_seen.place"),
            "Jinghong long-distance bus station, Xishuangbanna, Yunnan");
  EXPECT_EQ(ParseTimestamp(*e.Get("last_seen.at")),
            absl::FromCivil(absl::CivilSecond(2026, 3, 10, 9, 15, 0),
                            absl::UTCTimeZone()));
  const std::vector<NameEntry> names = DecodedNames(e.records);
  ASSERT_EQ(names.size(), 2u);
  EXPECT_EQ(names[0].path, "subjects.1.person.names.1");
  EXPECT_EQ(names[0].script, "Laoo");
  EXPECT_EQ(names[0].family, "ທົດລອງ");
  EXPECT_EQ(names[0].given, "ມະລິ");
  EXPECT_EQ(names[0].full, "ມະລິ ທົດລອງ");
  EXPECT_EQ(names[1].script, "Latn");
  EXPECT_EQ(names[1].full, "Mali THOTLONG");
  EXPECT_THAT(TextLanguages(e.records)["narrative"], ElementsAre("en", "zh"));
}

TEST(LaReaderTest, DecodesTheExampleCaseStatus) {
  const Examination e = ExamineMessage(
      kStatusId, Example("outbox", absl::StrCat(kStatusId, ".csv")),
      Example("outbox", absl::StrCat(kStatusId, ".sig")), Policy());
  ASSERT_EQ(e.outcome, Examination::Outcome::kAccepted) << e.refusal.text;
  EXPECT_EQ(e.Get("message_type"), "CASE_STATUS");
  EXPECT_EQ(e.Get("case_ref"), "CN-YN-XSBN-2026-0099");
  EXPECT_EQ(e.Get("state"), "VICTIM_LOCATED");
  EXPECT_EQ(e.Get("shared_with.1"), "LA-MPS");
}

TEST(LaReaderTest, ReadsTheGatewaysExampleReceipt) {
  const absl::StatusOr<AckView> ack =
      ReadAck(Example("outbox", absl::StrCat(kRequestId, ".ack")), kRequestId,
              "CN-MPS", "LA-MPS", {&GatewayVerifier()});
  ASSERT_TRUE(ack.ok()) << ack.status();
  EXPECT_EQ(ack->status, "ACCEPTED");
  EXPECT_EQ(ack->received_at, "14/03/2026 16:01:15+07:00");
  EXPECT_EQ(
      ack->payload_sha256,
      crypto::Sha256Hex(Example("inbox", absl::StrCat(kRequestId, ".csv"))));
  EXPECT_EQ(ack->key_id, gw::testing::kRfc8032Test1KeyId);
}

TEST(LaReaderTest, ReadsLaMpsExampleReceipts) {
  const absl::StatusOr<AckView> rejected =
      ReadAck(Example("inbox", absl::StrCat(kStatusId, ".ack")), kStatusId,
              "LA-MPS", "CN-MPS", {&LaVerifier()});
  ASSERT_TRUE(rejected.ok()) << rejected.status();
  EXPECT_EQ(rejected->status, "REJECTED");
  EXPECT_EQ(rejected->error_code, "UNKNOWN_REFERENCE");
  EXPECT_EQ(rejected->error_field, "case_ref");
  EXPECT_EQ(rejected->error_text, kUnknownReferenceText);
  const absl::StatusOr<AckView> accepted =
      ReadAck(Example("inbox", absl::StrCat(kAlertId, ".ack")), kAlertId,
              "LA-MPS", "CN-MPS", {&LaVerifier()});
  ASSERT_TRUE(accepted.ok()) << accepted.status();
  EXPECT_EQ(accepted->partner_ref, "LA-MPS-IN-2026-0188");
}

TEST(LaReaderTest, ReceiptChecksOfTheSender) {
  const std::string ack = Example("outbox", absl::StrCat(kRequestId, ".ack"));
  // Wrong key set, a flipped byte, another id, another recipient.
  EXPECT_EQ(ReadAck(ack, kRequestId, "CN-MPS", "LA-MPS", {&LaVerifier()})
                .status()
                .code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(ReadAck(Replace(ack, "16:01:15", "16:01:16"), kRequestId, "CN-MPS",
                    "LA-MPS", {&GatewayVerifier()})
                .status()
                .code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(ReadAck(ack, kAlertId, "CN-MPS", "LA-MPS", {&GatewayVerifier()})
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ReadAck(ack, kRequestId, "CN-MPS", "TH-RTP", {&GatewayVerifier()})
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);
  // Partly copied.
  EXPECT_EQ(ReadAck(ack.substr(0, ack.size() / 2), kRequestId, "CN-MPS",
                    "LA-MPS", {&GatewayVerifier()})
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(LaReaderTest, SignedReceiptThatBreaksTheTableIsTheWritersFault) {
  AckContent content;
  content.message_id = kRequestId;
  content.sender = "CN-MPS";
  content.recipient = "LA-MPS";
  content.status = "REJECTED";  // without error_code and error_text
  content.payload_sha256 = std::string(64, 'a');
  content.received_at = absl::UnixEpoch();
  const absl::StatusOr<std::string> bytes = EncodeAck(content, GatewaySigner());
  ASSERT_TRUE(bytes.ok());
  const absl::StatusOr<AckView> ack =
      ReadAck(*bytes, kRequestId, "CN-MPS", "LA-MPS", {&GatewayVerifier()});
  EXPECT_EQ(ack.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(ack.status().message(), HasSubstr("error_code"));
}

TEST(LaReaderTest, DoneMarkerMustBeExactlyTheTwoLines) {
  const std::string id = kAlertId;
  const std::string done = Example("outbox", id + ".done");
  EXPECT_TRUE(ParseDoneMarker(done, id).has_value());
  EXPECT_FALSE(ParseDoneMarker(done, kStatusId).has_value());
  EXPECT_FALSE(ParseDoneMarker(done.substr(0, done.size() - 1), id));
  EXPECT_FALSE(ParseDoneMarker(done + "\n", id));
  EXPECT_FALSE(ParseDoneMarker(Replace(done, "\n", "\r\n"), id));
  EXPECT_FALSE(ParseDoneMarker(Replace(done, "  ", " *"), id));
  std::string upper = done;
  upper[0] = 'F';  // hex must be lowercase
  EXPECT_FALSE(ParseDoneMarker(upper, id));
}

TEST(LaReaderTest, IncompleteMessagesSayWhatIsWrong) {
  const std::string id = kAlertId;
  const std::string csv = AlertCsv();
  const std::string sig = Example("outbox", id + ".sig");
  const std::string done = Example("outbox", id + ".done");
  EXPECT_THAT(IncompleteReason(id, {std::nullopt, sig, done}),
              HasSubstr(".csv is missing"));
  EXPECT_THAT(IncompleteReason(id, {csv, std::nullopt, done}),
              HasSubstr(".sig is missing"));
  EXPECT_THAT(IncompleteReason(id, {csv.substr(0, 100), sig, done}),
              HasSubstr(".csv (100 bytes) differs"));
  EXPECT_THAT(IncompleteReason(id, {csv, sig.substr(0, 10), done}),
              HasSubstr(".sig (10 bytes) differs"));
  EXPECT_THAT(IncompleteReason(id, {csv, sig, done.substr(0, 50)}),
              HasSubstr(".done is not"));
  EXPECT_THAT(IncompleteReason(id, {csv, sig, std::nullopt}),
              HasSubstr(".done is missing"));
}

// One crafted fault and the answer LA-MPS must give.
struct FaultCase {
  std::string name;
  std::string from;  // replaced in the example alert ...
  std::string to;    // ... by this
  std::string code;
  std::string field;
};

void PrintTo(const FaultCase& c, std::ostream* os) { *os << c.name; }

class LaReaderFaultTest : public ::testing::TestWithParam<FaultCase> {};

TEST_P(LaReaderFaultTest, AnswersWithCodeAndField) {
  const FaultCase& c = GetParam();
  const Examination e = ExamineSigned(Replace(AlertCsv(), c.from, c.to));
  EXPECT_EQ(e.outcome, Examination::Outcome::kRejected);
  EXPECT_EQ(e.refusal.code, c.code) << e.refusal.text;
  EXPECT_EQ(e.refusal.field, c.field) << e.refusal.text;
  EXPECT_FALSE(e.refusal.text.empty());
}

const char kCsvHeader[] = "field,value\r\n";

INSTANTIATE_TEST_SUITE_P(
    Alert, LaReaderFaultTest,
    ::testing::Values(
        // MALFORMED_CSV
        FaultCase{"QuotedHeaderRecord", kCsvHeader, "\"field\",\"value\"\r\n",
                  "MALFORMED_CSV", ""},
        FaultCase{"NotUtf8", "Xishuangbanna", "Xishuangb\xFFnna",
                  "MALFORMED_CSV", ""},
        FaultCase{"BareLf", "kind,MISSING_PERSON\r\n", "kind,MISSING_PERSON\n",
                  "MALFORMED_CSV", ""},
        FaultCase{"DuplicatePath", "priority,URGENT\r\n",
                  "priority,URGENT\r\npriority,URGENT\r\n", "MALFORMED_CSV",
                  "priority"},
        FaultCase{"BadPathCharacter", "priority,URGENT", "Priority,URGENT",
                  "MALFORMED_CSV", ""},
        // HEADER_MISMATCH
        FaultCase{"HeaderOutOfOrder", "sender,CN-MPS\r\nrecipient,LA-MPS\r\n",
                  "recipient,LA-MPS\r\nsender,CN-MPS\r\n", "HEADER_MISMATCH",
                  "sender"},
        FaultCase{"HeaderMissing",
                  "message_created_at,14/03/2026 09:30:00+07:00\r\n", "",
                  "HEADER_MISMATCH", "message_created_at"},
        FaultCase{"KeyIdAfterBody",
                  "key_id,06e3fd8fda29bb60ab59557de61edb0aecdb231134be30e75b4"
                  "55f8e1b792fa9\r\nalert_id,CNMPS-ALERT-2026-000734\r\n",
                  "alert_id,CNMPS-ALERT-2026-000734\r\nkey_id,06e3fd8fda29bb"
                  "60ab59557de61edb0aecdb231134be30e75b455f8e1b792fa9\r\n",
                  "HEADER_MISMATCH", "key_id"},
        FaultCase{"WrongFormat", "format,MKG-LA-CSV/1", "format,MKG-LA-CSV/2",
                  "HEADER_MISMATCH", "format"},
        FaultCase{"MessageIdNotFileName",
                  "message_id,c000a73d-0a25-5904-bedf-ad6b56692274",
                  "message_id,c000a73d-0a25-5904-bedf-ad6b56692275",
                  "HEADER_MISMATCH", "message_id"},
        // AGENCY_MISMATCH
        FaultCase{"WrongSender", "sender,CN-MPS", "sender,TH-RTP",
                  "AGENCY_MISMATCH", "sender"},
        FaultCase{"WrongRecipient", "recipient,LA-MPS", "recipient,VN-MPS",
                  "AGENCY_MISMATCH", "recipient"},
        // NOT_NFC (LA-MPS refuses what the gateway would normalise)
        FaultCase{"DecomposedText", "FICTIONAL TEST RECORD.",
                  "FICTIONAL TE\xCC\x81ST RECORD. Cafe\xCC\x81.", "NOT_NFC",
                  "narrative.1.text"},
        // SCHEMA_VIOLATION
        FaultCase{"UnknownCode", "priority,URGENT", "priority,urgent",
                  "SCHEMA_VIOLATION", "priority"},
        FaultCase{"UnknownField", "subjects.1.person.sex,FEMALE\r\n",
                  "subjects.1.person.sex,FEMALE\r\nsubjects.1.person.eyes,"
                  "BROWN\r\n",
                  "SCHEMA_VIOLATION", "subjects.1.person.eyes"},
        FaultCase{"OutOfOrderField",
                  "kind,MISSING_PERSON\r\npriority,URGENT\r\n",
                  "priority,URGENT\r\nkind,MISSING_PERSON\r\n",
                  "SCHEMA_VIOLATION", "kind"},
        FaultCase{"OutOfOrderOptional",
                  "last_seen.at,10/03/2026 16:15:00+07:00\r\n"
                  "last_seen.place,\"Jinghong long-distance bus station, "
                  "Xishuangbanna, Yunnan\"\r\n",
                  "last_seen.place,\"Jinghong long-distance bus station, "
                  "Xishuangbanna, Yunnan\"\r\n"
                  "last_seen.at,10/03/2026 16:15:00+07:00\r\n",
                  "SCHEMA_VIOLATION", "last_seen.at"},
        FaultCase{"MissingMandatory",
                  "\r\ncreated_at,14/03/2026 09:30:00+07:00\r\n", "\r\n",
                  "SCHEMA_VIOLATION", "created_at"},
        FaultCase{"MissingMandatoryInGroup", "subjects.1.person.sex,FEMALE\r\n",
                  "", "SCHEMA_VIOLATION", "subjects.1.person.sex"},
        FaultCase{"IndexGap", "subjects.1.person.names.2.",
                  "subjects.1.person.names.3.", "SCHEMA_VIOLATION",
                  "subjects.1.person.names.3.script"},
        FaultCase{"IndexZero", "recipients.1,", "recipients.0,",
                  "SCHEMA_VIOLATION", "recipients.0"},
        FaultCase{"IndexLeadingZero", "recipients.1,", "recipients.01,",
                  "SCHEMA_VIOLATION", "recipients.01"},
        FaultCase{"ImpossibleDate", "date_of_birth,05/08/2011",
                  "date_of_birth,31/02/2011", "SCHEMA_VIOLATION",
                  "subjects.1.person.date_of_birth"},
        FaultCase{"PartialDateWithDayOnly", "date_of_birth,05/08/2011",
                  "date_of_birth,05/00/2011", "SCHEMA_VIOLATION",
                  "subjects.1.person.date_of_birth"},
        FaultCase{"IsoDate", "date_of_birth,05/08/2011",
                  "date_of_birth,2011-08-05", "SCHEMA_VIOLATION",
                  "subjects.1.person.date_of_birth"},
        FaultCase{"TimestampInUtc", "last_seen.at,10/03/2026 16:15:00+07:00",
                  "last_seen.at,10/03/2026 09:15:00+00:00", "SCHEMA_VIOLATION",
                  "last_seen.at"},
        FaultCase{"TimestampImpossibleHour",
                  "\ncreated_at,14/03/2026 09:30:00+07:00",
                  "\ncreated_at,14/03/2026 24:30:00+07:00", "SCHEMA_VIOLATION",
                  "created_at"},
        FaultCase{"EmptyValue", "last_seen.country,CHN", "last_seen.country,",
                  "SCHEMA_VIOLATION", "last_seen.country"},
        FaultCase{"NotACountry", "last_seen.country,CHN",
                  "last_seen.country,XXX", "SCHEMA_VIOLATION",
                  "last_seen.country"},
        FaultCase{"NotAScript", "names.2.script,Latn", "names.2.script,latn",
                  "SCHEMA_VIOLATION", "subjects.1.person.names.2.script"},
        FaultCase{"LeadingSpace", "last_seen.place,\"Jinghong",
                  "last_seen.place,\" Jinghong", "SCHEMA_VIOLATION",
                  "last_seen.place"},
        FaultCase{"AgeWithLeadingZero", "age_estimate,14", "age_estimate,014",
                  "SCHEMA_VIOLATION", "subjects.1.person.age_estimate"},
        FaultCase{"NameWithoutParts",
                  "subjects.1.person.names.2.family,THOTLONG\r\n"
                  "subjects.1.person.names.2.given,Mali\r\n"
                  "subjects.1.person.names.2.full,Mali THOTLONG\r\n",
                  "", "SCHEMA_VIOLATION", "subjects.1.person.names.2"},
        FaultCase{"BadAgencyInRecipients", "recipients.1,LA-MPS",
                  "recipients.1,LA-MPS\r\nrecipients.2,la-mps",
                  "SCHEMA_VIOLATION", "recipients.2"},
        FaultCase{"SexOther", "sex,FEMALE", "sex,OTHER", "SCHEMA_VIOLATION",
                  "subjects.1.person.sex"},
        FaultCase{"LineBreakInName", "names.2.full,Mali THOTLONG",
                  "names.2.full,\"Mali\nTHOTLONG\"", "SCHEMA_VIOLATION",
                  "subjects.1.person.names.2.full"},
        FaultCase{"OriginatorTooLong", "originator,yn-xsbn-inv-0107",
                  "originator," + std::string(201, 'x'), "SCHEMA_VIOLATION",
                  "originator"},
        // NOT_A_RECIPIENT
        FaultCase{"NotARecipient", "recipients.1,LA-MPS", "recipients.1,TH-RTP",
                  "NOT_A_RECIPIENT", "recipients"}),
    [](const ::testing::TestParamInfo<FaultCase>& info) {
      return info.param.name;
    });

TEST(LaReaderTest, QuotingAloneIsAccepted) {
  const std::string csv =
      Replace(Replace(AlertCsv(), "priority,URGENT", "\"priority\",\"URGENT\""),
              "kind,MISSING_PERSON", "kind,\"MISSING_PERSON\"");
  const Examination e = ExamineSigned(csv);
  EXPECT_EQ(e.outcome, Examination::Outcome::kAccepted) << e.refusal.text;
  EXPECT_EQ(e.Get("priority"), "URGENT");
}

TEST(LaReaderTest, OversizedCsvIsPayloadTooLarge) {
  const std::string csv = Replace(AlertCsv(), "FICTIONAL TEST RECORD.",
                                  std::string(kMaxCsvBytes, 'x'));
  const Examination e = ExamineMessage(kAlertId, csv, "", Policy());
  EXPECT_EQ(e.refusal.code, "PAYLOAD_TOO_LARGE");
}

TEST(LaReaderTest, BadSignatureIsSignatureInvalid) {
  const std::string csv = AlertCsv();
  // Signed over other bytes; not base64; one byte too short.
  for (const std::string& sig : {SigFor(csv + " "), std::string(88, '!') + "\n",
                                 SigFor(csv).substr(1)}) {
    const Examination e = ExamineMessage(kAlertId, csv, sig, Policy());
    EXPECT_EQ(e.refusal.code, "SIGNATURE_INVALID");
    EXPECT_EQ(e.refusal.field, "");
  }
}

TEST(LaReaderTest, UnknownKeyIsHeldWithoutAnswer) {
  ReceiverPolicy policy;
  policy.peer_keys = {&LaVerifier()};  // not the key that signed
  const Examination e =
      ExamineMessage(kAlertId, AlertCsv(),
                     Example("outbox", absl::StrCat(kAlertId, ".sig")), policy);
  EXPECT_EQ(e.outcome, Examination::Outcome::kHeld);
  EXPECT_EQ(e.unknown_key_id, gw::testing::kRfc8032Test1KeyId);
}

TEST(LaReaderTest, RefusedCasePrefixIsUnknownReference) {
  ReceiverPolicy policy = Policy();
  policy.refuse_case_prefixes = {"CN-YN-XSBN-2026-0099"};
  const Examination e = ExamineMessage(
      kStatusId, Example("outbox", absl::StrCat(kStatusId, ".csv")),
      Example("outbox", absl::StrCat(kStatusId, ".sig")), policy);
  EXPECT_EQ(e.refusal.code, "UNKNOWN_REFERENCE");
  EXPECT_EQ(e.refusal.field, "case_ref");
  EXPECT_EQ(e.refusal.text, kUnknownReferenceText);
  // The alert's case does not have the prefix.
  EXPECT_EQ(ExamineSigned(AlertCsv(), policy).outcome,
            Examination::Outcome::kAccepted);
}

// Messages built with the mock's writer, signed as the gateway.
Examination ExamineBuilt(const std::string& type,
                         const std::vector<Record>& body) {
  MessageHeader header;
  header.message_type = type;
  header.message_id = kStatusId;
  header.sender = "CN-MPS";
  header.recipient = "LA-MPS";
  header.created_at = absl::FromUnixSeconds(1773700000);
  absl::StatusOr<EncodedMessage> message =
      EncodeMessage(header, body, GatewaySigner());
  EXPECT_TRUE(message.ok());
  return ExamineMessage(kStatusId, message->csv, message->sig, Policy());
}

std::vector<Record> Decision(const std::string& state, bool handover) {
  std::vector<Record> body = {{"request_id", "LA-MPS-RQ-2026-0009", 0},
                              {"case_ref", "LA-MPS-CASE-2026-0021", 0},
                              {"state", state, 0},
                              {"decided_by", "CN-MPS", 0},
                              {"decided_at", "20/03/2026 10:00:00+07:00", 0},
                              {"reason.1.lang", "en", 0},
                              {"reason.1.text", "Handover agreed.", 0}};
  if (handover) {
    body.push_back({"handover.border_point",
                    "Boten - Mohan international border checkpoint", 0});
    body.push_back({"handover.date", "16/04/2026", 0});
  }
  return body;
}

TEST(LaReaderTest, DecisionHandoverIfAndOnlyIfScheduled) {
  EXPECT_EQ(ExamineBuilt("REPATRIATION_DECISION",
                         Decision("HANDOVER_SCHEDULED", true))
                .outcome,
            Examination::Outcome::kAccepted);
  EXPECT_EQ(ExamineBuilt("REPATRIATION_DECISION", Decision("APPROVED", false))
                .outcome,
            Examination::Outcome::kAccepted);
  const Examination missing = ExamineBuilt(
      "REPATRIATION_DECISION", Decision("HANDOVER_SCHEDULED", false));
  EXPECT_EQ(missing.refusal.code, "SCHEMA_VIOLATION");
  EXPECT_EQ(missing.refusal.field, "handover.border_point");
  const Examination extra =
      ExamineBuilt("REPATRIATION_DECISION", Decision("APPROVED", true));
  EXPECT_EQ(extra.refusal.code, "SCHEMA_VIOLATION");
  EXPECT_EQ(extra.refusal.field, "handover.border_point");
}

TEST(LaReaderTest, MrzHasTwoOrThreeLines) {
  std::vector<Record> body =
      MockRepatriationRequestBody(MockRepatriationRequest{});
  for (Record& r : body) {
    if (r.value == "LA-MPS")
      r.value = "CN-MPS";
    else if (r.value == "CN-MPS")
      r.value = "LA-MPS";
  }
  body[0].value = "CN-RQ-1";
  body[1].value = "CN-CASE-1";
  EXPECT_EQ(ExamineBuilt("REPATRIATION_REQUEST", body).outcome,
            Examination::Outcome::kAccepted);
  std::vector<Record> one_line;
  for (const Record& r : body) {
    if (r.path != "travel_document.mrz.2") one_line.push_back(r);
  }
  const Examination e = ExamineBuilt("REPATRIATION_REQUEST", one_line);
  EXPECT_EQ(e.refusal.code, "SCHEMA_VIOLATION");
  EXPECT_EQ(e.refusal.field, "travel_document.mrz.2");
}

TEST(LaReaderTest, RequestToWhichLaMpsIsNoPartyIsNotForIt) {
  MockRepatriationRequest request;
  request.request_id = "CN-RQ-1";
  request.case_ref = "CN-CASE-1";
  std::vector<Record> body = MockRepatriationRequestBody(request);
  for (Record& r : body) {
    if (r.path == "requesting_agency") r.value = "CN-MPS";
    if (r.path == "receiving_agency") r.value = "TH-RTP";
  }
  const Examination e = ExamineBuilt("REPATRIATION_REQUEST", body);
  EXPECT_EQ(e.refusal.code, "NOT_A_RECIPIENT");
  EXPECT_EQ(e.refusal.field, "receiving_agency");
}

TEST(LaReaderTest, CaseStatusNotSharedWithLaMpsIsNotForIt) {
  const std::vector<Record> body = {
      {"case_ref", "CN-YN-XSBN-2026-0099", 0},
      {"owner_agency", "CN-MPS", 0},
      {"state", "OPEN", 0},
      {"updated_at", "16/03/2026 08:00:00+07:00", 0},
      {"shared_with.1", "TH-RTP", 0}};
  const Examination e = ExamineBuilt("CASE_STATUS", body);
  EXPECT_EQ(e.refusal.code, "NOT_A_RECIPIENT");
  EXPECT_EQ(e.refusal.field, "shared_with");
}

TEST(LaReaderTest, AttachmentContentIfAndOnlyIfIncluded) {
  std::vector<Record> base = {
      {"alert_id", "A-1", 0},
      {"case_ref", "C-1", 0},
      {"kind", "ROUTE_INTELLIGENCE", 0},
      {"priority", "ROUTINE", 0},
      {"handling_code", "H0", 0},
      {"origin_agency", "CN-MPS", 0},
      {"originator", "inv-1", 0},
      {"recipients.1", "LA-MPS", 0},
      {"attachments.1.name", "map.png", 0},
      {"attachments.1.media_type", "image/png", 0},
      {"attachments.1.sha256", crypto::Sha256Hex("abc"), 0},
      {"attachments.1.size", "3", 0}};
  auto with = [&](std::vector<Record> extra) {
    std::vector<Record> body = base;
    body.insert(body.end(), extra.begin(), extra.end());
    body.push_back({"created_at", "14/03/2026 09:30:00+07:00", 0});
    return ExamineBuilt("ALERT", body);
  };
  EXPECT_EQ(with({{"attachments.1.included", "Y", 0},
                  {"attachments.1.content", "YWJj", 0}})
                .outcome,
            Examination::Outcome::kAccepted);
  EXPECT_EQ(with({{"attachments.1.included", "N", 0}}).outcome,
            Examination::Outcome::kAccepted);
  EXPECT_EQ(with({{"attachments.1.included", "Y", 0}}).refusal.field,
            "attachments.1.content");
  EXPECT_EQ(with({{"attachments.1.included", "N", 0},
                  {"attachments.1.content", "YWJj", 0}})
                .refusal.field,
            "attachments.1.content");
  EXPECT_EQ(with({{"attachments.1.included", "Y", 0},
                  {"attachments.1.content", "YWJjZA==", 0}})
                .refusal.field,
            "attachments.1.size");
  EXPECT_EQ(with({{"attachments.1.included", "Y", 0},
                  {"attachments.1.content", "YWJ", 0}})
                .refusal.field,
            "attachments.1.content");
}

TEST(LaReaderTest, TheMockAlertIsValidForTheGatewaySide) {
  // The mock's own alert, read with the roles swapped (CN-MPS receiving).
  MessageHeader header;
  header.message_type = "ALERT";
  header.message_id = kAlertId;
  header.sender = "LA-MPS";
  header.recipient = "CN-MPS";
  header.created_at = absl::Now();
  MockAlert alert;
  alert.alert_id = "LA-MPS-AL-2026-1";
  alert.case_ref = "LA-MPS-CASE-2026-1";
  alert.created_at = header.created_at;
  const absl::StatusOr<EncodedMessage> message =
      EncodeMessage(header, MockAlertBody(alert), LaSigner());
  ASSERT_TRUE(message.ok());
  ReceiverPolicy policy;
  policy.self = "CN-MPS";
  policy.peer = "LA-MPS";
  policy.peer_keys = {&LaVerifier()};
  const Examination e =
      ExamineMessage(kAlertId, message->csv, message->sig, policy);
  EXPECT_EQ(e.outcome, Examination::Outcome::kAccepted) << e.refusal.text;
  EXPECT_EQ(e.Get("subjects.1.person.date_of_birth"), "00/08/2011");
  EXPECT_THAT(TextLanguages(e.records)["narrative"], ElementsAre("lo", "en"));
}

}  // namespace
}  // namespace gw::la_mps_mock
