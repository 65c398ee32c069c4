// tests/unit/tools/gwctl/delivery_commands_test.cc
//
// gwctl's delivery commands (delivery list|retry|cancel, watch-deliveries):
// their output formats, and end to end against an in-process fake gateway
// (real mutual TLS with test_pki's certificates, fake DeliveryService and
// AlertService that record what they receive and answer canned values).
#include <algorithm>
#include <chrono>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"
#include "gw/v1/alert.grpc.pb.h"
#include "gw/v1/delivery.grpc.pb.h"
#include "test_pki.h"
#include "tests/unit/tools/gwctl/command_usage_cases.h"
#include "tools/gwctl/delivery_output.h"
#include "tools/gwctl/exit_code.h"
#include "tools/gwctl/gwctl.h"

namespace gw::gwctl {
namespace {

using usage_test::GwctlHelpTest;
using usage_test::GwctlUsageTest;
using usage_test::HelpCase;
using usage_test::UsageCase;

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::SizeIs;
using ::testing::StartsWith;

const absl::TimeZone kBeijing = absl::FixedTimeZone(8 * 3600);
// 2026-11-28 09:15:02 UTC = 17:15:02 in Beijing.
constexpr int64_t kT0 = 1795857302;
constexpr char kIdTh[] = "7a630138-e7dc-4b5f-b065-0cfd0ac15e7c";
constexpr char kIdVn[] = "0b6f1c9e-4f1a-4c39-9a43-6f0e2f4b8d11";
constexpr char kIdNew[] = "3c1f2a7e-9d0b-4e55-8a61-2b7c9e0d4f12";

gw::v1::Delivery MakeDelivery(const std::string& recipient,
                              gw::v1::Delivery::State state,
                              const std::string& message_id, int64_t at) {
  gw::v1::Delivery d;
  d.set_recipient(recipient);
  d.set_state(state);
  d.set_message_id(message_id);
  d.mutable_updated_at()->set_seconds(at);
  return d;
}

gw::v1::DeliveryEvent MakeEvent(const gw::v1::Delivery& delivery) {
  gw::v1::DeliveryEvent event;
  event.set_alert_id("A-1");
  *event.mutable_delivery() = delivery;
  return event;
}

// --- formats ---------------------------------------------------------------

TEST(DeliveryOutputTest, WatchLineForEachState) {
  gw::v1::Delivery queued =
      MakeDelivery("TH-RTP", gw::v1::Delivery::QUEUED, kIdTh, kT0);
  EXPECT_EQ(
      FormatDeliveryEventLine(MakeEvent(queued), kBeijing),
      absl::StrCat("17:15:02  TH-RTP  queued        message ", kIdTh, "\n"));

  gw::v1::Delivery sent = queued;
  sent.set_state(gw::v1::Delivery::SENT);
  sent.set_attempts(2);
  EXPECT_EQ(FormatDeliveryEventLine(MakeEvent(sent), kBeijing),
            absl::StrCat("17:15:02  TH-RTP  sent          attempt 2, message ",
                         kIdTh, "\n"));

  gw::v1::Delivery acked = queued;
  acked.set_state(gw::v1::Delivery::ACKNOWLEDGED);
  acked.mutable_receipt()->set_leaf_index(12);
  EXPECT_EQ(FormatDeliveryEventLine(MakeEvent(acked), kBeijing),
            "17:15:02  TH-RTP  acknowledged  receipt leaf 12\n");
  acked.mutable_receipt()->add_warnings()->set_code("ZAWGYI_CONVERTED");
  EXPECT_THAT(FormatDeliveryEventLine(MakeEvent(acked), kBeijing),
              HasSubstr("receipt leaf 12 (warnings: ZAWGYI_CONVERTED)"));

  gw::v1::Delivery retrying =
      MakeDelivery("VN-MPS", gw::v1::Delivery::RETRYING, kIdVn, kT0);
  retrying.set_attempts(1);
  retrying.set_reason("UNAVAILABLE: connection refused");
  retrying.mutable_next_attempt_at()->set_seconds(kT0 + 58);
  EXPECT_EQ(FormatDeliveryEventLine(MakeEvent(retrying), kBeijing),
            "17:15:02  VN-MPS  retrying      attempt 1 failed: UNAVAILABLE: "
            "connection refused; next attempt 17:16:00\n");

  gw::v1::Delivery failed = retrying;
  failed.set_state(gw::v1::Delivery::FAILED);
  failed.set_attempts(8);
  failed.set_reason("refused by the partner");
  EXPECT_EQ(FormatDeliveryEventLine(MakeEvent(failed), kBeijing),
            "17:15:02  VN-MPS  failed        after 8 attempts: refused by the "
            "partner\n");

  gw::v1::Delivery cancelled = failed;
  cancelled.set_state(gw::v1::Delivery::CANCELLED);
  cancelled.set_reason("sent by fax");
  EXPECT_EQ(FormatDeliveryEventLine(MakeEvent(cancelled), kBeijing),
            "17:15:02  VN-MPS  cancelled     sent by fax\n");
}

TEST(DeliveryOutputTest, WatchLineIsTotal) {
  EXPECT_EQ(FormatDeliveryEventLine(gw::v1::DeliveryEvent(), kBeijing),
            "--:--:--  -       unspecified\n");
}

TEST(DeliveryOutputTest, TableHasOneRowPerDeliveryWithLocalNextAttempt) {
  google::protobuf::RepeatedPtrField<gw::v1::DeliveryRecord> records;
  gw::v1::DeliveryRecord* retrying = records.Add();
  retrying->set_alert_id("A-1");
  *retrying->mutable_delivery() =
      MakeDelivery("VN-MPS", gw::v1::Delivery::RETRYING, kIdVn, kT0);
  retrying->mutable_delivery()->set_attempts(3);
  retrying->mutable_delivery()->mutable_next_attempt_at()->set_seconds(kT0 +
                                                                       60);
  retrying->mutable_delivery()->set_reason("DEADLINE_EXCEEDED");
  gw::v1::DeliveryRecord* acked = records.Add();
  acked->set_alert_id("A-2");
  *acked->mutable_delivery() =
      MakeDelivery("TH-RTP", gw::v1::Delivery::ACKNOWLEDGED, kIdTh, kT0);
  acked->mutable_delivery()->set_attempts(1);

  const std::string table = FormatDeliveryTable(records, kBeijing);
  const std::vector<std::string> lines = absl::StrSplit(table, '\n');
  ASSERT_THAT(lines, SizeIs(4));  // header, 2 rows, "" after the last '\n'
  EXPECT_THAT(lines[0], StartsWith("MESSAGE ID"));
  EXPECT_THAT(lines[0], HasSubstr("NEXT ATTEMPT (LOCAL)"));
  EXPECT_THAT(lines[1], StartsWith(kIdVn));
  EXPECT_THAT(lines[1], HasSubstr("A-1"));
  EXPECT_THAT(lines[1], HasSubstr("retrying"));
  EXPECT_THAT(lines[1], HasSubstr("2026-11-28 17:16:02"));
  EXPECT_THAT(lines[1], HasSubstr("DEADLINE_EXCEEDED"));
  EXPECT_THAT(lines[2], HasSubstr("acknowledged"));
  // No next attempt, no reason (trailing spaces are trimmed).
  EXPECT_THAT(lines[2], ::testing::EndsWith("  -"));

  EXPECT_EQ(FormatDeliveryTable({}, kBeijing), "No deliveries.\n");
}

TEST(DeliveryOutputTest, StatesParseCaseInsensitivelyCommaSeparated) {
  auto states = ParseDeliveryStates("queued,RETRYING, Failed");
  ASSERT_TRUE(states.ok()) << states.status();
  EXPECT_THAT(*states,
              ElementsAre(gw::v1::Delivery::QUEUED, gw::v1::Delivery::RETRYING,
                          gw::v1::Delivery::FAILED));
  for (const char* bad :
       {"", ",", "done", "queued,lost", "state_unspecified", "3"}) {
    SCOPED_TRACE(bad);
    auto refused = ParseDeliveryStates(bad);
    ASSERT_FALSE(refused.ok());
    EXPECT_THAT(refused.status().message(), HasSubstr("--state"));
    EXPECT_THAT(refused.status().message(),
                HasSubstr("queued, sent, acknowledged, retrying, failed, "
                          "cancelled"));
  }
}

TEST(DeliveryOutputTest, ProgressIsFinalOnlyWhenEveryRecipientIsFinal) {
  google::protobuf::RepeatedPtrField<gw::v1::Delivery> deliveries;
  // As GetAlert told it: already final, but not yet seen on the stream.
  *deliveries.Add() =
      MakeDelivery("TH-RTP", gw::v1::Delivery::ACKNOWLEDGED, kIdTh, kT0);
  *deliveries.Add() =
      MakeDelivery("VN-MPS", gw::v1::Delivery::QUEUED, kIdVn, kT0);
  DeliveryProgress progress(deliveries);
  EXPECT_FALSE(progress.AllFinal());
  progress.Apply(MakeEvent(
      MakeDelivery("TH-RTP", gw::v1::Delivery::ACKNOWLEDGED, kIdTh, kT0)));
  EXPECT_FALSE(progress.AllFinal());
  progress.Apply(
      MakeEvent(MakeDelivery("VN-MPS", gw::v1::Delivery::FAILED, kIdVn, kT0)));
  EXPECT_TRUE(progress.AllFinal());
  // A dead letter re-queued by an operator is no longer final.
  progress.Apply(MakeEvent(
      MakeDelivery("VN-MPS", gw::v1::Delivery::QUEUED, kIdNew, kT0 + 9)));
  EXPECT_FALSE(progress.AllFinal());
  progress.Apply(MakeEvent(
      MakeDelivery("VN-MPS", gw::v1::Delivery::CANCELLED, kIdNew, kT0 + 9)));
  EXPECT_TRUE(progress.AllFinal());

  EXPECT_FALSE(DeliveryProgress({}).AllFinal());
  EXPECT_TRUE(DeliveryProgress({}).empty());
}

// --- end to end ------------------------------------------------------------

// The CN of the TLS peer, as the fake gateway sees it.
std::string PeerCommonName(const grpc::ServerContext& context) {
  auto values = context.auth_context()->FindPropertyValues("x509_common_name");
  return values.empty() ? "" : std::string(values[0].data(), values[0].size());
}

class FakeDeliveryService final : public gw::v1::DeliveryService::Service {
 public:
  // Two pages: "" -> "d2" -> end.
  grpc::Status ListDeliveries(
      grpc::ServerContext* context,
      const gw::v1::ListDeliveriesRequest* request,
      gw::v1::ListDeliveriesResponse* response) override {
    std::lock_guard<std::mutex> lock(mu_);
    peers_.push_back(PeerCommonName(*context));
    list_requests_.push_back(*request);
    gw::v1::DeliveryRecord* record = response->add_deliveries();
    record->set_alert_id("A-1");
    if (request->page_token().empty()) {
      *record->mutable_delivery() =
          MakeDelivery("TH-RTP", gw::v1::Delivery::RETRYING, kIdTh, kT0);
      response->set_next_page_token("d2");
    } else {
      *record->mutable_delivery() =
          MakeDelivery("VN-MPS", gw::v1::Delivery::FAILED, kIdVn, kT0);
    }
    return grpc::Status::OK;
  }

  // kIdVn is a dead letter: re-queued under kIdNew. Others retry in place.
  grpc::Status RetryDelivery(grpc::ServerContext* context,
                             const gw::v1::RetryDeliveryRequest* request,
                             gw::v1::DeliveryRecord* record) override {
    std::lock_guard<std::mutex> lock(mu_);
    peers_.push_back(PeerCommonName(*context));
    if (request->message_id() == "missing") {
      return grpc::Status(grpc::StatusCode::NOT_FOUND,
                          "message_id: no delivery has this id");
    }
    record->set_alert_id("A-1");
    const bool dead = request->message_id() == kIdVn;
    *record->mutable_delivery() =
        MakeDelivery(dead ? "VN-MPS" : "TH-RTP", gw::v1::Delivery::QUEUED,
                     dead ? kIdNew : request->message_id(), kT0);
    return grpc::Status::OK;
  }

  grpc::Status CancelDelivery(grpc::ServerContext* context,
                              const gw::v1::CancelDeliveryRequest* request,
                              gw::v1::DeliveryRecord* record) override {
    std::lock_guard<std::mutex> lock(mu_);
    peers_.push_back(PeerCommonName(*context));
    last_cancel_ = *request;
    if (request->message_id() == kIdTh) {
      return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                          "message_id: the delivery is acknowledged");
    }
    record->set_alert_id("A-1");
    *record->mutable_delivery() = MakeDelivery(
        "VN-MPS", gw::v1::Delivery::CANCELLED, request->message_id(), kT0);
    record->mutable_delivery()->set_reason(request->reason());
    return grpc::Status::OK;
  }

  std::vector<std::string> peers() {
    std::lock_guard<std::mutex> lock(mu_);
    return peers_;
  }
  std::vector<gw::v1::ListDeliveriesRequest> list_requests() {
    std::lock_guard<std::mutex> lock(mu_);
    return list_requests_;
  }
  gw::v1::CancelDeliveryRequest last_cancel() {
    std::lock_guard<std::mutex> lock(mu_);
    return last_cancel_;
  }
  void Reset() {
    std::lock_guard<std::mutex> lock(mu_);
    peers_.clear();
    list_requests_.clear();
    last_cancel_.Clear();
  }

 private:
  std::mutex mu_;
  std::vector<std::string> peers_;
  std::vector<gw::v1::ListDeliveriesRequest> list_requests_;
  gw::v1::CancelDeliveryRequest last_cancel_;
};

// Alert "A-1" goes to TH-RTP and VN-MPS; "A-open" to TH-RTP, whose stream
// ends after one event; "A-none" has no deliveries.
class FakeAlertService final : public gw::v1::AlertService::Service {
 public:
  grpc::Status GetAlert(grpc::ServerContext* context,
                        const gw::v1::GetAlertRequest* request,
                        gw::v1::AlertRecord* record) override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      peers_.push_back(PeerCommonName(*context));
    }
    const std::string& id = request->alert_id();
    if (id != "A-1" && id != "A-open" && id != "A-none") {
      return grpc::Status(grpc::StatusCode::NOT_FOUND,
                          "alert_id: no such alert");
    }
    record->mutable_alert()->set_alert_id(id);
    if (id != "A-none") {
      *record->add_deliveries() =
          MakeDelivery("TH-RTP", gw::v1::Delivery::QUEUED, kIdTh, kT0);
    }
    if (id == "A-1") {
      *record->add_deliveries() =
          MakeDelivery("VN-MPS", gw::v1::Delivery::QUEUED, kIdVn, kT0);
    }
    return grpc::Status::OK;
  }

  // the current state, then changes until both are final; then the
  // stream stays open (as the gateway's does) until the client leaves.
  grpc::Status WatchDeliveries(
      grpc::ServerContext* context,
      const gw::v1::WatchDeliveriesRequest* request,
      grpc::ServerWriter<gw::v1::DeliveryEvent>* writer) override {
    std::vector<gw::v1::Delivery> steps;
    if (request->alert_id() == "A-open") {
      steps.push_back(
          MakeDelivery("TH-RTP", gw::v1::Delivery::QUEUED, kIdTh, kT0));
    } else {
      steps.push_back(
          MakeDelivery("TH-RTP", gw::v1::Delivery::QUEUED, kIdTh, kT0));
      steps.push_back(
          MakeDelivery("VN-MPS", gw::v1::Delivery::QUEUED, kIdVn, kT0));
      gw::v1::Delivery sent =
          MakeDelivery("TH-RTP", gw::v1::Delivery::SENT, kIdTh, kT0 + 1);
      sent.set_attempts(1);
      steps.push_back(sent);
      gw::v1::Delivery acked = sent;
      acked.set_state(gw::v1::Delivery::ACKNOWLEDGED);
      acked.mutable_updated_at()->set_seconds(kT0 + 2);
      acked.mutable_receipt()->set_leaf_index(12);
      steps.push_back(acked);
      gw::v1::Delivery failed =
          MakeDelivery("VN-MPS", gw::v1::Delivery::FAILED, kIdVn, kT0 + 3);
      failed.set_attempts(8);
      failed.set_reason("refused");
      steps.push_back(failed);
    }
    for (const gw::v1::Delivery& d : steps) {
      gw::v1::DeliveryEvent event;
      event.set_alert_id(request->alert_id());
      *event.mutable_delivery() = d;
      if (!writer->Write(event)) return grpc::Status::CANCELLED;
    }
    if (request->alert_id() == "A-open") return grpc::Status::OK;
    // Bounded: a client that never leaves fails the test, not the suite.
    for (int i = 0; i < 3000 && !context->IsCancelled(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return grpc::Status::OK;
  }

  std::vector<std::string> peers() {
    std::lock_guard<std::mutex> lock(mu_);
    return peers_;
  }
  void Reset() {
    std::lock_guard<std::mutex> lock(mu_);
    peers_.clear();
  }

 private:
  std::mutex mu_;
  std::vector<std::string> peers_;
};

struct Result {
  int exit_code;
  std::string out;
  std::string err;
};

class DeliveryCommandsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const std::string dir = testing::SharedPki().dir();
    grpc::SslServerCredentialsOptions tls(
        GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
    tls.pem_root_certs = testing::ReadTextFile(dir + "/CN-MPS/ca.crt");
    tls.pem_key_cert_pairs.push_back(
        {testing::ReadTextFile(dir + "/CN-MPS/gateway.key"),
         testing::ReadTextFile(dir + "/CN-MPS/gateway.crt")});
    deliveries_ = new FakeDeliveryService();
    alerts_ = new FakeAlertService();
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::SslServerCredentials(tls),
                             &port);
    builder.RegisterService(deliveries_);
    builder.RegisterService(alerts_);
    server_ = builder.BuildAndStart().release();
    ASSERT_NE(server_, nullptr);
    ASSERT_NE(port, 0);
    address_ = absl::StrCat("127.0.0.1:", port);
  }

  static void TearDownTestSuite() {
    if (server_ != nullptr) server_->Shutdown();
    delete server_;
    delete deliveries_;
    delete alerts_;
    server_ = nullptr;
  }

  void SetUp() override {
    deliveries_->Reset();
    alerts_->Reset();
  }

  // gwctl with --server and --pki, and `as` unless empty; GW_AS from
  // `env_as` unless empty.
  static Result Gwctl(std::vector<std::string> args, const std::string& as = "",
                      const std::string& env_as = "") {
    std::vector<std::string> full = {"--server", address_, "--pki",
                                     testing::SharedPki().dir()};
    if (!as.empty()) {
      full.push_back("--as");
      full.push_back(as);
    }
    full.insert(full.end(), args.begin(), args.end());
    std::ostringstream out;
    std::ostringstream err;
    RunContext context;
    context.out = &out;
    context.err = &err;
    context.env =
        [env_as](const std::string& name) -> std::optional<std::string> {
      if (name == "GW_AS" && !env_as.empty()) return env_as;
      return std::nullopt;
    };
    context.local_zone = kBeijing;
    const int code = RunGwctl(full, context);
    return {code, out.str(), err.str()};
  }

  static FakeDeliveryService* deliveries_;
  static FakeAlertService* alerts_;
  static grpc::Server* server_;
  static std::string address_;
};

FakeDeliveryService* DeliveryCommandsTest::deliveries_ = nullptr;
FakeAlertService* DeliveryCommandsTest::alerts_ = nullptr;
grpc::Server* DeliveryCommandsTest::server_ = nullptr;
std::string DeliveryCommandsTest::address_;

TEST_F(DeliveryCommandsTest, ListSendsFiltersAsAdminByDefault) {
  const Result r =
      Gwctl({"delivery", "list", "--recipient", "TH-RTP", "--alert", "A-1",
             "--state", "queued,Retrying", "--page-size", "10"});
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  EXPECT_THAT(deliveries_->peers(), ElementsAre("admin1"));
  const auto requests = deliveries_->list_requests();
  ASSERT_THAT(requests, SizeIs(1));
  EXPECT_EQ(requests[0].recipient(), "TH-RTP");
  EXPECT_EQ(requests[0].alert_id(), "A-1");
  EXPECT_EQ(requests[0].page_size(), 10);
  EXPECT_THAT(requests[0].states(), ElementsAre(gw::v1::Delivery::QUEUED,
                                                gw::v1::Delivery::RETRYING));
  EXPECT_THAT(r.out, StartsWith("MESSAGE ID"));
  EXPECT_THAT(r.out, HasSubstr(kIdTh));
  EXPECT_THAT(r.out, Not(HasSubstr(kIdVn)));
  EXPECT_THAT(r.out, HasSubstr("More: gwctl delivery list (same filters) "
                               "--page-token d2 (or --all)\n"));
}

TEST_F(DeliveryCommandsTest, ListAllFollowsPageTokens) {
  const Result r = Gwctl({"delivery", "list", "--all"});
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  EXPECT_THAT(deliveries_->list_requests(), SizeIs(2));
  EXPECT_THAT(r.out, HasSubstr(kIdTh));
  EXPECT_THAT(r.out, HasSubstr(kIdVn));
  EXPECT_THAT(r.out, Not(HasSubstr("More:")));
}

TEST_F(DeliveryCommandsTest, ListJsonIsTheCombinedResponse) {
  const Result r = Gwctl({"--json", "delivery", "list", "--all"});
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  EXPECT_THAT(r.out, HasSubstr("\"deliveries\""));
  EXPECT_THAT(r.out, HasSubstr("\"message_id\": \"" + std::string(kIdVn)));
}

TEST_F(DeliveryCommandsTest, AsAndGwAsOverrideTheAdminDefault) {
  ASSERT_EQ(Gwctl({"delivery", "list"}, "CN-MPS/investigator/investigator1")
                .exit_code,
            kExitOk);
  ASSERT_EQ(Gwctl({"delivery", "list"}, "", "CN-MPS/investigator/investigator1")
                .exit_code,
            kExitOk);
  EXPECT_THAT(deliveries_->peers(),
              ElementsAre("investigator1", "investigator1"));
}

TEST_F(DeliveryCommandsTest, RetryOfADeadLetterShowsTheNewId) {
  const Result r = Gwctl({"delivery", "retry", kIdVn});
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  EXPECT_THAT(r.out, StartsWith(absl::StrCat(
                         "Queued again as a new message (was ", kIdVn, ").\n",
                         "Delivery ", kIdNew, "\n")));
  EXPECT_THAT(r.out, HasSubstr("  state           queued\n"));

  const Result again = Gwctl({"delivery", "retry", kIdTh});
  ASSERT_EQ(again.exit_code, kExitOk) << again.err;
  EXPECT_THAT(again.out, StartsWith("Next attempt now.\n"));
}

TEST_F(DeliveryCommandsTest, RetryOfAnUnknownIdIsOneSentence) {
  const Result r = Gwctl({"delivery", "retry", "missing"});
  EXPECT_EQ(r.exit_code, kExitRefused);
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err, StartsWith("gwctl: the gateway refused to retry delivery "
                                "missing: NOT_FOUND"));
  EXPECT_THAT(r.err, HasSubstr("gwctl delivery list --alert ID"));
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1);
}

TEST_F(DeliveryCommandsTest, CancelSendsTheReason) {
  const Result r =
      Gwctl({"delivery", "cancel", kIdVn, "--reason", "Sent by other channel"});
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  EXPECT_EQ(deliveries_->last_cancel().message_id(), kIdVn);
  EXPECT_EQ(deliveries_->last_cancel().reason(), "Sent by other channel");
  EXPECT_THAT(r.out, StartsWith("Cancelled.\nDelivery "));
  EXPECT_THAT(r.out, HasSubstr("  reason          Sent by other channel\n"));
}

TEST_F(DeliveryCommandsTest, CancelOfAFinalDeliverySaysWhy) {
  const Result r =
      Gwctl({"delivery", "cancel", kIdTh, "--reason", "duplicate"});
  EXPECT_EQ(r.exit_code, kExitRefused);
  EXPECT_THAT(r.err, HasSubstr("FAILED_PRECONDITION"));
  EXPECT_THAT(r.err, HasSubstr("an acknowledged delivery is final"));
}

TEST_F(DeliveryCommandsTest, WatchStopsWhenEveryDeliveryIsFinal) {
  const Result r = Gwctl({"watch-deliveries", "A-1"});
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  EXPECT_EQ(r.out,
            absl::StrCat(
                "17:15:02  TH-RTP  queued        message ", kIdTh, "\n",
                "17:15:02  VN-MPS  queued        message ", kIdVn, "\n",
                "17:15:03  TH-RTP  sent          attempt 1, message ", kIdTh,
                "\n", "17:15:04  TH-RTP  acknowledged  receipt leaf 12\n",
                "17:15:05  VN-MPS  failed        after 8 attempts: refused\n"));
  // An investigator's command: the global default identity.
  EXPECT_THAT(alerts_->peers(), ElementsAre("investigator1"));
}

TEST_F(DeliveryCommandsTest, WatchJsonIsOneObjectPerLine) {
  const Result r = Gwctl({"--json", "watch-deliveries", "A-1"});
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  const std::vector<std::string> lines =
      absl::StrSplit(r.out, '\n', absl::SkipEmpty());
  ASSERT_THAT(lines, SizeIs(5));
  for (const std::string& line : lines) {
    EXPECT_THAT(line, StartsWith("{\"alert_id\":\"A-1\""));
  }
  EXPECT_THAT(lines[3], HasSubstr("\"state\":\"ACKNOWLEDGED\""));
}

TEST_F(DeliveryCommandsTest, WatchEndsWithTheGatewaysStream) {
  const Result r = Gwctl({"watch-deliveries", "A-open"});
  EXPECT_EQ(r.exit_code, kExitOk) << r.err;
  EXPECT_THAT(r.out, HasSubstr("TH-RTP  queued"));
}

TEST_F(DeliveryCommandsTest, WatchOfAnAlertWithoutDeliveries) {
  const Result r = Gwctl({"watch-deliveries", "A-none"});
  EXPECT_EQ(r.exit_code, kExitOk) << r.err;
  EXPECT_EQ(r.out, "Alert A-none has no deliveries.\n");
}

TEST_F(DeliveryCommandsTest, WatchOfAnUnknownAlertHintsAtTheSender) {
  const Result r = Gwctl({"watch-deliveries", "A-404"});
  EXPECT_EQ(r.exit_code, kExitRefused);
  EXPECT_THAT(r.err,
              StartsWith("gwctl: the gateway refused to watch the deliveries "
                         "of alert A-404: NOT_FOUND"));
  EXPECT_THAT(r.err, HasSubstr("only the agency that sent the alert"));
}

INSTANTIATE_TEST_SUITE_P(
    DeliveryCommandsTest, GwctlUsageTest,
    ::testing::Values(
        UsageCase{"DeliveryAlone",
                  {"delivery"},
                  "delivery needs a command: list, retry or cancel"},
        UsageCase{"UnknownDeliveryCommand",
                  {"delivery", "resend", "x"},
                  "no command 'delivery resend'"},
        UsageCase{"RetryWithoutId",
                  {"delivery", "retry"},
                  "delivery retry needs MESSAGE_ID"},
        UsageCase{"CancelWithoutReason",
                  {"delivery", "cancel", kIdTh},
                  "delivery cancel needs --reason TEXT"},
        UsageCase{"CancelWithBlankReason",
                  {"delivery", "cancel", kIdTh, "--reason", "  "},
                  "delivery cancel needs --reason TEXT"},
        UsageCase{"BadState",
                  {"delivery", "list", "--state", "queued,done"},
                  "--state: done is not one of queued, sent"},
        UsageCase{"PageSizeTooBig",
                  {"delivery", "list", "--page-size", "1001"},
                  "--page-size 1001 is not a whole number from 1 to 1000"},
        UsageCase{"ReasonOnRetry",
                  {"delivery", "retry", kIdTh, "--reason", "x"},
                  "delivery retry does not take --reason"},
        UsageCase{"WatchWithoutAlert",
                  {"watch-deliveries"},
                  "watch-deliveries needs ALERT_ID"},
        UsageCase{"WatchTakesNoState",
                  {"watch-deliveries", "A-1", "--state", "queued"},
                  "watch-deliveries does not take --state"}),
    [](const auto& info) { return info.param.name; });

INSTANTIATE_TEST_SUITE_P(
    DeliveryCommandsTest, GwctlHelpTest,
    ::testing::Values(
        HelpCase{"TopListsWatch", {"--help"}, "watch-deliveries ALERT_ID"},
        HelpCase{"TopListsDelivery", {"--help"}, "delivery cancel MESSAGE_ID"},
        HelpCase{"TopNamesAdminDefault", {"--help"}, "CN-MPS/admin/admin1"},
        HelpCase{"Group", {"delivery", "--help"}, "delivery retry MESSAGE_ID"},
        HelpCase{"HelpGroup", {"help", "delivery"}, "CN-MPS/admin/admin1"},
        HelpCase{"List", {"delivery", "list", "-h"}, "--state S1,S2,..."},
        HelpCase{"Retry", {"delivery", "retry", "--help"}, "NEW message"},
        HelpCase{"Cancel", {"help", "delivery", "cancel"}, "--reason TEXT"},
        HelpCase{"Watch",
                 {"watch-deliveries", "--help"},
                 "TH-RTP  acknowledged  receipt leaf 12"}),
    [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace gw::gwctl
