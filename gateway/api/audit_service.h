// gateway/api/audit_service.h
//
// AuditService (CONTRACT.md §5): signed checkpoints, inclusion and
// consistency proofs, the entries with their exact leaf bytes, and search.
// Thin handlers: admission by Gatekeeper, the answers from ingest::AuditLog
// and workflow::AuditQueries (auditors see everything; other callers prove
// and search their own agency's entries).
// Ownership: every pointer is not owned and must outlive the service.
#ifndef GW_API_AUDIT_SERVICE_H_
#define GW_API_AUDIT_SERVICE_H_

#include "gateway/api/gatekeeper.h"
#include "gateway/ingest/audit_log.h"
#include "gateway/workflow/audit_queries.h"
#include "gw/v1/audit.grpc.pb.h"

namespace gw::api {

class AuditService final : public gw::v1::AuditService::CallbackService {
 public:
  AuditService(const Gatekeeper* gate, ingest::AuditLog* log,
               const workflow::AuditQueries* queries)
      : gate_(gate), log_(log), queries_(queries) {}

  grpc::ServerUnaryReactor* GetCheckpoint(
      grpc::CallbackServerContext* context,
      const gw::v1::GetCheckpointRequest* request,
      gw::v1::Checkpoint* response) override;
  grpc::ServerUnaryReactor* GetInclusionProof(
      grpc::CallbackServerContext* context,
      const gw::v1::GetInclusionProofRequest* request,
      gw::v1::InclusionProof* response) override;
  grpc::ServerUnaryReactor* GetConsistencyProof(
      grpc::CallbackServerContext* context,
      const gw::v1::GetConsistencyProofRequest* request,
      gw::v1::ConsistencyProof* response) override;
  grpc::ServerUnaryReactor* GetEntries(grpc::CallbackServerContext* context,
                                       const gw::v1::GetEntriesRequest* request,
                                       gw::v1::Entries* response) override;
  grpc::ServerUnaryReactor* SearchAudit(
      grpc::CallbackServerContext* context,
      const gw::v1::SearchAuditRequest* request,
      gw::v1::Entries* response) override;

 private:
  // Admits the caller to `rpc`, computes the answer with `answer`, and
  // finishes: the response on success, an audited refusal otherwise.
  template <typename Response, typename Answer>
  grpc::ServerUnaryReactor* Serve(grpc::CallbackServerContext* context,
                                  absl::string_view rpc, Response* response,
                                  Answer answer);

  const Gatekeeper* const gate_;                 // not owned
  ingest::AuditLog* const log_;                  // not owned
  const workflow::AuditQueries* const queries_;  // not owned
};

}  // namespace gw::api

#endif  // GW_API_AUDIT_SERVICE_H_
