// gateway/api/gatekeeper.h
//
// Gatekeeper admits a call: it authenticates the caller from the client
// certificate of the TLS connection (TrustStore: the claimed agency's CA,
// validity, CRL) and asks the policy whether that principal's role may call
// the RPC. A refused call is audited (with the identity the certificate
// claims, marked in the reason as unverified when authentication failed)
// and then answered with UNAUTHENTICATED or PERMISSION_DENIED.
//
// Ownership: `trust` and `pipeline` are not owned and must outlive this.
// Thread safety: all methods may be called concurrently.
#ifndef GW_API_GATEKEEPER_H_
#define GW_API_GATEKEEPER_H_

#include <grpcpp/grpcpp.h>

#include <functional>
#include <optional>

#include "absl/strings/string_view.h"
#include "gateway/identity/principal.h"
#include "gateway/identity/trust_store.h"
#include "gateway/ingest/pipeline.h"

namespace gw::api {

class Gatekeeper {
 public:
  Gatekeeper(const identity::TrustStore* trust, ingest::Pipeline* pipeline)
      : trust_(trust), pipeline_(pipeline) {}

  // Returns the caller if admitted to `rpc` ("gw.v1.AlertService/SendAlert").
  // Otherwise audits the refusal, calls refuse(status) once it is on record,
  // and returns nullopt.
  std::optional<identity::Principal> Admit(
      const grpc::ServerContextBase& context, absl::string_view rpc,
      std::function<void(const grpc::Status&)> refuse) const;

  // For unary handlers: refuse by finishing `reactor`.
  std::optional<identity::Principal> Admit(
      const grpc::ServerContextBase& context, absl::string_view rpc,
      grpc::ServerUnaryReactor* reactor) const;

  // Audits a refusal of an admitted caller (e.g. NOT_FOUND for an object it
  // may not see), then finishes `reactor` with it.
  void Refuse(const identity::Principal& caller, ingest::AuditFacts facts,
              absl::Status status, grpc::ServerUnaryReactor* reactor) const;

  ingest::Pipeline* pipeline() const { return pipeline_; }

 private:
  const identity::TrustStore* const trust_;  // not owned
  ingest::Pipeline* const pipeline_;         // not owned
};

// "gw.v1.AlertService/SendAlert" -> "AlertService.SendAlert", the audit action.
std::string AuditActionOf(absl::string_view rpc);

}  // namespace gw::api

#endif  // GW_API_GATEKEEPER_H_
