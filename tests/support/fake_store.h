// tests/support/fake_store.h
//
// FakeStore is an in-memory Store (gateway/store/store.h) for unit tests,
// with switches a real database cannot offer on demand:
//  * batch_sizes() records the size of every Commit() call, so tests can see
//    group commit happen;
//  * FailCommitsWith(status) makes every following Commit() fail as a whole
//    (the "disk full" / "busy" switch) until cleared with OkStatus();
//  * PauseCommits() makes Commit() block on entry until ResumeCommits();
//    WaitForPausedCommit() waits until a Commit() is blocked there, so a test
//    can queue work behind a commit that is known to be in progress.
//
// It follows store.h's contract in a simple way: alerts and cases in maps,
// the outbox as a map of DeliveryRow by seq (alerts keep their records
// without deliveries, which are filled in from the outbox on every read),
// partner messages in a map by (sender, message id), the audit log as a
// vector of deterministically serialized AuditEntry messages, the tree as
// an audit::CompactRange plus a map of every complete node it reported,
// checkpoints in a map; page tokens "fake-alerts:N" / "fake-cases:N" (an
// offset), "fake-deliveries:N" (the last seq returned) and "fake-audit:N"
// (the leaf to resume at). The new-write errors (inbound, UpdateDelivery,
// the reads of the outbox) use SqliteStore's codes and field paths, so the
// store conformance tests run over both; a message id reused across
// deliveries is INTERNAL, as SQLite's UNIQUE constraint makes it.
// SaveCheckpoint and VerifyAuditTree recompute roots naively from the
// leaves. It is not durable and not fast; it exists so tests need neither
// SQLite nor the disk.
// Thread safety: all methods may be called concurrently.
#ifndef GW_TESTS_SUPPORT_FAKE_STORE_H_
#define GW_TESTS_SUPPORT_FAKE_STORE_H_

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "gateway/audit/compact_range.h"
#include "gateway/audit/node_id.h"
#include "gateway/store/store.h"

namespace gw::testing {

class FakeStore final : public store::Store {
 public:
  FakeStore() = default;
  FakeStore(const FakeStore&) = delete;
  FakeStore& operator=(const FakeStore&) = delete;

  [[nodiscard]] absl::Status Commit(
      absl::Span<store::Write* const> batch) override;
  [[nodiscard]] absl::StatusOr<gw::v1::AlertRecord> GetAlert(
      absl::string_view alert_id) override;
  [[nodiscard]] absl::StatusOr<store::AlertPage> ListAlerts(
      const store::AlertQuery& query) override;
  [[nodiscard]] absl::StatusOr<gw::v1::CaseStatus> GetCase(
      absl::string_view case_ref) override;
  [[nodiscard]] absl::StatusOr<store::CasePage> ListCases(
      const store::CaseQuery& query) override;
  [[nodiscard]] absl::StatusOr<std::vector<store::DeliveryRow>>
  PendingDeliveries() override;
  [[nodiscard]] absl::StatusOr<store::DeliveryPage> ListDeliveries(
      const store::DeliveryQuery& query) override;
  [[nodiscard]] absl::StatusOr<store::DeliveryRow> GetDelivery(
      absl::string_view message_id) override;
  [[nodiscard]] absl::StatusOr<std::string> InboundMessageDigest(
      absl::string_view sender_agency, absl::string_view message_id) override;
  [[nodiscard]] absl::StatusOr<std::string> InboundMessageEvidence(
      absl::string_view sender_agency, absl::string_view message_id) override;
  [[nodiscard]] absl::StatusOr<uint64_t> AuditLogSize() override;
  [[nodiscard]] absl::StatusOr<std::vector<store::AuditLeaf>> ReadAuditLog(
      uint64_t start, uint64_t count) override;
  [[nodiscard]] absl::StatusOr<store::AuditTreeHead> AuditHead() override;
  [[nodiscard]] absl::StatusOr<std::vector<std::string>> ReadAuditNodes(
      absl::Span<const audit::NodeId> ids) override;
  [[nodiscard]] absl::StatusOr<gw::v1::Checkpoint> LatestCheckpoint() override;
  [[nodiscard]] absl::StatusOr<store::AuditPage> SearchAudit(
      const store::AuditQuery& query) override;
  [[nodiscard]] absl::Status VerifyAuditTree(
      const std::function<void(uint64_t, uint64_t)>& progress) override;

  // Switches (see the header comment).
  void FailCommitsWith(absl::Status status);
  void PauseCommits();
  void ResumeCommits();
  void WaitForPausedCommit();

  // The size of every Commit() so far, failed ones included, in call order.
  std::vector<size_t> batch_sizes();
  // Every audit entry committed so far, decoded, in log order.
  std::vector<gw::v1::AuditEntry> audit_entries();

 private:
  struct StoredAlert {
    // Without deliveries: they live in deliveries_ (seqs in
    // delivery_seqs).
    gw::v1::AlertRecord record;
    uint64_t audit_leaf_index = 0;
    std::vector<int64_t> delivery_seqs;
  };
  struct StoredInbound {
    std::string received_sha256;
    std::string alert_id;
    uint64_t audit_leaf_index = 0;
    std::vector<gw::v1::ReceiptWarning> receipt_warnings;
    std::string evidence;
  };
  struct StoredUpdate {
    std::string payload_sha256;
    uint64_t audit_leaf_index = 0;
  };

  void Apply(store::Write* write) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void ApplyAlert(store::AcceptAlert& op, store::WriteResult* result)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void ApplyUpdate(store::UpdateCase& op, store::WriteResult* result)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void ApplyDelivery(store::UpdateDelivery& op, store::WriteResult* result)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The stored record with its deliveries as they are now.
  gw::v1::AlertRecord RecordOf(const StoredAlert& stored) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void ApplyCheckpoint(const gw::v1::Checkpoint& checkpoint,
                       store::WriteResult* result)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Appends `entry` and reports its leaf index and bytes in `result`.
  void AppendLeaf(const gw::v1::AuditEntry& entry, store::WriteResult* result)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Reports leaf `leaf_index` (a duplicate's first leaf) in `result`.
  void ReportLeaf(uint64_t leaf_index, store::WriteResult* result)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  absl::Mutex mu_;
  absl::Status commit_error_ ABSL_GUARDED_BY(mu_);
  bool paused_ ABSL_GUARDED_BY(mu_) = false;
  int waiting_commits_ ABSL_GUARDED_BY(mu_) = 0;
  std::vector<size_t> batch_sizes_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> audit_ ABSL_GUARDED_BY(mu_);
  audit::CompactRange range_ ABSL_GUARDED_BY(mu_);
  std::map<audit::NodeId, std::string> nodes_ ABSL_GUARDED_BY(mu_);
  std::map<uint64_t, gw::v1::Checkpoint> checkpoints_ ABSL_GUARDED_BY(mu_);
  // Keyed by alert_id / case_ref; alert_order_ / case_order_ keep
  // acceptance and creation order for the lists.
  std::map<std::string, StoredAlert> alerts_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> alert_order_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, gw::v1::CaseStatus> cases_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> case_order_ ABSL_GUARDED_BY(mu_);
  // Keyed by case_ref + "\n" + update_id.
  std::map<std::string, StoredUpdate> updates_ ABSL_GUARDED_BY(mu_);
  // The outbox by seq, and the seq of each current message id.
  std::map<int64_t, store::DeliveryRow> deliveries_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, int64_t> delivery_by_message_id_ ABSL_GUARDED_BY(mu_);
  int64_t last_delivery_seq_ ABSL_GUARDED_BY(mu_) = 0;
  // Keyed by sender_agency + "\n" + message_id.
  std::map<std::string, StoredInbound> inbound_ ABSL_GUARDED_BY(mu_);
};

}  // namespace gw::testing

#endif  // GW_TESTS_SUPPORT_FAKE_STORE_H_
