// tests/unit/tools/partners/vn_mps_mock/vn_examples.cc
#include "tests/unit/tools/partners/vn_mps_mock/vn_examples.h"

#include "absl/strings/str_cat.h"
#include "gateway/util/file.h"
#include "gtest/gtest.h"

namespace gw::vn_mps_mock::testing {

const std::vector<std::string>& ExampleXmlNames() {
  static const auto* names = new std::vector<std::string>{
      "ack-202-inbound.xml",
      "ack-202-outbound-nfd.xml",
      "ack-202-outbound.xml",
      "alert-outbound.xml",
      "rejection-400-inbound.xml",
      "repatriation-request-inbound-nfd.xml",
      "repatriation-request-inbound.xml",
  };
  return *names;
}

std::string Example(const std::string& name) {
  absl::StatusOr<std::string> bytes =
      util::ReadFile(absl::StrCat(GW_PARTNER_EXAMPLES_DIR, "/VN-MPS/", name));
  EXPECT_TRUE(bytes.ok()) << bytes.status();
  return bytes.ok() ? *bytes : "";
}

std::string ReplaceOnce(const std::string& text, const std::string& from,
                        const std::string& to) {
  const size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << "not found: " << from;
  if (at == std::string::npos) return text;
  EXPECT_EQ(text.find(from, at + 1), std::string::npos)
      << "found twice: " << from;
  std::string out = text;
  out.replace(at, from.size(), to);
  return out;
}

std::string DecisionDocument(const std::string& decision_body) {
  return absl::StrCat(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<tip:RepatriationDecisionMessage xmlns:tip=\"urn:vn:mps:tip:1.0\">\n"
      "  <tip:MessageHeader>\n"
      "    <tip:MessageID>",
      kDecisionMessageId,
      "</tip:MessageID>\n"
      "    <tip:SenderAgencyCode>CN-MPS</tip:SenderAgencyCode>\n"
      "    <tip:RecipientAgencyCode>VN-MPS</tip:RecipientAgencyCode>\n"
      "    <tip:MessageCreatedDateTime>2026-03-14T05:00:00Z"
      "</tip:MessageCreatedDateTime>\n"
      "  </tip:MessageHeader>\n"
      "  <tip:RepatriationDecision>\n",
      decision_body,
      "  </tip:RepatriationDecision>\n"
      "</tip:RepatriationDecisionMessage>\n");
}

std::string DecisionBody() {
  return "    <tip:RequestID>VN-MPS-RQ-2026-0017</tip:RequestID>\n"
         "    <tip:CaseReference>VN-MPS-CASE-2026-0088</tip:CaseReference>\n"
         "    <tip:RepatriationStateCode>APPROVED</tip:RepatriationStateCode>\n"
         "    <tip:DecidingAgencyCode>CN-MPS</tip:DecidingAgencyCode>\n"
         "    "
         "<tip:DecisionDateTime>2026-03-14T05:00:00Z</tip:DecisionDateTime>\n"
         "    <tip:DecisionReason lang=\"en\">Identity "
         "verified.</tip:DecisionReason>\n";
}

}  // namespace gw::vn_mps_mock::testing
