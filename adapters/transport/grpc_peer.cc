// adapters/transport/grpc_peer.cc
//
// See grpc_peer.h for the contract. Lifetime of one call: Send allocates a
// Call (ClientContext, request, response, done) and registers it in
// Shared::pending, owned there; Complete takes it out, answers, destroys it,
// and only then decrements Shared::outstanding, which the destructor waits
// for. Stop copies the pending calls' shared_ptrs under the lock and cancels
// them outside it, so a call completing meanwhile never frees a context that
// is being cancelled.
#include "adapters/transport/grpc_peer.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"

namespace gw::adapters {

namespace {

constexpr int kMaxMessageBytes = 16 * 1024 * 1024;  // MM-MPF.md §2, §9
constexpr int kKeepaliveTimeMs = 60 * 1000;         // MM-MPF.md §2
constexpr int kKeepaliveTimeoutMs = 20 * 1000;      // MM-MPF.md §2
constexpr char kStatusDetailsMetadata[] = "grpc-status-details-bin";

// gRPC refuses (or aborts on) keys and values outside the HTTP/2 header
// rules; checking them here turns a coding error into an answer.
absl::Status CheckMetadata(const std::string& key, const std::string& value) {
  if (key.empty() || absl::StartsWith(key, "grpc-")) {
    return absl::InternalError(
        "PartnerMessage.metadata: empty or reserved (grpc-) key");
  }
  for (char c : key) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
          c == '_' || c == '.')) {
      return absl::InternalError(absl::StrCat(
          "PartnerMessage.metadata: key is not lowercase token characters"));
    }
  }
  if (absl::EndsWith(key, "-bin")) return absl::OkStatus();
  for (char c : value) {
    if (c < 0x20 || c > 0x7e) {
      return absl::InternalError(absl::StrCat("PartnerMessage.metadata[", key,
                                              "]: not printable ASCII"));
    }
  }
  return absl::OkStatus();
}

std::string Deterministic(const google::protobuf::Message& message) {
  std::string out;
  {
    google::protobuf::io::StringOutputStream stream(&out);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    message.SerializeToCodedStream(&coded);
  }
  return out;
}

PartnerAnswer ImmediateAnswer(absl::Status status) {
  PartnerAnswer answer;
  answer.status = std::move(status);
  return answer;
}

}  // namespace

struct GrpcPeerTransport::Call {
  grpc::ClientContext context;
  gw::v1::Envelope request;
  gw::v1::Receipt response;
  SendDone done;
};

struct GrpcPeerTransport::Shared {
  absl::Mutex mu;
  bool stopped ABSL_GUARDED_BY(mu) = false;
  // Calls started and not yet answered; they own their Call.
  absl::flat_hash_map<Call*, std::shared_ptr<Call>> pending ABSL_GUARDED_BY(mu);
  // Calls whose `done` has not returned yet (pending, or being answered).
  int outstanding ABSL_GUARDED_BY(mu) = 0;
};

absl::StatusOr<std::unique_ptr<GrpcPeerTransport>> GrpcPeerTransport::Create(
    GrpcPeerOptions options) {
  if (options.target.empty()) {
    return absl::InvalidArgumentError(
        "target: empty; want the peer gateway's host:port");
  }
  if (options.root_certs_pem.empty()) {
    return absl::InvalidArgumentError(
        "root_certs_pem: empty; want the peer agency's CA certificate (PEM)");
  }
  if (options.private_key_pem.empty() || options.cert_chain_pem.empty()) {
    return absl::InvalidArgumentError(
        "private_key_pem / cert_chain_pem: empty; mutual TLS needs this "
        "gateway's TLS key and certificate (PEM)");
  }
  if (options.deadline <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("deadline: must be positive");
  }
  if (options.tls_server_name.has_value() && options.tls_server_name->empty()) {
    return absl::InvalidArgumentError("tls_server_name: empty");
  }

  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = options.root_certs_pem;
  ssl.pem_private_key = options.private_key_pem;
  ssl.pem_cert_chain = options.cert_chain_pem;

  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, kKeepaliveTimeMs);
  args.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, kKeepaliveTimeoutMs);
  // "PING after 60 s without activity" holds for an idle link too, so that
  // a dead peer is noticed before the next delivery waits on it; the peer
  // permits pings at that rate (MM-MPF.md §2).
  args.SetInt(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  args.SetInt(GRPC_ARG_HTTP2_MAX_PINGS_WITHOUT_DATA, 0);
  args.SetMaxSendMessageSize(kMaxMessageBytes);
  args.SetMaxReceiveMessageSize(kMaxMessageBytes);
  args.SetCompressionAlgorithm(GRPC_COMPRESS_NONE);
  // The link profile is fixed by the ICD; a DNS TXT service config must not
  // change it.
  args.SetInt(GRPC_ARG_SERVICE_CONFIG_DISABLE_RESOLUTION, 1);
  if (options.tls_server_name.has_value()) {
    args.SetSslTargetNameOverride(*options.tls_server_name);
  }
  std::shared_ptr<grpc::Channel> channel = grpc::CreateCustomChannel(
      options.target, grpc::SslCredentials(ssl), args);
  if (channel == nullptr) {
    return absl::InternalError("target: gRPC could not create a channel");
  }
  return std::unique_ptr<GrpcPeerTransport>(
      new GrpcPeerTransport(std::move(options), std::move(channel)));
}

GrpcPeerTransport::GrpcPeerTransport(GrpcPeerOptions options,
                                     std::shared_ptr<grpc::Channel> channel)
    : options_(std::move(options)),
      channel_(std::move(channel)),
      stub_(gw::v1::PartnerExchange::NewStub(channel_)),
      shared_(std::make_shared<Shared>()) {}

GrpcPeerTransport::~GrpcPeerTransport() {
  Stop();
  absl::MutexLock lock(&shared_->mu);
  shared_->mu.Await(absl::Condition(
      +[](Shared* shared) ABSL_EXCLUSIVE_LOCKS_REQUIRED(shared->mu) {
        return shared->outstanding == 0;
      },
      shared_.get()));
}

void GrpcPeerTransport::Send(const PartnerMessage& message, SendDone done) {
  auto call = std::make_shared<Call>();
  if (!call->request.ParseFromString(message.bytes)) {
    done(ImmediateAnswer(absl::InternalError(
        "PartnerMessage.bytes: does not parse as gw.v1.Envelope")));
    return;
  }
  for (const auto& [key, value] : message.metadata) {
    absl::Status valid = CheckMetadata(key, value);
    if (!valid.ok()) {
      done(ImmediateAnswer(std::move(valid)));
      return;
    }
    call->context.AddMetadata(key, value);
  }
  call->context.set_deadline(
      absl::ToChronoTime(absl::Now() + options_.deadline));
  call->context.set_compression_algorithm(GRPC_COMPRESS_NONE);
  call->done = std::move(done);

  Call* raw = call.get();
  {
    absl::MutexLock lock(&shared_->mu);
    if (!shared_->stopped) {
      shared_->pending.emplace(raw, std::move(call));
      ++shared_->outstanding;
    }
  }
  if (call != nullptr) {  // not moved: stopped
    call->done(ImmediateAnswer(
        absl::UnavailableError("transport stopped: the link is shut down")));
    return;
  }
  // From here on `raw` is owned by shared_->pending; a Stop() that ran since
  // the lock was released has marked its context cancelled, and gRPC
  // cancels the call as soon as it starts.
  stub_->async()->Deliver(&raw->context, &raw->request, &raw->response,
                          [shared = shared_, raw](grpc::Status status) {
                            Complete(shared, raw, status);
                          });
}

void GrpcPeerTransport::Complete(const std::shared_ptr<Shared>& shared,
                                 Call* raw, const grpc::Status& status) {
  std::shared_ptr<Call> call;
  bool stopped = false;
  {
    absl::MutexLock lock(&shared->mu);
    auto it = shared->pending.find(raw);
    if (it != shared->pending.end()) {
      call = std::move(it->second);
      shared->pending.erase(it);
    }
    stopped = shared->stopped;
  }
  if (call != nullptr) {
    PartnerAnswer answer;
    if (status.ok()) {
      answer.bytes = Deterministic(call->response);
    } else if (stopped && status.error_code() == grpc::StatusCode::CANCELLED) {
      answer.status = absl::UnavailableError(
          "transport stopped: the call was cancelled before an answer");
    } else {
      answer.status =
          absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                       status.error_message());
    }
    for (const auto& [key, value] : call->context.GetServerTrailingMetadata()) {
      std::string k(key.data(), key.size());
      if (absl::StartsWith(k, "grpc-")) continue;
      answer.metadata.emplace_back(std::move(k),
                                   std::string(value.data(), value.size()));
    }
    if (!status.error_details().empty()) {
      answer.metadata.emplace_back(kStatusDetailsMetadata,
                                   status.error_details());
    }
    SendDone done = std::move(call->done);
    done(std::move(answer));
    // The context goes before the destructor may return (unless Stop still
    // holds a copy for cancelling; then Stop frees it).
    call.reset();
  }
  absl::MutexLock lock(&shared->mu);
  --shared->outstanding;
}

absl::Status GrpcPeerTransport::StartReceiving(InboundReceiver* /*receiver*/) {
  // The peer calls this gateway's own PartnerExchange service.
  return absl::OkStatus();
}

void GrpcPeerTransport::Stop() {
  std::vector<std::shared_ptr<Call>> to_cancel;
  {
    absl::MutexLock lock(&shared_->mu);
    shared_->stopped = true;
    to_cancel.reserve(shared_->pending.size());
    for (const auto& [raw, call] : shared_->pending) to_cancel.push_back(call);
  }
  // Outside the lock: cancelling may complete the call on this thread.
  for (const std::shared_ptr<Call>& call : to_cancel) call->context.TryCancel();
}

}  // namespace gw::adapters
