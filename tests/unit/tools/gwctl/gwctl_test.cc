// tests/unit/tools/gwctl/gwctl_test.cc
//
// gwctl end to end against an in-process fake gateway: real mutual TLS with
// certificates from test_pki, real gRPC, fake AlertService / CaseService
// that record what they receive and answer from canned values, and a fake
// AuditService over a real in-memory Merkle tree (CompactRange) whose
// checkpoints and receipts are signed with the PKI's CN-MPS/signing.key.
#include "tools/gwctl/gwctl.h"

#include <algorithm>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "gateway/audit/checkpoint_signer.h"
#include "gateway/audit/compact_range.h"
#include "gateway/audit/hasher.h"
#include "gateway/audit/log_origin.h"
#include "gateway/audit/proof_nodes.h"
#include "gateway/audit/receipt.h"
#include "gateway/crypto/dsse.h"
#include "gateway/crypto/sha256.h"
#include "gateway/crypto/signer.h"
#include "gateway/crypto/verifier.h"
#include "gmock/gmock.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"
#include "gw/v1/alert.grpc.pb.h"
#include "gw/v1/audit.grpc.pb.h"
#include "gw/v1/case.grpc.pb.h"
#include "test_pki.h"
#include "tests/unit/gateway/audit/memory_node_reader.h"
#include "tests/unit/tools/gwctl/command_usage_cases.h"
#include "tools/gwctl/exit_code.h"
#include "tools/gwctl/receipt_file.h"

namespace gw::gwctl {
namespace {

using usage_test::GwctlHelpTest;
using usage_test::GwctlUsageTest;
using usage_test::HelpCase;
using usage_test::UsageCase;

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

// The CN of the TLS peer, as the fake gateway sees it.
std::string PeerCommonName(const grpc::ServerContext& context) {
  auto values = context.auth_context()->FindPropertyValues("x509_common_name");
  return values.empty() ? "" : std::string(values[0].data(), values[0].size());
}

gw::v1::AuditEntry EntryFor(uint64_t i, const std::string& salt) {
  gw::v1::AuditEntry entry;
  entry.mutable_time()->set_seconds(1795857302 + static_cast<int64_t>(i));
  entry.set_actor_agency(i % 3 == 2 ? "TH-RTP" : "CN-MPS");
  entry.set_actor_role(i % 3 == 2 ? "liaison" : "investigator");
  entry.set_actor_user(i % 3 == 2 ? "liaison1" : "investigator1");
  entry.set_action(i % 2 == 0 ? "AlertService.SendAlert"
                              : "CaseService.GetCaseStatus");
  entry.add_object_ids(absl::StrCat("alert:A-", i));
  entry.set_payload_sha256(crypto::Sha256Hex(absl::StrCat(salt, i)));
  entry.set_decision("ALLOW");
  entry.set_outcome("OK");
  entry.set_policy_version(absl::StrCat("policy", salt));
  return entry;
}

// The gateway's audit log in memory: leaves, the nodes CompactRange
// reports, checkpoints and receipts signed with CN-MPS/signing.key. It can
// serve altered bytes for a leaf (as if someone edited the entries table)
// without changing the tree it committed to.
class FakeAuditLog {
 public:
  FakeAuditLog() {
    const std::string dir = testing::SharedPki().dir();
    auto signer = crypto::Signer::FromPemFiles(dir + "/CN-MPS/signing.key",
                                               dir + "/CN-MPS/signing.crt");
    EXPECT_TRUE(signer.ok()) << signer.status();
    if (signer.ok()) signer_ = *std::move(signer);
    const std::string origin = audit::AuditLogOrigin("CN-MPS");
    auto checkpoints =
        audit::CheckpointSigner::Create(origin, origin, signer_.get());
    EXPECT_TRUE(checkpoints.ok()) << checkpoints.status();
    if (checkpoints.ok()) checkpoints_ = *std::move(checkpoints);
  }

  // A new log of `size` entries EntryFor(i, salt): a different salt is a
  // different history.
  void Reset(uint64_t size, const std::string& salt = "") {
    std::lock_guard<std::mutex> lock(mu_);
    leaves_.clear();
    served_.clear();
    shown_.clear();
    nodes_ = audit::testing::MemoryNodeReader();
    range_ = audit::CompactRange();
    for (uint64_t i = 0; i < size; ++i) {
      AppendLocked(EntryFor(i, salt).SerializeAsString());
    }
  }

  uint64_t Append(const gw::v1::AuditEntry& entry) {
    std::lock_guard<std::mutex> lock(mu_);
    return AppendLocked(entry.SerializeAsString());
  }

  // GetEntries serves other bytes (decoded consistently) for leaf `index`.
  void AlterServedLeaf(uint64_t index) {
    std::lock_guard<std::mutex> lock(mu_);
    gw::v1::AuditEntry entry;
    entry.ParseFromString(leaves_[index]);
    entry.set_outcome("PERMISSION_DENIED");
    served_[index] = entry.SerializeAsString();
  }
  // GetEntries shows a decoded entry that is not what leaf_data says.
  void AlterShownEntry(uint64_t index) {
    std::lock_guard<std::mutex> lock(mu_);
    gw::v1::AuditEntry entry;
    entry.ParseFromString(leaves_[index]);
    entry.set_decision("DENY");
    shown_[index] = entry;
  }

  gw::v1::Checkpoint Checkpoint() {
    std::lock_guard<std::mutex> lock(mu_);
    return CheckpointLocked();
  }

  gw::v1::Entries Entries(uint64_t start, uint64_t count) {
    std::lock_guard<std::mutex> lock(mu_);
    gw::v1::Entries entries;
    for (uint64_t i = start; i < leaves_.size() && i < start + count; ++i) {
      *entries.add_entries() = LogEntryLocked(i);
    }
    return entries;
  }

  std::vector<gw::v1::LogEntry> All() {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<gw::v1::LogEntry> all;
    for (uint64_t i = 0; i < leaves_.size(); ++i) {
      all.push_back(LogEntryLocked(i));
    }
    return all;
  }

  absl::StatusOr<std::vector<std::string>> ConsistencyProof(uint64_t first,
                                                            uint64_t second) {
    std::lock_guard<std::mutex> lock(mu_);
    if (second > leaves_.size()) {
      return absl::OutOfRangeError("second: beyond the log");
    }
    auto plan = audit::ConsistencyProofNodes(first, second);
    if (!plan.ok()) return plan.status();
    return audit::BuildProof(*plan, nodes_);
  }

  gw::v1::Receipt ReceiptFor(uint64_t leaf, const std::string& message_id) {
    std::lock_guard<std::mutex> lock(mu_);
    gw::v1::AuditEntry entry;
    entry.ParseFromString(leaves_[leaf]);
    gw::v1::Receipt receipt;
    receipt.set_message_id(message_id);
    receipt.set_payload_sha256(entry.payload_sha256());
    receipt.set_recipient("CN-MPS");
    receipt.set_status(gw::v1::Receipt::ACCEPTED);
    receipt.mutable_received_at()->set_seconds(1795857302);
    receipt.set_leaf_index(leaf);
    receipt.set_leaf_data(leaves_[leaf]);
    auto plan = audit::InclusionProofNodes(leaf, leaves_.size());
    EXPECT_TRUE(plan.ok());
    auto hashes = audit::BuildProof(*plan, nodes_);
    EXPECT_TRUE(hashes.ok());
    gw::v1::InclusionProof* proof = receipt.mutable_inclusion_proof();
    proof->set_leaf_index(leaf);
    proof->set_tree_size(leaves_.size());
    for (const std::string& hash : *hashes) proof->add_hashes(hash);
    *receipt.mutable_checkpoint() = CheckpointLocked();
    EXPECT_TRUE(audit::SignReceipt(*signer_, &receipt).ok());
    return receipt;
  }

 private:
  uint64_t AppendLocked(std::string bytes) {
    EXPECT_TRUE(range_
                    .Append(audit::HashLeaf(bytes),
                            [&](audit::NodeId id, absl::string_view hash) {
                              nodes_.Put(id, hash);
                            })
                    .ok());
    leaves_.push_back(std::move(bytes));
    return leaves_.size() - 1;
  }

  gw::v1::Checkpoint CheckpointLocked() {
    gw::v1::Checkpoint checkpoint;
    checkpoint.set_tree_size(range_.size());
    checkpoint.set_root_hash(range_.Root());
    auto note = checkpoints_->Sign(range_.size(), range_.Root());
    EXPECT_TRUE(note.ok()) << note.status();
    checkpoint.set_note(note.ok() ? *note : "");
    checkpoint.mutable_time()->set_seconds(1795857400);
    return checkpoint;
  }

  gw::v1::LogEntry LogEntryLocked(uint64_t i) {
    gw::v1::LogEntry entry;
    entry.set_leaf_index(i);
    auto served = served_.find(i);
    entry.set_leaf_data(served == served_.end() ? leaves_[i] : served->second);
    entry.mutable_entry()->ParseFromString(entry.leaf_data());
    if (auto shown = shown_.find(i); shown != shown_.end()) {
      *entry.mutable_entry() = shown->second;
    }
    return entry;
  }

  std::mutex mu_;
  std::unique_ptr<crypto::Signer> signer_;
  std::unique_ptr<audit::CheckpointSigner> checkpoints_;
  std::vector<std::string> leaves_;
  std::map<uint64_t, std::string> served_;
  std::map<uint64_t, gw::v1::AuditEntry> shown_;
  audit::testing::MemoryNodeReader nodes_;
  audit::CompactRange range_;
};

grpc::Status ToGrpc(const absl::Status& status) {
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                      std::string(status.message()));
}

class FakeAuditService final : public gw::v1::AuditService::Service {
 public:
  explicit FakeAuditService(FakeAuditLog* log) : log_(log) {}

  grpc::Status GetCheckpoint(grpc::ServerContext*,
                             const gw::v1::GetCheckpointRequest*,
                             gw::v1::Checkpoint* checkpoint) override {
    *checkpoint = log_->Checkpoint();
    return grpc::Status::OK;
  }

  grpc::Status GetEntries(grpc::ServerContext*,
                          const gw::v1::GetEntriesRequest* request,
                          gw::v1::Entries* entries) override {
    std::lock_guard<std::mutex> lock(mu_);
    ++entries_calls_;
    *entries = log_->Entries(request->start(),
                             std::min<uint32_t>(request->count(), 1000));
    return grpc::Status::OK;
  }

  grpc::Status GetConsistencyProof(
      grpc::ServerContext*, const gw::v1::GetConsistencyProofRequest* request,
      gw::v1::ConsistencyProof* proof) override {
    auto hashes = log_->ConsistencyProof(request->first(), request->second());
    if (!hashes.ok()) return ToGrpc(hashes.status());
    proof->set_first(request->first());
    proof->set_second(request->second());
    for (const std::string& hash : *hashes) proof->add_hashes(hash);
    return grpc::Status::OK;
  }

  // Filters as documented; pages of page_size (default 2), the token being
  // the next position in the filtered list.
  grpc::Status SearchAudit(grpc::ServerContext*,
                           const gw::v1::SearchAuditRequest* request,
                           gw::v1::Entries* entries) override {
    std::vector<gw::v1::LogEntry> matching;
    for (const gw::v1::LogEntry& e : log_->All()) {
      const gw::v1::AuditEntry& a = e.entry();
      if (!request->actor_agency().empty() &&
          a.actor_agency() != request->actor_agency()) {
        continue;
      }
      if (!request->actor_user().empty() &&
          a.actor_user() != request->actor_user()) {
        continue;
      }
      if (!request->action().empty() && a.action() != request->action()) {
        continue;
      }
      if (!request->object_id().empty() &&
          std::find(a.object_ids().begin(), a.object_ids().end(),
                    request->object_id()) == a.object_ids().end()) {
        continue;
      }
      if (request->has_since() &&
          a.time().seconds() < request->since().seconds()) {
        continue;
      }
      matching.push_back(e);
    }
    size_t start = 0;
    if (!request->page_token().empty() &&
        !absl::SimpleAtoi(request->page_token(), &start)) {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                          "page_token: not one this gateway issued");
    }
    const size_t page = request->page_size() > 0 ? request->page_size() : 2;
    for (size_t i = start; i < matching.size() && i < start + page; ++i) {
      *entries->add_entries() = matching[i];
    }
    if (start + page < matching.size()) {
      entries->set_next_page_token(absl::StrCat(start + page));
    }
    return grpc::Status::OK;
  }

  int entries_calls() {
    std::lock_guard<std::mutex> lock(mu_);
    return entries_calls_;
  }
  void Reset() {
    std::lock_guard<std::mutex> lock(mu_);
    entries_calls_ = 0;
  }

 private:
  FakeAuditLog* const log_;  // not owned
  std::mutex mu_;
  int entries_calls_ = 0;
};

class FakeAlertService final : public gw::v1::AlertService::Service {
 public:
  // Each accepted alert is appended to `log`, and the answer carries its
  // receipt. `log` is not owned.
  explicit FakeAlertService(FakeAuditLog* log) : log_(log) {}

  grpc::Status SendAlert(grpc::ServerContext* context,
                         const gw::v1::SendAlertRequest* request,
                         gw::v1::SendAlertResponse* response) override {
    std::lock_guard<std::mutex> lock(mu_);
    last_send_ = *request;
    peer_ = PeerCommonName(*context);
    if (!send_status_.ok()) return send_status_;
    gw::v1::CaseAlert alert;
    alert.ParseFromString(request->envelope().payload());
    response->set_alert_id(alert.alert_id());
    response->mutable_received_at()->set_seconds(1795857302);
    response->set_payload_sha256("3f9a");
    gw::v1::AuditEntry entry;
    entry.set_actor_agency("CN-MPS");
    entry.set_actor_user(peer_);
    entry.set_action("AlertService.SendAlert");
    entry.add_object_ids(absl::StrCat("alert:", alert.alert_id()));
    entry.set_payload_sha256(crypto::Sha256Hex(request->envelope().payload()));
    entry.set_decision("ALLOW");
    entry.set_outcome("OK");
    *response->mutable_receipt() =
        log_->ReceiptFor(log_->Append(entry), alert.alert_id());
    for (const std::string& recipient : alert.recipients()) {
      auto* delivery = response->add_deliveries();
      delivery->set_recipient(recipient);
      delivery->set_state(gw::v1::Delivery::QUEUED);
      delivery->set_message_id(absl::StrCat("msg-", recipient));
    }
    return grpc::Status::OK;
  }

  grpc::Status GetAlert(grpc::ServerContext*,
                        const gw::v1::GetAlertRequest* request,
                        gw::v1::AlertRecord* record) override {
    if (request->alert_id() != "A-1") {
      return grpc::Status(grpc::StatusCode::NOT_FOUND, "alert_id: not found");
    }
    record->mutable_alert()->set_alert_id("A-1");
    record->mutable_alert()->set_case_ref("C-1");
    return grpc::Status::OK;
  }

  // Three pages: "" -> "p2" -> "p3" -> end; one alert each.
  grpc::Status ListAlerts(grpc::ServerContext*,
                          const gw::v1::ListAlertsRequest* request,
                          gw::v1::ListAlertsResponse* response) override {
    std::lock_guard<std::mutex> lock(mu_);
    list_requests_.push_back(*request);
    const std::string& token = request->page_token();
    const std::string id = token.empty()   ? "A-1"
                           : token == "p2" ? "A-2"
                                           : "A-3";
    response->add_alerts()->mutable_alert()->set_alert_id(id);
    response->set_next_page_token(token.empty()   ? "p2"
                                  : token == "p2" ? "p3"
                                                  : "");
    return grpc::Status::OK;
  }

  void set_send_status(grpc::Status status) {
    std::lock_guard<std::mutex> lock(mu_);
    send_status_ = std::move(status);
  }
  gw::v1::SendAlertRequest last_send() {
    std::lock_guard<std::mutex> lock(mu_);
    return last_send_;
  }
  std::string peer() {
    std::lock_guard<std::mutex> lock(mu_);
    return peer_;
  }
  std::vector<gw::v1::ListAlertsRequest> list_requests() {
    std::lock_guard<std::mutex> lock(mu_);
    return list_requests_;
  }
  void Reset() {
    std::lock_guard<std::mutex> lock(mu_);
    send_status_ = grpc::Status::OK;
    list_requests_.clear();
  }

 private:
  FakeAuditLog* const log_;  // not owned
  std::mutex mu_;
  grpc::Status send_status_;
  gw::v1::SendAlertRequest last_send_;
  std::string peer_;
  std::vector<gw::v1::ListAlertsRequest> list_requests_;
};

class FakeCaseService final : public gw::v1::CaseService::Service {
 public:
  // `log` is not owned.
  explicit FakeCaseService(FakeAuditLog* log) : log_(log) {}

  grpc::Status GetCaseStatus(grpc::ServerContext*,
                             const gw::v1::GetCaseStatusRequest* request,
                             gw::v1::CaseStatus* status) override {
    status->set_case_ref(request->case_ref());
    status->set_owner_agency("CN-MPS");
    status->set_state(gw::v1::CaseStatus::OPEN);
    return grpc::Status::OK;
  }

  // Sends the receipt in the "gw-receipt-bin" trailer, as the gateway does,
  // except for update id "no-receipt".
  grpc::Status UpdateCaseStatus(grpc::ServerContext* context,
                                const gw::v1::UpdateCaseStatusRequest* request,
                                gw::v1::CaseStatus* status) override {
    std::lock_guard<std::mutex> lock(mu_);
    last_update_ = *request;
    gw::v1::CaseStatus update;
    update.ParseFromString(request->envelope().payload());
    if (update.update_id() != "no-receipt") {
      gw::v1::AuditEntry entry;
      entry.set_actor_agency(update.owner_agency());
      entry.set_actor_user(update.updated_by());
      entry.set_action("CaseService.UpdateCaseStatus");
      entry.add_object_ids(absl::StrCat("case:", update.case_ref()));
      entry.set_payload_sha256(
          crypto::Sha256Hex(request->envelope().payload()));
      entry.set_decision("ALLOW");
      entry.set_outcome("OK");
      context->AddTrailingMetadata(
          "gw-receipt-bin",
          log_->ReceiptFor(log_->Append(entry), update.update_id())
              .SerializeAsString());
    }
    status->set_case_ref(update.case_ref());
    status->set_owner_agency(update.owner_agency());
    status->set_state(update.state());
    return grpc::Status::OK;
  }

  // The case now, then two changes; then the stream ends.
  grpc::Status WatchCase(
      grpc::ServerContext*, const gw::v1::WatchCaseRequest* request,
      grpc::ServerWriter<gw::v1::CaseStatus>* writer) override {
    if (request->case_ref() == "missing") {
      return grpc::Status(grpc::StatusCode::NOT_FOUND, "case_ref: not found");
    }
    const gw::v1::CaseStatus::State states[] = {
        gw::v1::CaseStatus::OPEN, gw::v1::CaseStatus::INVESTIGATING,
        gw::v1::CaseStatus::CLOSED};
    for (int i = 0; i < 3; ++i) {
      gw::v1::CaseStatus status;
      status.set_case_ref(request->case_ref());
      status.set_owner_agency("CN-MPS");
      status.set_updated_by("investigator1");
      status.set_state(states[i]);
      status.mutable_updated_at()->set_seconds(1795857302 + i);
      if (!writer->Write(status)) break;
    }
    return grpc::Status::OK;
  }

  gw::v1::UpdateCaseStatusRequest last_update() {
    std::lock_guard<std::mutex> lock(mu_);
    return last_update_;
  }

 private:
  FakeAuditLog* const log_;  // not owned
  std::mutex mu_;
  gw::v1::UpdateCaseStatusRequest last_update_;
};

struct Result {
  int exit_code;
  std::string out;
  std::string err;
};

class GwctlTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const std::string dir = testing::SharedPki().dir();
    grpc::SslServerCredentialsOptions tls(
        GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
    tls.pem_root_certs = testing::ReadTextFile(dir + "/CN-MPS/ca.crt") +
                         testing::ReadTextFile(dir + "/TH-RTP/ca.crt");
    tls.pem_key_cert_pairs.push_back(
        {testing::ReadTextFile(dir + "/CN-MPS/gateway.key"),
         testing::ReadTextFile(dir + "/CN-MPS/gateway.crt")});
    audit_log_ = new FakeAuditLog();
    alerts_ = new FakeAlertService(audit_log_);
    cases_ = new FakeCaseService(audit_log_);
    audit_ = new FakeAuditService(audit_log_);
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::SslServerCredentials(tls),
                             &port);
    builder.RegisterService(alerts_);
    builder.RegisterService(cases_);
    builder.RegisterService(audit_);
    server_ = builder.BuildAndStart().release();
    ASSERT_NE(server_, nullptr);
    ASSERT_NE(port, 0);
    address_ = absl::StrCat("127.0.0.1:", port);
  }

  static void TearDownTestSuite() {
    if (server_ != nullptr) server_->Shutdown();
    delete server_;
    delete alerts_;
    delete cases_;
    delete audit_;
    delete audit_log_;
    server_ = nullptr;
  }

  void SetUp() override {
    alerts_->Reset();
    audit_->Reset();
    audit_log_->Reset(5);
  }

  // Runs gwctl as the e2e tests will: --server --pki --as first.
  static Result Gwctl(
      std::vector<std::string> args,
      const std::string& as = "CN-MPS/investigator/investigator1") {
    std::vector<std::string> full = {
        "--server", address_, "--pki", testing::SharedPki().dir(), "--as", as};
    full.insert(full.end(), args.begin(), args.end());
    return RunRaw(full);
  }

  static Result RunRaw(const std::vector<std::string>& args,
                       std::function<absl::Time()> now = nullptr) {
    std::ostringstream out;
    std::ostringstream err;
    RunContext context;
    context.out = &out;
    context.err = &err;
    if (now) context.now = std::move(now);
    context.env = [](const std::string&) { return std::nullopt; };
    context.local_zone = absl::FixedTimeZone(8 * 3600);
    const int code = RunGwctl(args, context);
    return {code, out.str(), err.str()};
  }

  static std::string Example(const std::string& name) {
    return absl::StrCat(GW_SOURCE_DIR, "/tools/gwctl/examples/", name);
  }

  static FakeAuditLog* audit_log_;
  static FakeAlertService* alerts_;
  static FakeCaseService* cases_;
  static FakeAuditService* audit_;
  static grpc::Server* server_;
  static std::string address_;
};

FakeAuditLog* GwctlTest::audit_log_ = nullptr;
FakeAlertService* GwctlTest::alerts_ = nullptr;
FakeCaseService* GwctlTest::cases_ = nullptr;
FakeAuditService* GwctlTest::audit_ = nullptr;
grpc::Server* GwctlTest::server_ = nullptr;
std::string GwctlTest::address_;

TEST_F(GwctlTest, SendAlertSignsFillsAndPrintsDeliveries) {
  const Result r = Gwctl({"send-alert", Example("missing-child.json")});
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_THAT(
      r.out,
      HasSubstr(
          " accepted at 2026-11-28 09:15:02 UTC (17:15:02 +08:00 local)\n"));
  EXPECT_THAT(r.out, HasSubstr("  case            CN-YN-XSBN-2026-0042\n"));
  EXPECT_THAT(r.out,
              HasSubstr("  TH-RTP          queued   message msg-TH-RTP\n"));
  EXPECT_THAT(r.out,
              HasSubstr("  MM-MPF          queued   message msg-MM-MPF\n"));

  EXPECT_EQ(alerts_->peer(), "investigator1");
  const gw::v1::Envelope envelope = alerts_->last_send().envelope();
  EXPECT_EQ(envelope.payload_type(), "application/vnd.gw.v1.CaseAlert+proto");
  ASSERT_EQ(envelope.signatures_size(), 1);
  auto verifier =
      crypto::Verifier::FromCertificateDer(envelope.signatures(0).cert_der());
  ASSERT_TRUE(verifier.ok());
  EXPECT_TRUE(crypto::VerifyEnvelopeSignature(envelope, 0, **verifier).ok());
  gw::v1::CaseAlert alert;
  ASSERT_TRUE(alert.ParseFromString(envelope.payload()));
  EXPECT_EQ(alert.origin_agency(), "CN-MPS");
  EXPECT_EQ(alert.originator(), "investigator1");
  EXPECT_EQ(alert.alert_id().size(), 36u);
  EXPECT_TRUE(alert.has_created_at());
  EXPECT_THAT(
      r.out, StartsWith(absl::StrCat("Alert ", alert.alert_id(), " accepted")));
}

TEST_F(GwctlTest, SendAlertJsonPrintsTheResponse) {
  const Result r =
      Gwctl({"--json", "send-alert", Example("suspect-wanted.textproto")});
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  EXPECT_THAT(r.out, HasSubstr("\"payload_sha256\": \"3f9a\""));
  EXPECT_THAT(r.out, HasSubstr("\"recipient\": \"VN-MPS\""));
  EXPECT_THAT(r.out, HasSubstr("\"state\": \"QUEUED\""));
}

TEST_F(GwctlTest, DryRunPrintsTheEnvelopeAndSendsNothing) {
  const Result r =
      RunRaw({"--server", "127.0.0.1:1", "--pki", testing::SharedPki().dir(),
              "send-alert", "--dry-run", Example("missing-child.json")});
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  EXPECT_THAT(
      r.out,
      HasSubstr("\"payload_type\": \"application/vnd.gw.v1.CaseAlert+proto\""));
  EXPECT_THAT(r.out, HasSubstr("\"keyid\""));
}

TEST_F(GwctlTest, RefusalIsOneSentenceAndExitOne) {
  alerts_->set_send_status(
      grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                   "payload.recipients[1]: not allowed for H2"));
  const Result r = Gwctl({"send-alert", Example("missing-child.json")});
  EXPECT_EQ(r.exit_code, kExitRefused);
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(
      r.err,
      StartsWith("gwctl: the gateway refused the alert: PERMISSION_DENIED: "
                 "payload.recipients[1]: not allowed for H2; your role "
                 "may not do this"));
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1);
}

TEST_F(GwctlTest, BadAlertFileIsALocalProblemNamingTheField) {
  testing::TestPki scratch;
  ASSERT_TRUE(
      scratch.Run("printf '{\"case_ref\": \"x\", \"nick\": 1}' > bad.json"));
  const Result r = Gwctl({"send-alert", scratch.dir() + "/bad.json"});
  EXPECT_EQ(r.exit_code, kExitLocal);
  EXPECT_THAT(r.err, HasSubstr("bad.json: nick: unknown field; fix it"));
}

TEST_F(GwctlTest, GetAlertNotFoundHintsToCheckTheId) {
  const Result r = Gwctl({"get-alert", "nope"});
  EXPECT_EQ(r.exit_code, kExitRefused);
  EXPECT_THAT(r.err,
              HasSubstr("refused to show alert nope: NOT_FOUND: alert_id: not "
                        "found; check the id"));
}

TEST_F(GwctlTest, ListAlertsAllFollowsPageTokens) {
  const Result r = Gwctl(
      {"list-alerts", "--all", "--kind", "missing_person", "--page-size", "1"});
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  EXPECT_THAT(r.out, HasSubstr("A-1"));
  EXPECT_THAT(r.out, HasSubstr("A-2"));
  EXPECT_THAT(r.out, HasSubstr("A-3"));
  const auto requests = alerts_->list_requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[2].page_token(), "p3");
  EXPECT_EQ(requests[0].kind(), gw::v1::CaseAlert::MISSING_PERSON);
  EXPECT_EQ(requests[0].page_size(), 1);
}

TEST_F(GwctlTest, ListAlertsOnePageShowsTheNextToken) {
  const Result r = Gwctl({"list-alerts"});
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  EXPECT_THAT(r.out, HasSubstr("More: gwctl list-alerts --page-token p2"));
  EXPECT_EQ(alerts_->list_requests().size(), 1u);
}

TEST_F(GwctlTest, CaseUpdateSendsASignedCaseStatus) {
  const Result r = Gwctl({"case", "update", "CN-YN-XSBN-2026-0042", "--state",
                          "investigating", "--note", "Bus ticket traced.",
                          "--update-id", "upd-1"});
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  EXPECT_THAT(
      r.out,
      StartsWith(
          "Case CN-YN-XSBN-2026-0042 is now INVESTIGATING (update upd-1)\n"));
  const gw::v1::Envelope envelope = cases_->last_update().envelope();
  EXPECT_EQ(envelope.payload_type(), "application/vnd.gw.v1.CaseStatus+proto");
  auto verifier =
      crypto::Verifier::FromCertificateDer(envelope.signatures(0).cert_der());
  ASSERT_TRUE(verifier.ok());
  EXPECT_TRUE(crypto::VerifyEnvelopeSignature(envelope, 0, **verifier).ok());
  gw::v1::CaseStatus update;
  ASSERT_TRUE(update.ParseFromString(envelope.payload()));
  EXPECT_EQ(update.case_ref(), "CN-YN-XSBN-2026-0042");
  EXPECT_EQ(update.owner_agency(), "CN-MPS");
  EXPECT_EQ(update.updated_by(), "investigator1");
  EXPECT_EQ(update.update_id(), "upd-1");
  EXPECT_EQ(update.state(), gw::v1::CaseStatus::INVESTIGATING);
  ASSERT_EQ(update.note_size(), 1);
  EXPECT_EQ(update.note(0).lang(), "en");
}

TEST_F(GwctlTest, CaseGetAsAPartnerLiaison) {
  const Result r = Gwctl({"case", "get", "C-9"}, "TH-RTP/liaison/liaison1");
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  EXPECT_THAT(r.out, HasSubstr("Case C-9\n  state           OPEN\n"));
}

TEST_F(GwctlTest, CaseWatchPrintsOneLinePerUpdate) {
  const Result all = Gwctl({"case", "watch", "C-1"});
  ASSERT_EQ(all.exit_code, kExitOk) << all.err;
  EXPECT_EQ(all.out,
            "17:15:02  C-1  OPEN  by CN-MPS/investigator1\n"
            "17:15:03  C-1  INVESTIGATING  by CN-MPS/investigator1\n"
            "17:15:04  C-1  CLOSED  by CN-MPS/investigator1\n");
  const Result two = Gwctl({"--json", "case", "watch", "C-1", "--count", "2"});
  ASSERT_EQ(two.exit_code, kExitOk) << two.err;
  EXPECT_EQ(std::count(two.out.begin(), two.out.end(), '\n'), 2);
  EXPECT_THAT(two.out, HasSubstr("\"state\":\"INVESTIGATING\""));
  const Result missing = Gwctl({"case", "watch", "missing"});
  EXPECT_EQ(missing.exit_code, kExitRefused);
  EXPECT_THAT(missing.err,
              HasSubstr("refused to watch case missing: NOT_FOUND"));
}

TEST_F(GwctlTest, NoGatewayListeningIsExitThree) {
  const Result r = RunRaw({"--server", "127.0.0.1:1", "--pki",
                           testing::SharedPki().dir(), "case", "get", "C-1"});
  EXPECT_EQ(r.exit_code, kExitLocal);
  EXPECT_EQ(
      r.err,
      "gwctl: cannot reach the gateway at 127.0.0.1:1 (connection refused): "
      "start it with tools/run-gateway, or pass --server HOST:PORT.\n");
}

TEST_F(GwctlTest, GatewayFromAnotherCaFailsTheHandshake) {
  const Result r = Gwctl({"--server-agency", "TH-RTP", "case", "get", "C-1"});
  EXPECT_EQ(r.exit_code, kExitLocal);
  EXPECT_THAT(r.err,
              StartsWith("gwctl: the TLS handshake with the gateway at "));
}

TEST_F(GwctlTest, UntrustedClientCertificateIsRefused) {
  const std::string dir = testing::SharedPki().dir();
  const Result r = Gwctl({"--cert", dir + "/self.crt", "--key",
                          dir + "/self.key", "case", "get", "C-1"});
  EXPECT_EQ(r.exit_code, kExitLocal) << r.err;
  EXPECT_THAT(r.err, StartsWith(absl::StrCat(
                         "gwctl: the gateway at ", address_,
                         " closed the connection, most likely refusing your "
                         "certificate: check --as or --cert/--key")));
}

TEST_F(GwctlTest, MissingCertificateNamesThePathAndMakeDevPki) {
  const Result r = RunRaw({"--pki", "/nonexistent/pki", "case", "get", "C-1"});
  EXPECT_EQ(r.exit_code, kExitLocal);
  EXPECT_EQ(
      r.err,
      "gwctl: cannot read your certificate "
      "/nonexistent/pki/CN-MPS/investigator/investigator1.crt (no such "
      "file): create the development PKI with certs/make-dev-pki "
      "/nonexistent/pki, or choose the files with --pki DIR, --as "
      "AGENCY/ROLE/USER, --server-agency AGENCY or --cert FILE --key FILE.\n");
}

// --- audit -----------------------------------------------------------------

TEST_F(GwctlTest, AuditCheckpointPrintsTheVerifiedCheckpoint) {
  const Result r = Gwctl({"audit", "checkpoint"});
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  EXPECT_EQ(r.err, "");
  const std::string root =
      absl::BytesToHexString(audit_log_->Checkpoint().root_hash());
  EXPECT_EQ(r.out, absl::StrCat("Checkpoint of mekong-gateway/CN-MPS/audit\n"
                                "  size            5\n"
                                "  root            ",
                                root,
                                "\n"
                                "  time            2026-11-28 09:16:40 UTC "
                                "(17:16:40 +08:00 local)\n"
                                "  signature       verified\n"));
  const Result json = Gwctl({"--json", "audit", "checkpoint"});
  ASSERT_EQ(json.exit_code, kExitOk) << json.err;
  EXPECT_THAT(json.out, HasSubstr("\"tree_size\": \"5\""));
}

TEST_F(GwctlTest, AuditCheckpointOfAnotherKeyDoesNotVerify) {
  const Result r = Gwctl({"audit", "checkpoint", "--signing-cert",
                          testing::SharedPki().dir() + "/TH-RTP/signing.crt"});
  EXPECT_EQ(r.exit_code, kExitNotVerified);
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err, StartsWith("gwctl: the gateway's checkpoint does not "
                                "verify: checkpoint.note: "));
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1);
}

TEST_F(GwctlTest, AuditWithoutSigningCertificateIsALocalProblem) {
  const Result r =
      Gwctl({"audit", "checkpoint", "--signing-cert", "/nonexistent.crt"});
  EXPECT_EQ(r.exit_code, kExitLocal);
  EXPECT_THAT(r.err, StartsWith("gwctl: cannot read the gateway's signing "
                                "certificate /nonexistent.crt (no such "
                                "file): pass it with --signing-cert FILE"));
  // A file that is not a certificate (here a private key) is refused too.
  const Result self =
      Gwctl({"audit", "verify-receipt", "r.json", "--signing-cert",
             testing::SharedPki().dir() + "/CN-MPS/ca.key"});
  EXPECT_EQ(self.exit_code, kExitLocal);
  EXPECT_THAT(self.err, HasSubstr("is not a usable gateway signing "
                                  "certificate"));
}

TEST_F(GwctlTest, SendAlertReceiptVerifiesOffline) {
  testing::TestPki scratch;
  const std::string file = scratch.dir() + "/alert.receipt.json";
  const Result sent =
      Gwctl({"send-alert", Example("missing-child.json"), "--receipt", file});
  ASSERT_EQ(sent.exit_code, kExitOk) << sent.err;
  EXPECT_THAT(sent.out, HasSubstr("  audit leaf      5\n"
                                  "  receipt         leaf 5 of 6, checkpoint "
                                  "signed\n"));
  // No gateway at all: the check is offline.
  const std::string pki = testing::SharedPki().dir();
  const Result r = RunRaw({"--server", "127.0.0.1:1", "--pki", pki, "audit",
                           "verify-receipt", file});
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_THAT(r.out, StartsWith("Receipt for message "));
  EXPECT_THAT(r.out, HasSubstr("\n  signature       verified: by the gateway "
                               "key "));
  EXPECT_THAT(r.out, HasSubstr("\n  checkpoint      verified: size 6, root "));
  EXPECT_THAT(r.out, HasSubstr("\n  inclusion       verified: leaf 5 of 6\n"));
  EXPECT_THAT(r.out,
              HasSubstr("\n  audit entry     verified: AlertService.SendAlert "
                        "by CN-MPS/investigator1"));
  EXPECT_THAT(r.out, ::testing::EndsWith("\nreceipt verified\n"));

  // The whole answer, as --json send-alert prints it, is accepted too.
  const Result json =
      Gwctl({"--json", "send-alert", Example("missing-child.json")});
  ASSERT_EQ(json.exit_code, kExitOk) << json.err;
  ASSERT_TRUE(scratch.Run("true"));
  {
    std::ofstream answer(scratch.dir() + "/answer.json");
    answer << json.out;
  }
  const Result whole =
      RunRaw({"--server", "127.0.0.1:1", "--pki", pki, "--json", "audit",
              "verify-receipt", scratch.dir() + "/answer.json"});
  ASSERT_EQ(whole.exit_code, kExitOk) << whole.err;
  EXPECT_THAT(whole.out, HasSubstr("\"verified\": true"));
}

struct ReceiptTamperCase {
  std::string name;
  std::function<void(gw::v1::Receipt*)> tamper;
  std::string signing_cert;  // relative to the PKI; "" = CN-MPS/signing.crt
  std::string want_err;
  std::string want_failed_line;
};

TEST_F(GwctlTest, BadReceiptsAreExitOneNamingTheField) {
  testing::TestPki scratch;
  const std::string pki = testing::SharedPki().dir();
  const gw::v1::Receipt good = audit_log_->ReceiptFor(3, "A-3");
  const std::vector<ReceiptTamperCase> cases = {
      {"PayloadDigest",
       [](gw::v1::Receipt* r) { r->set_payload_sha256(std::string(64, 'b')); },
       "", "receipt.signature.sig: signature does not verify",
       "  signature       FAILED: receipt.signature.sig:"},
      {"AnotherGateway", [](gw::v1::Receipt*) {}, "TH-RTP/signing.crt",
       "receipt.signature.keyid:", "  signature       FAILED:"},
      {"ProofHashResigned",
       [](gw::v1::Receipt* r) {
         (*r->mutable_inclusion_proof()->mutable_hashes(0))[0] ^= 1;
         auto signer = crypto::Signer::FromPemFiles(
             testing::SharedPki().dir() + "/CN-MPS/signing.key",
             testing::SharedPki().dir() + "/CN-MPS/signing.crt");
         ASSERT_TRUE(signer.ok());
         ASSERT_TRUE(audit::SignReceipt(**signer, r).ok());
       },
       "", "receipt.inclusion_proof: root mismatch",
       "  inclusion       FAILED: receipt.inclusion_proof: root mismatch"},
  };
  for (const ReceiptTamperCase& c : cases) {
    SCOPED_TRACE(c.name);
    gw::v1::Receipt receipt = good;
    c.tamper(&receipt);
    const std::string file = scratch.dir() + "/" + c.name + ".json";
    ASSERT_TRUE(WriteReceiptFile(file, receipt).ok());
    std::vector<std::string> args = {"--pki", pki, "audit", "verify-receipt",
                                     file};
    if (!c.signing_cert.empty()) {
      args.push_back("--signing-cert");
      args.push_back(pki + "/" + c.signing_cert);
    }
    const Result r = RunRaw(args);
    EXPECT_EQ(r.exit_code, kExitNotVerified);
    EXPECT_THAT(r.err,
                StartsWith(absl::StrCat("gwctl: the receipt does not verify: ",
                                        c.want_err)));
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1);
    EXPECT_THAT(r.out, HasSubstr(c.want_failed_line));
    EXPECT_THAT(r.out, Not(HasSubstr("receipt verified")));
  }
  ASSERT_TRUE(scratch.Run("printf '{\"leaf_index\": \"x\"}' > bad.json"));
  const Result bad = RunRaw(
      {"--pki", pki, "audit", "verify-receipt", scratch.dir() + "/bad.json"});
  EXPECT_EQ(bad.exit_code, kExitLocal);
  EXPECT_THAT(bad.err, StartsWith("gwctl: cannot use the receipt file: "));
  EXPECT_THAT(bad.err, HasSubstr("bad.json: leaf_index: invalid value"));
}

TEST_F(GwctlTest, CaseUpdateReceiptFromTheTrailerVerifies) {
  testing::TestPki scratch;
  const std::string file = scratch.dir() + "/update.json";
  const Result r = Gwctl({"case", "update", "C-1", "--state", "OPEN",
                          "--update-id", "u-1", "--receipt", file});
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  EXPECT_THAT(r.out, StartsWith("Case C-1 is now OPEN (update u-1)\n"
                                "  receipt         leaf 5 of 6, checkpoint "
                                "signed\n"));
  const Result verified = RunRaw(
      {"--pki", testing::SharedPki().dir(), "audit", "verify-receipt", file});
  ASSERT_EQ(verified.exit_code, kExitOk) << verified.err;
  EXPECT_THAT(verified.out, HasSubstr("CaseService.UpdateCaseStatus by "
                                      "CN-MPS/investigator1"));
}

TEST_F(GwctlTest, ReceiptAskedForButNotSentIsExitOne) {
  testing::TestPki scratch;
  const Result r =
      Gwctl({"case", "update", "C-1", "--state", "OPEN", "--update-id",
             "no-receipt", "--receipt", scratch.dir() + "/r.json"});
  EXPECT_EQ(r.exit_code, kExitNotVerified);
  EXPECT_THAT(r.out, StartsWith("Case C-1 is now OPEN"));
  EXPECT_THAT(r.out, Not(HasSubstr("  receipt ")));
  EXPECT_THAT(r.err,
              StartsWith("gwctl: the update of case C-1 was accepted, but the "
                         "gateway's answer carries no receipt"));
  EXPECT_EQ(testing::ReadTextFile(scratch.dir() + "/r.json"), "");
}

TEST_F(GwctlTest, VerifyLogRemembersTheCheckpointAndChecksConsistency) {
  testing::TestPki scratch;
  const std::string state = scratch.dir() + "/state/cn-mps.checkpoint";
  audit_log_->Reset(2500);
  const Result first = Gwctl({"audit", "verify-log", "--state", state});
  ASSERT_EQ(first.exit_code, kExitOk) << first.err;
  EXPECT_EQ(first.err, "");
  EXPECT_THAT(first.out, StartsWith("Checkpoint of mekong-gateway/CN-MPS/"
                                    "audit: size 2500, root "));
  EXPECT_THAT(first.out, HasSubstr("  no earlier checkpoint remembered in "));
  EXPECT_THAT(first.out, HasSubstr("  2500 entries fetched: every leaf hash "
                                   "and the root recomputed, and they "
                                   "match\n"));
  EXPECT_THAT(first.out,
              ::testing::EndsWith(absl::StrCat(
                  "log verified; checkpoint remembered in ", state, "\n")));
  EXPECT_EQ(audit_->entries_calls(), 3);  // pages of 1000
  EXPECT_THAT(testing::ReadTextFile(state),
              HasSubstr("\"tree_size\": \"2500\""));

  for (int i = 0; i < 7; ++i) audit_log_->Append(EntryFor(2500 + i, ""));
  const Result second = Gwctl({"audit", "verify-log", "--state", state});
  ASSERT_EQ(second.exit_code, kExitOk) << second.err;
  EXPECT_THAT(second.out,
              HasSubstr(absl::StrCat("  consistent with the checkpoint of size "
                                     "2500 remembered in ",
                                     state, "\n")));
  EXPECT_THAT(testing::ReadTextFile(state),
              HasSubstr("\"tree_size\": \"2507\""));

  const Result same =
      Gwctl({"--json", "audit", "verify-log", "--state", state});
  ASSERT_EQ(same.exit_code, kExitOk) << same.err;
  EXPECT_THAT(same.out, HasSubstr("\"previous_tree_size\": 2507"));
}

TEST_F(GwctlTest, VerifyLogNamesTheFirstAlteredLeaf) {
  testing::TestPki scratch;
  const std::string state = scratch.dir() + "/s.checkpoint";
  audit_log_->Reset(1300);
  audit_log_->AlterServedLeaf(1234);
  audit_log_->AlterServedLeaf(1290);
  const Result r = Gwctl({"audit", "verify-log", "--state", state});
  EXPECT_EQ(r.exit_code, kExitNotVerified);
  EXPECT_EQ(r.err, absl::StrCat("gwctl: the log was altered: leaf 1234 is not "
                                "the entry the signed checkpoint of size 1300 "
                                "committed to; keep ",
                                state,
                                " as evidence and report this to the "
                                "gateway's operator and your auditor.\n"));
  EXPECT_EQ(testing::ReadTextFile(state), "");  // nothing remembered

  audit_log_->Reset(10);
  audit_log_->AlterShownEntry(7);
  const Result shown = Gwctl({"audit", "verify-log", "--state", state});
  EXPECT_EQ(shown.exit_code, kExitNotVerified);
  EXPECT_THAT(shown.err, StartsWith("gwctl: the log was altered: leaf 7: the "
                                    "entry shown differs from its leaf_data"));
}

TEST_F(GwctlTest, VerifyLogRefusesAHistoryInconsistentWithTheRememberedOne) {
  testing::TestPki scratch;
  const std::string state = scratch.dir() + "/s.checkpoint";
  audit_log_->Reset(5);
  ASSERT_EQ(Gwctl({"audit", "verify-log", "--state", state}).exit_code,
            kExitOk);
  const std::string remembered = testing::ReadTextFile(state);

  audit_log_->Reset(8, "fork");  // another history, signed all the same
  const Result forked = Gwctl({"audit", "verify-log", "--state", state});
  EXPECT_EQ(forked.exit_code, kExitNotVerified);
  EXPECT_THAT(forked.err,
              StartsWith(absl::StrCat(
                  "gwctl: the log was altered: the checkpoint of size 8 is not "
                  "consistent with the one of size 5 remembered in ",
                  state, " (first_root mismatch")));
  EXPECT_EQ(testing::ReadTextFile(state), remembered);

  audit_log_->Reset(3);
  const Result shrunk = Gwctl({"audit", "verify-log", "--state", state});
  EXPECT_EQ(shrunk.exit_code, kExitNotVerified);
  EXPECT_THAT(shrunk.err, HasSubstr("it now has 3 entries, fewer than the 5 "
                                    "remembered in "));

  audit_log_->Reset(5, "fork");
  const Result rewritten = Gwctl({"audit", "verify-log", "--state", state});
  EXPECT_EQ(rewritten.exit_code, kExitNotVerified);
  EXPECT_THAT(rewritten.err, HasSubstr("the checkpoint of size 5 has another "
                                       "root than the one remembered in "));

  // A remembered checkpoint that no longer verifies is not trusted.
  ASSERT_TRUE(scratch.Run("sed -i 's/\"5\"/\"4\"/' s.checkpoint"));
  const Result edited = Gwctl({"audit", "verify-log", "--state", state});
  EXPECT_EQ(edited.exit_code, kExitLocal);
  EXPECT_THAT(edited.err,
              StartsWith(absl::StrCat("gwctl: cannot use the checkpoint "
                                      "remembered in ",
                                      state, ": tree_size: 4")));
}

TEST_F(GwctlTest, VerifyLogShowsProgressWhenSlow) {
  audit_log_->Reset(3000);
  testing::TestPki scratch;
  absl::Time clock = absl::FromUnixSeconds(1795857302);
  const Result r = RunRaw(
      {"--server", address_, "--pki", testing::SharedPki().dir(), "audit",
       "verify-log", "--state", scratch.dir() + "/s.checkpoint"},
      [&clock] { return clock += absl::Seconds(1); });
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  EXPECT_EQ(r.err, "gwctl: fetched 3000 of 3000 entries\n");
}

TEST_F(GwctlTest, AuditSearchPrintsATableAndFollowsPages) {
  audit_log_->Reset(9);
  const Result r =
      Gwctl({"audit", "search", "--actor", "TH-RTP/liaison1", "--all"});
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  // Three matches over two pages of two.
  EXPECT_EQ(
      r.out,
      "LEAF  TIME                                 ACTOR                    "
      "ACTION                     OBJECTS    DECISION  OUTCOME\n"
      "2     2026-11-28 09:15:04Z (17:15 +08:00)  TH-RTP/liaison/liaison1  "
      "AlertService.SendAlert     alert:A-2  ALLOW     OK\n"
      "5     2026-11-28 09:15:07Z (17:15 +08:00)  TH-RTP/liaison/liaison1  "
      "CaseService.GetCaseStatus  alert:A-5  ALLOW     OK\n"
      "8     2026-11-28 09:15:10Z (17:15 +08:00)  TH-RTP/liaison/liaison1  "
      "AlertService.SendAlert     alert:A-8  ALLOW     OK\n");

  const Result one =
      Gwctl({"audit", "search", "--action", "AlertService.SendAlert", "--since",
             "2026-11-28T09:15:05Z", "--page-size", "1"});
  ASSERT_EQ(one.exit_code, kExitOk) << one.err;
  EXPECT_THAT(one.out, HasSubstr("\n4     2026-11-28 09:15:06Z"));
  EXPECT_THAT(one.out,
              ::testing::EndsWith("More: gwctl audit search (same filters) "
                                  "--page-token 1 (or --all)\n"));

  const Result none = Gwctl({"audit", "search", "--object", "case:none"});
  ASSERT_EQ(none.exit_code, kExitOk) << none.err;
  EXPECT_EQ(none.out, "No audit entries.\n");
}

INSTANTIATE_TEST_SUITE_P(
    GwctlTest, GwctlUsageTest,
    ::testing::Values(
        UsageCase{"NoCommand", {}, "no command given"},
        UsageCase{"UnknownCommand", {"frob"}, "there is no command 'frob'"},
        UsageCase{"UnknownCaseCommand",
                  {"case", "close", "C"},
                  "no command 'case close'"},
        UsageCase{"CaseAlone", {"case"}, "case needs a command"},
        UsageCase{"MissingFile", {"send-alert"}, "send-alert needs FILE"},
        UsageCase{"ExtraArgument",
                  {"get-alert", "A", "B"},
                  "takes only ID, but got 'B'"},
        UsageCase{"FlagOfAnotherCommand",
                  {"get-alert", "A", "--all"},
                  "get-alert does not take --all"},
        UsageCase{"UpdateWithoutState",
                  {"case", "update", "C"},
                  "needs --state STATE"},
        UsageCase{"BadState",
                  {"case", "update", "C", "--state", "DONE"},
                  "--state DONE is not one of OPEN, INVESTIGATING"},
        UsageCase{"UnspecifiedStateRefused",
                  {"case", "list", "--state", "STATE_UNSPECIFIED"},
                  "is not one of"},
        UsageCase{"BadKind",
                  {"list-alerts", "--kind", "LOST"},
                  "--kind LOST is not one of"},
        UsageCase{"PageSizeTooBig",
                  {"list-alerts", "--page-size", "1001"},
                  "--page-size 1001 is not a whole number from 1 to 1000"},
        UsageCase{
            "CountZero", {"case", "watch", "C", "--count", "0"}, "--count 0"},
        UsageCase{"LangWithoutNote",
                  {"case", "update", "C", "--state", "OPEN", "--lang", "zh"},
                  "--lang tags the --note text"},
        UsageCase{"BadAs",
                  {"--as", "CN-MPS/investigator", "get-alert", "A"},
                  "is not AGENCY/ROLE/USER"},
        UsageCase{"CertWithoutKey",
                  {"--cert", "a.crt", "get-alert", "A"},
                  "--cert and --key go together"},
        UsageCase{"UnknownFlag",
                  {"--verbose", "get-alert", "A"},
                  "unknown flag --verbose"},
        UsageCase{"HelpForNothing", {"help", "frob"}, "no command 'frob'"},
        UsageCase{"AuditAlone", {"audit"}, "audit needs a command: checkpoint"},
        UsageCase{"UnknownAuditCommand",
                  {"audit", "prove"},
                  "no command 'audit prove'"},
        UsageCase{"VerifyReceiptWithoutFile",
                  {"audit", "verify-receipt"},
                  "audit verify-receipt needs FILE"},
        UsageCase{"BadActor",
                  {"audit", "search", "--actor", "CN-MPS/x/y"},
                  "--actor CN-MPS/x/y is not AGENCY or AGENCY/USER"},
        UsageCase{"BadSince",
                  {"audit", "search", "--since", "yesterday"},
                  "--since yesterday is not a time"},
        UsageCase{"StateOnCheckpoint",
                  {"audit", "checkpoint", "--state", "f"},
                  "audit checkpoint does not take --state"},
        UsageCase{"ReceiptOnGetAlert",
                  {"get-alert", "A", "--receipt", "f"},
                  "get-alert does not take --receipt"}),
    [](const auto& info) { return info.param.name; });

INSTANTIATE_TEST_SUITE_P(
    GwctlTest, GwctlHelpTest,
    ::testing::Values(
        HelpCase{"Top", {"--help"}, "Exit codes:\n  0  success"},
        HelpCase{"TopShort", {"-h"}, "--server HOST:PORT"},
        HelpCase{"HelpCommand", {"help"}, "send-alert FILE"},
        HelpCase{"SendAlert", {"send-alert", "--help"}, "--dry-run"},
        HelpCase{"HelpSendAlert", {"help", "send-alert"}, "created_at"},
        HelpCase{"GetAlert", {"get-alert", "-h"}, "Usage: gwctl get-alert ID"},
        HelpCase{"ListAlerts", {"list-alerts", "--help"}, "--page-token T"},
        HelpCase{"Case", {"case", "--help"}, "case watch REF"},
        HelpCase{
            "CaseGet", {"case", "get", "--help"}, "Usage: gwctl case get REF"},
        HelpCase{"CaseList", {"case", "list", "--help"}, "--state STATE"},
        HelpCase{"CaseUpdate", {"case", "update", "--help"}, "--update-id ID"},
        HelpCase{"CaseWatch", {"--help", "case", "watch"}, "--count N"},
        HelpCase{"TopAudit", {"--help"}, "audit verify-receipt FILE"},
        HelpCase{"SendAlertReceipt", {"send-alert", "-h"}, "--receipt"},
        HelpCase{"CaseUpdateReceipt", {"case", "update", "-h"}, "--receipt"},
        HelpCase{"Audit", {"audit", "--help"}, "--signing-cert FILE"},
        HelpCase{"HelpAudit", {"help", "audit"}, "mekong-gateway/AGENCY/audit"},
        HelpCase{"AuditCheckpoint",
                 {"audit", "checkpoint", "--help"},
                 "signature verified"},
        HelpCase{
            "AuditVerifyReceipt", {"audit", "verify-receipt", "-h"}, "OFFLINE"},
        HelpCase{
            "AuditVerifyLog", {"help", "audit", "verify-log"}, "--state FILE"},
        HelpCase{"AuditSearch", {"audit", "search", "--help"}, "--since TIME"}),
    [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace gw::gwctl
