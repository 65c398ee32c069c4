// tests/unit/adapters/transport/https_link_test.cc
//
// HttpsLinkTransport on 127.0.0.1 with the dev PKI: the transport is the
// CN-MPS gateway (CN-MPS/gateway.crt, trusting the KH-CNP CA and its CRL).
// Outbound, the partner is a Beast HTTPS server on its own thread
// (KH-CNP/gateway.crt) whose handler the test scripts: it sees every
// request as it arrived and answers with raw bytes, later, or not at all.
// Inbound, the partner is a TLS client driven step by step from the test
// thread, which writes raw requests and reads exactly what comes back.
// Timeouts under test are shortened to a few hundred milliseconds; every
// wait is on a condition with a generous deadline.
#include "adapters/transport/https_link.h"

#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
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
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;
using ErrorCode = boost::system::error_code;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;
using ::testing::StartsWith;

constexpr absl::Duration kWait = absl::Seconds(30);
constexpr char kLocal[] = "CN-MPS";
constexpr char kPeer[] = "KH-CNP";
constexpr char kPartnerUri[] = "https://cnp.partner.example";
constexpr char kGatewayUri[] = "https://gateway.mekong.example";

std::string Id(int i) {
  return absl::StrFormat("00000000-0000-4000-8000-%012d", i);
}

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

// A TLS context of the partner's side: its certificate (none if `cert` is
// empty), and the CA it trusts for ours.
std::unique_ptr<ssl::context> PeerContext(
    bool server, const std::string& cert = Pki("KH-CNP/gateway.crt"),
    const std::string& key = Pki("KH-CNP/gateway.key"),
    const std::string& ca = Pki("CN-MPS/ca.crt")) {
  auto context = std::make_unique<ssl::context>(
      server ? ssl::context::tls_server : ssl::context::tls_client);
  ErrorCode ec;
  if (!cert.empty()) {
    context->use_certificate_chain_file(cert, ec);
    EXPECT_FALSE(ec) << cert;
    context->use_private_key_file(key, ssl::context::pem, ec);
    EXPECT_FALSE(ec) << key;
  }
  context->load_verify_file(ca, ec);
  EXPECT_FALSE(ec) << ca;
  context->set_verify_mode(
      server ? ssl::verify_peer | ssl::verify_fail_if_no_peer_cert
             : ssl::verify_peer,
      ec);
  return context;
}

// "HTTP/1.1 STATUS ..." with `headers` in order, then Content-Length and
// the body (unless `length` is false).
std::string RawResponse(
    int status, const std::vector<std::pair<std::string, std::string>>& headers,
    const std::string& body, bool length = true) {
  std::string out = absl::StrCat("HTTP/1.1 ", status, " Whatever\r\n");
  for (const auto& [name, value] : headers) {
    absl::StrAppend(&out, name, ": ", value, "\r\n");
  }
  if (length) absl::StrAppend(&out, "Content-Length: ", body.size(), "\r\n");
  return absl::StrCat(out, "\r\n", body);
}

std::string Header(const http::request<http::string_body>& request,
                   std::string_view name) {
  auto it = request.find(beast::string_view(name.data(), name.size()));
  return it == request.end() ? "" : std::string(it->value());
}

// --- fakes of the codec's side ---

class FakeSigner final : public HttpRequestSigner {
 public:
  void set_fail(bool fail) {
    absl::MutexLock lock(&mu_);
    fail_ = fail;
  }
  int calls() const {
    absl::MutexLock lock(&mu_);
    return static_cast<int>(targets_.size());
  }
  std::vector<std::string> targets() const {
    absl::MutexLock lock(&mu_);
    return targets_;
  }

  absl::StatusOr<Metadata> SignRequest(
      std::string_view target_uri,
      const PartnerMessage& request) const override {
    absl::MutexLock lock(&mu_);
    targets_.emplace_back(target_uri);
    if (fail_) return absl::FailedPreconditionError("no signing key");
    const size_t n = targets_.size();
    return Metadata{
        {"signature-input",
         absl::StrCat("sig1=(\"@method\");created=", n, ";keyid=\"k\"")},
        {"signature", absl::StrCat("sig1=:", request.message_id, "/", n, ":")}};
  }

 private:
  mutable absl::Mutex mu_;
  bool fail_ ABSL_GUARDED_BY(mu_) = false;
  mutable std::vector<std::string> targets_ ABSL_GUARDED_BY(mu_);
};

class FakeAnswers final : public AnswerEncoder {
 public:
  enum class Mode { kAnswer, kNoAnswer, kError };
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
    out.metadata = {{":status", answer.status.ok() ? "202" : "400"},
                    {"content-type", "application/json"},
                    {"gw-message-id", received.message_id}};
    out.bytes = absl::StrCat("{\"ack\":\"", received.message_id, "\"}");
    return out;
  }

 private:
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
      received_.push_back({sender, received, answer});
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
  received.answer(InboundAnswer{});
}

// --- outbound Sends ---

struct Pending {
  absl::Notification done;
  PartnerAnswer answer;
  std::atomic<int> calls{0};
};

PartnerMessage Outbound(const std::string& id,
                        const std::string& body = "{\"alert\":1}") {
  PartnerMessage message;
  message.message_id = id;
  message.content_type = "application/json";
  message.bytes = body;
  message.metadata = {{":path", "/cnp/v1/alerts"},
                      {"content-type", "application/json"},
                      {"content-digest", "sha-256=:AAAA:"},
                      {"gw-message-id", id}};
  return message;
}

std::shared_ptr<Pending> StartSend(Transport& transport,
                                   const PartnerMessage& message) {
  auto pending = std::make_shared<Pending>();
  transport.Send(message, [pending](PartnerAnswer answer) {
    pending->answer = std::move(answer);
    if (pending->calls.fetch_add(1) == 0) pending->done.Notify();
  });
  return pending;
}

std::shared_ptr<Pending> StartSend(Transport& transport, int i) {
  return StartSend(transport, Outbound(Id(i)));
}

PartnerAnswer Await(const std::shared_ptr<Pending>& pending) {
  EXPECT_TRUE(pending->done.WaitForNotificationWithTimeout(kWait))
      << "no answer";
  EXPECT_EQ(pending->calls.load(), 1);
  return pending->answer;
}

// --- the partner's server (outbound tests) ---

// An HTTPS server on its own I/O thread. Each request goes to the handler
// with a `respond` callback (any thread, any time): the raw bytes to write
// (none: nothing written) and whether to close the connection afterwards.
class PartnerServer {
 public:
  struct Reply {
    std::string raw;
    bool close = false;
  };
  using Respond = std::function<void(Reply)>;
  using Handler =
      std::function<void(const http::request<http::string_body>&, Respond)>;

  explicit PartnerServer(
      Handler handler,
      std::unique_ptr<ssl::context> context = PeerContext(/*server=*/true))
      : handler_(std::move(handler)), context_(std::move(context)) {
    const tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), 0);
    ErrorCode ec;
    acceptor_.open(endpoint.protocol(), ec);
    acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
    acceptor_.bind(endpoint, ec);
    EXPECT_FALSE(ec) << "bind: " << ec.message();
    acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    port_ = acceptor_.local_endpoint(ec).port();
    gate_->io = &io_;
    Accept();
    thread_ = std::thread([this] { io_.run(); });
  }

  ~PartnerServer() {
    {
      absl::MutexLock lock(&gate_->mu);
      gate_->open = false;
      asio::post(io_, [this] {
        ErrorCode ignored;
        acceptor_.close(ignored);
        for (auto& session : sessions_)
          session->stream.lowest_layer().close(ignored);
        work_.reset();
      });
    }
    thread_.join();
  }

  std::string target() const { return absl::StrCat("127.0.0.1:", port_); }

  int accepts() const { return accepts_.load(); }
  int requests() const { return requests_.load(); }
  int handshake_failures() const { return handshake_failures_.load(); }
  int in_progress() const { return in_progress_.load(); }
  int max_in_progress() const { return max_in_progress_.load(); }
  int closed_sessions() const { return closed_sessions_.load(); }

  // Waits (up to kWait) until `probe` holds.
  static bool WaitFor(const std::function<bool()>& probe) {
    const absl::Time deadline = absl::Now() + kWait;
    while (!probe()) {
      if (absl::Now() >= deadline) return false;
      absl::SleepFor(absl::Milliseconds(2));
    }
    return true;
  }

 private:
  struct Gate {
    absl::Mutex mu;
    bool open ABSL_GUARDED_BY(mu) = true;
    asio::io_context* io = nullptr;
  };
  struct Session {
    Session(asio::io_context& io, ssl::context& context)
        : stream(io, context) {}
    ssl::stream<tcp::socket> stream;
    beast::flat_buffer buffer;
    std::optional<http::request_parser<http::string_body>> parser;
    std::string out;
    bool closed = false;
  };
  using SessionPtr = std::shared_ptr<Session>;

  void Accept() {
    auto session = std::make_shared<Session>(io_, *context_);
    acceptor_.async_accept(
        session->stream.lowest_layer(), [this, session](const ErrorCode& ec) {
          if (ec) return;
          ++accepts_;
          sessions_.push_back(session);
          session->stream.async_handshake(ssl::stream_base::server,
                                          [this, session](const ErrorCode& ec) {
                                            if (ec) {
                                              ++handshake_failures_;
                                              CloseSession(session);
                                              return;
                                            }
                                            Read(session);
                                          });
          Accept();
        });
  }

  void Read(const SessionPtr& session) {
    session->parser.emplace();
    session->parser->body_limit(64 * 1024 * 1024);
    http::async_read(
        session->stream, session->buffer, *session->parser,
        [this, session](const ErrorCode& ec, size_t) {
          if (session->closed) return;
          if (ec) {
            CloseSession(session);
            return;
          }
          ++requests_;
          const int now = ++in_progress_;
          int seen = max_in_progress_.load();
          while (now > seen &&
                 !max_in_progress_.compare_exchange_weak(seen, now)) {
          }
          auto answered = std::make_shared<std::atomic<bool>>(false);
          std::weak_ptr<Session> weak = session;
          handler_(session->parser->get(),
                   [this, gate = gate_, weak, answered](Reply reply) {
                     if (answered->exchange(true)) return;
                     absl::MutexLock lock(&gate->mu);
                     if (!gate->open) return;
                     asio::post(*gate->io, [this, weak, reply] {
                       --in_progress_;
                       if (SessionPtr session = weak.lock()) {
                         OnReply(session, reply);
                       }
                     });
                   });
        });
  }

  void OnReply(const SessionPtr& session, const Reply& reply) {
    if (session->closed) return;
    if (reply.raw.empty()) {
      if (reply.close) CloseSession(session);
      return;
    }
    session->out = reply.raw;
    asio::async_write(
        session->stream, asio::buffer(session->out),
        [this, session, close = reply.close](const ErrorCode& ec, size_t) {
          if (session->closed) return;
          if (ec || close) {
            CloseSession(session);
            return;
          }
          Read(session);
        });
  }

  void CloseSession(const SessionPtr& session) {
    if (session->closed) return;
    session->closed = true;
    ErrorCode ignored;
    session->stream.lowest_layer().close(ignored);
    ++closed_sessions_;
  }

  Handler handler_;
  std::unique_ptr<ssl::context> context_;
  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_{
      io_.get_executor()};
  tcp::acceptor acceptor_{io_};
  int port_ = 0;
  std::shared_ptr<Gate> gate_ = std::make_shared<Gate>();
  std::vector<SessionPtr> sessions_;  // I/O thread
  std::thread thread_;
  std::atomic<int> accepts_{0};
  std::atomic<int> requests_{0};
  std::atomic<int> handshake_failures_{0};
  std::atomic<int> in_progress_{0};
  std::atomic<int> max_in_progress_{0};
  std::atomic<int> closed_sessions_{0};
};

// Answers every request at once with 202 and an acknowledgement body.
PartnerServer::Handler AckAll() {
  return [](const http::request<http::string_body>& request,
            PartnerServer::Respond respond) {
    respond({RawResponse(202,
                         {{"Content-Type", "application/json"},
                          {"Gw-Message-Id", Header(request, "gw-message-id")}},
                         "{\"ack\":true}")});
  };
}

// Keeps the `respond` of every request for the test.
class HeldResponses {
 public:
  PartnerServer::Handler Handler() {
    return [this](const http::request<http::string_body>& request,
                  PartnerServer::Respond respond) {
      absl::MutexLock lock(&mu_);
      held_.push_back({request, std::move(respond)});
    };
  }
  size_t count() {
    absl::MutexLock lock(&mu_);
    return held_.size();
  }
  bool WaitForCount(size_t n) {
    return PartnerServer::WaitFor([&] { return count() >= n; });
  }
  http::request<http::string_body> request(size_t i) {
    absl::MutexLock lock(&mu_);
    return held_.at(i).first;
  }
  void Respond(size_t i, PartnerServer::Reply reply) {
    PartnerServer::Respond respond;
    {
      absl::MutexLock lock(&mu_);
      respond = held_.at(i).second;
    }
    respond(std::move(reply));
  }

 private:
  absl::Mutex mu_;
  std::vector<
      std::pair<http::request<http::string_body>, PartnerServer::Respond>>
      held_ ABSL_GUARDED_BY(mu_);
};

// --- the partner's client (inbound tests), driven from the test thread ---

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

class PartnerClient {
 public:
  PartnerClient(asio::io_context& io, ssl::context& context)
      : io_(io), stream_(io, context) {}

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
    return Run(
        [&](auto handler) {
          stream_.async_handshake(ssl::stream_base::client, handler);
        },
        kWait);
  }

  ErrorCode Write(const std::string& bytes) {
    return Run(
        [&](auto handler) {
          asio::async_write(stream_, asio::buffer(bytes), handler);
        },
        kWait);
  }

  // One whole response. DEADLINE_EXCEEDED: none within `timeout`;
  // UNAVAILABLE: the connection ended first.
  absl::StatusOr<http::response<http::string_body>> ReadResponse(
      absl::Duration timeout = kWait) {
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    ErrorCode ec = Run(
        [&](auto handler) {
          http::async_read(stream_, buffer_, parser, handler);
        },
        timeout);
    if (ec == asio::error::timed_out) {
      return absl::DeadlineExceededError("no response in time");
    }
    if (ec) return absl::UnavailableError(ec.message());
    return parser.release();
  }

  // True when the transport closes the connection within kWait (responses
  // it sends meanwhile are skipped).
  bool WaitClosed() {
    const absl::Time deadline = absl::Now() + kWait;
    while (absl::Now() < deadline) {
      auto response = ReadResponse(deadline - absl::Now());
      if (!response.ok()) {
        return response.status().code() == absl::StatusCode::kUnavailable;
      }
    }
    return false;
  }

 private:
  asio::io_context& io_;
  ssl::stream<tcp::socket> stream_;
  beast::flat_buffer buffer_;
};

std::string RawRequest(
    const std::string& target,
    const std::vector<std::pair<std::string, std::string>>& headers,
    const std::string& body, const std::string& method = "POST") {
  std::string out = absl::StrCat(method, " ", target, " HTTP/1.1\r\n");
  for (const auto& [name, value] : headers) {
    absl::StrAppend(&out, name, ": ", value, "\r\n");
  }
  absl::StrAppend(&out, "Content-Length: ", body.size(), "\r\n\r\n");
  return out + body;
}

std::string AlertRequest(const std::string& id, const std::string& body) {
  return RawRequest("/gw/kh/v1/alerts",
                    {{"Host", "gateway.mekong.example"},
                     {"Content-Type", "application/json"},
                     {"Gw-Message-Id", id}},
                    body);
}

// --- the fixture ---

class HttpsLinkTest : public ::testing::Test {
 protected:
  static HttpsLinkOptions GatewayOptions() {
    HttpsLinkOptions options;
    options.peer_agency = kPeer;
    options.local_agency = kLocal;
    options.cert_pem = ReadFile(Pki("CN-MPS/gateway.crt"));
    options.key_pem = ReadFile(Pki("CN-MPS/gateway.key"));
    options.peer_ca_pem = ReadFile(Pki("KH-CNP/ca.crt"));
    options.peer_crl_pem = ReadFile(Pki("KH-CNP/crl.pem"));
    return options;
  }

  std::unique_ptr<HttpsLinkTransport> Make(HttpsLinkOptions options) {
    auto transport =
        HttpsLinkTransport::Create(std::move(options), &signer_, &answers_);
    EXPECT_TRUE(transport.ok()) << transport.status();
    return transport.ok() ? *std::move(transport) : nullptr;
  }

  // A transport sending to `server` (connecting to its address; the
  // signature names kPartnerUri).
  std::unique_ptr<HttpsLinkTransport> MakeClient(
      const PartnerServer& server,
      const std::function<void(HttpsLinkOptions&)>& adjust = nullptr) {
    HttpsLinkOptions options = GatewayOptions();
    options.base_uri = kPartnerUri;
    options.connect_target = server.target();
    if (adjust) adjust(options);
    return Make(std::move(options));
  }

  // A transport receiving into receiver_ on a free port.
  std::unique_ptr<HttpsLinkTransport> MakeServer(
      const std::function<void(HttpsLinkOptions&)>& adjust = nullptr) {
    HttpsLinkOptions options = GatewayOptions();
    options.listen_address = "127.0.0.1:0";
    options.external_base_uri = kGatewayUri;
    if (adjust) adjust(options);
    auto transport = Make(std::move(options));
    if (transport != nullptr) {
      EXPECT_TRUE(transport->StartReceiving(&receiver_).ok());
      EXPECT_NE(transport->bound_port(), 0);
    }
    return transport;
  }

  std::unique_ptr<PartnerClient> ConnectTo(const HttpsLinkTransport& transport,
                                           ssl::context& context) {
    auto client = std::make_unique<PartnerClient>(io_, context);
    ErrorCode ec = client->Connect(transport.bound_port());
    EXPECT_FALSE(ec) << ec.message();
    return client;
  }

  FakeSigner signer_;
  FakeAnswers answers_;
  FakeReceiver receiver_;
  asio::io_context io_;
  std::unique_ptr<ssl::context> partner_client_ = PeerContext(false);
};

// --- Create and base URIs ---

TEST_F(HttpsLinkTest, CreateRejectsInvalidOptions) {
  struct Case {
    std::string name;
    std::function<void(HttpsLinkOptions&)> change;
    std::string field;
    bool null_signer = false;
    bool null_answers = false;
  };
  const std::vector<Case> cases = {
      {"null signer", [](HttpsLinkOptions&) {}, "signer", true},
      {"no peer agency", [](auto& o) { o.peer_agency.clear(); }, "peer_agency"},
      {"no local agency", [](auto& o) { o.local_agency.clear(); },
       "local_agency"},
      {"certificate not PEM", [](auto& o) { o.cert_pem = "garbage"; },
       "cert_pem"},
      {"key of another certificate",
       [](auto& o) { o.key_pem = ReadFile(Pki("KH-CNP/gateway.key")); },
       "key_pem"},
      {"CA not PEM", [](auto& o) { o.peer_ca_pem = "garbage"; }, "peer_ca_pem"},
      {"CRL of another CA",
       [](auto& o) { o.peer_crl_pem = ReadFile(Pki("VN-MPS/crl.pem")); },
       "peer_crl_pem"},
      {"base URI with a path",
       [](auto& o) { o.base_uri = "https://cnp.partner.example/cnp"; },
       "base_uri"},
      {"base URI over http",
       [](auto& o) { o.base_uri = "http://cnp.partner.example"; }, "base_uri"},
      {"connect without base URI",
       [](auto& o) { o.connect_target = "127.0.0.1:7460"; }, "connect_target"},
      {"bad connect target",
       [](auto& o) {
         o.base_uri = kPartnerUri;
         o.connect_target = "127.0.0.1";
       },
       "connect_target"},
      {"server name without base URI",
       [](auto& o) { o.tls_server_name = "localhost"; }, "tls_server_name"},
      {"listen without external base URI",
       [](auto& o) { o.listen_address = "127.0.0.1:0"; }, "external_base_uri"},
      {"external base URI with a trailing slash",
       [](auto& o) {
         o.listen_address = "127.0.0.1:0";
         o.external_base_uri = "https://gateway.mekong.example/";
       },
       "external_base_uri"},
      {"bad listen address",
       [](auto& o) {
         o.listen_address = "127.0.0.1:https";
         o.external_base_uri = kGatewayUri;
       },
       "listen_address"},
      {"listening without an answer encoder",
       [](auto& o) {
         o.listen_address = "127.0.0.1:0";
         o.external_base_uri = kGatewayUri;
       },
       "answers", false, true},
      {"no concurrent requests", [](auto& o) { o.max_concurrent_requests = 0; },
       "max_concurrent_requests"},
      {"no inbound connections", [](auto& o) { o.max_inbound_connections = 0; },
       "max_inbound_connections"},
      {"no body", [](auto& o) { o.max_body_bytes = 0; }, "max_body_bytes"},
      {"no response", [](auto& o) { o.max_response_bytes = 0; },
       "max_response_bytes"},
      {"request timeout 0",
       [](auto& o) { o.request_timeout = absl::ZeroDuration(); },
       "request_timeout"},
      {"infinite idle timeout",
       [](auto& o) { o.idle_timeout = absl::InfiniteDuration(); },
       "idle_timeout"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    HttpsLinkOptions options = GatewayOptions();
    c.change(options);
    auto transport = HttpsLinkTransport::Create(
        std::move(options), c.null_signer ? nullptr : &signer_,
        c.null_answers ? nullptr : &answers_);
    ASSERT_FALSE(transport.ok());
    EXPECT_EQ(transport.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(transport.status().message()),
                StartsWith(c.field + ":"));
  }
}

TEST(ParseHttpsBaseUriTest, TakesOnlyWhatAConnectionSheetLists) {
  auto plain = ParseHttpsBaseUri("base_uri", "https://cnp.partner.example");
  ASSERT_TRUE(plain.ok()) << plain.status();
  EXPECT_EQ(plain->host, "cnp.partner.example");
  EXPECT_EQ(plain->port, "443");
  EXPECT_EQ(plain->authority, "cnp.partner.example");
  auto port = ParseHttpsBaseUri("base_uri", "https://127.0.0.1:8443");
  ASSERT_TRUE(port.ok()) << port.status();
  EXPECT_EQ(port->host, "127.0.0.1");
  EXPECT_EQ(port->port, "8443");
  EXPECT_EQ(port->authority, "127.0.0.1:8443");
  auto v6 = ParseHttpsBaseUri("base_uri", "https://[::1]:8443");
  ASSERT_TRUE(v6.ok()) << v6.status();
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->authority, "[::1]:8443");

  for (const char* bad :
       {"", "cnp.partner.example", "http://cnp.partner.example", "https://",
        "https://cnp.partner.example/", "https://CNP.partner.example",
        "https://cnp.partner.example:443", "https://cnp.partner.example:0",
        "https://cnp.partner.example:65536", "https://cnp.partner.example:",
        "https://user@cnp.partner.example", "https://cnp.partner.example?x",
        "https://cnp.partner.example#x", "https://[::1", "https://[zz]:1",
        "https://cnp partner", "https://cnp..partner.example"}) {
    SCOPED_TRACE(bad);
    auto parsed = ParseHttpsBaseUri("base_uri", bad);
    ASSERT_FALSE(parsed.ok());
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(parsed.status().message()),
                StartsWith("base_uri: "));
  }
}

// --- outbound ---

TEST_F(HttpsLinkTest, SendsTheRequestAndHandsBackTheWholeResponse) {
  HeldResponses held;
  PartnerServer server(held.Handler());
  auto transport = MakeClient(server);
  ASSERT_NE(transport, nullptr);
  const std::string body = "{\"message_id\":\"x\",\"text\":\"\xe1\x9e\x80\"}";
  auto sent = StartSend(*transport, Outbound(Id(1), body));

  ASSERT_TRUE(held.WaitForCount(1));
  const auto request = held.request(0);
  EXPECT_EQ(request.method(), http::verb::post);
  EXPECT_EQ(request.target(), "/cnp/v1/alerts");
  EXPECT_EQ(request.version(), 11);
  EXPECT_EQ(request.body(), body);
  // Host names base_uri, not the address connected to.
  EXPECT_EQ(Header(request, "host"), "cnp.partner.example");
  EXPECT_EQ(Header(request, "content-type"), "application/json");
  EXPECT_EQ(Header(request, "content-digest"), "sha-256=:AAAA:");
  EXPECT_EQ(Header(request, "gw-message-id"), Id(1));
  EXPECT_EQ(Header(request, "content-length"), absl::StrCat(body.size()));
  EXPECT_EQ(Header(request, "signature"), absl::StrCat("sig1=:", Id(1), "/1:"));
  EXPECT_THAT(Header(request, "signature-input"), HasSubstr("created=1"));
  EXPECT_THAT(signer_.targets(),
              ElementsAre("https://cnp.partner.example/cnp/v1/alerts"));

  held.Respond(0, {RawResponse(202,
                               {{"Content-Type", "application/json"},
                                {"X-Repeat", "a"},
                                {"Gw-Message-Id", Id(1)},
                                {"X-Repeat", "b"}},
                               "{\"ack\":1}")});
  PartnerAnswer answer = Await(sent);
  ASSERT_TRUE(answer.status.ok()) << answer.status;
  EXPECT_THAT(answer.metadata,
              ElementsAre(Pair(":status", "202"),
                          Pair("content-type", "application/json"),
                          Pair("x-repeat", "a"), Pair("gw-message-id", Id(1)),
                          Pair("x-repeat", "b"), Pair("content-length", "9")));
  EXPECT_EQ(answer.bytes, "{\"ack\":1}");
}

TEST_F(HttpsLinkTest, AnyStatusCodeIsAnAnswerForTheCodecToJudge) {
  for (int status : {200, 400, 409, 429, 500, 503}) {
    SCOPED_TRACE(status);
    PartnerServer server([status](const http::request<http::string_body>&,
                                  PartnerServer::Respond respond) {
      respond({RawResponse(status, {{"Retry-After", "7"}}, "{\"error\":{}}")});
    });
    auto transport = MakeClient(server);
    ASSERT_NE(transport, nullptr);
    PartnerAnswer answer = Await(StartSend(*transport, 1));
    ASSERT_TRUE(answer.status.ok()) << answer.status;
    ASSERT_FALSE(answer.metadata.empty());
    EXPECT_THAT(answer.metadata.front(), Pair(":status", absl::StrCat(status)));
    EXPECT_THAT(answer.metadata, ::testing::Contains(Pair("retry-after", "7")));
    EXPECT_EQ(answer.bytes, "{\"error\":{}}");
  }
}

TEST_F(HttpsLinkTest, EveryAttemptIsSignedAfresh) {
  HeldResponses held;
  PartnerServer server(held.Handler());
  auto transport = MakeClient(server);
  ASSERT_NE(transport, nullptr);
  // The delivery engine resends the same message: a new signature each
  // time, never the one of the attempt before.
  const PartnerMessage message = Outbound(Id(1));
  for (int attempt = 0; attempt < 3; ++attempt) {
    auto sent = StartSend(*transport, message);
    ASSERT_TRUE(held.WaitForCount(attempt + 1));
    held.Respond(attempt, {RawResponse(503, {}, "")});
    EXPECT_TRUE(Await(sent).status.ok());
  }
  EXPECT_EQ(signer_.calls(), 3);
  EXPECT_EQ(Header(held.request(0), "signature"),
            absl::StrCat("sig1=:", Id(1), "/1:"));
  EXPECT_EQ(Header(held.request(1), "signature"),
            absl::StrCat("sig1=:", Id(1), "/2:"));
  EXPECT_EQ(Header(held.request(2), "signature"),
            absl::StrCat("sig1=:", Id(1), "/3:"));
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(held.request(i).body(), message.bytes);
  }
}

TEST_F(HttpsLinkTest, SignerErrorSendsNothing) {
  PartnerServer server(AckAll());
  auto transport = MakeClient(server);
  ASSERT_NE(transport, nullptr);
  signer_.set_fail(true);
  PartnerAnswer answer = Await(StartSend(*transport, 1));
  EXPECT_EQ(answer.status.code(), absl::StatusCode::kInternal);
  EXPECT_EQ(server.requests(), 0);
  // The link goes on once the signer works again.
  signer_.set_fail(false);
  EXPECT_TRUE(Await(StartSend(*transport, 2)).status.ok());
  EXPECT_EQ(server.requests(), 1);
}

TEST_F(HttpsLinkTest, SequentialSendsShareOneConnection) {
  PartnerServer server(AckAll());
  auto transport = MakeClient(server);
  ASSERT_NE(transport, nullptr);
  for (int i = 0; i < 3; ++i) {
    PartnerAnswer answer = Await(StartSend(*transport, i));
    ASSERT_TRUE(answer.status.ok()) << answer.status;
  }
  EXPECT_EQ(server.requests(), 3);
  EXPECT_EQ(server.accepts(), 1);
}

TEST_F(HttpsLinkTest, ConnectionTheServerClosedIsNotReused) {
  // First the server says so (Connection: close), then it just closes an
  // idle keep-alive connection: either way the next Send gets a new
  // connection and its answer.
  int calls = 0;
  PartnerServer server([&calls](const http::request<http::string_body>&,
                                PartnerServer::Respond respond) {
    ++calls;  // the server's I/O thread only
    if (calls == 1) {
      respond({RawResponse(202, {{"Connection", "close"}}, "{}"), true});
    } else {
      respond({RawResponse(202, {}, "{}"), /*close=*/true});
    }
  });
  auto transport = MakeClient(server);
  ASSERT_NE(transport, nullptr);
  ASSERT_TRUE(Await(StartSend(*transport, 1)).status.ok());
  ASSERT_TRUE(
      PartnerServer::WaitFor([&] { return server.closed_sessions() == 1; }));
  ASSERT_TRUE(Await(StartSend(*transport, 2)).status.ok());
  ASSERT_TRUE(
      PartnerServer::WaitFor([&] { return server.closed_sessions() == 2; }));
  absl::SleepFor(absl::Milliseconds(50));  // the FIN reaches the client
  PartnerAnswer third = Await(StartSend(*transport, 3));
  EXPECT_TRUE(third.status.ok()) << third.status;
  EXPECT_EQ(server.accepts(), 3);
  EXPECT_EQ(server.requests(), 3);
}

TEST_F(HttpsLinkTest, AtMostMaxConcurrentRequestsAtOnce) {
  HeldResponses held;
  PartnerServer server(held.Handler());
  auto transport = MakeClient(
      server, [](HttpsLinkOptions& o) { o.max_concurrent_requests = 2; });
  ASSERT_NE(transport, nullptr);
  std::vector<std::shared_ptr<Pending>> sends;
  for (int i = 0; i < 5; ++i) sends.push_back(StartSend(*transport, i));

  for (size_t answered = 0; answered < 5; ++answered) {
    ASSERT_TRUE(held.WaitForCount(answered + 1));
    // Room for a transport that ignored the limit to show it.
    absl::SleepFor(absl::Milliseconds(100));
    EXPECT_LE(server.in_progress(), 2);
    held.Respond(answered, {RawResponse(202, {}, "{}")});
  }
  for (int i = 0; i < 5; ++i) {
    PartnerAnswer answer = Await(sends[i]);
    EXPECT_TRUE(answer.status.ok()) << answer.status;
  }
  EXPECT_EQ(server.max_in_progress(), 2);
  // Sends beyond the limit waited in order.
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(Header(held.request(i), "gw-message-id"),
              Id(static_cast<int>(i)));
  }
  EXPECT_LE(server.accepts(), 2);
}

TEST_F(HttpsLinkTest, ConnectFailureIsUnavailable) {
  int port;
  {
    tcp::acceptor closed(io_,
                         tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    port = closed.local_endpoint().port();
  }
  HttpsLinkOptions options = GatewayOptions();
  options.base_uri = kPartnerUri;
  options.connect_target = absl::StrCat("127.0.0.1:", port);
  auto transport = Make(std::move(options));
  ASSERT_NE(transport, nullptr);
  PartnerAnswer answer = Await(StartSend(*transport, 1));
  EXPECT_EQ(answer.status.code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(answer.status.message()), HasSubstr("connect"));
  EXPECT_EQ(signer_.calls(), 0);
}

TEST_F(HttpsLinkTest, NoResponseInTimeIsDeadlineExceeded) {
  HeldResponses held;  // never answers
  PartnerServer server(held.Handler());
  auto transport = MakeClient(server, [](HttpsLinkOptions& o) {
    o.request_timeout = absl::Milliseconds(300);
  });
  ASSERT_NE(transport, nullptr);
  PartnerAnswer answer = Await(StartSend(*transport, 1));
  EXPECT_EQ(answer.status.code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_EQ(held.count(), 1u);
  // The link is still usable, on a new connection: the one that timed out
  // is closed (a late response there would belong to no request).
  auto next = StartSend(*transport, 2);
  ASSERT_TRUE(held.WaitForCount(2));
  held.Respond(1, {RawResponse(202, {}, "{}")});
  EXPECT_TRUE(Await(next).status.ok());
  EXPECT_EQ(server.accepts(), 2);
}

TEST_F(HttpsLinkTest, ResponsesCutShortOrOutOfBoundsAreUnavailable) {
  const std::vector<std::pair<std::string, PartnerServer::Reply>> cases = {
      {"closed mid-body",
       {"HTTP/1.1 202 Accepted\r\nContent-Length: 100\r\n\r\n{\"ack\"", true}},
      {"closed mid-header", {"HTTP/1.1 202 Accepted\r\nContent-Le", true}},
      {"closed before any byte", {"", true}},
      {"HTTP/1.0", {RawResponse(202, {}, "{}").replace(5, 3, "1.0"), true}},
      {"body over max_response_bytes",
       {RawResponse(202, {}, std::string(2048, 'x')), false}},
  };
  for (const auto& [name, reply] : cases) {
    SCOPED_TRACE(name);
    PartnerServer server(
        [reply = reply](const http::request<http::string_body>&,
                        PartnerServer::Respond respond) { respond(reply); });
    auto transport = MakeClient(
        server, [](HttpsLinkOptions& o) { o.max_response_bytes = 1024; });
    ASSERT_NE(transport, nullptr);
    PartnerAnswer answer = Await(StartSend(*transport, 1));
    EXPECT_EQ(answer.status.code(), absl::StatusCode::kUnavailable)
        << answer.status;
    EXPECT_TRUE(answer.bytes.empty());
  }
}

TEST_F(HttpsLinkTest, ServerOtherThanThePartnersIsRefused) {
  struct Case {
    std::string name;
    std::function<void(HttpsLinkOptions&)> change;
    std::string cert, key;
  };
  const std::vector<Case> cases = {
      // Chains to the CA the link trusts, but names another agency.
      {"another agency's certificate",
       [](HttpsLinkOptions& o) {
         o.peer_ca_pem = ReadFile(Pki("VN-MPS/ca.crt"));
         o.peer_crl_pem = ReadFile(Pki("VN-MPS/crl.pem"));
       },
       Pki("VN-MPS/gateway.crt"), Pki("VN-MPS/gateway.key")},
      {"a certificate of another CA", [](HttpsLinkOptions&) {},
       Pki("VN-MPS/gateway.crt"), Pki("VN-MPS/gateway.key")},
      {"a certificate for another name",
       [](HttpsLinkOptions& o) { o.tls_server_name = "cnp.partner.example"; },
       Pki("KH-CNP/gateway.crt"), Pki("KH-CNP/gateway.key")},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    PartnerServer server(AckAll(), PeerContext(true, c.cert, c.key));
    auto transport = MakeClient(server, c.change);
    ASSERT_NE(transport, nullptr);
    PartnerAnswer answer = Await(StartSend(*transport, 1));
    EXPECT_EQ(answer.status.code(), absl::StatusCode::kUnavailable);
    EXPECT_THAT(std::string(answer.status.message()), HasSubstr("TLS"));
    EXPECT_EQ(server.requests(), 0);
    EXPECT_EQ(signer_.calls(), 0);
  }
}

TEST_F(HttpsLinkTest, SendAnswersAtOnceWhenItCannotSend) {
  PartnerServer server(AckAll());
  auto transport = MakeClient(server);
  ASSERT_NE(transport, nullptr);
  PartnerMessage no_path = Outbound(Id(1));
  no_path.metadata.erase(no_path.metadata.begin());
  PartnerMessage two_paths = Outbound(Id(1));
  two_paths.metadata.emplace_back(":path", "/cnp/v1/case-status");
  PartnerMessage relative = Outbound(Id(1));
  relative.metadata[0].second = "cnp/v1/alerts";
  PartnerMessage own_length = Outbound(Id(1));
  own_length.metadata.emplace_back("content-length", "3");
  PartnerMessage uppercase = Outbound(Id(1));
  uppercase.metadata.emplace_back("X-Header", "1");
  PartnerMessage injected = Outbound(Id(1));
  injected.metadata.emplace_back("x-header", "1\r\nx-evil: 2");
  PartnerMessage huge_value = Outbound(Id(1));
  huge_value.metadata.emplace_back("x-header", std::string(60000, 'a'));
  for (const auto& [name, message] :
       std::vector<std::pair<std::string, PartnerMessage>>{
           {"no :path", no_path},
           {"two :path", two_paths},
           {"path not starting with /", relative},
           {"content-length from the codec", own_length},
           {"uppercase header name", uppercase},
           {"CRLF in a header value", injected},
           {"a header value of 60,000 bytes", huge_value}}) {
    SCOPED_TRACE(name);
    int calls = 0;
    absl::StatusCode got = absl::StatusCode::kOk;
    transport->Send(message, [&](PartnerAnswer answer) {
      ++calls;
      got = answer.status.code();
    });
    EXPECT_EQ(calls, 1);  // before Send returned
    EXPECT_EQ(got, absl::StatusCode::kInternal);
  }
  EXPECT_EQ(server.requests(), 0);

  // A link without a base_uri never sends.
  auto receive_only = Make(GatewayOptions());
  ASSERT_NE(receive_only, nullptr);
  EXPECT_EQ(Await(StartSend(*receive_only, 2)).status.code(),
            absl::StatusCode::kUnavailable);
}

TEST_F(HttpsLinkTest, StopFailsPendingSends) {
  HeldResponses held;
  PartnerServer server(held.Handler());
  auto transport = MakeClient(
      server, [](HttpsLinkOptions& o) { o.max_concurrent_requests = 1; });
  ASSERT_NE(transport, nullptr);
  auto in_flight = StartSend(*transport, 1);
  auto queued = StartSend(*transport, 2);
  ASSERT_TRUE(held.WaitForCount(1));

  transport->Stop();
  EXPECT_TRUE(in_flight->done.HasBeenNotified());  // Stop waits for them
  EXPECT_TRUE(queued->done.HasBeenNotified());
  for (const auto& pending : {in_flight, queued}) {
    PartnerAnswer answer = Await(pending);
    EXPECT_EQ(answer.status.code(), absl::StatusCode::kUnavailable);
    EXPECT_THAT(std::string(answer.status.message()),
                HasSubstr("transport stopped"));
  }
  // Too late: the connection is gone (the partner's write fails).
  held.Respond(0, {RawResponse(202, {}, "{}")});
  EXPECT_TRUE(
      PartnerServer::WaitFor([&] { return server.closed_sessions() == 1; }));

  auto later = StartSend(*transport, 3);
  EXPECT_TRUE(later->done.HasBeenNotified());  // at once
  EXPECT_EQ(Await(later).status.code(), absl::StatusCode::kUnavailable);
  transport->Stop();  // idempotent
  EXPECT_EQ(transport->StartReceiving(&receiver_).code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(HttpsLinkTest, DoneMayStopTheTransportAndSendAgain) {
  PartnerServer server(AckAll());
  auto transport = MakeClient(server);
  ASSERT_NE(transport, nullptr);
  auto first = std::make_shared<Pending>();
  auto after_stop = std::make_shared<Pending>();
  HttpsLinkTransport* raw = transport.get();
  transport->Send(
      Outbound(Id(1)), [raw, first, after_stop](PartnerAnswer answer) {
        raw->Stop();  // on the I/O thread: returns at once
        raw->Send(Outbound(Id(2)), [after_stop](PartnerAnswer later) {
          after_stop->answer = std::move(later);
          after_stop->calls.fetch_add(1);
          after_stop->done.Notify();
        });
        first->answer = std::move(answer);
        first->calls.fetch_add(1);
        first->done.Notify();
      });
  EXPECT_TRUE(Await(first).status.ok());
  EXPECT_EQ(Await(after_stop).status.code(), absl::StatusCode::kUnavailable);
  transport.reset();  // joins the I/O thread
}

// --- inbound ---

TEST_F(HttpsLinkTest, InboundRequestIsHandedOverAndAnsweredOnlyWhenAnswerRuns) {
  auto transport = MakeServer();
  ASSERT_NE(transport, nullptr);
  auto client = ConnectTo(*transport, *partner_client_);
  const std::string body = "{\"message_id\":\"m\"}";
  ASSERT_FALSE(client->Write(RawRequest("/gw/kh/v1/alerts?x=1",
                                        {{"Host", "gateway.mekong.example"},
                                         {"Content-Type", "application/json"},
                                         {"Gw-Message-Id", Id(1)},
                                         {"X-Rep", "a"},
                                         {"Signature", "sig1=:AA==:"},
                                         {"X-Rep", "b"}},
                                        body)));
  ASSERT_TRUE(receiver_.WaitForCount(1));
  const FakeReceiver::Received received = receiver_.Get(0);
  EXPECT_EQ(received.sender, kPeer);  // from the certificate
  EXPECT_EQ(received.message.message_id, Id(1));
  EXPECT_EQ(received.message.content_type, "application/json");
  EXPECT_EQ(received.message.bytes, body);
  EXPECT_THAT(
      received.message.metadata,
      ElementsAre(
          Pair(":method", "POST"), Pair(":path", "/gw/kh/v1/alerts?x=1"),
          Pair(":target-uri", "https://gateway.mekong.example/gw/kh/v1/alerts"),
          Pair("host", "gateway.mekong.example"),
          Pair("content-type", "application/json"),
          Pair("gw-message-id", Id(1)), Pair("x-rep", "a"),
          Pair("signature", "sig1=:AA==:"), Pair("x-rep", "b"),
          Pair("content-length", absl::StrCat(body.size()))));

  // Nothing is written before the gateway has stored the message.
  auto early = client->ReadResponse(absl::Milliseconds(300));
  EXPECT_EQ(early.status().code(), absl::StatusCode::kDeadlineExceeded);

  std::thread answering([&] { AnswerOk(received); });  // any thread
  answering.join();
  auto response = client->ReadResponse();
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->result_int(), 202u);
  EXPECT_EQ(response->body(), absl::StrCat("{\"ack\":\"", Id(1), "\"}"));
  EXPECT_EQ(std::string((*response)[http::field::content_type]),
            "application/json");
  EXPECT_EQ(std::string((*response)["gw-message-id"]), Id(1));
  EXPECT_TRUE(response->keep_alive());

  // Keep-alive: the next request on the same connection. A second answer
  // to the first message is ignored.
  AnswerOk(received);
  ASSERT_FALSE(client->Write(AlertRequest(Id(2), "{}")));
  ASSERT_TRUE(receiver_.WaitForCount(2));
  AnswerOk(receiver_.Get(1));
  response = client->ReadResponse();
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(std::string((*response)["gw-message-id"]), Id(2));
}

TEST_F(HttpsLinkTest, InboundIdAndTypeOnlyWhenGivenOnce) {
  receiver_.set_answer_at_once(true);
  auto transport = MakeServer();
  ASSERT_NE(transport, nullptr);
  auto client = ConnectTo(*transport, *partner_client_);
  ASSERT_FALSE(client->Write(RawRequest("/gw/kh/v1/alerts",
                                        {{"Gw-Message-Id", Id(1)},
                                         {"Gw-Message-Id", Id(2)},
                                         {"Content-Type", "application/json"},
                                         {"Content-Type", "text/plain"}},
                                        "{}")));
  ASSERT_TRUE(receiver_.WaitForCount(1));
  EXPECT_EQ(receiver_.Get(0).message.message_id, "");
  EXPECT_EQ(receiver_.Get(0).message.content_type, "");
  ASSERT_TRUE(client->ReadResponse().ok());
  // Any method and path are handed over: the codec answers 404 / 405.
  ASSERT_FALSE(client->Write(RawRequest("/elsewhere", {}, "", "GET")));
  ASSERT_TRUE(receiver_.WaitForCount(2));
  EXPECT_THAT(receiver_.Get(1).message.metadata,
              ::testing::IsSupersetOf(
                  {Pair(":method", "GET"), Pair(":path", "/elsewhere")}));
  EXPECT_EQ(receiver_.Get(1).message.message_id, "");
}

TEST_F(HttpsLinkTest, BodyOverTheLimitIsHandedOverUnreadThenClosed) {
  struct Case {
    std::string name;
    std::string request;
  };
  const std::string big(3000, 'x');
  const std::vector<Case> cases = {
      {"by Content-Length", AlertRequest(Id(1), big)},
      {"chunked, as read",
       absl::StrCat("POST /gw/kh/v1/alerts HTTP/1.1\r\n", "Gw-Message-Id: ",
                    Id(1), "\r\nTransfer-Encoding: chunked\r\n\r\n", "bb8\r\n",
                    big, "\r\n0\r\n\r\n")},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    auto transport =
        MakeServer([](HttpsLinkOptions& o) { o.max_body_bytes = 1024; });
    ASSERT_NE(transport, nullptr);
    const size_t before = receiver_.count();
    auto client = ConnectTo(*transport, *partner_client_);
    ASSERT_FALSE(client->Write(c.request));
    ASSERT_TRUE(receiver_.WaitForCount(before + 1));
    const FakeReceiver::Received received = receiver_.Get(before);
    EXPECT_EQ(received.message.bytes, "");
    EXPECT_EQ(received.message.message_id, Id(1));
    EXPECT_THAT(received.message.metadata,
                ::testing::Contains(Pair(":body-too-large", "1")));
    AnswerOk(received);
    auto response = client->ReadResponse();
    ASSERT_TRUE(response.ok()) << response.status();
    EXPECT_EQ(response->result_int(), 202u);
    EXPECT_FALSE(response->keep_alive());  // Connection: close
    EXPECT_TRUE(client->WaitClosed());
  }
  // Within the limit: no ":body-too-large".
  auto transport =
      MakeServer([](HttpsLinkOptions& o) { o.max_body_bytes = 1024; });
  ASSERT_NE(transport, nullptr);
  const size_t before = receiver_.count();
  auto client = ConnectTo(*transport, *partner_client_);
  ASSERT_FALSE(client->Write(AlertRequest(Id(2), std::string(1024, 'y'))));
  ASSERT_TRUE(receiver_.WaitForCount(before + 1));
  EXPECT_EQ(receiver_.Get(before).message.bytes, std::string(1024, 'y'));
  for (const auto& [name, value] : receiver_.Get(before).message.metadata) {
    EXPECT_NE(name, ":body-too-large");
  }
}

TEST_F(HttpsLinkTest, NoAnswerOrAnEncoderErrorClosesWithoutResponse) {
  auto transport = MakeServer();
  ASSERT_NE(transport, nullptr);
  answers_.set_mode(Id(1), FakeAnswers::Mode::kNoAnswer);
  answers_.set_mode(Id(2), FakeAnswers::Mode::kError);
  for (int i : {1, 2}) {
    SCOPED_TRACE(i);
    auto client = ConnectTo(*transport, *partner_client_);
    const size_t before = receiver_.count();
    ASSERT_FALSE(client->Write(AlertRequest(Id(i), "{}")));
    ASSERT_TRUE(receiver_.WaitForCount(before + 1));
    AnswerOk(receiver_.Get(before));
    auto response = client->ReadResponse();
    EXPECT_EQ(response.status().code(), absl::StatusCode::kUnavailable)
        << "a response was written";
  }
}

TEST_F(HttpsLinkTest, ClientOtherThanThePartnersIsRefusedBeforeAnyRequest) {
  const std::string minted = gw::testing::DevPki::Get().MintCertificate(
      "KH-CNP", "VN-MPS", "gateway", "impostor");
  struct Case {
    std::string name;
    std::string cert;  // base path, .crt / .key; empty: no certificate
    bool accepted;
  };
  const std::vector<Case> cases = {
      {"the partner's gateway", Pki("KH-CNP/gateway"), true},
      {"no client certificate", "", false},
      {"another CA", Pki("VN-MPS/gateway"), false},
      {"another agency under the partner's CA", minted, false},
      {"another role", Pki("KH-CNP/liaison/liaison1"), false},
  };
  receiver_.set_answer_at_once(true);
  auto transport = MakeServer();
  ASSERT_NE(transport, nullptr);
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const size_t before = receiver_.count();
    auto context = c.cert.empty()
                       ? PeerContext(false, "", "")
                       : PeerContext(false, c.cert + ".crt", c.cert + ".key");
    PartnerClient client(io_, *context);
    // With TLS 1.3 the client finishes its handshake before the server has
    // judged its certificate; the refusal shows on the next read.
    ErrorCode ec = client.Connect(transport->bound_port());
    if (!ec) ec = client.Write(AlertRequest(Id(1), "{}"));
    if (c.accepted) {
      ASSERT_FALSE(ec) << ec.message();
      auto response = client.ReadResponse();
      ASSERT_TRUE(response.ok()) << response.status();
      EXPECT_EQ(receiver_.count(), before + 1);
    } else {
      EXPECT_TRUE(ec || client.WaitClosed());
      EXPECT_EQ(receiver_.count(), before);
    }
  }
}

TEST_F(HttpsLinkTest, OversizeHeaderOrSilenceClosesTheConnection) {
  auto transport = MakeServer([](HttpsLinkOptions& o) {
    o.request_timeout = absl::Milliseconds(300);
    o.idle_timeout = absl::Milliseconds(300);
  });
  ASSERT_NE(transport, nullptr);
  {
    SCOPED_TRACE("header block over 64 KiB");
    auto client = ConnectTo(*transport, *partner_client_);
    // The transport may close before it has read all of it.
    ErrorCode ec = client->Write(RawRequest(
        "/gw/kh/v1/alerts", {{"X-Big", std::string(70 * 1024, 'h')}}, "{}"));
    EXPECT_TRUE(ec || client->WaitClosed());
  }
  {
    SCOPED_TRACE("half a request");
    auto client = ConnectTo(*transport, *partner_client_);
    ASSERT_FALSE(client->Write("POST /gw/kh/v1/alerts HTTP/1.1\r\nHo"));
    EXPECT_TRUE(client->WaitClosed());
  }
  {
    SCOPED_TRACE("no request at all");
    auto client = ConnectTo(*transport, *partner_client_);
    EXPECT_TRUE(client->WaitClosed());
  }
  EXPECT_EQ(receiver_.count(), 0u);
}

TEST_F(HttpsLinkTest, PipelinedRequestsAreTakenOneAtATime) {
  auto transport = MakeServer();
  ASSERT_NE(transport, nullptr);
  auto client = ConnectTo(*transport, *partner_client_);
  ASSERT_FALSE(client->Write(AlertRequest(Id(1), "{\"n\":1}") +
                             AlertRequest(Id(2), "{\"n\":2}")));
  ASSERT_TRUE(receiver_.WaitForCount(1));
  absl::SleepFor(absl::Milliseconds(100));
  EXPECT_EQ(receiver_.count(), 1u);  // the second waits for the first
  AnswerOk(receiver_.Get(0));
  ASSERT_TRUE(receiver_.WaitForCount(2));
  EXPECT_EQ(receiver_.Get(1).message.bytes, "{\"n\":2}");
  AnswerOk(receiver_.Get(1));
  for (int i : {1, 2}) {
    auto response = client->ReadResponse();
    ASSERT_TRUE(response.ok()) << response.status();
    EXPECT_EQ(std::string((*response)["gw-message-id"]), Id(i));
  }
}

TEST_F(HttpsLinkTest, HandshakeLimitsKeepStrangersFromShuttingOutThePartner) {
  auto transport = MakeServer([](HttpsLinkOptions& o) {
    o.max_inbound_connections = 1;
    o.connect_timeout = absl::Seconds(30);
  });
  ASSERT_NE(transport, nullptr);
  const tcp::endpoint server(asio::ip::make_address("127.0.0.1"),
                             static_cast<uint16_t>(transport->bound_port()));
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
  auto third = stranger();  // a third from the same address: closed at once
  char byte;
  ErrorCode ec;
  third->read_some(asio::buffer(&byte, 1), ec);
  EXPECT_TRUE(ec == asio::error::eof || ec == asio::error::connection_reset)
      << ec.message();

  receiver_.set_answer_at_once(true);
  auto client = ConnectTo(*transport, *partner_client_);
  ASSERT_FALSE(client->Write(AlertRequest(Id(1), "{}")));
  ASSERT_TRUE(client->ReadResponse().ok());
  // A second authenticated connection is one too many.
  PartnerClient second(io_, *partner_client_);
  if (!second.Connect(transport->bound_port())) {
    if (!second.Write(AlertRequest(Id(2), "{}"))) {
      EXPECT_TRUE(second.WaitClosed());
    }
  }
  EXPECT_EQ(receiver_.count(), 1u);
}

TEST_F(HttpsLinkTest, AnswerAfterTheTransportIsGoneDoesNothing) {
  auto transport = MakeServer();
  ASSERT_NE(transport, nullptr);
  auto client = ConnectTo(*transport, *partner_client_);
  ASSERT_FALSE(client->Write(AlertRequest(Id(1), "{}")));
  ASSERT_TRUE(receiver_.WaitForCount(1));
  transport->Stop();
  EXPECT_TRUE(client->WaitClosed());
  AnswerOk(receiver_.Get(0));  // after Stop
  transport.reset();
  AnswerOk(receiver_.Get(0));  // after destruction
}

// --- both ends ---

TEST_F(HttpsLinkTest, TwoTransportsCarryARequestAndItsResponse) {
  // The partner's side, as KH-CNP would run it.
  HttpsLinkOptions partner;
  partner.peer_agency = kLocal;
  partner.local_agency = kPeer;
  partner.cert_pem = ReadFile(Pki("KH-CNP/gateway.crt"));
  partner.key_pem = ReadFile(Pki("KH-CNP/gateway.key"));
  partner.peer_ca_pem = ReadFile(Pki("CN-MPS/ca.crt"));
  partner.listen_address = "127.0.0.1:0";
  partner.external_base_uri = kPartnerUri;
  FakeReceiver partner_receiver;
  partner_receiver.set_answer_at_once(true);
  auto server = Make(partner);
  ASSERT_NE(server, nullptr);
  ASSERT_TRUE(server->StartReceiving(&partner_receiver).ok());

  HttpsLinkOptions options = GatewayOptions();
  options.base_uri = kPartnerUri;
  options.connect_target = absl::StrCat("127.0.0.1:", server->bound_port());
  auto client = Make(options);
  ASSERT_NE(client, nullptr);
  PartnerAnswer answer = Await(StartSend(*client, 7));
  ASSERT_TRUE(answer.status.ok()) << answer.status;
  EXPECT_THAT(answer.metadata.front(), Pair(":status", "202"));
  EXPECT_EQ(answer.bytes, absl::StrCat("{\"ack\":\"", Id(7), "\"}"));
  ASSERT_EQ(partner_receiver.count(), 1u);
  const PartnerMessage& got = partner_receiver.Get(0).message;
  EXPECT_EQ(partner_receiver.Get(0).sender, kLocal);
  EXPECT_EQ(got.message_id, Id(7));
  EXPECT_THAT(got.metadata,
              ::testing::Contains(Pair(
                  ":target-uri", "https://cnp.partner.example/cnp/v1/alerts")));
  EXPECT_THAT(got.metadata,
              ::testing::Contains(
                  Pair("signature", absl::StrCat("sig1=:", Id(7), "/1:"))));
}

}  // namespace
}  // namespace gw::adapters
