// tests/unit/gateway/api/in_process_gateway.cc
#include "tests/unit/gateway/api/in_process_gateway.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gateway/api/alert_service.h"
#include "gateway/api/delivery_service.h"
#include "gateway/api/gatekeeper.h"
#include "gateway/identity/trust_store.h"
#include "gateway/ingest/case_watchers.h"
#include "gateway/ingest/pipeline.h"
#include "gateway/ingest/writer.h"
#include "gateway/policy/policy.h"
#include "gateway/util/proto_time.h"
#include "gateway/util/uuid.h"
#include "gateway/workflow/queries.h"
#include "gtest/gtest.h"
#include "tests/support/dev_pki.h"
#include "tests/support/test_client.h"

namespace gw::api::testing {

FakeOperations::~FakeOperations() {
  std::vector<std::thread> threads;
  {
    absl::MutexLock lock(&mu_);
    threads.swap(threads_);
  }
  for (std::thread& t : threads) t.join();
}

void FakeOperations::fail_with(absl::Status status) {
  absl::MutexLock lock(&mu_);
  fail_with_ = std::move(status);
}

std::vector<FakeOperations::Call> FakeOperations::calls() {
  absl::MutexLock lock(&mu_);
  return calls_;
}

void FakeOperations::Later(std::function<void()> work) {
  absl::MutexLock lock(&mu_);
  threads_.emplace_back(std::move(work));
}

absl::StatusOr<store::DeliveryRow> FakeOperations::Answer(const Call& call) {
  {
    absl::MutexLock lock(&mu_);
    calls_.push_back(call);
    if (!fail_with_.ok()) return fail_with_;
  }
  if (call.action == "retry") return store_->GetDelivery(call.message_id);
  auto row = store_->GetDelivery(call.message_id);
  if (!row.ok()) return row.status();
  auto write = std::make_unique<store::Write>();
  store::UpdateDelivery update;
  update.message_id = call.message_id;
  update.delivery = row->delivery;
  update.delivery.set_state(gw::v1::Delivery::CANCELLED);
  update.delivery.set_reason(call.reason);
  update.at = absl::Now();
  write->op = std::move(update);
  store::Write* raw = write.get();
  if (absl::Status s = store_->Commit({&raw, 1}); !s.ok()) return s;
  if (!raw->result.status.ok()) return raw->result.status;
  gw::v1::DeliveryEvent event;
  event.set_alert_id(raw->result.delivery->alert_id);
  *event.mutable_delivery() = raw->result.delivery->delivery;
  watchers_->Publish(event);
  return *raw->result.delivery;
}

void FakeOperations::Retry(const identity::Principal& actor,
                           const std::string& message_id, Done done) {
  Call call{"retry", actor.ToString(), message_id, ""};
  Later([this, call, done = std::move(done)] { done(Answer(call)); });
}

void FakeOperations::Cancel(const identity::Principal& actor,
                            const std::string& message_id,
                            const std::string& reason, Done done) {
  Call call{"cancel", actor.ToString(), message_id, reason};
  Later([this, call, done = std::move(done)] { done(Answer(call)); });
}

// Declared in dependency order: destroyed in reverse, the server first.
struct InProcessGateway::Parts {
  std::shared_ptr<const policy::Policy> policy;
  std::unique_ptr<identity::TrustStore> trust;
  gw::testing::FakeStore store;
  std::unique_ptr<ingest::Writer> writer;
  ingest::CaseWatchers case_watchers;
  delivery::DeliveryWatchers delivery_watchers;
  std::unique_ptr<ingest::Pipeline> pipeline;
  std::unique_ptr<workflow::Queries> queries;
  std::unique_ptr<Gatekeeper> gate;
  std::unique_ptr<FakeOperations> operations;
  std::unique_ptr<AlertService> alerts;
  std::unique_ptr<DeliveryService> deliveries;
  std::unique_ptr<grpc::Server> server;
  bool shut_down = false;
};

InProcessGateway::InProcessGateway() : parts_(std::make_unique<Parts>()) {
  Parts& p = *parts_;
  const std::string pki = gw::testing::DevPki::Get().dir();
  auto policy = policy::Policy::Load(absl::StrCat(GW_SOURCE_DIR, "/policies"));
  if (!policy.ok()) {
    ADD_FAILURE() << policy.status();
    return;
  }
  p.policy = *std::move(policy);
  auto trust = identity::TrustStore::Load(*p.policy, pki);
  if (!trust.ok()) {
    ADD_FAILURE() << trust.status();
    return;
  }
  p.trust = *std::move(trust);
  p.writer = std::make_unique<ingest::Writer>(&p.store);
  p.pipeline = std::make_unique<ingest::Pipeline>(
      p.policy, &p.store, p.writer.get(), &p.case_watchers);
  p.queries = std::make_unique<workflow::Queries>(&p.store);
  p.gate = std::make_unique<Gatekeeper>(p.trust.get(), p.pipeline.get());
  p.operations =
      std::make_unique<FakeOperations>(&p.store, &p.delivery_watchers);
  p.alerts = std::make_unique<AlertService>(p.gate.get(), p.queries.get(),
                                            &p.delivery_watchers);
  p.deliveries = std::make_unique<DeliveryService>(p.gate.get(), &p.store,
                                                   p.operations.get());

  grpc::SslServerCredentialsOptions ssl(
      GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_BUT_DONT_VERIFY);
  ssl.pem_root_certs = p.trust->root_certs_pem();
  ssl.pem_key_cert_pairs.push_back(
      {gw::testing::ReadFileForTest(pki + "/CN-MPS/gateway.key"),
       gw::testing::ReadFileForTest(pki + "/CN-MPS/gateway.crt")});
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort("127.0.0.1:0", grpc::SslServerCredentials(ssl),
                           &port);
  builder.RegisterService(p.alerts.get());
  builder.RegisterService(p.deliveries.get());
  p.server = builder.BuildAndStart();
  if (p.server == nullptr || port == 0) {
    ADD_FAILURE() << "cannot start the in-process gateway";
    return;
  }
  address_ = absl::StrCat("127.0.0.1:", port);
}

InProcessGateway::~InProcessGateway() {
  Shutdown(absl::Seconds(1));
  if (parts_->writer != nullptr) parts_->writer->Stop();
}

void InProcessGateway::Shutdown(absl::Duration grace) {
  Parts& p = *parts_;
  if (p.shut_down || p.server == nullptr) return;
  p.shut_down = true;
  p.server->Shutdown(absl::ToChronoTime(absl::Now() + grace));
  p.server->Wait();
}

std::shared_ptr<grpc::Channel> InProcessGateway::ChannelAs(
    const std::string& agency, const std::string& role,
    const std::string& user) const {
  return gw::testing::ChannelAs(address_, agency, role, user);
}

gw::v1::AlertRecord InProcessGateway::AddAlert(
    const std::string& alert_id, const std::vector<std::string>& recipients) {
  gw::v1::AlertRecord record;
  *record.mutable_alert() =
      gw::testing::SampleAlert(alert_id, "CASE-" + alert_id, recipients);
  *record.mutable_received_at() =
      util::ToTimestamp(absl::FromUnixMicros(absl::ToUnixMicros(absl::Now())));
  record.set_payload_sha256(std::string(64, 'a'));
  for (const std::string& recipient : recipients) {
    gw::v1::Delivery* d = record.add_deliveries();
    d->set_recipient(recipient);
    d->set_state(gw::v1::Delivery::QUEUED);
    d->set_message_id(util::NewUuidV4());
    *d->mutable_updated_at() = record.received_at();
  }
  store::AcceptAlert accept;
  accept.record = record;
  accept.audit.set_action("AlertService.SendAlert");
  accept.audit.add_object_ids("alert:" + alert_id);
  store::Write write;
  write.op = std::move(accept);
  store::Write* raw = &write;
  EXPECT_TRUE(parts_->store.Commit({&raw, 1}).ok());
  EXPECT_TRUE(write.result.status.ok()) << write.result.status;
  return record;
}

void InProcessGateway::AddInboundAlert(const std::string& alert_id,
                                       const std::string& partner) {
  store::AcceptAlert accept;
  gw::v1::CaseAlert& alert = *accept.record.mutable_alert();
  alert.set_alert_id(alert_id);
  alert.set_case_ref("CASE-" + alert_id);
  alert.set_kind(gw::v1::CaseAlert::MISSING_PERSON);
  alert.set_origin_agency(partner);
  alert.set_originator("liaison1");
  alert.add_recipients("CN-MPS");
  *accept.record.mutable_received_at() =
      util::ToTimestamp(absl::FromUnixMicros(absl::ToUnixMicros(absl::Now())));
  accept.record.set_payload_sha256(std::string(64, 'b'));
  accept.audit.set_action("PartnerExchange.Deliver");
  accept.inbound = store::InboundOrigin{
      partner, util::NewUuidV4(), std::string(64, 'c'), {}};
  store::Write write;
  write.op = std::move(accept);
  store::Write* raw = &write;
  EXPECT_TRUE(parts_->store.Commit({&raw, 1}).ok());
  EXPECT_TRUE(write.result.status.ok()) << write.result.status;
}

gw::testing::FakeStore& InProcessGateway::store() { return parts_->store; }

delivery::DeliveryWatchers& InProcessGateway::delivery_watchers() {
  return parts_->delivery_watchers;
}

FakeOperations& InProcessGateway::operations() { return *parts_->operations; }

std::vector<gw::v1::AuditEntry> InProcessGateway::AuditEntries(
    const std::string& action) {
  std::vector<gw::v1::AuditEntry> matching;
  for (gw::v1::AuditEntry& entry : parts_->store.audit_entries()) {
    if (entry.action() == action) matching.push_back(std::move(entry));
  }
  return matching;
}

}  // namespace gw::api::testing
