// Tests of DeliveryService (gateway/api/delivery_service.h) as an operator
// meets it: over mutual TLS, admitted by the real policy, on a FakeStore,
// with the delivery engine replaced by a recording fake.
#include "gateway/api/delivery_service.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "gw/v1/delivery.grpc.pb.h"
#include "tests/support/test_client.h"
#include "tests/unit/gateway/api/in_process_gateway.h"

namespace gw::api {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;
using ::testing::StartsWith;

constexpr char kUuid[] = "0b6f1c9e-4f1a-4c39-9a43-6f0e2f4b8d11";

class DeliveryServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(gateway_.address().empty());
    admin_ = gw::v1::DeliveryService::NewStub(
        gateway_.ChannelAs("CN-MPS", "admin", "admin1"));
  }

  grpc::Status List(const gw::v1::ListDeliveriesRequest& request,
                    gw::v1::ListDeliveriesResponse* response) {
    auto context = gw::testing::CallContext();
    return admin_->ListDeliveries(context.get(), request, response);
  }

  grpc::Status Retry(const std::string& message_id,
                     gw::v1::DeliveryRecord* record) {
    gw::v1::RetryDeliveryRequest request;
    request.set_message_id(message_id);
    auto context = gw::testing::CallContext();
    return admin_->RetryDelivery(context.get(), request, record);
  }

  grpc::Status Cancel(const std::string& message_id, const std::string& reason,
                      gw::v1::DeliveryRecord* record) {
    gw::v1::CancelDeliveryRequest request;
    request.set_message_id(message_id);
    request.set_reason(reason);
    auto context = gw::testing::CallContext();
    return admin_->CancelDelivery(context.get(), request, record);
  }

  testing::InProcessGateway gateway_;
  std::unique_ptr<gw::v1::DeliveryService::Stub> admin_;
};

TEST_F(DeliveryServiceTest, ListsEveryDeliveryWithItsAlert) {
  const gw::v1::AlertRecord a1 = gateway_.AddAlert("A-1", {"TH-RTP", "VN-MPS"});
  gateway_.AddAlert("A-2", {"TH-RTP"});
  gw::v1::ListDeliveriesResponse response;
  ASSERT_TRUE(List({}, &response).ok());
  ASSERT_THAT(response.deliveries(), SizeIs(3));
  EXPECT_TRUE(response.next_page_token().empty());
  const gw::v1::DeliveryRecord& first = response.deliveries(0);
  EXPECT_EQ(first.alert_id(), "A-1");
  EXPECT_EQ(first.case_ref(), "CASE-A-1");
  EXPECT_EQ(first.origin_agency(), "CN-MPS");
  EXPECT_EQ(first.priority(), gw::v1::CaseAlert::URGENT);
  EXPECT_EQ(first.delivery().recipient(), "TH-RTP");
  EXPECT_EQ(first.delivery().state(), gw::v1::Delivery::QUEUED);
  EXPECT_EQ(first.delivery().message_id(), a1.deliveries(0).message_id());
  EXPECT_EQ(response.deliveries(2).alert_id(), "A-2");
}

TEST_F(DeliveryServiceTest, FiltersByRecipientAlertAndState) {
  const gw::v1::AlertRecord a1 = gateway_.AddAlert("A-1", {"TH-RTP", "VN-MPS"});
  gateway_.AddAlert("A-2", {"TH-RTP"});
  gw::v1::DeliveryRecord cancelled;
  ASSERT_TRUE(
      Cancel(a1.deliveries(1).message_id(), "sent by fax", &cancelled).ok());

  gw::v1::ListDeliveriesRequest to_th;
  to_th.set_recipient("TH-RTP");
  gw::v1::ListDeliveriesResponse response;
  ASSERT_TRUE(List(to_th, &response).ok());
  EXPECT_THAT(response.deliveries(), SizeIs(2));

  gw::v1::ListDeliveriesRequest of_a2;
  of_a2.set_alert_id("A-2");
  response.Clear();
  ASSERT_TRUE(List(of_a2, &response).ok());
  ASSERT_THAT(response.deliveries(), SizeIs(1));
  EXPECT_EQ(response.deliveries(0).alert_id(), "A-2");

  gw::v1::ListDeliveriesRequest stopped;
  stopped.add_states(gw::v1::Delivery::CANCELLED);
  stopped.add_states(gw::v1::Delivery::FAILED);
  response.Clear();
  ASSERT_TRUE(List(stopped, &response).ok());
  ASSERT_THAT(response.deliveries(), SizeIs(1));
  EXPECT_EQ(response.deliveries(0).delivery().recipient(), "VN-MPS");
  EXPECT_EQ(response.deliveries(0).delivery().reason(), "sent by fax");
}

TEST_F(DeliveryServiceTest, PagesFollowTheToken) {
  gateway_.AddAlert("A-1", {"TH-RTP", "VN-MPS", "LA-MPS"});
  gw::v1::ListDeliveriesRequest request;
  request.set_page_size(2);
  gw::v1::ListDeliveriesResponse first;
  ASSERT_TRUE(List(request, &first).ok());
  ASSERT_THAT(first.deliveries(), SizeIs(2));
  ASSERT_FALSE(first.next_page_token().empty());
  request.set_page_token(first.next_page_token());
  gw::v1::ListDeliveriesResponse second;
  ASSERT_TRUE(List(request, &second).ok());
  ASSERT_THAT(second.deliveries(), SizeIs(1));
  EXPECT_EQ(second.deliveries(0).delivery().recipient(), "LA-MPS");
  EXPECT_TRUE(second.next_page_token().empty());
}

TEST_F(DeliveryServiceTest, BadListRequestsNameTheFieldAndAreAudited) {
  struct Case {
    std::string name;
    gw::v1::ListDeliveriesRequest request;
    std::string want;
  };
  std::vector<Case> cases(4);
  cases[0].name = "page size over 1000";
  cases[0].request.set_page_size(1001);
  cases[0].want = "page_size: ";
  cases[1].name = "negative page size";
  cases[1].request.set_page_size(-1);
  cases[1].want = "page_size: ";
  cases[2].name = "unspecified state";
  cases[2].request.add_states(gw::v1::Delivery::QUEUED);
  cases[2].request.add_states(gw::v1::Delivery::STATE_UNSPECIFIED);
  cases[2].want = "states[1]: ";
  cases[3].name = "foreign page token";
  cases[3].request.set_page_token("not-a-token");
  cases[3].want = "page_token: ";
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    gw::v1::ListDeliveriesResponse response;
    const grpc::Status status = List(c.request, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(status.error_message(), StartsWith(c.want));
  }
  const auto refusals = gateway_.AuditEntries("DeliveryService.ListDeliveries");
  ASSERT_THAT(refusals, SizeIs(cases.size()));
  for (const gw::v1::AuditEntry& entry : refusals) {
    EXPECT_EQ(entry.decision(), "DENY");
    EXPECT_EQ(entry.outcome(), "INVALID_ARGUMENT");
    EXPECT_EQ(entry.actor_user(), "admin1");
  }
}

TEST_F(DeliveryServiceTest, PageSizeOneThousandIsAllowed) {
  gateway_.AddAlert("A-1", {"TH-RTP"});
  gw::v1::ListDeliveriesRequest request;
  request.set_page_size(1000);
  gw::v1::ListDeliveriesResponse response;
  ASSERT_TRUE(List(request, &response).ok());
  EXPECT_THAT(response.deliveries(), SizeIs(1));
}

TEST_F(DeliveryServiceTest, OnlyHomeAdminsMayCallAndRefusalsAreAudited) {
  gateway_.AddAlert("A-1", {"TH-RTP"});
  struct Caller {
    std::string agency, role, user;
  };
  const std::vector<Caller> callers = {
      {"CN-MPS", "investigator", "investigator1"},
      {"CN-MPS", "auditor", "auditor1"},
      {"TH-RTP", "liaison", "liaison1"},
  };
  for (const Caller& who : callers) {
    SCOPED_TRACE(who.agency + "/" + who.role);
    auto stub = gw::v1::DeliveryService::NewStub(
        gateway_.ChannelAs(who.agency, who.role, who.user));
    gw::v1::ListDeliveriesResponse list;
    auto context = gw::testing::CallContext();
    EXPECT_EQ(stub->ListDeliveries(context.get(), {}, &list).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
    EXPECT_THAT(list.deliveries(), IsEmpty());
    gw::v1::CancelDeliveryRequest cancel;
    cancel.set_message_id(kUuid);
    cancel.set_reason("no");
    gw::v1::DeliveryRecord record;
    auto cancel_context = gw::testing::CallContext();
    EXPECT_EQ(stub->CancelDelivery(cancel_context.get(), cancel, &record)
                  .error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
  }
  EXPECT_THAT(gateway_.operations().calls(), IsEmpty());
  EXPECT_THAT(gateway_.AuditEntries("DeliveryService.ListDeliveries"),
              SizeIs(callers.size()));
  const auto cancels = gateway_.AuditEntries("DeliveryService.CancelDelivery");
  ASSERT_THAT(cancels, SizeIs(callers.size()));
  EXPECT_EQ(cancels[0].actor_role(), "investigator");
  EXPECT_EQ(cancels[0].outcome(), "PERMISSION_DENIED");
}

TEST_F(DeliveryServiceTest, RetryHandsTheCallerAndIdToTheEngine) {
  const gw::v1::AlertRecord a1 = gateway_.AddAlert("A-1", {"TH-RTP"});
  const std::string id = a1.deliveries(0).message_id();
  gw::v1::DeliveryRecord record;
  const grpc::Status status = Retry(id, &record);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(record.alert_id(), "A-1");
  EXPECT_EQ(record.delivery().message_id(), id);
  const auto calls = gateway_.operations().calls();
  ASSERT_THAT(calls, SizeIs(1));
  EXPECT_EQ(calls[0].action, "retry");
  EXPECT_EQ(calls[0].actor, "CN-MPS/admin/admin1");
  EXPECT_EQ(calls[0].message_id, id);
}

TEST_F(DeliveryServiceTest, MessageIdMustBeALowercaseUuid) {
  for (const std::string bad :
       {"", "0B6F1C9E-4F1A-4C39-9A43-6F0E2F4B8D11",
        "0b6f1c9e4f1a4c399a436f0e2f4b8d11",
        "0b6f1c9e-4f1a-4c39-9a43-6f0e2f4b8d1",
        "0b6f1c9e-4f1a-4c39-9a43-6f0e2f4b8d111",
        "{0b6f1c9e-4f1a-4c39-9a43-6f0e2f4b8d}",
        "0b6f1c9e_4f1a_4c39_9a43_6f0e2f4b8d11", "msg-TH-RTP"}) {
    SCOPED_TRACE(bad);
    gw::v1::DeliveryRecord record;
    const grpc::Status retry = Retry(bad, &record);
    EXPECT_EQ(retry.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(retry.error_message(), StartsWith("message_id: "));
    const grpc::Status cancel = Cancel(bad, "duplicate", &record);
    EXPECT_EQ(cancel.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(cancel.error_message(), StartsWith("message_id: "));
  }
  EXPECT_THAT(gateway_.operations().calls(), IsEmpty());
  const auto refusals = gateway_.AuditEntries("DeliveryService.RetryDelivery");
  ASSERT_THAT(refusals, SizeIs(8));
  EXPECT_EQ(refusals[0].outcome(), "INVALID_ARGUMENT");
}

TEST_F(DeliveryServiceTest, CancelNeedsAPlainReasonOfAtMost500Bytes) {
  const gw::v1::AlertRecord a1 = gateway_.AddAlert("A-1", {"TH-RTP"});
  const std::string id = a1.deliveries(0).message_id();
  const std::vector<std::string> bad = {"",
                                        "   ",
                                        std::string(501, 'x'),
                                        "line one\nline two",
                                        "tab\there",
                                        std::string("nul\0byte", 8),
                                        "del\x7f",
                                        "c1 \xc2\x85 next line"};
  for (const std::string& reason : bad) {
    SCOPED_TRACE(reason.size());
    gw::v1::DeliveryRecord record;
    const grpc::Status status = Cancel(id, reason, &record);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(status.error_message(), StartsWith("reason: "));
    // The refusal never repeats what the operator wrote.
    if (reason.size() > 4) {
      EXPECT_THAT(status.error_message(), ::testing::Not(HasSubstr(reason)));
    }
  }
  EXPECT_THAT(gateway_.operations().calls(), IsEmpty());

  const std::string longest(500, 'x');
  gw::v1::DeliveryRecord record;
  const grpc::Status ok = Cancel(id, longest, &record);
  ASSERT_TRUE(ok.ok()) << ok.error_message();
  EXPECT_EQ(record.delivery().state(), gw::v1::Delivery::CANCELLED);
  const auto calls = gateway_.operations().calls();
  ASSERT_THAT(calls, SizeIs(1));
  EXPECT_EQ(calls[0].action, "cancel");
  EXPECT_EQ(calls[0].reason, longest);
}

TEST_F(DeliveryServiceTest, CancelAcceptsUnicodeReasons) {
  const gw::v1::AlertRecord a1 = gateway_.AddAlert("A-1", {"TH-RTP"});
  gw::v1::DeliveryRecord record;
  const grpc::Status status =
      Cancel(a1.deliveries(0).message_id(), "已通过传真发送 — ส่งแล้ว", &record);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(record.delivery().reason(), "已通过传真发送 — ส่งแล้ว");
}

TEST_F(DeliveryServiceTest, EngineRefusalsReachTheCallerAndAreAudited) {
  gateway_.operations().fail_with(absl::FailedPreconditionError(
      "message_id: the delivery is acknowledged, which is final"));
  gw::v1::DeliveryRecord record;
  const grpc::Status status = Retry(kUuid, &record);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(status.error_message(), HasSubstr("acknowledged"));
  const auto entries = gateway_.AuditEntries("DeliveryService.RetryDelivery");
  ASSERT_THAT(entries, SizeIs(1));
  EXPECT_EQ(entries[0].decision(), "DENY");
  EXPECT_EQ(entries[0].outcome(), "FAILED_PRECONDITION");
  EXPECT_THAT(entries[0].object_ids(),
              ElementsAre(std::string("message:") + kUuid));

  gateway_.operations().fail_with(
      absl::NotFoundError("message_id: no delivery has this id"));
  const grpc::Status missing = Cancel(kUuid, "duplicate", &record);
  EXPECT_EQ(missing.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(gateway_.AuditEntries("DeliveryService.CancelDelivery"),
              SizeIs(1));
}

TEST(DeliveryRequestChecksTest, MessageIdAndReason) {
  EXPECT_TRUE(CheckMessageId(kUuid).ok());
  EXPECT_TRUE(CheckMessageId("00000000-0000-0000-0000-000000000000").ok());
  EXPECT_FALSE(CheckMessageId("0b6f1c9e-4f1a-4c39-9a43-6f0e2f4b8d1g").ok());
  EXPECT_TRUE(CheckCancelReason("Sent by other channel").ok());
  EXPECT_TRUE(CheckCancelReason(std::string(500, 'r')).ok());
  EXPECT_FALSE(CheckCancelReason(std::string(501, 'r')).ok());
  // Multi-byte UTF-8 is text, not control characters.
  EXPECT_TRUE(CheckCancelReason("café ¢ ย").ok());
}

}  // namespace
}  // namespace gw::api
