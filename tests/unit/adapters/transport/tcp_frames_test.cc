// tests/unit/adapters/transport/tcp_frames_test.cc
//
// TcpFramesTransport on 127.0.0.1 with the dev PKI: the transport is the
// CN-MPS gateway (CN-MPS/gateway.crt, trusting the TH-RTP CA and its CRL);
// the partner is either a raw TLS peer driven step by step from the test
// thread (TH-RTP/gateway.crt), which sees exactly what goes on the wire, or
// a second transport. Frames use a fake FrameProtocol whose body is
//   KIND(1) MESSAGE_ID(36) SENDER(10) CODE(3) padding to kMinBody,
// KIND D data, A answer, H heartbeat, X a control frame Inspect rejects.
// Timeouts under test are shortened to a few hundred milliseconds; every
// wait is on a condition with a generous deadline, never on a sleep.
#include "adapters/transport/tcp_frames.h"

#include <openssl/ssl.h>

#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <cstdint>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/dev_pki.h"

namespace gw::adapters {
namespace {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = asio::ip::tcp;
using ErrorCode = boost::system::error_code;
using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr size_t kMinBody = 64;
constexpr size_t kMaxBody = 4096;
constexpr absl::Duration kWait = absl::Seconds(30);
constexpr char kLocal[] = "CN-MPS";
constexpr char kPeer[] = "TH-RTP";

// --- the fake frame format ---

std::string Frame(const std::string& body) {
  const uint32_t n = static_cast<uint32_t>(body.size());
  std::string out = {static_cast<char>(n >> 24), static_cast<char>(n >> 16),
                     static_cast<char>(n >> 8), static_cast<char>(n)};
  return out + body;
}

std::string Body(char kind, const std::string& id, const std::string& sender,
                 const std::string& code = "000") {
  std::string body(1, kind);
  body += id;
  body.resize(37, ' ');
  body += sender;
  body.resize(47, ' ');
  body += code;
  body.resize(kMinBody, '.');
  return body;
}

std::string DataFrame(const std::string& id,
                      const std::string& sender = kPeer) {
  return Frame(Body('D', id, sender));
}
std::string AnswerFrame(const std::string& id, const std::string& code = "000",
                        const std::string& sender = kPeer) {
  return Frame(Body('A', id, sender, code));
}

std::string Id(int i) {
  return absl::StrFormat("00000000-0000-4000-8000-%012d", i);
}

struct Parsed {
  char kind = 0;
  std::string id;
  std::string sender;
  std::string code;
};

Parsed Parse(std::string_view frame) {
  Parsed parsed;
  if (frame.size() < 4 + 50) return parsed;
  const std::string_view body = frame.substr(4);
  parsed.kind = body[0];
  parsed.id = std::string(absl::StripTrailingAsciiWhitespace(
      absl::string_view(body.data() + 1, 36)));
  parsed.sender = std::string(absl::StripTrailingAsciiWhitespace(
      absl::string_view(body.data() + 37, 10)));
  parsed.code = std::string(body.substr(47, 3));
  return parsed;
}

class FakeProtocol final : public FrameProtocol {
 public:
  explicit FakeProtocol(std::string local) : local_(std::move(local)) {}

  size_t min_body_length() const override { return kMinBody; }
  size_t max_body_length() const override { return kMaxBody; }

  absl::StatusOr<FrameInfo> Inspect(std::string_view body,
                                    std::string_view) const override {
    const Parsed parsed = Parse(Frame(std::string(body)));
    FrameInfo info;
    info.message_id = parsed.id;
    info.sender_agency = parsed.sender;
    switch (parsed.kind) {
      case 'D':
        info.kind = FrameInfo::Kind::kData;
        return info;
      case 'A':
        info.kind = FrameInfo::Kind::kAnswer;
        return info;
      case 'H':
        info.kind = FrameInfo::Kind::kHeartbeat;
        return info;
      default:
        return absl::InvalidArgumentError("control frame: record structure");
    }
  }
  absl::StatusOr<std::string> MakeHeartbeat(std::string_view) const override {
    return Frame(Body('H', "", local_));
  }
  absl::StatusOr<std::string> MakeLengthRefusal(
      std::string_view) const override {
    return Frame(Body('A', "", local_, "100"));
  }
  absl::StatusOr<std::string> MakeWindowRefusal(
      std::string_view body, std::string_view) const override {
    return Frame(Body('A', Parse(Frame(std::string(body))).id, local_, "902"));
  }

 private:
  const std::string local_;
};

class FakeAnswers final : public AnswerEncoder {
 public:
  enum class Mode { kAnswer, kNoAnswer, kError };
  explicit FakeAnswers(std::string local) : local_(std::move(local)) {}
  // How to answer the message `id` (default kAnswer).
  void set_mode(const std::string& id, Mode mode) {
    absl::MutexLock lock(&mu_);
    modes_[id] = mode;
  }

  absl::StatusOr<std::optional<PartnerMessage>> EncodeAnswer(
      const std::string&, const PartnerMessage& received,
      const InboundAnswer& answer) const override {
    Mode mode = Mode::kAnswer;
    {
      absl::MutexLock lock(&mu_);
      auto it = modes_.find(received.message_id);
      if (it != modes_.end()) mode = it->second;
    }
    switch (mode) {
      case Mode::kNoAnswer:
        return std::nullopt;
      case Mode::kError:
        return absl::InternalError("signing key unavailable");
      case Mode::kAnswer:
        break;
    }
    PartnerMessage out;
    out.message_id = received.message_id;
    out.bytes = Frame(Body('A', received.message_id, local_,
                           answer.status.ok() ? "000" : "120"));
    return out;
  }

 private:
  const std::string local_;
  mutable absl::Mutex mu_;
  std::map<std::string, Mode> modes_ ABSL_GUARDED_BY(mu_);
};

class FakeReceiver final : public InboundReceiver {
 public:
  struct Received {
    std::string sender;
    PartnerMessage message;
    std::function<void(InboundAnswer)> answer;
  };

  // Answer OK from inside Receive, on the transport's thread.
  void set_answer_at_once(bool at_once) {
    absl::MutexLock lock(&mu_);
    answer_at_once_ = at_once;
  }

  void Receive(const std::string& sender, PartnerMessage received,
               std::function<void(InboundAnswer)> answer) override {
    bool at_once;
    {
      absl::MutexLock lock(&mu_);
      at_once = answer_at_once_;
      received_.push_back({sender, received, at_once ? nullptr : answer});
    }
    if (at_once) answer(InboundAnswer{});
  }

  bool WaitForCount(size_t count) {
    absl::MutexLock lock(&mu_);
    auto enough = [this, count]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return received_.size() >= count;
    };
    return mu_.AwaitWithTimeout(absl::Condition(&enough), kWait);
  }
  size_t count() {
    absl::MutexLock lock(&mu_);
    return received_.size();
  }
  Received Get(size_t i) {
    absl::MutexLock lock(&mu_);
    return received_.at(i);
  }

 private:
  absl::Mutex mu_;
  bool answer_at_once_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<Received> received_ ABSL_GUARDED_BY(mu_);
};

void AnswerOk(const FakeReceiver::Received& received) {
  InboundAnswer answer;
  answer.status = absl::OkStatus();
  received.answer(answer);
}

// --- outbound Sends ---

// The answer of one Send, shared with the callback so that a late callback
// never writes to a dead stack frame.
struct Pending {
  absl::Notification done;
  PartnerAnswer answer;
  std::atomic<int> calls{0};
};

std::shared_ptr<Pending> StartSend(Transport& transport,
                                   const std::string& id) {
  auto pending = std::make_shared<Pending>();
  PartnerMessage message;
  message.message_id = id;
  message.content_type = "application/vnd.th-rtp.frame";
  message.bytes = DataFrame(id, kLocal);
  transport.Send(message, [pending](PartnerAnswer answer) {
    pending->answer = std::move(answer);
    if (pending->calls.fetch_add(1) == 0) pending->done.Notify();
  });
  return pending;
}

PartnerAnswer Await(const std::shared_ptr<Pending>& pending) {
  EXPECT_TRUE(pending->done.WaitForNotificationWithTimeout(kWait))
      << "no answer";
  EXPECT_EQ(pending->calls.load(), 1);
  return pending->answer;
}

// --- the raw TLS peer, driven from the test thread ---

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << path;
  std::stringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string Pki(const std::string& name) {
  return absl::StrCat(gw::testing::DevPki::Get().dir(), "/", name);
}

// Runs the peer's io_context on the test thread until a condition holds.
bool RunUntil(asio::io_context& io, const std::function<bool()>& done,
              absl::Duration timeout) {
  const auto deadline =
      std::chrono::steady_clock::now() + absl::ToChronoNanoseconds(timeout);
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    io.restart();
    if (io.run_one_until(deadline) == 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  return true;
}

struct OpState {
  bool done = false;
  ErrorCode ec;
};

// The partner's TLS context: its certificate, and the CA it trusts for ours.
std::unique_ptr<ssl::context> PeerContext(
    bool server, const std::string& cert = Pki("TH-RTP/gateway.crt"),
    const std::string& key = Pki("TH-RTP/gateway.key"),
    const std::string& ca = Pki("CN-MPS/ca.crt")) {
  auto context = std::make_unique<ssl::context>(
      server ? ssl::context::tls_server : ssl::context::tls_client);
  ErrorCode ec;
  context->use_certificate_chain_file(cert, ec);
  EXPECT_FALSE(ec) << cert;
  context->use_private_key_file(key, ssl::context::pem, ec);
  EXPECT_FALSE(ec) << key;
  context->load_verify_file(ca, ec);
  EXPECT_FALSE(ec) << ca;
  context->set_verify_mode(
      server ? ssl::verify_peer | ssl::verify_fail_if_no_peer_cert
             : ssl::verify_peer,
      ec);
  return context;
}

class PeerConnection {
 public:
  PeerConnection(asio::io_context& io, ssl::context& context)
      : io_(io), stream_(io, context) {}

  ssl::stream<tcp::socket>& stream() { return stream_; }

  // Runs one asynchronous operation to its end or until `timeout`
  // (then cancels it and returns timed_out).
  template <typename Initiate>
  ErrorCode Run(Initiate initiate, absl::Duration timeout) {
    auto state = std::make_shared<OpState>();
    initiate([state](const ErrorCode& ec, auto...) {
      state->ec = ec;
      state->done = true;
    });
    if (RunUntil(
            io_, [&] { return state->done; }, timeout))
      return state->ec;
    ErrorCode ignored;
    stream_.lowest_layer().cancel(ignored);
    RunUntil(
        io_, [&] { return state->done; }, kWait);
    return asio::error::timed_out;
  }

  ErrorCode Connect(int port) {
    const tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"),
                                 static_cast<uint16_t>(port));
    ErrorCode ec = Run(
        [&](auto handler) {
          stream_.lowest_layer().async_connect(endpoint, handler);
        },
        kWait);
    if (ec) return ec;
    return Handshake(ssl::stream_base::client);
  }

  ErrorCode Handshake(ssl::stream_base::handshake_type type) {
    return Run([&](auto handler) { stream_.async_handshake(type, handler); },
               kWait);
  }

  ErrorCode Write(const std::string& bytes) {
    return Run(
        [&](auto handler) {
          asio::async_write(stream_, asio::buffer(bytes), handler);
        },
        kWait);
  }

  // One whole frame (LEN included). DEADLINE_EXCEEDED: nothing complete
  // within `timeout`; UNAVAILABLE: the connection ended.
  absl::StatusOr<std::string> ReadFrame(absl::Duration timeout = kWait) {
    std::string frame(4, '\0');
    ErrorCode ec = Run(
        [&](auto handler) {
          asio::async_read(stream_, asio::buffer(&frame[0], 4), handler);
        },
        timeout);
    if (!ec) {
      const auto* p = reinterpret_cast<const unsigned char*>(frame.data());
      const size_t len = (size_t{p[0]} << 24) | (size_t{p[1]} << 16) |
                         (size_t{p[2]} << 8) | size_t{p[3]};
      if (len > kMaxBody) return absl::DataLossError("LEN out of range");
      frame.resize(4 + len);
      ec = Run(
          [&](auto handler) {
            asio::async_read(stream_, asio::buffer(&frame[4], len), handler);
          },
          timeout);
    }
    if (ec == asio::error::timed_out) {
      return absl::DeadlineExceededError("no frame in time");
    }
    if (ec) return absl::UnavailableError(ec.message());
    return frame;
  }

  // Reads the next frame that is not a heartbeat.
  absl::StatusOr<std::string> ReadNonHeartbeat() {
    while (true) {
      auto frame = ReadFrame();
      if (!frame.ok() || Parse(*frame).kind != 'H') return frame;
    }
  }

  // True when the transport closes the connection within kWait (frames it
  // sends meanwhile are skipped).
  bool WaitClosed() {
    const absl::Time deadline = absl::Now() + kWait;
    while (absl::Now() < deadline) {
      auto frame = ReadFrame(deadline - absl::Now());
      if (!frame.ok()) {
        return frame.status().code() == absl::StatusCode::kUnavailable;
      }
    }
    return false;
  }

  void Close() {
    ErrorCode ignored;
    stream_.lowest_layer().close(ignored);
  }

 private:
  asio::io_context& io_;
  ssl::stream<tcp::socket> stream_;
};

class PeerListener {
 public:
  explicit PeerListener(asio::io_context& io, int port = 0)
      : io_(io), acceptor_(io) {
    const tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"),
                                 static_cast<uint16_t>(port));
    ErrorCode ec;
    acceptor_.open(endpoint.protocol(), ec);
    acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
    acceptor_.bind(endpoint, ec);
    EXPECT_FALSE(ec) << "bind: " << ec.message();
    acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    port_ = acceptor_.local_endpoint(ec).port();
  }

  int port() const { return port_; }
  std::string target() const { return absl::StrCat("127.0.0.1:", port_); }

  // Accepts one connection; with `context`, also runs the server side of
  // the TLS handshake (error: the handshake failed).
  absl::StatusOr<std::unique_ptr<PeerConnection>> Accept(
      ssl::context& context, bool handshake = true) {
    auto conn = std::make_unique<PeerConnection>(io_, context);
    auto state = std::make_shared<OpState>();
    acceptor_.async_accept(conn->stream().lowest_layer(),
                           [state](const ErrorCode& ec) {
                             state->ec = ec;
                             state->done = true;
                           });
    if (!RunUntil(
            io_, [&] { return state->done; }, kWait)) {
      ErrorCode ignored;
      acceptor_.cancel(ignored);
      RunUntil(
          io_, [&] { return state->done; }, kWait);
      return absl::DeadlineExceededError("no connection");
    }
    if (state->ec) return absl::UnavailableError(state->ec.message());
    if (handshake) {
      ErrorCode ec = conn->Handshake(ssl::stream_base::server);
      if (ec) return absl::UnavailableError(ec.message());
    }
    return conn;
  }

  void Close() {
    ErrorCode ignored;
    acceptor_.close(ignored);
  }

 private:
  asio::io_context& io_;
  tcp::acceptor acceptor_;
  int port_ = 0;
};

// A CRL of the TH-RTP CA that revokes `cert_path` (made with the CA's key
// from the dev PKI).
std::string CrlRevoking(const std::string& cert_path) {
  const std::string dir = gw::testing::MakeTempDir("gw-tcp-frames-crl");
  {
    std::ofstream config(dir + "/ca.cnf");
    config << "[ ca ]\ndefault_ca = test_ca\n[ test_ca ]\n"
           << "database = " << dir << "/index.txt\n"
           << "crlnumber = " << dir << "/crlnumber\n"
           << "default_md = default\ndefault_crl_days = 30\n";
    std::ofstream(dir + "/index.txt");
    std::ofstream(dir + "/crlnumber") << "1000\n";
  }
  const std::string ca = absl::StrCat("-cert ", Pki("TH-RTP/ca.crt"),
                                      " -keyfile ", Pki("TH-RTP/ca.key"));
  std::string output;
  const int rc = gw::testing::RunCommand(
      absl::StrCat("(set -e; openssl ca -config ", dir, "/ca.cnf -batch ", ca,
                   " -revoke ", cert_path, "; openssl ca -config ", dir,
                   "/ca.cnf -batch ", ca, " -gencrl -out ", dir, "/crl.pem)"),
      &output);
  EXPECT_EQ(rc, 0) << output;
  return ReadFile(dir + "/crl.pem");
}

// --- the fixture ---

class TcpFramesTest : public ::testing::Test {
 protected:
  // The CN-MPS gateway's side of the TH-RTP link.
  static TcpFramesOptions GatewayOptions() {
    TcpFramesOptions options;
    options.peer_agency = kPeer;
    options.local_agency = kLocal;
    options.cert_pem = ReadFile(Pki("CN-MPS/gateway.crt"));
    options.key_pem = ReadFile(Pki("CN-MPS/gateway.key"));
    options.peer_ca_pem = ReadFile(Pki("TH-RTP/ca.crt"));
    options.peer_crl_pem = ReadFile(Pki("TH-RTP/crl.pem"));
    return options;
  }

  std::unique_ptr<TcpFramesTransport> Make(TcpFramesOptions options) {
    auto transport =
        TcpFramesTransport::Create(std::move(options), &protocol_, &answers_);
    EXPECT_TRUE(transport.ok()) << transport.status();
    return transport.ok() ? *std::move(transport) : nullptr;
  }

  // A transport sending to `listener`.
  std::unique_ptr<TcpFramesTransport> MakeClient(
      const PeerListener& listener,
      const std::function<void(TcpFramesOptions&)>& adjust = nullptr) {
    TcpFramesOptions options = GatewayOptions();
    options.connect_target = listener.target();
    if (adjust) adjust(options);
    return Make(std::move(options));
  }

  // A transport receiving into receiver_ on a free port.
  std::unique_ptr<TcpFramesTransport> MakeServer(
      const std::function<void(TcpFramesOptions&)>& adjust = nullptr) {
    TcpFramesOptions options = GatewayOptions();
    options.listen_address = "127.0.0.1:0";
    if (adjust) adjust(options);
    auto transport = Make(std::move(options));
    if (transport != nullptr) {
      EXPECT_TRUE(transport->StartReceiving(&receiver_).ok());
      EXPECT_NE(transport->bound_port(), 0);
    }
    return transport;
  }

  // A partner connection to `transport`'s server.
  std::unique_ptr<PeerConnection> ConnectTo(const TcpFramesTransport& transport,
                                            ssl::context& context) {
    auto conn = std::make_unique<PeerConnection>(io_, context);
    ErrorCode ec = conn->Connect(transport.bound_port());
    EXPECT_FALSE(ec) << ec.message();
    return conn;
  }

  FakeProtocol protocol_{kLocal};
  FakeAnswers answers_{kLocal};
  FakeReceiver receiver_;
  asio::io_context io_;
  std::unique_ptr<ssl::context> peer_server_ = PeerContext(true);
  std::unique_ptr<ssl::context> peer_client_ = PeerContext(false);
};

// --- Create ---

TEST_F(TcpFramesTest, CreateRejectsInvalidOptions) {
  struct Case {
    std::string name;
    std::function<void(TcpFramesOptions&)> change;
    std::string field;
    bool null_protocol = false;
    bool null_answers = false;
  };
  const std::vector<Case> cases = {
      {"null protocol", [](TcpFramesOptions&) {}, "protocol", true},
      {"no peer agency", [](auto& o) { o.peer_agency.clear(); }, "peer_agency"},
      {"no local agency", [](auto& o) { o.local_agency.clear(); },
       "local_agency"},
      {"certificate not PEM", [](auto& o) { o.cert_pem = "garbage"; },
       "cert_pem"},
      {"key of another certificate",
       [](auto& o) { o.key_pem = ReadFile(Pki("TH-RTP/gateway.key")); },
       "key_pem"},
      {"CA not PEM", [](auto& o) { o.peer_ca_pem = "garbage"; }, "peer_ca_pem"},
      {"CRL not PEM", [](auto& o) { o.peer_crl_pem = "garbage"; },
       "peer_crl_pem"},
      {"CRL of another CA",
       [](auto& o) { o.peer_crl_pem = ReadFile(Pki("VN-MPS/crl.pem")); },
       "peer_crl_pem"},
      {"target without port",
       [](auto& o) { o.connect_target = "th-rtp.example"; }, "connect_target"},
      {"target port 0", [](auto& o) { o.connect_target = "127.0.0.1:0"; },
       "connect_target"},
      {"target port too large",
       [](auto& o) { o.connect_target = "127.0.0.1:65536"; }, "connect_target"},
      {"server name without target",
       [](auto& o) { o.tls_server_name = "th-rtp.example"; },
       "tls_server_name"},
      {"listen port not a number",
       [](auto& o) { o.listen_address = "127.0.0.1:http"; }, "listen_address"},
      {"window 0", [](auto& o) { o.window = 0; }, "window"},
      {"no inbound connections", [](auto& o) { o.max_inbound_connections = 0; },
       "max_inbound_connections"},
      {"ack timeout 0", [](auto& o) { o.ack_timeout = absl::ZeroDuration(); },
       "ack_timeout"},
      {"negative heartbeat",
       [](auto& o) { o.heartbeat_interval = -absl::Seconds(1); },
       "heartbeat_interval"},
      {"listening without an answer encoder",
       [](auto& o) { o.listen_address = "127.0.0.1:0"; }, "answers", false,
       true},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    TcpFramesOptions options = GatewayOptions();
    c.change(options);
    auto transport = TcpFramesTransport::Create(
        std::move(options), c.null_protocol ? nullptr : &protocol_,
        c.null_answers ? nullptr : &answers_);
    ASSERT_FALSE(transport.ok());
    EXPECT_EQ(transport.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(transport.status().message()),
                StartsWith(c.field + ":"));
  }
}

// --- outbound ---

TEST_F(TcpFramesTest, SendsFramesInOrderAndMatchesAnswersByMessageId) {
  PeerListener listener(io_);
  auto transport = MakeClient(listener);
  ASSERT_NE(transport, nullptr);
  std::vector<std::shared_ptr<Pending>> sends;
  for (int i = 0; i < 3; ++i) sends.push_back(StartSend(*transport, Id(i)));

  auto peer = listener.Accept(*peer_server_);
  ASSERT_TRUE(peer.ok()) << peer.status();
  for (int i = 0; i < 3; ++i) {
    auto frame = (*peer)->ReadNonHeartbeat();
    ASSERT_TRUE(frame.ok()) << frame.status();
    EXPECT_EQ(*frame, DataFrame(Id(i), kLocal)) << "frame " << i;
  }
  // Answers may come in any order (TH-RTP.md §7).
  for (int i : {2, 0, 1}) {
    ASSERT_FALSE((*peer)->Write(AnswerFrame(Id(i), absl::StrCat(i))));
  }
  for (int i = 0; i < 3; ++i) {
    PartnerAnswer answer = Await(sends[i]);
    EXPECT_TRUE(answer.status.ok()) << answer.status;
    EXPECT_EQ(answer.bytes, AnswerFrame(Id(i), absl::StrCat(i)));
  }

  // The connection stays open for the next Send.
  auto next = StartSend(*transport, Id(3));
  auto frame = (*peer)->ReadNonHeartbeat();
  ASSERT_TRUE(frame.ok()) << frame.status();
  EXPECT_EQ(Parse(*frame).id, Id(3));
  ASSERT_FALSE((*peer)->Write(AnswerFrame(Id(3))));
  EXPECT_TRUE(Await(next).status.ok());
}

TEST_F(TcpFramesTest, KeepsAtMostWindowFramesUnanswered) {
  PeerListener listener(io_);
  // Heartbeats show when the transport has gone idle: frames are written
  // in order, so a heartbeat after the 32nd data frame means the 33rd was
  // held back.
  auto transport = MakeClient(listener, [](TcpFramesOptions& o) {
    o.heartbeat_interval = absl::Milliseconds(200);
  });
  ASSERT_NE(transport, nullptr);
  std::vector<std::shared_ptr<Pending>> sends;
  for (int i = 0; i < 40; ++i) sends.push_back(StartSend(*transport, Id(i)));

  auto peer = listener.Accept(*peer_server_);
  ASSERT_TRUE(peer.ok()) << peer.status();
  std::vector<std::string> ids;
  while (true) {
    auto frame = (*peer)->ReadFrame();
    ASSERT_TRUE(frame.ok()) << frame.status();
    const Parsed parsed = Parse(*frame);
    if (parsed.kind == 'D') {
      ids.push_back(parsed.id);
      ASSERT_LE(ids.size(), 32u) << "a 33rd frame before any answer";
    } else if (parsed.kind == 'H' && ids.size() == 32) {
      break;
    }
  }
  for (const auto& send : sends) EXPECT_FALSE(send->done.HasBeenNotified());

  // Each answer lets one more frame out, in Send order.
  for (int i = 0; i < 8; ++i) {
    ASSERT_FALSE((*peer)->Write(AnswerFrame(Id(i))));
  }
  while (ids.size() < 40) {
    auto frame = (*peer)->ReadNonHeartbeat();
    ASSERT_TRUE(frame.ok()) << frame.status();
    ids.push_back(Parse(*frame).id);
  }
  for (int i = 0; i < 40; ++i) EXPECT_EQ(ids[i], Id(i));
  for (int i = 8; i < 40; ++i) {
    ASSERT_FALSE((*peer)->Write(AnswerFrame(Id(i))));
  }
  for (int i = 0; i < 40; ++i) {
    PartnerAnswer answer = Await(sends[i]);
    EXPECT_TRUE(answer.status.ok()) << answer.status;
    EXPECT_EQ(Parse(answer.bytes).id, Id(i));
  }
}

TEST_F(TcpFramesTest, AnswerNamingNoFrameGoesToTheFrameLeftUnanswered) {
  PeerListener listener(io_);
  auto transport = MakeClient(listener);
  ASSERT_NE(transport, nullptr);
  auto a = StartSend(*transport, Id(1));
  auto b = StartSend(*transport, Id(2));
  auto peer = listener.Accept(*peer_server_);
  ASSERT_TRUE(peer.ok()) << peer.status();
  for (int i = 0; i < 2; ++i) ASSERT_TRUE((*peer)->ReadNonHeartbeat().ok());

  // TH-RTP NK 101 names no message id; once frame 1 has its own answer,
  // the refusal can only be frame 2's.
  const std::string refusal = AnswerFrame("", "101");
  ASSERT_FALSE((*peer)->Write(refusal));
  ASSERT_FALSE((*peer)->Write(AnswerFrame(Id(1))));
  EXPECT_EQ(Await(a).bytes, AnswerFrame(Id(1)));
  PartnerAnswer answer_b = Await(b);
  EXPECT_TRUE(answer_b.status.ok()) << answer_b.status;
  EXPECT_EQ(answer_b.bytes, refusal);

  // With a single frame unanswered it is matched at once.
  auto c = StartSend(*transport, Id(3));
  ASSERT_TRUE((*peer)->ReadNonHeartbeat().ok());
  ASSERT_FALSE((*peer)->Write(refusal));
  EXPECT_EQ(Await(c).bytes, refusal);
}

TEST_F(TcpFramesTest, AckTimeoutFailsTheSendAndClosesTheConnection) {
  PeerListener listener(io_);
  auto transport = MakeClient(listener, [](TcpFramesOptions& o) {
    o.ack_timeout = absl::Milliseconds(300);
  });
  ASSERT_NE(transport, nullptr);
  auto send = StartSend(*transport, Id(1));
  auto peer = listener.Accept(*peer_server_);
  ASSERT_TRUE(peer.ok()) << peer.status();
  ASSERT_TRUE((*peer)->ReadNonHeartbeat().ok());

  EXPECT_EQ(Await(send).status.code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_TRUE((*peer)->WaitClosed());

  // No internal resend: the next Send opens a new connection and carries
  // only its own frame.
  auto next = StartSend(*transport, Id(2));
  auto second = listener.Accept(*peer_server_);
  ASSERT_TRUE(second.ok()) << second.status();
  auto frame = (*second)->ReadNonHeartbeat();
  ASSERT_TRUE(frame.ok()) << frame.status();
  EXPECT_EQ(Parse(*frame).id, Id(2));
  ASSERT_FALSE((*second)->Write(AnswerFrame(Id(2))));
  EXPECT_TRUE(Await(next).status.ok());
}

TEST_F(TcpFramesTest, LostConnectionFailsSendsAndTheNextSendReconnects) {
  auto listener = std::make_unique<PeerListener>(io_);
  const int port = listener->port();
  auto transport = MakeClient(*listener);
  ASSERT_NE(transport, nullptr);

  // The partner drops the connection with a frame unanswered.
  auto first = StartSend(*transport, Id(1));
  auto peer = listener->Accept(*peer_server_);
  ASSERT_TRUE(peer.ok()) << peer.status();
  ASSERT_TRUE((*peer)->ReadNonHeartbeat().ok());
  (*peer)->Close();
  EXPECT_EQ(Await(first).status.code(), absl::StatusCode::kUnavailable);

  // The partner is down.
  listener->Close();
  listener.reset();
  EXPECT_EQ(Await(StartSend(*transport, Id(2))).status.code(),
            absl::StatusCode::kUnavailable);

  // The partner is back on the same port.
  listener = std::make_unique<PeerListener>(io_, port);
  auto third = StartSend(*transport, Id(3));
  auto back = listener->Accept(*peer_server_);
  ASSERT_TRUE(back.ok()) << back.status();
  auto frame = (*back)->ReadNonHeartbeat();
  ASSERT_TRUE(frame.ok()) << frame.status();
  EXPECT_EQ(Parse(*frame).id, Id(3));
  ASSERT_FALSE((*back)->Write(AnswerFrame(Id(3))));
  EXPECT_TRUE(Await(third).status.ok());
}

TEST_F(TcpFramesTest, HandshakeTimeoutFailsTheSend) {
  PeerListener listener(io_);
  auto transport = MakeClient(listener, [](TcpFramesOptions& o) {
    o.handshake_timeout = absl::Milliseconds(300);
  });
  ASSERT_NE(transport, nullptr);
  auto send = StartSend(*transport, Id(1));
  // TCP accepted, TLS never answered.
  auto peer = listener.Accept(*peer_server_, /*handshake=*/false);
  ASSERT_TRUE(peer.ok()) << peer.status();
  PartnerAnswer answer = Await(send);
  EXPECT_EQ(answer.status.code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(answer.status.message()), HasSubstr("handshake"));
}

TEST_F(TcpFramesTest, SilentServerIsClosedAsDead) {
  PeerListener listener(io_);
  auto transport = MakeClient(listener, [](TcpFramesOptions& o) {
    o.dead_peer_timeout = absl::Milliseconds(300);
  });
  ASSERT_NE(transport, nullptr);
  auto send = StartSend(*transport, Id(1));
  auto peer = listener.Accept(*peer_server_);
  ASSERT_TRUE(peer.ok()) << peer.status();
  ASSERT_TRUE((*peer)->ReadNonHeartbeat().ok());
  EXPECT_EQ(Await(send).status.code(), absl::StatusCode::kUnavailable);
  EXPECT_TRUE((*peer)->WaitClosed());
}

TEST_F(TcpFramesTest, ClientSendsHeartbeatsWhenIdle) {
  PeerListener listener(io_);
  auto transport = MakeClient(listener, [](TcpFramesOptions& o) {
    o.heartbeat_interval = absl::Milliseconds(200);
  });
  ASSERT_NE(transport, nullptr);
  auto send = StartSend(*transport, Id(1));
  auto peer = listener.Accept(*peer_server_);
  ASSERT_TRUE(peer.ok()) << peer.status();
  ASSERT_TRUE((*peer)->ReadNonHeartbeat().ok());
  ASSERT_FALSE((*peer)->Write(AnswerFrame(Id(1))));
  EXPECT_TRUE(Await(send).status.ok());
  for (int i = 0; i < 2; ++i) {
    auto frame = (*peer)->ReadFrame();
    ASSERT_TRUE(frame.ok()) << frame.status();
    EXPECT_EQ(Parse(*frame).kind, 'H');
    EXPECT_EQ(Parse(*frame).sender, kLocal);
  }
}

TEST_F(TcpFramesTest, ServerProtocolViolationsCloseTheConnection) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"data frame from the server", DataFrame(Id(9))},
      {"control frame Inspect rejects", Frame(Body('X', "", kPeer))},
      {"heartbeat naming another sender", Frame(Body('H', "", "VN-MPS"))},
      {"LEN out of range", Frame(std::string(kMinBody - 1, 'A'))},
  };
  for (const auto& [name, bytes] : cases) {
    SCOPED_TRACE(name);
    PeerListener listener(io_);
    auto transport = MakeClient(listener);
    ASSERT_NE(transport, nullptr);
    auto send = StartSend(*transport, Id(1));
    auto peer = listener.Accept(*peer_server_);
    ASSERT_TRUE(peer.ok()) << peer.status();
    ASSERT_TRUE((*peer)->ReadNonHeartbeat().ok());
    ASSERT_FALSE((*peer)->Write(bytes));
    EXPECT_EQ(Await(send).status.code(), absl::StatusCode::kUnavailable);
    EXPECT_TRUE((*peer)->WaitClosed());
  }
}

TEST_F(TcpFramesTest, ServerOtherThanThePartnersGatewayIsRefused) {
  struct Case {
    std::string name;
    std::function<void(TcpFramesOptions&)> change;
    std::string cert, key;
  };
  const std::vector<Case> cases = {
      // Chains to the CA the link trusts, but names another agency.
      {"another agency's certificate",
       [](TcpFramesOptions& o) {
         o.peer_ca_pem = ReadFile(Pki("VN-MPS/ca.crt"));
         o.peer_crl_pem = ReadFile(Pki("VN-MPS/crl.pem"));
       },
       Pki("VN-MPS/gateway.crt"), Pki("VN-MPS/gateway.key")},
      {"a certificate of another CA", [](TcpFramesOptions&) {},
       Pki("VN-MPS/gateway.crt"), Pki("VN-MPS/gateway.key")},
      {"a certificate for another name",
       [](TcpFramesOptions& o) { o.tls_server_name = "th-rtp.example"; },
       Pki("TH-RTP/gateway.crt"), Pki("TH-RTP/gateway.key")},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    PeerListener listener(io_);
    auto transport = MakeClient(listener, c.change);
    ASSERT_NE(transport, nullptr);
    auto context = PeerContext(true, c.cert, c.key);
    auto send = StartSend(*transport, Id(1));
    // Drives the server side of the handshake, which the transport aborts.
    auto peer = listener.Accept(*context);
    PartnerAnswer answer = Await(send);
    EXPECT_EQ(answer.status.code(), absl::StatusCode::kUnavailable);
    EXPECT_THAT(std::string(answer.status.message()), HasSubstr("TLS"));
  }
}

TEST_F(TcpFramesTest, AcceptsTls12OnlyWithTheIcdCipherSuites) {
  const std::vector<std::pair<std::string, bool>> cases = {
      {"ECDHE-ECDSA-AES256-GCM-SHA384", true},
      {"ECDHE-ECDSA-AES128-GCM-SHA256", false},
      {"ECDHE-ECDSA-CHACHA20-POLY1305", false},
  };
  for (const auto& [cipher, accepted] : cases) {
    SCOPED_TRACE(cipher);
    PeerListener listener(io_);
    auto transport = MakeClient(listener);
    ASSERT_NE(transport, nullptr);
    auto context = PeerContext(true);
    SSL_CTX_set_max_proto_version(context->native_handle(), TLS1_2_VERSION);
    ASSERT_EQ(SSL_CTX_set_cipher_list(context->native_handle(), cipher.c_str()),
              1);
    auto send = StartSend(*transport, Id(1));
    auto peer = listener.Accept(*context);
    if (accepted) {
      ASSERT_TRUE(peer.ok()) << peer.status();
      ASSERT_TRUE((*peer)->ReadNonHeartbeat().ok());
      ASSERT_FALSE((*peer)->Write(AnswerFrame(Id(1))));
      EXPECT_TRUE(Await(send).status.ok());
    } else {
      EXPECT_FALSE(peer.ok());
      EXPECT_EQ(Await(send).status.code(), absl::StatusCode::kUnavailable);
    }
  }
}

TEST_F(TcpFramesTest, SendAnswersAtOnceWhenItCannotSend) {
  PeerListener listener(io_);
  auto transport = MakeClient(listener);
  ASSERT_NE(transport, nullptr);
  struct Case {
    std::string name;
    PartnerMessage message;
    absl::StatusCode want;
  };
  PartnerMessage short_len;
  short_len.message_id = Id(1);
  short_len.bytes = DataFrame(Id(1)).substr(0, 40);
  PartnerMessage too_small;
  too_small.message_id = Id(1);
  too_small.bytes = Frame("D");
  PartnerMessage no_id;
  no_id.bytes = DataFrame(Id(1));
  for (const Case& c : std::vector<Case>{
           {"LEN not the body length", short_len, absl::StatusCode::kInternal},
           {"LEN below the minimum", too_small, absl::StatusCode::kInternal},
           {"no message id", no_id, absl::StatusCode::kInternal},
       }) {
    SCOPED_TRACE(c.name);
    int calls = 0;
    absl::StatusCode got = absl::StatusCode::kOk;
    transport->Send(c.message, [&](PartnerAnswer answer) {
      ++calls;
      got = answer.status.code();
    });
    EXPECT_EQ(calls, 1);  // before Send returned
    EXPECT_EQ(got, c.want);
  }

  // The same message id twice in flight.
  auto first = StartSend(*transport, Id(5));
  auto again = StartSend(*transport, Id(5));
  EXPECT_EQ(Await(again).status.code(), absl::StatusCode::kAborted);
  auto peer = listener.Accept(*peer_server_);
  ASSERT_TRUE(peer.ok()) << peer.status();
  ASSERT_TRUE((*peer)->ReadNonHeartbeat().ok());
  ASSERT_FALSE((*peer)->Write(AnswerFrame(Id(5))));
  EXPECT_TRUE(Await(first).status.ok());

  // A link without a connect_target never sends.
  TcpFramesOptions receive_only = GatewayOptions();
  auto no_target = Make(receive_only);
  ASSERT_NE(no_target, nullptr);
  EXPECT_EQ(Await(StartSend(*no_target, Id(6))).status.code(),
            absl::StatusCode::kUnavailable);
}

TEST_F(TcpFramesTest, StopCompletesPendingSends) {
  PeerListener listener(io_);
  auto transport = MakeClient(listener);
  ASSERT_NE(transport, nullptr);
  auto sent = StartSend(*transport, Id(1));
  auto peer = listener.Accept(*peer_server_);
  ASSERT_TRUE(peer.ok()) << peer.status();
  ASSERT_TRUE((*peer)->ReadNonHeartbeat().ok());

  transport->Stop();
  EXPECT_TRUE(sent->done.HasBeenNotified());  // Stop waits for them
  PartnerAnswer answer = Await(sent);
  EXPECT_EQ(answer.status.code(), absl::StatusCode::kUnavailable);
  EXPECT_TRUE((*peer)->WaitClosed());

  auto later = StartSend(*transport, Id(2));
  EXPECT_TRUE(later->done.HasBeenNotified());  // at once
  EXPECT_EQ(Await(later).status.code(), absl::StatusCode::kUnavailable);
  transport->Stop();  // idempotent
  EXPECT_EQ(transport->StartReceiving(&receiver_).code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(TcpFramesTest, DoneMayStopTheTransportAndSendAgain) {
  PeerListener listener(io_);
  auto transport = MakeClient(listener);
  ASSERT_NE(transport, nullptr);
  auto pending = std::make_shared<Pending>();
  auto after_stop = std::make_shared<Pending>();
  PartnerMessage message;
  message.message_id = Id(1);
  message.bytes = DataFrame(Id(1), kLocal);
  TcpFramesTransport* raw = transport.get();
  transport->Send(message, [raw, pending, after_stop](PartnerAnswer answer) {
    raw->Stop();  // on the I/O thread: returns at once
    PartnerMessage next;
    next.message_id = Id(2);
    next.bytes = DataFrame(Id(2), kLocal);
    raw->Send(next, [after_stop](PartnerAnswer later) {
      after_stop->answer = std::move(later);
      after_stop->calls.fetch_add(1);
      after_stop->done.Notify();
    });
    pending->answer = std::move(answer);
    pending->calls.fetch_add(1);
    pending->done.Notify();
  });
  auto peer = listener.Accept(*peer_server_);
  ASSERT_TRUE(peer.ok()) << peer.status();
  ASSERT_TRUE((*peer)->ReadNonHeartbeat().ok());
  (*peer)->Close();
  EXPECT_EQ(Await(pending).status.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(Await(after_stop).status.code(), absl::StatusCode::kUnavailable);
  transport.reset();  // joins the I/O thread
}

// --- inbound ---

TEST_F(TcpFramesTest, StrangersStalledInTheHandshakeDoNotShutOutThePartner) {
  // max_inbound_connections counts authenticated partners only: TCP
  // connections that never finish a handshake have their own limit (two
  // per address), and the partner still gets in while they hang.
  auto transport = MakeServer([](TcpFramesOptions& o) {
    o.max_inbound_connections = 1;
    o.handshake_timeout = absl::Seconds(30);
  });
  ASSERT_NE(transport, nullptr);
  const tcp::endpoint server(asio::ip::make_address("127.0.0.1"),
                             static_cast<uint16_t>(transport->bound_port()));
  // Strangers connect from another loopback address and say nothing.
  auto stranger = [&]() {
    auto socket = std::make_unique<tcp::socket>(io_);
    ErrorCode ec;
    socket->open(tcp::v4(), ec);
    if (!ec) {
      socket->bind(tcp::endpoint(asio::ip::make_address("127.0.0.2"), 0), ec);
    }
    if (!ec) socket->connect(server, ec);
    EXPECT_FALSE(ec) << ec.message();
    return socket;
  };
  std::vector<std::unique_ptr<tcp::socket>> stalled;
  stalled.push_back(stranger());
  stalled.push_back(stranger());
  // A third from the same address is closed at once.
  auto third = stranger();
  char byte;
  ErrorCode ec;
  third->read_some(asio::buffer(&byte, 1), ec);
  EXPECT_TRUE(ec == asio::error::eof || ec == asio::error::connection_reset)
      << ec.message();

  // The partner connects and delivers while the strangers still hang.
  auto peer = ConnectTo(*transport, *peer_client_);
  ASSERT_FALSE(peer->Write(DataFrame(Id(1))));
  ASSERT_TRUE(receiver_.WaitForCount(1));
  // A second authenticated connection is one too many: closed after its
  // handshake.
  auto second = std::make_unique<PeerConnection>(io_, *peer_client_);
  if (!second->Connect(transport->bound_port())) {
    EXPECT_FALSE(second->ReadNonHeartbeat().ok());
  }
  EXPECT_EQ(receiver_.count(), 1u);
}

TEST_F(TcpFramesTest, InboundFrameReachesTheReceiverAndItsAnswerGoesBack) {
  auto transport = MakeServer();
  ASSERT_NE(transport, nullptr);
  auto peer = ConnectTo(*transport, *peer_client_);
  ASSERT_FALSE(peer->Write(DataFrame(Id(1))));
  ASSERT_TRUE(receiver_.WaitForCount(1));
  const FakeReceiver::Received received = receiver_.Get(0);
  EXPECT_EQ(received.sender, kPeer);  // from the certificate
  EXPECT_EQ(received.message.message_id, Id(1));
  EXPECT_EQ(received.message.content_type, "application/vnd.th-rtp.frame");
  EXPECT_EQ(received.message.bytes, DataFrame(Id(1)));

  std::thread answering([&] { AnswerOk(received); });  // any thread
  answering.join();
  auto frame = peer->ReadNonHeartbeat();
  ASSERT_TRUE(frame.ok()) << frame.status();
  EXPECT_EQ(*frame, AnswerFrame(Id(1), "000", kLocal));

  // An answer the encoder declines writes nothing: the next frame the
  // partner reads is the answer to the message after it.
  answers_.set_mode(Id(2), FakeAnswers::Mode::kNoAnswer);
  ASSERT_FALSE(peer->Write(DataFrame(Id(2))));
  ASSERT_TRUE(receiver_.WaitForCount(2));
  AnswerOk(receiver_.Get(1));
  ASSERT_FALSE(peer->Write(DataFrame(Id(3))));
  ASSERT_TRUE(receiver_.WaitForCount(3));
  AnswerOk(receiver_.Get(2));
  frame = peer->ReadNonHeartbeat();
  ASSERT_TRUE(frame.ok()) << frame.status();
  EXPECT_EQ(Parse(*frame).id, Id(3));

  // A second answer to the same message is ignored.
  AnswerOk(receiver_.Get(2));
  ASSERT_FALSE(peer->Write(DataFrame(Id(4))));
  ASSERT_TRUE(receiver_.WaitForCount(4));
  AnswerOk(receiver_.Get(3));
  frame = peer->ReadNonHeartbeat();
  ASSERT_TRUE(frame.ok()) << frame.status();
  EXPECT_EQ(Parse(*frame).id, Id(4));
}

TEST_F(TcpFramesTest, ReceiverMayAnswerInsideReceive) {
  receiver_.set_answer_at_once(true);
  auto transport = MakeServer();
  ASSERT_NE(transport, nullptr);
  auto peer = ConnectTo(*transport, *peer_client_);
  for (int i = 0; i < 3; ++i) ASSERT_FALSE(peer->Write(DataFrame(Id(i))));
  for (int i = 0; i < 3; ++i) {
    auto frame = peer->ReadNonHeartbeat();
    ASSERT_TRUE(frame.ok()) << frame.status();
    EXPECT_EQ(Parse(*frame).id, Id(i));
  }
}

TEST_F(TcpFramesTest, DataBeyondTheWindowIsRefusedWithoutDecoding) {
  auto transport = MakeServer();
  ASSERT_NE(transport, nullptr);
  auto peer = ConnectTo(*transport, *peer_client_);
  for (int i = 0; i < 33; ++i) ASSERT_FALSE(peer->Write(DataFrame(Id(i))));

  auto frame = peer->ReadNonHeartbeat();
  ASSERT_TRUE(frame.ok()) << frame.status();
  EXPECT_EQ(Parse(*frame).id, Id(32));
  EXPECT_EQ(Parse(*frame).code, "902");
  EXPECT_EQ(receiver_.count(), 32u);  // the 33rd was not handed over

  for (int i = 0; i < 32; ++i) AnswerOk(receiver_.Get(i));
  for (int i = 0; i < 32; ++i) {
    frame = peer->ReadNonHeartbeat();
    ASSERT_TRUE(frame.ok()) << frame.status();
    EXPECT_EQ(Parse(*frame).id, Id(i));
    EXPECT_EQ(Parse(*frame).code, "000");
  }
  // The window is free again.
  ASSERT_FALSE(peer->Write(DataFrame(Id(32))));
  ASSERT_TRUE(receiver_.WaitForCount(33));
  EXPECT_EQ(receiver_.Get(32).message.message_id, Id(32));
}

TEST_F(TcpFramesTest, LengthOutOfRangeIsRefusedThenClosed) {
  for (uint32_t len : {uint32_t{0}, uint32_t{kMinBody - 1},
                       uint32_t{kMaxBody + 1}, uint32_t{0xffffffff}}) {
    SCOPED_TRACE(len);
    auto transport = MakeServer();
    ASSERT_NE(transport, nullptr);
    auto peer = ConnectTo(*transport, *peer_client_);
    std::string bytes = {static_cast<char>(len >> 24),
                         static_cast<char>(len >> 16),
                         static_cast<char>(len >> 8), static_cast<char>(len)};
    bytes += std::string(100, 'D');
    ASSERT_FALSE(peer->Write(bytes));
    auto frame = peer->ReadNonHeartbeat();
    ASSERT_TRUE(frame.ok()) << frame.status();
    EXPECT_EQ(Parse(*frame).code, "100");
    EXPECT_EQ(Parse(*frame).id, "");
    EXPECT_TRUE(peer->WaitClosed());
    EXPECT_EQ(receiver_.count(), 0u);
  }
}

TEST_F(TcpFramesTest, ClientProtocolViolationsCloseTheConnection) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"answer frame from the client", AnswerFrame(Id(1))},
      {"control frame Inspect rejects", Frame(Body('X', "", kPeer))},
      {"heartbeat naming another sender", Frame(Body('H', "", "VN-MPS"))},
  };
  auto transport = MakeServer();
  ASSERT_NE(transport, nullptr);
  for (const auto& [name, bytes] : cases) {
    SCOPED_TRACE(name);
    auto peer = ConnectTo(*transport, *peer_client_);
    ASSERT_FALSE(peer->Write(bytes));
    EXPECT_TRUE(peer->WaitClosed());
  }
  // A valid heartbeat keeps the connection; a data frame after it arrives.
  auto peer = ConnectTo(*transport, *peer_client_);
  ASSERT_FALSE(peer->Write(Frame(Body('H', "", kPeer))));
  ASSERT_FALSE(peer->Write(DataFrame(Id(2))));
  ASSERT_TRUE(receiver_.WaitForCount(1));
  EXPECT_EQ(receiver_.Get(0).message.message_id, Id(2));
}

TEST_F(TcpFramesTest, AnswerEncoderErrorClosesTheConnection) {
  auto transport = MakeServer();
  ASSERT_NE(transport, nullptr);
  auto peer = ConnectTo(*transport, *peer_client_);
  answers_.set_mode(Id(1), FakeAnswers::Mode::kError);
  ASSERT_FALSE(peer->Write(DataFrame(Id(1))));
  ASSERT_TRUE(receiver_.WaitForCount(1));
  AnswerOk(receiver_.Get(0));
  EXPECT_TRUE(peer->WaitClosed());
}

TEST_F(TcpFramesTest, SilentClientIsClosedAsDead) {
  auto transport = MakeServer([](TcpFramesOptions& o) {
    o.dead_peer_timeout = absl::Milliseconds(300);
  });
  ASSERT_NE(transport, nullptr);
  auto peer = ConnectTo(*transport, *peer_client_);
  EXPECT_TRUE(peer->WaitClosed());
}

TEST_F(TcpFramesTest, ServerSendsHeartbeatsWhenIdle) {
  auto transport = MakeServer([](TcpFramesOptions& o) {
    o.heartbeat_interval = absl::Milliseconds(200);
  });
  ASSERT_NE(transport, nullptr);
  auto peer = ConnectTo(*transport, *peer_client_);
  for (int i = 0; i < 2; ++i) {
    auto frame = peer->ReadFrame();
    ASSERT_TRUE(frame.ok()) << frame.status();
    EXPECT_EQ(Parse(*frame).kind, 'H');
    EXPECT_EQ(Parse(*frame).sender, kLocal);
  }
}

TEST_F(TcpFramesTest, ClientOtherThanThePartnersGatewayIsRefused) {
  const std::string revoked_crl =
      CrlRevoking(Pki("TH-RTP/gateway/gateway1.crt"));
  struct Case {
    std::string name;
    std::string cert;  // base path, .crt / .key
    std::string crl;   // empty: the TH-RTP CA's own CRL
    bool accepted;
  };
  const std::string minted = gw::testing::DevPki::Get().MintCertificate(
      "TH-RTP", "VN-MPS", "gateway", "impostor");
  const std::vector<Case> cases = {
      {"the partner's gateway role", Pki("TH-RTP/gateway/gateway1"), "", true},
      {"revoked", Pki("TH-RTP/gateway/gateway1"), revoked_crl, false},
      {"another CA", Pki("VN-MPS/gateway"), "", false},
      {"another role", Pki("TH-RTP/liaison/liaison1"), "", false},
      {"another agency under the partner's CA", minted, "", false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    auto transport = MakeServer([&](TcpFramesOptions& o) {
      if (!c.crl.empty()) o.peer_crl_pem = c.crl;
    });
    ASSERT_NE(transport, nullptr);
    const size_t before = receiver_.count();
    auto context = PeerContext(false, c.cert + ".crt", c.cert + ".key");
    PeerConnection peer(io_, *context);
    // With TLS 1.3 the client finishes its handshake before the server has
    // judged its certificate; the refusal shows on the next read.
    ErrorCode ec = peer.Connect(transport->bound_port());
    if (!ec) ec = peer.Write(DataFrame(Id(1)));
    if (c.accepted) {
      ASSERT_FALSE(ec) << ec.message();
      ASSERT_TRUE(receiver_.WaitForCount(before + 1));
      EXPECT_EQ(receiver_.Get(before).sender, kPeer);
    } else {
      EXPECT_TRUE(ec || peer.WaitClosed());
      EXPECT_EQ(receiver_.count(), before);
    }
  }
}

TEST_F(TcpFramesTest, AnswerAfterTheTransportIsGoneDoesNothing) {
  auto transport = MakeServer();
  ASSERT_NE(transport, nullptr);
  auto peer = ConnectTo(*transport, *peer_client_);
  ASSERT_FALSE(peer->Write(DataFrame(Id(1))));
  ASSERT_TRUE(receiver_.WaitForCount(1));
  transport.reset();
  EXPECT_TRUE(peer->WaitClosed());
  AnswerOk(receiver_.Get(0));  // must not touch the destroyed transport
}

TEST_F(TcpFramesTest, AnswerForAClosedConnectionIsDropped) {
  auto transport = MakeServer();
  ASSERT_NE(transport, nullptr);
  auto peer = ConnectTo(*transport, *peer_client_);
  ASSERT_FALSE(peer->Write(DataFrame(Id(1))));
  ASSERT_TRUE(receiver_.WaitForCount(1));
  peer->Close();
  AnswerOk(receiver_.Get(0));
  // The transport goes on serving the partner's next connection.
  auto again = ConnectTo(*transport, *peer_client_);
  ASSERT_FALSE(again->Write(DataFrame(Id(1))));
  ASSERT_TRUE(receiver_.WaitForCount(2));
  AnswerOk(receiver_.Get(1));
  auto frame = again->ReadNonHeartbeat();
  ASSERT_TRUE(frame.ok()) << frame.status();
  EXPECT_EQ(Parse(*frame).id, Id(1));
}

// --- both ends ---

TEST_F(TcpFramesTest, TwoTransportsCarryAFrameAndItsAnswer) {
  // The partner's side: a TH-RTP transport receiving, answering at once.
  FakeProtocol partner_protocol(kPeer);
  FakeAnswers partner_answers(kPeer);
  FakeReceiver partner_receiver;
  partner_receiver.set_answer_at_once(true);
  TcpFramesOptions partner_options;
  partner_options.peer_agency = kLocal;
  partner_options.local_agency = kPeer;
  partner_options.cert_pem = ReadFile(Pki("TH-RTP/gateway.crt"));
  partner_options.key_pem = ReadFile(Pki("TH-RTP/gateway.key"));
  partner_options.peer_ca_pem = ReadFile(Pki("CN-MPS/ca.crt"));
  partner_options.peer_crl_pem = ReadFile(Pki("CN-MPS/crl.pem"));
  partner_options.listen_address = "127.0.0.1:0";
  auto partner = TcpFramesTransport::Create(partner_options, &partner_protocol,
                                            &partner_answers);
  ASSERT_TRUE(partner.ok()) << partner.status();
  ASSERT_TRUE((*partner)->StartReceiving(&partner_receiver).ok());

  TcpFramesOptions options = GatewayOptions();
  options.connect_target = absl::StrCat("localhost:", (*partner)->bound_port());
  auto transport = Make(options);
  ASSERT_NE(transport, nullptr);
  PartnerAnswer answer = Await(StartSend(*transport, Id(7)));
  EXPECT_TRUE(answer.status.ok()) << answer.status;
  EXPECT_EQ(answer.bytes, AnswerFrame(Id(7), "000", kPeer));
  ASSERT_TRUE(partner_receiver.WaitForCount(1));
  EXPECT_EQ(partner_receiver.Get(0).sender, kLocal);
  EXPECT_EQ(partner_receiver.Get(0).message.bytes, DataFrame(Id(7), kLocal));
}

}  // namespace
}  // namespace gw::adapters
