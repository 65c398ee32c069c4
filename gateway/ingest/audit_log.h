// gateway/ingest/audit_log.h
//
// AuditLog is what the gateway says about its own audit log (CONTRACT.md
// §5): signed checkpoints, receipts, and proofs.
//
// Guarantees:
//  * After every committed batch (OnBatchCommitted, on the writer thread) a
//    checkpoint of the new tree head is signed with the gateway's Ed25519
//    signing key, so a checkpoint is issued at least as often as entries
//    are appended; every write of the batch that appended (or, for a
//    duplicate, had appended) an audit leaf gets a Receipt: its leaf index
//    and leaf bytes, an inclusion proof against that checkpoint, and the
//    gateway's signature (audit/receipt.h). Every receipt it issues passes
//    audit::VerifyReceipt with the certificate of the signing key.
//  * The newest checkpoint is kept in the store (SaveCheckpoint) at most
//    once a second, through the writer, so start-up can check the tree
//    against it.
//  * Checkpoints never go backwards: Checkpoint() returns the newest head.
// Errors from the proof methods: INVALID_ARGUMENT for impossible indexes
// ("leaf_index: ..."), OUT_OF_RANGE when tree_size is beyond today's log,
// DATA_LOSS when the stored tree is damaged.
// Ownership: `store`, `writer` and `signing_key` are not owned and must
// outlive this object.
// Thread safety: all methods may be called concurrently.
#ifndef GW_INGEST_AUDIT_LOG_H_
#define GW_INGEST_AUDIT_LOG_H_

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "gateway/audit/checkpoint_signer.h"
#include "gateway/crypto/signer.h"
#include "gateway/ingest/writer.h"
#include "gateway/store/store.h"
#include "gw/v1/audit.pb.h"
#include "gw/v1/receipt.pb.h"

namespace gw::ingest {

class AuditLog {
 public:
  using Clock = std::function<absl::Time()>;

  // `agency` names the log (audit::AuditLogOrigin). Signs a first
  // checkpoint of the current head.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<AuditLog>> Create(
      store::Store* store, Writer* writer, const crypto::Signer* signing_key,
      const std::string& agency, Clock clock = absl::Now);

  AuditLog(const AuditLog&) = delete;
  AuditLog& operator=(const AuditLog&) = delete;

  // Writer hook: signs the new head and fills each write's receipt.
  void OnBatchCommitted(absl::Span<store::Write* const> batch);

  // The newest signed checkpoint (signing one now if the head moved).
  [[nodiscard]] absl::StatusOr<gw::v1::Checkpoint> Checkpoint();
  [[nodiscard]] absl::StatusOr<gw::v1::InclusionProof> InclusionProof(
      uint64_t leaf_index, uint64_t tree_size);
  [[nodiscard]] absl::StatusOr<gw::v1::ConsistencyProof> ConsistencyProof(
      uint64_t first, uint64_t second);

  const std::string& agency() const { return agency_; }

 private:
  AuditLog(store::Store* store, Writer* writer,
           const crypto::Signer* signing_key, std::string agency,
           std::unique_ptr<audit::CheckpointSigner> signer, Clock clock);

  // Signs a checkpoint for `head` and makes it the newest, unless a newer
  // one exists; returns the newest.
  absl::StatusOr<gw::v1::Checkpoint> Advance(const store::AuditTreeHead& head);
  absl::StatusOr<gw::v1::Receipt> ReceiptFor(
      const store::Write& write, const gw::v1::Checkpoint& checkpoint);

  store::Store* const store_;                // not owned
  Writer* const writer_;                     // not owned
  const crypto::Signer* const signing_key_;  // not owned
  const std::string agency_;
  const std::unique_ptr<audit::CheckpointSigner> checkpoint_signer_;
  const Clock clock_;

  absl::Mutex mu_;
  gw::v1::Checkpoint latest_ ABSL_GUARDED_BY(mu_);
  absl::Time last_saved_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  uint64_t saved_size_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace gw::ingest

#endif  // GW_INGEST_AUDIT_LOG_H_
