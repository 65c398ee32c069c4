// gatewayd: the Mekong Gateway server (CONTRACT.md §6).
//
// With no arguments it serves CN-MPS on 127.0.0.1:7443 from the embedded
// defaults: SQLite under ./var/, the development PKI in ./var/pki (made by
// certs/make-dev-pki) and the policy set in ./policies/. Once it serves it
// prints exactly one line "gatewayd listening on HOST:PORT" on standard
// output. SIGTERM or SIGINT shut it down cleanly: no new calls, in-flight
// calls finish, everything accepted is written, the store is closed.
#include <signal.h>

#include <cstdio>
#include <iostream>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "gateway/api/gateway_server.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:7443",
          "HOST:PORT to serve on; port 0 picks a free port");
ABSL_FLAG(std::string, data, "var",
          "directory for the gateway's data (the SQLite database)");
ABSL_FLAG(std::string, pki, "var/pki",
          "PKI directory laid out by certs/make-dev-pki");
ABSL_FLAG(std::string, policies, "policies", "policy directory (*.textproto)");
ABSL_FLAG(std::string, agency, "CN-MPS", "agency this instance serves");
ABSL_FLAG(std::string, store, "",
          "sqlite:PATH (default sqlite:DATA/AGENCY/gateway.db); postgres://... "
          "is not yet "
          "supported");
ABSL_FLAG(
    int, shutdown_grace_seconds, 10,
    "on SIGTERM, how long in-flight calls may take before they are cancelled");

namespace {

constexpr char kUsage[] = R"(gatewayd: the Mekong Gateway server.

Serves the gw.v1 gRPC services over mutual TLS. Every caller presents a client
certificate issued by its agency's CA (see certs/make-dev-pki).

Usage:
  gatewayd [--listen HOST:PORT] [--data DIR] [--pki DIR] [--policies DIR]
           [--agency CODE] [--store URL]

Examples:
  gatewayd                                   # CN-MPS on 127.0.0.1:7443, data in ./var
  gatewayd --listen 127.0.0.1:0              # pick a free port; read it from the first line
  gatewayd --agency MM-MPF --data var/mm --listen 127.0.0.1:7444
  certs/make-dev-pki var/pki && gatewayd     # first run: create the development PKI

Once serving it prints "gatewayd listening on HOST:PORT". Stop it with SIGTERM
or Ctrl-C: in-flight calls finish and everything accepted is written first.)";

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(kUsage);
  absl::ParseCommandLine(argc, argv);

  // Block the shutdown signals in every thread; the main thread waits for
  // them with sigwait once the server runs.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  gw::api::ServerOptions options;
  options.listen = absl::GetFlag(FLAGS_listen);
  options.data_dir = absl::GetFlag(FLAGS_data);
  options.pki_dir = absl::GetFlag(FLAGS_pki);
  options.policies_dir = absl::GetFlag(FLAGS_policies);
  options.agency = absl::GetFlag(FLAGS_agency);
  options.store_url = absl::GetFlag(FLAGS_store);

  auto server = gw::api::GatewayServer::Start(options);
  if (!server.ok()) {
    std::cerr << "gatewayd: cannot start: " << server.status().message()
              << "\n";
    return 1;
  }
  std::cout << "gatewayd listening on " << (*server)->address() << std::endl;

  int signal_number = 0;
  sigwait(&signals, &signal_number);
  std::cerr << "gatewayd: " << (signal_number == SIGTERM ? "SIGTERM" : "SIGINT")
            << " received; finishing in-flight calls and closing the store\n";
  (*server)->Shutdown(
      absl::Seconds(absl::GetFlag(FLAGS_shutdown_grace_seconds)));
  std::cerr << "gatewayd: stopped\n";
  return 0;
}
