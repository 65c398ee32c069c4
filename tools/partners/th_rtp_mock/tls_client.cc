// tools/partners/th_rtp_mock/tls_client.cc
#include "tools/partners/th_rtp_mock/tls_client.h"

#include <array>
#include <functional>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "boost/asio/connect.hpp"
#include "boost/asio/io_context.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "boost/asio/read.hpp"
#include "boost/asio/ssl/context.hpp"
#include "boost/asio/ssl/stream.hpp"
#include "boost/asio/steady_timer.hpp"
#include "boost/asio/write.hpp"
#include "tools/partners/th_rtp_mock/th_layout.h"

namespace gw::th_rtp_mock {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = asio::ip::tcp;
using boost::system::error_code;

namespace {
constexpr auto kConnectTimeout = std::chrono::seconds(10);
constexpr auto kHandshakeTimeout = std::chrono::seconds(10);
}  // namespace

struct TlsClient::Impl {
  Impl() : context(ssl::context::tls_client) {}

  // Starts one asynchronous operation with `start(done)` and runs the
  // io_context until it completes; cancels it after `timeout` (then the
  // result is asio::error::timed_out).
  template <typename Start>
  error_code Run(Start start, std::chrono::milliseconds timeout) {
    error_code result;
    bool timed_out = false;
    asio::steady_timer timer(io, timeout);
    timer.async_wait([&](const error_code& ec) {
      if (ec) return;
      timed_out = true;
      error_code ignored;
      stream->lowest_layer().cancel(ignored);
    });
    std::function<void(const error_code&)> done = [&](const error_code& ec) {
      result = ec;
      timer.cancel();
    };
    start(done);
    io.restart();
    io.run();
    return timed_out ? error_code(asio::error::timed_out) : result;
  }

  asio::io_context io;
  ssl::context context;
  // Made after the context is configured: SSL_new copies its settings.
  std::optional<ssl::stream<tcp::socket>> stream;
};

TlsClient::TlsClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
TlsClient::~TlsClient() = default;

absl::StatusOr<std::unique_ptr<TlsClient>> TlsClient::Create(
    const TlsFiles& files) {
  auto impl = std::make_unique<Impl>();
  absl::Status tls = ConfigureTls(impl->context, files);
  if (!tls.ok()) return tls;
  impl->stream.emplace(impl->io, impl->context);
  return std::unique_ptr<TlsClient>(new TlsClient(std::move(impl)));
}

absl::Status TlsClient::Connect(const std::string& host,
                                const std::string& port,
                                const std::string& server_name,
                                const std::string& peer_agency) {
  Impl& c = *impl_;
  error_code ec;
  tcp::resolver resolver(c.io);
  auto endpoints = resolver.resolve(host, port, ec);
  if (ec) {
    return absl::UnavailableError(
        absl::StrCat("cannot resolve ", host, " (", ec.message(), ")"));
  }
  ec = c.Run(
      [&](auto done) {
        asio::async_connect(
            c.stream->lowest_layer(), endpoints,
            [done](const error_code& e, const tcp::endpoint&) { done(e); });
      },
      kConnectTimeout);
  if (ec) {
    return absl::UnavailableError(absl::StrCat("cannot connect to ", host, ":",
                                               port, " (", ec.message(), ")"));
  }
  absl::Status name =
      SetExpectedServerName(c.stream->native_handle(), server_name);
  if (!name.ok()) return name;
  ec = c.Run(
      [&](auto done) {
        c.stream->async_handshake(ssl::stream_base::client,
                                  [done](const error_code& e) { done(e); });
      },
      kHandshakeTimeout);
  if (ec) {
    const long verify = SSL_get_verify_result(c.stream->native_handle());
    return absl::UnavailableError(absl::StrCat(
        "the TLS handshake with ", host, ":", port, " failed (", ec.message(),
        verify != X509_V_OK
            ? absl::StrCat("; server certificate: ",
                           X509_verify_cert_error_string(verify))
            : "",
        ")"));
  }
  absl::StatusOr<PeerIdentity> peer = PeerIdentityOf(c.stream->native_handle());
  if (!peer.ok()) return absl::UnavailableError(peer.status().message());
  absl::Status identity = CheckPeerIdentity(*peer, peer_agency);
  if (!identity.ok()) return absl::UnavailableError(identity.message());
  return absl::OkStatus();
}

absl::Status TlsClient::Write(const std::string& bytes,
                              std::chrono::milliseconds timeout) {
  Impl& c = *impl_;
  const error_code ec = c.Run(
      [&](auto done) {
        asio::async_write(*c.stream, asio::buffer(bytes),
                          [done](const error_code& e, size_t) { done(e); });
      },
      timeout);
  if (ec == asio::error::timed_out) {
    return absl::DeadlineExceededError("sending the frame timed out");
  }
  if (ec) {
    return absl::UnavailableError(
        absl::StrCat("sending the frame failed (", ec.message(), ")"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> TlsClient::ReadFrame(
    std::chrono::milliseconds timeout) {
  Impl& c = *impl_;
  std::array<unsigned char, 4> prefix{};
  error_code ec = c.Run(
      [&](auto done) {
        asio::async_read(*c.stream, asio::buffer(prefix),
                         [done](const error_code& e, size_t) { done(e); });
      },
      timeout);
  if (ec == asio::error::timed_out) {
    return absl::DeadlineExceededError("no frame arrived in time");
  }
  if (ec) {
    return absl::UnavailableError(absl::StrCat(
        "the connection ended while waiting for a frame (", ec.message(), ")"));
  }
  const uint32_t length = (uint32_t{prefix[0]} << 24) |
                          (uint32_t{prefix[1]} << 16) |
                          (uint32_t{prefix[2]} << 8) | uint32_t{prefix[3]};
  if (length < kMinBodyLength || length > kMaxBodyLength) {
    return absl::DataLossError(absl::StrCat("the peer sent a frame with LEN ",
                                            length, " outside 220..1048576"));
  }
  std::string body(length, '\0');
  ec = c.Run(
      [&](auto done) {
        asio::async_read(*c.stream, asio::buffer(body.data(), body.size()),
                         [done](const error_code& e, size_t) { done(e); });
      },
      timeout);
  if (ec == asio::error::timed_out) {
    return absl::DeadlineExceededError("the rest of the frame did not arrive");
  }
  if (ec) {
    return absl::UnavailableError(absl::StrCat(
        "the connection ended inside a frame (", ec.message(), ")"));
  }
  return body;
}

void TlsClient::Close() {
  error_code ignored;
  impl_->stream->lowest_layer().shutdown(tcp::socket::shutdown_both, ignored);
  impl_->stream->lowest_layer().close(ignored);
}

}  // namespace gw::th_rtp_mock
