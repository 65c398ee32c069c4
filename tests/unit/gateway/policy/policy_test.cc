// tests/unit/gateway/policy/policy_test.cc
#include "gateway/policy/policy.h"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gw::policy {
namespace {

using gw::v1::CaseAlert;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::SizeIs;
using Files = std::vector<std::pair<std::string, std::string>>;

constexpr char kPoliciesDir[] = GW_SOURCE_DIR "/policies";

// A small valid set: one HOME and one PARTNER agency, one rule, one route.
constexpr char kAgencies[] =
    R"pb(agencies {
           code: "CN-MPS"
           side: HOME
           roles: [ "investigator", "liaison" ]
           trust { ca_file: "CN-MPS/ca.crt" crl_file: "CN-MPS/crl.pem" }
         }
         agencies {
           code: "TH-RTP"
           side: PARTNER
           roles: [ "liaison" ]
           trust { ca_file: "TH-RTP/ca.crt" crl_file: "TH-RTP/crl.pem" }
         }
    )pb";
constexpr char kRules[] = R"pb(
  rpc_rules {
    rpc: "gw.v1.AlertService/SendAlert"
    roles: [ "investigator" ]
    agencies: [ "CN-MPS" ]
  }
  alert_routes {
    recipient: "TH-RTP"
    kinds: [ MISSING_PERSON ]
  }
)pb";

std::string Agency(const std::string& code, const std::string& side,
                   const std::string& roles, const std::string& trust) {
  return absl::StrCat("agencies { code: \"", code, "\" side: ", side,
                      " roles: [", roles, "] ", trust, " }\n");
}
std::string Trust(const std::string& code) {
  return absl::StrCat("trust { ca_file: \"", code, "/ca.crt\" crl_file: \"",
                      code, "/crl.pem\" }");
}

class RealPolicyTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto loaded = Policy::Load(kPoliciesDir);
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    policy_ = new std::shared_ptr<const Policy>(*std::move(loaded));
  }
  static void TearDownTestSuite() {
    delete policy_;
    policy_ = nullptr;
  }
  static const Policy& policy() { return **policy_; }

  static std::shared_ptr<const Policy>* policy_;
};
std::shared_ptr<const Policy>* RealPolicyTest::policy_ = nullptr;

TEST_F(RealPolicyTest, LoadsEveryAgencyRuleAndRoute) {
  const auto& set = policy().proto();
  EXPECT_EQ(set.label(), "2026-11 baseline");
  EXPECT_THAT(set.agencies(), SizeIs(7));
  EXPECT_THAT(set.rpc_rules(), Not(::testing::IsEmpty()));
  EXPECT_THAT(set.alert_routes(), SizeIs(5));  // one per partner
  for (const char* code :
       {"CN-MPS", "CN-MFA", "TH-RTP", "VN-MPS", "KH-CNP", "LA-MPS", "MM-MPF"}) {
    SCOPED_TRACE(code);
    const auto* agency = policy().FindAgency(code);
    ASSERT_NE(agency, nullptr);
    EXPECT_EQ(agency->code(), code);
  }
  EXPECT_EQ(policy().FindAgency("CN-MFA")->side(), gw::policy::v1::HOME);
  EXPECT_EQ(policy().FindAgency("TH-RTP")->side(), gw::policy::v1::PARTNER);
  EXPECT_EQ(policy().FindAgency("XX-YYY"), nullptr);
  EXPECT_EQ(policy().FindAgency("th-rtp"), nullptr);
}

TEST_F(RealPolicyTest, LimitsAsWritten) {
  EXPECT_EQ(policy().limits().max_message_bytes(), 4194304u);
  EXPECT_EQ(policy().limits().max_attachment_bytes(), 2097152u);
  EXPECT_EQ(policy().limits().max_attachments(), 8u);
  EXPECT_EQ(policy().limits().max_subjects(), 50u);
  EXPECT_EQ(policy().limits().max_recipients(), 10u);
  EXPECT_EQ(policy().limits().max_text_bytes(), 16384u);
}

TEST_F(RealPolicyTest, VersionIsLowercaseHexSha256) {
  EXPECT_THAT(policy().version(), ::testing::MatchesRegex("[0-9a-f]{64}"));
}

struct CallCase {
  std::string name;
  std::string agency;
  std::string role;
  std::string rpc;
  bool allowed;
  std::string reason;  // substring of Decision::reason
};

TEST_F(RealPolicyTest, MayCallMatrix) {
  const std::string kSend = "gw.v1.AlertService/SendAlert";
  const std::string kGet = "gw.v1.AlertService/GetAlert";
  const std::string kReview = "gw.v1.RepatriationService/Review";
  const std::string kDeliver = "gw.v1.PartnerExchange/Deliver";
  const std::string kEntries = "gw.v1.AuditService/GetEntries";
  const std::string kListDeliveries = "gw.v1.DeliveryService/ListDeliveries";
  const std::string kRetryDelivery = "gw.v1.DeliveryService/RetryDelivery";
  const std::string kCancelDelivery = "gw.v1.DeliveryService/CancelDelivery";
  const CallCase cases[] = {
      {"home investigator sends", "CN-MPS", "investigator", kSend, true,
       "allowed by rpc_rules[gw.v1.AlertService/SendAlert]"},
      {"home liaison may not send", "CN-MPS", "liaison", kSend, false,
       "denied: no rule lets role liaison call gw.v1.AlertService/SendAlert"},
      {"partner investigator may not send (CN-MPS only)", "TH-RTP",
       "investigator", kSend, false,
       "denied: rpc_rules[gw.v1.AlertService/SendAlert] does not list agency "
       "TH-RTP"},
      {"partner liaison reads", "TH-RTP", "liaison", kGet, true,
       "allowed by rpc_rules[gw.v1.AlertService/GetAlert]"},
      {"partner investigator reads", "VN-MPS", "investigator", kGet, true,
       "allowed by"},
      {"MFA reviewer reviews", "CN-MFA", "reviewer", kReview, true,
       "allowed by rpc_rules[gw.v1.RepatriationService/Review]"},
      {"MPS investigator may not review", "CN-MPS", "investigator", kReview,
       false, "no rule lets role investigator call"},
      {"partner cannot claim reviewer", "TH-RTP", "reviewer", kReview, false,
       "denied: agency TH-RTP has no role reviewer"},
      {"MFA has no investigator", "CN-MFA", "investigator", kSend, false,
       "denied: agency CN-MFA has no role investigator"},
      {"partner gateway delivers", "LA-MPS", "gateway", kDeliver, true,
       "allowed by rpc_rules[gw.v1.PartnerExchange/Deliver]"},
      {"home gateway may not deliver", "CN-MPS", "gateway", kDeliver, false,
       "does not list agency CN-MPS"},
      {"auditor reads entries", "CN-MFA", "auditor", kEntries, true,
       "allowed by"},
      {"investigator may not read entries", "CN-MPS", "investigator", kEntries,
       false, "no rule lets role investigator"},
      {"home admin lists deliveries", "CN-MPS", "admin", kListDeliveries, true,
       "allowed by rpc_rules[gw.v1.DeliveryService/ListDeliveries]"},
      {"home admin retries a delivery", "CN-MPS", "admin", kRetryDelivery, true,
       "allowed by rpc_rules[gw.v1.DeliveryService/RetryDelivery]"},
      {"home admin cancels a delivery", "CN-MPS", "admin", kCancelDelivery,
       true, "allowed by rpc_rules[gw.v1.DeliveryService/CancelDelivery]"},
      {"investigator may not cancel deliveries", "CN-MPS", "investigator",
       kCancelDelivery, false, "no rule lets role investigator call"},
      {"auditor may not list deliveries", "CN-MPS", "auditor", kListDeliveries,
       false, "no rule lets role auditor call"},
      {"partners have no admin to retry", "TH-RTP", "admin", kRetryDelivery,
       false, "denied: agency TH-RTP has no role admin"},
      {"partner investigator may not list deliveries", "TH-RTP", "investigator",
       kListDeliveries, false, "no rule lets role investigator call"},
      {"unknown agency", "XX-YYY", "investigator", kSend, false,
       "denied: agency XX-YYY is not known"},
      {"agency code is case sensitive", "cn-mps", "investigator", kSend, false,
       "is not known"},
      {"role is case sensitive", "CN-MPS", "Investigator", kSend, false,
       "has no role Investigator"},
      {"empty agency", "", "investigator", kSend, false, "is not known"},
      {"empty role", "CN-MPS", "", kSend, false, "has no role"},
      {"unknown rpc", "CN-MPS", "investigator",
       "gw.v1.AlertService/DeleteAlert", false,
       "denied: no rule for gw.v1.AlertService/DeleteAlert"},
      {"leading slash is not the rpc form", "CN-MPS", "investigator",
       "/" + kSend, false, "no rule for"},
      {"empty rpc", "CN-MPS", "investigator", "", false, "no rule for"},
  };
  for (const CallCase& c : cases) {
    SCOPED_TRACE(c.name);
    const Decision decision = policy().MayCall(c.agency, c.role, c.rpc);
    EXPECT_EQ(decision.allowed, c.allowed);
    EXPECT_THAT(decision.reason, HasSubstr(c.reason));
  }
}

TEST_F(RealPolicyTest, MayCallEscapesAndTruncatesCallerValues) {
  const Decision decision =
      policy().MayCall("X\nY", "investigator", std::string(500, 'a'));
  EXPECT_FALSE(decision.allowed);
  EXPECT_THAT(decision.reason, HasSubstr("X\\nY"));
  EXPECT_THAT(decision.reason, Not(HasSubstr("\n")));
  const Decision long_rpc =
      policy().MayCall("CN-MPS", "investigator", std::string(500, 'a'));
  EXPECT_FALSE(long_rpc.allowed);
  EXPECT_LT(long_rpc.reason.size(), 200u);
}

struct RouteCase {
  std::string name;
  std::string recipient;
  CaseAlert::Kind kind;
  bool allowed;
  std::string reason;
};

TEST_F(RealPolicyTest, MayReceiveAlertMatrix) {
  const RouteCase cases[] = {
      {"Lao link has no route intelligence", "LA-MPS",
       CaseAlert::ROUTE_INTELLIGENCE, false,
       "denied: alert_routes[LA-MPS] does not list kind ROUTE_INTELLIGENCE"},
      {"Lao link takes missing persons", "LA-MPS", CaseAlert::MISSING_PERSON,
       true, "allowed by alert_routes[LA-MPS]"},
      {"Thai police take route intelligence", "TH-RTP",
       CaseAlert::ROUTE_INTELLIGENCE, true, "allowed by alert_routes[TH-RTP]"},
      {"Myanmar takes suspects", "MM-MPF", CaseAlert::SUSPECT_WANTED, true,
       "allowed by"},
      {"home MFA has no route", "CN-MFA", CaseAlert::MISSING_PERSON, false,
       "denied: no alert_routes entry for CN-MFA"},
      {"home MPS has no route", "CN-MPS", CaseAlert::VICTIM_IDENTIFIED, false,
       "denied: no alert_routes entry for CN-MPS"},
      {"unknown recipient", "XX-YYY", CaseAlert::MISSING_PERSON, false,
       "denied: agency XX-YYY is not known"},
      {"unspecified kind", "TH-RTP", CaseAlert::KIND_UNSPECIFIED, false,
       "does not list kind KIND_UNSPECIFIED"},
      {"kind out of range", "TH-RTP", static_cast<CaseAlert::Kind>(99), false,
       "does not list kind 99"},
  };
  for (const RouteCase& c : cases) {
    SCOPED_TRACE(c.name);
    const Decision decision = policy().MayReceiveAlert(c.recipient, c.kind);
    EXPECT_EQ(decision.allowed, c.allowed);
    EXPECT_THAT(decision.reason, HasSubstr(c.reason));
  }
}

TEST(PolicyTest, SmallValidSetLoads) {
  auto policy = Policy::FromFiles(
      {{"agencies.textproto", kAgencies}, {"rules.textproto", kRules}});
  ASSERT_TRUE(policy.ok()) << policy.status();
  EXPECT_TRUE(
      (*policy)
          ->MayCall("CN-MPS", "investigator", "gw.v1.AlertService/SendAlert")
          .allowed);
  EXPECT_TRUE(
      (*policy)->MayReceiveAlert("TH-RTP", CaseAlert::MISSING_PERSON).allowed);
  EXPECT_FALSE(
      (*policy)->MayReceiveAlert("TH-RTP", CaseAlert::SUSPECT_WANTED).allowed);
}

TEST(PolicyTest, AbsentLimitsGetDefaults) {
  auto policy =
      Policy::FromFiles({{"agencies.textproto", kAgencies},
                         {"rules.textproto",
                          absl::StrCat(kRules, "limits { max_subjects: 3 }")}});
  ASSERT_TRUE(policy.ok()) << policy.status();
  const auto& limits = (*policy)->limits();
  EXPECT_EQ(limits.max_message_bytes(), 4u << 20);
  EXPECT_EQ(limits.max_attachment_bytes(), 2u << 20);
  EXPECT_EQ(limits.max_attachments(), 8u);
  EXPECT_EQ(limits.max_subjects(), 3u);
  EXPECT_EQ(limits.max_recipients(), 10u);
  EXPECT_EQ(limits.max_text_bytes(), 16384u);
}

struct BrokenCase {
  std::string name;
  Files files;
  std::string want;       // substring of the error message: file and field path
  std::string also = "";  // another substring, if any
};

// One rule per gw.v1.AlertService method named, for the investigator role.
std::string RulesFor(const std::vector<std::string>& methods) {
  std::string rules;
  for (const std::string& method : methods) {
    absl::StrAppend(&rules, "rpc_rules { rpc: \"gw.v1.AlertService/", method,
                    "\" roles: [\"investigator\"] }\n");
  }
  return rules;
}

// Each case breaks the small valid set in one way.
std::vector<BrokenCase> BrokenCases() {
  const std::string cn =
      Agency("CN-MPS", "HOME", "\"investigator\"", Trust("CN-MPS"));
  const std::string th =
      Agency("TH-RTP", "PARTNER", "\"liaison\"", Trust("TH-RTP"));
  const std::string rule =
      "rpc_rules { rpc: \"gw.v1.AlertService/SendAlert\" roles: "
      "[\"investigator\"] }\n";
  return {
      {"syntax error names file:line:col",
       {{"agencies.textproto",
         "label: \"x\"\nagencies {\n  code \"CN-MPS\"\n}\n"}},
       "agencies.textproto:3:8: Expected \":\""},
      {"syntax error in the second file",
       {{"agencies.textproto", cn}, {"rules.textproto", "\n\nrpc_rules {\n"}},
       "rules.textproto:4:1: "},
      {"unknown field",
       {{"agencies.textproto",
         "# comment\nagencies {\n  code: \"CN-MPS\"\n  colour: \"red\"\n}\n"}},
       "agencies.textproto:4:",
       "Message type \"gw.policy.v1.Agency\" has no field named \"colour\""},
      {"unknown enum value",
       {{"agencies.textproto", "agencies { side: LEFT }\n"}},
       "agencies.textproto:1:",
       "Unknown enumeration value of \"LEFT\" for field \"side\""},
      {"label twice in one file",
       {{"a.textproto", "label: \"a\"\nlabel: \"b\"\n"}},
       "a.textproto:2:"},
      {"agency code with underscore",
       {{"agencies.textproto",
         cn + Agency("TH_RTP", "PARTNER", "\"liaison\"", Trust("TH"))}},
       "agencies.textproto: agencies[1].code: \"TH_RTP\" is not an agency "
       "code (want AA-AAA, upper case)"},
      {"agency code in lower case",
       {{"agencies.textproto",
         Agency("th-rtp", "PARTNER", "\"liaison\"", Trust("TH"))}},
       "agencies.textproto: agencies[0].code: \"th-rtp\" is not an agency "
       "code"},
      {"agency code too long",
       {{"agencies.textproto",
         Agency("TH-RTPX", "PARTNER", "\"liaison\"", Trust("TH"))}},
       "agencies[0].code: \"TH-RTPX\" is not an agency code"},
      {"agency code missing",
       {{"agencies.textproto",
         "agencies { side: HOME roles: [\"x\"] " + Trust("X") + " }"}},
       "agencies.textproto: agencies[0].code: missing"},
      {"duplicate agency code",
       {{"agencies.textproto", cn + th + cn}},
       "agencies.textproto: agencies[2].code: duplicate agency code "
       "\"CN-MPS\" (first at agencies.textproto: agencies[0])"},
      {"duplicate agency code across files",
       {{"a.textproto", cn}, {"b.textproto", th + cn}},
       "b.textproto: agencies[1].code: duplicate agency code \"CN-MPS\" "
       "(first at a.textproto: agencies[0])"},
      {"agency without side",
       {{"agencies.textproto", "agencies { code: \"CN-MPS\" roles: [\"x\"] " +
                                   Trust("CN-MPS") + " }"}},
       "agencies.textproto: agencies[0].side: missing"},
      {"agency without roles",
       {{"agencies.textproto",
         cn + Agency("TH-RTP", "PARTNER", "", Trust("TH-RTP"))}},
       "agencies.textproto: agencies[1].roles: empty"},
      {"role with upper case",
       {{"agencies.textproto",
         Agency("CN-MPS", "HOME", "\"Admin\"", Trust("CN-MPS"))}},
       "agencies[0].roles[0]: \"Admin\" is not a role name"},
      {"duplicate role",
       {{"agencies.textproto",
         Agency("CN-MPS", "HOME", "\"admin\", \"admin\"", Trust("CN-MPS"))}},
       "agencies[0].roles[1]: duplicate role \"admin\""},
      {"agency without trust",
       {{"agencies.textproto",
         cn + Agency("TH-RTP", "PARTNER", "\"liaison\"", "")}},
       "agencies.textproto: agencies[1].trust: missing"},
      {"agency without ca_file",
       {{"agencies.textproto",
         Agency("CN-MPS", "HOME", "\"admin\"",
                "trust { crl_file: \"CN-MPS/crl.pem\" }")}},
       "agencies[0].trust.ca_file: missing"},
      {"agency without crl_file",
       {{"agencies.textproto", Agency("CN-MPS", "HOME", "\"admin\"",
                                      "trust { ca_file: \"CN-MPS/ca.crt\" }")}},
       "agencies[0].trust.crl_file: missing"},
      {"trust file outside the PKI directory",
       {{"agencies.textproto",
         Agency("CN-MPS", "HOME", "\"admin\"",
                "trust { ca_file: \"../etc/ca.crt\" crl_file: \"c.pem\" }")}},
       "agencies[0].trust.ca_file: \"../etc/ca.crt\" must be relative"},
      {"absolute trust file",
       {{"agencies.textproto",
         Agency("CN-MPS", "HOME", "\"admin\"",
                "trust { ca_file: \"/ca.crt\" crl_file: \"c.pem\" }")}},
       "agencies[0].trust.ca_file: \"/ca.crt\" must be relative"},
      {"unknown role in rule",
       {{"agencies.textproto", cn},
        {"rules.textproto",
         rule + "rpc_rules { rpc: \"gw.v1.AlertService/GetAlert\" roles: "
                "[\"investigator\", \"auditr\"] }"}},
       "rules.textproto: rpc_rules[1].roles[1]: \"auditr\" is not a role of "
       "any agency"},
      {"rule without roles",
       {{"agencies.textproto", cn},
        {"rules.textproto",
         "rpc_rules { rpc: \"gw.v1.AlertService/GetAlert\" }"}},
       "rules.textproto: rpc_rules[0].roles: empty"},
      {"unknown agency in rule",
       {{"agencies.textproto", cn},
        {"rules.textproto",
         "rpc_rules { rpc: \"gw.v1.AlertService/GetAlert\" roles: "
         "[\"investigator\"] agencies: [\"CN-MPS\", \"XX-YYY\"] }"}},
       "rules.textproto: rpc_rules[0].agencies[1]: \"XX-YYY\" is not a known "
       "agency"},
      {"rule agency without any of the roles",
       {{"agencies.textproto", cn + th},
        {"rules.textproto",
         "rpc_rules { rpc: \"gw.v1.AlertService/SendAlert\" roles: "
         "[\"investigator\"] agencies: [\"TH-RTP\"] }"}},
       "rules.textproto: rpc_rules[0].agencies[0]: TH-RTP holds none of the "
       "rule's roles"},
      {"unknown method",
       {{"agencies.textproto", cn},
        {"rules.textproto", RulesFor({"SendAlert", "GetAlert", "ListAlerts",
                                      "WatchDeliveries", "SendAlerts"})}},
       "rules.textproto: rpc_rules[4].rpc: gw.v1.AlertService/SendAlerts is "
       "not a gw.v1 method (gw.v1.AlertService has SendAlert, GetAlert"},
      {"unknown service",
       {{"agencies.textproto", cn},
        {"rules.textproto",
         "rpc_rules { rpc: \"gw.v1.AlertServic/SendAlert\" roles: "
         "[\"investigator\"] }"}},
       "rpc_rules[0].rpc: gw.v1.AlertServic/SendAlert is not a gw.v1 method "
       "(services: gw.v1.AlertService, gw.v1.AuditService, gw.v1.CaseService, "
       "gw.v1.DeliveryService, gw.v1.PartnerExchange, "
       "gw.v1.RepatriationService)"},
      {"service outside gw.v1",
       {{"agencies.textproto", cn},
        {"rules.textproto",
         "rpc_rules { rpc: \"grpc.health.v1.Health/Check\" roles: "
         "[\"investigator\"] }"}},
       "rpc_rules[0].rpc: grpc.health.v1.Health/Check is not a gw.v1 method"},
      {"rpc with leading slash",
       {{"agencies.textproto", cn},
        {"rules.textproto",
         "rpc_rules { rpc: \"/gw.v1.AlertService/SendAlert\" roles: "
         "[\"investigator\"] }"}},
       "rpc_rules[0].rpc: /gw.v1.AlertService/SendAlert is not a gw.v1 "
       "method (write it without the leading '/')"},
      {"rpc missing",
       {{"agencies.textproto", cn},
        {"rules.textproto", "rpc_rules { roles: [\"investigator\"] }"}},
       "rules.textproto: rpc_rules[0].rpc: missing"},
      {"duplicate rule for one rpc",
       {{"agencies.textproto", cn}, {"rules.textproto", rule + rule}},
       "rules.textproto: rpc_rules[1].rpc: duplicate rule for "
       "gw.v1.AlertService/SendAlert (first at rules.textproto: rpc_rules[0]"},
      {"route to unknown agency",
       {{"agencies.textproto", cn + th},
        {"rules.textproto",
         "alert_routes { recipient: \"XX-YYY\" kinds: [MISSING_PERSON] }"}},
       "rules.textproto: alert_routes[0].recipient: \"XX-YYY\" is not a known "
       "agency"},
      {"route to HOME agency",
       {{"agencies.textproto", cn + th},
        {"rules.textproto",
         "alert_routes { recipient: \"CN-MPS\" kinds: [MISSING_PERSON] }"}},
       "rules.textproto: alert_routes[0].recipient: CN-MPS is not a PARTNER "
       "agency"},
      {"route without kinds",
       {{"agencies.textproto", cn + th},
        {"rules.textproto", "alert_routes { recipient: \"TH-RTP\" }"}},
       "rules.textproto: alert_routes[0].kinds: empty"},
      {"route with unspecified kind",
       {{"agencies.textproto", cn + th},
        {"rules.textproto",
         "alert_routes { recipient: \"TH-RTP\" kinds: [KIND_UNSPECIFIED] }"}},
       "alert_routes[0].kinds[0]: KIND_UNSPECIFIED is not an alert kind"},
      {"route with duplicate kind",
       {{"agencies.textproto", cn + th},
        {"rules.textproto",
         "alert_routes { recipient: \"TH-RTP\" kinds: [MISSING_PERSON, "
         "MISSING_PERSON] }"}},
       "alert_routes[0].kinds[1]: duplicate kind MISSING_PERSON"},
      {"two routes for one recipient",
       {{"agencies.textproto", cn + th},
        {"rules.textproto",
         "alert_routes { recipient: \"TH-RTP\" kinds: [MISSING_PERSON] }\n"
         "alert_routes { recipient: \"TH-RTP\" kinds: [SUSPECT_WANTED] }"}},
       "rules.textproto: alert_routes[1].recipient: duplicate route for "
       "TH-RTP"},
      {"attachment larger than message",
       {{"agencies.textproto", cn},
        {"rules.textproto", "limits { max_attachment_bytes: 4194305 }"}},
       "rules.textproto: limits.max_attachment_bytes: 4194305 is larger than "
       "limits.max_message_bytes 4194304"},
      {"limits in two files",
       {{"a.textproto", "limits { max_subjects: 1 }"},
        {"b.textproto", "limits { max_recipients: 1 }"}},
       "b.textproto: limits: also set in a.textproto"},
      {"label in two files",
       {{"a.textproto", "label: \"a\""}, {"b.textproto", "label: \"b\""}},
       "b.textproto: label: also set in a.textproto"},
  };
}

TEST(PolicyTest, BrokenFilesAreRejectedWithFileAndFieldPath) {
  for (const BrokenCase& c : BrokenCases()) {
    SCOPED_TRACE(c.name);
    auto policy = Policy::FromFiles(c.files);
    ASSERT_FALSE(policy.ok());
    EXPECT_EQ(policy.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(policy.status().message()), HasSubstr(c.want));
    EXPECT_THAT(std::string(policy.status().message()), HasSubstr(c.also));
    // Each case breaks one thing, so it gets one error, not a cascade.
    EXPECT_THAT(std::vector<std::string>(absl::StrSplit(
                    std::string(policy.status().message()), '\n')),
                SizeIs(1));
  }
}

TEST(PolicyTest, EveryErrorIsReportedOnItsOwnLine) {
  const std::string cn =
      Agency("CN-MPS", "HOME", "\"investigator\"", Trust("CN-MPS"));
  auto policy = Policy::FromFiles(
      {{"agencies.textproto",
        cn + Agency("TH_RTP", "PARTNER", "\"liaison\"", Trust("TH"))},
       {"rules.textproto",
        "rpc_rules { rpc: \"gw.v1.AlertService/Nope\" roles: "
        "[\"investigator\"] }\n"
        "rpc_rules { rpc: \"gw.v1.AlertService/GetAlert\" roles: "
        "[\"ghost\"] }\n"
        "alert_routes { recipient: \"XX-YYY\" kinds: [MISSING_PERSON] }\n"}});
  ASSERT_FALSE(policy.ok());
  EXPECT_EQ(policy.status().code(), absl::StatusCode::kInvalidArgument);
  const std::vector<std::string> lines =
      absl::StrSplit(std::string(policy.status().message()), '\n');
  EXPECT_THAT(
      lines, ::testing::ElementsAre(
                 HasSubstr("agencies.textproto: agencies[1].code: \"TH_RTP\""),
                 HasSubstr("rules.textproto: rpc_rules[0].rpc: "
                           "gw.v1.AlertService/Nope is not a gw.v1 method"),
                 HasSubstr("rules.textproto: rpc_rules[1].roles[0]: \"ghost\""),
                 HasSubstr("rules.textproto: alert_routes[0].recipient: "
                           "\"XX-YYY\"")));
}

TEST(PolicyTest, SyntaxErrorsOfEveryFileAreReportedTogether) {
  auto policy =
      Policy::FromFiles({{"a.textproto", "label \"x\"\n"},
                         {"b.textproto", kAgencies},
                         {"c.textproto", "\nrpc_rules { bogus: 1 }"}});
  ASSERT_FALSE(policy.ok());
  EXPECT_EQ(policy.status().code(), absl::StatusCode::kInvalidArgument);
  const std::vector<std::string> lines =
      absl::StrSplit(std::string(policy.status().message()), '\n');
  EXPECT_THAT(lines, ::testing::ElementsAre(HasSubstr("a.textproto:1:7: "),
                                            HasSubstr("c.textproto:2:")));
}

TEST(PolicyTest, VersionPinsNamesLengthsAndBytes) {
  // sha256("a.textproto\n11\nlabel: \"x\"\n"), computed independently.
  auto one = Policy::FromFiles({{"a.textproto", "label: \"x\"\n"}});
  ASSERT_TRUE(one.ok()) << one.status();
  EXPECT_EQ((*one)->version(),
            "b8abe81d684e64fd3cd69076071746fbc7d2e9c7c99360dc615ff90026605828");
  // ... followed by "b.textproto\n0\n".
  auto two = Policy::FromFiles(
      {{"b.textproto", ""}, {"a.textproto", "label: \"x\"\n"}});
  ASSERT_TRUE(two.ok()) << two.status();
  EXPECT_EQ((*two)->version(),
            "8a9d8486e6bae64817a8a3b2e09356bd001e9414363d613f0b2b74a62a09eed1");
}

TEST(PolicyTest, VersionIsStableAndChangesWithAnyByteOrName) {
  const Files base = {{"agencies.textproto", kAgencies},
                      {"rules.textproto", kRules}};
  auto first = Policy::FromFiles(base);
  auto again = Policy::FromFiles(base);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ((*first)->version(), (*again)->version());

  Files one_byte = base;
  one_byte[1].second += " ";  // whitespace only: same policy, other bytes
  Files renamed = base;
  renamed[1].first = "routes.textproto";
  for (const Files& changed : {one_byte, renamed}) {
    auto other = Policy::FromFiles(changed);
    ASSERT_TRUE(other.ok()) << other.status();
    EXPECT_NE((*other)->version(), (*first)->version());
  }
}

class PolicyDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::path(::testing::TempDir()) /
           absl::StrCat("gw_policy_test_", info->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  void Write(const std::string& name, const std::string& content) {
    std::ofstream(dir_ / name, std::ios::binary) << content;
  }

  std::filesystem::path dir_;
};

TEST_F(PolicyDirTest, EmptyDirIsNotFound) {
  auto policy = Policy::Load(dir_.string());
  ASSERT_FALSE(policy.ok());
  EXPECT_EQ(policy.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(policy.status().message()),
              HasSubstr("no *.textproto"));
}

TEST_F(PolicyDirTest, OtherFilesAndDotFilesAreIgnored) {
  Write("README.md", "not a policy");
  Write("rules.textproto.bak", "garbage {");
  Write(".#rules.textproto", "garbage {");
  auto empty = Policy::Load(dir_.string());
  EXPECT_EQ(empty.status().code(), absl::StatusCode::kNotFound);

  Write("agencies.textproto", kAgencies);
  Write("rules.textproto", kRules);
  auto policy = Policy::Load(dir_.string());
  ASSERT_TRUE(policy.ok()) << policy.status();
  auto from_files = Policy::FromFiles(
      {{"rules.textproto", kRules}, {"agencies.textproto", kAgencies}});
  ASSERT_TRUE(from_files.ok()) << from_files.status();
  EXPECT_EQ((*policy)->version(), (*from_files)->version());
}

TEST_F(PolicyDirTest, ErrorsNameTheFileWithoutItsDirectory) {
  Write("agencies.textproto", "agencies {\n  code: 7\n");
  auto policy = Policy::Load(dir_.string());
  ASSERT_FALSE(policy.ok());
  EXPECT_EQ(policy.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(policy.status().message()),
              ::testing::StartsWith("agencies.textproto:2:"));
}

TEST(PolicyTest, MissingDirIsNotFound) {
  auto policy = Policy::Load(GW_BINARY_DIR "/no/such/policy/dir");
  EXPECT_EQ(policy.status().code(), absl::StatusCode::kNotFound);
}

TEST(PolicyTest, NoFilesIsNotFound) {
  EXPECT_EQ(Policy::FromFiles({}).status().code(), absl::StatusCode::kNotFound);
}

TEST(PolicyTest, DuplicateFileNamesAreRejected) {
  auto policy =
      Policy::FromFiles({{"a.textproto", kAgencies}, {"a.textproto", kRules}});
  EXPECT_EQ(policy.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(policy.status().message()), HasSubstr("a.textproto"));
}

TEST_F(RealPolicyTest, RealDirVersionMatchesItsFiles) {
  Files files;
  for (const auto& entry : std::filesystem::directory_iterator(kPoliciesDir)) {
    if (entry.path().extension() != ".textproto") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    files.emplace_back(entry.path().filename().string(),
                       std::string(std::istreambuf_iterator<char>(in),
                                   std::istreambuf_iterator<char>()));
  }
  ASSERT_THAT(files, Not(::testing::IsEmpty()));
  auto policy = Policy::FromFiles(files);
  ASSERT_TRUE(policy.ok()) << policy.status();
  EXPECT_EQ((*policy)->version(), policy_->get()->version());
}

}  // namespace
}  // namespace gw::policy
