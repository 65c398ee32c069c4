// tests/unit/adapters/mm_mpf/mm_mpf_codec_test.cc
//
// The MM-MPF codec against real artefacts: envelopes signed with the dev
// PKI's keys, and peer receipts made the way a gateway makes them (a
// one-leaf audit tree whose leaf is a deterministic gw.v1.AuditEntry, a
// checkpoint note signed by the MM-MPF gateway key, the receipt signed by
// the same key). Every verdict of MM-MPF.md §7/§8 and README §2.3 is
// checked, then inbound decoding of the examples in
// shared/partners/examples/MM-MPF/.
#include "adapters/mm_mpf/mm_mpf_codec.h"

#include <fstream>
#include <functional>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gateway/audit/checkpoint_signer.h"
#include "gateway/audit/hasher.h"
#include "gateway/audit/log_origin.h"
#include "gateway/audit/receipt.h"
#include "gateway/crypto/dsse.h"
#include "gateway/crypto/sha256.h"
#include "gateway/crypto/signer.h"
#include "gateway/crypto/verifier.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "gw/v1/alert.pb.h"
#include "gw/v1/audit.pb.h"
#include "gw/v1/case.pb.h"
#include "gw/v1/repatriation.pb.h"
#include "nlohmann/json.hpp"
#include "tests/support/dev_pki.h"

namespace gw::mm_mpf {
namespace {

using adapters::DeliveryOutcome;
using adapters::InboundMessage;
using adapters::OutboundMessage;
using adapters::PartnerAnswer;
using adapters::PartnerMessage;
using google::protobuf::util::MessageDifferencer;
using Kind = DeliveryOutcome::Kind;

constexpr char kMessageId[] = "7a630138-e7dc-5b5f-b065-0cfd0ac15e7c";
constexpr char kAlertType[] = "application/vnd.gw.v1.CaseAlert+proto";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << path;
  std::stringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string ExamplePath(const std::string& name) {
  return absl::StrCat(GW_PARTNER_EXAMPLES_DIR, "/MM-MPF/", name);
}

// payload_decoded of an example file, parsed into `message` (proto3 JSON).
void LoadExamplePayload(const std::string& name,
                        google::protobuf::Message* message) {
  const nlohmann::json example =
      nlohmann::json::parse(ReadFile(ExamplePath(name)));
  const auto status = google::protobuf::util::JsonStringToMessage(
      example.at("payload_decoded").dump(), message);
  ASSERT_TRUE(status.ok()) << name << ": " << status;
}

std::string ExampleMessageId(const std::string& name) {
  const nlohmann::json example =
      nlohmann::json::parse(ReadFile(ExamplePath(name)));
  return example.at("grpc").at("metadata").at("gw-message-id");
}

std::unique_ptr<crypto::Signer> LoadSigner(const std::string& base) {
  auto signer = crypto::Signer::FromPemFiles(base + ".key", base + ".crt");
  EXPECT_TRUE(signer.ok()) << signer.status();
  return signer.ok() ? *std::move(signer) : nullptr;
}

std::string SerializeDeterministic(const google::protobuf::Message& message) {
  std::string out;
  {
    google::protobuf::io::StringOutputStream stream(&out);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    message.SerializeToCodedStream(&coded);
  }
  return out;
}

class MmMpfCodecTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto& pki = gw::testing::DevPki::Get();
    peer_signing_ = LoadSigner(pki.dir() + "/MM-MPF/signing");
    own_signing_ = LoadSigner(pki.dir() + "/CN-MPS/signing");
    author_ = LoadSigner(pki.dir() + "/CN-MPS/investigator/investigator1");
    peer_author_ = LoadSigner(pki.dir() + "/MM-MPF/investigator/investigator1");
    ASSERT_NE(peer_signing_, nullptr);
    ASSERT_NE(own_signing_, nullptr);
    ASSERT_NE(author_, nullptr);
    ASSERT_NE(peer_author_, nullptr);
    auto verifier =
        crypto::Verifier::FromCertificateDer(peer_signing_->cert_der());
    ASSERT_TRUE(verifier.ok()) << verifier.status();
    peer_key_ = *std::move(verifier);
    codec_ = std::make_unique<MmMpfCodec>(
        "MM-MPF", std::vector<const crypto::Verifier*>{peer_key_.get()});
  }

  // An outbound CaseAlert delivery to MM-MPF, signed by a CN-MPS author and
  // the CN-MPS gateway.
  OutboundMessage Outbound(const gw::v1::CaseAlert& alert) {
    OutboundMessage message;
    message.message_id = kMessageId;
    message.recipient = "MM-MPF";
    message.envelope.set_payload_type(kAlertType);
    message.envelope.set_payload(SerializeDeterministic(alert));
    EXPECT_TRUE(crypto::SignEnvelope(*author_, &message.envelope).ok());
    EXPECT_TRUE(crypto::SignEnvelope(*own_signing_, &message.envelope).ok());
    message.payload_sha256 = crypto::Sha256Hex(message.envelope.payload());
    message.alert_id = alert.alert_id();
    message.case_ref = alert.case_ref();
    return message;
  }

  OutboundMessage Outbound() {
    gw::v1::CaseAlert alert;
    LoadExamplePayload("alert-outbound.json", &alert);
    return Outbound(alert);
  }

  PartnerMessage Encoded(const OutboundMessage& message) {
    auto encoded = codec_->Encode(message);
    EXPECT_TRUE(encoded.ok()) << encoded.status();
    return encoded.ok() ? *std::move(encoded) : PartnerMessage();
  }

  // The receipt a gateway signed with `signer` (agency `agency`) issues for
  // a message: leaf 0 of a one-leaf log.
  gw::v1::Receipt MakeReceipt(
      const std::string& message_id, const std::string& payload_sha256,
      const crypto::Signer& signer, const std::string& agency = "MM-MPF",
      gw::v1::Receipt::Status status = gw::v1::Receipt::ACCEPTED) {
    gw::v1::AuditEntry entry;
    entry.mutable_time()->set_seconds(1773455403);
    entry.set_actor_agency("CN-MPS");
    entry.set_actor_role("gateway");
    entry.set_actor_user("gateway");
    entry.set_action("PartnerExchange.Deliver");
    entry.add_object_ids(absl::StrCat("message:", message_id));
    entry.set_payload_sha256(payload_sha256);
    entry.set_decision("ALLOW");
    entry.set_outcome("OK");
    entry.set_policy_version("policy-v1");
    const std::string leaf_data = SerializeDeterministic(entry);
    const std::string root = audit::HashLeaf(leaf_data);

    gw::v1::Receipt receipt;
    receipt.set_message_id(message_id);
    receipt.set_payload_sha256(payload_sha256);
    receipt.set_recipient(agency);
    receipt.set_status(status);
    receipt.mutable_received_at()->set_seconds(1773455403);
    receipt.set_leaf_index(0);
    receipt.set_leaf_data(leaf_data);
    receipt.mutable_inclusion_proof()->set_leaf_index(0);
    receipt.mutable_inclusion_proof()->set_tree_size(1);
    const std::string origin = audit::AuditLogOrigin(agency);
    auto checkpoints = audit::CheckpointSigner::Create(origin, origin, &signer);
    EXPECT_TRUE(checkpoints.ok()) << checkpoints.status();
    if (!checkpoints.ok()) return receipt;
    auto note = (*checkpoints)->Sign(1, root);
    EXPECT_TRUE(note.ok()) << note.status();
    gw::v1::Checkpoint* checkpoint = receipt.mutable_checkpoint();
    checkpoint->set_tree_size(1);
    checkpoint->set_root_hash(root);
    checkpoint->set_note(note.ok() ? *note : "");
    checkpoint->mutable_time()->set_seconds(1773455403);
    EXPECT_TRUE(audit::SignReceipt(signer, &receipt).ok());
    return receipt;
  }

  gw::v1::Receipt GoodReceipt(const OutboundMessage& message) {
    return MakeReceipt(message.message_id,
                       crypto::Sha256Hex(message.envelope.payload()),
                       *peer_signing_);
  }

  static PartnerAnswer OkAnswer(const gw::v1::Receipt& receipt) {
    PartnerAnswer answer;
    answer.bytes = receipt.SerializeAsString();
    return answer;
  }

  // A refusal as the gRPC transport reports it: the status and, if given,
  // the google.rpc.Status in grpc-status-details-bin.
  static PartnerAnswer Refusal(absl::StatusCode code,
                               const std::string& message,
                               const std::string& reason = "",
                               const std::string& field = "") {
    PartnerAnswer answer;
    answer.status = absl::Status(code, message);
    if (reason.empty() && field.empty()) return answer;
    google::rpc::Status details;
    details.set_code(static_cast<int>(code));
    details.set_message(message);
    if (!field.empty()) {
      google::rpc::BadRequest bad_request;
      auto* violation = bad_request.add_field_violations();
      violation->set_field(field);
      violation->set_description("broken");
      details.add_details()->PackFrom(bad_request);
    }
    if (!reason.empty()) {
      google::rpc::ErrorInfo info;
      info.set_reason(reason);
      info.set_domain(kErrorDomain);
      (*info.mutable_metadata())["message_id"] = kMessageId;
      details.add_details()->PackFrom(info);
    }
    answer.metadata.emplace_back(kStatusDetailsMetadata,
                                 details.SerializeAsString());
    return answer;
  }

  DeliveryOutcome Read(const OutboundMessage& message,
                       const PartnerAnswer& answer) {
    return codec_->ReadAnswer(message, Encoded(message), answer);
  }

  std::unique_ptr<crypto::Signer> peer_signing_;
  std::unique_ptr<crypto::Signer> own_signing_;
  std::unique_ptr<crypto::Signer> author_;
  std::unique_ptr<crypto::Signer> peer_author_;
  std::unique_ptr<crypto::Verifier> peer_key_;
  std::unique_ptr<MmMpfCodec> codec_;
};

// --- Encode -----------------------------------------------------------------

TEST_F(MmMpfCodecTest, EncodeSendsTheEnvelopeWithTheMessageId) {
  const OutboundMessage message = Outbound();
  const PartnerMessage first = Encoded(message);
  const PartnerMessage second = Encoded(message);
  EXPECT_EQ(first.bytes, second.bytes);
  EXPECT_EQ(first.message_id, kMessageId);
  EXPECT_EQ(first.content_type, "application/vnd.gw.v1.Envelope+proto");
  ASSERT_EQ(first.metadata.size(), 1u);
  EXPECT_EQ(first.metadata[0].first, "gw-message-id");
  EXPECT_EQ(first.metadata[0].second, kMessageId);

  gw::v1::Envelope sent;
  ASSERT_TRUE(sent.ParseFromString(first.bytes));
  EXPECT_TRUE(MessageDifferencer::Equals(sent, message.envelope));
  // The signatures still cover the bytes that go out.
  auto author = crypto::Verifier::FromCertificateDer(author_->cert_der());
  ASSERT_TRUE(author.ok());
  EXPECT_TRUE(crypto::VerifyEnvelopeSignature(sent, 0, **author).ok());
}

TEST_F(MmMpfCodecTest, EncodeRefusesWhatTheLinkCannotCarry) {
  struct Case {
    std::string name;
    std::function<void(OutboundMessage*)> change;
    std::string field;
  };
  const std::vector<Case> cases = {
      {"uppercase id",
       [](OutboundMessage* m) {
         m->message_id = "7A630138-E7DC-5B5F-B065-0CFD0AC15E7C";
       },
       "message_id:"},
      {"id without hyphens",
       [](OutboundMessage* m) {
         m->message_id = "7a630138e7dc5b5fb0650cfd0ac15e7c";
       },
       "message_id:"},
      {"empty id", [](OutboundMessage* m) { m->message_id.clear(); },
       "message_id:"},
      {"author signature only",
       [](OutboundMessage* m) {
         m->envelope.mutable_signatures()->RemoveLast();
       },
       "envelope.signatures:"},
      {"three signatures",
       [](OutboundMessage* m) {
         *m->envelope.add_signatures() = m->envelope.signatures(0);
       },
       "envelope.signatures:"},
      {"receipt payload type",
       [](OutboundMessage* m) {
         m->envelope.set_payload_type("application/vnd.gw.v1.Receipt+proto");
       },
       "envelope.payload_type:"},
      {"json payload type",
       [](OutboundMessage* m) {
         m->envelope.set_payload_type("application/json");
       },
       "envelope.payload_type:"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    OutboundMessage message = Outbound();
    c.change(&message);
    auto encoded = codec_->Encode(message);
    EXPECT_EQ(encoded.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_TRUE(absl::StartsWith(encoded.status().message(), c.field))
        << encoded.status();
  }
}

TEST_F(MmMpfCodecTest, EncodeAcceptsEveryPayloadTypeOfTheCatalogue) {
  for (const char* type : {"application/vnd.gw.v1.CaseAlert+proto",
                           "application/vnd.gw.v1.RepatriationRequest+proto",
                           "application/vnd.gw.v1.RepatriationRecord+proto",
                           "application/vnd.gw.v1.CaseStatus+proto"}) {
    OutboundMessage message = Outbound();
    message.envelope.set_payload_type(type);
    EXPECT_TRUE(codec_->Encode(message).ok()) << type;
  }
}

// --- ReadAnswer: receipts ---------------------------------------------------

TEST_F(MmMpfCodecTest, VerifiedReceiptIsDelivered) {
  const OutboundMessage message = Outbound();
  const gw::v1::Receipt receipt = GoodReceipt(message);
  const PartnerAnswer answer = OkAnswer(receipt);
  const DeliveryOutcome outcome = Read(message, answer);
  ASSERT_EQ(outcome.kind, Kind::kDelivered) << outcome.reason;
  ASSERT_TRUE(outcome.receipt.has_value());
  EXPECT_TRUE(MessageDifferencer::Equals(*outcome.receipt, receipt));
  EXPECT_EQ(outcome.evidence, answer.bytes);
  // The proof of delivery verifies on its own, later.
  EXPECT_TRUE(audit::VerifyReceipt(*outcome.receipt, *peer_key_).ok());
}

TEST_F(MmMpfCodecTest, ReceiptVerifiedWithTheKeyItNames) {
  // Key rotation: both keys are registered; the receipt names the new one.
  auto old_key = crypto::Verifier::FromCertificateDer(own_signing_->cert_der());
  ASSERT_TRUE(old_key.ok());
  MmMpfCodec codec("MM-MPF", {old_key->get(), peer_key_.get()});
  const OutboundMessage message = Outbound();
  const DeliveryOutcome outcome = codec.ReadAnswer(
      message, Encoded(message), OkAnswer(GoodReceipt(message)));
  EXPECT_EQ(outcome.kind, Kind::kDelivered) << outcome.reason;
}

TEST_F(MmMpfCodecTest, ReceiptForOtherBytesIsAckDigestMismatch) {
  const OutboundMessage message = Outbound();
  const gw::v1::Receipt receipt = MakeReceipt(
      message.message_id, crypto::Sha256Hex("other bytes"), *peer_signing_);
  const PartnerAnswer answer = OkAnswer(receipt);
  const DeliveryOutcome outcome = Read(message, answer);
  EXPECT_EQ(outcome.kind, Kind::kPermanentFailure);
  EXPECT_TRUE(absl::StartsWith(outcome.reason, "ACK_DIGEST_MISMATCH "))
      << outcome.reason;
  EXPECT_EQ(outcome.evidence, answer.bytes);
  EXPECT_FALSE(outcome.receipt.has_value());
}

TEST_F(MmMpfCodecTest, ReceiptsThatAreNotForThisDeliveryAreRetried) {
  const OutboundMessage message = Outbound();
  const std::string digest = crypto::Sha256Hex(message.envelope.payload());
  struct Case {
    std::string name;
    gw::v1::Receipt receipt;
    std::string reason;
  };
  const std::vector<Case> cases = {
      {"another message id",
       MakeReceipt("0e4ab7ba-0d2c-4a55-9f0b-4a4c5d1ee001", digest,
                   *peer_signing_),
       "receipt.message_id:"},
      {"refused status",
       MakeReceipt(message.message_id, digest, *peer_signing_, "MM-MPF",
                   gw::v1::Receipt::REFUSED),
       "receipt.status:"},
      {"signed by a key not registered to the peer",
       MakeReceipt(message.message_id, digest, *own_signing_, "CN-MPS"),
       "receipt signed by an unregistered key"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const DeliveryOutcome outcome = Read(message, OkAnswer(c.receipt));
    EXPECT_EQ(outcome.kind, Kind::kTransientFailure);
    EXPECT_TRUE(absl::StartsWith(outcome.reason, c.reason)) << outcome.reason;
    EXPECT_FALSE(outcome.receipt.has_value());
  }
}

TEST_F(MmMpfCodecTest, ReceiptForAnotherRecipientIsRetried) {
  // A valid MM-MPF receipt naming MM-MPF as recipient, read by a codec that
  // sent to another agency with the same key registered: not a delivery.
  const OutboundMessage message = Outbound();
  MmMpfCodec codec("TH-RTP", {peer_key_.get()});
  const DeliveryOutcome outcome = codec.ReadAnswer(
      message, Encoded(message), OkAnswer(GoodReceipt(message)));
  EXPECT_EQ(outcome.kind, Kind::kTransientFailure);
  EXPECT_TRUE(absl::StartsWith(outcome.reason, "receipt.recipient:"))
      << outcome.reason;
}

TEST_F(MmMpfCodecTest, ReceiptThatDoesNotVerifyIsRetried) {
  const OutboundMessage message = Outbound();
  std::vector<std::pair<std::string, gw::v1::Receipt>> cases;
  gw::v1::Receipt receipt = GoodReceipt(message);
  receipt.set_leaf_index(1);  // altered after signing
  cases.emplace_back("altered field", receipt);
  receipt = GoodReceipt(message);
  receipt.mutable_signature()->set_sig(std::string(64, '\0'));
  cases.emplace_back("bad signature", receipt);
  receipt = GoodReceipt(message);
  receipt.mutable_checkpoint()->set_root_hash(std::string(32, 'x'));
  ASSERT_TRUE(audit::SignReceipt(*peer_signing_, &receipt).ok());
  cases.emplace_back("checkpoint differs from its signed note", receipt);
  receipt = GoodReceipt(message);
  receipt.set_leaf_data("not the logged entry");
  ASSERT_TRUE(audit::SignReceipt(*peer_signing_, &receipt).ok());
  cases.emplace_back("inclusion proof fails", receipt);
  for (const auto& [name, bad] : cases) {
    SCOPED_TRACE(name);
    const DeliveryOutcome outcome = Read(message, OkAnswer(bad));
    EXPECT_EQ(outcome.kind, Kind::kTransientFailure);
    EXPECT_TRUE(absl::StartsWith(outcome.reason, "receipt does not verify: "))
        << outcome.reason;
  }
}

TEST_F(MmMpfCodecTest, OkWithoutAReceiptIsRetried) {
  const OutboundMessage message = Outbound();
  for (const std::string& bytes :
       {std::string(), std::string("\xff\xff\xff")}) {
    PartnerAnswer answer;
    answer.bytes = bytes;
    const DeliveryOutcome outcome = Read(message, answer);
    EXPECT_EQ(outcome.kind, Kind::kTransientFailure);
    EXPECT_FALSE(outcome.reason.empty());
  }
}

TEST_F(MmMpfCodecTest, ReceiptFromACodecWithNoKeysIsRetried) {
  MmMpfCodec codec("MM-MPF", {});
  const OutboundMessage message = Outbound();
  const DeliveryOutcome outcome = codec.ReadAnswer(
      message, Encoded(message), OkAnswer(GoodReceipt(message)));
  EXPECT_EQ(outcome.kind, Kind::kTransientFailure);
  EXPECT_TRUE(
      absl::StartsWith(outcome.reason, "receipt signed by an unregistered key"))
      << outcome.reason;
}

// --- ReadAnswer: gRPC statuses ----------------------------------------------

TEST_F(MmMpfCodecTest, PermanentRefusalsAreDeadLettered) {
  const OutboundMessage message = Outbound();
  struct Case {
    absl::StatusCode code;
    std::string reason;
    std::string field;
    std::string want;
  };
  const std::vector<Case> cases = {
      {absl::StatusCode::kInvalidArgument, "MISSING_MESSAGE_ID",
       "gw-message-id",
       "INVALID_ARGUMENT MISSING_MESSAGE_ID gw-message-id: refused"},
      {absl::StatusCode::kInvalidArgument, "FIELD_INVALID",
       "subjects[0].person.names[0]",
       "INVALID_ARGUMENT FIELD_INVALID subjects[0].person.names[0]: refused"},
      {absl::StatusCode::kInvalidArgument, "", "", "INVALID_ARGUMENT: refused"},
      {absl::StatusCode::kAlreadyExists, "DUPLICATE_ID_CONFLICT", "",
       "ALREADY_EXISTS DUPLICATE_ID_CONFLICT: refused"},
      {absl::StatusCode::kFailedPrecondition, "WORKFLOW_STATE", "",
       "FAILED_PRECONDITION WORKFLOW_STATE: refused"},
      {absl::StatusCode::kPermissionDenied, "NOT_A_RECIPIENT", "",
       "PERMISSION_DENIED NOT_A_RECIPIENT: refused"},
      {absl::StatusCode::kNotFound, "UNKNOWN_REFERENCE", "case_ref",
       "NOT_FOUND UNKNOWN_REFERENCE case_ref: refused"},
      {absl::StatusCode::kUnauthenticated, "SIGNATURE_INVALID", "signatures[1]",
       "UNAUTHENTICATED SIGNATURE_INVALID signatures[1]: refused"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.want);
    const PartnerAnswer answer = Refusal(c.code, "refused", c.reason, c.field);
    const DeliveryOutcome outcome = Read(message, answer);
    EXPECT_EQ(outcome.kind, Kind::kPermanentFailure);
    EXPECT_EQ(outcome.reason, c.want);
    const std::string details =
        answer.metadata.empty() ? "" : answer.metadata[0].second;
    EXPECT_EQ(outcome.evidence, details);
    EXPECT_FALSE(outcome.receipt.has_value());
  }
}

TEST_F(MmMpfCodecTest, TransportFailuresAndTransientStatusesAreRetried) {
  const OutboundMessage message = Outbound();
  struct Case {
    absl::StatusCode code;
    std::string reason;
    std::string want;
  };
  const std::vector<Case> cases = {
      {absl::StatusCode::kUnavailable, "", "UNAVAILABLE: refused"},
      {absl::StatusCode::kDeadlineExceeded, "", "DEADLINE_EXCEEDED: refused"},
      {absl::StatusCode::kResourceExhausted, "", "RESOURCE_EXHAUSTED: refused"},
      {absl::StatusCode::kAborted, "", "ABORTED: refused"},
      {absl::StatusCode::kInternal, "STORE_FAILED",
       "INTERNAL STORE_FAILED: refused"},
      {absl::StatusCode::kUnknown, "", "UNKNOWN: refused"},
      {absl::StatusCode::kCancelled, "", "CANCELLED: refused"},
      {absl::StatusCode::kUnimplemented, "", "UNIMPLEMENTED: refused"},
      // A peer that does not (yet) know this gateway's certificate or key
      // may learn it: only SIGNATURE_INVALID is final.
      {absl::StatusCode::kUnauthenticated, "", "UNAUTHENTICATED: refused"},
      {absl::StatusCode::kUnauthenticated, "UNKNOWN_CERTIFICATE",
       "UNAUTHENTICATED UNKNOWN_CERTIFICATE: refused"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.want);
    const DeliveryOutcome outcome =
        Read(message, Refusal(c.code, "refused", c.reason));
    EXPECT_EQ(outcome.kind, Kind::kTransientFailure);
    EXPECT_EQ(outcome.reason, c.want);
  }
}

TEST_F(MmMpfCodecTest, RejectionExampleOfTheIcdReadsAsItsReason) {
  // examples/MM-MPF/rejection-inbound.txt: the google.rpc.Status in text
  // format after its header comment.
  const std::string text = ReadFile(ExamplePath("rejection-inbound.txt"));
  const size_t start = text.find("\ncode:");
  ASSERT_NE(start, std::string::npos);
  google::rpc::Status details;
  ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(text.substr(start),
                                                            &details));
  PartnerAnswer answer;
  answer.status = absl::InvalidArgumentError(details.message());
  answer.metadata.emplace_back("grpc-status-details-bin",
                               details.SerializeAsString());
  const DeliveryOutcome outcome = Read(Outbound(), answer);
  EXPECT_EQ(outcome.kind, Kind::kPermanentFailure);
  EXPECT_EQ(outcome.reason,
            "INVALID_ARGUMENT PAYLOAD_UNPARSEABLE payload: payload does not "
            "parse as gw.v1.CaseStatus");
  EXPECT_EQ(outcome.evidence, details.SerializeAsString());
}

TEST_F(MmMpfCodecTest, UnreadableDetailsLeaveTheCodeAndMessage) {
  PartnerAnswer answer;
  answer.status = absl::UnauthenticatedError("bad\nline");
  answer.metadata.emplace_back("grpc-status-details-bin", "\xff\x01garbage");
  const DeliveryOutcome outcome = Read(Outbound(), answer);
  // Without a readable SIGNATURE_INVALID reason, UNAUTHENTICATED is retried.
  EXPECT_EQ(outcome.kind, Kind::kTransientFailure);
  EXPECT_EQ(outcome.reason, "UNAUTHENTICATED: bad line");
}

// --- ReadAnswer: outbound Zawgyi warnings (MM-MPF.md §5.7) -------------------

TEST_F(MmMpfCodecTest, OutboundZawgyiIsReportedAndNeverBlocks) {
  gw::v1::CaseAlert alert;
  LoadExamplePayload("alert-outbound.json", &alert);
  ASSERT_GT(alert.subjects_size(), 0);
  ASSERT_GT(alert.subjects(0).person().names_size(), 0);
  // The Zawgyi form of the example's Burmese name (MM-MPF.md §10: p = 1).
  alert.mutable_subjects(0)->mutable_person()->mutable_names(0)->set_given(
      "ေမစမ္းသပ္");
  const OutboundMessage message = Outbound(alert);
  const DeliveryOutcome delivered =
      Read(message, OkAnswer(GoodReceipt(message)));
  EXPECT_EQ(delivered.kind, Kind::kDelivered) << delivered.reason;
  bool found = false;
  for (const gw::v1::ReceiptWarning& warning : delivered.warnings) {
    if (warning.code() == "ZAWGYI_SUSPECTED" &&
        warning.field() == "subjects[0].person.names[0].given")
      found = true;
  }
  EXPECT_TRUE(found) << delivered.warnings.size() << " warnings";

  const DeliveryOutcome refused =
      Read(message, Refusal(absl::StatusCode::kUnavailable, "down"));
  EXPECT_EQ(refused.kind, Kind::kTransientFailure);
  EXPECT_EQ(refused.warnings.size(), delivered.warnings.size());

  // The Unicode example gives no warning.
  const OutboundMessage unicode = Outbound();
  EXPECT_TRUE(Read(unicode, OkAnswer(GoodReceipt(unicode))).warnings.empty());
}

// --- Decode -----------------------------------------------------------------

class MmMpfDecodeTest : public MmMpfCodecTest {
 protected:
  // What the PartnerExchange service hands the codec for an example: the
  // envelope (signed by the MM-MPF author and gateway) and the metadata.
  PartnerMessage Received(const std::string& payload_type,
                          const std::string& payload,
                          const std::string& message_id) {
    gw::v1::Envelope envelope;
    envelope.set_payload_type(payload_type);
    envelope.set_payload(payload);
    EXPECT_TRUE(crypto::SignEnvelope(*peer_author_, &envelope).ok());
    EXPECT_TRUE(crypto::SignEnvelope(*peer_signing_, &envelope).ok());
    PartnerMessage received;
    received.message_id = message_id;
    received.content_type = kEnvelopeContentType;
    received.bytes = envelope.SerializeAsString();
    received.metadata.emplace_back("gw-message-id", message_id);
    return received;
  }

  static void ExpectDetails(const absl::Status& status,
                            const std::string& reason, const std::string& field,
                            const std::string& message_id) {
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
    const google::rpc::Status rpc = ToRpcStatus(status);
    EXPECT_EQ(rpc.code(), 3);
    EXPECT_EQ(rpc.message(), status.message());
    bool have_info = false;
    bool have_field = false;
    for (const auto& detail : rpc.details()) {
      google::rpc::ErrorInfo info;
      google::rpc::BadRequest bad_request;
      if (detail.UnpackTo(&info) && detail.Is<google::rpc::ErrorInfo>()) {
        have_info = true;
        EXPECT_EQ(info.reason(), reason);
        EXPECT_EQ(info.domain(), "gw.v1.PartnerExchange");
        if (message_id.empty()) {
          EXPECT_EQ(info.metadata().count("message_id"), 0u);
        } else {
          EXPECT_EQ(info.metadata().at("message_id"), message_id);
        }
      } else if (detail.Is<google::rpc::BadRequest>() &&
                 detail.UnpackTo(&bad_request)) {
        have_field = true;
        ASSERT_EQ(bad_request.field_violations_size(), 1);
        EXPECT_EQ(bad_request.field_violations(0).field(), field);
        EXPECT_FALSE(bad_request.field_violations(0).description().empty());
      }
    }
    EXPECT_TRUE(have_info);
    EXPECT_TRUE(have_field);
    EXPECT_TRUE(absl::StartsWith(status.message(), field + ":")) << status;
  }

  static void ClearProbabilities(
      google::protobuf::RepeatedPtrField<gw::v1::TextConversion>* list) {
    for (auto& conversion : *list) {
      EXPECT_GE(conversion.field_probability(), 0.95) << conversion.field();
      conversion.clear_field_probability();
      conversion.clear_message_probability();
    }
  }
};

TEST_F(MmMpfDecodeTest, ZawgyiAlertExampleIsConvertedAndTheEnvelopeKept) {
  gw::v1::CaseAlert alert;
  LoadExamplePayload("alert-inbound.as-received.json", &alert);
  const std::string id = ExampleMessageId("alert-inbound.as-received.json");
  const std::string payload = SerializeDeterministic(alert);
  const PartnerMessage received = Received(kAlertType, payload, id);

  auto inbound = codec_->Decode("MM-MPF", received);
  ASSERT_TRUE(inbound.ok()) << inbound.status();
  EXPECT_EQ(inbound->sender_agency, "MM-MPF");
  EXPECT_EQ(inbound->message_id, id);
  EXPECT_EQ(inbound->received_sha256, crypto::Sha256Hex(payload));
  // The envelope is what MM-MPF signed: both signatures still verify.
  EXPECT_EQ(inbound->envelope.SerializeAsString(), received.bytes);
  auto gateway_key =
      crypto::Verifier::FromCertificateDer(peer_signing_->cert_der());
  ASSERT_TRUE(gateway_key.ok());
  EXPECT_TRUE(
      crypto::VerifyEnvelopeSignature(inbound->envelope, 1, **gateway_key)
          .ok());

  ASSERT_TRUE(inbound->converted_payload.has_value());
  gw::v1::CaseAlert converted;
  ASSERT_TRUE(converted.ParseFromString(*inbound->converted_payload));
  gw::v1::CaseAlert want;
  LoadExamplePayload("alert-inbound.converted.json", &want);
  ClearProbabilities(converted.mutable_text_conversions());
  ClearProbabilities(want.mutable_text_conversions());
  std::string diff;
  MessageDifferencer differencer;
  differencer.ReportDifferencesToString(&diff);
  EXPECT_TRUE(differencer.Compare(want, converted)) << diff;

  std::vector<std::string> fields;
  for (const auto& warning : inbound->warnings) {
    EXPECT_EQ(warning.code(), "ZAWGYI_CONVERTED");
    fields.push_back(warning.field());
  }
  EXPECT_EQ(fields, (std::vector<std::string>{
                        "subjects[0].person.names[0].given",
                        "subjects[0].person.names[0].full",
                        "subjects[1].person.names[0].given",
                        "subjects[1].person.names[0].full",
                        "last_seen.place",
                        "narrative[0].text",
                    }));
}

TEST_F(MmMpfDecodeTest, ZawgyiRepatriationRequestExampleIsConverted) {
  const std::string example = "repatriation-request-inbound.as-received.json";
  gw::v1::RepatriationRequest request;
  LoadExamplePayload(example, &request);
  const std::string payload = SerializeDeterministic(request);
  auto inbound = codec_->Decode(
      "MM-MPF", Received("application/vnd.gw.v1.RepatriationRequest+proto",
                         payload, ExampleMessageId(example)));
  ASSERT_TRUE(inbound.ok()) << inbound.status();
  EXPECT_EQ(inbound->received_sha256, crypto::Sha256Hex(payload));
  ASSERT_TRUE(inbound->converted_payload.has_value());
  gw::v1::RepatriationRequest converted;
  ASSERT_TRUE(converted.ParseFromString(*inbound->converted_payload));
  gw::v1::RepatriationRequest want;
  LoadExamplePayload("repatriation-request-inbound.converted.json", &want);
  ClearProbabilities(converted.mutable_text_conversions());
  ClearProbabilities(want.mutable_text_conversions());
  std::string diff;
  MessageDifferencer differencer;
  differencer.ReportDifferencesToString(&diff);
  EXPECT_TRUE(differencer.Compare(want, converted)) << diff;
  ASSERT_EQ(inbound->warnings.size(), 2u);
  EXPECT_EQ(inbound->warnings[0].field(),
            "best_interests_assessment.summary[0].text");
  EXPECT_EQ(inbound->warnings[1].field(), "proposed_handover.border_point");
}

TEST_F(MmMpfDecodeTest, UnicodePayloadIsStoredAsReceived) {
  gw::v1::CaseAlert alert;
  LoadExamplePayload("alert-outbound.json", &alert);
  const std::string payload = SerializeDeterministic(alert);
  auto inbound =
      codec_->Decode("MM-MPF", Received(kAlertType, payload, kMessageId));
  ASSERT_TRUE(inbound.ok()) << inbound.status();
  EXPECT_FALSE(inbound->converted_payload.has_value());
  EXPECT_TRUE(inbound->warnings.empty());
  EXPECT_EQ(inbound->envelope.payload(), payload);
}

TEST_F(MmMpfDecodeTest, MessageIdComesFromMetadataWhenNotSetApart) {
  PartnerMessage received = Received(kAlertType, "", kMessageId);
  received.message_id.clear();
  auto inbound = codec_->Decode("MM-MPF", received);
  ASSERT_TRUE(inbound.ok()) << inbound.status();
  EXPECT_EQ(inbound->message_id, kMessageId);
}

TEST_F(MmMpfDecodeTest, MissingOrMalformedMessageIdIsRefused) {
  for (const std::string& id :
       {std::string(), std::string("7A630138-E7DC-5B5F-B065-0CFD0AC15E7C"),
        std::string("not-a-uuid"),
        std::string("7a630138-e7dc-5b5f-b065-0cfd0ac15e7c ")}) {
    SCOPED_TRACE(id);
    PartnerMessage received = Received(kAlertType, "", id);
    auto inbound = codec_->Decode("MM-MPF", received);
    ExpectDetails(inbound.status(), "MISSING_MESSAGE_ID", "gw-message-id", "");
  }
}

TEST_F(MmMpfDecodeTest, UnknownPayloadTypeIsRefused) {
  for (const std::string& type :
       {std::string("application/vnd.gw.v1.Receipt+proto"),
        std::string("application/vnd.gw.v1.Envelope+proto"), std::string()}) {
    SCOPED_TRACE(type);
    auto inbound = codec_->Decode("MM-MPF", Received(type, "", kMessageId));
    ExpectDetails(inbound.status(), "UNKNOWN_PAYLOAD_TYPE", "payload_type",
                  kMessageId);
  }
}

TEST_F(MmMpfDecodeTest, UnparsablePayloadIsRefused) {
  auto inbound = codec_->Decode(
      "MM-MPF", Received("application/vnd.gw.v1.CaseStatus+proto",
                         std::string("\x0a\xff\xff\xff", 4), kMessageId));
  ExpectDetails(inbound.status(), "PAYLOAD_UNPARSEABLE", "payload", kMessageId);
  EXPECT_EQ(inbound.status().message(),
            "payload: does not parse as gw.v1.CaseStatus");
}

TEST_F(MmMpfDecodeTest, UnparsableEnvelopeIsRefused) {
  PartnerMessage received = Received(kAlertType, "", kMessageId);
  received.bytes = std::string("\x0a\xff\xff", 3);
  ExpectDetails(codec_->Decode("MM-MPF", received).status(),
                "PAYLOAD_UNPARSEABLE", "envelope", kMessageId);
}

}  // namespace
}  // namespace gw::mm_mpf
