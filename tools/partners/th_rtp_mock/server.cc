// tools/partners/th_rtp_mock/server.cc
#include "tools/partners/th_rtp_mock/server.h"

#include <array>
#include <deque>
#include <list>
#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "boost/asio/connect.hpp"
#include "boost/asio/io_context.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "boost/asio/read.hpp"
#include "boost/asio/signal_set.hpp"
#include "boost/asio/ssl/stream.hpp"
#include "boost/asio/steady_timer.hpp"
#include "boost/asio/write.hpp"
#include "nlohmann/json.hpp"
#include "tools/partners/th_rtp_mock/th_layout.h"

namespace gw::th_rtp_mock {
namespace {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using boost::system::error_code;

constexpr auto kHandshakeTimeout = std::chrono::seconds(10);
constexpr auto kDrainTimeout = std::chrono::seconds(2);
constexpr auto kTick = std::chrono::milliseconds(250);

// Where the server writes: frame lines on stdout, connection events and
// problems on stderr. Lines are flushed at once (tests read pipes).
class Output {
 public:
  Output(std::ostream& out, std::ostream& err, bool json)
      : out_(out), err_(err), json_(json) {}

  void Listening(const std::string& address) {
    if (json_) {
      out_
          << nlohmann::json{{"event", "listening"}, {"address", address}}.dump()
          << std::endl;
    } else {
      out_ << "th-rtp-mock listening on " << address << std::endl;
    }
  }
  void Frame(const FrameReport& report) {
    if (json_) {
      nlohmann::json json = report.ToJson(/*personal_data=*/false);
      json["event"] = "frame";
      out_ << json.dump(-1, ' ', false,
                        nlohmann::json::error_handler_t::replace)
           << std::endl;
    } else {
      out_ << report.ToLine() << std::endl;
    }
  }
  void Event(const std::string& text) {
    err_ << "th-rtp-mock: " << text << std::endl;
  }

 private:
  std::ostream& out_;
  std::ostream& err_;
  bool json_;
};

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(tcp::socket socket, ssl::context& context, Receiver& receiver,
             const ServerOptions& options, Output& output)
      : stream_(std::move(socket), context),
        receiver_(receiver),
        options_(options),
        output_(output),
        handshake_timer_(stream_.get_executor()),
        tick_timer_(stream_.get_executor()),
        drain_timer_(stream_.get_executor()) {
    error_code ec;
    const tcp::endpoint remote = stream_.lowest_layer().remote_endpoint(ec);
    remote_ =
        ec ? "?"
           : absl::StrCat(remote.address().to_string(), ":", remote.port());
  }

  void Start() {
    auto self = shared_from_this();
    handshake_timer_.expires_after(kHandshakeTimeout);
    handshake_timer_.async_wait([self](const error_code& ec) {
      if (!ec) self->CloseNow("TLS handshake timed out after 10 s");
    });
    stream_.async_handshake(
        ssl::stream_base::server,
        [self](const error_code& ec) { self->OnHandshake(ec); });
  }

 private:
  void OnHandshake(const error_code& ec) {
    handshake_timer_.cancel();
    if (closed_) return;
    if (ec) {
      CloseNow(absl::StrCat("TLS handshake failed: ", ec.message()));
      return;
    }
    absl::StatusOr<PeerIdentity> peer = PeerIdentityOf(stream_.native_handle());
    absl::Status identity = peer.status();
    if (identity.ok())
      identity = CheckPeerIdentity(*peer, options_.peer_agency);
    if (!identity.ok()) {
      CloseNow(absl::StrCat("refused: ", identity.message()));
      return;
    }
    peer_agency_ = peer->organization;
    output_.Event(absl::StrCat("connection ", remote_,
                               " opened: O=", peer->organization,
                               " OU=", peer->unit, " CN=", peer->common_name));
    last_sent_ = last_received_ = Clock::now();
    Tick();
    ReadLength();
  }

  void ReadLength() {
    if (closing_) return;
    auto self = shared_from_this();
    asio::async_read(
        stream_, asio::buffer(length_),
        [self](const error_code& ec, size_t) { self->OnLength(ec); });
  }

  void OnLength(const error_code& ec) {
    if (closed_) return;
    if (ec) {
      CloseNow(ec == asio::error::eof || ec == ssl::error::stream_truncated
                   ? "the peer closed the connection"
                   : absl::StrCat("read failed: ", ec.message()));
      return;
    }
    const uint32_t length = (uint32_t{length_[0]} << 24) |
                            (uint32_t{length_[1]} << 16) |
                            (uint32_t{length_[2]} << 8) | uint32_t{length_[3]};
    if (length < kMinBodyLength || length > kMaxBodyLength) {
      Answer answer = receiver_.FrameLength(length);
      output_.Frame(answer.report);
      Queue(std::move(answer.frame));
      CloseGracefully("LEN out of range: the rest of the stream is unreadable");
      return;
    }
    body_.assign(length, '\0');
    auto self = shared_from_this();
    asio::async_read(
        stream_, asio::buffer(body_.data(), body_.size()),
        [self](const error_code& ec, size_t) { self->OnBody(ec); });
  }

  void OnBody(const error_code& ec) {
    if (closed_) return;
    if (ec) {
      CloseNow(
          absl::StrCat("the connection ended inside a frame: ", ec.message()));
      return;
    }
    last_received_ = Clock::now();
    const std::string body = std::move(body_);
    const std::string type = body.substr(0, 2);
    if (type == "HB") {
      absl::Status heartbeat = receiver_.CheckHeartbeat(body, peer_agency_);
      if (!heartbeat.ok()) {
        CloseGracefully(std::string(heartbeat.message()));
        return;
      }
      ReadLength();
      return;
    }
    if (type == "AK" || type == "NK") {
      CloseGracefully(absl::StrCat("protocol violation: the client sent ", type,
                                   " (section 2.1)"));
      return;
    }
    if (unanswered_ >= kWindow) {
      Answer answer = receiver_.WindowExceeded(body);
      output_.Frame(answer.report);
      Queue(std::move(answer.frame));
      ReadLength();
      return;
    }
    ++unanswered_;
    Answer answer = receiver_.HandleDataFrame(body, peer_agency_);
    output_.Frame(answer.report);
    if (options_.hold_answers.count() > 0) {
      auto timer = std::make_shared<asio::steady_timer>(stream_.get_executor());
      holds_.push_back(timer);
      auto it = std::prev(holds_.end());
      timer->expires_after(options_.hold_answers);
      auto self = shared_from_this();
      timer->async_wait([self, it, frame = std::move(answer.frame)](
                            const error_code& ec) mutable {
        if (ec || self->closing_) return;
        self->holds_.erase(it);
        --self->unanswered_;
        self->Queue(std::move(frame));
      });
    } else {
      --unanswered_;
      Queue(std::move(answer.frame));
    }
    ReadLength();
  }

  void Queue(std::string frame) {
    if (closed_ || frame.empty()) return;
    writes_.push_back(std::move(frame));
    last_sent_ = Clock::now();
    WriteNext();
  }

  void WriteNext() {
    if (writing_ || closed_) return;
    if (writes_.empty()) {
      if (closing_) ShutdownAndDrain();
      return;
    }
    writing_ = true;
    auto self = shared_from_this();
    asio::async_write(
        stream_, asio::buffer(writes_.front()),
        [self](const error_code& ec, size_t) {
          self->writing_ = false;
          if (self->closed_) return;
          if (ec) {
            self->CloseNow(absl::StrCat("write failed: ", ec.message()));
            return;
          }
          self->writes_.pop_front();
          self->WriteNext();
        });
  }

  void Tick() {
    if (closing_) return;
    const Clock::time_point now = Clock::now();
    if (now - last_received_ >= options_.dead_peer_timeout) {
      CloseNow(absl::StrCat("no frame received for ",
                            std::chrono::duration_cast<std::chrono::seconds>(
                                options_.dead_peer_timeout)
                                .count(),
                            " s"));
      return;
    }
    if (now - last_sent_ >= options_.heartbeat_interval) {
      absl::StatusOr<std::string> heartbeat = receiver_.Heartbeat();
      if (heartbeat.ok()) {
        Queue(*std::move(heartbeat));
      } else {
        output_.Event(absl::StrCat("cannot sign a heartbeat: ",
                                   heartbeat.status().message()));
      }
    }
    auto self = shared_from_this();
    tick_timer_.expires_after(kTick);
    tick_timer_.async_wait([self](const error_code& ec) {
      if (!ec) self->Tick();
    });
  }

  // Sends what is queued, then closes. Only while no read is outstanding.
  void CloseGracefully(const std::string& why) {
    if (closing_) return;
    closing_ = true;
    output_.Event(absl::StrCat("connection ", remote_, " closing: ", why));
    tick_timer_.cancel();
    for (auto& timer : holds_) timer->cancel();
    holds_.clear();
    if (!writing_ && writes_.empty()) ShutdownAndDrain();
  }

  // FIN, then read and drop the peer's bytes until it closes (or 2 s), so
  // the kernel does not answer unread bytes with a reset that could
  // destroy the last answer before the peer reads it.
  void ShutdownAndDrain() {
    if (draining_ || closed_) return;
    draining_ = true;
    error_code ignored;
    stream_.lowest_layer().shutdown(tcp::socket::shutdown_send, ignored);
    auto self = shared_from_this();
    drain_timer_.expires_after(kDrainTimeout);
    drain_timer_.async_wait([self](const error_code& ec) {
      if (!ec) self->CloseNow("");
    });
    Drain();
  }

  void Drain() {
    auto self = shared_from_this();
    stream_.next_layer().async_read_some(asio::buffer(drain_buffer_),
                                         [self](const error_code& ec, size_t) {
                                           if (self->closed_) return;
                                           if (ec) {
                                             self->CloseNow("");
                                             return;
                                           }
                                           self->Drain();
                                         });
  }

  void CloseNow(const std::string& why) {
    if (closed_) return;
    closed_ = true;
    closing_ = true;
    handshake_timer_.cancel();
    tick_timer_.cancel();
    drain_timer_.cancel();
    for (auto& timer : holds_) timer->cancel();
    holds_.clear();
    error_code ignored;
    stream_.lowest_layer().close(ignored);
    output_.Event(absl::StrCat("connection ", remote_, " closed",
                               why.empty() ? "" : ": ", why));
  }

  ssl::stream<tcp::socket> stream_;
  Receiver& receiver_;
  const ServerOptions& options_;
  Output& output_;
  asio::steady_timer handshake_timer_;
  asio::steady_timer tick_timer_;
  asio::steady_timer drain_timer_;
  std::array<unsigned char, 4> length_{};
  std::array<char, 4096> drain_buffer_{};
  std::string body_;
  std::deque<std::string> writes_;
  std::list<std::shared_ptr<asio::steady_timer>> holds_;
  bool writing_ = false;
  bool closing_ = false;
  bool draining_ = false;
  bool closed_ = false;
  int unanswered_ = 0;
  Clock::time_point last_sent_;
  Clock::time_point last_received_;
  std::string remote_;
  std::string peer_agency_;
};

class Acceptor {
 public:
  Acceptor(tcp::acceptor& acceptor, ssl::context& context, Receiver& receiver,
           const ServerOptions& options, Output& output)
      : acceptor_(acceptor),
        context_(context),
        receiver_(receiver),
        options_(options),
        output_(output) {}

  void Accept() {
    acceptor_.async_accept([this](const error_code& ec, tcp::socket socket) {
      if (ec == asio::error::operation_aborted) return;
      if (!ec) {
        std::make_shared<Connection>(std::move(socket), context_, receiver_,
                                     options_, output_)
            ->Start();
      } else {
        output_.Event(absl::StrCat("accept failed: ", ec.message()));
      }
      Accept();
    });
  }

 private:
  tcp::acceptor& acceptor_;
  ssl::context& context_;
  Receiver& receiver_;
  const ServerOptions& options_;
  Output& output_;
};

}  // namespace

absl::Status RunServer(const ServerOptions& options, Receiver& receiver,
                       std::ostream& out, std::ostream& err) {
  ssl::context context(ssl::context::tls_server);
  absl::Status tls = ConfigureTls(context, options.tls);
  if (!tls.ok()) return tls;

  asio::io_context io;
  const std::string where = absl::StrCat(options.host, ":", options.port);
  error_code ec;
  tcp::resolver resolver(io);
  auto endpoints =
      resolver.resolve(options.host, options.port, tcp::resolver::passive, ec);
  if (ec || endpoints.empty()) {
    return absl::UnavailableError(absl::StrCat(
        "cannot listen on ", where, ": ", ec ? ec.message() : "no address"));
  }
  const tcp::endpoint endpoint = endpoints.begin()->endpoint();
  tcp::acceptor acceptor(io);
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", where, ": ", ec.message()));
  }
  const tcp::endpoint bound = acceptor.local_endpoint(ec);
  const std::string host =
      bound.address().is_v6()
          ? absl::StrCat("[", bound.address().to_string(), "]")
          : bound.address().to_string();

  Output output(out, err, options.json);
  output.Listening(absl::StrCat(host, ":", bound.port()));

  Acceptor accepting(acceptor, context, receiver, options, output);
  accepting.Accept();
  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const error_code& error, int) {
    if (error) return;
    output.Event("stopping (signal)");
    io.stop();
  });
  io.run();
  return absl::OkStatus();
}

}  // namespace gw::th_rtp_mock
