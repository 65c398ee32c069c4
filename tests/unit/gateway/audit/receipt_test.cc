// tests/unit/gateway/audit/receipt_test.cc
//
// Receipts made the way the gateway makes them: a real tree (CompactRange
// over a MemoryNodeReader), a real inclusion proof (proof_nodes.h), a real
// checkpoint note (CheckpointSigner) and a real signature, all with an
// Ed25519 key made by the openssl CLI. Then every part is tampered with,
// with and without re-signing the receipt (re-signing plays a gateway that
// signs a wrong receipt), and each must fail with its own code and path.
#include "gateway/audit/receipt.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gateway/audit/checkpoint_signer.h"
#include "gateway/audit/compact_range.h"
#include "gateway/audit/hasher.h"
#include "gateway/audit/log_origin.h"
#include "gateway/audit/proof_nodes.h"
#include "gateway/crypto/dsse.h"
#include "gateway/crypto/sha256.h"
#include "gateway/crypto/signer.h"
#include "gateway/crypto/verifier.h"
#include "gtest/gtest.h"
#include "memory_node_reader.h"
#include "tests/unit/gateway/crypto/openssl_cli.h"

namespace gw::audit {
namespace {

using crypto::testing::KeyFiles;
using crypto::testing::KeyKind;

// openssl_cli.h's MakeKey certificates name O=CN-MPS.
const std::string kOrigin = AuditLogOrigin("CN-MPS");

gw::v1::AuditEntry EntryFor(uint64_t i) {
  gw::v1::AuditEntry entry;
  entry.mutable_time()->set_seconds(1795857302 + static_cast<int64_t>(i));
  entry.set_actor_agency("CN-MPS");
  entry.set_actor_role("investigator");
  entry.set_actor_user("investigator1");
  entry.set_action("AlertService.SendAlert");
  entry.add_object_ids(absl::StrCat("alert:A-", i));
  entry.set_payload_sha256(crypto::Sha256Hex(absl::StrCat("payload ", i)));
  entry.set_decision("ALLOW");
  entry.set_outcome("OK");
  entry.set_policy_version("policy-v1");
  return entry;
}

class ReceiptTest : public crypto::testing::OpensslCliTest {
 protected:
  void SetUp() override {
    OpensslCliTest::SetUp();
    signer_ = LoadSigner("gateway");
    other_signer_ = LoadSigner("other");
    ASSERT_NE(signer_, nullptr);
    ASSERT_NE(other_signer_, nullptr);
    auto verifier = crypto::Verifier::FromCertificateDer(signer_->cert_der());
    ASSERT_TRUE(verifier.ok()) << verifier.status();
    verifier_ = *std::move(verifier);
    auto other =
        crypto::Verifier::FromCertificateDer(other_signer_->cert_der());
    ASSERT_TRUE(other.ok()) << other.status();
    other_verifier_ = *std::move(other);
  }

  std::unique_ptr<crypto::Signer> LoadSigner(absl::string_view name) {
    KeyFiles files;
    EXPECT_TRUE(MakeKey(KeyKind::kEd25519, name, &files));
    auto signer = crypto::Signer::FromPemFiles(files.key_path, files.cert_path);
    EXPECT_TRUE(signer.ok()) << signer.status();
    return signer.ok() ? *std::move(signer) : nullptr;
  }

  // The note for (size, root) by `signer` under `origin`.
  std::string Note(uint64_t size, const std::string& root,
                   const crypto::Signer& signer,
                   const std::string& origin = kOrigin) {
    auto checkpoints = CheckpointSigner::Create(origin, origin, &signer);
    EXPECT_TRUE(checkpoints.ok()) << checkpoints.status();
    if (!checkpoints.ok()) return "";
    auto note = (*checkpoints)->Sign(size, root);
    EXPECT_TRUE(note.ok()) << note.status();
    return note.ok() ? *note : "";
  }

  // The signed receipt for leaf `leaf_index` of a log of `tree_size`
  // entries EntryFor(i); `leaf_data` replaces that leaf's bytes if given.
  gw::v1::Receipt MakeReceipt(uint64_t tree_size, uint64_t leaf_index,
                              const std::string* leaf_data = nullptr) {
    testing::MemoryNodeReader nodes;
    CompactRange range;
    std::string data;
    for (uint64_t i = 0; i < tree_size; ++i) {
      std::string bytes = EntryFor(i).SerializeAsString();
      if (i == leaf_index && leaf_data != nullptr) bytes = *leaf_data;
      if (i == leaf_index) data = bytes;
      EXPECT_TRUE(range
                      .Append(HashLeaf(bytes),
                              [&](NodeId id, absl::string_view hash) {
                                nodes.Put(id, hash);
                              })
                      .ok());
    }
    gw::v1::Receipt receipt;
    receipt.set_message_id(absl::StrCat("A-", leaf_index));
    receipt.set_payload_sha256(EntryFor(leaf_index).payload_sha256());
    receipt.set_recipient("CN-MPS");
    receipt.set_status(gw::v1::Receipt::ACCEPTED);
    receipt.mutable_received_at()->set_seconds(1795857302);
    receipt.set_leaf_index(leaf_index);
    receipt.set_leaf_data(data);
    auto plan = InclusionProofNodes(leaf_index, tree_size);
    EXPECT_TRUE(plan.ok()) << plan.status();
    auto hashes = BuildProof(*plan, nodes);
    EXPECT_TRUE(hashes.ok()) << hashes.status();
    gw::v1::InclusionProof* proof = receipt.mutable_inclusion_proof();
    proof->set_leaf_index(leaf_index);
    proof->set_tree_size(tree_size);
    for (const std::string& hash : *hashes) proof->add_hashes(hash);
    gw::v1::Checkpoint* checkpoint = receipt.mutable_checkpoint();
    checkpoint->set_tree_size(tree_size);
    checkpoint->set_root_hash(range.Root());
    checkpoint->set_note(Note(tree_size, range.Root(), *signer_));
    checkpoint->mutable_time()->set_seconds(1795857400);
    EXPECT_TRUE(SignReceipt(*signer_, &receipt).ok());
    return receipt;
  }

  std::unique_ptr<crypto::Signer> signer_;
  std::unique_ptr<crypto::Signer> other_signer_;
  std::unique_ptr<crypto::Verifier> verifier_;
  std::unique_ptr<crypto::Verifier> other_verifier_;
};

TEST_F(ReceiptTest, EveryLeafOfSmallTreesVerifies) {
  for (uint64_t size : {1, 2, 3, 4, 5, 7, 8, 9}) {
    for (uint64_t index = 0; index < size; ++index) {
      SCOPED_TRACE(absl::StrCat("leaf ", index, " of ", size));
      const gw::v1::Receipt receipt = MakeReceipt(size, index);
      EXPECT_TRUE(VerifyReceipt(receipt, *verifier_).ok())
          << VerifyReceipt(receipt, *verifier_);
      auto entry = VerifyReceiptEntry(receipt);
      ASSERT_TRUE(entry.ok()) << entry.status();
      EXPECT_EQ(entry->object_ids(0), absl::StrCat("alert:A-", index));
    }
  }
}

TEST_F(ReceiptTest, SigningBytesArePaeOfTheUnsignedReceipt) {
  gw::v1::Receipt receipt = MakeReceipt(5, 3);
  gw::v1::Receipt unsigned_receipt = receipt;
  unsigned_receipt.clear_signature();
  const std::string bytes = ReceiptSigningBytes(receipt);
  EXPECT_TRUE(absl::StartsWith(
      bytes, "DSSEv1 35 application/vnd.gw.v1.Receipt+proto "));
  EXPECT_EQ(bytes,
            crypto::PreAuthEncoding(kReceiptPayloadType,
                                    unsigned_receipt.SerializeAsString()));
  EXPECT_EQ(ReceiptSigningBytes(unsigned_receipt), bytes);
  EXPECT_EQ(receipt.signature().keyid(), signer_->key_id_hex());
  EXPECT_EQ(receipt.signature().cert_der(), signer_->cert_der());

  // The signature verifies with an implementation that is not ours.
  WriteFile("receipt.pae", bytes);
  WriteFile("receipt.sig", receipt.signature().sig());
  WriteFile("gateway.der", signer_->cert_der());
  ASSERT_TRUE(Run(
      "openssl x509 -inform DER -in gateway.der -pubkey -noout -out pub.pem"));
  EXPECT_TRUE(
      Run("openssl pkeyutl -verify -rawin -pubin -inkey pub.pem "
          "-sigfile receipt.sig -in receipt.pae"));
}

TEST_F(ReceiptTest, SignatureCertificateIsNotTrusted) {
  gw::v1::Receipt receipt = MakeReceipt(4, 1);
  receipt.mutable_signature()->set_cert_der(other_signer_->cert_der());
  EXPECT_TRUE(VerifyReceipt(receipt, *verifier_).ok());
  const absl::Status other = VerifyReceipt(receipt, *other_verifier_);
  EXPECT_EQ(other.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_TRUE(absl::StartsWith(other.message(), "receipt.signature.keyid:"))
      << other;
}

TEST_F(ReceiptTest, CertificateWithoutAgencyIsRefused) {
  ASSERT_TRUE(
      Run("openssl genpkey -algorithm ed25519 -out noo.key && "
          "openssl req -new -x509 -key noo.key -subj /CN=gateway -days 2 "
          "-out noo.crt"));
  auto signer = crypto::Signer::FromPemFiles(Path("noo.key"), Path("noo.crt"));
  ASSERT_TRUE(signer.ok()) << signer.status();
  auto verifier = crypto::Verifier::FromCertificateDer((*signer)->cert_der());
  ASSERT_TRUE(verifier.ok()) << verifier.status();
  EXPECT_EQ(GatewayLogOrigin(**verifier).status().code(),
            absl::StatusCode::kInvalidArgument);
  gw::v1::Receipt receipt = MakeReceipt(2, 0);
  ASSERT_TRUE(SignReceipt(**signer, &receipt).ok());
  const absl::Status status = VerifyReceipt(receipt, **verifier);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(
      absl::StartsWith(status.message(), "gateway_signing_key.subject:"))
      << status;
  EXPECT_EQ(*GatewayLogOrigin(*verifier_), "mekong-gateway/CN-MPS/audit");
}

TEST_F(ReceiptTest, LeafDataThatIsNotAnAuditEntry) {
  const std::string garbage = "\xff\xff\xff";
  const gw::v1::Receipt receipt = MakeReceipt(6, 2, &garbage);
  const absl::Status status = VerifyReceipt(receipt, *verifier_);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(status.message(), "receipt.leaf_data:"))
      << status;
}

TEST_F(ReceiptTest, ReceiptWithoutPayloadDigestSkipsThatComparison) {
  gw::v1::Receipt receipt = MakeReceipt(3, 2);
  receipt.clear_payload_sha256();  // e.g. a refusal of an unparsable message
  ASSERT_TRUE(SignReceipt(*signer_, &receipt).ok());
  EXPECT_TRUE(VerifyReceipt(receipt, *verifier_).ok());
}

struct TamperCase {
  std::string name;
  std::function<void(gw::v1::Receipt*)> tamper;
  bool resign;  // sign again after tampering (a gateway signing a bad receipt)
  absl::StatusCode want;
  std::string field;  // the message starts with this
};

TEST_F(ReceiptTest, EveryTamperingFailsWithItsCodeAndField) {
  const uint64_t kSize = 9;  // 2^3 + 1: a proof with an ephemeral node
  const uint64_t kIndex = 5;
  const gw::v1::Receipt original = MakeReceipt(kSize, kIndex);
  ASSERT_TRUE(VerifyReceipt(original, *verifier_).ok());
  const std::string other_root = HashLeaf("another root");
  using Code = absl::StatusCode;
  const std::vector<TamperCase> cases = {
      {"PayloadDigest",
       [](gw::v1::Receipt* r) { r->set_payload_sha256(std::string(64, 'a')); },
       false, Code::kUnauthenticated, "receipt.signature.sig:"},
      {"PayloadDigestSigned",
       [](gw::v1::Receipt* r) { r->set_payload_sha256(std::string(64, 'a')); },
       true, Code::kInvalidArgument, "receipt.payload_sha256:"},
      {"LeafIndex",
       [](gw::v1::Receipt* r) { r->set_leaf_index(r->leaf_index() + 1); },
       false, Code::kUnauthenticated, "receipt.signature.sig:"},
      {"LeafIndexSigned",
       [](gw::v1::Receipt* r) { r->set_leaf_index(r->leaf_index() + 1); }, true,
       Code::kInvalidArgument, "receipt.inclusion_proof.leaf_index:"},
      {"LeafIndexAndProofIndexSigned",
       [](gw::v1::Receipt* r) {
         r->set_leaf_index(4);
         r->mutable_inclusion_proof()->set_leaf_index(4);
       },
       true, Code::kDataLoss, "receipt.inclusion_proof: root mismatch"},
      {"LeafIndexBeyondTreeSigned",
       [](gw::v1::Receipt* r) {
         r->set_leaf_index(9);
         r->mutable_inclusion_proof()->set_leaf_index(9);
       },
       true, Code::kInvalidArgument, "receipt.inclusion_proof.leaf_index:"},
      {"LeafDataByte",
       [](gw::v1::Receipt* r) { (*r->mutable_leaf_data())[3] ^= 1; }, false,
       Code::kUnauthenticated, "receipt.signature.sig:"},
      {"LeafDataByteSigned",
       [](gw::v1::Receipt* r) { (*r->mutable_leaf_data())[3] ^= 1; }, true,
       Code::kDataLoss, "receipt.inclusion_proof: root mismatch"},
      {"LeafDataEmptySigned", [](gw::v1::Receipt* r) { r->clear_leaf_data(); },
       true, Code::kInvalidArgument, "receipt.leaf_data:"},
      {"ProofHash",
       [](gw::v1::Receipt* r) {
         (*r->mutable_inclusion_proof()->mutable_hashes(1))[0] ^= 1;
       },
       false, Code::kUnauthenticated, "receipt.signature.sig:"},
      {"ProofHashSigned",
       [](gw::v1::Receipt* r) {
         (*r->mutable_inclusion_proof()->mutable_hashes(1))[0] ^= 1;
       },
       true, Code::kDataLoss, "receipt.inclusion_proof: root mismatch"},
      {"ProofHashShortSigned",
       [](gw::v1::Receipt* r) {
         r->mutable_inclusion_proof()->mutable_hashes(1)->pop_back();
       },
       true, Code::kInvalidArgument, "receipt.inclusion_proof.hashes[1]:"},
      {"ProofHashMissingSigned",
       [](gw::v1::Receipt* r) {
         r->mutable_inclusion_proof()->mutable_hashes()->RemoveLast();
       },
       true, Code::kInvalidArgument, "receipt.inclusion_proof.hashes:"},
      {"ProofTreeSizeSigned",
       [](gw::v1::Receipt* r) {
         r->mutable_inclusion_proof()->set_tree_size(8);
       },
       true, Code::kInvalidArgument, "receipt.inclusion_proof.tree_size:"},
      {"ProofMissingSigned",
       [](gw::v1::Receipt* r) { r->clear_inclusion_proof(); }, true,
       Code::kInvalidArgument, "receipt.inclusion_proof:"},
      {"CheckpointNoteSigned",
       [](gw::v1::Receipt* r) {
         r->mutable_checkpoint()->set_note(absl::StrReplaceAll(
             r->checkpoint().note(), {{"audit\n9\n", "audit\n8\n"}}));
       },
       true, Code::kUnauthenticated, "receipt.checkpoint.note:"},
      {"CheckpointNoteByAnotherKeySigned",
       [&](gw::v1::Receipt* r) {
         r->mutable_checkpoint()->set_note(
             Note(kSize, r->checkpoint().root_hash(), *other_signer_));
       },
       true, Code::kUnauthenticated, "receipt.checkpoint.note:"},
      {"CheckpointNoteOfAnotherLogSigned",
       [&](gw::v1::Receipt* r) {
         r->mutable_checkpoint()->set_note(
             Note(kSize, r->checkpoint().root_hash(), *signer_,
                  AuditLogOrigin("TH-RTP")));
       },
       true, Code::kUnauthenticated, "receipt.checkpoint.note:"},
      {"CheckpointNoteForAnotherRootSigned",
       [&](gw::v1::Receipt* r) {
         r->mutable_checkpoint()->set_note(Note(kSize, other_root, *signer_));
         r->mutable_checkpoint()->set_root_hash(other_root);
       },
       true, Code::kDataLoss, "receipt.inclusion_proof: root mismatch"},
      {"CheckpointMissingSigned",
       [](gw::v1::Receipt* r) { r->clear_checkpoint(); }, true,
       Code::kInvalidArgument, "receipt.checkpoint:"},
      {"RootHash",
       [&](gw::v1::Receipt* r) {
         r->mutable_checkpoint()->set_root_hash(other_root);
       },
       false, Code::kUnauthenticated, "receipt.signature.sig:"},
      {"RootHashSigned",
       [&](gw::v1::Receipt* r) {
         r->mutable_checkpoint()->set_root_hash(other_root);
       },
       true, Code::kInvalidArgument, "receipt.checkpoint.root_hash:"},
      {"TreeSize",
       [](gw::v1::Receipt* r) { r->mutable_checkpoint()->set_tree_size(10); },
       false, Code::kUnauthenticated, "receipt.signature.sig:"},
      {"TreeSizeSigned",
       [](gw::v1::Receipt* r) { r->mutable_checkpoint()->set_tree_size(10); },
       true, Code::kInvalidArgument, "receipt.checkpoint.tree_size:"},
      {"Signature",
       [](gw::v1::Receipt* r) {
         (*r->mutable_signature()->mutable_sig())[10] ^= 1;
       },
       false, Code::kUnauthenticated, "receipt.signature.sig:"},
      {"SignatureEmpty",
       [](gw::v1::Receipt* r) { r->mutable_signature()->clear_sig(); }, false,
       Code::kUnauthenticated, "receipt.signature.sig:"},
      {"SignatureMissing", [](gw::v1::Receipt* r) { r->clear_signature(); },
       false, Code::kInvalidArgument, "receipt.signature:"},
      {"SignatureKeyId",
       [](gw::v1::Receipt* r) {
         r->mutable_signature()->set_keyid(std::string(64, '0'));
       },
       false, Code::kUnauthenticated, "receipt.signature.keyid:"},
      {"SignedByAnotherKey",
       [&](gw::v1::Receipt* r) {
         ASSERT_TRUE(SignReceipt(*other_signer_, r).ok());
       },
       false, Code::kUnauthenticated, "receipt.signature.keyid:"},
      {"SignedByAnotherKeyWithOurKeyId",
       [&](gw::v1::Receipt* r) {
         ASSERT_TRUE(SignReceipt(*other_signer_, r).ok());
         r->mutable_signature()->set_keyid(signer_->key_id_hex());
       },
       false, Code::kUnauthenticated, "receipt.signature.sig:"},
      {"Warning",
       [](gw::v1::Receipt* r) { r->add_warnings()->set_code("LATE"); }, false,
       Code::kUnauthenticated, "receipt.signature.sig:"},
      {"Status",
       [](gw::v1::Receipt* r) { r->set_status(gw::v1::Receipt::REFUSED); },
       false, Code::kUnauthenticated, "receipt.signature.sig:"},
  };
  for (const TamperCase& c : cases) {
    SCOPED_TRACE(c.name);
    gw::v1::Receipt receipt = original;
    c.tamper(&receipt);
    if (c.resign) {
      ASSERT_TRUE(SignReceipt(*signer_, &receipt).ok());
    }
    const absl::Status status = VerifyReceipt(receipt, *verifier_);
    EXPECT_EQ(status.code(), c.want) << status;
    EXPECT_TRUE(absl::StartsWith(status.message(), c.field)) << status;
  }
}

TEST_F(ReceiptTest, SignedCheckpointChecksTheProtoFieldsAgainstTheNote) {
  const gw::v1::Receipt receipt = MakeReceipt(4, 0);
  auto body = VerifySignedCheckpoint(receipt.checkpoint(), *verifier_);
  ASSERT_TRUE(body.ok()) << body.status();
  EXPECT_EQ(body->origin, kOrigin);
  EXPECT_EQ(body->tree_size, 4u);

  gw::v1::Checkpoint bigger = receipt.checkpoint();
  bigger.set_tree_size(5);
  auto status = VerifySignedCheckpoint(bigger, *verifier_).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(status.message(), "tree_size:")) << status;

  status =
      VerifySignedCheckpoint(receipt.checkpoint(), *other_verifier_).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_TRUE(absl::StartsWith(status.message(), "note:")) << status;
}

TEST_F(ReceiptTest, SignReceiptRefusesNull) {
  EXPECT_EQ(SignReceipt(*signer_, nullptr).code(), absl::StatusCode::kInternal);
}

}  // namespace
}  // namespace gw::audit
