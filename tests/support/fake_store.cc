#include "tests/support/fake_store.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include <algorithm>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "gateway/audit/hasher.h"
#include "gateway/store/delivery_rules.h"
#include "gateway/util/proto_time.h"

namespace gw::testing {
namespace {

constexpr char kAlertToken[] = "fake-alerts:";
constexpr char kCaseToken[] = "fake-cases:";
constexpr char kAuditToken[] = "fake-audit:";
constexpr char kDeliveryToken[] = "fake-deliveries:";

// The leaf data of `entry`, as gateway/store/sqlite/audit_leaf_data.h makes
// it (that library is SQLite's; the fake does not link it).
std::string DeterministicBytes(const gw::v1::AuditEntry& entry) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream output(&bytes);
    google::protobuf::io::CodedOutputStream coded(&output);
    coded.SetSerializationDeterministic(true);
    entry.SerializeToCodedStream(&coded);
  }
  return bytes;
}

// The root of the first `size` leaves of `leaves`, recomputed from scratch;
// each node completed on the way goes to `visit`.
std::string RootOfPrefix(
    const std::vector<std::string>& leaves, uint64_t size,
    audit::CompactRange::NodeVisitor visit = [](audit::NodeId,
                                                absl::string_view) {}) {
  audit::CompactRange range;
  for (uint64_t i = 0; i < size; ++i) {
    // Cannot fail: the hash is 32 bytes and the log is far below 2^63.
    range.Append(audit::HashLeaf(leaves[i]), visit).IgnoreError();
  }
  return range.Root();
}

bool Contains(const google::protobuf::RepeatedPtrField<std::string>& list,
              absl::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

absl::StatusOr<size_t> OffsetFromToken(absl::string_view token,
                                       absl::string_view prefix) {
  if (token.empty()) return 0;
  size_t offset = 0;
  if (!absl::ConsumePrefix(&token, prefix) ||
      !absl::SimpleAtoi(token, &offset)) {
    return absl::InvalidArgumentError("page_token: not a token of this list");
  }
  return offset;
}

int ClampPageSize(int page_size) { return std::clamp(page_size, 1, 1000); }

// SqliteStore keeps times in whole microseconds; so does the fake, so that
// tests compare the same values over both.
google::protobuf::Timestamp MicrosTimestamp(absl::Time t) {
  return util::ToTimestamp(absl::FromUnixMicros(absl::ToUnixMicros(t)));
}

absl::Status ValidateInbound(const store::InboundOrigin& inbound,
                             const gw::v1::AlertRecord& record) {
  if (inbound.sender_agency.empty()) {
    return absl::InvalidArgumentError("inbound.sender_agency: required");
  }
  if (inbound.message_id.empty()) {
    return absl::InvalidArgumentError("inbound.message_id: required");
  }
  if (inbound.received_sha256.empty()) {
    return absl::InvalidArgumentError("inbound.received_sha256: required");
  }
  if (record.deliveries_size() > 0) {
    return absl::InvalidArgumentError(
        "record.deliveries: must be empty for an inbound alert");
  }
  return absl::OkStatus();
}

bool IsPending(gw::v1::Delivery::State state) {
  return state == gw::v1::Delivery::QUEUED || state == gw::v1::Delivery::SENT ||
         state == gw::v1::Delivery::RETRYING;
}

}  // namespace

absl::Status FakeStore::Commit(absl::Span<store::Write* const> batch) {
  absl::MutexLock lock(&mu_);
  ++waiting_commits_;
  mu_.Await(absl::Condition(
      +[](bool* paused) { return !*paused; }, &paused_));
  --waiting_commits_;
  batch_sizes_.push_back(batch.size());
  if (!commit_error_.ok()) {
    for (store::Write* write : batch) write->result.status = commit_error_;
    return commit_error_;
  }
  for (store::Write* write : batch) Apply(write);
  return absl::OkStatus();
}

void FakeStore::Apply(store::Write* write) {
  write->result = store::WriteResult();
  if (auto* alert = std::get_if<store::AcceptAlert>(&write->op)) {
    ApplyAlert(*alert, &write->result);
  } else if (auto* update = std::get_if<store::UpdateCase>(&write->op)) {
    ApplyUpdate(*update, &write->result);
  } else if (auto* delivery = std::get_if<store::UpdateDelivery>(&write->op)) {
    ApplyDelivery(*delivery, &write->result);
  } else if (auto* audit = std::get_if<store::AppendAudit>(&write->op)) {
    AppendLeaf(audit->audit, &write->result);
  } else if (auto* save = std::get_if<store::SaveCheckpoint>(&write->op)) {
    ApplyCheckpoint(save->checkpoint, &write->result);
  }
}

void FakeStore::ApplyCheckpoint(const gw::v1::Checkpoint& checkpoint,
                                store::WriteResult* result) {
  const uint64_t size = checkpoint.tree_size();
  if (size == 0 || size > audit_.size()) {
    result->status = absl::InvalidArgumentError(
        absl::StrCat("checkpoint.tree_size: ", size, ", want 1..",
                     audit_.size(), " (the log's size)"));
    return;
  }
  if (checkpoint.root_hash().size() != audit::kHashSize) {
    result->status = absl::InvalidArgumentError(
        absl::StrCat("checkpoint.root_hash: ", checkpoint.root_hash().size(),
                     " bytes, want ", audit::kHashSize));
    return;
  }
  if (RootOfPrefix(audit_, size) != checkpoint.root_hash()) {
    result->status = absl::DataLossError(absl::StrCat(
        "checkpoint.root_hash: differs from the tree's root at size ", size));
    return;
  }
  result->duplicate = !checkpoints_.emplace(size, checkpoint).second;
}

void FakeStore::ApplyAlert(store::AcceptAlert& op, store::WriteResult* result) {
  const gw::v1::CaseAlert& alert = op.record.alert();
  std::string inbound_key;
  if (op.inbound.has_value()) {
    const store::InboundOrigin& inbound = *op.inbound;
    if (absl::Status status = ValidateInbound(inbound, op.record);
        !status.ok()) {
      result->status = std::move(status);
      return;
    }
    inbound_key = absl::StrCat(inbound.sender_agency, "\n", inbound.message_id);
    if (auto it = inbound_.find(inbound_key); it != inbound_.end()) {
      if (it->second.received_sha256 != inbound.received_sha256) {
        result->status = absl::AlreadyExistsError(
            absl::StrCat("gw-message-id: ", inbound.message_id,
                         " was used before for a different payload"));
        return;
      }
      const StoredAlert& first = alerts_.at(it->second.alert_id);
      result->duplicate = true;
      result->duplicate_message = true;
      result->alert = RecordOf(first);
      ReportLeaf(it->second.audit_leaf_index, result);
      result->case_status = cases_[first.record.alert().case_ref()];
      result->receipt_warnings = it->second.receipt_warnings;
      return;
    }
  }
  if (auto it = alerts_.find(alert.alert_id()); it != alerts_.end()) {
    if (it->second.record.payload_sha256() != op.record.payload_sha256()) {
      result->status = absl::AlreadyExistsError(
          "payload.alert_id: already accepted with a different payload");
      return;
    }
    result->duplicate = true;
    result->alert = RecordOf(it->second);
    ReportLeaf(it->second.audit_leaf_index, result);
    result->case_status = cases_[alert.case_ref()];
    // Under a new message id: this message's own warnings (as SQLite).
    if (op.inbound.has_value()) {
      result->receipt_warnings = op.inbound->receipt_warnings;
    }
    return;
  }
  auto case_it = cases_.find(alert.case_ref());
  if (case_it != cases_.end() &&
      case_it->second.owner_agency() != alert.origin_agency()) {
    result->status = absl::PermissionDeniedError(
        "payload.case_ref: the case is owned by another agency");
    return;
  }
  for (int i = 0; i < op.record.deliveries_size(); ++i) {
    const std::string& message_id = op.record.deliveries(i).message_id();
    bool reused = delivery_by_message_id_.count(message_id) > 0;
    for (int j = 0; j < i; ++j) {
      reused = reused || op.record.deliveries(j).message_id() == message_id;
    }
    if (reused) {
      result->status = absl::InternalError(absl::StrCat(
          "record.deliveries[", i, "].message_id: already in the outbox"));
      return;
    }
  }
  if (case_it == cases_.end()) {
    gw::v1::CaseStatus created;
    created.set_case_ref(alert.case_ref());
    created.set_owner_agency(alert.origin_agency());
    created.set_state(gw::v1::CaseStatus::OPEN);
    case_it = cases_.emplace(alert.case_ref(), std::move(created)).first;
    case_order_.push_back(alert.case_ref());
  }
  gw::v1::CaseStatus& status = case_it->second;
  *status.mutable_updated_at() = op.record.received_at();
  for (const std::string& recipient : alert.recipients()) {
    if (!Contains(status.shared_with(), recipient))
      status.add_shared_with(recipient);
  }
  status.add_alert_ids(alert.alert_id());
  gw::v1::CaseEvent* event = status.add_history();
  event->set_state(status.state());
  *event->mutable_at() = op.record.received_at();
  event->set_actor_agency(alert.origin_agency());
  event->set_actor_user(alert.originator());
  event->set_alert_id(alert.alert_id());
  event->set_payload_sha256(op.record.payload_sha256());

  AppendLeaf(op.audit, result);
  for (const gw::v1::AuditEntry& entry : op.more_audit) {
    store::WriteResult ignored;
    AppendLeaf(entry, &ignored);
  }
  StoredAlert stored{op.record, result->audit_leaf_index, {}};
  stored.record.clear_deliveries();
  for (const gw::v1::Delivery& delivery : op.record.deliveries()) {
    store::DeliveryRow row;
    row.seq = ++last_delivery_seq_;
    row.alert_id = alert.alert_id();
    row.case_ref = alert.case_ref();
    row.origin_agency = alert.origin_agency();
    row.priority = alert.priority();
    row.delivery = delivery;
    delivery_by_message_id_[delivery.message_id()] = row.seq;
    stored.delivery_seqs.push_back(row.seq);
    deliveries_[row.seq] = std::move(row);
  }
  alerts_[alert.alert_id()] = std::move(stored);
  alert_order_.push_back(alert.alert_id());
  if (op.inbound.has_value()) {
    inbound_[inbound_key] = StoredInbound{
        op.inbound->received_sha256, alert.alert_id(), result->audit_leaf_index,
        op.inbound->receipt_warnings, op.inbound->evidence};
    result->receipt_warnings = op.inbound->receipt_warnings;
  }
  result->alert = op.record;
  result->case_status = status;
}

void FakeStore::ApplyDelivery(store::UpdateDelivery& op,
                              store::WriteResult* result) {
  if (absl::Status status = store::ValidateUpdateDelivery(op); !status.ok()) {
    result->status = std::move(status);
    return;
  }
  auto id_it = delivery_by_message_id_.find(op.message_id);
  if (id_it == delivery_by_message_id_.end()) {
    result->status = absl::NotFoundError("message_id: no delivery has this id");
    return;
  }
  store::DeliveryRow& row = deliveries_.at(id_it->second);
  if (absl::Status status = store::CheckDeliveryStateChange(
          row.delivery.state(), op.delivery.state());
      !status.ok()) {
    result->status = std::move(status);
    return;
  }
  const std::string& new_id = op.delivery.message_id();
  if (new_id != op.message_id && delivery_by_message_id_.count(new_id) > 0) {
    result->status = absl::AlreadyExistsError(
        "delivery.message_id: belongs to another delivery");
    return;
  }
  if (op.audit.has_value()) AppendLeaf(*op.audit, result);
  delivery_by_message_id_.erase(id_it);
  delivery_by_message_id_[new_id] = row.seq;
  gw::v1::Delivery& delivery = row.delivery;
  delivery.set_message_id(new_id);
  delivery.set_state(op.delivery.state());
  *delivery.mutable_updated_at() = MicrosTimestamp(op.at);
  delivery.set_attempts(op.delivery.attempts());
  if (op.delivery.has_next_attempt_at()) {
    *delivery.mutable_next_attempt_at() =
        MicrosTimestamp(util::FromTimestamp(op.delivery.next_attempt_at()));
  } else {
    delivery.clear_next_attempt_at();
  }
  delivery.set_reason(op.delivery.reason());
  if (op.delivery.has_receipt()) {
    *delivery.mutable_receipt() = op.delivery.receipt();
  } else {
    delivery.clear_receipt();
  }
  result->delivery = row;
}

gw::v1::AlertRecord FakeStore::RecordOf(const StoredAlert& stored) const {
  gw::v1::AlertRecord record = stored.record;
  for (int64_t seq : stored.delivery_seqs) {
    *record.add_deliveries() = deliveries_.at(seq).delivery;
  }
  return record;
}

void FakeStore::ApplyUpdate(store::UpdateCase& op, store::WriteResult* result) {
  auto case_it = cases_.find(op.update.case_ref());
  if (case_it == cases_.end()) {
    result->status = absl::NotFoundError("case_ref: no such case");
    return;
  }
  gw::v1::CaseStatus& status = case_it->second;
  if (status.owner_agency() != op.actor_agency) {
    result->status =
        absl::PermissionDeniedError("case_ref: owned by another agency");
    return;
  }
  const std::string key =
      absl::StrCat(op.update.case_ref(), "\n", op.update.update_id());
  if (auto it = updates_.find(key); it != updates_.end()) {
    if (it->second.payload_sha256 != op.payload_sha256) {
      result->status =
          absl::AlreadyExistsError("update_id: used with a different payload");
      return;
    }
    result->duplicate = true;
    ReportLeaf(it->second.audit_leaf_index, result);
    result->case_status = status;
    return;
  }
  status.set_state(op.update.state());
  *status.mutable_updated_at() = util::ToTimestamp(op.at);
  status.set_update_id(op.update.update_id());
  status.set_updated_by(op.actor_user);
  *status.mutable_note() = op.update.note();
  gw::v1::CaseEvent* event = status.add_history();
  event->set_state(op.update.state());
  *event->mutable_at() = util::ToTimestamp(op.at);
  event->set_actor_agency(op.actor_agency);
  event->set_actor_user(op.actor_user);
  *event->mutable_note() = op.update.note();
  event->set_update_id(op.update.update_id());
  event->set_payload_sha256(op.payload_sha256);
  AppendLeaf(op.audit, result);
  updates_[key] = StoredUpdate{op.payload_sha256, result->audit_leaf_index};
  result->case_status = status;
}

void FakeStore::AppendLeaf(const gw::v1::AuditEntry& entry,
                           store::WriteResult* result) {
  std::string leaf_data = DeterministicBytes(entry);
  // Cannot fail: the hash is 32 bytes and the log is far below 2^63.
  range_
      .Append(audit::HashLeaf(leaf_data),
              [&](audit::NodeId id, absl::string_view hash) {
                nodes_[id] = std::string(hash);
              })
      .IgnoreError();
  audit_.push_back(leaf_data);
  result->audit_leaf_index = audit_.size() - 1;
  result->audit_leaf_data = std::move(leaf_data);
}

void FakeStore::ReportLeaf(uint64_t leaf_index, store::WriteResult* result) {
  result->audit_leaf_index = leaf_index;
  result->audit_leaf_data = audit_[leaf_index];
}

absl::StatusOr<gw::v1::AlertRecord> FakeStore::GetAlert(
    absl::string_view alert_id) {
  absl::MutexLock lock(&mu_);
  auto it = alerts_.find(std::string(alert_id));
  if (it == alerts_.end())
    return absl::NotFoundError("alert_id: no such alert");
  return RecordOf(it->second);
}

absl::StatusOr<store::AlertPage> FakeStore::ListAlerts(
    const store::AlertQuery& query) {
  absl::MutexLock lock(&mu_);
  auto offset = OffsetFromToken(query.page_token, kAlertToken);
  if (!offset.ok()) return offset.status();
  std::vector<const StoredAlert*> matches;
  for (const std::string& id : alert_order_) {
    const StoredAlert& stored = alerts_[id];
    const gw::v1::AlertRecord& record = stored.record;
    const gw::v1::CaseAlert& alert = record.alert();
    if (!query.visible_to_agency.empty() &&
        alert.origin_agency() != query.visible_to_agency &&
        !Contains(alert.recipients(), query.visible_to_agency)) {
      continue;
    }
    if (!query.case_ref.empty() && alert.case_ref() != query.case_ref) continue;
    if (query.kind != gw::v1::CaseAlert::KIND_UNSPECIFIED &&
        alert.kind() != query.kind)
      continue;
    if (!query.origin_agency.empty() &&
        alert.origin_agency() != query.origin_agency)
      continue;
    matches.push_back(&stored);
  }
  store::AlertPage page;
  const size_t end =
      std::min(matches.size(), *offset + ClampPageSize(query.page_size));
  for (size_t i = *offset; i < end; ++i) {
    page.alerts.push_back(RecordOf(*matches[i]));
  }
  if (end < matches.size())
    page.next_page_token = absl::StrCat(kAlertToken, end);
  return page;
}

absl::StatusOr<gw::v1::CaseStatus> FakeStore::GetCase(
    absl::string_view case_ref) {
  absl::MutexLock lock(&mu_);
  auto it = cases_.find(std::string(case_ref));
  if (it == cases_.end()) return absl::NotFoundError("case_ref: no such case");
  return it->second;
}

absl::StatusOr<store::CasePage> FakeStore::ListCases(
    const store::CaseQuery& query) {
  absl::MutexLock lock(&mu_);
  auto offset = OffsetFromToken(query.page_token, kCaseToken);
  if (!offset.ok()) return offset.status();
  std::vector<const gw::v1::CaseStatus*> matches;
  for (const std::string& ref : case_order_) {
    const gw::v1::CaseStatus& status = cases_[ref];
    if (!query.visible_to_agency.empty() &&
        status.owner_agency() != query.visible_to_agency &&
        !Contains(status.shared_with(), query.visible_to_agency)) {
      continue;
    }
    if (query.state != gw::v1::CaseStatus::STATE_UNSPECIFIED &&
        status.state() != query.state) {
      continue;
    }
    matches.push_back(&status);
  }
  store::CasePage page;
  const size_t end =
      std::min(matches.size(), *offset + ClampPageSize(query.page_size));
  for (size_t i = *offset; i < end; ++i) page.cases.push_back(*matches[i]);
  if (end < matches.size())
    page.next_page_token = absl::StrCat(kCaseToken, end);
  return page;
}

absl::StatusOr<std::vector<store::DeliveryRow>> FakeStore::PendingDeliveries() {
  absl::MutexLock lock(&mu_);
  std::vector<store::DeliveryRow> rows;
  for (const auto& [seq, row] : deliveries_) {
    if (IsPending(row.delivery.state())) rows.push_back(row);
  }
  return rows;
}

absl::StatusOr<store::DeliveryPage> FakeStore::ListDeliveries(
    const store::DeliveryQuery& query) {
  absl::MutexLock lock(&mu_);
  int64_t after = 0;
  if (!query.page_token.empty()) {
    absl::string_view digits = query.page_token;
    if (!absl::ConsumePrefix(&digits, kDeliveryToken) ||
        !absl::SimpleAtoi(digits, &after) || after <= 0) {
      return absl::InvalidArgumentError("page_token: not a token of this list");
    }
  }
  const size_t page_size = static_cast<size_t>(ClampPageSize(query.page_size));
  store::DeliveryPage page;
  for (auto it = deliveries_.upper_bound(after); it != deliveries_.end();
       ++it) {
    const store::DeliveryRow& row = it->second;
    if ((!query.recipient.empty() &&
         row.delivery.recipient() != query.recipient) ||
        (!query.alert_id.empty() && row.alert_id != query.alert_id) ||
        (!query.states.empty() &&
         std::find(query.states.begin(), query.states.end(),
                   row.delivery.state()) == query.states.end())) {
      continue;
    }
    if (page.deliveries.size() == page_size) {
      page.next_page_token =
          absl::StrCat(kDeliveryToken, page.deliveries.back().seq);
      break;
    }
    page.deliveries.push_back(row);
  }
  return page;
}

absl::StatusOr<store::DeliveryRow> FakeStore::GetDelivery(
    absl::string_view message_id) {
  absl::MutexLock lock(&mu_);
  auto it = delivery_by_message_id_.find(std::string(message_id));
  if (it == delivery_by_message_id_.end()) {
    return absl::NotFoundError("message_id: no delivery has this id");
  }
  return deliveries_.at(it->second);
}

absl::StatusOr<std::string> FakeStore::InboundMessageDigest(
    absl::string_view sender_agency, absl::string_view message_id) {
  absl::MutexLock lock(&mu_);
  auto it = inbound_.find(absl::StrCat(sender_agency, "\n", message_id));
  if (it == inbound_.end()) {
    return absl::NotFoundError(
        "message_id: no message of this sender has this id");
  }
  return it->second.received_sha256;
}

absl::StatusOr<std::string> FakeStore::InboundMessageEvidence(
    absl::string_view sender_agency, absl::string_view message_id) {
  absl::MutexLock lock(&mu_);
  auto it = inbound_.find(absl::StrCat(sender_agency, "\n", message_id));
  if (it == inbound_.end()) {
    return absl::NotFoundError(
        "message_id: no message of this sender has this id");
  }
  return it->second.evidence;
}

absl::StatusOr<uint64_t> FakeStore::AuditLogSize() {
  absl::MutexLock lock(&mu_);
  return audit_.size();
}

absl::StatusOr<std::vector<store::AuditLeaf>> FakeStore::ReadAuditLog(
    uint64_t start, uint64_t count) {
  absl::MutexLock lock(&mu_);
  std::vector<store::AuditLeaf> leaves;
  for (uint64_t i = start; i < audit_.size() && i - start < count; ++i) {
    leaves.push_back(store::AuditLeaf{i, audit_[i]});
  }
  return leaves;
}

absl::StatusOr<store::AuditTreeHead> FakeStore::AuditHead() {
  absl::MutexLock lock(&mu_);
  return store::AuditTreeHead{range_.size(), range_.Root()};
}

absl::StatusOr<std::vector<std::string>> FakeStore::ReadAuditNodes(
    absl::Span<const audit::NodeId> ids) {
  absl::MutexLock lock(&mu_);
  std::vector<std::string> hashes;
  for (const audit::NodeId& id : ids) {
    auto it = nodes_.find(id);
    if (it == nodes_.end()) {
      return absl::NotFoundError(
          absl::StrCat("audit_nodes: node ", id.ToString(), " is not stored"));
    }
    hashes.push_back(it->second);
  }
  return hashes;
}

absl::StatusOr<gw::v1::Checkpoint> FakeStore::LatestCheckpoint() {
  absl::MutexLock lock(&mu_);
  if (checkpoints_.empty()) {
    return absl::NotFoundError("checkpoint: none kept yet");
  }
  return checkpoints_.rbegin()->second;
}

absl::StatusOr<store::AuditPage> FakeStore::SearchAudit(
    const store::AuditQuery& query) {
  absl::MutexLock lock(&mu_);
  auto start = OffsetFromToken(query.page_token, kAuditToken);
  if (!start.ok()) return start.status();
  const size_t page_size = static_cast<size_t>(ClampPageSize(query.page_size));
  store::AuditPage page;
  for (size_t i = *start; i < audit_.size(); ++i) {
    gw::v1::AuditEntry entry;
    entry.ParseFromString(audit_[i]);
    const absl::Time time = util::FromTimestamp(entry.time());
    if ((!query.actor_agency.empty() &&
         entry.actor_agency() != query.actor_agency) ||
        (!query.actor_user.empty() && entry.actor_user() != query.actor_user) ||
        (!query.action.empty() && entry.action() != query.action) ||
        (!query.object_id.empty() &&
         !Contains(entry.object_ids(), query.object_id)) ||
        time < query.since || time >= query.until) {
      continue;
    }
    if (page.leaves.size() == page_size) {
      page.next_page_token = absl::StrCat(kAuditToken, i);
      break;
    }
    page.leaves.push_back(store::AuditLeaf{i, audit_[i]});
  }
  return page;
}

absl::Status FakeStore::VerifyAuditTree(
    const std::function<void(uint64_t, uint64_t)>& progress) {
  absl::MutexLock lock(&mu_);
  absl::Status status;
  const std::string root = RootOfPrefix(
      audit_, audit_.size(), [&](audit::NodeId id, absl::string_view hash) {
        auto it = nodes_.find(id);
        if (status.ok() && (it == nodes_.end() || it->second != hash)) {
          status = absl::DataLossError(
              absl::StrCat("audit log: node ", id.ToString(),
                           " does not match the hash recomputed from the "
                           "leaves: the node was altered"));
        }
      });
  if (!status.ok()) return status;
  if (root != range_.Root()) {
    return absl::DataLossError(absl::StrCat(
        "audit log: root at size ", audit_.size(),
        " differs from the head this gateway committed: the log was "
        "rewritten"));
  }
  if (!checkpoints_.empty()) {
    const gw::v1::Checkpoint& newest = checkpoints_.rbegin()->second;
    if (RootOfPrefix(audit_, newest.tree_size()) != newest.root_hash()) {
      return absl::DataLossError(absl::StrCat(
          "audit log: root at size ", newest.tree_size(),
          " differs from the signed checkpoint: history was rewritten"));
    }
  }
  if (progress) progress(audit_.size(), audit_.size());
  return absl::OkStatus();
}

void FakeStore::FailCommitsWith(absl::Status status) {
  absl::MutexLock lock(&mu_);
  commit_error_ = std::move(status);
}

void FakeStore::PauseCommits() {
  absl::MutexLock lock(&mu_);
  paused_ = true;
}

void FakeStore::ResumeCommits() {
  absl::MutexLock lock(&mu_);
  paused_ = false;
}

void FakeStore::WaitForPausedCommit() {
  absl::MutexLock lock(&mu_);
  mu_.Await(absl::Condition(
      +[](int* waiting) { return *waiting > 0; }, &waiting_commits_));
}

std::vector<size_t> FakeStore::batch_sizes() {
  absl::MutexLock lock(&mu_);
  return batch_sizes_;
}

std::vector<gw::v1::AuditEntry> FakeStore::audit_entries() {
  absl::MutexLock lock(&mu_);
  std::vector<gw::v1::AuditEntry> entries(audit_.size());
  for (size_t i = 0; i < audit_.size(); ++i)
    entries[i].ParseFromString(audit_[i]);
  return entries;
}

}  // namespace gw::testing
