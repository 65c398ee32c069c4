// tests/unit/adapters/transport/grpc_peer_test.cc
//
// GrpcPeerTransport against a real in-process PartnerExchange server on
// 127.0.0.1 over mutual TLS with the dev PKI: the server is the MM-MPF
// gateway (MM-MPF/gateway.crt, demanding a client certificate from the
// CN-MPS CA), the transport is the CN-MPS gateway (CN-MPS/gateway.crt,
// trusting only the MM-MPF CA). What the peer sees, what comes back, and
// the failures the dispatcher must tell apart.
#include "adapters/transport/grpc_peer.h"

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <fstream>
#include <functional>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"
#include "gw/v1/receipt.grpc.pb.h"
#include "tests/support/dev_pki.h"

namespace gw::adapters {
namespace {

constexpr char kMessageId[] = "7a630138-e7dc-5b5f-b065-0cfd0ac15e7c";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << path;
  std::stringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string PkiFile(const std::string& name) {
  return ReadFile(absl::StrCat(gw::testing::DevPki::Get().dir(), "/", name));
}

// What the test peer saw of one call.
struct SeenCall {
  std::string message_id;  // gw-message-id metadata
  std::string envelope_bytes;
  std::string peer_transport;  // transport_security_type
  bool had_client_certificate = false;
};

// The peer gateway's PartnerExchange: records each call and answers with
// `handler`.
class TestPeer final : public gw::v1::PartnerExchange::Service {
 public:
  using Handler = std::function<grpc::Status(
      grpc::ServerContext*, const gw::v1::Envelope&, gw::v1::Receipt*)>;

  void set_handler(Handler handler) {
    absl::MutexLock lock(&mu_);
    handler_ = std::move(handler);
  }
  std::vector<SeenCall> seen() {
    absl::MutexLock lock(&mu_);
    return seen_;
  }

  grpc::Status Deliver(grpc::ServerContext* context,
                       const gw::v1::Envelope* request,
                       gw::v1::Receipt* response) override {
    SeenCall call;
    auto it = context->client_metadata().find("gw-message-id");
    if (it != context->client_metadata().end()) {
      call.message_id = std::string(it->second.data(), it->second.size());
    }
    call.envelope_bytes = request->SerializeAsString();
    auto auth = context->auth_context();
    for (const auto& value :
         auth->FindPropertyValues("transport_security_type")) {
      call.peer_transport = std::string(value.data(), value.size());
    }
    call.had_client_certificate =
        !auth->FindPropertyValues("x509_pem_cert").empty();
    Handler handler;
    {
      absl::MutexLock lock(&mu_);
      seen_.push_back(call);
      handler = handler_;
    }
    if (!handler) return grpc::Status::OK;
    return handler(context, *request, response);
  }

 private:
  absl::Mutex mu_;
  Handler handler_ ABSL_GUARDED_BY(mu_);
  std::vector<SeenCall> seen_ ABSL_GUARDED_BY(mu_);
};

// Blocks until the client gave up on the call (deadline or cancel), at most
// 30 s, so a broken transport fails the test instead of hanging it.
void WaitUntilCancelled(grpc::ServerContext* context) {
  const absl::Time limit = absl::Now() + absl::Seconds(30);
  while (!context->IsCancelled() && absl::Now() < limit) {
    absl::SleepFor(absl::Milliseconds(10));
  }
}

// The answer of one Send, shared with the callback so that a late callback
// never writes to a dead stack frame.
struct Pending {
  absl::Notification done;
  PartnerAnswer answer;
  std::atomic<int> calls{0};
};

std::shared_ptr<Pending> StartSend(Transport& transport,
                                   const PartnerMessage& message) {
  auto pending = std::make_shared<Pending>();
  transport.Send(message, [pending](PartnerAnswer answer) {
    pending->answer = std::move(answer);
    if (pending->calls.fetch_add(1) == 0) pending->done.Notify();
  });
  return pending;
}

PartnerAnswer Await(const std::shared_ptr<Pending>& pending) {
  EXPECT_TRUE(pending->done.WaitForNotificationWithTimeout(absl::Seconds(60)))
      << "no answer";
  EXPECT_EQ(pending->calls.load(), 1);
  return pending->answer;
}

PartnerMessage Message(const std::string& id = kMessageId) {
  gw::v1::Envelope envelope;
  envelope.set_payload_type("application/vnd.gw.v1.CaseAlert+proto");
  envelope.set_payload("payload bytes");
  envelope.add_signatures()->set_keyid("author");
  envelope.add_signatures()->set_keyid("gateway");
  PartnerMessage message;
  message.message_id = id;
  message.content_type = "application/vnd.gw.v1.Envelope+proto";
  message.bytes = envelope.SerializeAsString();
  message.metadata.emplace_back("gw-message-id", id);
  return message;
}

const std::string* FindMetadata(const PartnerAnswer& answer,
                                const std::string& key) {
  for (const auto& [k, v] : answer.metadata) {
    if (k == key) return &v;
  }
  return nullptr;
}

class GrpcPeerTest : public ::testing::Test {
 protected:
  void SetUp() override { StartServer("MM-MPF"); }

  void TearDown() override { StopServer(); }

  // Serves as `agency`'s gateway, trusting client certificates of CN-MPS.
  void StartServer(const std::string& agency) {
    grpc::SslServerCredentialsOptions ssl(
        GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
    ssl.pem_root_certs = PkiFile("CN-MPS/ca.crt");
    ssl.pem_key_cert_pairs.push_back(
        {PkiFile(agency + "/gateway.key"), PkiFile(agency + "/gateway.crt")});
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::SslServerCredentials(ssl),
                             &port_);
    builder.RegisterService(&peer_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    ASSERT_GT(port_, 0);
  }

  void StopServer() {
    if (server_ == nullptr) return;
    server_->Shutdown(std::chrono::system_clock::now() +
                      std::chrono::seconds(1));
    server_->Wait();
    server_.reset();
  }

  GrpcPeerOptions Options() {
    GrpcPeerOptions options;
    options.target = absl::StrCat("127.0.0.1:", port_);
    options.root_certs_pem = PkiFile("MM-MPF/ca.crt");
    options.private_key_pem = PkiFile("CN-MPS/gateway.key");
    options.cert_chain_pem = PkiFile("CN-MPS/gateway.crt");
    return options;
  }

  std::unique_ptr<GrpcPeerTransport> Transport(GrpcPeerOptions options) {
    auto transport = GrpcPeerTransport::Create(std::move(options));
    EXPECT_TRUE(transport.ok()) << transport.status();
    return transport.ok() ? *std::move(transport) : nullptr;
  }
  std::unique_ptr<GrpcPeerTransport> Transport() {
    return Transport(Options());
  }

  TestPeer peer_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

TEST_F(GrpcPeerTest,
       DeliverCarriesTheEnvelopeAndMessageIdAndReturnsTheReceipt) {
  peer_.set_handler([](grpc::ServerContext* context,
                       const gw::v1::Envelope& envelope,
                       gw::v1::Receipt* receipt) {
    receipt->set_message_id(std::string(
        context->client_metadata().find("gw-message-id")->second.data(),
        context->client_metadata().find("gw-message-id")->second.size()));
    receipt->set_recipient("MM-MPF");
    receipt->set_status(gw::v1::Receipt::ACCEPTED);
    receipt->set_payload_sha256(envelope.payload());
    return grpc::Status::OK;
  });
  auto transport = Transport();
  ASSERT_NE(transport, nullptr);
  const PartnerMessage message = Message();
  const PartnerAnswer answer = Await(StartSend(*transport, message));
  ASSERT_TRUE(answer.status.ok()) << answer.status;
  gw::v1::Receipt receipt;
  ASSERT_TRUE(receipt.ParseFromString(answer.bytes));
  EXPECT_EQ(receipt.message_id(), kMessageId);
  EXPECT_EQ(receipt.recipient(), "MM-MPF");
  EXPECT_EQ(receipt.payload_sha256(), "payload bytes");
  EXPECT_EQ(FindMetadata(answer, "grpc-status-details-bin"), nullptr);

  const std::vector<SeenCall> seen = peer_.seen();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].message_id, kMessageId);
  EXPECT_EQ(seen[0].envelope_bytes, message.bytes);
  EXPECT_EQ(seen[0].peer_transport, "ssl");
  EXPECT_TRUE(seen[0].had_client_certificate);
}

TEST_F(GrpcPeerTest, RefusalComesBackWithItsStatusDetails) {
  google::rpc::Status details;
  details.set_code(3);
  details.set_message("payload does not parse as gw.v1.CaseStatus");
  google::rpc::ErrorInfo info;
  info.set_reason("PAYLOAD_UNPARSEABLE");
  info.set_domain("gw.v1.PartnerExchange");
  details.add_details()->PackFrom(info);
  const std::string details_bytes = details.SerializeAsString();
  peer_.set_handler([&](grpc::ServerContext* context, const gw::v1::Envelope&,
                        gw::v1::Receipt*) {
    context->AddTrailingMetadata("gw-test-trailer", "kept");
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, details.message(),
                        details_bytes);
  });
  auto transport = Transport();
  ASSERT_NE(transport, nullptr);
  const PartnerAnswer answer = Await(StartSend(*transport, Message()));
  EXPECT_EQ(answer.status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(answer.status.message(),
            "payload does not parse as gw.v1.CaseStatus");
  EXPECT_TRUE(answer.bytes.empty());
  const std::string* got = FindMetadata(answer, "grpc-status-details-bin");
  ASSERT_NE(got, nullptr);
  EXPECT_EQ(*got, details_bytes);
  const std::string* trailer = FindMetadata(answer, "gw-test-trailer");
  ASSERT_NE(trailer, nullptr);
  EXPECT_EQ(*trailer, "kept");
}

TEST_F(GrpcPeerTest, RefusalWithoutDetailsHasNoDetailsMetadata) {
  peer_.set_handler(
      [](grpc::ServerContext*, const gw::v1::Envelope&, gw::v1::Receipt*) {
        return grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, "busy");
      });
  auto transport = Transport();
  ASSERT_NE(transport, nullptr);
  const PartnerAnswer answer = Await(StartSend(*transport, Message()));
  EXPECT_EQ(answer.status.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(answer.status.message(), "busy");
  EXPECT_EQ(FindMetadata(answer, "grpc-status-details-bin"), nullptr);
}

TEST_F(GrpcPeerTest, PeerThatIsDownIsUnavailable) {
  const GrpcPeerOptions options = Options();  // the port that was served
  StopServer();
  auto transport = Transport(options);
  ASSERT_NE(transport, nullptr);
  const PartnerAnswer answer = Await(StartSend(*transport, Message()));
  EXPECT_EQ(answer.status.code(), absl::StatusCode::kUnavailable)
      << answer.status;
}

TEST_F(GrpcPeerTest, PeerWithACertificateOfAnotherAgencyIsUnavailable) {
  // Only the MM-MPF CA is trusted: a TH-RTP gateway in its place fails the
  // handshake, a transport failure (MM-MPF.md §8).
  StopServer();
  StartServer("TH-RTP");
  auto transport = Transport();
  ASSERT_NE(transport, nullptr);
  const PartnerAnswer answer = Await(StartSend(*transport, Message()));
  EXPECT_EQ(answer.status.code(), absl::StatusCode::kUnavailable)
      << answer.status;
  EXPECT_TRUE(peer_.seen().empty());
}

TEST_F(GrpcPeerTest, TlsServerNameOverrideIsChecked) {
  GrpcPeerOptions options = Options();
  options.tls_server_name = "localhost";  // in the certificate
  auto transport = Transport(options);
  ASSERT_NE(transport, nullptr);
  EXPECT_TRUE(Await(StartSend(*transport, Message())).status.ok());

  options = Options();
  options.tls_server_name = "mpf-gateway.example";  // not in it
  transport = Transport(options);
  ASSERT_NE(transport, nullptr);
  EXPECT_EQ(Await(StartSend(*transport, Message())).status.code(),
            absl::StatusCode::kUnavailable);
}

TEST_F(GrpcPeerTest, NoAnswerInTimeIsDeadlineExceeded) {
  peer_.set_handler([](grpc::ServerContext* context, const gw::v1::Envelope&,
                       gw::v1::Receipt*) {
    WaitUntilCancelled(context);
    return grpc::Status(grpc::StatusCode::INTERNAL, "too late");
  });
  GrpcPeerOptions options = Options();
  options.deadline = absl::Seconds(1);
  auto transport = Transport(options);
  ASSERT_NE(transport, nullptr);
  const PartnerAnswer answer = Await(StartSend(*transport, Message()));
  EXPECT_EQ(answer.status.code(), absl::StatusCode::kDeadlineExceeded)
      << answer.status;
}

TEST_F(GrpcPeerTest, AfterStopSendsAnswerUnavailableAtOnce) {
  auto transport = Transport();
  ASSERT_NE(transport, nullptr);
  transport->Stop();
  transport->Stop();  // idempotent
  auto pending = StartSend(*transport, Message());
  // Answered before Send returned: nothing was sent.
  ASSERT_TRUE(pending->done.HasBeenNotified());
  EXPECT_EQ(pending->answer.status.code(), absl::StatusCode::kUnavailable);
  EXPECT_TRUE(peer_.seen().empty());
  EXPECT_TRUE(transport->StartReceiving(nullptr).ok());
}

TEST_F(GrpcPeerTest, StopAnswersCallsInFlightUnavailable) {
  absl::Notification arrived;
  peer_.set_handler([&arrived](grpc::ServerContext* context,
                               const gw::v1::Envelope&, gw::v1::Receipt*) {
    arrived.Notify();
    WaitUntilCancelled(context);
    return grpc::Status::OK;
  });
  auto transport = Transport();
  ASSERT_NE(transport, nullptr);
  auto pending = StartSend(*transport, Message());
  ASSERT_TRUE(arrived.WaitForNotificationWithTimeout(absl::Seconds(30)));
  transport->Stop();
  const PartnerAnswer answer = Await(pending);
  EXPECT_EQ(answer.status.code(), absl::StatusCode::kUnavailable)
      << answer.status;
}

TEST_F(GrpcPeerTest, DestructionWaitsForEveryAnswer) {
  absl::Notification arrived;
  peer_.set_handler([&arrived](grpc::ServerContext* context,
                               const gw::v1::Envelope&, gw::v1::Receipt*) {
    arrived.Notify();
    WaitUntilCancelled(context);
    return grpc::Status::OK;
  });
  auto transport = Transport();
  ASSERT_NE(transport, nullptr);
  auto pending = StartSend(*transport, Message());
  ASSERT_TRUE(arrived.WaitForNotificationWithTimeout(absl::Seconds(30)));
  transport.reset();
  // The callback has run by the time the destructor returned.
  EXPECT_TRUE(pending->done.HasBeenNotified());
  EXPECT_EQ(pending->calls.load(), 1);
  EXPECT_EQ(pending->answer.status.code(), absl::StatusCode::kUnavailable);
}

TEST_F(GrpcPeerTest, ConcurrentSendsEachGetTheirOwnAnswer) {
  peer_.set_handler([](grpc::ServerContext* context, const gw::v1::Envelope&,
                       gw::v1::Receipt* receipt) {
    const auto it = context->client_metadata().find("gw-message-id");
    receipt->set_message_id(std::string(it->second.data(), it->second.size()));
    return grpc::Status::OK;
  });
  auto transport = Transport();
  ASSERT_NE(transport, nullptr);
  std::vector<std::string> ids;
  std::vector<std::shared_ptr<Pending>> pendings;
  for (int i = 0; i < 16; ++i) {
    ids.push_back(absl::StrCat("7a630138-e7dc-5b5f-b065-0cfd0ac15e", 10 + i));
    pendings.push_back(StartSend(*transport, Message(ids.back())));
  }
  for (int i = 0; i < 16; ++i) {
    const PartnerAnswer answer = Await(pendings[i]);
    ASSERT_TRUE(answer.status.ok()) << answer.status;
    gw::v1::Receipt receipt;
    ASSERT_TRUE(receipt.ParseFromString(answer.bytes));
    EXPECT_EQ(receipt.message_id(), ids[i]);
  }
}

TEST_F(GrpcPeerTest, BytesThatAreNotAnEnvelopeAnswerInternal) {
  auto transport = Transport();
  ASSERT_NE(transport, nullptr);
  PartnerMessage message = Message();
  message.bytes = std::string("\x1a\xff\xff", 3);
  auto pending = StartSend(*transport, message);
  ASSERT_TRUE(pending->done.HasBeenNotified());
  EXPECT_EQ(pending->answer.status.code(), absl::StatusCode::kInternal);
  EXPECT_TRUE(peer_.seen().empty());
}

TEST_F(GrpcPeerTest, InvalidMetadataAnswersInternal) {
  auto transport = Transport();
  ASSERT_NE(transport, nullptr);
  for (const auto& [key, value] :
       std::vector<std::pair<std::string, std::string>>{
           {"Gw-Message-Id", kMessageId},
           {"grpc-timeout", "1S"},
           {"gw-message-id", "line\nbreak"}}) {
    PartnerMessage message = Message();
    message.metadata = {{key, value}};
    auto pending = StartSend(*transport, message);
    ASSERT_TRUE(pending->done.HasBeenNotified()) << key;
    EXPECT_EQ(pending->answer.status.code(), absl::StatusCode::kInternal);
  }
  EXPECT_TRUE(peer_.seen().empty());
}

TEST(GrpcPeerCreateTest, RefusesIncompleteOptions) {
  GrpcPeerOptions options;
  options.target = "127.0.0.1:1";
  options.root_certs_pem = PkiFile("MM-MPF/ca.crt");
  options.private_key_pem = PkiFile("CN-MPS/gateway.key");
  options.cert_chain_pem = PkiFile("CN-MPS/gateway.crt");
  EXPECT_TRUE(GrpcPeerTransport::Create(options).ok());
  GrpcPeerOptions bad = options;
  bad.target.clear();
  EXPECT_EQ(GrpcPeerTransport::Create(bad).status().code(),
            absl::StatusCode::kInvalidArgument);
  bad = options;
  bad.root_certs_pem.clear();
  EXPECT_EQ(GrpcPeerTransport::Create(bad).status().code(),
            absl::StatusCode::kInvalidArgument);
  bad = options;
  bad.cert_chain_pem.clear();
  EXPECT_EQ(GrpcPeerTransport::Create(bad).status().code(),
            absl::StatusCode::kInvalidArgument);
  bad = options;
  bad.deadline = absl::ZeroDuration();
  EXPECT_EQ(GrpcPeerTransport::Create(bad).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace gw::adapters
