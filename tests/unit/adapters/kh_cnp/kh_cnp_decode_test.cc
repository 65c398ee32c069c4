// tests/unit/adapters/kh_cnp/kh_cnp_decode_test.cc
//
// Decode: the receiver's checks of KH-CNP.md §6.4, steps 2 to 11, each
// refused alone with its HTTP status, error code, field and (§8) message
// id; the rules beyond the schema (§4.1, §4.4, §5.3); NFC normalization and
// zero-width removal with NORMALIZED_NFC warnings (§5.1, §5.2); the four
// message kinds mapped to canonical messages; and EncodeAnswer's signed
// answers to all of it.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "adapters/json/jcs.h"
#include "adapters/kh_cnp/kh_cnp_codec.h"
#include "adapters/signed_http/http_refusal.h"
#include "gateway/crypto/sha256.h"
#include "gateway/ingest/error_reason.h"
#include "gateway/util/proto_time.h"
#include "gtest/gtest.h"
#include "gw/v1/case.pb.h"
#include "tests/unit/adapters/kh_cnp/kh_cnp_test_util.h"

namespace gw::kh_cnp {
namespace {

using adapters::InboundAnswer;
using adapters::InboundMessage;
using adapters::PartnerMessage;
using signed_http::HttpRefusal;
using testing::Header;
using testing::Link;
using testing::RemoveHeader;
using testing::SetHeader;
using testing::Unix;
using testing::Utc;
using Json = nlohmann::json;

constexpr int64_t kNow = testing::kRequestCreated;
constexpr char kRequests[] = "/gw/kh/v1/repatriation-requests";
constexpr char kAlerts[] = "/gw/kh/v1/alerts";
constexpr char kDecisions[] = "/gw/kh/v1/repatriation-decisions";
constexpr char kStatuses[] = "/gw/kh/v1/case-status";
constexpr char kOtherId[] = "7d0e7c5e-2b7f-4c57-9a51-3f1d2e5b6a70";
// U+200B ZERO WIDTH SPACE.
constexpr char kZwsp[] = "\xE2\x80\x8B";

// An inbound alert from KH-CNP: the example alert with the roles swapped.
Json InboundAlert() {
  Json body = testing::ExampleJson("alert-outbound.json");
  body["message_id"] = kOtherId;
  body["sender"] = "KH-CNP";
  body["recipient"] = "CN-MPS";
  body["alert"]["origin_agency"] = "KH-CNP";
  body["alert"]["originator"] = "cnp-pp-0042";
  body["alert"]["recipients"] = Json::array({"CN-MPS"});
  return body;
}

Json Decision(const char* state) {
  return Json{{"message_type", "repatriation_decision"},
              {"message_id", kOtherId},
              {"sender", "KH-CNP"},
              {"recipient", "CN-MPS"},
              {"repatriation_decision",
               {{"request_id", "CN-RQ-2026-0007"},
                {"case_ref", "CN-YN-XSBN-2026-0042"},
                {"state", state},
                {"decided_by", "KH-CNP"},
                {"decided_at", "2026-03-20T10:00:00+07:00"},
                {"reason", {{{"lang", "en"}, {"text", "Approved."}}}}}}};
}

class KhCnpDecodeTest : public ::testing::Test {
 protected:
  KhCnpDecodeTest()
      : codec_(link_.Gateway(Unix(kNow))),
        request_(testing::ExampleJson("repatriation-request-inbound.json")) {}

  PartnerMessage Signed(const Json& body, const char* path = kRequests) const {
    return link_.SignedRequest(path, json::Canonical(body),
                               body.value("message_id", std::string(kOtherId)),
                               Unix(kNow));
  }

  absl::StatusOr<InboundMessage> Decode(const PartnerMessage& request) const {
    return codec_->Decode("KH-CNP", request);
  }

  // The refusal `result` carries must be `http_status` `code` on `field`,
  // naming `message_id`.
  static void ExpectRefusal(const absl::StatusOr<InboundMessage>& result,
                            int http_status, absl::string_view code,
                            absl::string_view field = "",
                            absl::string_view message_id = "") {
    ASSERT_FALSE(result.ok());
    std::optional<HttpRefusal> refusal =
        signed_http::HttpRefusalOf(result.status());
    ASSERT_TRUE(refusal.has_value()) << result.status();
    EXPECT_EQ(refusal->http_status, http_status) << result.status();
    EXPECT_EQ(refusal->code, code) << result.status();
    EXPECT_EQ(refusal->field, field) << result.status();
    EXPECT_EQ(refusal->message_id, message_id) << result.status();
  }

  // A SCHEMA_VIOLATION on `field` for `body`, naming its message id.
  void ExpectViolation(const Json& body, absl::string_view field,
                       const char* path = kRequests) const {
    ExpectRefusal(Decode(Signed(body, path)), 400, "SCHEMA_VIOLATION", field,
                  body.value("message_id", std::string()));
  }

  template <typename T>
  static T Payload(const InboundMessage& in) {
    T message;
    EXPECT_TRUE(message.ParseFromString(in.envelope.payload()));
    return message;
  }

  Link link_;
  std::unique_ptr<KhCnpCodec> codec_;
  Json request_;
};

// ---- Steps 2 to 10: before the body is read (no message id, no field) ----

TEST_F(KhCnpDecodeTest, Step2PathAndMethod) {
  PartnerMessage request = Signed(request_);
  SetHeader(&request.metadata, ":path", "/gw/kh/v1/other");
  ExpectRefusal(Decode(request), 404, "WRONG_ENDPOINT");
  request = Signed(request_);
  SetHeader(&request.metadata, ":path", "/gw/kh/v1/repatriation-requests?x=1");
  ExpectRefusal(Decode(request), 404, "WRONG_ENDPOINT");
  request = Signed(request_);
  SetHeader(&request.metadata, ":method", "PUT");
  ExpectRefusal(Decode(request), 405, "WRONG_ENDPOINT");
}

TEST_F(KhCnpDecodeTest, Step3BodyTooLarge) {
  PartnerMessage request = Signed(request_);
  request.metadata.emplace_back(":body-too-large", "1");
  request.bytes.clear();
  ExpectRefusal(Decode(request), 413, "PAYLOAD_TOO_LARGE");
}

TEST_F(KhCnpDecodeTest, Step4MediaType) {
  PartnerMessage request = Signed(request_);
  SetHeader(&request.metadata, "content-type", "text/plain");
  ExpectRefusal(Decode(request), 415, "UNSUPPORTED_MEDIA_TYPE");
  request = Signed(request_);
  request.metadata.emplace_back("content-encoding", "gzip");
  ExpectRefusal(Decode(request), 415, "UNSUPPORTED_MEDIA_TYPE");
  request = Signed(request_);
  RemoveHeader(&request.metadata, "content-type");
  ExpectRefusal(Decode(request), 415, "UNSUPPORTED_MEDIA_TYPE");
  // The other value of §2.3, in any case, is fine.
  request = Signed(request_);
  SetHeader(&request.metadata, "content-type",
            "Application/JSON; Charset=UTF-8");
  EXPECT_TRUE(Decode(request).ok());
}

TEST_F(KhCnpDecodeTest, Step5SignatureHeaders) {
  PartnerMessage request = Signed(request_);
  RemoveHeader(&request.metadata, "signature-input");
  ExpectRefusal(Decode(request), 401, "SIGNATURE_MISSING");
  request = Signed(request_);
  SetHeader(&request.metadata, "signature", "sig1=:AAAA:");
  ExpectRefusal(Decode(request), 401, "SIGNATURE_INVALID");
}

TEST_F(KhCnpDecodeTest, Step6HeaderCounts) {
  PartnerMessage request = Signed(request_);
  request.metadata.emplace_back("content-digest",
                                Header(request.metadata, "content-digest"));
  ExpectRefusal(Decode(request), 400, "HEADER_MISMATCH");
  request = Signed(request_);
  RemoveHeader(&request.metadata, "gw-message-id");
  ExpectRefusal(Decode(request), 400, "HEADER_MISMATCH");
}

TEST_F(KhCnpDecodeTest, Step7UnknownKeyIsTransient) {
  // Signed with a key registered to nobody on this link.
  const PartnerMessage request = link_.SignedRequest(
      kRequests, json::Canonical(request_), testing::kRequestMessageId,
      Unix(kNow), &link_.gateway_key());
  const absl::StatusOr<InboundMessage> in = Decode(request);
  ExpectRefusal(in, 401, "UNKNOWN_KEY");
  EXPECT_EQ(in.status().code(), absl::StatusCode::kUnavailable);
}

TEST_F(KhCnpDecodeTest, Step8StaleSignature) {
  const PartnerMessage request =
      link_.SignedRequest(kRequests, json::Canonical(request_),
                          testing::kRequestMessageId, Unix(kNow - 301));
  ExpectRefusal(Decode(request), 401, "SIGNATURE_EXPIRED");
}

TEST_F(KhCnpDecodeTest, Step9Digest) {
  PartnerMessage request = Signed(request_);
  SetHeader(&request.metadata, "content-digest", "sha-512=:AAAA:");
  ExpectRefusal(Decode(request), 400, "HEADER_MISMATCH");
  // Tampered body: the digest no longer matches.
  request = Signed(request_);
  request.bytes[request.bytes.find("RETURN")] = 'X';
  ExpectRefusal(Decode(request), 401, "DIGEST_MISMATCH");
}

TEST_F(KhCnpDecodeTest, Step10SignatureOverAnotherTarget) {
  PartnerMessage request = Signed(request_);
  SetHeader(&request.metadata, ":target-uri",
            "https://other.mekong.example/gw/kh/v1/repatriation-requests");
  ExpectRefusal(Decode(request), 401, "SIGNATURE_INVALID");
}

TEST_F(KhCnpDecodeTest, ReplayedSignatureIsRefusedTransiently) {
  const PartnerMessage request = Signed(request_);
  ASSERT_TRUE(Decode(request).ok());
  const absl::StatusOr<InboundMessage> again = Decode(request);
  ExpectRefusal(again, 401, "SIGNATURE_EXPIRED");
}

TEST_F(KhCnpDecodeTest, AnotherAgencysCertificateIsRefused) {
  ExpectRefusal(codec_->Decode("VN-MPS", Signed(request_)), 403,
                "AGENCY_MISMATCH");
}

// ---- Step 11: the body ----------------------------------------------------

TEST_F(KhCnpDecodeTest, MalformedJson) {
  for (const std::string& body :
       {std::string("{\"message_id\":"), std::string("\xEF\xBB\xBF{}"),
        std::string("{\"a\":1,\"a\":2}"), std::string("{\"a\":\"\xC3\x28\"}"),
        std::string("{} {}")}) {
    const PartnerMessage request = link_.SignedRequest(
        kRequests, body, testing::kRequestMessageId, Unix(kNow));
    // The body cannot be read: the refusal names the header's id (§8).
    ExpectRefusal(Decode(request), 400, "MALFORMED_JSON", "",
                  testing::kRequestMessageId);
  }
}

TEST_F(KhCnpDecodeTest, NumbersOutOfRangeAreSchemaViolations) {
  std::string body = json::Canonical(request_);
  const std::string age = "\"age_estimate\":15";
  body.replace(body.find(age), age.size(), "\"age_estimate\":-1");
  const PartnerMessage request = link_.SignedRequest(
      kRequests, body, testing::kRequestMessageId, Unix(kNow));
  ExpectRefusal(Decode(request), 400, "SCHEMA_VIOLATION",
                "/repatriation_request/victim/age_estimate",
                testing::kRequestMessageId);
}

TEST_F(KhCnpDecodeTest, ARefusedMembersNameIsBoundedInTheRefusal) {
  // Member names are the sender's words and the refusal is audited: a
  // pointer naming a 1,000-character member is cut to 256 bytes.
  Json body = request_;
  body["repatriation_request"][std::string(1000, 'x')] = "y";
  absl::StatusOr<InboundMessage> result = Decode(Signed(body, kRequests));
  ASSERT_FALSE(result.ok());
  std::optional<HttpRefusal> refusal =
      signed_http::HttpRefusalOf(result.status());
  ASSERT_TRUE(refusal.has_value());
  EXPECT_EQ(refusal->code, "SCHEMA_VIOLATION");
  EXPECT_EQ(refusal->field.size(), 256u);
  EXPECT_EQ(refusal->field.rfind("/repatriation_request/xxx", 0), 0u);
  EXPECT_LT(result.status().message().size(), 1000u);
}

TEST_F(KhCnpDecodeTest, SchemaViolationsNameTheMember) {
  Json body = request_;
  body["repatriation_request"]["victim"]["date_of_birth"] = "2011-13-05";
  ExpectViolation(body, "/repatriation_request/victim/date_of_birth");

  body = request_;
  body["repatriation_request"].erase("victim");
  ExpectViolation(body, "/repatriation_request/victim");

  body = request_;
  body["repatriation_request"]["victim"]["names"][1]["family"] = " CESHI";
  ExpectViolation(body, "/repatriation_request/victim/names/1/family");

  body = request_;  // U+3000 IDEOGRAPHIC SPACE is White_Space (§5.1).
  body["repatriation_request"]["victim"]["names"][0]["full"] =
      "测试花\xE3\x80\x80";
  ExpectViolation(body, "/repatriation_request/victim/names/0/full");

  body = request_;
  body["repatriation_request"]["nickname"] = "x";
  ExpectViolation(body, "/repatriation_request/nickname");

  body = request_;
  body["repatriation_request"]["requesting_agency"] = "kh-cnp";
  ExpectViolation(body, "/repatriation_request/requesting_agency");

  // A message id that is not one: the refusal names none from the body,
  // but the header's.
  body = request_;
  body["message_id"] = "0AA68B7A-EEDE-5F6F-A6AF-68A3A94B7403";
  const PartnerMessage request = link_.SignedRequest(
      kRequests, json::Canonical(body), testing::kRequestMessageId, Unix(kNow));
  ExpectRefusal(Decode(request), 400, "SCHEMA_VIOLATION", "/message_id",
                testing::kRequestMessageId);
}

TEST_F(KhCnpDecodeTest, DatesMustBeRealCalendarDates) {
  Json body = request_;
  body["repatriation_request"]["best_interests_assessment"]["completed_on"] =
      "2026-02-30";
  ExpectViolation(body,
                  "/repatriation_request/best_interests_assessment/"
                  "completed_on");
  body = request_;
  body["repatriation_request"]["victim"]["date_of_birth"] = "2011-02-29";
  ExpectViolation(body, "/repatriation_request/victim/date_of_birth");
  body = request_;
  body["repatriation_request"]["travel_document"]["expiry"] = "2030-06-31";
  ExpectViolation(body, "/repatriation_request/travel_document/expiry");
  body = request_;
  body["repatriation_request"]["proposed_handover"]["date"] = "2026-04-31";
  ExpectViolation(body, "/repatriation_request/proposed_handover/date");
  // Leap days that exist, and partial dates of birth, are fine.
  body = request_;
  body["repatriation_request"]["victim"]["date_of_birth"] = "2012-02-29";
  EXPECT_TRUE(Decode(Signed(body)).ok());
  body = request_;
  body["repatriation_request"]["victim"]["date_of_birth"] = "2010-11";
  EXPECT_TRUE(Decode(Signed(body)).ok());
}

TEST_F(KhCnpDecodeTest, TimestampsMustBeRealInstants) {
  Json body = InboundAlert();
  body["alert"]["created_at"] = "2026-02-29T02:30:00Z";
  ExpectViolation(body, "/alert/created_at", kAlerts);
  body = InboundAlert();
  body["alert"]["last_seen"]["at"] = "2026-03-10T24:00:00Z";
  ExpectViolation(body, "/alert/last_seen/at", kAlerts);
  body = InboundAlert();
  body["alert"]["created_at"] = "2026-03-14T02:30:00.5Z";
  ExpectViolation(body, "/alert/created_at", kAlerts);
}

TEST_F(KhCnpDecodeTest, AttachmentContentMustMatchSizeAndDigest) {
  const std::string content = "FICTIONAL PHOTO BYTES";
  Json attachment = {{"name", "photo.jpg"},
                     {"media_type", "image/jpeg"},
                     {"sha256", crypto::Sha256Hex(content)},
                     {"size", content.size()},
                     {"content", absl::Base64Escape(content)}};
  Json body = InboundAlert();
  body["alert"]["attachments"] = Json::array({attachment});
  absl::StatusOr<InboundMessage> in = Decode(Signed(body, kAlerts));
  ASSERT_TRUE(in.ok()) << in.status();
  gw::v1::CaseAlert alert = Payload<gw::v1::CaseAlert>(*in);
  ASSERT_EQ(alert.attachments_size(), 1);
  EXPECT_EQ(alert.attachments(0).content(), content);
  EXPECT_EQ(alert.attachments(0).sha256(), crypto::Sha256Hex(content));

  body["alert"]["attachments"][0]["size"] = content.size() + 1;
  ExpectViolation(body, "/alert/attachments/0/size", kAlerts);
  body["alert"]["attachments"][0] = attachment;
  body["alert"]["attachments"][0]["sha256"] = crypto::Sha256Hex("other");
  ExpectViolation(body, "/alert/attachments/0/sha256", kAlerts);
  // "QQ==" is "A"; "QR==" decodes to "A" too, but is not canonical.
  body["alert"]["attachments"][0] = {{"name", "a.txt"},
                                     {"media_type", "text/plain"},
                                     {"sha256", crypto::Sha256Hex("A")},
                                     {"size", 1},
                                     {"content", "QR=="}};
  ExpectViolation(body, "/alert/attachments/0/content", kAlerts);
}

TEST_F(KhCnpDecodeTest, HandoverIfAndOnlyIfScheduled) {
  Json body = Decision("APPROVED");
  body["repatriation_decision"]["handover"] = {{"border_point", "Bavet"},
                                               {"date", "2026-04-09"}};
  ExpectViolation(body, "/repatriation_decision/handover", kDecisions);
  body = Decision("HANDOVER_SCHEDULED");
  ExpectViolation(body, "/repatriation_decision/state", kDecisions);
}

TEST_F(KhCnpDecodeTest, MessageIdMustBeTheHeaders) {
  const PartnerMessage request = link_.SignedRequest(
      kRequests, json::Canonical(request_), kOtherId, Unix(kNow));
  ExpectRefusal(Decode(request), 400, "HEADER_MISMATCH", "/message_id",
                testing::kRequestMessageId);
}

TEST_F(KhCnpDecodeTest, MessageTypeMustFitTheEndpoint) {
  ExpectRefusal(Decode(Signed(request_, kAlerts)), 400, "WRONG_ENDPOINT",
                "/message_type", testing::kRequestMessageId);
  Json ack = testing::ExampleJson("ack-202-outbound.json");
  ack["sender"] = "KH-CNP";
  ack["recipient"] = "CN-MPS";
  ExpectRefusal(Decode(Signed(ack, kRequests)), 400, "WRONG_ENDPOINT",
                "/message_type", testing::kRequestMessageId);
}

TEST_F(KhCnpDecodeTest, AgenciesMustBeTheCertificatesAndOurs) {
  Json body = request_;
  body["sender"] = "VN-MPS";
  ExpectRefusal(Decode(Signed(body)), 403, "AGENCY_MISMATCH", "/sender",
                testing::kRequestMessageId);
  body = request_;
  body["recipient"] = "TH-RTP";
  ExpectRefusal(Decode(Signed(body)), 403, "AGENCY_MISMATCH", "/recipient",
                testing::kRequestMessageId);
}

// ---- Text (§5.1, §5.2) ----------------------------------------------------

TEST_F(KhCnpDecodeTest, NfdInputIsNormalizedAndReported) {
  Json body = request_;
  // "é" as e + U+0301, in a note and in the Latin given name.
  body["repatriation_request"]["guardian"]["notes"][0]["text"] =
      "Me\xCC\x81re reported to live in Yunnan.";
  body["repatriation_request"]["victim"]["names"][1]["given"] = "Hue\xCC\x81";
  const PartnerMessage request = Signed(body);
  absl::StatusOr<InboundMessage> in = Decode(request);
  ASSERT_TRUE(in.ok()) << in.status();
  const auto got = Payload<gw::v1::RepatriationRequest>(*in);
  EXPECT_EQ(got.guardian().notes(0).text(),
            "M\xC3\xA9re reported to live in Yunnan.");
  EXPECT_EQ(got.victim().names(1).given(), "Hu\xC3\xA9");
  // The digest is of the bytes as received; the evidence keeps them.
  EXPECT_EQ(in->received_sha256, crypto::Sha256Hex(request.bytes));
  EXPECT_TRUE(absl::StrContains(in->evidence, request.bytes));
  ASSERT_EQ(in->warnings.size(), 2u);
  EXPECT_EQ(in->warnings[0].code(), "NORMALIZED_NFC");
  EXPECT_EQ(in->warnings[0].field(),
            "/repatriation_request/guardian/notes/0/text");
  EXPECT_EQ(in->warnings[1].code(), "NORMALIZED_NFC");
  EXPECT_EQ(in->warnings[1].field(),
            "/repatriation_request/victim/names/1/given");

  // The ack lists the same warnings, and is a valid ack.
  gw::v1::Receipt receipt;
  *receipt.mutable_received_at() = util::ToTimestamp(Unix(kNow));
  auto answer = codec_->EncodeAnswer(
      "KH-CNP", request, InboundAnswer{absl::OkStatus(), receipt, false});
  ASSERT_TRUE(answer.ok() && answer->has_value());
  const Json ack = Json::parse((*answer)->bytes);
  EXPECT_EQ(ack["warnings"], Json::parse(R"([
              {"code":"NORMALIZED_NFC",
               "field":"/repatriation_request/guardian/notes/0/text"},
              {"code":"NORMALIZED_NFC",
               "field":"/repatriation_request/victim/names/1/given"}])"));
  auto violation = testing::Schema().ValidateAt(ack, "/$defs/ack_message");
  ASSERT_TRUE(violation.ok());
  EXPECT_FALSE(violation->has_value()) << (*violation)->pointer;
}

TEST_F(KhCnpDecodeTest, ZeroWidthSpaceIsRemovedFromNamesOnly) {
  Json body = request_;
  Json khmer = {{"script", "Khmr"},
                {"family", absl::StrCat("សាក", kZwsp, "ល្បង")},
                {"full", "សាកល្បង\xE2\x80\x8C ស្រីពៅ"}};  // U+200C too
  body["repatriation_request"]["victim"]["names"].push_back(khmer);
  // In running text U+200B is the Khmer word separator: kept.
  body["repatriation_request"]["best_interests_assessment"]["summary"][0]
      ["text"] = absl::StrCat("កុមារ", kZwsp, "ចង់");
  absl::StatusOr<InboundMessage> in = Decode(Signed(body));
  ASSERT_TRUE(in.ok()) << in.status();
  const auto got = Payload<gw::v1::RepatriationRequest>(*in);
  ASSERT_EQ(got.victim().names_size(), 3);
  EXPECT_EQ(got.victim().names(2).family(), "សាកល្បង");
  EXPECT_EQ(got.victim().names(2).full(), "សាកល្បង ស្រីពៅ");
  EXPECT_EQ(got.best_interests_assessment().summary(0).text(),
            absl::StrCat("កុមារ", kZwsp, "ចង់"));
  ASSERT_EQ(in->warnings.size(), 2u);
  EXPECT_EQ(in->warnings[0].field(),
            "/repatriation_request/victim/names/2/family");
  EXPECT_EQ(in->warnings[1].field(),
            "/repatriation_request/victim/names/2/full");
}

TEST_F(KhCnpDecodeTest, NameMadeEmptyByRemovalIsASchemaViolation) {
  Json body = request_;
  body["repatriation_request"]["victim"]["names"][0]["given"] = kZwsp;
  ExpectViolation(body, "/repatriation_request/victim/names/0/given");
}

// ---- The four kinds --------------------------------------------------------

TEST_F(KhCnpDecodeTest, AlertDecodes) {
  const Json body = InboundAlert();
  absl::StatusOr<InboundMessage> in = Decode(Signed(body, kAlerts));
  ASSERT_TRUE(in.ok()) << in.status();
  EXPECT_EQ(in->envelope.payload_type(), kCaseAlertPayloadType);
  gw::v1::CaseAlert want = testing::ExampleAlert();
  want.set_origin_agency("KH-CNP");
  want.set_originator("cnp-pp-0042");
  want.clear_recipients();
  want.add_recipients("CN-MPS");
  EXPECT_EQ(Payload<gw::v1::CaseAlert>(*in).SerializeAsString(),
            want.SerializeAsString());
}

TEST_F(KhCnpDecodeTest, DecisionDecodesWithTheHandoverOnTheRequest) {
  Json body = Decision("HANDOVER_SCHEDULED");
  body["repatriation_decision"]["handover"] = {{"border_point", "Bavet"},
                                               {"date", "2026-04-09"}};
  absl::StatusOr<InboundMessage> in = Decode(Signed(body, kDecisions));
  ASSERT_TRUE(in.ok()) << in.status();
  EXPECT_EQ(in->envelope.payload_type(), kRepatriationRecordPayloadType);
  const auto record = Payload<gw::v1::RepatriationRecord>(*in);
  EXPECT_EQ(record.request().request_id(), "CN-RQ-2026-0007");
  EXPECT_EQ(record.request().case_ref(), "CN-YN-XSBN-2026-0042");
  EXPECT_EQ(record.state(), gw::v1::RepatriationRecord::HANDOVER_SCHEDULED);
  EXPECT_EQ(record.request().proposed_handover().border_point(), "Bavet");
  EXPECT_EQ(record.request().proposed_handover().date(), "2026-04-09");
  ASSERT_EQ(record.history_size(), 1);
  EXPECT_EQ(record.history(0).to_state(),
            gw::v1::RepatriationRecord::HANDOVER_SCHEDULED);
  EXPECT_EQ(record.history(0).actor_agency(), "KH-CNP");
  // +07:00 converted to UTC.
  EXPECT_EQ(util::FromTimestamp(record.history(0).at()),
            Utc("2026-03-20T03:00:00Z"));
  ASSERT_EQ(record.history(0).reason_size(), 1);
  EXPECT_EQ(record.history(0).reason(0).text(), "Approved.");
}

TEST_F(KhCnpDecodeTest, CaseStatusDecodes) {
  const Json body = {{"message_type", "case_status"},
                     {"message_id", kOtherId},
                     {"sender", "KH-CNP"},
                     {"recipient", "CN-MPS"},
                     {"case_status",
                      {{"case_ref", "KH-CNP-2026-0311"},
                       {"owner_agency", "KH-CNP"},
                       {"state", "VICTIM_LOCATED"},
                       {"updated_at", "2026-03-21T08:00:00Z"},
                       {"shared_with", {"CN-MPS", "TH-RTP"}},
                       {"note", {{{"lang", "km"}, {"text", "រកឃើញ"}}}}}}};
  absl::StatusOr<InboundMessage> in = Decode(Signed(body, kStatuses));
  ASSERT_TRUE(in.ok()) << in.status();
  EXPECT_EQ(in->envelope.payload_type(), kCaseStatusPayloadType);
  const auto status = Payload<gw::v1::CaseStatus>(*in);
  EXPECT_EQ(status.case_ref(), "KH-CNP-2026-0311");
  EXPECT_EQ(status.owner_agency(), "KH-CNP");
  EXPECT_EQ(status.state(), gw::v1::CaseStatus::VICTIM_LOCATED);
  EXPECT_EQ(util::FromTimestamp(status.updated_at()),
            Utc("2026-03-21T08:00:00Z"));
  ASSERT_EQ(status.shared_with_size(), 2);
  EXPECT_EQ(status.shared_with(1), "TH-RTP");
  ASSERT_EQ(status.note_size(), 1);
  EXPECT_EQ(status.note(0).lang(), "km");
}

TEST_F(KhCnpDecodeTest, NotRequiredAssessmentIsReportedNotRepresentable) {
  Json body = request_;
  body["repatriation_request"]["best_interests_assessment"]["outcome"] =
      "NOT_REQUIRED";
  absl::StatusOr<InboundMessage> in = Decode(Signed(body));
  ASSERT_TRUE(in.ok()) << in.status();
  EXPECT_EQ(Payload<gw::v1::RepatriationRequest>(*in)
                .best_interests_assessment()
                .outcome(),
            gw::v1::BestInterestsAssessment::OUTCOME_UNSPECIFIED);
  ASSERT_EQ(in->warnings.size(), 1u);
  EXPECT_EQ(in->warnings[0].code(), "VALUE_NOT_REPRESENTABLE");
  EXPECT_EQ(in->warnings[0].field(),
            "/repatriation_request/best_interests_assessment/outcome");
}

// ---- EncodeAnswer of refusals ----------------------------------------------

class KhCnpRefusalAnswerTest : public KhCnpDecodeTest {
 protected:
  // The gateway's answer to `request` for `status`, with its body parsed.
  PartnerMessage Answer(const PartnerMessage& request,
                        const absl::Status& status, Json* body) const {
    auto answer = codec_->EncodeAnswer(
        "KH-CNP", request, InboundAnswer{status, std::nullopt, false});
    EXPECT_TRUE(answer.ok()) << answer.status();
    if (!answer.ok() || !answer->has_value()) return PartnerMessage();
    *body = Json::parse((*answer)->bytes);
    auto violation =
        testing::Schema().ValidateAt(*body, "/$defs/error_message");
    EXPECT_TRUE(violation.ok());
    EXPECT_FALSE(violation->has_value()) << (*violation)->pointer;
    return **answer;
  }
};

TEST_F(KhCnpRefusalAnswerTest, StepsBeforeTheBodyNameNoMessage) {
  PartnerMessage request = Signed(request_);
  SetHeader(&request.metadata, "content-type", "text/plain");
  const absl::StatusOr<InboundMessage> in = Decode(request);
  ASSERT_FALSE(in.ok());
  Json body;
  const PartnerMessage answer = Answer(request, in.status(), &body);
  EXPECT_EQ(Header(answer.metadata, ":status"), "415");
  EXPECT_FALSE(body.contains("message_id"));
  EXPECT_EQ(body["error"]["code"], "UNSUPPORTED_MEDIA_TYPE");
  EXPECT_FALSE(body["error"].contains("field"));
  EXPECT_EQ(body["sender"], "CN-MPS");
  EXPECT_EQ(body["recipient"], "KH-CNP");
  EXPECT_EQ(body["received_at"], "2026-03-14T03:10:01Z");
  // Still echoed and signed over it.
  EXPECT_EQ(Header(answer.metadata, "gw-message-id"),
            testing::kRequestMessageId);
  EXPECT_TRUE(absl::StrContains(Header(answer.metadata, "signature-input"),
                                "\"gw-message-id\""));
  EXPECT_EQ(Header(answer.metadata, "content-digest"),
            signed_http::ContentDigest(answer.bytes));
}

TEST_F(KhCnpRefusalAnswerTest, SchemaViolationAnswerIsReadByKhCnp) {
  Json bad = request_;
  bad["repatriation_request"]["victim"]["date_of_birth"] = "2011-13-05";
  const PartnerMessage request = Signed(bad);
  const absl::StatusOr<InboundMessage> in = Decode(request);
  ASSERT_FALSE(in.ok());
  Json body;
  const PartnerMessage answer = Answer(request, in.status(), &body);
  EXPECT_EQ(Header(answer.metadata, ":status"), "400");
  EXPECT_EQ(body["message_id"], testing::kRequestMessageId);
  EXPECT_EQ(body["error"]["code"], "SCHEMA_VIOLATION");
  EXPECT_EQ(body["error"]["field"],
            "/repatriation_request/victim/date_of_birth");
  // The detail names the rule, never the value.
  EXPECT_FALSE(absl::StrContains(body["error"]["detail"].get<std::string>(),
                                 "2011-13-05"));

  // KH-CNP (the mirror codec) verifies the signature and reads a
  // permanent refusal.
  adapters::PartnerAnswer response;
  response.metadata = answer.metadata;
  response.bytes = answer.bytes;
  const adapters::DeliveryOutcome outcome =
      link_.Partner(Unix(kNow))
          ->ReadAnswer(testing::Outbound(testing::kRequestMessageId,
                                         kRepatriationRequestPayloadType,
                                         testing::ExampleRequest(), "CN-MPS"),
                       request, response);
  EXPECT_EQ(outcome.kind, adapters::DeliveryOutcome::Kind::kPermanentFailure);
  EXPECT_TRUE(absl::StartsWith(
      outcome.reason,
      "KH-CNP 400 SCHEMA_VIOLATION /repatriation_request/victim/"
      "date_of_birth: "))
      << outcome.reason;
}

TEST_F(KhCnpRefusalAnswerTest, PipelineRefusalsAreMapped) {
  const PartnerMessage request = Signed(request_);
  Json body;
  PartnerMessage answer =
      Answer(request,
             ingest::WithReason(absl::AlreadyExistsError("message id reused"),
                                "DUPLICATE_ID_CONFLICT"),
             &body);
  EXPECT_EQ(Header(answer.metadata, ":status"), "409");
  EXPECT_EQ(body["error"]["code"], "DUPLICATE_ID_CONFLICT");
  // Refused after the body was read: it names the message.
  EXPECT_EQ(body["message_id"], testing::kRequestMessageId);

  answer = Answer(request,
                  ingest::WithReason(absl::UnavailableError("not yet"),
                                     "NOT_SUPPORTED_YET"),
                  &body);
  EXPECT_EQ(Header(answer.metadata, ":status"), "503");
  EXPECT_EQ(body["error"]["code"], "UNAVAILABLE");
  EXPECT_EQ(Header(answer.metadata, "retry-after"), "30");

  // A long detail is cut to 500 characters, on one line.
  answer = Answer(request,
                  absl::InvalidArgumentError(absl::StrCat(
                      "line one\nline two ", std::string(600, 'x'))),
                  &body);
  const std::string detail = body["error"]["detail"];
  EXPECT_EQ(detail.size(), 500u);
  EXPECT_FALSE(absl::StrContains(detail, "\n"));
}

TEST_F(KhCnpRefusalAnswerTest, OkAnswerNeedsAReceipt) {
  auto answer = codec_->EncodeAnswer(
      "KH-CNP", Signed(request_),
      InboundAnswer{absl::OkStatus(), std::nullopt, false});
  EXPECT_EQ(answer.status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(KhCnpRefusalAnswerTest, PartnerRefDefaultsToTheAuditLeaf) {
  gw::v1::Receipt receipt;
  *receipt.mutable_received_at() = util::ToTimestamp(Unix(kNow));
  receipt.set_leaf_index(4711);
  receipt.mutable_checkpoint()->set_tree_size(4712);
  auto answer =
      codec_->EncodeAnswer("KH-CNP", Signed(request_),
                           InboundAnswer{absl::OkStatus(), receipt, false});
  ASSERT_TRUE(answer.ok() && answer->has_value());
  EXPECT_EQ(Json::parse((*answer)->bytes)["partner_ref"], "CNMPS-4711");
}

}  // namespace
}  // namespace gw::kh_cnp
