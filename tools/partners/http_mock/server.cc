// tools/partners/http_mock/server.cc
#include "tools/partners/http_mock/server.h"

#include <cstdint>
#include <limits>
#include <optional>
#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "boost/asio/io_context.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "boost/asio/ssl/context.hpp"
#include "boost/asio/ssl/error.hpp"
#include "boost/asio/steady_timer.hpp"
#include "boost/beast/core.hpp"
#include "boost/beast/http.hpp"
#include "boost/beast/ssl.hpp"

namespace gw::http_mock {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace ssl = boost::asio::ssl;
using tcp = asio::ip::tcp;
using boost::system::error_code;

constexpr uint32_t kHeaderLimit = 64 * 1024;

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, ssl::context& context, Receiver& receiver,
          const ServerOptions& options, const Server::ReportSink& on_report,
          const Server::EventSink& on_event)
      : stream_(std::move(socket), context),
        receiver_(receiver),
        options_(options),
        on_report_(on_report),
        on_event_(on_event),
        hold_timer_(stream_.get_executor()) {
    error_code ec;
    const tcp::endpoint remote =
        beast::get_lowest_layer(stream_).socket().remote_endpoint(ec);
    remote_ =
        ec ? "?"
           : absl::StrCat(remote.address().to_string(), ":", remote.port());
  }

  void Start() {
    beast::get_lowest_layer(stream_).expires_after(options_.handshake_timeout);
    stream_.async_handshake(ssl::stream_base::server,
                            [self = shared_from_this()](const error_code& ec) {
                              self->OnHandshake(ec);
                            });
  }

 private:
  void Event(const std::string& text) {
    if (on_event_) on_event_(absl::StrCat("connection ", remote_, " ", text));
  }

  void OnHandshake(const error_code& ec) {
    if (ec) {
      Event(absl::StrCat("closed: TLS handshake failed: ", ec.message()));
      Close();
      return;
    }
    absl::StatusOr<PeerIdentity> peer = PeerIdentityOf(stream_.native_handle());
    absl::Status identity = peer.status();
    if (identity.ok()) {
      identity = CheckPeerIdentity(*peer, options_.peer_agency);
    }
    if (!identity.ok()) {
      Event(absl::StrCat("refused: ", identity.message()));
      Close();
      return;
    }
    peer_agency_ = peer->organization;
    Event(absl::StrCat("opened: O=", peer->organization, " OU=", peer->unit,
                       " CN=", peer->common_name));
    ReadHeader();
  }

  void ReadHeader() {
    parser_.emplace();
    parser_->header_limit(kHeaderLimit);
    // Size is judged after the path and method (§6.4 steps 2, 3).
    parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
    beast::get_lowest_layer(stream_).expires_after(options_.idle_timeout);
    http::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](const error_code& ec, size_t) {
          self->OnHeader(ec);
        });
  }

  void OnHeader(const error_code& ec) {
    if (ec) {
      EndOnReadError(ec);
      return;
    }
    const size_t max_body = receiver_.options().max_body;
    const boost::optional<std::uint64_t> length = parser_->content_length();
    if (length.has_value() && *length > max_body) {
      Answer(/*body_too_large=*/true);
      return;
    }
    if (parser_->is_done()) {
      Answer(false);
      return;
    }
    parser_->body_limit(max_body);
    beast::get_lowest_layer(stream_).expires_after(options_.request_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](const error_code& ec, size_t) {
                       self->OnBody(ec);
                     });
  }

  void OnBody(const error_code& ec) {
    if (ec == http::error::body_limit) {
      Answer(/*body_too_large=*/true);
      return;
    }
    if (ec) {
      EndOnReadError(ec);
      return;
    }
    Answer(false);
  }

  void EndOnReadError(const error_code& ec) {
    if (ec == http::error::end_of_stream || ec == asio::error::eof ||
        ec == ssl::error::stream_truncated) {
      Event("closed by the peer");
    } else if (ec == beast::error::timeout) {
      Event("closed: idle or too slow");
    } else {
      Event(absl::StrCat("closed: read failed: ", ec.message()));
    }
    Close();
  }

  void Answer(bool body_too_large) {
    const http::request<http::string_body>& message = parser_->get();
    ReceivedRequest received;
    received.request.method = std::string(message.method_string());
    received.request.target = std::string(message.target());
    for (const auto& field : message) {
      received.request.headers.emplace_back(std::string(field.name_string()),
                                            std::string(field.value()));
    }
    if (!body_too_large) received.request.body = message.body();
    received.body_too_large = body_too_large;
    received.peer_agency = peer_agency_;
    const bool keep_alive = message.keep_alive();

    Reply reply = receiver_.Handle(received);
    if (on_report_) on_report_(reply.report);
    close_after_ = reply.close_connection || !keep_alive;

    response_.emplace();
    response_->version(11);
    response_->result(static_cast<unsigned>(reply.response.status));
    response_->reason(reply.response.reason);
    for (const auto& [name, value] : reply.response.headers) {
      response_->insert(name, value);
    }
    response_->body() = std::move(reply.response.body);
    response_->keep_alive(!close_after_);
    response_->prepare_payload();

    if (options_.hold_answers.count() > 0) {
      hold_timer_.expires_after(options_.hold_answers);
      hold_timer_.async_wait([self = shared_from_this()](const error_code& ec) {
        if (!ec) self->Write();
      });
      return;
    }
    Write();
  }

  void Write() {
    beast::get_lowest_layer(stream_).expires_after(options_.request_timeout);
    http::async_write(
        stream_, *response_,
        [self = shared_from_this()](const error_code& ec, size_t) {
          self->OnWritten(ec);
        });
  }

  void OnWritten(const error_code& ec) {
    if (ec) {
      Event(absl::StrCat("closed: write failed: ", ec.message()));
      Close();
      return;
    }
    if (close_after_) {
      beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(2));
      stream_.async_shutdown([self = shared_from_this()](const error_code&) {
        self->Event("closed after the answer");
        self->Close();
      });
      return;
    }
    ReadHeader();
  }

  void Close() {
    error_code ignored;
    hold_timer_.cancel();
    beast::get_lowest_layer(stream_).socket().close(ignored);
  }

  beast::ssl_stream<beast::tcp_stream> stream_;
  Receiver& receiver_;
  const ServerOptions& options_;
  const Server::ReportSink& on_report_;
  const Server::EventSink& on_event_;
  asio::steady_timer hold_timer_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<http::response<http::string_body>> response_;
  bool close_after_ = false;
  std::string remote_;
  std::string peer_agency_;
};

}  // namespace

struct Server::Impl {
  Impl(const ServerOptions& opts, Receiver& recv, ReportSink report,
       EventSink event)
      : options(opts),
        receiver(recv),
        on_report(std::move(report)),
        on_event(std::move(event)),
        context(ssl::context::tls_server),
        acceptor(io) {}

  void Accept() {
    acceptor.async_accept([this](const error_code& ec, tcp::socket socket) {
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) return;
      if (!ec) {
        std::make_shared<Session>(std::move(socket), context, receiver, options,
                                  on_report, on_event)
            ->Start();
      } else if (on_event) {
        on_event(absl::StrCat("accept failed: ", ec.message()));
      }
      Accept();
    });
  }

  const ServerOptions options;
  Receiver& receiver;
  const ReportSink on_report;
  const EventSink on_event;
  // Destroyed after io: sessions still queued in io refer to it.
  ssl::context context;
  asio::io_context io;
  tcp::acceptor acceptor;
  std::thread thread;
  std::string address;
  int port = 0;
  bool stopped = false;
};

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Server::~Server() { Stop(); }

absl::StatusOr<std::unique_ptr<Server>> Server::Start(
    const ServerOptions& options, Receiver& receiver, ReportSink on_report,
    EventSink on_event) {
  auto impl = std::make_unique<Impl>(options, receiver, std::move(on_report),
                                     std::move(on_event));
  absl::Status tls = ConfigureTls(impl->context, options.tls);
  if (!tls.ok()) return tls;

  const std::string where = absl::StrCat(options.host, ":", options.port);
  error_code ec;
  tcp::resolver resolver(impl->io);
  auto endpoints =
      resolver.resolve(options.host, options.port, tcp::resolver::passive, ec);
  if (ec || endpoints.empty()) {
    return absl::UnavailableError(absl::StrCat(
        "cannot listen on ", where, ": ", ec ? ec.message() : "no address"));
  }
  const tcp::endpoint endpoint = endpoints.begin()->endpoint();
  impl->acceptor.open(endpoint.protocol(), ec);
  if (!ec) impl->acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) impl->acceptor.bind(endpoint, ec);
  if (!ec) impl->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", where, ": ", ec.message()));
  }
  const tcp::endpoint bound = impl->acceptor.local_endpoint(ec);
  impl->port = bound.port();
  impl->address =
      absl::StrCat(bound.address().is_v6()
                       ? absl::StrCat("[", bound.address().to_string(), "]")
                       : bound.address().to_string(),
                   ":", bound.port());
  impl->Accept();
  Impl* raw = impl.get();
  impl->thread = std::thread([raw] { raw->io.run(); });
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

const std::string& Server::address() const { return impl_->address; }
int Server::port() const { return impl_->port; }

void Server::Stop() {
  if (impl_ == nullptr || impl_->stopped) return;
  impl_->stopped = true;
  asio::post(impl_->io, [impl = impl_.get()] {
    error_code ignored;
    impl->acceptor.close(ignored);
    impl->io.stop();
  });
  if (impl_->thread.joinable()) impl_->thread.join();
}

}  // namespace gw::http_mock
