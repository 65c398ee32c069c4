// gateway/workflow/queries.h
//
// Queries answers read requests for alerts and cases with the access rules
// of CONTRACT.md §4 applied, so no service class decides visibility:
//  * an alert is visible to its origin agency (the full record) and to the
//    agencies it is addressed to (their released copy: only their own
//    delivery, without the origin's envelope, marked redacted);
//  * a case is visible to its owner agency and to the agencies it is shared
//    with.
// Anything not visible is answered exactly as if it did not exist
// (NOT_FOUND), so a caller learns nothing about other agencies' work.
// Lists are filtered in the store, so paging stays exact.
// Errors: NOT_FOUND "<field>: no such ...", INVALID_ARGUMENT for a bad page
// token or size, and store errors as they come.
// Ownership: `store` is not owned and must outlive this object.
// Thread safety: all methods may be called concurrently.
#ifndef GW_WORKFLOW_QUERIES_H_
#define GW_WORKFLOW_QUERIES_H_

#include "absl/status/statusor.h"
#include "gateway/identity/principal.h"
#include "gateway/store/store.h"
#include "gw/v1/alert.pb.h"
#include "gw/v1/case.pb.h"

namespace gw::workflow {

class Queries {
 public:
  explicit Queries(store::Store* store) : store_(store) {}

  [[nodiscard]] absl::StatusOr<gw::v1::AlertRecord> GetAlert(
      const identity::Principal& caller, absl::string_view alert_id) const;
  [[nodiscard]] absl::StatusOr<gw::v1::ListAlertsResponse> ListAlerts(
      const identity::Principal& caller,
      const gw::v1::ListAlertsRequest& request) const;

  [[nodiscard]] absl::StatusOr<gw::v1::CaseStatus> GetCase(
      const identity::Principal& caller, absl::string_view case_ref) const;
  [[nodiscard]] absl::StatusOr<gw::v1::ListCasesResponse> ListCases(
      const identity::Principal& caller,
      const gw::v1::ListCasesRequest& request) const;

  // True if `caller` may see `status` (owner or shared with).
  static bool MaySeeCase(const identity::Principal& caller,
                         const gw::v1::CaseStatus& status);

 private:
  store::Store* const store_;  // not owned
};

// The copy of `record` that `caller` may see; REQUIRES: caller's agency is
// the origin or a recipient.
gw::v1::AlertRecord ReleasedAlertCopy(const identity::Principal& caller,
                                      gw::v1::AlertRecord record);

}  // namespace gw::workflow

#endif  // GW_WORKFLOW_QUERIES_H_
