// gateway/api/gateway_server.h
//
// GatewayServer assembles one running gateway from its options: the policy
// set, the trust store, the store, the group-commit writer, the ingest
// pipeline, the services, health and reflection, served over mutual TLS.
//
// Guarantees:
//  * Start() returns only once the server listens; port() is the real port
//    (useful with port 0).
//  * Shutdown() stops accepting calls, lets in-flight calls finish (up to
//    `grace`, then cancels them), writes everything already accepted, and
//    closes the store. It is idempotent; the destructor calls it.
// Errors from Start(): the failing step's status with a message that says
// what to fix (missing PKI, bad policy line, database newer than the code,
// port in use).
// Thread safety: Shutdown() may be called from any thread, once or more.
#ifndef GW_API_GATEWAY_SERVER_H_
#define GW_API_GATEWAY_SERVER_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace gw::api {

struct ServerOptions {
  // HOST:PORT; port 0 picks a free one.
  std::string listen = "127.0.0.1:7443";
  std::string data_dir = "var";
  std::string pki_dir = "var/pki";
  std::string policies_dir = "policies";
  // Which agency this instance serves (its gateway certificate and keys).
  std::string agency = "CN-MPS";
  // "sqlite:PATH"; empty = sqlite:<data_dir>/<agency>/gateway.db.
  std::string store_url;
};

class GatewayServer {
 public:
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<GatewayServer>> Start(
      const ServerOptions& options);
  ~GatewayServer();
  GatewayServer(const GatewayServer&) = delete;
  GatewayServer& operator=(const GatewayServer&) = delete;

  // "HOST:PORT" with the port actually bound.
  const std::string& address() const { return address_; }
  void Shutdown(absl::Duration grace);

 private:
  struct Parts;
  GatewayServer();

  std::unique_ptr<Parts> parts_;
  std::string address_;
  absl::Mutex shutdown_mu_;
  bool shut_down_ ABSL_GUARDED_BY(shutdown_mu_) = false;
};

}  // namespace gw::api

#endif  // GW_API_GATEWAY_SERVER_H_
