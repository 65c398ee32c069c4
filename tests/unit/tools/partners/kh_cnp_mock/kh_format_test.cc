// tests/unit/tools/partners/kh_cnp_mock/kh_format_test.cc
//
// The KH-CNP body format of the mock (KH-CNP.md §3-§5, §8): acks and
// errors written byte for byte as the examples' JCS bodies, the examples
// accepted, one crafted body per refusal of §6.4 step 11 with its code and
// JSON Pointer, the §8 message_id rule, the business check, ReadAnswer on
// the gateway's example answers, and samples that pass the mock's own
// checks at the gateway's side.
#include "tools/partners/kh_cnp_mock/kh_format.h"

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "adapters/json/jcs.h"
#include "gateway/crypto/sha256.h"
#include "gateway/util/file.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tools/partners/http_mock/http_message.h"
#include "tools/partners/kh_cnp_mock/kh_rules.h"

namespace gw::kh_cnp_mock {
namespace {

using http_mock::Accepted;
using http_mock::Endpoint;
using http_mock::Refusal;
using ::testing::HasSubstr;

constexpr char kAlertId[] = "1c48fc5b-29bc-59f4-912a-1d9f44f64124";
constexpr char kRequestId[] = "0aa68b7a-eede-5f6f-a6af-68a3a94b7403";
const Endpoint kAlerts{"/cnp/v1/alerts", "alert"};
const Endpoint kDecisions{"/cnp/v1/repatriation-decisions",
                          "repatriation_decision"};
const Endpoint kInboundRequests{"/gw/kh/v1/repatriation-requests",
                                "repatriation_request"};

// The exact body of an example .http file.
std::string HttpBody(const std::string& name) {
  absl::StatusOr<std::string> text =
      util::ReadFile(absl::StrCat(GW_PARTNER_EXAMPLES_DIR, "/KH-CNP/", name));
  EXPECT_TRUE(text.ok()) << text.status();
  if (!text.ok()) return "";
  absl::StatusOr<http_mock::HttpResponse> response =
      http_mock::ParseResponseText(*text);
  if (response.ok()) return response->body;
  absl::StatusOr<http_mock::HttpRequest> request =
      http_mock::ParseRequestText(*text);
  EXPECT_TRUE(request.ok()) << request.status();
  return request.ok() ? request->body : "";
}

nlohmann::json AlertDoc() {
  return nlohmann::json::parse(HttpBody("alert-outbound.http"));
}

class KhFormatTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<KhCnpFormat>> format = KhCnpFormat::Create();
    ASSERT_TRUE(format.ok()) << format.status();
    format_ = *std::move(format);
  }

  // An outbound alert as KH-CNP checks it: from CN-MPS, to KH-CNP.
  std::variant<Accepted, Refusal> CheckAlert(
      const std::string& body, const std::string& header_id = kAlertId) {
    return format_->CheckBody(kAlerts, body, header_id, "CN-MPS", "KH-CNP");
  }
  std::variant<Accepted, Refusal> CheckAlert(const nlohmann::json& doc) {
    return CheckAlert(json::Canonical(doc));
  }

  // "<status> <code> <pointer>" or "accepted".
  static std::string Outcome(const std::variant<Accepted, Refusal>& result) {
    if (const Refusal* refusal = std::get_if<Refusal>(&result)) {
      return absl::StrCat(refusal->http_status, " ", refusal->code, " ",
                          refusal->location);
    }
    return "accepted";
  }

  std::unique_ptr<KhCnpFormat> format_;
};

TEST_F(KhFormatTest, MakeAckWritesTheExampleAckByteForByte) {
  http_mock::AckFields ack;
  ack.message_id = kAlertId;
  ack.sender = "KH-CNP";
  ack.recipient = "CN-MPS";
  ack.payload_sha256 =
      "da6df9d388e26736f38aca1f0eaf545719344ce1eb5c2329e63fae66fbdb5f28";
  ack.received_at = "2026-03-14T02:30:06Z";
  ack.partner_ref = "CNP-INT-2026-0457";
  const std::string expected = HttpBody("ack-202-inbound.http");
  EXPECT_EQ(format_->MakeAck(ack), expected);
  EXPECT_EQ(expected.size(), 288u);
  // The digest it carries is that of the example alert.
  EXPECT_EQ(crypto::Sha256Hex(HttpBody("alert-outbound.http")),
            ack.payload_sha256);
}

TEST_F(KhFormatTest, MakeAckOmitsEmptyMembersAndWritesWarnings) {
  http_mock::AckFields ack;
  ack.message_id = kRequestId;
  ack.sender = "CN-MPS";
  ack.recipient = "KH-CNP";
  ack.payload_sha256 =
      "ee9c727b7c9602ba4ef23d1a91adff63e50d7e3603b48bab4a8f9d529371b6bb";
  ack.received_at = "2026-03-14T03:10:02Z";
  EXPECT_EQ(format_->MakeAck(ack), HttpBody("ack-202-outbound.http"));
  ack.warnings = {
      {"NORMALIZED_NFC", "/repatriation_request/victim/names/0/family"}};
  EXPECT_THAT(format_->MakeAck(ack),
              HasSubstr("\"warnings\":[{\"code\":\"NORMALIZED_NFC\",\"field\":"
                        "\"/repatriation_request/victim/names/0/family\"}]"));
}

TEST_F(KhFormatTest, MakeErrorWritesTheExampleRejectionByteForByte) {
  Refusal refusal;
  refusal.http_status = 400;
  refusal.code = "SCHEMA_VIOLATION";
  refusal.location = "/alert/subjects/0/person/date_of_birth";
  refusal.detail =
      "value \"2011-13-05\" does not match the partial date pattern";
  refusal.message_id = "a8d6fcb5-bf2e-5b83-ab6e-0133ca1c180c";
  EXPECT_EQ(
      format_->MakeError(refusal, "KH-CNP", "CN-MPS", "2026-03-14T04:00:01Z"),
      HttpBody("rejection-400-inbound.http"));
}

TEST_F(KhFormatTest, MakeErrorWithoutIdFieldAndWithALongDetail) {
  Refusal refusal;
  refusal.http_status = 404;
  refusal.code = "WRONG_ENDPOINT";
  refusal.detail = std::string(600, 'x');
  const std::string body =
      format_->MakeError(refusal, "KH-CNP", "CN-MPS", "2026-03-14T04:00:01Z");
  const nlohmann::json doc = nlohmann::json::parse(body);
  EXPECT_FALSE(doc.contains("message_id"));
  EXPECT_FALSE(doc["error"].contains("field"));
  EXPECT_EQ(doc["error"]["detail"].get<std::string>().size(), 500u);
  // Every error body validates: the mock's own ReadAnswer accepts it.
  EXPECT_TRUE(format_->ReadAnswer(404, body).ok());
}

TEST_F(KhFormatTest, AcceptsTheExampleMessages) {
  std::variant<Accepted, Refusal> alert =
      CheckAlert(HttpBody("alert-outbound.http"));
  ASSERT_EQ(Outcome(alert), "accepted");
  const Accepted& accepted = std::get<Accepted>(alert);
  EXPECT_EQ(accepted.message_id, kAlertId);
  EXPECT_EQ(accepted.kind, "alert");
  EXPECT_EQ(accepted.case_ref, "CN-YN-XSBN-2026-0042");
  EXPECT_EQ(accepted.case_ref_location, "/alert/case_ref");
  EXPECT_FALSE(accepted.business_refusal.has_value());
  EXPECT_EQ(
      accepted.summary["alert"]["subjects"][0]["person"]["names"][0]["full"],
      "សាកល្បង ស្រីពៅ");

  // The inbound request, as the gateway's side would check it.
  EXPECT_EQ(Outcome(format_->CheckBody(
                kInboundRequests, HttpBody("repatriation-request-inbound.http"),
                kRequestId, "KH-CNP", "CN-MPS")),
            "accepted");
}

TEST_F(KhFormatTest, RefusesMalformedJson) {
  for (const std::string& body :
       {std::string("{\"message_type\":"), std::string("\xEF\xBB\xBF{}"),
        std::string("{\"a\":1,\"a\":2}"), std::string("{\"a\":\"\xC3\"}")}) {
    EXPECT_EQ(Outcome(CheckAlert(body)), "400 MALFORMED_JSON ") << body;
  }
  // §8: no readable body id, so the header's.
  const Refusal refusal = std::get<Refusal>(CheckAlert(std::string("nope")));
  EXPECT_EQ(refusal.message_id, kAlertId);
  EXPECT_EQ(std::get<Refusal>(CheckAlert(std::string("nope"), "not-an-id"))
                .message_id,
            "");
}

TEST_F(KhFormatTest, RefusesSchemaViolationsWithTheirPointer) {
  nlohmann::json bad_date = AlertDoc();
  bad_date["alert"]["subjects"][0]["person"]["date_of_birth"] = "2011-13-05";
  EXPECT_EQ(Outcome(CheckAlert(bad_date)),
            "400 SCHEMA_VIOLATION /alert/subjects/0/person/date_of_birth");

  nlohmann::json extra = AlertDoc();
  extra["alert"]["colour"] = "red";
  EXPECT_THAT(Outcome(CheckAlert(extra)), HasSubstr("400 SCHEMA_VIOLATION"));

  nlohmann::json no_recipients = AlertDoc();
  no_recipients["alert"].erase("recipients");
  EXPECT_THAT(Outcome(CheckAlert(no_recipients)),
              HasSubstr("400 SCHEMA_VIOLATION /alert"));

  nlohmann::json trailing_space = AlertDoc();
  trailing_space["alert"]["subjects"][0]["person"]["names"][1]["given"] =
      "Srey Pov\u3000";
  EXPECT_EQ(Outcome(CheckAlert(trailing_space)),
            "400 SCHEMA_VIOLATION /alert/subjects/0/person/names/1/given");

  // Numbers: integers 0..2^53-1 only (§3.2), at the member's pointer.
  std::string negative =
      absl::StrReplaceAll(HttpBody("alert-outbound.http"),
                          {{"\"age_estimate\":14", "\"age_estimate\":-1"}});
  EXPECT_EQ(Outcome(CheckAlert(negative)),
            "400 SCHEMA_VIOLATION /alert/subjects/0/person/age_estimate");
  EXPECT_EQ(std::get<Refusal>(CheckAlert(negative)).message_id, kAlertId);
}

TEST_F(KhFormatTest, RefusesNonNfcText) {
  nlohmann::json decomposed = AlertDoc();
  decomposed["alert"]["subjects"][0]["person"]["names"][1]["given"] =
      "Sre\u0301y Pov";  // e + COMBINING ACUTE
  EXPECT_EQ(Outcome(CheckAlert(decomposed)),
            "400 NOT_NFC /alert/subjects/0/person/names/1/given");
  nlohmann::json narrative = AlertDoc();
  narrative["alert"]["narrative"][0]["text"] = "Cafe\u0301";
  EXPECT_EQ(Outcome(CheckAlert(narrative)),
            "400 NOT_NFC /alert/narrative/0/text");
  EXPECT_TRUE(IsNfc("Caf\u00e9 សាកល្បង"));
}

TEST_F(KhFormatTest, RefusesZeroWidthCharactersInNames) {
  nlohmann::json zwsp = AlertDoc();
  zwsp["alert"]["subjects"][0]["person"]["names"][0]["family"] = "សាក\u200bល្បង";
  EXPECT_EQ(Outcome(CheckAlert(zwsp)),
            "400 SCHEMA_VIOLATION /alert/subjects/0/person/names/0/family");
  nlohmann::json zwnj = AlertDoc();
  zwnj["alert"]["subjects"][0]["person"]["names"][0]["full"] =
      "សាកល្បង\u200c ស្រីពៅ";
  EXPECT_EQ(Outcome(CheckAlert(zwnj)),
            "400 SCHEMA_VIOLATION /alert/subjects/0/person/names/0/full");
  // In running text U+200B is a word separator, not an error.
  nlohmann::json text = AlertDoc();
  text["alert"]["narrative"][0]["text"] = "ក\u200bខ";
  EXPECT_EQ(Outcome(CheckAlert(text)), "accepted");
}

TEST_F(KhFormatTest, RefusesImpossibleDatesAndInstants) {
  nlohmann::json dob = AlertDoc();
  dob["alert"]["subjects"][0]["person"]["date_of_birth"] = "2011-02-29";
  EXPECT_EQ(Outcome(CheckAlert(dob)),
            "400 SCHEMA_VIOLATION /alert/subjects/0/person/date_of_birth");
  nlohmann::json leap = AlertDoc();
  leap["alert"]["subjects"][0]["person"]["date_of_birth"] = "2012-02-29";
  EXPECT_EQ(Outcome(CheckAlert(leap)), "accepted");
  nlohmann::json partial = AlertDoc();
  partial["alert"]["subjects"][0]["person"]["date_of_birth"] = "2011-02";
  EXPECT_EQ(Outcome(CheckAlert(partial)), "accepted");
  nlohmann::json seen = AlertDoc();
  seen["alert"]["last_seen"]["at"] = "2026-02-30T09:15:00Z";
  EXPECT_EQ(Outcome(CheckAlert(seen)),
            "400 SCHEMA_VIOLATION /alert/last_seen/at");
  nlohmann::json offset = AlertDoc();
  offset["alert"]["created_at"] = "2026-03-14T09:30:00+07:00";
  EXPECT_EQ(Outcome(CheckAlert(offset)), "accepted");
  EXPECT_FALSE(IsRealDate("1900-02-29"));
  EXPECT_TRUE(IsRealDate("2000-02-29"));
}

TEST_F(KhFormatTest, EnforcesTheHandoverRule) {
  nlohmann::json decision = {
      {"message_type", "repatriation_decision"},
      {"message_id", kAlertId},
      {"sender", "CN-MPS"},
      {"recipient", "KH-CNP"},
      {"repatriation_decision",
       {{"request_id", "CNP-RQ-2026-0031"},
        {"case_ref", "KH-CNP-2026-0311"},
        {"state", "HANDOVER_SCHEDULED"},
        {"decided_by", "CN-MPS"},
        {"decided_at", "2026-03-20T08:00:00Z"},
        {"handover",
         {{"border_point", "Phnom Penh International Airport (PNH)"},
          {"date", "2026-04-09"}}}}}};
  auto check = [&](const nlohmann::json& doc) {
    return Outcome(format_->CheckBody(kDecisions, json::Canonical(doc),
                                      kAlertId, "CN-MPS", "KH-CNP"));
  };
  EXPECT_EQ(check(decision), "accepted");
  nlohmann::json approved = decision;
  approved["repatriation_decision"]["state"] = "APPROVED";
  EXPECT_EQ(check(approved),
            "400 SCHEMA_VIOLATION /repatriation_decision/handover");
  nlohmann::json missing = decision;
  missing["repatriation_decision"].erase("handover");
  EXPECT_EQ(check(missing),
            "400 SCHEMA_VIOLATION /repatriation_decision/state");
  nlohmann::json bad_day = decision;
  bad_day["repatriation_decision"]["handover"]["date"] = "2026-04-31";
  EXPECT_EQ(check(bad_day),
            "400 SCHEMA_VIOLATION /repatriation_decision/handover/date");
}

TEST_F(KhFormatTest, ChecksAttachmentContent) {
  nlohmann::json doc = AlertDoc();
  doc["alert"]["attachments"] = {{{"name", "photo.jpg"},
                                  {"media_type", "image/jpeg"},
                                  {"sha256", crypto::Sha256Hex("abc")},
                                  {"size", 3},
                                  {"content", "YWJj"}}};
  EXPECT_EQ(Outcome(CheckAlert(doc)), "accepted");
  nlohmann::json wrong_size = doc;
  wrong_size["alert"]["attachments"][0]["size"] = 4;
  EXPECT_EQ(Outcome(CheckAlert(wrong_size)),
            "400 SCHEMA_VIOLATION /alert/attachments/0/content");
  nlohmann::json wrong_bytes = doc;
  wrong_bytes["alert"]["attachments"][0]["content"] = "YWJk";
  EXPECT_EQ(Outcome(CheckAlert(wrong_bytes)),
            "400 SCHEMA_VIOLATION /alert/attachments/0/content");
  nlohmann::json described = doc;
  described["alert"]["attachments"][0].erase("content");
  EXPECT_EQ(Outcome(CheckAlert(described)), "accepted");
}

TEST_F(KhFormatTest, ChecksIdsEndpointAndAgenciesInOrder) {
  const std::string body = HttpBody("alert-outbound.http");
  const Refusal id = std::get<Refusal>(
      CheckAlert(body, "2c48fc5b-29bc-59f4-912a-1d9f44f64124"));
  EXPECT_EQ(absl::StrCat(id.http_status, " ", id.code, " ", id.location),
            "400 HEADER_MISMATCH /message_id");
  EXPECT_EQ(id.message_id, kAlertId);  // the body's id first (§8)

  EXPECT_EQ(Outcome(format_->CheckBody({"/cnp/v1/case-status", "case_status"},
                                       body, kAlertId, "CN-MPS", "KH-CNP")),
            "400 WRONG_ENDPOINT /message_type");
  // An ack is a valid body, but no data message.
  EXPECT_EQ(Outcome(CheckAlert(HttpBody("ack-202-inbound.http"))),
            "400 WRONG_ENDPOINT /message_type");
  EXPECT_EQ(
      Outcome(format_->CheckBody(kAlerts, body, kAlertId, "VN-MPS", "KH-CNP")),
      "403 AGENCY_MISMATCH /sender");
  EXPECT_EQ(
      Outcome(format_->CheckBody(kAlerts, body, kAlertId, "CN-MPS", "TH-RTP")),
      "403 AGENCY_MISMATCH /recipient");
}

TEST_F(KhFormatTest, FlagsMessagesTheReceiverIsNotEntitledTo) {
  nlohmann::json doc = AlertDoc();
  doc["alert"]["recipients"] = {"VN-MPS"};
  std::variant<Accepted, Refusal> result = CheckAlert(doc);
  ASSERT_EQ(Outcome(result), "accepted");
  const std::optional<Refusal>& business =
      std::get<Accepted>(result).business_refusal;
  ASSERT_TRUE(business.has_value());
  EXPECT_EQ(business->http_status, 403);
  EXPECT_EQ(business->code, "NOT_A_RECIPIENT");
  EXPECT_EQ(business->location, "/alert/recipients");
  EXPECT_EQ(business->message_id, kAlertId);
}

TEST_F(KhFormatTest, ReadsTheGatewaysAnswers) {
  absl::StatusOr<http_mock::AnswerSummary> ack =
      format_->ReadAnswer(202, HttpBody("ack-202-outbound.http"));
  ASSERT_TRUE(ack.ok()) << ack.status();
  EXPECT_TRUE(ack->acknowledged);
  EXPECT_EQ(ack->message_id, kRequestId);
  EXPECT_EQ(ack->payload_sha256,
            crypto::Sha256Hex(HttpBody("repatriation-request-inbound.http")));
  EXPECT_EQ(ack->received_at, "2026-03-14T03:10:02Z");

  absl::StatusOr<http_mock::AnswerSummary> error =
      format_->ReadAnswer(400, HttpBody("rejection-400-inbound.http"));
  ASSERT_TRUE(error.ok()) << error.status();
  EXPECT_FALSE(error->acknowledged);
  EXPECT_EQ(error->code, "SCHEMA_VIOLATION");
  EXPECT_EQ(error->location, "/alert/subjects/0/person/date_of_birth");

  EXPECT_FALSE(
      format_->ReadAnswer(400, HttpBody("ack-202-outbound.http")).ok());
  EXPECT_FALSE(
      format_->ReadAnswer(202, HttpBody("rejection-400-inbound.http")).ok());
  EXPECT_FALSE(format_->ReadAnswer(202, HttpBody("alert-outbound.http")).ok());
  EXPECT_FALSE(format_->ReadAnswer(202, "{}").ok());
}

TEST_F(KhFormatTest, SamplesPassTheChecksAtTheGatewaysSide) {
  for (const char* kind : {"alert", "repatriation_request"}) {
    http_mock::PartnerFormat::Sample sample;
    sample.kind = kind;
    sample.message_id = "3f2a6c1e-8d4b-4f7a-9c2e-1b5d7e9f0a12";
    sample.sender = "KH-CNP";
    sample.recipient = "CN-MPS";
    sample.created_at = "2026-03-14T03:10:01Z";
    sample.case_ref = "KH-DEMO-0001";
    absl::StatusOr<std::string> body = format_->MakeSample(sample);
    ASSERT_TRUE(body.ok()) << body.status();
    const Endpoint endpoint = std::string(kind) == "alert"
                                  ? Endpoint{"/gw/kh/v1/alerts", "alert"}
                                  : kInboundRequests;
    std::variant<Accepted, Refusal> result = format_->CheckBody(
        endpoint, *body, sample.message_id, "KH-CNP", "CN-MPS");
    ASSERT_EQ(Outcome(result), "accepted") << kind << ": " << *body;
    EXPECT_EQ(std::get<Accepted>(result).case_ref, "KH-DEMO-0001");
    EXPECT_FALSE(std::get<Accepted>(result).business_refusal.has_value());
    EXPECT_EQ(json::Canonical(nlohmann::json::parse(*body)), *body) << kind;
  }
}

TEST_F(KhFormatTest, RequestSampleIsTheInboundExample) {
  http_mock::PartnerFormat::Sample sample;
  sample.kind = "repatriation_request";
  sample.message_id = kRequestId;
  sample.sender = "KH-CNP";
  sample.recipient = "CN-MPS";
  sample.created_at = "2026-03-14T03:10:01Z";
  sample.case_ref = "KH-CNP-2026-0311";
  absl::StatusOr<std::string> body = format_->MakeSample(sample);
  ASSERT_TRUE(body.ok()) << body.status();
  // Only the default request id differs from the example.
  EXPECT_EQ(
      absl::StrReplaceAll(*body, {{"CNP-RQ-2026-6842", "CNP-RQ-2026-0031"}}),
      HttpBody("repatriation-request-inbound.http"));
}

TEST_F(KhFormatTest, SampleRefusesWhatItCannotMake) {
  http_mock::PartnerFormat::Sample sample;
  sample.kind = "case_status";
  sample.message_id = kAlertId;
  sample.sender = "KH-CNP";
  sample.recipient = "CN-MPS";
  sample.created_at = "2026-03-14T03:10:01Z";
  EXPECT_FALSE(format_->MakeSample(sample).ok());
  sample.kind = "alert";
  sample.case_ref = "has space";
  EXPECT_FALSE(format_->MakeSample(sample).ok());
  sample.case_ref.clear();
  sample.created_at = "yesterday";
  EXPECT_FALSE(format_->MakeSample(sample).ok());
}

}  // namespace
}  // namespace gw::kh_cnp_mock
