#include "tests/support/fake_store.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include <algorithm>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "gateway/audit/hasher.h"
#include "gateway/util/proto_time.h"

namespace gw::testing {
namespace {

constexpr char kAlertToken[] = "fake-alerts:";
constexpr char kCaseToken[] = "fake-cases:";
constexpr char kAuditToken[] = "fake-audit:";

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
  if (auto it = alerts_.find(alert.alert_id()); it != alerts_.end()) {
    if (it->second.record.payload_sha256() != op.record.payload_sha256()) {
      result->status = absl::AlreadyExistsError(
          absl::StrCat("alert_id: ", alert.alert_id(),
                       " was used with a different payload"));
      return;
    }
    result->duplicate = true;
    result->alert = it->second.record;
    ReportLeaf(it->second.audit_leaf_index, result);
    result->case_status = cases_[alert.case_ref()];
    return;
  }
  auto case_it = cases_.find(alert.case_ref());
  if (case_it != cases_.end() &&
      case_it->second.owner_agency() != alert.origin_agency()) {
    result->status = absl::PermissionDeniedError(absl::StrCat(
        "case_ref: ", alert.case_ref(), " is owned by another agency"));
    return;
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
  alerts_[alert.alert_id()] = StoredAlert{op.record, result->audit_leaf_index};
  alert_order_.push_back(alert.alert_id());
  result->alert = op.record;
  result->case_status = status;
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
  return it->second.record;
}

absl::StatusOr<store::AlertPage> FakeStore::ListAlerts(
    const store::AlertQuery& query) {
  absl::MutexLock lock(&mu_);
  auto offset = OffsetFromToken(query.page_token, kAlertToken);
  if (!offset.ok()) return offset.status();
  std::vector<const gw::v1::AlertRecord*> matches;
  for (const std::string& id : alert_order_) {
    const gw::v1::AlertRecord& record = alerts_[id].record;
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
    matches.push_back(&record);
  }
  store::AlertPage page;
  const size_t end =
      std::min(matches.size(), *offset + ClampPageSize(query.page_size));
  for (size_t i = *offset; i < end; ++i) page.alerts.push_back(*matches[i]);
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
