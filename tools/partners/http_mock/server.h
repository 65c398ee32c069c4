// tools/partners/http_mock/server.h
//
// The mock partner's HTTPS server (KH-CNP.md §2.1, VN-MPS.md §2.1):
// Boost.Beast HTTP/1.1 over Asio SSL with mutual TLS (tls.h: the client
// certificate must chain to --peer-ca, not be on --peer-crl, and carry
// O=<peer agency>, OU=gateway, else the connection is closed after the
// handshake with no response, §6.4 step 1). Connections are kept alive
// between requests. Each request goes to Receiver::Handle (receiver.h); a
// body announced (Content-Length) or found (chunked) larger than the
// receiver's max_body is not read: the request is answered (404/405/413 as
// the order of §6.4 says) and the connection closed.
//
// Time limits: TLS handshake 10 s; a whole request 30 s once its first
// byte came (KH-CNP.md §7); an idle kept-alive connection is closed after
// 60 s. With hold_answers, each answer is written that long after the
// request was handled (tests of the gateway's timeouts and concurrency).
//
// Thread safety: Start/Stop from one thread; the callbacks run on the
// server's single I/O thread. The receiver is not owned and must outlive
// the server.
#ifndef GW_TOOLS_PARTNERS_HTTP_MOCK_SERVER_H_
#define GW_TOOLS_PARTNERS_HTTP_MOCK_SERVER_H_

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "tools/partners/http_mock/receiver.h"
#include "tools/partners/http_mock/tls.h"

namespace gw::http_mock {

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::string port = "0";  // 0: a free port (see Server::address())
  TlsFiles tls;
  std::string peer_agency = "CN-MPS";
  std::chrono::milliseconds hold_answers{0};
  std::chrono::milliseconds handshake_timeout{10000};
  std::chrono::milliseconds request_timeout{30000};
  std::chrono::milliseconds idle_timeout{60000};
};

class Server {
 public:
  using ReportSink = std::function<void(const RequestReport&)>;
  using EventSink = std::function<void(const std::string&)>;

  // Configures TLS (INVALID_ARGUMENT "--flag FILE: ..."), binds and listens
  // (UNAVAILABLE "cannot listen on HOST:PORT: ..."), then serves on its own
  // thread. `on_report` gets every answered request, `on_event` connection
  // events (opened, refused, closed); either may be empty.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<Server>> Start(
      const ServerOptions& options, Receiver& receiver, ReportSink on_report,
      EventSink on_event);
  ~Server();  // Stop()
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // "HOST:PORT" as bound ("[::1]:PORT" for IPv6).
  const std::string& address() const;
  int port() const;

  // Closes the listener and every connection, and joins the I/O thread.
  // Idempotent.
  void Stop();

 private:
  struct Impl;
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace gw::http_mock

#endif  // GW_TOOLS_PARTNERS_HTTP_MOCK_SERVER_H_
