// Tests of AlertService.WatchDeliveries (gateway/api/delivery_watch_reactor.h)
// as an investigator meets it: over mutual TLS, admitted by the real
// policy, the alert's deliveries as stored first, then what the delivery
// engine publishes (the test publishes in its place).
#include <memory>
#include <string>

#include "gateway/util/proto_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "gw/v1/alert.grpc.pb.h"
#include "gw/v1/delivery.grpc.pb.h"
#include "tests/support/test_client.h"
#include "tests/unit/gateway/api/in_process_gateway.h"

namespace gw::api {
namespace {

using ::testing::ElementsAre;
using ::testing::SizeIs;

// One open WatchDeliveries stream.
struct Watch {
  std::unique_ptr<gw::v1::AlertService::Stub> stub;
  grpc::ClientContext context;
  std::unique_ptr<grpc::ClientReader<gw::v1::DeliveryEvent>> reader;

  // The next event; fails the test if the stream ended.
  gw::v1::DeliveryEvent Next() {
    gw::v1::DeliveryEvent event;
    EXPECT_TRUE(reader->Read(&event)) << "the stream ended";
    return event;
  }
};

class WatchDeliveriesTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_FALSE(gateway_.address().empty()); }

  std::unique_ptr<Watch> Open(const std::string& alert_id,
                              const std::string& agency = "CN-MPS",
                              const std::string& role = "investigator",
                              const std::string& user = "investigator1") {
    auto watch = std::make_unique<Watch>();
    watch->stub =
        gw::v1::AlertService::NewStub(gateway_.ChannelAs(agency, role, user));
    watch->context.set_deadline(std::chrono::system_clock::now() +
                                std::chrono::seconds(30));
    gw::v1::WatchDeliveriesRequest request;
    request.set_alert_id(alert_id);
    watch->reader = watch->stub->WatchDeliveries(&watch->context, request);
    return watch;
  }

  // `base` moved to `state`, `seconds` after it was last updated.
  static gw::v1::DeliveryEvent Later(const std::string& alert_id,
                                     gw::v1::Delivery base,
                                     gw::v1::Delivery::State state,
                                     int seconds) {
    gw::v1::DeliveryEvent event;
    event.set_alert_id(alert_id);
    base.set_state(state);
    *base.mutable_updated_at() = util::ToTimestamp(
        util::FromTimestamp(base.updated_at()) + absl::Seconds(seconds));
    *event.mutable_delivery() = std::move(base);
    return event;
  }

  testing::InProcessGateway gateway_;
};

TEST_F(WatchDeliveriesTest, CurrentStateFirstThenEachEventInOrder) {
  const gw::v1::AlertRecord alert =
      gateway_.AddAlert("A-1", {"TH-RTP", "VN-MPS"});
  auto watch = Open("A-1");
  const gw::v1::DeliveryEvent th = watch->Next();
  const gw::v1::DeliveryEvent vn = watch->Next();
  EXPECT_EQ(th.alert_id(), "A-1");
  EXPECT_EQ(th.delivery().recipient(), "TH-RTP");
  EXPECT_EQ(th.delivery().state(), gw::v1::Delivery::QUEUED);
  EXPECT_EQ(th.delivery().message_id(), alert.deliveries(0).message_id());
  EXPECT_EQ(vn.delivery().recipient(), "VN-MPS");

  gw::v1::DeliveryEvent sent =
      Later("A-1", alert.deliveries(0), gw::v1::Delivery::SENT, 1);
  sent.mutable_delivery()->set_attempts(1);
  gw::v1::DeliveryEvent acknowledged =
      Later("A-1", sent.delivery(), gw::v1::Delivery::ACKNOWLEDGED, 1);
  acknowledged.mutable_delivery()->mutable_receipt()->set_leaf_index(12);
  gw::v1::DeliveryEvent retrying =
      Later("A-1", alert.deliveries(1), gw::v1::Delivery::RETRYING, 3);
  retrying.mutable_delivery()->set_reason("UNAVAILABLE: partner down");
  gateway_.delivery_watchers().Publish(sent);
  gateway_.delivery_watchers().Publish(retrying);
  gateway_.delivery_watchers().Publish(acknowledged);

  const gw::v1::DeliveryEvent e1 = watch->Next();
  const gw::v1::DeliveryEvent e2 = watch->Next();
  const gw::v1::DeliveryEvent e3 = watch->Next();
  EXPECT_EQ(e1.delivery().state(), gw::v1::Delivery::SENT);
  EXPECT_EQ(e1.delivery().attempts(), 1u);
  EXPECT_EQ(e2.delivery().recipient(), "VN-MPS");
  EXPECT_EQ(e2.delivery().reason(), "UNAVAILABLE: partner down");
  EXPECT_EQ(e3.delivery().state(), gw::v1::Delivery::ACKNOWLEDGED);
  EXPECT_EQ(e3.delivery().receipt().leaf_index(), 12u);
  watch->context.TryCancel();
}

TEST_F(WatchDeliveriesTest, RepeatedStaleAndForeignEventsAreNotSent) {
  const gw::v1::AlertRecord alert = gateway_.AddAlert("A-1", {"TH-RTP"});
  gateway_.AddAlert("A-2", {"TH-RTP"});
  auto watch = Open("A-1");
  EXPECT_EQ(watch->Next().delivery().state(), gw::v1::Delivery::QUEUED);

  gw::v1::DeliveryEvent repeat;
  repeat.set_alert_id("A-1");
  *repeat.mutable_delivery() = alert.deliveries(0);
  const gw::v1::DeliveryEvent stale =
      Later("A-1", alert.deliveries(0), gw::v1::Delivery::RETRYING, -5);
  gw::v1::DeliveryEvent foreign =
      Later("A-2", alert.deliveries(0), gw::v1::Delivery::FAILED, 1);
  const gw::v1::DeliveryEvent fresh =
      Later("A-1", alert.deliveries(0), gw::v1::Delivery::SENT, 1);
  gateway_.delivery_watchers().Publish(repeat);
  gateway_.delivery_watchers().Publish(stale);
  gateway_.delivery_watchers().Publish(foreign);
  gateway_.delivery_watchers().Publish(fresh);
  gateway_.delivery_watchers().Publish(fresh);

  const gw::v1::DeliveryEvent next = watch->Next();
  EXPECT_EQ(next.alert_id(), "A-1");
  EXPECT_EQ(next.delivery().state(), gw::v1::Delivery::SENT);
  // The repeat of `fresh` is dropped: the next event is the one after it.
  const gw::v1::DeliveryEvent after =
      Later("A-1", fresh.delivery(), gw::v1::Delivery::ACKNOWLEDGED, 1);
  gateway_.delivery_watchers().Publish(after);
  EXPECT_EQ(watch->Next().delivery().state(), gw::v1::Delivery::ACKNOWLEDGED);
  watch->context.TryCancel();
}

TEST_F(WatchDeliveriesTest, OperatorCancelReachesTheWatcher) {
  const gw::v1::AlertRecord alert = gateway_.AddAlert("A-1", {"TH-RTP"});
  auto watch = Open("A-1");
  EXPECT_EQ(watch->Next().delivery().state(), gw::v1::Delivery::QUEUED);
  auto admin = gw::v1::DeliveryService::NewStub(
      gateway_.ChannelAs("CN-MPS", "admin", "admin1"));
  gw::v1::CancelDeliveryRequest cancel;
  cancel.set_message_id(alert.deliveries(0).message_id());
  cancel.set_reason("delivered by liaison officer");
  gw::v1::DeliveryRecord record;
  auto context = gw::testing::CallContext();
  ASSERT_TRUE(admin->CancelDelivery(context.get(), cancel, &record).ok());
  const gw::v1::DeliveryEvent event = watch->Next();
  EXPECT_EQ(event.delivery().state(), gw::v1::Delivery::CANCELLED);
  EXPECT_EQ(event.delivery().reason(), "delivered by liaison officer");
  watch->context.TryCancel();
}

TEST_F(WatchDeliveriesTest, UnknownAlertIsNotFoundAndAudited) {
  auto watch = Open("NO-SUCH-ALERT");
  gw::v1::DeliveryEvent event;
  EXPECT_FALSE(watch->reader->Read(&event));
  const grpc::Status status = watch->reader->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(status.error_message(), "alert_id: no such alert");
  const auto entries = gateway_.AuditEntries("AlertService.WatchDeliveries");
  ASSERT_THAT(entries, SizeIs(1));
  EXPECT_EQ(entries[0].decision(), "DENY");
  EXPECT_EQ(entries[0].outcome(), "NOT_FOUND");
  EXPECT_THAT(entries[0].object_ids(), ElementsAre("alert:NO-SUCH-ALERT"));
}

// CN-MPS may read an alert a partner sent it, but only the sender watches
// its deliveries; the refusal must not tell that the alert exists.
TEST_F(WatchDeliveriesTest, RecipientIsAnsweredAsIfTheAlertDidNotExist) {
  gateway_.AddInboundAlert("TH-1", "TH-RTP");
  auto watch = Open("TH-1");
  gw::v1::DeliveryEvent event;
  EXPECT_FALSE(watch->reader->Read(&event));
  const grpc::Status status = watch->reader->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(status.error_message(), "alert_id: no such alert");
  EXPECT_THAT(gateway_.AuditEntries("AlertService.WatchDeliveries"), SizeIs(1));
}

TEST_F(WatchDeliveriesTest, OtherRolesAreRefusedByPolicyAndAudited) {
  gateway_.AddAlert("A-1", {"TH-RTP"});
  auto watch = Open("A-1", "TH-RTP", "liaison", "liaison1");
  gw::v1::DeliveryEvent event;
  EXPECT_FALSE(watch->reader->Read(&event));
  EXPECT_EQ(watch->reader->Finish().error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  const auto entries = gateway_.AuditEntries("AlertService.WatchDeliveries");
  ASSERT_THAT(entries, SizeIs(1));
  EXPECT_EQ(entries[0].actor_agency(), "TH-RTP");
  EXPECT_EQ(entries[0].outcome(), "PERMISSION_DENIED");
}

TEST_F(WatchDeliveriesTest, CallerCancelEndsTheStream) {
  const gw::v1::AlertRecord alert = gateway_.AddAlert("A-1", {"TH-RTP"});
  auto watch = Open("A-1");
  watch->Next();
  watch->context.TryCancel();
  gw::v1::DeliveryEvent event;
  while (watch->reader->Read(&event)) {
  }
  EXPECT_EQ(watch->reader->Finish().error_code(), grpc::StatusCode::CANCELLED);
  // Events after the caller left go nowhere (and harm nothing).
  gateway_.delivery_watchers().Publish(
      Later("A-1", alert.deliveries(0), gw::v1::Delivery::SENT, 1));
}

TEST_F(WatchDeliveriesTest, ServerShutdownEndsTheStream) {
  gateway_.AddAlert("A-1", {"TH-RTP"});
  auto watch = Open("A-1");
  watch->Next();
  gateway_.Shutdown(absl::Milliseconds(200));
  gw::v1::DeliveryEvent event;
  EXPECT_FALSE(watch->reader->Read(&event));
  EXPECT_FALSE(watch->reader->Finish().ok());
}

}  // namespace
}  // namespace gw::api
