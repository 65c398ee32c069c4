// tests/unit/adapters/kh_cnp/kh_cnp_test_util.cc
#include "tests/unit/adapters/kh_cnp/kh_cnp_test_util.h"

#include <fstream>
#include <sstream>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "adapters/signed_http/http_signature.h"
#include "gateway/util/proto_time.h"
#include "gtest/gtest.h"
#include "schemas/embedded.h"
#include "tests/support/rfc8032_keys.h"

namespace gw::kh_cnp::testing {

std::string ReadExample(absl::string_view name) {
  const std::string path =
      absl::StrCat(GW_PARTNER_EXAMPLES_DIR, "/KH-CNP/", name);
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << path;
  std::stringstream out;
  out << in.rdbuf();
  return out.str();
}

nlohmann::json ExampleJson(absl::string_view name) {
  return nlohmann::json::parse(ReadExample(name));
}

HttpMessage ParseHttp(absl::string_view bytes) {
  HttpMessage out;
  const size_t end = bytes.find("\r\n\r\n");
  EXPECT_NE(end, absl::string_view::npos);
  std::vector<absl::string_view> lines =
      absl::StrSplit(bytes.substr(0, end), "\r\n");
  out.start_line = std::string(lines[0]);
  for (size_t i = 1; i < lines.size(); ++i) {
    const size_t colon = lines[i].find(':');
    EXPECT_NE(colon, absl::string_view::npos);
    out.headers.emplace_back(
        absl::AsciiStrToLower(lines[i].substr(0, colon)),
        std::string(absl::StripAsciiWhitespace(lines[i].substr(colon + 1))));
  }
  out.body = std::string(bytes.substr(end + 4));
  return out;
}

adapters::PartnerMessage AsInboundRequest(const HttpMessage& http,
                                          absl::string_view base_uri) {
  std::vector<std::string> parts = absl::StrSplit(http.start_line, ' ');
  EXPECT_EQ(parts.size(), 3u);
  adapters::PartnerMessage out;
  out.metadata = {{":method", parts[0]},
                  {":path", parts[1]},
                  {":target-uri", absl::StrCat(base_uri, parts[1])}};
  for (const auto& header : http.headers) {
    // The transport hands over the headers it received; Host and
    // Content-Length are the transport's own business.
    out.metadata.push_back(header);
  }
  out.message_id = Header(http.headers, "gw-message-id");
  out.content_type = Header(http.headers, "content-type");
  out.bytes = http.body;
  return out;
}

adapters::PartnerAnswer AsAnswer(const HttpMessage& http) {
  std::vector<std::string> parts = absl::StrSplit(http.start_line, ' ');
  adapters::PartnerAnswer out;
  out.metadata = {{":status", parts[1]}};
  for (const auto& header : http.headers) out.metadata.push_back(header);
  out.bytes = http.body;
  return out;
}

std::string Header(const adapters::Metadata& metadata, absl::string_view name) {
  for (const auto& [key, value] : metadata) {
    if (key == name) return value;
  }
  return "";
}

void SetHeader(adapters::Metadata* metadata, absl::string_view name,
               absl::string_view value) {
  RemoveHeader(metadata, name);
  metadata->emplace_back(std::string(name), std::string(value));
}

void RemoveHeader(adapters::Metadata* metadata, absl::string_view name) {
  adapters::Metadata kept;
  for (auto& entry : *metadata) {
    if (entry.first != name) kept.push_back(std::move(entry));
  }
  *metadata = std::move(kept);
}

absl::Time Unix(int64_t seconds) { return absl::FromUnixSeconds(seconds); }

absl::Time Utc(absl::string_view rfc3339) {
  absl::Time t;
  std::string error;
  EXPECT_TRUE(absl::ParseTime(absl::RFC3339_full, rfc3339, &t, &error))
      << error;
  return t;
}

namespace {

google::protobuf::Timestamp Ts(absl::string_view rfc3339) {
  return util::ToTimestamp(Utc(rfc3339));
}

void Name(gw::v1::Person* person, const char* script, const char* family,
          const char* given, const char* full) {
  gw::v1::PersonName* name = person->add_names();
  name->set_script(script);
  name->set_family(family);
  name->set_given(given);
  name->set_full(full);
}

void Text(google::protobuf::RepeatedPtrField<gw::v1::LanguageText>* texts,
          const char* lang, const char* text) {
  gw::v1::LanguageText* item = texts->Add();
  item->set_lang(lang);
  item->set_text(text);
}

}  // namespace

gw::v1::CaseAlert ExampleAlert() {
  gw::v1::CaseAlert alert;
  alert.set_alert_id("CNMPS-ALERT-2026-000732");
  alert.set_case_ref("CN-YN-XSBN-2026-0042");
  alert.set_kind(gw::v1::CaseAlert::MISSING_PERSON);
  alert.set_priority(gw::v1::CaseAlert::URGENT);
  alert.set_handling_code(gw::v1::CaseAlert::H2);
  alert.set_origin_agency("CN-MPS");
  alert.set_originator("yn-xsbn-inv-0107");
  alert.add_recipients("KH-CNP");
  gw::v1::Subject* subject = alert.add_subjects();
  subject->set_role(gw::v1::Subject::VICTIM);
  gw::v1::Person* person = subject->mutable_person();
  Name(person, "Khmr", "សាកល្បង", "ស្រីពៅ", "សាកល្បង ស្រីពៅ");
  Name(person, "Latn", "SAKALBANG", "Srey Pov", "SAKALBANG Srey Pov");
  person->set_sex(gw::v1::Person::FEMALE);
  person->set_date_of_birth("2011-08-05");
  person->set_age_estimate(14);
  person->set_nationality("KHM");
  gw::v1::LastSeen* seen = alert.mutable_last_seen();
  *seen->mutable_at() = Ts("2026-03-10T09:15:00Z");
  seen->set_place("Jinghong long-distance bus station, Xishuangbanna, Yunnan");
  seen->set_country("CHN");
  Text(alert.mutable_narrative(), "en",
       "FICTIONAL TEST RECORD. Girl aged 14 left Jinghong by bus with an "
       "adult male on 10 March 2026; believed to be heading south towards "
       "the border.");
  Text(alert.mutable_narrative(), "zh",
       "虚构测试记录。14岁女孩于2026年3月10日随一名成年男子乘大巴离开景洪，"
       "可能向南前往边境。");
  *alert.mutable_created_at() = Ts("2026-03-14T02:30:00Z");
  return alert;
}

gw::v1::RepatriationRequest ExampleRequest() {
  gw::v1::RepatriationRequest request;
  request.set_request_id("CNP-RQ-2026-0031");
  request.set_case_ref("KH-CNP-2026-0311");
  gw::v1::Person* victim = request.mutable_victim();
  Name(victim, "Hani", "测试", "花", "测试花");
  Name(victim, "Latn", "CESHI", "Hua", "CESHI Hua");
  victim->set_sex(gw::v1::Person::FEMALE);
  victim->set_date_of_birth("2010-11-20");
  victim->set_age_estimate(15);
  victim->set_nationality("CHN");
  request.set_requesting_agency("KH-CNP");
  request.set_receiving_agency("CN-MPS");
  request.set_identity_verified(true);
  request.set_nationality_verified(false);
  gw::v1::IdentityDocument* passport = request.mutable_travel_document();
  passport->set_type("PASSPORT");
  passport->set_number("E00000001");
  passport->set_issuing_state("CHN");
  passport->set_expiry("2030-05-31");
  passport->add_mrz("P<CHNCESHI<<HUA<<<<<<<<<<<<<<<<<<<<<<<<<<<<<");
  passport->add_mrz("E000000019CHN1011201F3005316<<<<<<<<<<<<<<08");
  gw::v1::Guardian* guardian = request.mutable_guardian();
  guardian->set_tracing_result(gw::v1::Guardian::IN_PROGRESS);
  Text(guardian->mutable_notes(), "en",
       "Mother reported to live in Yunnan; family tracing requested from "
       "CN-MPS.");
  gw::v1::BestInterestsAssessment* bia =
      request.mutable_best_interests_assessment();
  bia->set_outcome(gw::v1::BestInterestsAssessment::RETURN);
  bia->set_completed_on("2026-03-12");
  Text(bia->mutable_summary(), "km", "កុមារចង់ត្រឡប់ទៅគ្រួសារវិញ");
  Text(bia->mutable_summary(), "en",
       "The child wishes to return to her family.");
  request.mutable_proposed_handover()->set_border_point(
      "Phnom Penh International Airport (PNH)");
  request.mutable_proposed_handover()->set_date("2026-04-09");
  return request;
}

adapters::OutboundMessage Outbound(absl::string_view message_id,
                                   absl::string_view payload_type,
                                   const google::protobuf::Message& payload,
                                   absl::string_view recipient) {
  adapters::OutboundMessage out;
  out.message_id = std::string(message_id);
  out.recipient = std::string(recipient);
  out.envelope.set_payload_type(std::string(payload_type));
  out.envelope.set_payload(payload.SerializeAsString());
  return out;
}

const json::JsonSchema& Schema() {
  static const json::JsonSchema* const schema = [] {
    auto loaded = json::JsonSchema::Load(embedded::kKhCnpSchemaJson);
    EXPECT_TRUE(loaded.ok()) << loaded.status();
    return loaded.ok() ? loaded->release() : nullptr;
  }();
  return *schema;
}

Link::Link()
    : gateway_key_(gw::testing::Rfc8032Signer(1)),
      partner_key_(gw::testing::Rfc8032Signer(2)),
      gateway_verifier_(gw::testing::Rfc8032Verifier(1)),
      partner_verifier_(gw::testing::Rfc8032Verifier(2)) {}

Link::~Link() = default;

std::unique_ptr<KhCnpCodec> Link::Gateway(
    absl::Time now, KhCnpCodec::PartnerRef partner_ref) const {
  return std::make_unique<KhCnpCodec>(
      "CN-MPS", "KH-CNP", gateway_key_.get(),
      std::vector<const crypto::Verifier*>{partner_verifier_.get()},
      [now] { return now; }, std::move(partner_ref));
}

std::unique_ptr<KhCnpCodec> Link::Partner(absl::Time now) const {
  return std::make_unique<KhCnpCodec>(
      "KH-CNP", "CN-MPS", partner_key_.get(),
      std::vector<const crypto::Verifier*>{gateway_verifier_.get()},
      [now] { return now; });
}

adapters::PartnerMessage Link::SignedRequest(absl::string_view path,
                                             std::string body,
                                             absl::string_view message_id,
                                             absl::Time created,
                                             const crypto::Signer* key) const {
  const signed_http::HttpSignatureProfile profile(
      key != nullptr ? key : partner_key_.get(), {},
      [created] { return created; });
  const std::string target = absl::StrCat(kGatewayBaseUri, path);
  const std::string digest = signed_http::ContentDigest(body);
  auto signature =
      profile.SignRequest("POST", target, digest, std::string(message_id));
  EXPECT_TRUE(signature.ok()) << signature.status();
  adapters::PartnerMessage out;
  out.message_id = std::string(message_id);
  out.content_type = "application/json";
  out.metadata = {{":method", "POST"},
                  {":path", std::string(path)},
                  {":target-uri", target},
                  {"content-type", "application/json"},
                  {"content-digest", digest},
                  {"gw-message-id", std::string(message_id)},
                  {"signature-input", signature->signature_input},
                  {"signature", signature->signature}};
  out.bytes = std::move(body);
  return out;
}

adapters::PartnerAnswer Link::SignedResponse(int status, std::string body,
                                             absl::string_view message_id,
                                             absl::Time created) const {
  const signed_http::HttpSignatureProfile profile(
      partner_key_.get(), {}, [created] { return created; });
  const std::string digest = signed_http::ContentDigest(body);
  auto signature =
      profile.SignResponse(status, digest, std::string(message_id));
  EXPECT_TRUE(signature.ok()) << signature.status();
  adapters::PartnerAnswer out;
  out.metadata = {{":status", absl::StrCat(status)},
                  {"content-type", "application/json"},
                  {"content-digest", digest}};
  if (!message_id.empty()) {
    out.metadata.emplace_back("gw-message-id", std::string(message_id));
  }
  out.metadata.emplace_back("signature-input", signature->signature_input);
  out.metadata.emplace_back("signature", signature->signature);
  out.bytes = std::move(body);
  return out;
}

}  // namespace gw::kh_cnp::testing
