#include "gateway/api/gatekeeper.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "gateway/api/status_conversion.h"
#include "gateway/crypto/certificate.h"

namespace gw::api {
namespace {

// What the presented certificate claims, for the audit record of a refused
// caller; fields that cannot be read stay empty.
identity::Principal ClaimedIdentity(absl::string_view cert_pem) {
  identity::Principal claimed;
  auto cert = crypto::CertificateFromPem(cert_pem, "peer certificate");
  if (!cert.ok()) return claimed;
  for (auto [nid, out] : {std::pair{NID_organizationName, &claimed.agency},
                          std::pair{NID_organizationalUnitName, &claimed.role},
                          std::pair{NID_commonName, &claimed.user}}) {
    if (auto value = identity::SubjectAttribute(cert->get(), nid); value.ok()) {
      *out = value->substr(0, 64);
    }
  }
  return claimed;
}

}  // namespace

std::string AuditActionOf(absl::string_view rpc) {
  absl::string_view name = rpc;
  if (absl::ConsumePrefix(&name, "gw.v1.")) {
    return absl::StrReplaceAll(name, {{"/", "."}});
  }
  return std::string(rpc);
}

std::optional<identity::Principal> Gatekeeper::Admit(
    const grpc::ServerContextBase& context, absl::string_view rpc,
    std::function<void(const grpc::Status&)> refuse) const {
  std::string cert_pem;
  if (auto auth = context.auth_context(); auth != nullptr) {
    auto values = auth->FindPropertyValues(GRPC_X509_PEM_CERT_PROPERTY_NAME);
    if (!values.empty())
      cert_pem.assign(values.front().data(), values.front().size());
  }
  auto refused = [&](identity::Principal actor, absl::Status status) {
    pipeline_->AuditRefusal(
        actor, ingest::AuditFacts{AuditActionOf(rpc), {}, {}},
        std::move(status),
        [refuse](absl::Status s) { refuse(ToGrpcStatus(s)); });
    return std::nullopt;
  };
  if (cert_pem.empty()) {
    return refused(identity::Principal{},
                   absl::UnauthenticatedError(
                       "no client certificate: mutual TLS is required"));
  }
  auto principal = trust_->AuthenticatePem(cert_pem, absl::Now());
  if (!principal.ok()) {
    identity::Principal claimed = ClaimedIdentity(cert_pem);
    return refused(claimed, absl::UnauthenticatedError(absl::StrCat(
                                principal.status().message(),
                                " (identity claimed, not verified)")));
  }
  policy::Decision decision =
      pipeline_->policy().MayCall(principal->agency, principal->role, rpc);
  if (!decision.allowed) {
    return refused(*principal,
                   absl::PermissionDeniedError(absl::StrCat(
                       "role ", principal->role, " of ", principal->agency,
                       " may not call ", rpc, " (", decision.reason, ")")));
  }
  return *std::move(principal);
}

std::optional<identity::Principal> Gatekeeper::Admit(
    const grpc::ServerContextBase& context, absl::string_view rpc,
    grpc::ServerUnaryReactor* reactor) const {
  return Admit(context, rpc,
               [reactor](const grpc::Status& s) { reactor->Finish(s); });
}

void Gatekeeper::Refuse(const identity::Principal& caller,
                        ingest::AuditFacts facts, absl::Status status,
                        grpc::ServerUnaryReactor* reactor) const {
  pipeline_->AuditRefusal(
      caller, std::move(facts), std::move(status),
      [reactor](absl::Status s) { reactor->Finish(ToGrpcStatus(s)); });
}

}  // namespace gw::api
