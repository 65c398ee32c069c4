// adapters/transport/https_link.cc
//
// See https_link.h for the contract. The discipline is tcp_frames.cc's:
// everything that touches a connection, the outbound queue or the listener
// runs on the one I/O thread, so none of that state is locked; other
// threads only reach it by posting through the Gate, which refuses once
// Stop() has begun. Every post happens under the gate's lock before the
// shutdown handler is posted, and a single-threaded io_context runs them in
// order, so no Send is left behind the shutdown; a late one still gets its
// answer from `stopping_`.
//
// Lifetime: connections are shared by the handlers of their pending
// operations; the Impl outlives them all (Stop() joins the I/O thread after
// every handler has run). Callbacks handed out of the transport (the
// receiver's `answer`) hold only the Gate and a weak connection pointer, and
// use `this` only inside a handler the gate accepted, i.e. while the Impl is
// alive. `done` callbacks run after the transport's state is consistent
// again and with no lock held; what they call (Send, Stop) only posts.
//
// Choices the header leaves open:
//  * The TLS handshake of an inbound connection must end within
//    connect_timeout, like the outbound connect.
//  * An idle outbound connection is not read while idle; before it is
//    reused, a zero-timeout poll tells whether the server has closed it
//    (or sent anything at all, which no HTTP/1.1 server does unasked), and
//    such a connection is closed instead of used.
//  * The response is read while the request is still being written, so a
//    server that answers early (413) and closes is heard, not reported as
//    a write failure.
//  * Interim 1xx responses are skipped.
#include "adapters/transport/https_link.h"

#include <openssl/ssl.h>
#include <poll.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <functional>
#include <initializer_list>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "adapters/transport/link_tls.h"

namespace gw::adapters {

namespace {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using ErrorCode = boost::system::error_code;
using Stream = beast::ssl_stream<tcp::socket>;
using link_tls::EndpointText;
using link_tls::HostPort;
using link_tls::LoggableId;
using link_tls::SplitHostPort;

// KH-CNP.md §2.1: TLS 1.2 only with ECDHE and AES-GCM or ChaCha20-Poly1305;
// TLS 1.3 keeps its defaults.
constexpr char kTls12Ciphers[] =
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";
// The header block of a request or response, start line included.
constexpr uint32_t kHeaderLimit = 64 * 1024;
// The longest header value we write. Beast throws (std::length_error) on
// values near 64 KiB, which on the I/O thread would end the process; no
// header of these ICDs comes near this.
constexpr size_t kMaxFieldValueBytes = 8 * 1024;
// How long a connection closed after its last response keeps reading (and
// dropping) what the peer still sends, so that closing does not reset the
// connection before the peer has read the response.
constexpr auto kLinger = std::chrono::seconds(2);
constexpr auto kAcceptRetry = std::chrono::seconds(1);
constexpr size_t kReadChunk = 16 * 1024;

// Headers the transport writes itself; a codec that sets them has a bug.
constexpr std::string_view kTransportRequestHeaders[] = {
    "host", "content-length", "transfer-encoding", "connection"};
constexpr std::string_view kTransportResponseHeaders[] = {
    "content-length", "transfer-encoding", "connection"};

std::string DurationText(absl::Duration d) { return absl::FormatDuration(d); }

Clock::duration ToClock(absl::Duration d) {
  return std::chrono::duration_cast<Clock::duration>(
      absl::ToChronoNanoseconds(d));
}

PartnerAnswer Failure(absl::Status status) {
  PartnerAnswer answer;
  answer.status = std::move(status);
  return answer;
}

bool IsTokenChar(char c) {
  return absl::ascii_isalnum(c) ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// RFC 9110 field names, lowercase as the metadata conventions want them.
bool IsLowercaseFieldName(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return IsTokenChar(c) && !absl::ascii_isupper(c);
  });
}

// No CR, LF or NUL: nothing that could end the field or the header block.
bool IsFieldValue(std::string_view value) {
  return value.find_first_of(std::string_view("\r\n\0", 3)) ==
         std::string_view::npos;
}

// Checks the headers of `metadata` (entries not starting with ':') before
// they go on the wire: INTERNAL naming `field` for a bad name or value or
// a header the transport writes itself.
template <size_t N>
absl::Status CheckHeaders(absl::string_view field, const Metadata& metadata,
                          const std::string_view (&reserved)[N]) {
  for (size_t i = 0; i < metadata.size(); ++i) {
    const auto& [name, value] = metadata[i];
    if (!name.empty() && name[0] == ':') continue;
    if (!IsLowercaseFieldName(name)) {
      return absl::InternalError(
          absl::StrCat(field, "[", i, "]: not a lowercase HTTP field name"));
    }
    if (!IsFieldValue(value)) {
      return absl::InternalError(absl::StrCat(field, "[", i, "] (", name,
                                              "): value holds CR, LF or NUL"));
    }
    if (value.size() > kMaxFieldValueBytes) {
      return absl::InternalError(absl::StrCat(field, "[", i, "] (", name,
                                              "): value longer than ",
                                              kMaxFieldValueBytes, " bytes"));
    }
    if (std::find(std::begin(reserved), std::end(reserved), name) !=
        std::end(reserved)) {
      return absl::InternalError(absl::StrCat(
          field, "[", i, "] (", name, "): written by the transport itself"));
    }
  }
  return absl::OkStatus();
}

// The values of pseudo-entry `key` in `metadata`.
std::vector<std::string> Pseudo(const Metadata& metadata,
                                std::string_view key) {
  std::vector<std::string> values;
  for (const auto& [name, value] : metadata) {
    if (name == key) values.push_back(value);
  }
  return values;
}

// A request-target as it may appear in a log line.
std::string LoggablePath(std::string_view target) {
  const size_t query = target.find('?');
  const std::string_view path = target.substr(0, query);
  const bool plain =
      !path.empty() && path.size() <= 200 &&
      std::all_of(path.begin(), path.end(), [](char c) {
        return absl::ascii_isalnum(c) ||
               std::string_view("/-._~").find(c) != std::string_view::npos;
      });
  if (!plain) return "(unprintable path)";
  return query == std::string_view::npos
             ? std::string(path)
             : absl::StrCat(absl::string_view(path.data(), path.size()),
                            "?(query)");
}

std::string LoggableMethod(std::string_view method) {
  const bool plain = !method.empty() && method.size() <= 16 &&
                     std::all_of(method.begin(), method.end(),
                                 [](char c) { return absl::ascii_isupper(c); });
  return plain ? std::string(method) : "(unprintable method)";
}

std::string ReadError(const ErrorCode& ec) {
  if (ec == asio::error::eof || ec == ssl::error::stream_truncated ||
      ec == http::error::end_of_stream || ec == http::error::partial_message) {
    return "closed by the peer";
  }
  return ec.message();
}

// The value of the single header `name` (lowercase) in `metadata`; empty
// if absent or repeated.
std::string SingleHeader(const Metadata& metadata, std::string_view name) {
  const std::string* found = nullptr;
  for (const auto& [key, value] : metadata) {
    if (key != name) continue;
    if (found != nullptr) return "";
    found = &value;
  }
  return found == nullptr ? "" : *found;
}

// An HTTP/1.1 message parser that keeps what the metadata conventions
// promise and beast::http::fields does not: every field in wire order
// (fields reorders a repeated name next to its first occurrence), names
// lowercased. It also enforces the body limit itself: Beast 1.74 compares a
// Content-Length with an unset body_limit as if the limit were below it, so
// Beast's own limit stays at its maximum and `set_body_limit` applies here
// (exceeded: http::error::body_limit, the body not kept).
template <bool isRequest>
class RecordingParser final : public http::basic_parser<isRequest> {
 public:
  RecordingParser() {
    this->header_limit(kHeaderLimit);
    this->body_limit(std::numeric_limits<std::uint64_t>::max());
  }

  void set_body_limit(uint64_t limit) { limit_ = limit; }

  std::string method;  // requests
  std::string target;  // requests
  int status = 0;      // responses
  int version = 0;     // 11 for HTTP/1.1
  Metadata fields;
  std::string body;

 private:
  void on_request_impl(http::verb, beast::string_view method_text,
                       beast::string_view target_text, int v,
                       beast::error_code&) override {
    method.assign(method_text.data(), method_text.size());
    target.assign(target_text.data(), target_text.size());
    version = v;
  }
  void on_response_impl(int code, beast::string_view, int v,
                        beast::error_code&) override {
    status = code;
    version = v;
  }
  void on_field_impl(http::field, beast::string_view name,
                     beast::string_view value, beast::error_code&) override {
    fields.emplace_back(
        absl::AsciiStrToLower(absl::string_view(name.data(), name.size())),
        std::string(value.data(), value.size()));
  }
  void on_header_impl(beast::error_code&) override {}
  void on_body_init_impl(const boost::optional<std::uint64_t>& length,
                         beast::error_code& ec) override {
    if (length && *length > limit_) {
      ec = http::error::body_limit;
      return;
    }
    if (length) body.reserve(static_cast<size_t>(*length));
  }
  size_t on_body_impl(beast::string_view piece,
                      beast::error_code& ec) override {
    return Append(piece, ec);
  }
  void on_chunk_header_impl(std::uint64_t size, beast::string_view,
                            beast::error_code& ec) override {
    if (size > limit_ - body.size()) ec = http::error::body_limit;
  }
  size_t on_chunk_body_impl(std::uint64_t, beast::string_view piece,
                            beast::error_code& ec) override {
    return Append(piece, ec);
  }
  void on_finish_impl(beast::error_code&) override {}

  size_t Append(beast::string_view piece, beast::error_code& ec) {
    if (piece.size() > limit_ - body.size()) {
      ec = http::error::body_limit;
      return 0;
    }
    body.append(piece.data(), piece.size());
    return piece.size();
  }

  uint64_t limit_ = std::numeric_limits<std::uint64_t>::max();
};

}  // namespace

absl::StatusOr<HttpsBaseUri> ParseHttpsBaseUri(std::string_view field_in,
                                               std::string_view uri) {
  const absl::string_view field(field_in.data(), field_in.size());
  const auto bad = [&](absl::string_view why) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": ", why,
        "; want https://host or https://host:port exactly as the connection "
        "sheet lists it (lowercase, no path, no :443), e.g. "
        "https://cnp.partner.example"));
  };
  constexpr std::string_view kScheme = "https://";
  if (uri.substr(0, kScheme.size()) != kScheme) return bad("not https://");
  const std::string_view authority = uri.substr(kScheme.size());
  if (authority.empty()) return bad("no host");
  for (char c : authority) {
    if (c == '/' || c == '?' || c == '#') return bad("has a path or query");
    if (c == '@') return bad("has userinfo");
    if (absl::ascii_isupper(c)) return bad("not lowercase");
    if (!absl::ascii_isalnum(c) &&
        std::string_view(".-:[]").find(c) == std::string_view::npos) {
      return bad("a character not allowed in a host");
    }
  }
  HttpsBaseUri out;
  out.authority = std::string(authority);
  std::string_view host = authority;
  std::string_view port;
  if (authority.front() == '[') {
    const size_t close = authority.find(']');
    if (close == std::string_view::npos || close == 1) {
      return bad("unbalanced [");
    }
    host = authority.substr(1, close - 1);
    const std::string_view rest = authority.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return bad("text after ]");
      port = rest.substr(1);
      if (port.empty()) return bad("empty port");
    }
    ErrorCode ec;
    asio::ip::make_address_v6(std::string(host), ec);
    if (ec) return bad("not an IPv6 address in [ ]");
  } else {
    const size_t colon = authority.find(':');
    if (colon != std::string_view::npos) {
      host = authority.substr(0, colon);
      port = authority.substr(colon + 1);
      if (port.empty()) return bad("empty port");
    }
    if (host.empty() || host.find_first_of("[]:") != std::string_view::npos ||
        host.front() == '.' || host.front() == '-' || host.back() == '-' ||
        host.find("..") != std::string_view::npos) {
      return bad("not a host name or address");
    }
  }
  if (!port.empty()) {
    int number = 0;
    if (port.size() > 5 || port.front() == '0' ||
        !std::all_of(port.begin(), port.end(),
                     [](char c) { return absl::ascii_isdigit(c); }) ||
        !absl::SimpleAtoi(absl::string_view(port.data(), port.size()),
                          &number) ||
        number < 1 || number > 65535) {
      return bad("port not 1..65535");
    }
    if (number == 443) return bad("write no port for 443");
  }
  out.host = std::string(host);
  out.port = port.empty() ? "443" : std::string(port);
  return out;
}

class HttpsLinkTransport::Impl {
 public:
  Impl(HttpsLinkOptions options, const HttpRequestSigner* signer,
       const AnswerEncoder* answers, std::optional<HttpsBaseUri> origin,
       HostPort target, std::string server_name);
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

  enum class Phase {
    kConnecting,   // client: resolving and connecting
    kHandshaking,  // both: TLS handshake
    kIdle,         // client: in the pool; server: waiting for a request
    kBusy,         // client: a request in flight; server: reading one
    kAnswering,    // server: waiting for `answer`, then writing it
    kDraining,     // server: response written, lingering before the close
  };

  // One outbound Send, from OnSend until its `done` runs.
  struct Request {
    PartnerMessage message;
    std::string path;  // the ":path"
    SendDone done;
    Clock::time_point deadline;  // request_timeout after it started
    Clock::time_point started;
  };
  using RequestPtr = std::shared_ptr<Request>;
  using Completion = std::pair<SendDone, PartnerAnswer>;

  // One TLS connection, either direction. Touched on the I/O thread only.
  struct Connection {
    Connection(asio::io_context& io, ssl::context& context, bool is_client)
        : client(is_client), stream(io, context), timer(io) {}

    const bool client;
    Stream stream;
    asio::steady_timer timer;
    uint64_t timer_generation = 0;

    std::string remote;          // host:port, for log lines and statuses
    std::string remote_address;  // the peer's IP address, for limits
    Phase phase = Phase::kConnecting;
    bool closed = false;
    std::string verify_failure;  // why the peer certificate was refused
    beast::flat_buffer buffer;   // read, not yet parsed

    // Client: the request on this connection, its wire form (alive until
    // the write ends) and the response being read.
    RequestPtr request;
    Clock::time_point connect_deadline = Clock::time_point::max();
    http::request<http::string_body> out_request;
    std::optional<RecordingParser<false>> response;
    bool writing = false;
    bool write_failed = false;
    bool reading = false;

    // Server: the request being read, and the response being written.
    std::optional<RecordingParser<true>> parser;
    http::response<http::string_body> out_response;
    bool close_after_response = false;
    std::vector<char> drain_buffer;
    std::string close_reason;
  };
  using ConnectionPtr = std::shared_ptr<Connection>;

  void Log(const std::string& line) const {
    std::fprintf(stderr, "https_link[%s]: %s\n", options_.peer_agency.c_str(),
                 line.c_str());
  }
  std::string Describe(const Connection& conn) const {
    return absl::StrCat(
        conn.client ? "outbound connection to " : "inbound connection from ",
        conn.remote);
  }
  std::string LinkPrefix(const std::string& remote) const {
    return absl::StrCat(options_.peer_agency, " link ", remote, ": ");
  }

  // --- both directions ---
  void SetTimer(const ConnectionPtr& conn, Clock::time_point at);
  void CancelTimer(const ConnectionPtr& conn);
  void OnTimer(const ConnectionPtr& conn);
  // Closes at once; a request on the connection gets `code` with `reason`.
  // `conn` by value: a caller may pass an element of a set this erases.
  void Close(ConnectionPtr conn, const std::string& reason,
             absl::StatusCode code = absl::StatusCode::kUnavailable);
  void Shutdown();

  // --- outbound ---
  void OnSend(RequestPtr request);
  void Pump();
  void StartRequest(RequestPtr request);
  bool IsStale(Connection& conn);
  void Connect(const ConnectionPtr& conn);
  void OnClientHandshake(const ConnectionPtr& conn, const ErrorCode& ec);
  void WriteRequest(const ConnectionPtr& conn);
  void ReadResponse(const ConnectionPtr& conn);
  void OnResponse(const ConnectionPtr& conn, const ErrorCode& ec);
  // Hands the request's answer to its `done`; keeps the connection for the
  // next request when `reusable`, closes it otherwise.
  void Finish(const ConnectionPtr& conn, PartnerAnswer answer, bool reusable,
              const std::string& close_reason);
  void MakeIdle(const ConnectionPtr& conn);

  // --- inbound ---
  void Accept();
  void OnServerHandshake(const ConnectionPtr& conn, const ErrorCode& ec);
  void AwaitRequest(const ConnectionPtr& conn);
  void ReadRequestHeader(const ConnectionPtr& conn);
  void OnRequestHeader(const ConnectionPtr& conn, const ErrorCode& ec);
  void OnRequestBody(const ConnectionPtr& conn, const ErrorCode& ec);
  void HandOver(const ConnectionPtr& conn, bool body_too_large);
  void OnInboundAnswer(const std::weak_ptr<Connection>& weak,
                       const PartnerMessage& received,
                       const InboundAnswer& answer);
  void Drain(const ConnectionPtr& conn);

  static void Complete(std::vector<Completion>& completions) {
    for (auto& [done, answer] : completions) done(std::move(answer));
    completions.clear();
  }

  const HttpsLinkOptions options_;
  const HttpRequestSigner* const signer_;     // not owned
  const AnswerEncoder* const answers_;        // not owned; may be null
  const std::optional<HttpsBaseUri> origin_;  // unset: never sends
  const HostPort target_;                     // where to connect
  const std::string target_text_;
  const std::string server_name_;
  const Clock::duration connect_timeout_, request_timeout_, idle_timeout_;

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
  std::deque<RequestPtr> queued_;  // not yet started, in Send order
  int active_ = 0;                 // started, `done` not yet called
  absl::flat_hash_set<ConnectionPtr> outbound_;  // every client connection
  std::vector<ConnectionPtr> idle_;              // reusable, newest last
};

HttpsLinkTransport::Impl::Impl(HttpsLinkOptions options,
                               const HttpRequestSigner* signer,
                               const AnswerEncoder* answers,
                               std::optional<HttpsBaseUri> origin,
                               HostPort target, std::string server_name)
    : options_(std::move(options)),
      signer_(signer),
      answers_(answers),
      origin_(std::move(origin)),
      target_(std::move(target)),
      target_text_(target_.host.find(':') == std::string::npos
                       ? absl::StrCat(target_.host, ":", target_.port)
                       : absl::StrCat("[", target_.host, "]:", target_.port)),
      server_name_(std::move(server_name)),
      connect_timeout_(ToClock(options_.connect_timeout)),
      request_timeout_(ToClock(options_.request_timeout)),
      idle_timeout_(ToClock(options_.idle_timeout)) {}

absl::Status HttpsLinkTransport::Impl::Init() {
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

void HttpsLinkTransport::Impl::Send(const PartnerMessage& message,
                                    SendDone done) {
  const std::vector<std::string> paths = Pseudo(message.metadata, ":path");
  if (paths.size() != 1) {
    done(Failure(absl::InternalError(absl::StrCat(
        "PartnerMessage.metadata: want one \":path\", got ", paths.size()))));
    return;
  }
  const std::string& path = paths.front();
  if (path.empty() || path.front() != '/' ||
      !std::all_of(path.begin(), path.end(),
                   [](char c) { return c > 0x20 && c < 0x7f; })) {
    done(Failure(absl::InternalError(
        "PartnerMessage.metadata[\":path\"]: want an origin-form path "
        "starting with / and without spaces or control characters")));
    return;
  }
  absl::Status headers = CheckHeaders(
      "PartnerMessage.metadata", message.metadata, kTransportRequestHeaders);
  if (!headers.ok()) {
    done(Failure(std::move(headers)));
    return;
  }
  auto request = std::make_shared<Request>();
  request->message = message;
  request->path = path;
  request->done = std::move(done);
  if (!gate_->Post([this, request] { OnSend(request); })) {
    request->done(Failure(absl::UnavailableError(absl::StrCat(
        options_.peer_agency, " link: transport stopped; not sent"))));
  }
}

absl::Status HttpsLinkTransport::Impl::StartReceiving(
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

void HttpsLinkTransport::Impl::Stop() {
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

void HttpsLinkTransport::Impl::Shutdown() {
  stopping_ = true;
  {
    absl::MutexLock lock(&listen_mu_);
    ErrorCode ignored;
    acceptor_.close(ignored);
  }
  accept_retry_.cancel();
  resolver_.cancel();
  std::vector<Completion> completions;
  for (auto& request : queued_) {
    completions.emplace_back(
        std::move(request->done),
        Failure(absl::UnavailableError(absl::StrCat(
            options_.peer_agency, " link: transport stopped; not sent"))));
  }
  queued_.clear();
  // Close() fails the request of each (and starts nothing: stopping_).
  const std::vector<ConnectionPtr> outbound(outbound_.begin(), outbound_.end());
  for (const auto& conn : outbound) Close(conn, "transport stopped");
  const std::vector<ConnectionPtr> inbound(inbound_.begin(), inbound_.end());
  for (const auto& conn : inbound) Close(conn, "transport stopped");
  work_.reset();
  Complete(completions);
}

// --- both directions ---

void HttpsLinkTransport::Impl::SetTimer(const ConnectionPtr& conn,
                                        Clock::time_point at) {
  const uint64_t generation = ++conn->timer_generation;
  conn->timer.expires_at(at);
  conn->timer.async_wait([this, conn, generation](const ErrorCode& ec) {
    if (ec || conn->closed || generation != conn->timer_generation) return;
    OnTimer(conn);
  });
}

void HttpsLinkTransport::Impl::CancelTimer(const ConnectionPtr& conn) {
  ++conn->timer_generation;
  conn->timer.cancel();
}

void HttpsLinkTransport::Impl::OnTimer(const ConnectionPtr& conn) {
  switch (conn->phase) {
    case Phase::kConnecting:
    case Phase::kHandshaking:
      if (conn->client && conn->request != nullptr &&
          Clock::now() >= conn->request->deadline) {
        Close(conn,
              absl::StrCat("no response within ",
                           DurationText(options_.request_timeout),
                           " (still connecting)"),
              absl::StatusCode::kDeadlineExceeded);
      } else {
        Close(conn, absl::StrCat(conn->phase == Phase::kConnecting
                                     ? "connect timed out after "
                                     : "TLS handshake timed out after ",
                                 DurationText(options_.connect_timeout)));
      }
      return;
    case Phase::kIdle:
      Close(conn,
            conn->client
                ? absl::StrCat("idle for ", DurationText(options_.idle_timeout))
                : absl::StrCat("no request for ",
                               DurationText(options_.idle_timeout)));
      return;
    case Phase::kBusy:
      if (conn->client) {
        Close(conn,
              absl::StrCat("no whole response within ",
                           DurationText(options_.request_timeout)),
              absl::StatusCode::kDeadlineExceeded);
      } else {
        Close(conn, absl::StrCat("no whole request within ",
                                 DurationText(options_.request_timeout)));
      }
      return;
    case Phase::kAnswering:
      Close(conn, absl::StrCat("the response was not taken within ",
                               DurationText(options_.request_timeout)));
      return;
    case Phase::kDraining:
      Close(conn, conn->close_reason);
      return;
  }
}

void HttpsLinkTransport::Impl::Close(ConnectionPtr conn,
                                     const std::string& reason,
                                     absl::StatusCode code) {
  if (conn->closed) return;
  conn->closed = true;
  CancelTimer(conn);
  ErrorCode ignored;
  conn->stream.next_layer().close(ignored);
  Log(absl::StrCat(Describe(*conn), " closed: ", reason));
  if (!conn->client) {
    inbound_.erase(conn);
    return;
  }
  outbound_.erase(conn);
  idle_.erase(std::remove(idle_.begin(), idle_.end(), conn), idle_.end());
  RequestPtr request = std::move(conn->request);
  conn->request.reset();
  if (request == nullptr) return;
  --active_;
  Pump();
  request->done(Failure(absl::Status(
      code, absl::StrCat(LinkPrefix(conn->remote), "POST ",
                         LoggablePath(request->path), ": ", reason))));
}

// --- outbound ---

void HttpsLinkTransport::Impl::OnSend(RequestPtr request) {
  if (stopping_) {
    request->done(Failure(absl::UnavailableError(absl::StrCat(
        options_.peer_agency, " link: transport stopped; not sent"))));
    return;
  }
  if (!origin_.has_value()) {
    request->done(Failure(absl::UnavailableError(
        absl::StrCat(options_.peer_agency,
                     " link: no base_uri configured; this link does not "
                     "send"))));
    return;
  }
  queued_.push_back(std::move(request));
  Pump();
}

void HttpsLinkTransport::Impl::Pump() {
  while (!stopping_ && !queued_.empty() &&
         active_ < options_.max_concurrent_requests) {
    RequestPtr request = std::move(queued_.front());
    queued_.pop_front();
    StartRequest(std::move(request));
  }
}

void HttpsLinkTransport::Impl::StartRequest(RequestPtr request) {
  ++active_;
  request->started = Clock::now();
  request->deadline = request->started + request_timeout_;
  while (!idle_.empty()) {
    ConnectionPtr conn = std::move(idle_.back());
    idle_.pop_back();
    if (IsStale(*conn)) {
      Close(conn, "closed by the server while idle");
      continue;
    }
    conn->request = std::move(request);
    conn->phase = Phase::kBusy;
    SetTimer(conn, conn->request->deadline);
    WriteRequest(conn);
    return;
  }
  auto conn = std::make_shared<Connection>(io_, client_context_, true);
  conn->remote = target_text_;
  conn->request = std::move(request);
  outbound_.insert(conn);
  Connect(conn);
}

bool HttpsLinkTransport::Impl::IsStale(Connection& conn) {
  if (conn.buffer.size() != 0 || SSL_pending(conn.stream.native_handle()) > 0) {
    return true;
  }
  pollfd fd{};
  fd.fd = conn.stream.next_layer().native_handle();
  fd.events = POLLIN | POLLRDHUP;
  const int ready = ::poll(&fd, 1, 0);
  return ready != 0;  // readable, hung up, or poll failed: not to be trusted
}

void HttpsLinkTransport::Impl::Connect(const ConnectionPtr& conn) {
  conn->phase = Phase::kConnecting;
  link_tls::PrepareVerification(conn->stream, /*client=*/true, server_name_,
                                options_.peer_agency, &conn->verify_failure);
  conn->connect_deadline = Clock::now() + connect_timeout_;
  SetTimer(conn, std::min(conn->connect_deadline, conn->request->deadline));
  resolver_.async_resolve(
      target_.host, target_.port, tcp::resolver::numeric_service,
      [this, conn](const ErrorCode& ec, tcp::resolver::results_type results) {
        if (conn->closed) return;
        if (ec) {
          Close(conn, absl::StrCat("cannot resolve: ", ec.message()));
          return;
        }
        asio::async_connect(
            conn->stream.next_layer(), results,
            [this, conn](const ErrorCode& ec, const tcp::endpoint&) {
              if (conn->closed) return;
              if (ec) {
                Close(conn, absl::StrCat("connect failed: ", ec.message()));
                return;
              }
              conn->phase = Phase::kHandshaking;
              conn->stream.async_handshake(ssl::stream_base::client,
                                           [this, conn](const ErrorCode& ec) {
                                             OnClientHandshake(conn, ec);
                                           });
            });
      });
}

void HttpsLinkTransport::Impl::OnClientHandshake(const ConnectionPtr& conn,
                                                 const ErrorCode& ec) {
  if (conn->closed) return;
  if (ec) {
    Close(conn,
          absl::StrCat("TLS handshake failed: ", conn->verify_failure.empty()
                                                     ? ec.message()
                                                     : conn->verify_failure));
    return;
  }
  Log(absl::StrCat(Describe(*conn), " open (",
                   SSL_get_version(conn->stream.native_handle()), ")"));
  conn->phase = Phase::kBusy;
  SetTimer(conn, conn->request->deadline);
  WriteRequest(conn);
}

void HttpsLinkTransport::Impl::WriteRequest(const ConnectionPtr& conn) {
  const Request& request = *conn->request;
  const std::string target_uri =
      absl::StrCat("https://", origin_->authority, request.path);
  absl::StatusOr<Metadata> signature =
      signer_->SignRequest(target_uri, request.message);
  if (signature.ok()) {
    absl::Status headers =
        CheckHeaders("SignRequest()", *signature, kTransportRequestHeaders);
    if (!headers.ok()) signature = std::move(headers);
  }
  if (!signature.ok()) {
    // Nothing was written: the connection is as good as before.
    Finish(conn,
           Failure(absl::InternalError(absl::StrCat(
               "signing the request to ", LoggablePath(request.path), ": ",
               signature.status().message()))),
           /*reusable=*/true, "");
    return;
  }
  http::request<http::string_body>& out = conn->out_request;
  out = {};
  out.method(http::verb::post);
  out.target(request.path);
  out.version(11);
  out.set(http::field::host, origin_->authority);
  for (const Metadata* headers : std::initializer_list<const Metadata*>{
           &request.message.metadata, &*signature}) {
    for (const auto& [name, value] : *headers) {
      if (!name.empty() && name[0] == ':') continue;
      out.insert(name, value);
    }
  }
  out.body() = request.message.bytes;
  out.prepare_payload();
  out.keep_alive(true);

  conn->writing = true;
  conn->write_failed = false;
  http::async_write(
      conn->stream, conn->out_request,
      [this, conn](const ErrorCode& ec, size_t) {
        conn->writing = false;
        if (conn->closed) return;
        if (ec) {
          // The read under way ends too, with the response
          // if the server answered before it closed.
          conn->write_failed = true;
          Log(absl::StrCat(Describe(*conn), ": write failed: ", ec.message()));
        }
      });
  conn->response.emplace();
  conn->response->set_body_limit(options_.max_response_bytes);
  ReadResponse(conn);
}

void HttpsLinkTransport::Impl::ReadResponse(const ConnectionPtr& conn) {
  conn->reading = true;
  http::async_read(conn->stream, conn->buffer, *conn->response,
                   [this, conn](const ErrorCode& ec, size_t) {
                     conn->reading = false;
                     if (conn->closed) return;
                     OnResponse(conn, ec);
                   });
}

void HttpsLinkTransport::Impl::OnResponse(const ConnectionPtr& conn,
                                          const ErrorCode& ec) {
  if (ec == http::error::body_limit) {
    Close(conn, absl::StrCat("response body over max_response_bytes (",
                             options_.max_response_bytes, " bytes)"));
    return;
  }
  if (ec == http::error::header_limit) {
    Close(conn,
          absl::StrCat("response header block over ", kHeaderLimit, " bytes"));
    return;
  }
  if (ec) {
    Close(conn, absl::StrCat("no whole response: ", ReadError(ec)));
    return;
  }
  RecordingParser<false>& response = *conn->response;
  if (response.version != 11) {
    Close(conn, absl::StrCat("the response is HTTP/", response.version / 10,
                             ".", response.version % 10, ", not HTTP/1.1"));
    return;
  }
  const int status = response.status;
  if (status >= 100 && status < 200 && status != 101) {
    // Interim (100 Continue, 103 Early Hints): the final response follows.
    conn->response.emplace();
    conn->response->set_body_limit(options_.max_response_bytes);
    ReadResponse(conn);
    return;
  }
  if (status < 200) {
    Close(conn, absl::StrCat("the server answered ", status));
    return;
  }
  PartnerAnswer answer;
  answer.metadata.emplace_back(":status", absl::StrCat(status));
  answer.metadata.insert(answer.metadata.end(),
                         std::make_move_iterator(response.fields.begin()),
                         std::make_move_iterator(response.fields.end()));
  answer.bytes = std::move(response.body);
  const Request& request = *conn->request;
  const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
      Clock::now() - request.started);
  Log(absl::StrCat(Describe(*conn), ": POST ", LoggablePath(request.path),
                   " (message ", LoggableId(request.message.message_id),
                   ") answered ", status, " in ", elapsed.count(), " ms"));
  std::string why_not_reused;
  const bool keep_alive = response.keep_alive();
  if (!keep_alive) {
    why_not_reused = "the server asked to close";
  } else if (conn->writing || conn->write_failed) {
    why_not_reused = "answered before the whole request was written";
  } else if (conn->buffer.size() != 0) {
    why_not_reused = "bytes after the response";
  }
  Finish(conn, std::move(answer), why_not_reused.empty(), why_not_reused);
}

void HttpsLinkTransport::Impl::Finish(const ConnectionPtr& conn,
                                      PartnerAnswer answer, bool reusable,
                                      const std::string& close_reason) {
  RequestPtr request = std::move(conn->request);
  conn->request.reset();
  conn->response.reset();
  --active_;
  if (reusable && !stopping_) {
    MakeIdle(conn);
  } else {
    Close(conn, stopping_ ? "transport stopped" : close_reason);
  }
  Pump();
  request->done(std::move(answer));
}

void HttpsLinkTransport::Impl::MakeIdle(const ConnectionPtr& conn) {
  conn->phase = Phase::kIdle;
  conn->out_request = {};
  idle_.push_back(conn);
  SetTimer(conn, Clock::now() + idle_timeout_);
}

// --- inbound ---

void HttpsLinkTransport::Impl::Accept() {
  if (stopping_) return;
  auto conn = std::make_shared<Connection>(io_, server_context_, false);
  acceptor_.async_accept(
      conn->stream.next_layer(), [this, conn](const ErrorCode& ec) {
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
            conn->stream.next_layer().remote_endpoint(remote_ec);
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
          conn->stream.next_layer().close(ignored);
        } else {
          inbound_.insert(conn);
          conn->phase = Phase::kHandshaking;
          link_tls::PrepareVerification(conn->stream, /*client=*/false, "",
                                        options_.peer_agency,
                                        &conn->verify_failure);
          SetTimer(conn, Clock::now() + connect_timeout_);
          conn->stream.async_handshake(ssl::stream_base::server,
                                       [this, conn](const ErrorCode& ec) {
                                         OnServerHandshake(conn, ec);
                                       });
        }
        Accept();
      });
}

void HttpsLinkTransport::Impl::OnServerHandshake(const ConnectionPtr& conn,
                                                 const ErrorCode& ec) {
  if (conn->closed) return;
  if (ec) {
    Close(conn,
          absl::StrCat("TLS handshake failed: ", conn->verify_failure.empty()
                                                     ? ec.message()
                                                     : conn->verify_failure));
    return;
  }
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
  Log(absl::StrCat(Describe(*conn), " open (",
                   SSL_get_version(conn->stream.native_handle()), ")"));
  AwaitRequest(conn);
}

void HttpsLinkTransport::Impl::AwaitRequest(const ConnectionPtr& conn) {
  conn->phase = Phase::kIdle;
  conn->out_response = {};
  if (conn->buffer.size() != 0) {  // a pipelined request has begun
    ReadRequestHeader(conn);
    return;
  }
  SetTimer(conn, Clock::now() + idle_timeout_);
  conn->stream.async_read_some(conn->buffer.prepare(kReadChunk),
                               [this, conn](const ErrorCode& ec, size_t n) {
                                 if (conn->closed) return;
                                 if (ec) {
                                   Close(conn, ReadError(ec));
                                   return;
                                 }
                                 conn->buffer.commit(n);
                                 ReadRequestHeader(conn);
                               });
}

void HttpsLinkTransport::Impl::ReadRequestHeader(const ConnectionPtr& conn) {
  // The request_timeout runs from the request's first byte.
  conn->phase = Phase::kBusy;
  SetTimer(conn, Clock::now() + request_timeout_);
  // No body limit yet: Content-Length is judged after the header, so that
  // a request over the limit is still handed over (":body-too-large").
  conn->parser.emplace();
  http::async_read_header(conn->stream, conn->buffer, *conn->parser,
                          [this, conn](const ErrorCode& ec, size_t) {
                            if (conn->closed) return;
                            OnRequestHeader(conn, ec);
                          });
}

void HttpsLinkTransport::Impl::OnRequestHeader(const ConnectionPtr& conn,
                                               const ErrorCode& ec) {
  if (ec == http::error::header_limit) {
    Close(conn,
          absl::StrCat("request header block over ", kHeaderLimit, " bytes"));
    return;
  }
  if (ec) {
    Close(conn, absl::StrCat("no whole request header: ", ReadError(ec)));
    return;
  }
  const auto length = conn->parser->content_length();
  if (length && *length > options_.max_body_bytes) {
    HandOver(conn, /*body_too_large=*/true);
    return;
  }
  if (conn->parser->is_done()) {  // no body
    HandOver(conn, false);
    return;
  }
  conn->parser->set_body_limit(options_.max_body_bytes);
  http::async_read(conn->stream, conn->buffer, *conn->parser,
                   [this, conn](const ErrorCode& ec, size_t) {
                     if (conn->closed) return;
                     OnRequestBody(conn, ec);
                   });
}

void HttpsLinkTransport::Impl::OnRequestBody(const ConnectionPtr& conn,
                                             const ErrorCode& ec) {
  if (ec == http::error::body_limit) {
    HandOver(conn, /*body_too_large=*/true);
    return;
  }
  if (ec) {
    Close(conn, absl::StrCat("no whole request body: ", ReadError(ec)));
    return;
  }
  HandOver(conn, false);
}

void HttpsLinkTransport::Impl::HandOver(const ConnectionPtr& conn,
                                        bool body_too_large) {
  RecordingParser<true>& request = *conn->parser;
  PartnerMessage message;
  message.message_id = SingleHeader(request.fields, "gw-message-id");
  message.content_type = SingleHeader(request.fields, "content-type");
  if (!body_too_large) message.bytes = std::move(request.body);
  const std::string& target = request.target;
  message.metadata.reserve(request.fields.size() + 4);
  message.metadata.emplace_back(":method", request.method);
  message.metadata.emplace_back(":path", target);
  message.metadata.emplace_back(
      ":target-uri",
      absl::StrCat(options_.external_base_uri,
                   absl::string_view(target).substr(0, target.find('?'))));
  if (body_too_large) message.metadata.emplace_back(":body-too-large", "1");
  message.metadata.insert(message.metadata.end(), request.fields.begin(),
                          request.fields.end());
  conn->close_after_response = body_too_large || !request.keep_alive();
  const std::string logged_target = LoggablePath(target);
  conn->parser.reset();
  // No timer while the gateway stores the message: the partner waits for
  // the answer (and gives up on its own clock).
  conn->phase = Phase::kAnswering;
  CancelTimer(conn);
  Log(absl::StrCat(
      Describe(*conn), ": ", LoggableMethod(message.metadata[0].second), " ",
      logged_target, " (message ", LoggableId(message.message_id), ", ",
      body_too_large ? "body over max_body_bytes, not read"
                     : absl::StrCat(message.bytes.size(), " bytes"),
      ")"));

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

void HttpsLinkTransport::Impl::OnInboundAnswer(
    const std::weak_ptr<Connection>& weak, const PartnerMessage& received,
    const InboundAnswer& answer) {
  const ConnectionPtr conn = weak.lock();
  if (conn == nullptr || conn->closed || conn->phase != Phase::kAnswering) {
    Log(absl::StrCat("the answer to message ", LoggableId(received.message_id),
                     " is dropped: its connection is closed (the partner "
                     "resends)"));
    return;
  }
  auto encoded = answers_->EncodeAnswer(options_.peer_agency, received, answer);
  if (!encoded.ok()) {
    Close(conn,
          absl::StrCat(
              "no response to message ", LoggableId(received.message_id),
              ": cannot encode the answer: ", encoded.status().message()));
    return;
  }
  if (!encoded->has_value()) {
    Close(conn, absl::StrCat("no response to message ",
                             LoggableId(received.message_id),
                             ": the answer encoder gives none"));
    return;
  }
  PartnerMessage& out = **encoded;
  const std::vector<std::string> statuses = Pseudo(out.metadata, ":status");
  int status = 0;
  if (statuses.size() != 1 || statuses.front().size() != 3 ||
      !absl::SimpleAtoi(statuses.front(), &status) || status < 200 ||
      status > 599) {
    Close(conn, absl::StrCat("no response to message ",
                             LoggableId(received.message_id),
                             ": EncodeAnswer() gave no single \":status\" "
                             "from 200 to 599"));
    return;
  }
  absl::Status headers = CheckHeaders("EncodeAnswer().metadata", out.metadata,
                                      kTransportResponseHeaders);
  if (!headers.ok()) {
    Close(conn, absl::StrCat("no response to message ",
                             LoggableId(received.message_id), ": ",
                             headers.message()));
    return;
  }
  http::response<http::string_body>& response = conn->out_response;
  response = {};
  response.version(11);
  response.result(static_cast<unsigned>(status));
  for (const auto& [name, value] : out.metadata) {
    if (!name.empty() && name[0] == ':') continue;
    response.insert(name, value);
  }
  response.body() = std::move(out.bytes);
  response.prepare_payload();
  response.keep_alive(!conn->close_after_response);
  Log(absl::StrCat(Describe(*conn), ": message ",
                   LoggableId(received.message_id), " answered ", status,
                   conn->close_after_response ? " (then closed)" : ""));
  SetTimer(conn, Clock::now() + request_timeout_);
  http::async_write(conn->stream, conn->out_response,
                    [this, conn](const ErrorCode& ec, size_t) {
                      if (conn->closed) return;
                      if (ec) {
                        Close(conn,
                              absl::StrCat("write failed: ", ec.message()));
                        return;
                      }
                      if (conn->close_after_response) {
                        conn->close_reason = "closed after the response";
                        Drain(conn);
                        return;
                      }
                      AwaitRequest(conn);
                    });
}

void HttpsLinkTransport::Impl::Drain(const ConnectionPtr& conn) {
  if (conn->drain_buffer.empty()) {
    // First call: FIN after the response, then read (and drop) until the
    // peer closes too, or kLinger passes, so that our close resets nothing
    // the peer has not read.
    conn->phase = Phase::kDraining;
    ErrorCode ignored;
    conn->stream.next_layer().shutdown(tcp::socket::shutdown_send, ignored);
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

// --- HttpsLinkTransport ---

absl::StatusOr<std::unique_ptr<HttpsLinkTransport>> HttpsLinkTransport::Create(
    HttpsLinkOptions options, const HttpRequestSigner* signer,
    const AnswerEncoder* answers) {
  if (signer == nullptr) {
    return absl::InvalidArgumentError("signer: null");
  }
  if (options.peer_agency.empty()) {
    return absl::InvalidArgumentError(
        "peer_agency: empty; want the partner agency, e.g. KH-CNP");
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
  for (const auto& [name, value] :
       {std::pair{"max_concurrent_requests", options.max_concurrent_requests},
        std::pair{"max_inbound_connections",
                  options.max_inbound_connections}}) {
    if (value < 1) {
      return absl::InvalidArgumentError(
          absl::StrCat(name, ": must be at least 1"));
    }
  }
  if (options.max_body_bytes < 1) {
    return absl::InvalidArgumentError("max_body_bytes: must be at least 1");
  }
  if (options.max_response_bytes < 1) {
    return absl::InvalidArgumentError("max_response_bytes: must be at least 1");
  }
  for (const auto& [name, value] :
       {std::pair{"connect_timeout", options.connect_timeout},
        std::pair{"request_timeout", options.request_timeout},
        std::pair{"idle_timeout", options.idle_timeout}}) {
    if (value <= absl::ZeroDuration() || value == absl::InfiniteDuration()) {
      return absl::InvalidArgumentError(
          absl::StrCat(name, ": must be positive and finite"));
    }
  }
  std::optional<HttpsBaseUri> origin;
  HostPort target;
  std::string server_name = options.tls_server_name;
  if (!options.base_uri.empty()) {
    auto parsed = ParseHttpsBaseUri("base_uri", options.base_uri);
    if (!parsed.ok()) return parsed.status();
    origin = *std::move(parsed);
    target = HostPort{origin->host, origin->port};
    if (!options.connect_target.empty()) {
      auto split = SplitHostPort("connect_target", options.connect_target,
                                 /*allow_port_zero=*/false);
      if (!split.ok()) return split.status();
      target = *std::move(split);
    }
    if (server_name.empty()) server_name = target.host;
  } else if (!options.connect_target.empty()) {
    return absl::InvalidArgumentError("connect_target: set without a base_uri");
  } else if (!server_name.empty()) {
    return absl::InvalidArgumentError(
        "tls_server_name: set without a base_uri");
  }
  if (!options.listen_address.empty()) {
    auto split = SplitHostPort("listen_address", options.listen_address,
                               /*allow_port_zero=*/true);
    if (!split.ok()) return split.status();
    if (options.external_base_uri.empty()) {
      return absl::InvalidArgumentError(
          "external_base_uri: required with listen_address; want this "
          "gateway's base URI as the partner's connection sheet lists it");
    }
    auto external =
        ParseHttpsBaseUri("external_base_uri", options.external_base_uri);
    if (!external.ok()) return external.status();
    if (answers == nullptr) {
      return absl::InvalidArgumentError(
          "answers: null; a listen_address needs an AnswerEncoder");
    }
  }
  auto impl = std::make_unique<Impl>(std::move(options), signer, answers,
                                     std::move(origin), std::move(target),
                                     std::move(server_name));
  absl::Status init = impl->Init();
  if (!init.ok()) return init;
  return std::unique_ptr<HttpsLinkTransport>(
      new HttpsLinkTransport(std::move(impl)));
}

HttpsLinkTransport::HttpsLinkTransport(std::unique_ptr<Impl> impl)
    : impl_(std::move(impl)) {}

HttpsLinkTransport::~HttpsLinkTransport() { impl_->Stop(); }

void HttpsLinkTransport::Send(const PartnerMessage& message, SendDone done) {
  impl_->Send(message, std::move(done));
}

absl::Status HttpsLinkTransport::StartReceiving(InboundReceiver* receiver) {
  return impl_->StartReceiving(receiver);
}

void HttpsLinkTransport::Stop() { impl_->Stop(); }

int HttpsLinkTransport::bound_port() const { return impl_->bound_port(); }

}  // namespace gw::adapters
