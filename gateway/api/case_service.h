// gateway/api/case_service.h
//
// CaseService (CONTRACT.md §4): reads through Queries (owner and sharing
// agencies only), signed status updates through the ingest pipeline (the
// receipt in the "gw-receipt-bin" trailer), and WatchCase streams
// (case_watch_reactor.h).
// Ownership: every pointer is not owned and must outlive the service.
#ifndef GW_API_CASE_SERVICE_H_
#define GW_API_CASE_SERVICE_H_

#include "gateway/api/gatekeeper.h"
#include "gateway/ingest/case_watchers.h"
#include "gateway/workflow/queries.h"
#include "gw/v1/case.grpc.pb.h"

namespace gw::api {

class CaseService final : public gw::v1::CaseService::CallbackService {
 public:
  CaseService(const Gatekeeper* gate, const workflow::Queries* queries,
              ingest::CaseWatchers* watchers)
      : gate_(gate), queries_(queries), watchers_(watchers) {}

  grpc::ServerUnaryReactor* GetCaseStatus(
      grpc::CallbackServerContext* context,
      const gw::v1::GetCaseStatusRequest* request,
      gw::v1::CaseStatus* response) override;
  grpc::ServerUnaryReactor* ListCases(
      grpc::CallbackServerContext* context,
      const gw::v1::ListCasesRequest* request,
      gw::v1::ListCasesResponse* response) override;
  grpc::ServerUnaryReactor* UpdateCaseStatus(
      grpc::CallbackServerContext* context,
      const gw::v1::UpdateCaseStatusRequest* request,
      gw::v1::CaseStatus* response) override;
  grpc::ServerWriteReactor<gw::v1::CaseStatus>* WatchCase(
      grpc::CallbackServerContext* context,
      const gw::v1::WatchCaseRequest* request) override;

 private:
  const Gatekeeper* const gate_;            // not owned
  const workflow::Queries* const queries_;  // not owned
  ingest::CaseWatchers* const watchers_;    // not owned
};

}  // namespace gw::api

#endif  // GW_API_CASE_SERVICE_H_
