#include "gateway/api/gateway_server.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>

#include <cstdio>
#include <map>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "adapters/registry.h"
#include "gateway/api/alert_service.h"
#include "gateway/api/audit_service.h"
#include "gateway/api/case_service.h"
#include "gateway/api/delivery_service.h"
#include "gateway/api/gatekeeper.h"
#include "gateway/api/partner_exchange_service.h"
#include "gateway/api/partner_inbound.h"
#include "gateway/api/pending_services.h"
#include "gateway/crypto/signer.h"
#include "gateway/delivery/delivery_watchers.h"
#include "gateway/delivery/dispatcher.h"
#include "gateway/identity/trust_store.h"
#include "gateway/ingest/audit_log.h"
#include "gateway/ingest/case_watchers.h"
#include "gateway/ingest/pipeline.h"
#include "gateway/ingest/writer.h"
#include "gateway/policy/policy.h"
#include "gateway/store/sqlite/sqlite_store.h"
#include "gateway/util/file.h"
#include "gateway/util/status_macros.h"
#include "gateway/workflow/audit_queries.h"
#include "gateway/workflow/queries.h"

namespace gw::api {

// Declared in dependency order: destroyed in reverse, so the server goes
// before the services, the writer before the store.
struct GatewayServer::Parts {
  std::shared_ptr<const policy::Policy> policy;
  std::unique_ptr<identity::TrustStore> trust;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<crypto::Signer> signing_key;
  std::unique_ptr<ingest::Writer> writer;
  std::unique_ptr<ingest::AuditLog> audit_log;
  std::unique_ptr<workflow::AuditQueries> audit_queries;
  ingest::CaseWatchers watchers;
  delivery::DeliveryWatchers delivery_watchers;
  std::unique_ptr<delivery::Dispatcher> dispatcher;
  std::unique_ptr<ingest::Pipeline> pipeline;
  std::unique_ptr<workflow::Queries> queries;
  std::unique_ptr<Gatekeeper> gate;
  std::unique_ptr<AlertService> alerts;
  std::unique_ptr<DeliveryService> deliveries;
  std::unique_ptr<CaseService> cases;
  PendingRepatriationService repatriation;
  std::unique_ptr<AuditService> audit;
  std::unique_ptr<PartnerExchangeService> partner_exchange;
  // One per partner link whose transport receives on its own (TH-RTP's
  // TLS endpoint, LA-MPS's inbox); stopped with the dispatcher's links.
  std::vector<std::unique_ptr<PartnerInbound>> partner_inbound;
  std::unique_ptr<grpc::Server> server;
};

namespace {

absl::StatusOr<std::unique_ptr<store::Store>> OpenStore(
    const ServerOptions& options) {
  std::string url = options.store_url;
  if (url.empty())
    url = absl::StrCat("sqlite:", options.data_dir, "/", options.agency,
                       "/gateway.db");
  absl::string_view rest = url;
  if (absl::ConsumePrefix(&rest, "sqlite:")) {
    auto store = store::SqliteStore::Open(std::string(rest));
    if (!store.ok()) return store.status();
    return std::unique_ptr<store::Store>(*std::move(store));
  }
  if (absl::StartsWith(url, "postgres://") ||
      absl::StartsWith(url, "postgresql://")) {
    return absl::UnimplementedError(
        "--store: PostgreSQL is not supported by this release yet; use "
        "sqlite:PATH");
  }
  return absl::InvalidArgumentError(
      "--store: want sqlite:PATH or postgres://...");
}

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> TlsCredentials(
    const ServerOptions& options, const identity::TrustStore& trust) {
  const std::string dir = absl::StrCat(options.pki_dir, "/", options.agency);
  GW_ASSIGN_OR_RETURN(std::string key, util::ReadFile(dir + "/gateway.key"));
  GW_ASSIGN_OR_RETURN(std::string cert, util::ReadFile(dir + "/gateway.crt"));
  // The handshake demands a client certificate and proof of its key; every
  // call then verifies it against the CA of the agency it claims, its
  // validity and the CRL (TrustStore), so that each refusal is a precise
  // UNAUTHENTICATED status and is audited rather than a silent handshake
  // failure.
  grpc::SslServerCredentialsOptions ssl(
      GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_BUT_DONT_VERIFY);
  ssl.pem_root_certs = trust.root_certs_pem();
  ssl.pem_key_cert_pairs.push_back({std::move(key), std::move(cert)});
  return grpc::SslServerCredentials(ssl);
}

// Start-up integrity check: the stored audit tree is recomputed from every
// entry and checked against the stored nodes and the newest kept checkpoint;
// an altered log refuses to serve.
absl::Status VerifyAuditLog(store::Store& store) {
  const absl::Time start = absl::Now();
  absl::Time last_report = start;
  absl::Status status = store.VerifyAuditTree([&](uint64_t done,
                                                  uint64_t total) {
    const absl::Time now = absl::Now();
    if (now - last_report >= absl::Seconds(2)) {
      std::fprintf(stderr,
                   "gatewayd: verifying the audit log: %llu of %llu entries\n",
                   static_cast<unsigned long long>(done),
                   static_cast<unsigned long long>(total));
      last_report = now;
    }
  });
  if (!status.ok()) {
    return absl::DataLossError(
        absl::StrCat(status.message(),
                     "; the gateway will not serve an altered audit log: "
                     "restore the database from a backup "
                     "and compare it with the auditors' last checkpoints"));
  }
  return absl::OkStatus();
}

// One adapter per `partners` entry of the policy set, except this
// gateway's own agency (adapters/registry.h).
absl::StatusOr<std::map<std::string, std::unique_ptr<adapters::Adapter>>>
CreatePartnerLinks(const ServerOptions& options, const policy::Policy& policy,
                   const identity::TrustStore& trust,
                   const crypto::Signer& signing_key) {
  adapters::AdapterRegistry registry;
  adapters::RegisterBuiltinAdapters(&registry);
  std::map<std::string, std::unique_ptr<adapters::Adapter>> links;
  const std::string dir = absl::StrCat(options.pki_dir, "/", options.agency);
  for (const auto& link : policy.proto().partners()) {
    if (link.agency() == options.agency) continue;
    GW_RETURN_IF_ERROR(registry.CheckLink(policy.proto(), link));
    if (links.count(link.agency()) > 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "partners[", link.agency(), "]: listed twice; keep one entry"));
    }
    adapters::AdapterContext context;
    context.local_agency = options.agency;
    context.partner = policy.FindAgency(link.agency());
    context.signing_key = &signing_key;
    context.partner_keys = trust.SigningKeys(link.agency());
    if (context.partner_keys.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("partners[", link.agency(),
                       "]: the agency has no registered "
                       "signing key; list its signing certificate in "
                       "agencies.trust.signing_cert_files"));
    }
    GW_ASSIGN_OR_RETURN(context.tls_cert_pem,
                        util::ReadFile(dir + "/gateway.crt"));
    GW_ASSIGN_OR_RETURN(context.tls_key_pem,
                        util::ReadFile(dir + "/gateway.key"));
    GW_ASSIGN_OR_RETURN(context.partner_ca_pem, trust.CaPem(link.agency()));
    context.data_dir = options.data_dir;
    if (context.partner != nullptr &&
        !context.partner->trust().crl_file().empty()) {
      GW_ASSIGN_OR_RETURN(
          context.partner_crl_pem,
          util::ReadFile(absl::StrCat(options.pki_dir, "/",
                                      context.partner->trust().crl_file())));
    }
    auto adapter = registry.Find(link.adapter())->Create(link, context);
    if (!adapter.ok()) {
      return absl::Status(adapter.status().code(),
                          absl::StrCat("partners[", link.agency(),
                                       "]: ", adapter.status().message()));
    }
    links.emplace(link.agency(), *std::move(adapter));
  }
  return links;
}

}  // namespace

GatewayServer::GatewayServer() : parts_(std::make_unique<Parts>()) {}

GatewayServer::~GatewayServer() { Shutdown(absl::Seconds(5)); }

absl::StatusOr<std::unique_ptr<GatewayServer>> GatewayServer::Start(
    const ServerOptions& options) {
  std::unique_ptr<GatewayServer> server(new GatewayServer());
  Parts& p = *server->parts_;
  GW_ASSIGN_OR_RETURN(p.policy, policy::Policy::Load(options.policies_dir));
  if (p.policy->FindAgency(options.agency) == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--agency: ", options.agency, " is not an agency of the policy set in ",
        options.policies_dir));
  }
  GW_ASSIGN_OR_RETURN(p.trust,
                      identity::TrustStore::Load(*p.policy, options.pki_dir));
  GW_ASSIGN_OR_RETURN(auto credentials, TlsCredentials(options, *p.trust));
  const std::string agency_dir =
      absl::StrCat(options.pki_dir, "/", options.agency);
  GW_ASSIGN_OR_RETURN(
      p.signing_key, crypto::Signer::FromPemFiles(agency_dir + "/signing.key",
                                                  agency_dir + "/signing.crt"));
  GW_ASSIGN_OR_RETURN(p.store, OpenStore(options));
  GW_RETURN_IF_ERROR(VerifyAuditLog(*p.store));
  p.writer = std::make_unique<ingest::Writer>(p.store.get());
  GW_ASSIGN_OR_RETURN(p.audit_log, ingest::AuditLog::Create(
                                       p.store.get(), p.writer.get(),
                                       p.signing_key.get(), options.agency));
  GW_ASSIGN_OR_RETURN(auto links, CreatePartnerLinks(options, *p.policy,
                                                     *p.trust, *p.signing_key));
  std::vector<std::string> link_agencies;
  for (const auto& [agency, link] : links) link_agencies.push_back(agency);
  delivery::DispatcherOptions dispatch;
  dispatch.log = [](const std::string& line) {
    std::fprintf(stderr, "gatewayd: delivery: %s\n", line.c_str());
  };
  p.dispatcher = std::make_unique<delivery::Dispatcher>(
      options.agency, p.policy, p.store.get(), p.writer.get(),
      p.signing_key.get(), std::move(links), &p.delivery_watchers,
      std::move(dispatch));
  ingest::AuditLog* audit_log = p.audit_log.get();
  delivery::Dispatcher* dispatcher = p.dispatcher.get();
  p.writer->SetAfterCommit(
      [audit_log, dispatcher](absl::Span<store::Write* const> batch) {
        audit_log->OnBatchCommitted(batch);
        dispatcher->OnBatchCommitted(batch);
      });
  p.audit_queries = std::make_unique<workflow::AuditQueries>(p.store.get(),
                                                             p.audit_log.get());
  p.pipeline = std::make_unique<ingest::Pipeline>(p.policy, p.store.get(),
                                                  p.writer.get(), &p.watchers);
  p.pipeline->SetTrustStore(p.trust.get());
  p.pipeline->SetLocalAgency(options.agency);
  p.queries = std::make_unique<workflow::Queries>(p.store.get());
  p.gate = std::make_unique<Gatekeeper>(p.trust.get(), p.pipeline.get());
  p.alerts = std::make_unique<AlertService>(p.gate.get(), p.queries.get(),
                                            &p.delivery_watchers);
  p.deliveries = std::make_unique<DeliveryService>(p.gate.get(), p.store.get(),
                                                   p.dispatcher.get());
  p.cases =
      std::make_unique<CaseService>(p.gate.get(), p.queries.get(), &p.watchers);
  p.audit = std::make_unique<AuditService>(p.gate.get(), p.audit_log.get(),
                                           p.audit_queries.get());
  p.partner_exchange = std::make_unique<PartnerExchangeService>(
      p.gate.get(), [dispatcher](const std::string& agency) {
        return dispatcher->LinkFor(agency);
      });
  GW_RETURN_IF_ERROR(p.dispatcher->Start());
  for (const std::string& agency : link_agencies) {
    adapters::Adapter* link = dispatcher->LinkFor(agency);
    auto receiver =
        std::make_unique<PartnerInbound>(agency, link, p.pipeline.get());
    if (absl::Status s = link->transport().StartReceiving(receiver.get());
        !s.ok()) {
      return absl::Status(s.code(),
                          absl::StrCat("partners[", agency,
                                       "]: cannot receive: ", s.message()));
    }
    p.partner_inbound.push_back(std::move(receiver));
  }

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(options.listen, credentials, &port);
  // Accept requests somewhat above the policy limit so the pipeline itself
  // refuses (and audits) an oversize message with RESOURCE_EXHAUSTED.
  const uint64_t limit = p.policy->limits().max_message_bytes();
  builder.SetMaxReceiveMessageSize(
      static_cast<int>(std::min<uint64_t>(limit * 4, 64u << 20)));
  // Peer gateways ping idle connections every 60 s (partners/MM-MPF.md §2).
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  builder.AddChannelArgument(
      GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS, 30000);
  builder.RegisterService(p.alerts.get());
  builder.RegisterService(p.cases.get());
  builder.RegisterService(p.deliveries.get());
  builder.RegisterService(&p.repatriation);
  builder.RegisterService(p.audit.get());
  builder.RegisterService(p.partner_exchange.get());
  p.server = builder.BuildAndStart();
  if (p.server == nullptr || port == 0) {
    return absl::UnavailableError(
        absl::StrCat("--listen: cannot listen on ", options.listen,
                     " (address in use or not local?); pick another with "
                     "--listen HOST:PORT"));
  }
  p.server->GetHealthCheckService()->SetServingStatus("gw.v1.PartnerExchange",
                                                      true);
  absl::string_view host = options.listen;
  if (auto colon = host.rfind(':'); colon != absl::string_view::npos)
    host = host.substr(0, colon);
  server->address_ = absl::StrCat(host, ":", port);
  return server;
}

void GatewayServer::Shutdown(absl::Duration grace) {
  absl::MutexLock lock(&shutdown_mu_);
  if (shut_down_) return;
  shut_down_ = true;
  Parts& p = *parts_;
  if (p.server != nullptr) {
    p.server->Shutdown(std::chrono::system_clock::now() +
                       absl::ToChronoSeconds(grace));
    p.server->Wait();
  }
  // Attempts in flight record their outcome through the writer: stop the
  // engine first, then the writer.
  if (p.dispatcher != nullptr) p.dispatcher->Stop();
  if (p.writer != nullptr) p.writer->Stop();
  p.store.reset();
}

}  // namespace gw::api
