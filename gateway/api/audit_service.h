// gateway/api/audit_service.h
//
// AuditService (CONTRACT.md §5). GetEntries serves the audit log entries
// with the exact leaf bytes to auditors, so they can read who did what and
// recompute digests. The Merkle tree RPCs (checkpoints, inclusion and
// consistency proofs) and SearchAudit answer UNIMPLEMENTED until the
// tamper-evident log is served.
// Ownership: `gate` and `store` are not owned and must outlive the service.
#ifndef GW_API_AUDIT_SERVICE_H_
#define GW_API_AUDIT_SERVICE_H_

#include "gateway/api/gatekeeper.h"
#include "gateway/store/store.h"
#include "gw/v1/audit.grpc.pb.h"

namespace gw::api {

class AuditService final : public gw::v1::AuditService::CallbackService {
 public:
  // Most entries one GetEntries call returns.
  static constexpr uint32_t kMaxEntriesPerCall = 1000;

  AuditService(const Gatekeeper* gate, store::Store* store) : gate_(gate), store_(store) {}

  grpc::ServerUnaryReactor* GetEntries(grpc::CallbackServerContext* context,
                                       const gw::v1::GetEntriesRequest* request,
                                       gw::v1::Entries* response) override;
  grpc::ServerUnaryReactor* GetCheckpoint(grpc::CallbackServerContext* context,
                                          const gw::v1::GetCheckpointRequest*,
                                          gw::v1::Checkpoint*) override;
  grpc::ServerUnaryReactor* GetInclusionProof(grpc::CallbackServerContext* context,
                                              const gw::v1::GetInclusionProofRequest*,
                                              gw::v1::InclusionProof*) override;
  grpc::ServerUnaryReactor* GetConsistencyProof(grpc::CallbackServerContext* context,
                                                const gw::v1::GetConsistencyProofRequest*,
                                                gw::v1::ConsistencyProof*) override;
  grpc::ServerUnaryReactor* SearchAudit(grpc::CallbackServerContext* context,
                                        const gw::v1::SearchAuditRequest*,
                                        gw::v1::Entries*) override;

 private:
  const Gatekeeper* const gate_;  // not owned
  store::Store* const store_;     // not owned
};

// Reads entries [start, start + count) of the log, count capped at
// AuditService::kMaxEntriesPerCall, decoding each leaf.
// Errors: INVALID_ARGUMENT "count: ..." for 0; OUT_OF_RANGE "start: ..." if
// start is beyond the log; DATA_LOSS if a stored leaf does not decode.
[[nodiscard]] absl::StatusOr<gw::v1::Entries> ReadEntries(store::Store& store, uint64_t start,
                                                          uint32_t count);

}  // namespace gw::api

#endif  // GW_API_AUDIT_SERVICE_H_
