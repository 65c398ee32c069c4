// tests/unit/adapters/vn_mps/vn_examples.cc
//
// See vn_examples.h. The canonical messages transcribe the examples'
// descriptions in VN-MPS.md §10 and their .xml files.
#include "tests/unit/adapters/vn_mps/vn_examples.h"

#include <fstream>
#include <sstream>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gateway/util/proto_time.h"
#include "gtest/gtest.h"
#include "tests/support/rfc8032_keys.h"

namespace gw::vn_mps::testing {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << path;
  std::stringstream out;
  out << in.rdbuf();
  return out.str();
}

void Name(gw::v1::Person* person, absl::string_view script,
          absl::string_view family, absl::string_view given,
          absl::string_view full) {
  gw::v1::PersonName* name = person->add_names();
  name->set_script(std::string(script));
  name->set_family(std::string(family));
  name->set_given(std::string(given));
  name->set_full(std::string(full));
}

void Text(google::protobuf::RepeatedPtrField<gw::v1::LanguageText>* texts,
          absl::string_view lang, absl::string_view text) {
  gw::v1::LanguageText* t = texts->Add();
  t->set_lang(std::string(lang));
  t->set_text(std::string(text));
}

}  // namespace

std::string ReadExample(absl::string_view name) {
  return ReadFile(absl::StrCat(GW_PARTNER_EXAMPLES_DIR, "/VN-MPS/", name));
}

std::string ReadPartnerXsd() {
  return ReadFile(absl::StrCat(GW_PARTNER_EXAMPLES_DIR, "/../VN-MPS.xsd"));
}

HttpFile ParseHttp(absl::string_view bytes) {
  HttpFile out;
  const size_t end = bytes.find("\r\n\r\n");
  EXPECT_NE(end, absl::string_view::npos);
  if (end == absl::string_view::npos) return out;
  out.body = std::string(bytes.substr(end + 4));
  std::vector<std::string> lines = absl::StrSplit(bytes.substr(0, end), "\r\n");
  out.start_line = lines.front();
  for (size_t i = 1; i < lines.size(); ++i) {
    const size_t colon = lines[i].find(':');
    EXPECT_NE(colon, std::string::npos) << lines[i];
    if (colon == std::string::npos) continue;
    out.headers.emplace_back(
        absl::AsciiStrToLower(lines[i].substr(0, colon)),
        std::string(absl::StripAsciiWhitespace(lines[i].substr(colon + 1))));
  }
  return out;
}

adapters::PartnerMessage InboundRequest(absl::string_view http_bytes) {
  HttpFile file = ParseHttp(http_bytes);
  const std::vector<std::string> start = absl::StrSplit(file.start_line, ' ');
  adapters::PartnerMessage out;
  out.metadata.emplace_back(":method", start.at(0));
  out.metadata.emplace_back(":path", start.at(1));
  out.metadata.emplace_back(":target-uri",
                            absl::StrCat(kGatewayBase, start.at(1)));
  for (auto& header : file.headers) {
    if (header.first == "gw-message-id") out.message_id = header.second;
    if (header.first == "content-type") out.content_type = header.second;
    out.metadata.push_back(header);
  }
  out.bytes = std::move(file.body);
  return out;
}

adapters::PartnerAnswer ResponseAnswer(absl::string_view http_bytes) {
  HttpFile file = ParseHttp(http_bytes);
  const std::vector<std::string> start = absl::StrSplit(file.start_line, ' ');
  adapters::PartnerAnswer out;
  out.metadata.emplace_back(":status", start.at(1));
  for (auto& header : file.headers) out.metadata.push_back(header);
  out.bytes = std::move(file.body);
  return out;
}

absl::Time Utc(absl::string_view rfc3339) {
  absl::Time t;
  std::string error;
  EXPECT_TRUE(absl::ParseTime(absl::RFC3339_full, rfc3339, &t, &error))
      << error;
  return t;
}

google::protobuf::Timestamp Ts(absl::string_view rfc3339) {
  return util::ToTimestamp(Utc(rfc3339));
}

gw::v1::CaseAlert ExampleAlert() {
  gw::v1::CaseAlert alert;
  alert.set_alert_id("CNMPS-ALERT-2026-000733");
  alert.set_case_ref("CN-YN-XSBN-2026-0042");
  alert.set_kind(gw::v1::CaseAlert::MISSING_PERSON);
  alert.set_priority(gw::v1::CaseAlert::URGENT);
  alert.set_handling_code(gw::v1::CaseAlert::H2);
  alert.set_origin_agency("CN-MPS");
  alert.set_originator("yn-xsbn-inv-0107");
  alert.add_recipients("VN-MPS");
  gw::v1::Subject* subject = alert.add_subjects();
  subject->set_role(gw::v1::Subject::VICTIM);
  gw::v1::Person* person = subject->mutable_person();
  Name(person, "Latn", "Kiểm", "Thị Thử", "Kiểm Thị Thử");
  Name(person, "Latn", "Kiem", "Thi Thu", "Kiem Thi Thu");
  person->set_sex(gw::v1::Person::FEMALE);
  person->set_date_of_birth("2011-08-05");
  person->set_age_estimate(14);
  person->set_nationality("VNM");
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
  request.set_request_id("VN-MPS-RQ-2026-0017");
  request.set_case_ref("VN-MPS-CASE-2026-0088");
  request.set_requesting_agency("VN-MPS");
  request.set_receiving_agency("CN-MPS");
  gw::v1::Person* victim = request.mutable_victim();
  Name(victim, "Hani", "测试", "花", "测试花");
  Name(victim, "Latn", "CESHI", "Hua", "CESHI Hua");
  victim->set_sex(gw::v1::Person::FEMALE);
  victim->set_date_of_birth("2010-11-20");
  victim->set_age_estimate(15);
  victim->set_nationality("CHN");
  request.set_identity_verified(true);
  request.set_nationality_verified(false);
  gw::v1::IdentityDocument* travel = request.mutable_travel_document();
  travel->set_type("PASSPORT");
  travel->set_number("E00000001");
  travel->set_issuing_state("CHN");
  travel->set_expiry("2030-05-31");
  travel->add_mrz("P<CHNCESHI<<HUA<<<<<<<<<<<<<<<<<<<<<<<<<<<<<");
  travel->add_mrz("E000000019CHN1011201F3005316<<<<<<<<<<<<<<08");
  gw::v1::Guardian* guardian = request.mutable_guardian();
  guardian->set_tracing_result(gw::v1::Guardian::IN_PROGRESS);
  Text(guardian->mutable_notes(), "en",
       "Mother reported to live in Yunnan; family tracing requested from "
       "CN-MPS.");
  gw::v1::BestInterestsAssessment* bia =
      request.mutable_best_interests_assessment();
  bia->set_outcome(gw::v1::BestInterestsAssessment::RETURN);
  bia->set_completed_on("2026-03-12");
  Text(bia->mutable_summary(), "vi", "Trẻ mong muốn được trở về với gia đình.");
  Text(bia->mutable_summary(), "en",
       "The child wishes to return to her family.");
  request.mutable_proposed_handover()->set_border_point(
      "Cửa khẩu quốc tế Móng Cái – Đông Hưng");
  request.mutable_proposed_handover()->set_date("2026-04-07");
  *request.mutable_created_at() = Ts("2026-03-14T03:20:00Z");
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

Link::Link()
    : gateway_key_(gw::testing::Rfc8032Signer(1)),
      partner_key_(gw::testing::Rfc8032Signer(2)),
      gateway_verifier_(gw::testing::Rfc8032Verifier(1)),
      partner_verifier_(gw::testing::Rfc8032Verifier(2)) {}

Link::~Link() = default;

std::unique_ptr<VnMpsCodec> Link::Gateway(
    absl::Time now, VnMpsCodec::PartnerRef partner_ref) const {
  return std::make_unique<VnMpsCodec>(
      "CN-MPS", "VN-MPS", gateway_key_.get(),
      std::vector<const crypto::Verifier*>{partner_verifier_.get()},
      [now] { return now; }, std::move(partner_ref));
}

std::unique_ptr<VnMpsCodec> Link::PartnerCodec(absl::Time now) const {
  return std::make_unique<VnMpsCodec>(
      "VN-MPS", "CN-MPS", partner_key_.get(),
      std::vector<const crypto::Verifier*>{gateway_verifier_.get()},
      [now] { return now; });
}

std::unique_ptr<signed_http::HttpSignatureProfile> Link::PartnerProfile(
    absl::Time now) const {
  return std::make_unique<signed_http::HttpSignatureProfile>(
      partner_key_.get(),
      std::vector<const crypto::Verifier*>{gateway_verifier_.get()},
      [now] { return now; });
}

adapters::PartnerMessage Link::SignedRequest(
    absl::string_view path, absl::string_view body, absl::string_view id,
    absl::Time now, absl::string_view content_type) const {
  const std::string target = absl::StrCat(kGatewayBase, path);
  const std::string digest =
      signed_http::ContentDigest(std::string_view(body.data(), body.size()));
  auto signature = PartnerProfile(now)->SignRequest(
      "POST", target, digest, std::string_view(id.data(), id.size()));
  EXPECT_TRUE(signature.ok()) << signature.status();
  adapters::PartnerMessage out;
  out.message_id = std::string(id);
  out.content_type = std::string(content_type);
  out.bytes = std::string(body);
  out.metadata = {{":method", "POST"},
                  {":path", std::string(path)},
                  {":target-uri", target},
                  {"host", "gateway.mekong.example"},
                  {"content-type", std::string(content_type)},
                  {"content-length", absl::StrCat(body.size())},
                  {"content-digest", digest}};
  if (!id.empty()) out.metadata.emplace_back("gw-message-id", std::string(id));
  if (signature.ok()) {
    out.metadata.emplace_back("signature-input", signature->signature_input);
    out.metadata.emplace_back("signature", signature->signature);
  }
  return out;
}

adapters::PartnerAnswer Link::SignedResponse(int status, absl::string_view body,
                                             absl::string_view id,
                                             absl::Time now,
                                             const crypto::Signer* key) const {
  signed_http::HttpSignatureProfile profile(
      key != nullptr ? key : partner_key_.get(),
      std::vector<const crypto::Verifier*>{gateway_verifier_.get()},
      [now] { return now; });
  const std::string digest =
      signed_http::ContentDigest(std::string_view(body.data(), body.size()));
  auto signature = profile.SignResponse(status, digest,
                                        std::string_view(id.data(), id.size()));
  EXPECT_TRUE(signature.ok()) << signature.status();
  adapters::PartnerAnswer out;
  out.metadata = {{":status", absl::StrCat(status)},
                  {"content-type", "application/xml"},
                  {"content-length", absl::StrCat(body.size())},
                  {"content-digest", digest}};
  if (!id.empty()) out.metadata.emplace_back("gw-message-id", std::string(id));
  if (signature.ok()) {
    out.metadata.emplace_back("signature-input", signature->signature_input);
    out.metadata.emplace_back("signature", signature->signature);
  }
  out.bytes = std::string(body);
  return out;
}

}  // namespace gw::vn_mps::testing
