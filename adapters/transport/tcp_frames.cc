// adapters/transport/tcp_frames.cc
//
// See tcp_frames.h for the contract. Everything that touches a connection,
// the outbound queues or the listener runs on the one I/O thread, so none of
// that state is locked; other threads only reach it by posting through the
// Gate, which refuses once Stop() has begun. Because every post happens
// under the gate's lock before the shutdown handler is posted, and a
// single-threaded io_context runs them in order, no Send is left behind the
// shutdown; a late one still gets its answer from `stopping_`.
//
// Lifetime: connections are shared by the handlers of their pending
// operations; the Impl outlives them all (Stop() joins the I/O thread after
// every handler has run). Callbacks handed out of the transport (the
// receiver's `answer`) hold only the Gate and a weak connection pointer, and
// use `this` only inside a handler the gate accepted, i.e. while the Impl is
// alive.
//
// The TLS setup and the peer checks are link_tls.h's, shared with
// https_link.cc so that both refuse the same peers.
#include "adapters/transport/tcp_frames.h"

#include <openssl/ssl.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "adapters/transport/link_tls.h"

namespace gw::adapters {

namespace {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using ErrorCode = boost::system::error_code;
using link_tls::EndpointText;
using link_tls::HostPort;
using link_tls::LoggableId;
using link_tls::SplitHostPort;

constexpr size_t kPrefixBytes = 4;  // TH-RTP.md §2.3
// TH-RTP.md §2.1: the only TLS 1.2 suites; TLS 1.3 keeps its defaults.
constexpr char kTls12Ciphers[] =
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384";
// How long a connection closed after a refusal (NK 100) keeps reading what
// the peer still sends, so that closing does not reset the connection
// before the peer has read the refusal.
constexpr auto kLinger = std::chrono::seconds(2);
constexpr auto kAcceptRetry = std::chrono::seconds(1);

uint32_t ReadBigEndian32(const unsigned char* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) |
         (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}

std::string DurationText(absl::Duration d) { return absl::FormatDuration(d); }

Clock::duration ToClock(absl::Duration d) {
  return std::chrono::duration_cast<Clock::duration>(
      absl::ToChronoNanoseconds(d));
}

// Bytes that are not exactly one frame with a LEN in range.
absl::Status CheckFrame(absl::string_view field, absl::string_view frame,
                        const FrameProtocol& protocol) {
  if (frame.size() < kPrefixBytes) {
    return absl::InternalError(
        absl::StrCat(field, ": ", frame.size(), " bytes, shorter than LEN"));
  }
  const uint32_t len =
      ReadBigEndian32(reinterpret_cast<const unsigned char*>(frame.data()));
  if (len != frame.size() - kPrefixBytes) {
    return absl::InternalError(absl::StrCat(field, ": LEN says ", len,
                                            " body bytes, the frame has ",
                                            frame.size() - kPrefixBytes));
  }
  if (len < protocol.min_body_length() || len > protocol.max_body_length()) {
    return absl::InternalError(absl::StrCat(field, ": LEN ", len, " outside ",
                                            protocol.min_body_length(), "..",
                                            protocol.max_body_length()));
  }
  return absl::OkStatus();
}

PartnerAnswer Failure(absl::Status status) {
  PartnerAnswer answer;
  answer.status = std::move(status);
  return answer;
}

}  // namespace

class TcpFramesTransport::Impl {
 public:
  Impl(TcpFramesOptions options, const FrameProtocol* protocol,
       const AnswerEncoder* answers, HostPort target, std::string server_name);
  ~Impl() { Stop(); }

  [[nodiscard]] absl::Status Init();
  void Send(const PartnerMessage& message, SendDone done);
  [[nodiscard]] absl::Status StartReceiving(InboundReceiver* receiver);
  void Stop();
  int bound_port() const { return bound_port_.load(); }

 private:
  // What the other threads may do: post to the I/O thread while it still
  // takes work.
  struct Gate {
    absl::Mutex mu;
    bool open ABSL_GUARDED_BY(mu) = true;
    asio::io_context* io ABSL_GUARDED_BY(mu) = nullptr;

    template <typename Handler>
    bool Post(Handler handler) {
      absl::MutexLock lock(&mu);
      if (!open) return false;
      asio::post(*io, std::move(handler));
      return true;
    }
  };

  enum class Phase { kConnecting, kHandshaking, kOpen, kDraining };

  // One TLS connection, either direction. Touched on the I/O thread only.
  struct Connection {
    Connection(asio::io_context& io, ssl::context& context, bool is_client)
        : client(is_client), stream(io, context), timer(io) {}

    const bool client;
    ssl::stream<tcp::socket> stream;
    // The connect or handshake deadline, then the watchdog (heartbeat,
    // dead peer, ack timeout), then the linger deadline.
    asio::steady_timer timer;
    Clock::time_point timer_at = Clock::time_point::max();
    uint64_t timer_generation = 0;

    std::string remote;          // host:port, for log lines and statuses
    std::string remote_address;  // the peer's IP address, for limits
    Phase phase = Phase::kConnecting;
    bool closed = false;
    std::string verify_failure;  // why the peer certificate was refused

    std::array<unsigned char, kPrefixBytes> header{};
    std::string frame;  // the frame being read, LEN included

    std::deque<std::string> writes;  // whole frames, in order
    bool writing = false;
    Clock::time_point last_sent;
    Clock::time_point last_received;

    // Draining: close once `writes` is flushed, with this reason.
    std::string close_reason;
    std::vector<char> drain_buffer;

    // Server side: data frames handed to the receiver and not yet answered.
    int unanswered = 0;
    // Reading stopped because the peer does not read what we write.
    bool read_paused = false;
  };
  using ConnectionPtr = std::shared_ptr<Connection>;

  // One outbound Send, from OnSend until its `done` runs.
  struct PendingSend {
    std::string message_id;
    std::string frame;  // moved to the write queue when written
    SendDone done;
    Clock::time_point sent_at;
  };
  using Completion = std::pair<SendDone, PartnerAnswer>;

  void Log(const std::string& line) const {
    std::fprintf(stderr, "tcp_frames[%s]: %s\n", options_.peer_agency.c_str(),
                 line.c_str());
  }
  std::string Describe(const Connection& conn) const {
    return absl::StrCat(
        conn.client ? "outbound connection to " : "inbound connection from ",
        conn.remote);
  }
  std::string LinkPrefix(const Connection& conn) const {
    return absl::StrCat(options_.peer_agency, " link ", conn.remote, ": ");
  }

  // --- shared by both directions ---
  void PrepareVerification(const ConnectionPtr& conn);
  void OnHandshake(const ConnectionPtr& conn, const ErrorCode& ec);
  void ReadHeader(const ConnectionPtr& conn);
  void OnHeader(const ConnectionPtr& conn);
  void OnFrame(const ConnectionPtr& conn);
  bool SenderMatches(const ConnectionPtr& conn, const FrameInfo& info);
  void Write(const ConnectionPtr& conn, std::string frame);
  void StartWrite(const ConnectionPtr& conn);
  void WriteThenClose(const ConnectionPtr& conn, std::string frame,
                      std::string reason);
  void Drain(const ConnectionPtr& conn);
  void SetTimer(const ConnectionPtr& conn, Clock::time_point at);
  void OnTimer(const ConnectionPtr& conn);
  void ArmWatchdog(const ConnectionPtr& conn);
  void Watchdog(const ConnectionPtr& conn);
  // Closes at once; on the outbound connection, every unanswered Send gets
  // `code` and every queued one UNAVAILABLE. `conn` by value: callers pass
  // outbound_, which this resets.
  void Close(ConnectionPtr conn, const std::string& reason,
             absl::StatusCode code = absl::StatusCode::kUnavailable);
  void Shutdown();

  // --- outbound ---
  void OnSend(PendingSend send);
  void Connect();
  void Pump();
  void OnAnswer(const ConnectionPtr& conn, const FrameInfo& info);
  // Hands held answers to the frames left once every other frame has had
  // its own answer.
  void ResolveHeldAnswers(std::vector<Completion>& completions);

  // --- inbound ---
  void Accept();
  void OnData(const ConnectionPtr& conn, const FrameInfo& info);
  void OnInboundAnswer(const std::weak_ptr<Connection>& weak,
                       const PartnerMessage& received,
                       const InboundAnswer& answer);

  static void Complete(std::vector<Completion>& completions) {
    for (auto& [done, answer] : completions) done(std::move(answer));
    completions.clear();
  }

  const TcpFramesOptions options_;
  const FrameProtocol* const protocol_;  // not owned
  const AnswerEncoder* const answers_;   // not owned; may be null
  const HostPort target_;                // host empty: never sends
  const std::string target_text_;
  const std::string server_name_;
  const Clock::duration connect_timeout_, handshake_timeout_, ack_timeout_,
      heartbeat_interval_, dead_peer_timeout_;
  // Frames queued on one connection beyond which it stops reading: a
  // window of answers and refusals, with room to spare.
  const size_t max_queued_writes_;

  ssl::context client_context_{ssl::context::tls_client};
  ssl::context server_context_{ssl::context::tls_server};
  asio::io_context io_{1};
  asio::executor_work_guard<asio::io_context::executor_type> work_{
      io_.get_executor()};
  std::shared_ptr<Gate> gate_ = std::make_shared<Gate>();
  std::thread thread_;
  std::atomic<std::thread::id> io_thread_id_;
  absl::Mutex join_mu_;

  // The listener: bound by StartReceiving on its caller's thread, then used
  // on the I/O thread; Shutdown closes it under listen_mu_.
  absl::Mutex listen_mu_;
  bool receiving_ ABSL_GUARDED_BY(listen_mu_) = false;
  tcp::acceptor acceptor_{io_};
  std::atomic<int> bound_port_{0};

  // I/O thread only.
  bool stopping_ = false;
  InboundReceiver* receiver_ = nullptr;  // not owned
  asio::steady_timer accept_retry_{io_};
  absl::flat_hash_set<ConnectionPtr> inbound_;
  tcp::resolver resolver_{io_};
  ConnectionPtr outbound_;
  std::deque<PendingSend> queued_;       // not yet written
  std::deque<PendingSend> outstanding_;  // written, unanswered; write order
  absl::flat_hash_set<std::string> in_flight_ids_;
  std::deque<std::string> held_answers_;  // answers naming no frame
};

TcpFramesTransport::Impl::Impl(TcpFramesOptions options,
                               const FrameProtocol* protocol,
                               const AnswerEncoder* answers, HostPort target,
                               std::string server_name)
    : options_(std::move(options)),
      protocol_(protocol),
      answers_(answers),
      target_(std::move(target)),
      target_text_(options_.connect_target),
      server_name_(std::move(server_name)),
      connect_timeout_(ToClock(options_.connect_timeout)),
      handshake_timeout_(ToClock(options_.handshake_timeout)),
      ack_timeout_(ToClock(options_.ack_timeout)),
      heartbeat_interval_(ToClock(options_.heartbeat_interval)),
      dead_peer_timeout_(ToClock(options_.dead_peer_timeout)),
      max_queued_writes_(2 * static_cast<size_t>(options_.window) + 8) {}

absl::Status TcpFramesTransport::Impl::Init() {
  const link_tls::TlsMaterial material{options_.cert_pem, options_.key_pem,
                                       options_.peer_ca_pem,
                                       options_.peer_crl_pem};
  absl::Status status = link_tls::ConfigureContext(client_context_, material,
                                                   false, kTls12Ciphers);
  if (!status.ok()) return status;
  status = link_tls::ConfigureContext(server_context_, material, true,
                                      kTls12Ciphers);
  if (!status.ok()) return status;
  {
    absl::MutexLock lock(&gate_->mu);
    gate_->io = &io_;
  }
  thread_ = std::thread([this] { io_.run(); });
  io_thread_id_.store(thread_.get_id());
  return absl::OkStatus();
}

void TcpFramesTransport::Impl::Send(const PartnerMessage& message,
                                    SendDone done) {
  if (message.message_id.empty()) {
    done(Failure(absl::InternalError("PartnerMessage.message_id: empty")));
    return;
  }
  absl::Status frame =
      CheckFrame("PartnerMessage.bytes", message.bytes, *protocol_);
  if (!frame.ok()) {
    done(Failure(std::move(frame)));
    return;
  }
  auto send = std::make_shared<PendingSend>(
      PendingSend{message.message_id, message.bytes, std::move(done), {}});
  if (!gate_->Post([this, send] { OnSend(std::move(*send)); })) {
    send->done(Failure(absl::UnavailableError(absl::StrCat(
        options_.peer_agency, " link: transport stopped; not sent"))));
  }
}

absl::Status TcpFramesTransport::Impl::StartReceiving(
    InboundReceiver* receiver) {
  if (receiver == nullptr) {
    return absl::InvalidArgumentError("receiver: null");
  }
  absl::MutexLock lock(&listen_mu_);
  if (receiving_) {
    return absl::FailedPreconditionError("StartReceiving: already called");
  }
  {
    absl::MutexLock gate_lock(&gate_->mu);
    if (!gate_->open) {
      return absl::FailedPreconditionError("StartReceiving: transport stopped");
    }
  }
  if (options_.listen_address.empty()) {
    receiving_ = true;
    return absl::OkStatus();
  }
  // Checked by Create.
  auto where = SplitHostPort("listen_address", options_.listen_address, true);
  if (!where.ok()) return where.status();

  ErrorCode ec;
  tcp::resolver resolver(io_);
  const auto results = resolver.resolve(
      where->host, where->port,
      tcp::resolver::passive | tcp::resolver::numeric_service, ec);
  if (ec || results.empty()) {
    return absl::UnavailableError(
        absl::StrCat("listen_address: cannot resolve ", options_.listen_address,
                     ": ", ec ? ec.message() : "no address"));
  }
  const tcp::endpoint endpoint = results.begin()->endpoint();
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  tcp::endpoint bound;
  if (!ec) bound = acceptor_.local_endpoint(ec);
  if (ec) {
    ErrorCode ignored;
    acceptor_.close(ignored);
    return absl::UnavailableError(
        absl::StrCat("listen_address: cannot listen on ",
                     options_.listen_address, ": ", ec.message()));
  }
  bound_port_.store(bound.port());
  if (!gate_->Post([this, receiver] {
        receiver_ = receiver;
        Accept();
      })) {
    ErrorCode ignored;
    acceptor_.close(ignored);
    return absl::FailedPreconditionError("StartReceiving: transport stopped");
  }
  receiving_ = true;
  Log(absl::StrCat("listening on ", EndpointText(bound)));
  return absl::OkStatus();
}

void TcpFramesTransport::Impl::Stop() {
  {
    absl::MutexLock lock(&gate_->mu);
    if (gate_->open) {
      gate_->open = false;
      if (gate_->io != nullptr) asio::post(io_, [this] { Shutdown(); });
    }
  }
  // From a callback on the I/O thread the shutdown runs when it returns;
  // joining here would wait for ourselves.
  if (std::this_thread::get_id() == io_thread_id_.load()) return;
  absl::MutexLock lock(&join_mu_);
  if (thread_.joinable()) thread_.join();
}

void TcpFramesTransport::Impl::Shutdown() {
  stopping_ = true;
  {
    absl::MutexLock lock(&listen_mu_);
    ErrorCode ignored;
    acceptor_.close(ignored);
  }
  accept_retry_.cancel();
  resolver_.cancel();
  if (outbound_ != nullptr) Close(outbound_, "transport stopped");
  std::vector<Completion> completions;
  for (auto& send : queued_) {
    completions.emplace_back(
        std::move(send.done),
        Failure(absl::UnavailableError(absl::StrCat(
            options_.peer_agency, " link: transport stopped; not sent"))));
  }
  queued_.clear();
  in_flight_ids_.clear();
  const std::vector<ConnectionPtr> inbound(inbound_.begin(), inbound_.end());
  for (const auto& conn : inbound) Close(conn, "transport stopped");
  work_.reset();
  Complete(completions);
}

// --- shared by both directions ---

void TcpFramesTransport::Impl::PrepareVerification(const ConnectionPtr& conn) {
  // The failure text lives in the connection, which owns the stream.
  link_tls::PrepareVerification(conn->stream, conn->client, server_name_,
                                options_.peer_agency, &conn->verify_failure);
}

void TcpFramesTransport::Impl::OnHandshake(const ConnectionPtr& conn,
                                           const ErrorCode& ec) {
  if (conn->closed) return;
  if (ec) {
    Close(conn,
          absl::StrCat("TLS handshake failed: ", conn->verify_failure.empty()
                                                     ? ec.message()
                                                     : conn->verify_failure));
    return;
  }
  if (!conn->client) {
    size_t open = 0;
    for (const ConnectionPtr& other : inbound_) {
      if (other != conn && other->phase != Phase::kHandshaking) ++open;
    }
    if (open >= static_cast<size_t>(options_.max_inbound_connections)) {
      Close(conn, absl::StrCat("refused: ", open,
                               " authenticated inbound connections already "
                               "open"));
      return;
    }
  }
  conn->phase = Phase::kOpen;
  conn->last_sent = conn->last_received = Clock::now();
  Log(absl::StrCat(Describe(*conn), " open (",
                   SSL_get_version(conn->stream.native_handle()), ")"));
  ReadHeader(conn);
  if (conn->client) Pump();
  ArmWatchdog(conn);
}

void TcpFramesTransport::Impl::ReadHeader(const ConnectionPtr& conn) {
  asio::async_read(
      conn->stream, asio::buffer(conn->header),
      [this, conn](const ErrorCode& ec, size_t) {
        if (conn->closed || conn->phase != Phase::kOpen) return;
        if (ec) {
          Close(conn,
                ec == asio::error::eof || ec == ssl::error::stream_truncated
                    ? "closed by the peer"
                    : absl::StrCat("read failed: ", ec.message()));
          return;
        }
        OnHeader(conn);
      });
}

void TcpFramesTransport::Impl::OnHeader(const ConnectionPtr& conn) {
  const uint32_t len = ReadBigEndian32(conn->header.data());
  if (len < protocol_->min_body_length() ||
      len > protocol_->max_body_length()) {
    const std::string reason =
        absl::StrCat("LEN ", len, " outside ", protocol_->min_body_length(),
                     "..", protocol_->max_body_length());
    if (conn->client) {
      Close(conn, absl::StrCat("protocol violation: ", reason));
      return;
    }
    auto refusal = protocol_->MakeLengthRefusal(options_.peer_agency);
    if (!refusal.ok()) {
      Close(conn, absl::StrCat(reason, "; cannot make the refusal: ",
                               refusal.status().message()));
      return;
    }
    WriteThenClose(conn, *std::move(refusal),
                   absl::StrCat(reason, "; refused and closed"));
    return;
  }
  conn->frame.assign(kPrefixBytes + len, '\0');
  std::copy(conn->header.begin(), conn->header.end(), conn->frame.begin());
  asio::async_read(
      conn->stream, asio::buffer(&conn->frame[kPrefixBytes], len),
      [this, conn](const ErrorCode& ec, size_t) {
        if (conn->closed || conn->phase != Phase::kOpen) return;
        if (ec) {
          Close(conn, absl::StrCat("read failed inside a frame: ",
                                   ec == asio::error::eof ||
                                           ec == ssl::error::stream_truncated
                                       ? "closed by the peer"
                                       : ec.message()));
          return;
        }
        OnFrame(conn);
      });
}

void TcpFramesTransport::Impl::OnFrame(const ConnectionPtr& conn) {
  conn->last_received = Clock::now();
  const std::string_view body =
      std::string_view(conn->frame).substr(kPrefixBytes);
  auto info = protocol_->Inspect(body, options_.peer_agency);
  if (!info.ok()) {
    Close(conn, absl::StrCat("protocol violation: ", info.status().message()));
    return;
  }
  switch (info->kind) {
    case FrameInfo::Kind::kHeartbeat:
      if (!SenderMatches(conn, *info)) return;
      break;
    case FrameInfo::Kind::kAnswer:
      if (!conn->client) {
        Close(conn, "protocol violation: an answer frame from the client");
        return;
      }
      if (!SenderMatches(conn, *info)) return;
      OnAnswer(conn, *info);
      break;
    case FrameInfo::Kind::kData:
      if (conn->client) {
        Close(conn, "protocol violation: a data frame from the server");
        return;
      }
      OnData(conn, *info);
      break;
  }
  if (conn->closed || conn->phase != Phase::kOpen) return;
  // A peer that sends without reading our answers (or refusals) would
  // grow the write queue without bound: stop reading until it catches up.
  if (conn->writes.size() >= max_queued_writes_) {
    conn->read_paused = true;
    Log(absl::StrCat(Describe(*conn), ": ", conn->writes.size(),
                     " frames waiting to be written; reading paused"));
  } else {
    ReadHeader(conn);
  }
  ArmWatchdog(conn);
}

bool TcpFramesTransport::Impl::SenderMatches(const ConnectionPtr& conn,
                                             const FrameInfo& info) {
  // Data frames naming another sender are the codec's to refuse (TH-RTP NK
  // 130); control frames are never answered, so only closing is left.
  if (info.sender_agency.empty() ||
      info.sender_agency == options_.peer_agency) {
    return true;
  }
  Close(conn, absl::StrCat("protocol violation: a control frame names sender ",
                           info.sender_agency));
  return false;
}

void TcpFramesTransport::Impl::Write(const ConnectionPtr& conn,
                                     std::string frame) {
  if (conn->closed || conn->phase != Phase::kOpen) return;
  conn->writes.push_back(std::move(frame));
  StartWrite(conn);
}

void TcpFramesTransport::Impl::StartWrite(const ConnectionPtr& conn) {
  if (conn->writing || conn->writes.empty()) return;
  conn->writing = true;
  conn->last_sent = Clock::now();
  asio::async_write(
      conn->stream, asio::buffer(conn->writes.front()),
      [this, conn](const ErrorCode& ec, size_t) {
        conn->writing = false;
        if (conn->closed) return;
        if (ec) {
          Close(conn, absl::StrCat("write failed: ", ec.message()));
          return;
        }
        conn->writes.pop_front();
        if (conn->read_paused && conn->writes.size() < max_queued_writes_ / 2 &&
            conn->phase == Phase::kOpen) {
          conn->read_paused = false;
          ReadHeader(conn);
        }
        if (!conn->writes.empty()) {
          StartWrite(conn);
        } else if (conn->phase == Phase::kDraining) {
          Drain(conn);
          return;
        }
        ArmWatchdog(conn);
      });
}

void TcpFramesTransport::Impl::WriteThenClose(const ConnectionPtr& conn,
                                              std::string frame,
                                              std::string reason) {
  conn->writes.push_back(std::move(frame));
  conn->phase = Phase::kDraining;
  conn->close_reason = std::move(reason);
  conn->timer_at = Clock::time_point::max();
  ++conn->timer_generation;
  conn->timer.cancel();
  if (conn->writing) return;  // the write's end calls Drain
  StartWrite(conn);
}

void TcpFramesTransport::Impl::Drain(const ConnectionPtr& conn) {
  if (conn->drain_buffer.empty()) {
    // First call: FIN after the refusal, then read until the peer closes
    // too (or kLinger passes), so that our close resets nothing unread.
    ErrorCode ignored;
    conn->stream.lowest_layer().shutdown(tcp::socket::shutdown_send, ignored);
    conn->drain_buffer.resize(4096);
    SetTimer(conn, Clock::now() + kLinger);
  }
  conn->stream.next_layer().async_read_some(
      asio::buffer(conn->drain_buffer),
      [this, conn](const ErrorCode& ec, size_t) {
        if (conn->closed) return;
        if (ec) {
          Close(conn, conn->close_reason);
          return;
        }
        Drain(conn);
      });
}

void TcpFramesTransport::Impl::SetTimer(const ConnectionPtr& conn,
                                        Clock::time_point at) {
  conn->timer_at = at;
  const uint64_t generation = ++conn->timer_generation;
  conn->timer.expires_at(at);
  conn->timer.async_wait([this, conn, generation](const ErrorCode& ec) {
    if (ec || conn->closed || generation != conn->timer_generation) return;
    conn->timer_at = Clock::time_point::max();
    OnTimer(conn);
  });
}

void TcpFramesTransport::Impl::OnTimer(const ConnectionPtr& conn) {
  switch (conn->phase) {
    case Phase::kConnecting:
      Close(conn, absl::StrCat("connect timed out after ",
                               DurationText(options_.connect_timeout)));
      return;
    case Phase::kHandshaking:
      Close(conn, absl::StrCat("TLS handshake timed out after ",
                               DurationText(options_.handshake_timeout)));
      return;
    case Phase::kDraining:
      Close(conn, conn->close_reason);
      return;
    case Phase::kOpen:
      Watchdog(conn);
      return;
  }
}

void TcpFramesTransport::Impl::ArmWatchdog(const ConnectionPtr& conn) {
  if (conn->closed || conn->phase != Phase::kOpen) return;
  Clock::time_point next = conn->last_received + dead_peer_timeout_;
  // While a write is under way it is the write's end that re-arms; a
  // heartbeat behind a stalled write would say nothing new.
  if (!conn->writing && conn->writes.empty()) {
    next = std::min(next, conn->last_sent + heartbeat_interval_);
  }
  if (conn == outbound_ && !outstanding_.empty()) {
    next = std::min(next, outstanding_.front().sent_at + ack_timeout_);
  }
  if (next != conn->timer_at) SetTimer(conn, next);
}

void TcpFramesTransport::Impl::Watchdog(const ConnectionPtr& conn) {
  const Clock::time_point now = Clock::now();
  if (now >= conn->last_received + dead_peer_timeout_) {
    Close(conn, absl::StrCat("no frame received for ",
                             DurationText(options_.dead_peer_timeout),
                             " (dead peer)"));
    return;
  }
  if (conn == outbound_ && !outstanding_.empty() &&
      now >= outstanding_.front().sent_at + ack_timeout_) {
    Close(conn,
          absl::StrCat("no answer within ", DurationText(options_.ack_timeout),
                       " to message ",
                       LoggableId(outstanding_.front().message_id),
                       " (ack timeout)"),
          absl::StatusCode::kDeadlineExceeded);
    return;
  }
  if (!conn->writing && conn->writes.empty() &&
      now >= conn->last_sent + heartbeat_interval_) {
    auto heartbeat = protocol_->MakeHeartbeat(options_.peer_agency);
    if (heartbeat.ok()) {
      Write(conn, *std::move(heartbeat));
    } else {
      // Try again an interval later; the peer's dead-peer timeout decides.
      conn->last_sent = now;
      Log(absl::StrCat(Describe(*conn), ": cannot make a heartbeat: ",
                       heartbeat.status().message()));
    }
  }
  ArmWatchdog(conn);
}

void TcpFramesTransport::Impl::Close(ConnectionPtr conn,
                                     const std::string& reason,
                                     absl::StatusCode code) {
  if (conn->closed) return;
  conn->closed = true;
  ErrorCode ignored;
  conn->timer.cancel();
  conn->stream.lowest_layer().close(ignored);
  Log(absl::StrCat(Describe(*conn), " closed: ", reason));

  std::vector<Completion> completions;
  if (!conn->client) {
    inbound_.erase(conn);
  } else if (conn == outbound_) {
    outbound_.reset();
    resolver_.cancel();
    const std::string prefix = LinkPrefix(*conn);
    for (auto& send : outstanding_) {
      completions.emplace_back(
          std::move(send.done),
          Failure(absl::Status(code, absl::StrCat(prefix, reason))));
    }
    for (auto& send : queued_) {
      completions.emplace_back(
          std::move(send.done),
          Failure(absl::UnavailableError(
              absl::StrCat(prefix, "not sent; connection closed: ", reason))));
    }
    outstanding_.clear();
    queued_.clear();
    in_flight_ids_.clear();
    held_answers_.clear();
  }
  Complete(completions);
}

// --- outbound ---

void TcpFramesTransport::Impl::OnSend(PendingSend send) {
  if (stopping_) {
    send.done(Failure(absl::UnavailableError(absl::StrCat(
        options_.peer_agency, " link: transport stopped; not sent"))));
    return;
  }
  if (target_.host.empty()) {
    send.done(Failure(absl::UnavailableError(
        absl::StrCat(options_.peer_agency,
                     " link: no connect_target configured; this link does "
                     "not send"))));
    return;
  }
  if (!in_flight_ids_.insert(send.message_id).second) {
    send.done(Failure(absl::AbortedError(absl::StrCat(
        "message_id: ", LoggableId(send.message_id),
        " is already in flight on the ", options_.peer_agency, " link"))));
    return;
  }
  queued_.push_back(std::move(send));
  if (outbound_ == nullptr) {
    Connect();
  } else {
    Pump();
  }
}

void TcpFramesTransport::Impl::Connect() {
  auto conn = std::make_shared<Connection>(io_, client_context_, true);
  conn->remote = target_text_;
  outbound_ = conn;
  PrepareVerification(conn);
  SetTimer(conn, Clock::now() + connect_timeout_);
  resolver_.async_resolve(
      target_.host, target_.port, tcp::resolver::numeric_service,
      [this, conn](const ErrorCode& ec, tcp::resolver::results_type results) {
        if (conn->closed) return;
        if (ec) {
          Close(conn, absl::StrCat("cannot resolve: ", ec.message()));
          return;
        }
        asio::async_connect(
            conn->stream.lowest_layer(), results,
            [this, conn](const ErrorCode& ec, const tcp::endpoint&) {
              if (conn->closed) return;
              if (ec) {
                Close(conn, absl::StrCat("connect failed: ", ec.message()));
                return;
              }
              conn->phase = Phase::kHandshaking;
              SetTimer(conn, Clock::now() + handshake_timeout_);
              conn->stream.async_handshake(
                  ssl::stream_base::client,
                  [this, conn](const ErrorCode& ec) { OnHandshake(conn, ec); });
            });
      });
}

void TcpFramesTransport::Impl::Pump() {
  const ConnectionPtr conn = outbound_;
  if (conn == nullptr || conn->phase != Phase::kOpen) return;
  while (held_answers_.empty() && !queued_.empty() &&
         outstanding_.size() < static_cast<size_t>(options_.window)) {
    PendingSend send = std::move(queued_.front());
    queued_.pop_front();
    send.sent_at = Clock::now();
    std::string frame = std::move(send.frame);
    outstanding_.push_back(std::move(send));
    Write(conn, std::move(frame));
  }
  ArmWatchdog(conn);
}

void TcpFramesTransport::Impl::OnAnswer(const ConnectionPtr& conn,
                                        const FrameInfo& info) {
  std::vector<Completion> completions;
  auto it = info.message_id.empty()
                ? outstanding_.end()
                : std::find_if(outstanding_.begin(), outstanding_.end(),
                               [&](const PendingSend& send) {
                                 return send.message_id == info.message_id;
                               });
  if (it != outstanding_.end()) {
    PartnerAnswer answer;
    answer.bytes = std::move(conn->frame);
    completions.emplace_back(std::move(it->done), std::move(answer));
    in_flight_ids_.erase(it->message_id);
    outstanding_.erase(it);
  } else {
    held_answers_.push_back(std::move(conn->frame));
    Log(absl::StrCat(Describe(*conn), ": an answer naming ",
                     LoggableId(info.message_id),
                     " matches no unanswered frame; held until the other "
                     "frames are answered"));
  }
  ResolveHeldAnswers(completions);
  Pump();
  Complete(completions);
}

void TcpFramesTransport::Impl::ResolveHeldAnswers(
    std::vector<Completion>& completions) {
  if (held_answers_.empty() || outstanding_.size() > held_answers_.size()) {
    return;
  }
  while (!outstanding_.empty()) {
    PartnerAnswer answer;
    answer.bytes = std::move(held_answers_.front());
    held_answers_.pop_front();
    completions.emplace_back(std::move(outstanding_.front().done),
                             std::move(answer));
    in_flight_ids_.erase(outstanding_.front().message_id);
    outstanding_.pop_front();
  }
  if (!held_answers_.empty()) {
    Log(absl::StrCat(held_answers_.size(),
                     " answer(s) naming no frame dropped: no frame is left "
                     "unanswered"));
    held_answers_.clear();
  }
}

// --- inbound ---

void TcpFramesTransport::Impl::Accept() {
  if (stopping_) return;
  auto conn = std::make_shared<Connection>(io_, server_context_, false);
  acceptor_.async_accept(
      conn->stream.lowest_layer(), [this, conn](const ErrorCode& ec) {
        if (stopping_ || ec == asio::error::operation_aborted) return;
        if (ec) {
          Log(absl::StrCat("accept failed: ", ec.message()));
          accept_retry_.expires_after(kAcceptRetry);
          accept_retry_.async_wait([this](const ErrorCode& ec) {
            if (!ec) Accept();
          });
          return;
        }
        ErrorCode remote_ec;
        const tcp::endpoint remote =
            conn->stream.lowest_layer().remote_endpoint(remote_ec);
        conn->remote = remote_ec ? "(unknown address)" : EndpointText(remote);
        conn->remote_address = remote_ec ? "" : remote.address().to_string();
        // Before the handshake nobody is authenticated: handshakes have
        // their own limits, so strangers cannot take the partner's places.
        size_t handshaking = 0;
        size_t from_address = 0;
        for (const ConnectionPtr& other : inbound_) {
          if (other->phase != Phase::kHandshaking) continue;
          ++handshaking;
          if (other->remote_address == conn->remote_address) ++from_address;
        }
        const std::string refusal =
            link_tls::HandshakeRefusal(handshaking, from_address);
        if (!refusal.empty()) {
          Log(absl::StrCat(Describe(*conn), " refused: ", refusal));
          ErrorCode ignored;
          conn->stream.lowest_layer().close(ignored);
        } else {
          inbound_.insert(conn);
          conn->phase = Phase::kHandshaking;
          PrepareVerification(conn);
          SetTimer(conn, Clock::now() + handshake_timeout_);
          conn->stream.async_handshake(
              ssl::stream_base::server,
              [this, conn](const ErrorCode& ec) { OnHandshake(conn, ec); });
        }
        Accept();
      });
}

void TcpFramesTransport::Impl::OnData(const ConnectionPtr& conn,
                                      const FrameInfo& info) {
  const std::string_view body =
      std::string_view(conn->frame).substr(kPrefixBytes);
  if (conn->unanswered >= options_.window) {
    // TH-RTP.md §7: answered at once, before decoding, and not counted.
    auto refusal = protocol_->MakeWindowRefusal(body, options_.peer_agency);
    if (!refusal.ok()) {
      Close(conn, absl::StrCat("cannot make the window refusal: ",
                               refusal.status().message()));
      return;
    }
    Log(absl::StrCat(Describe(*conn), ": message ", LoggableId(info.message_id),
                     " refused: ", conn->unanswered,
                     " frames unanswered (window full)"));
    Write(conn, *std::move(refusal));
    return;
  }
  ++conn->unanswered;
  PartnerMessage message;
  message.message_id = info.message_id;
  message.content_type = options_.inbound_content_type;
  message.bytes = std::move(conn->frame);
  auto received = std::make_shared<const PartnerMessage>(message);
  auto answered = std::make_shared<std::atomic<bool>>(false);
  std::weak_ptr<Connection> weak = conn;
  receiver_->Receive(
      options_.peer_agency, std::move(message),
      [this, gate = gate_, weak, received, answered](InboundAnswer answer) {
        if (answered->exchange(true)) return;
        auto shared = std::make_shared<const InboundAnswer>(std::move(answer));
        gate->Post([this, weak, received, shared] {
          OnInboundAnswer(weak, *received, *shared);
        });
      });
}

void TcpFramesTransport::Impl::OnInboundAnswer(
    const std::weak_ptr<Connection>& weak, const PartnerMessage& received,
    const InboundAnswer& answer) {
  const ConnectionPtr conn = weak.lock();
  if (conn == nullptr || conn->closed || conn->phase != Phase::kOpen) {
    Log(absl::StrCat("the answer to message ", LoggableId(received.message_id),
                     " is dropped: its connection is closed (the partner "
                     "resends)"));
    return;
  }
  conn->unanswered = std::max(0, conn->unanswered - 1);
  auto encoded = answers_->EncodeAnswer(options_.peer_agency, received, answer);
  if (!encoded.ok()) {
    Close(conn, absl::StrCat("cannot encode the answer to message ",
                             LoggableId(received.message_id), ": ",
                             encoded.status().message()));
    return;
  }
  if (!encoded->has_value()) return;  // the ICD prescribes no answer
  absl::Status frame =
      CheckFrame("EncodeAnswer().bytes", (*encoded)->bytes, *protocol_);
  if (!frame.ok()) {
    Close(conn, std::string(frame.message()));
    return;
  }
  Write(conn, std::move((*encoded)->bytes));
  ArmWatchdog(conn);
}

// --- TcpFramesTransport ---

absl::StatusOr<std::unique_ptr<TcpFramesTransport>> TcpFramesTransport::Create(
    TcpFramesOptions options, const FrameProtocol* protocol,
    const AnswerEncoder* answers) {
  if (protocol == nullptr) {
    return absl::InvalidArgumentError("protocol: null");
  }
  if (protocol->min_body_length() > protocol->max_body_length()) {
    return absl::InvalidArgumentError(
        "protocol: min_body_length is above max_body_length");
  }
  if (options.peer_agency.empty()) {
    return absl::InvalidArgumentError(
        "peer_agency: empty; want the partner agency, e.g. TH-RTP");
  }
  if (options.local_agency.empty()) {
    return absl::InvalidArgumentError(
        "local_agency: empty; want this gateway's agency, e.g. CN-MPS");
  }
  if (options.cert_pem.empty() || options.key_pem.empty()) {
    return absl::InvalidArgumentError(
        "cert_pem / key_pem: empty; mutual TLS needs this gateway's TLS "
        "certificate and key (PEM)");
  }
  if (options.peer_ca_pem.empty()) {
    return absl::InvalidArgumentError(
        "peer_ca_pem: empty; want the partner agency's CA certificate (PEM)");
  }
  if (options.window < 1) {
    return absl::InvalidArgumentError("window: must be at least 1");
  }
  if (options.max_inbound_connections < 1) {
    return absl::InvalidArgumentError(
        "max_inbound_connections: must be at least 1");
  }
  for (const auto& [name, value] :
       {std::pair{"connect_timeout", options.connect_timeout},
        std::pair{"handshake_timeout", options.handshake_timeout},
        std::pair{"ack_timeout", options.ack_timeout},
        std::pair{"heartbeat_interval", options.heartbeat_interval},
        std::pair{"dead_peer_timeout", options.dead_peer_timeout}}) {
    if (value <= absl::ZeroDuration() || value == absl::InfiniteDuration()) {
      return absl::InvalidArgumentError(
          absl::StrCat(name, ": must be positive and finite"));
    }
  }
  HostPort target;
  std::string server_name = options.tls_server_name;
  if (!options.connect_target.empty()) {
    auto split = SplitHostPort("connect_target", options.connect_target,
                               /*allow_port_zero=*/false);
    if (!split.ok()) return split.status();
    target = *std::move(split);
    if (server_name.empty()) server_name = target.host;
  } else if (!server_name.empty()) {
    return absl::InvalidArgumentError(
        "tls_server_name: set without a connect_target");
  }
  if (!options.listen_address.empty()) {
    auto split = SplitHostPort("listen_address", options.listen_address,
                               /*allow_port_zero=*/true);
    if (!split.ok()) return split.status();
    if (answers == nullptr) {
      return absl::InvalidArgumentError(
          "answers: null; a listen_address needs an AnswerEncoder");
    }
  }
  auto impl = std::make_unique<Impl>(std::move(options), protocol, answers,
                                     std::move(target), std::move(server_name));
  absl::Status init = impl->Init();
  if (!init.ok()) return init;
  return std::unique_ptr<TcpFramesTransport>(
      new TcpFramesTransport(std::move(impl)));
}

TcpFramesTransport::TcpFramesTransport(std::unique_ptr<Impl> impl)
    : impl_(std::move(impl)) {}

TcpFramesTransport::~TcpFramesTransport() { impl_->Stop(); }

void TcpFramesTransport::Send(const PartnerMessage& message, SendDone done) {
  impl_->Send(message, std::move(done));
}

absl::Status TcpFramesTransport::StartReceiving(InboundReceiver* receiver) {
  return impl_->StartReceiving(receiver);
}

void TcpFramesTransport::Stop() { impl_->Stop(); }

int TcpFramesTransport::bound_port() const { return impl_->bound_port(); }

}  // namespace gw::adapters
