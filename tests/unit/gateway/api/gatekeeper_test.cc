// Tests of AuditActionOf (gateway/api/gatekeeper.h): the audit action name
// of an RPC.
#include "gateway/api/gatekeeper.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace gw::api {
namespace {

TEST(AuditActionOfTest, ServiceDotMethod) {
  struct Case {
    std::string rpc;
    std::string want;
  };
  const std::vector<Case> cases = {
      {"gw.v1.AlertService/SendAlert", "AlertService.SendAlert"},
      {"gw.v1.AlertService/GetAlert", "AlertService.GetAlert"},
      {"gw.v1.CaseService/UpdateCaseStatus", "CaseService.UpdateCaseStatus"},
      {"gw.v1.CaseService/WatchCase", "CaseService.WatchCase"},
      {"gw.v1.AuditService/GetEntries", "AuditService.GetEntries"},
      {"gw.v1.PartnerExchange/Deliver", "PartnerExchange.Deliver"},
      // Not a gw.v1 method: kept as given, never guessed at.
      {"grpc.health.v1.Health/Check", "grpc.health.v1.Health/Check"},
      {"gw.v2.AlertService/SendAlert", "gw.v2.AlertService/SendAlert"},
      {"", ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.rpc);
    EXPECT_EQ(AuditActionOf(c.rpc), c.want);
  }
}

}  // namespace
}  // namespace gw::api
