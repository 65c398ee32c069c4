// tools/partners/http_mock/https_client.h
//
// A blocking HTTP/1.1 client over mutual TLS (Boost.Beast + Asio SSL), for
// `<mock> send` and for tests that play the gateway against `serve`. One
// connection, reused for several requests while both sides keep it alive.
// After the handshake the server certificate must match the expected
// server name (subjectAltName; SNI for DNS names) and carry
// O=<peer agency>, OU=gateway.
//
// RoundTrip writes the request as given: the header fields in order, plus
// Host and (unless the request has its own, e.g. to announce a body it
// does not send) Content-Length. Every step is bounded by its timeout.
//
// Errors: INVALID_ARGUMENT "--flag FILE: ..." for unusable TLS files;
// UNAVAILABLE for connection, TLS and protocol failures; DEADLINE_EXCEEDED
// for timeouts. Messages are sentence fragments naming what failed.
// Thread safety: one thread at a time; the object owns its io_context.
#ifndef GW_TOOLS_PARTNERS_HTTP_MOCK_HTTPS_CLIENT_H_
#define GW_TOOLS_PARTNERS_HTTP_MOCK_HTTPS_CLIENT_H_

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "tools/partners/http_mock/http_message.h"
#include "tools/partners/http_mock/tls.h"

namespace gw::http_mock {

class HttpsClient {
 public:
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<HttpsClient>> Create(
      const TlsFiles& files);
  ~HttpsClient();
  HttpsClient(const HttpsClient&) = delete;
  HttpsClient& operator=(const HttpsClient&) = delete;

  // TCP connect and TLS handshake (each within `timeout`), then the
  // identity checks above. Closes a previous connection first.
  absl::Status Connect(
      const std::string& host, const std::string& port,
      const std::string& server_name, const std::string& peer_agency,
      std::chrono::milliseconds timeout = std::chrono::milliseconds(10000));
  bool connected() const;

  // Sends `request` with Host `host_header` and reads one response (body
  // up to 16 MiB), all within `timeout`. After a response that does not
  // keep the connection alive, connected() is false.
  [[nodiscard]] absl::StatusOr<HttpResponse> RoundTrip(
      const HttpRequest& request, std::string_view host_header,
      std::chrono::milliseconds timeout);

  void Close();

 private:
  struct Impl;
  explicit HttpsClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace gw::http_mock

#endif  // GW_TOOLS_PARTNERS_HTTP_MOCK_HTTPS_CLIENT_H_
