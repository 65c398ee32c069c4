// End-to-end tests of the tamper-evident audit log: the real gatewayd over
// mutual TLS, receipts verified offline with nothing but the gateway's
// signing certificate, proofs, search, and tampering caught.
#include <grpcpp/grpcpp.h>
#include <sqlite3.h>

#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "gateway/audit/checkpoint_verifier.h"
#include "gateway/audit/hasher.h"
#include "gateway/audit/log_origin.h"
#include "gateway/audit/proof_verifier.h"
#include "gateway/audit/receipt.h"
#include "gateway/crypto/verifier.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "gw/v1/alert.grpc.pb.h"
#include "gw/v1/audit.grpc.pb.h"
#include "gw/v1/case.grpc.pb.h"
#include "tests/support/dev_pki.h"
#include "tests/support/gateway_process.h"
#include "tests/support/test_client.h"

namespace gw {
namespace {

using ::gw::testing::CallContext;
using ::gw::testing::ChannelAs;
using ::gw::testing::DevPki;
using ::gw::testing::GatewayArgs;
using ::gw::testing::GatewayProcess;
using ::gw::testing::ReadFileForTest;
using ::gw::testing::SampleAlert;
using ::gw::testing::SignedEnvelope;
using ::gw::testing::UserCertBase;
using ::testing::HasSubstr;

constexpr char kAlertType[] = "application/vnd.gw.v1.CaseAlert+proto";
constexpr char kCaseType[] = "application/vnd.gw.v1.CaseStatus+proto";

std::unique_ptr<crypto::Verifier> SigningKey(const std::string& agency) {
  auto verifier = crypto::Verifier::FromCertificatePem(ReadFileForTest(
      absl::StrCat(DevPki::Get().dir(), "/", agency, "/signing.crt")));
  EXPECT_TRUE(verifier.ok()) << verifier.status();
  return verifier.ok() ? *std::move(verifier) : nullptr;
}

v1::SendAlertResponse SendAlertOk(const std::string& address,
                                  const std::string& alert_id,
                                  const std::string& case_ref) {
  auto stub = v1::AlertService::NewStub(
      ChannelAs(address, "CN-MPS", "investigator", "investigator1"));
  v1::SendAlertRequest request;
  *request.mutable_envelope() =
      SignedEnvelope(kAlertType, SampleAlert(alert_id, case_ref, {"TH-RTP"}),
                     UserCertBase("CN-MPS", "investigator", "investigator1"));
  v1::SendAlertResponse response;
  grpc::Status status =
      stub->SendAlert(CallContext().get(), request, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return response;
}

std::vector<std::string> Hashes(
    const google::protobuf::RepeatedPtrField<std::string>& hashes) {
  return {hashes.begin(), hashes.end()};
}

class AuditLogTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    data_dir_ = new std::string(::gw::testing::MakeTempDir("gw-itest-audit"));
    gateway_ = new GatewayProcess(GatewayArgs(*data_dir_));
    ASSERT_TRUE(gateway_->ok()) << gateway_->error();
  }
  static void TearDownTestSuite() {
    delete gateway_;
    gateway_ = nullptr;
  }
  void SetUp() override { ASSERT_TRUE(gateway_ != nullptr && gateway_->ok()); }
  static const std::string& address() { return gateway_->address(); }

  static std::string* data_dir_;
  static GatewayProcess* gateway_;
};

std::string* AuditLogTest::data_dir_ = nullptr;
GatewayProcess* AuditLogTest::gateway_ = nullptr;

TEST_F(AuditLogTest,
       SendAlertReceiptVerifiesOfflineWithTheSigningCertificateOnly) {
  v1::SendAlertResponse response =
      SendAlertOk(address(), "AUD-RCPT-1", "CASE-AUD-1");
  ASSERT_TRUE(response.has_receipt());
  const v1::Receipt& receipt = response.receipt();
  EXPECT_EQ(receipt.message_id(), "AUD-RCPT-1");
  EXPECT_EQ(receipt.payload_sha256(), response.payload_sha256());
  EXPECT_EQ(receipt.recipient(), "CN-MPS");
  EXPECT_EQ(receipt.status(), v1::Receipt::ACCEPTED);
  EXPECT_EQ(receipt.leaf_index(), response.audit_leaf_index());

  auto key = SigningKey("CN-MPS");
  ASSERT_NE(key, nullptr);
  absl::Status verified = audit::VerifyReceipt(receipt, *key);
  EXPECT_TRUE(verified.ok()) << verified;

  // A receipt with one byte changed does not verify.
  v1::Receipt tampered = receipt;
  tampered.set_payload_sha256(std::string(64, '0'));
  EXPECT_FALSE(audit::VerifyReceipt(tampered, *key).ok());
  // Nor does it verify with another gateway's key.
  auto other = SigningKey("MM-MPF");
  ASSERT_NE(other, nullptr);
  EXPECT_FALSE(audit::VerifyReceipt(receipt, *other).ok());
}

TEST_F(AuditLogTest, CaseUpdateReceiptComesInTheTrailer) {
  SendAlertOk(address(), "AUD-CASE-1", "CASE-AUD-2");
  v1::CaseStatus update;
  update.set_case_ref("CASE-AUD-2");
  update.set_owner_agency("CN-MPS");
  update.set_state(v1::CaseStatus::INVESTIGATING);
  update.set_update_id("AUD-UPD-1");
  update.set_updated_by("investigator1");
  auto stub = v1::CaseService::NewStub(
      ChannelAs(address(), "CN-MPS", "investigator", "investigator1"));
  v1::UpdateCaseStatusRequest request;
  *request.mutable_envelope() =
      SignedEnvelope(kCaseType, update,
                     UserCertBase("CN-MPS", "investigator", "investigator1"));
  v1::CaseStatus status;
  auto context = CallContext();
  ASSERT_TRUE(stub->UpdateCaseStatus(context.get(), request, &status).ok());
  auto trailer = context->GetServerTrailingMetadata().find("gw-receipt-bin");
  ASSERT_NE(trailer, context->GetServerTrailingMetadata().end());
  v1::Receipt receipt;
  ASSERT_TRUE(receipt.ParseFromString(
      std::string(trailer->second.data(), trailer->second.size())));
  EXPECT_EQ(receipt.message_id(), "AUD-UPD-1");
  auto key = SigningKey("CN-MPS");
  ASSERT_NE(key, nullptr);
  absl::Status verified = audit::VerifyReceipt(receipt, *key);
  EXPECT_TRUE(verified.ok()) << verified;
}

TEST_F(AuditLogTest, CheckpointsAndProofsVerify) {
  auto auditor = v1::AuditService::NewStub(
      ChannelAs(address(), "CN-MPS", "auditor", "auditor1"));
  auto key = SigningKey("CN-MPS");
  ASSERT_NE(key, nullptr);
  const std::string origin = audit::AuditLogOrigin("CN-MPS");

  v1::SendAlertResponse sent =
      SendAlertOk(address(), "AUD-PROOF-1", "CASE-AUD-3");
  v1::Checkpoint first;
  ASSERT_TRUE(auditor->GetCheckpoint(CallContext().get(), {}, &first).ok());
  ASSERT_TRUE(audit::VerifyCheckpoint(first.note(), origin, origin, *key).ok());
  ASSERT_GT(first.tree_size(), sent.audit_leaf_index());

  for (int i = 0; i < 5; ++i)
    SendAlertOk(address(), absl::StrCat("AUD-PROOF-", 2 + i), "CASE-AUD-3");
  v1::Checkpoint second;
  ASSERT_TRUE(auditor->GetCheckpoint(CallContext().get(), {}, &second).ok());
  ASSERT_GT(second.tree_size(), first.tree_size());

  // The alert's entry is in the newer tree.
  v1::GetEntriesRequest get_entries;
  get_entries.set_start(sent.audit_leaf_index());
  get_entries.set_count(1);
  v1::Entries entries;
  ASSERT_TRUE(
      auditor->GetEntries(CallContext().get(), get_entries, &entries).ok());
  ASSERT_EQ(entries.entries_size(), 1);
  v1::GetInclusionProofRequest get_proof;
  get_proof.set_leaf_index(sent.audit_leaf_index());
  get_proof.set_tree_size(second.tree_size());
  v1::InclusionProof proof;
  ASSERT_TRUE(
      auditor->GetInclusionProof(CallContext().get(), get_proof, &proof).ok());
  EXPECT_TRUE(
      audit::VerifyInclusion(audit::HashLeaf(entries.entries(0).leaf_data()),
                             proof.leaf_index(), proof.tree_size(),
                             Hashes(proof.hashes()), second.root_hash())
          .ok());

  // The newer tree extends the older one.
  v1::GetConsistencyProofRequest get_consistency;
  get_consistency.set_first(first.tree_size());
  get_consistency.set_second(second.tree_size());
  v1::ConsistencyProof consistency;
  ASSERT_TRUE(auditor
                  ->GetConsistencyProof(CallContext().get(), get_consistency,
                                        &consistency)
                  .ok());
  EXPECT_TRUE(audit::VerifyConsistency(first.tree_size(), second.tree_size(),
                                       Hashes(consistency.hashes()),
                                       first.root_hash(), second.root_hash())
                  .ok());

  // Beyond today's log: OUT_OF_RANGE.
  get_proof.set_tree_size(second.tree_size() + 1000000);
  EXPECT_EQ(auditor->GetInclusionProof(CallContext().get(), get_proof, &proof)
                .error_code(),
            grpc::StatusCode::OUT_OF_RANGE);
}

TEST_F(AuditLogTest, NonAuditorsProveAndSearchOnlyTheirOwnEntries) {
  v1::SendAlertResponse sent =
      SendAlertOk(address(), "AUD-OWN-1", "CASE-AUD-4");
  auto thai = v1::AuditService::NewStub(
      ChannelAs(address(), "TH-RTP", "liaison", "liaison1"));
  v1::Checkpoint checkpoint;
  ASSERT_TRUE(thai->GetCheckpoint(CallContext().get(), {}, &checkpoint).ok());

  // A CN-MPS entry is not the Thai liaison's to prove.
  v1::GetInclusionProofRequest get_proof;
  get_proof.set_leaf_index(sent.audit_leaf_index());
  get_proof.set_tree_size(checkpoint.tree_size());
  v1::InclusionProof proof;
  EXPECT_EQ(thai->GetInclusionProof(CallContext().get(), get_proof, &proof)
                .error_code(),
            grpc::StatusCode::NOT_FOUND);

  // Nor may it search CN-MPS's entries; its own search is confined to TH-RTP.
  v1::SearchAuditRequest search;
  search.set_actor_agency("CN-MPS");
  v1::Entries entries;
  EXPECT_EQ(
      thai->SearchAudit(CallContext().get(), search, &entries).error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  search.clear_actor_agency();
  ASSERT_TRUE(thai->SearchAudit(CallContext().get(), search, &entries).ok());
  ASSERT_GT(entries.entries_size(), 0);  // at least the refusals just recorded
  for (const auto& e : entries.entries())
    EXPECT_EQ(e.entry().actor_agency(), "TH-RTP");

  // The auditor finds the alert's entry by object id.
  auto auditor = v1::AuditService::NewStub(
      ChannelAs(address(), "CN-MPS", "auditor", "auditor1"));
  search.set_object_id("alert:AUD-OWN-1");
  ASSERT_TRUE(auditor->SearchAudit(CallContext().get(), search, &entries).ok());
  ASSERT_EQ(entries.entries_size(), 1);
  EXPECT_EQ(entries.entries(0).leaf_index(), sent.audit_leaf_index());
  EXPECT_EQ(entries.entries(0).entry().action(), "AlertService.SendAlert");
}

// Flips one byte of the stored audit entry at `leaf_index`.
void TamperWithAuditLeaf(const std::string& db_path, uint64_t leaf_index) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(db_path.c_str(), &db), SQLITE_OK);
  sqlite3_busy_timeout(db, 5000);
  const std::string sql = absl::StrCat(
      "UPDATE audit_log SET leaf_data = CAST(substr(leaf_data, 1, 3) || "
      "char((unicode(substr(leaf_data, 4, 1)) + 1) % 128) || substr(leaf_data, "
      "5) AS BLOB) "
      "WHERE leaf_index = ",
      leaf_index);
  char* error = nullptr;
  EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error), SQLITE_OK)
      << (error != nullptr ? error : "");
  sqlite3_free(error);
  EXPECT_EQ(sqlite3_changes(db), 1);
  sqlite3_close(db);
}

TEST(AuditTamperTest, GatewayRefusesToStartOnAnAlteredLog) {
  const std::string data_dir = ::gw::testing::MakeTempDir("gw-itest-tamper");
  uint64_t leaf = 0;
  {
    GatewayProcess gateway(GatewayArgs(data_dir));
    ASSERT_TRUE(gateway.ok()) << gateway.error();
    for (int i = 0; i < 3; ++i)
      SendAlertOk(gateway.address(), absl::StrCat("TAMPER-", i), "CASE-T");
    leaf =
        SendAlertOk(gateway.address(), "TAMPER-X", "CASE-T").audit_leaf_index();
    EXPECT_EQ(gateway.Terminate(), 0);
  }
  TamperWithAuditLeaf(data_dir + "/CN-MPS/gateway.db", leaf);
  GatewayProcess restarted(GatewayArgs(data_dir));
  EXPECT_FALSE(restarted.ok());
  EXPECT_THAT(restarted.error(), HasSubstr(absl::StrCat("leaf ", leaf)));
  EXPECT_THAT(restarted.error(), HasSubstr("altered"));
}

// gwctl, the auditor's tool, against the real gateway: a receipt verified
// offline, and verify-log catching an entry altered behind the gateway's back.
TEST(AuditGwctlTest, VerifyReceiptAndVerifyLogCatchTampering) {
  const std::string data_dir =
      ::gw::testing::MakeTempDir("gw-itest-gwctl-audit");
  GatewayProcess gateway(GatewayArgs(data_dir));
  ASSERT_TRUE(gateway.ok()) << gateway.error();
  const std::string gwctl = absl::StrCat(GW_BINARY_DIR, "/tools/gwctl/gwctl");
  const std::string common = absl::StrCat(
      gwctl, " --server ", gateway.address(), " --pki ", DevPki::Get().dir());
  const std::string alert_file = data_dir + "/alert.json";
  {
    std::ofstream out(alert_file);
    out << R"({"case_ref": "CASE-GWCTL-1", "kind": "MISSING_PERSON", "priority": "URGENT",
              "handling_code": "H1", "recipients": ["VN-MPS"],
              "subjects": [{"role": "VICTIM", "person": {"names": [{"script": "Latn",
              "full": "Fictional Test"}], "sex": "FEMALE", "date_of_birth": "2011"}}]})";
  }
  std::string output;
  ASSERT_EQ(::gw::testing::RunCommand(
                absl::StrCat(common, " send-alert ", alert_file, " --receipt ",
                             data_dir, "/receipt.json"),
                &output),
            0)
      << output;
  // Offline: the gateway's address is wrong on purpose, nothing is contacted.
  ASSERT_EQ(::gw::testing::RunCommand(
                absl::StrCat(gwctl, " --server 127.0.0.1:1 --pki ",
                             DevPki::Get().dir(), " audit verify-receipt ",
                             data_dir, "/receipt.json"),
                &output),
            0)
      << output;
  EXPECT_THAT(output, HasSubstr("receipt verified"));

  const std::string verify_log = absl::StrCat(
      common, " --as CN-MPS/auditor/auditor1 audit verify-log --state ",
      data_dir, "/state.checkpoint");
  ASSERT_EQ(::gw::testing::RunCommand(verify_log, &output), 0) << output;
  for (int i = 0; i < 3; ++i)
    SendAlertOk(gateway.address(), absl::StrCat("GWCTL-", i), "CASE-GWCTL-2");
  ASSERT_EQ(::gw::testing::RunCommand(verify_log, &output), 0) << output;

  // Someone with access to the database file alters one entry.
  TamperWithAuditLeaf(data_dir + "/CN-MPS/gateway.db", 1);
  EXPECT_EQ(::gw::testing::RunCommand(verify_log, &output), 1) << output;
  EXPECT_THAT(output, HasSubstr("leaf 1"));
}
}  // namespace
}  // namespace gw
