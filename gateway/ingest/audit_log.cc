#include "gateway/ingest/audit_log.h"

#include <utility>
#include <variant>

#include "absl/strings/str_cat.h"
#include "gateway/audit/log_origin.h"
#include "gateway/audit/proof_nodes.h"
#include "gateway/audit/receipt.h"
#include "gateway/store/audit_node_reader.h"
#include "gateway/util/proto_time.h"
#include "gateway/util/status_macros.h"

namespace gw::ingest {
namespace {

constexpr absl::Duration kSaveCheckpointEvery = absl::Seconds(1);

// What a receipt says about a write: the message it acknowledges.
struct Acknowledged {
  std::string message_id;
  std::string payload_sha256;
  google::protobuf::Timestamp received_at;
};

std::optional<Acknowledged> AcknowledgedBy(const store::Write& write) {
  if (const auto* accept = std::get_if<store::AcceptAlert>(&write.op)) {
    const gw::v1::AlertRecord& stored =
        write.result.alert.has_value() ? *write.result.alert : accept->record;
    // A partner's message is acknowledged under the partner's message id
    // (partners/MM-MPF.md §4); a local one under its alert id.
    const std::string& id = accept->inbound.has_value()
                                ? accept->inbound->message_id
                                : stored.alert().alert_id();
    return Acknowledged{id, stored.payload_sha256(), stored.received_at()};
  }
  if (const auto* update = std::get_if<store::UpdateCase>(&write.op)) {
    return Acknowledged{update->update.update_id(), update->payload_sha256,
                        util::ToTimestamp(update->at)};
  }
  return std::nullopt;  // refusals and checkpoints get no receipt
}

}  // namespace

absl::StatusOr<std::unique_ptr<AuditLog>> AuditLog::Create(
    store::Store* store, Writer* writer, const crypto::Signer* signing_key,
    const std::string& agency, Clock clock) {
  const std::string origin = audit::AuditLogOrigin(agency);
  GW_ASSIGN_OR_RETURN(auto signer, audit::CheckpointSigner::Create(
                                       origin, origin, signing_key));
  std::unique_ptr<AuditLog> log(new AuditLog(
      store, writer, signing_key, agency, std::move(signer), std::move(clock)));
  GW_ASSIGN_OR_RETURN(store::AuditTreeHead head, store->AuditHead());
  GW_RETURN_IF_ERROR(log->Advance(head).status());
  return log;
}

AuditLog::AuditLog(store::Store* store, Writer* writer,
                   const crypto::Signer* signing_key, std::string agency,
                   std::unique_ptr<audit::CheckpointSigner> signer, Clock clock)
    : store_(store),
      writer_(writer),
      signing_key_(signing_key),
      agency_(std::move(agency)),
      checkpoint_signer_(std::move(signer)),
      clock_(std::move(clock)) {}

absl::StatusOr<gw::v1::Checkpoint> AuditLog::Advance(
    const store::AuditTreeHead& head) {
  {
    absl::MutexLock lock(&mu_);
    if (!latest_.note().empty() && latest_.tree_size() >= head.size)
      return latest_;
  }
  gw::v1::Checkpoint checkpoint;
  checkpoint.set_tree_size(head.size);
  checkpoint.set_root_hash(head.root_hash);
  *checkpoint.mutable_time() = util::ToTimestamp(clock_());
  GW_ASSIGN_OR_RETURN(*checkpoint.mutable_note(),
                      checkpoint_signer_->Sign(head.size, head.root_hash));
  absl::MutexLock lock(&mu_);
  if (latest_.note().empty() || latest_.tree_size() < checkpoint.tree_size())
    latest_ = checkpoint;
  return latest_;
}

void AuditLog::OnBatchCommitted(absl::Span<store::Write* const> batch) {
  auto head = store_->AuditHead();
  if (!head.ok())
    return;  // receipts stay empty; the writes themselves are durable
  auto checkpoint = Advance(*head);
  if (!checkpoint.ok()) return;

  for (store::Write* write : batch) {
    if (!write->result.status.ok() || write->result.audit_leaf_data.empty())
      continue;
    if (auto receipt = ReceiptFor(*write, *checkpoint); receipt.ok()) {
      write->result.receipt = *std::move(receipt);
    }
  }

  // Keep the newest checkpoint in the store now and then; it rides along
  // with the next batch, so it costs no fsync of its own.
  absl::MutexLock lock(&mu_);
  const absl::Time now = clock_();
  if (checkpoint->tree_size() > saved_size_ &&
      now - last_saved_ >= kSaveCheckpointEvery) {
    last_saved_ = now;
    saved_size_ = checkpoint->tree_size();
    auto save = std::make_unique<store::Write>();
    save->op = store::SaveCheckpoint{*checkpoint};
    writer_->Submit(std::move(save), [](store::Write&) {});
  }
}

absl::StatusOr<gw::v1::Receipt> AuditLog::ReceiptFor(
    const store::Write& write, const gw::v1::Checkpoint& checkpoint) {
  std::optional<Acknowledged> acknowledged = AcknowledgedBy(write);
  if (!acknowledged.has_value())
    return absl::NotFoundError("no receipt for this write");
  gw::v1::Receipt receipt;
  receipt.set_message_id(acknowledged->message_id);
  receipt.set_payload_sha256(acknowledged->payload_sha256);
  receipt.set_recipient(agency_);
  receipt.set_status(gw::v1::Receipt::ACCEPTED);
  *receipt.mutable_received_at() = acknowledged->received_at;
  receipt.set_leaf_index(write.result.audit_leaf_index);
  receipt.set_leaf_data(write.result.audit_leaf_data);
  GW_ASSIGN_OR_RETURN(
      *receipt.mutable_inclusion_proof(),
      InclusionProof(write.result.audit_leaf_index, checkpoint.tree_size()));
  *receipt.mutable_checkpoint() = checkpoint;
  for (const gw::v1::ReceiptWarning& warning : write.result.receipt_warnings)
    *receipt.add_warnings() = warning;
  GW_RETURN_IF_ERROR(audit::SignReceipt(*signing_key_, &receipt));
  return receipt;
}

absl::StatusOr<gw::v1::Checkpoint> AuditLog::Checkpoint() {
  GW_ASSIGN_OR_RETURN(store::AuditTreeHead head, store_->AuditHead());
  return Advance(head);
}

absl::StatusOr<gw::v1::InclusionProof> AuditLog::InclusionProof(
    uint64_t leaf_index, uint64_t tree_size) {
  GW_ASSIGN_OR_RETURN(store::AuditTreeHead head, store_->AuditHead());
  if (tree_size > head.size) {
    return absl::OutOfRangeError(absl::StrCat("tree_size: ", tree_size,
                                              " is beyond the log's ",
                                              head.size, " entries"));
  }
  if (tree_size == 0 || leaf_index >= tree_size) {
    return absl::InvalidArgumentError(absl::StrCat(
        "leaf_index: ", leaf_index, ", want less than tree_size ", tree_size));
  }
  GW_ASSIGN_OR_RETURN(audit::ProofPlan plan,
                      audit::InclusionProofNodes(leaf_index, tree_size));
  store::StoreNodeReader reader(store_);
  GW_ASSIGN_OR_RETURN(std::vector<std::string> hashes,
                      audit::BuildProof(plan, reader));
  gw::v1::InclusionProof proof;
  proof.set_leaf_index(leaf_index);
  proof.set_tree_size(tree_size);
  for (auto& hash : hashes) proof.add_hashes(std::move(hash));
  return proof;
}

absl::StatusOr<gw::v1::ConsistencyProof> AuditLog::ConsistencyProof(
    uint64_t first, uint64_t second) {
  GW_ASSIGN_OR_RETURN(store::AuditTreeHead head, store_->AuditHead());
  if (second > head.size) {
    return absl::OutOfRangeError(absl::StrCat(
        "second: ", second, " is beyond the log's ", head.size, " entries"));
  }
  if (first > second) {
    return absl::InvalidArgumentError(
        absl::StrCat("first: ", first, " is larger than second ", second));
  }
  GW_ASSIGN_OR_RETURN(audit::ProofPlan plan,
                      audit::ConsistencyProofNodes(first, second));
  store::StoreNodeReader reader(store_);
  GW_ASSIGN_OR_RETURN(std::vector<std::string> hashes,
                      audit::BuildProof(plan, reader));
  gw::v1::ConsistencyProof proof;
  proof.set_first(first);
  proof.set_second(second);
  for (auto& hash : hashes) proof.add_hashes(std::move(hash));
  return proof;
}

}  // namespace gw::ingest
