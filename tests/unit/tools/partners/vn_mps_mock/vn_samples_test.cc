// tests/unit/tools/partners/vn_mps_mock/vn_samples_test.cc
//
// MakeSample: with the examples' ids, agencies and times it writes the
// example files byte for byte; every kind validates against the XSD; the
// NFC kinds pass CheckBody from the gateway's side (sender VN-MPS), the NFD
// kinds differ only in NFC, and the invalid decision is refused exactly as
// VN-MPS.md §10 shows.
#include <memory>
#include <string>
#include <variant>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/unit/tools/partners/vn_mps_mock/vn_examples.h"
#include "tools/partners/vn_mps_mock/vn_format.h"
#include "tools/partners/vn_mps_mock/vn_writer.h"
#include "tools/partners/vn_mps_mock/vn_xml.h"

namespace gw::vn_mps_mock {
namespace {

using http_mock::Accepted;
using http_mock::Endpoint;
using http_mock::Refusal;
using testing::Example;
using testing::ReplaceOnce;
using Sample = http_mock::PartnerFormat::Sample;

class VnSamplesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<VnMpsFormat>> format = VnMpsFormat::Create();
    ASSERT_TRUE(format.ok()) << format.status();
    format_ = *std::move(format);
  }

  std::string Make(const Sample& sample, const SampleDetails& details = {}) {
    absl::StatusOr<std::string> body = format_->MakeSample(sample, details);
    EXPECT_TRUE(body.ok()) << body.status();
    return body.ok() ? *body : "";
  }

  // CheckBody as the gateway would receive the sample from VN-MPS.
  std::variant<Accepted, Refusal> AtGateway(const Sample& sample,
                                            const std::string& body) {
    Endpoint endpoint;
    for (const Endpoint& e : format_->gateway_endpoints()) {
      if (e.kind == EndpointKindOfSample(sample.kind)) endpoint = e;
    }
    EXPECT_FALSE(endpoint.path.empty()) << sample.kind;
    return format_->CheckBody(endpoint, body, sample.message_id, "VN-MPS",
                              "CN-MPS");
  }

  std::unique_ptr<VnMpsFormat> format_;
};

TEST_F(VnSamplesTest, AlertWithTheExamplesFieldsIsTheExample) {
  const Sample sample{"alert",
                      "37c8e64b-0095-5398-8717-4b2f2a27a274",
                      "CN-MPS",
                      "VN-MPS",
                      "2026-03-14T02:30:00Z",
                      "CN-YN-XSBN-2026-0042"};
  SampleDetails details;
  details.alert_id = "CNMPS-ALERT-2026-000733";
  details.originator = "yn-xsbn-inv-0107";
  EXPECT_EQ(Make(sample, details), Example("alert-outbound.xml"));
}

TEST_F(VnSamplesTest, RequestsWithTheExamplesFieldsAreTheExamples) {
  Sample sample{"repatriation_request",
                "67a082c3-13e2-5640-9cd4-7b934aec4b9e",
                "VN-MPS",
                "CN-MPS",
                "2026-03-14T03:20:00Z",
                "VN-MPS-CASE-2026-0088"};
  SampleDetails details;
  details.request_id = "VN-MPS-RQ-2026-0017";
  EXPECT_EQ(Make(sample, details), Example("repatriation-request-inbound.xml"));
  sample.kind = "repatriation_request_nfd";
  sample.message_id = "5a192048-2580-59de-985b-71faa4040609";
  sample.created_at = "2026-03-14T03:40:00Z";
  EXPECT_EQ(Make(sample, details),
            Example("repatriation-request-inbound-nfd.xml"));
}

TEST_F(VnSamplesTest, EveryKindValidatesAndTheNfcKindsPassAtTheGateway) {
  for (const char* kind : kSampleKinds) {
    const Sample sample{kind,
                        "0b5e1b8c-3a34-4c1e-9d0a-6f1f0f7e2c11",
                        "VN-MPS",
                        "CN-MPS",
                        "2026-11-28T08:00:00Z",
                        "VN-MPS-CASE-2026-0101"};
    const std::string body = Make(sample);
    absl::StatusOr<XmlDocPtr> doc = ParseVnXml(body);
    ASSERT_TRUE(doc.ok()) << kind << ": " << doc.status();
    const std::string name = kind;
    const std::optional<SchemaViolation> violation =
        format_->schema().Validate(doc->get());
    if (name == "invalid_repatriation_decision") {
      ASSERT_TRUE(violation.has_value());
      continue;
    }
    EXPECT_FALSE(violation.has_value())
        << kind << ": " << violation->location << " " << violation->detail;
    const std::variant<Accepted, Refusal> result = AtGateway(sample, body);
    if (name.size() > 4 && name.substr(name.size() - 4) == "_nfd") {
      ASSERT_TRUE(std::holds_alternative<Refusal>(result)) << kind;
      EXPECT_EQ(std::get<Refusal>(result).code, "NOT_NFC");
      // NFC is the only difference from the NFC kind.
      Sample nfc = sample;
      nfc.kind = name.substr(0, name.size() - 4);
      EXPECT_EQ(CanonicalForm(doc->get()), Make(nfc));
      continue;
    }
    ASSERT_TRUE(std::holds_alternative<Accepted>(result))
        << kind << ": " << std::get<Refusal>(result).code << " "
        << std::get<Refusal>(result).location;
    const Accepted& accepted = std::get<Accepted>(result);
    EXPECT_EQ(accepted.kind, EndpointKindOfSample(kind));
    EXPECT_EQ(accepted.case_ref, "VN-MPS-CASE-2026-0101");
    EXPECT_FALSE(accepted.business_refusal.has_value());
    EXPECT_EQ(accepted.summary["exact_serialization"], true);
    EXPECT_EQ(accepted.summary["created_at"], "2026-11-28T08:00:00Z");
  }
}

TEST_F(VnSamplesTest, TheAlertIsTurnedAround) {
  const Sample sample{"alert",
                      "0b5e1b8c-3a34-4c1e-9d0a-6f1f0f7e2c11",
                      "VN-MPS",
                      "CN-MPS",
                      "2026-11-28T08:00:00Z",
                      ""};
  const std::variant<Accepted, Refusal> result =
      AtGateway(sample, Make(sample));
  ASSERT_TRUE(std::holds_alternative<Accepted>(result));
  const nlohmann::json& s = std::get<Accepted>(result).summary;
  EXPECT_EQ(s["origin_agency"], "VN-MPS");
  EXPECT_EQ(s["recipients"], nlohmann::json::array({"CN-MPS"}));
  EXPECT_EQ(s["alert_id"], "VN-MPS-AL-0b5e1b8c-3a34-4c1e-9d0a-6f1f0f7e2c11");
  // A new case for each message, derived from its id.
  EXPECT_EQ(s["case_ref"], "VN-MPS-CASE-2026-716812");
  EXPECT_EQ(s["last_seen"]["at"], "2026-11-24T14:45:00Z");
  EXPECT_EQ(s["subjects"][0]["person"]["names"][0]["full"], "Kiểm Thị Thử");
}

TEST_F(VnSamplesTest, TheInvalidDecisionIsRefusedAsSection10Shows) {
  const Sample sample{"invalid_repatriation_decision",
                      "4bab93b1-d2cd-5102-8c88-3f4feb3f9c1b",
                      "VN-MPS",
                      "CN-MPS",
                      "2026-03-14T05:00:00Z",
                      ""};
  const std::variant<Accepted, Refusal> result =
      AtGateway(sample, Make(sample));
  ASSERT_TRUE(std::holds_alternative<Refusal>(result));
  const Refusal& refusal = std::get<Refusal>(result);
  EXPECT_EQ(refusal.code, "SCHEMA_VIOLATION");
  EXPECT_EQ(refusal.location,
            "/tip:RepatriationDecisionMessage/tip:RepatriationDecision/"
            "tip:DecisionDateTime");
  EXPECT_EQ(refusal.detail,
            "Element 'tip:DecisionDateTime': This element is not expected. "
            "Expected is ( tip:DecidingAgencyCode ).");
}

TEST_F(VnSamplesTest, RefusesUnusableSampleFields) {
  const Sample good{"alert",
                    "0b5e1b8c-3a34-4c1e-9d0a-6f1f0f7e2c11",
                    "VN-MPS",
                    "CN-MPS",
                    "2026-11-28T08:00:00Z",
                    ""};
  EXPECT_TRUE(format_->MakeSample(good).ok());
  Sample bad = good;
  bad.kind = "case_status";
  EXPECT_TRUE(absl::IsInvalidArgument(format_->MakeSample(bad).status()));
  bad = good;
  bad.message_id = "0B5E1B8C-3A34-4C1E-9D0A-6F1F0F7E2C11";
  EXPECT_TRUE(absl::IsInvalidArgument(format_->MakeSample(bad).status()));
  bad = good;
  bad.sender = "vn-mps";
  EXPECT_TRUE(absl::IsInvalidArgument(format_->MakeSample(bad).status()));
  bad = good;
  bad.created_at = "yesterday";
  EXPECT_TRUE(absl::IsInvalidArgument(format_->MakeSample(bad).status()));
  bad = good;
  bad.case_ref = "has space";
  EXPECT_TRUE(absl::IsInvalidArgument(format_->MakeSample(bad).status()));
}

}  // namespace
}  // namespace gw::vn_mps_mock
