#include "tests/support/fake_store.h"

#include <algorithm>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "gateway/util/proto_time.h"

namespace gw::testing {
namespace {

constexpr char kAlertToken[] = "fake-alerts:";
constexpr char kCaseToken[] = "fake-cases:";

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
    write->result.audit_leaf_index = AppendLeaf(audit->audit);
  }
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
    result->audit_leaf_index = it->second.audit_leaf_index;
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

  const uint64_t leaf = AppendLeaf(op.audit);
  alerts_[alert.alert_id()] = StoredAlert{op.record, leaf};
  alert_order_.push_back(alert.alert_id());
  result->alert = op.record;
  result->audit_leaf_index = leaf;
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
    result->audit_leaf_index = it->second.audit_leaf_index;
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
  const uint64_t leaf = AppendLeaf(op.audit);
  updates_[key] = StoredUpdate{op.payload_sha256, leaf};
  result->audit_leaf_index = leaf;
  result->case_status = status;
}

uint64_t FakeStore::AppendLeaf(const gw::v1::AuditEntry& entry) {
  audit_.push_back(entry.SerializeAsString());
  return audit_.size() - 1;
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
