// tools/partners/http_mock/https_client.cc
#include "tools/partners/http_mock/https_client.h"

#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "boost/asio/io_context.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "boost/asio/ssl/context.hpp"
#include "boost/asio/ssl/error.hpp"
#include "boost/beast/core.hpp"
#include "boost/beast/http.hpp"
#include "boost/beast/ssl.hpp"

namespace gw::http_mock {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace ssl = boost::asio::ssl;
using tcp = asio::ip::tcp;
using boost::system::error_code;

namespace {
constexpr uint64_t kResponseBodyLimit = 16 * 1024 * 1024;

absl::Status StepError(const error_code& ec, const std::string& what) {
  if (ec == beast::error::timeout) {
    return absl::DeadlineExceededError(absl::StrCat(what, " timed out"));
  }
  return absl::UnavailableError(
      absl::StrCat(what, " failed (", ec.message(), ")"));
}
}  // namespace

struct HttpsClient::Impl {
  Impl() : context(ssl::context::tls_client) {}

  // Runs the io_context until the started operation completes.
  void RunOne() {
    io.restart();
    io.run();
  }

  asio::io_context io;
  ssl::context context;
  std::optional<beast::ssl_stream<beast::tcp_stream>> stream;
  beast::flat_buffer buffer;
  bool open = false;
};

HttpsClient::HttpsClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpsClient::~HttpsClient() { Close(); }

absl::StatusOr<std::unique_ptr<HttpsClient>> HttpsClient::Create(
    const TlsFiles& files) {
  auto impl = std::make_unique<Impl>();
  absl::Status tls = ConfigureTls(impl->context, files);
  if (!tls.ok()) return tls;
  return std::unique_ptr<HttpsClient>(new HttpsClient(std::move(impl)));
}

bool HttpsClient::connected() const { return impl_->open; }

void HttpsClient::Close() {
  if (impl_ == nullptr || !impl_->stream.has_value()) return;
  error_code ignored;
  beast::get_lowest_layer(*impl_->stream).socket().close(ignored);
  impl_->stream.reset();
  impl_->buffer.clear();
  impl_->open = false;
}

absl::Status HttpsClient::Connect(const std::string& host,
                                  const std::string& port,
                                  const std::string& server_name,
                                  const std::string& peer_agency,
                                  std::chrono::milliseconds timeout) {
  Close();
  Impl& c = *impl_;
  error_code ec;
  tcp::resolver resolver(c.io);
  auto endpoints = resolver.resolve(host, port, ec);
  if (ec) {
    return absl::UnavailableError(
        absl::StrCat("cannot resolve ", host, " (", ec.message(), ")"));
  }
  // Made after the context is configured: SSL_new copies its settings.
  c.stream.emplace(c.io, c.context);
  beast::get_lowest_layer(*c.stream).expires_after(timeout);
  beast::get_lowest_layer(*c.stream).async_connect(
      endpoints, [&ec](const error_code& e, const tcp::endpoint&) { ec = e; });
  c.RunOne();
  if (ec) {
    Close();
    return StepError(ec, absl::StrCat("connecting to ", host, ":", port));
  }
  absl::Status name =
      SetExpectedServerName(c.stream->native_handle(), server_name);
  if (!name.ok()) {
    Close();
    return name;
  }
  beast::get_lowest_layer(*c.stream).expires_after(timeout);
  c.stream->async_handshake(ssl::stream_base::client,
                            [&ec](const error_code& e) { ec = e; });
  c.RunOne();
  if (ec) {
    const long verify = SSL_get_verify_result(c.stream->native_handle());
    Close();
    absl::Status failed =
        StepError(ec, absl::StrCat("the TLS handshake with ", host, ":", port));
    if (verify != X509_V_OK) {
      return absl::UnavailableError(absl::StrCat(
          failed.message(),
          "; server certificate: ", X509_verify_cert_error_string(verify)));
    }
    return failed;
  }
  absl::StatusOr<PeerIdentity> peer = PeerIdentityOf(c.stream->native_handle());
  absl::Status identity = peer.status();
  if (identity.ok()) identity = CheckPeerIdentity(*peer, peer_agency);
  if (!identity.ok()) {
    Close();
    return absl::UnavailableError(identity.message());
  }
  beast::get_lowest_layer(*c.stream).expires_never();
  c.open = true;
  return absl::OkStatus();
}

absl::StatusOr<HttpResponse> HttpsClient::RoundTrip(
    const HttpRequest& request, std::string_view host_header,
    std::chrono::milliseconds timeout) {
  Impl& c = *impl_;
  if (!c.open) return absl::FailedPreconditionError("not connected");
  http::request<http::string_body> message;
  message.version(11);
  message.method_string(request.method);
  message.target(request.target);
  message.set(http::field::host, std::string(host_header));
  bool has_length = false;
  for (const auto& [name, value] : request.headers) {
    message.insert(name, value);
    if (beast::iequals(name, "content-length")) has_length = true;
  }
  message.body() = request.body;
  if (!has_length) message.prepare_payload();

  error_code ec;
  beast::get_lowest_layer(*c.stream).expires_after(timeout);
  http::async_write(*c.stream, message,
                    [&ec](const error_code& e, size_t) { ec = e; });
  c.RunOne();
  if (ec) {
    Close();
    return StepError(ec, "sending the request");
  }
  http::response_parser<http::string_body> parser;
  parser.body_limit(kResponseBodyLimit);
  http::async_read(*c.stream, c.buffer, parser,
                   [&ec](const error_code& e, size_t) { ec = e; });
  c.RunOne();
  if (ec) {
    Close();
    return StepError(ec, "reading the response");
  }
  beast::get_lowest_layer(*c.stream).expires_never();
  const http::response<http::string_body>& got = parser.get();
  HttpResponse response;
  response.status = static_cast<int>(got.result_int());
  response.reason = std::string(got.reason());
  for (const auto& field : got) {
    response.headers.emplace_back(std::string(field.name_string()),
                                  std::string(field.value()));
  }
  response.body = got.body();
  if (!got.keep_alive()) Close();
  return response;
}

}  // namespace gw::http_mock
