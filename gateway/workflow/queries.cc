#include "gateway/workflow/queries.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "gateway/util/status_macros.h"

namespace gw::workflow {
namespace {

constexpr int kDefaultPageSize = 50;
constexpr int kMaxPageSize = 1000;

absl::StatusOr<int> PageSize(int requested) {
  if (requested < 0)
    return absl::InvalidArgumentError("page_size: must not be negative");
  if (requested == 0) return kDefaultPageSize;
  return requested > kMaxPageSize ? kMaxPageSize : requested;
}

bool IsRecipient(const gw::v1::CaseAlert& alert, absl::string_view agency) {
  for (const auto& recipient : alert.recipients()) {
    if (recipient == agency) return true;
  }
  return false;
}

}  // namespace

gw::v1::AlertRecord ReleasedAlertCopy(const identity::Principal& caller,
                                      gw::v1::AlertRecord record) {
  if (record.alert().origin_agency() == caller.agency) return record;
  record.clear_envelope();
  auto* deliveries = record.mutable_deliveries();
  for (int i = deliveries->size() - 1; i >= 0; --i) {
    if (deliveries->Get(i).recipient() != caller.agency)
      deliveries->DeleteSubrange(i, 1);
  }
  record.set_redacted(true);
  return record;
}

absl::StatusOr<gw::v1::AlertRecord> Queries::GetAlert(
    const identity::Principal& caller, absl::string_view alert_id) const {
  if (alert_id.empty()) return absl::InvalidArgumentError("alert_id: required");
  auto record = store_->GetAlert(alert_id);
  if (absl::IsNotFound(record.status()) ||
      (record.ok() && record->alert().origin_agency() != caller.agency &&
       !IsRecipient(record->alert(), caller.agency))) {
    return absl::NotFoundError("alert_id: no such alert");
  }
  if (!record.ok()) return record.status();
  return ReleasedAlertCopy(caller, *std::move(record));
}

absl::StatusOr<gw::v1::ListAlertsResponse> Queries::ListAlerts(
    const identity::Principal& caller,
    const gw::v1::ListAlertsRequest& request) const {
  store::AlertQuery query;
  query.visible_to_agency = caller.agency;
  query.case_ref = request.case_ref();
  query.kind = request.kind();
  query.origin_agency = request.origin_agency();
  query.page_token = request.page_token();
  GW_ASSIGN_OR_RETURN(query.page_size, PageSize(request.page_size()));
  GW_ASSIGN_OR_RETURN(store::AlertPage page, store_->ListAlerts(query));
  gw::v1::ListAlertsResponse response;
  for (auto& record : page.alerts) {
    *response.add_alerts() = ReleasedAlertCopy(caller, std::move(record));
  }
  response.set_next_page_token(std::move(page.next_page_token));
  return response;
}

bool Queries::MaySeeCase(const identity::Principal& caller,
                         const gw::v1::CaseStatus& status) {
  if (status.owner_agency() == caller.agency) return true;
  for (const auto& agency : status.shared_with()) {
    if (agency == caller.agency) return true;
  }
  return false;
}

absl::StatusOr<gw::v1::CaseStatus> Queries::GetCase(
    const identity::Principal& caller, absl::string_view case_ref) const {
  if (case_ref.empty()) return absl::InvalidArgumentError("case_ref: required");
  auto status = store_->GetCase(case_ref);
  if (absl::IsNotFound(status.status()) ||
      (status.ok() && !MaySeeCase(caller, *status))) {
    return absl::NotFoundError("case_ref: no such case");
  }
  return status;
}

absl::StatusOr<gw::v1::ListCasesResponse> Queries::ListCases(
    const identity::Principal& caller,
    const gw::v1::ListCasesRequest& request) const {
  store::CaseQuery query;
  query.visible_to_agency = caller.agency;
  query.state = request.state();
  query.page_token = request.page_token();
  GW_ASSIGN_OR_RETURN(query.page_size, PageSize(request.page_size()));
  GW_ASSIGN_OR_RETURN(store::CasePage page, store_->ListCases(query));
  gw::v1::ListCasesResponse response;
  for (auto& status : page.cases) *response.add_cases() = std::move(status);
  response.set_next_page_token(std::move(page.next_page_token));
  return response;
}

}  // namespace gw::workflow
