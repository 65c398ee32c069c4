// tests/unit/gateway/crypto/dsse_test.cc
#include "gateway/crypto/dsse.h"

#include <string>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "gateway/crypto/signer.h"
#include "gateway/crypto/verifier.h"
#include "gtest/gtest.h"
#include "gw/v1/envelope.pb.h"
#include "openssl_cli.h"

namespace gw::crypto {
namespace {

using ::gw::crypto::testing::KeyFiles;
using ::gw::crypto::testing::KeyKind;
using ::gw::crypto::testing::OpensslCliTest;

constexpr char kAlertType[] = "application/vnd.gw.v1.CaseAlert+proto";

struct PaeCase {
  std::string name;
  std::string payload_type;
  std::string payload;
  std::string want;
};

// Pinned bytes: PAE is what every signature covers, so it can never change.
TEST(PreAuthEncodingTest, PinnedBytes) {
  const PaeCase cases[] = {
      // The example in the DSSE v1 protocol specification.
      {"dsse_spec_example", "http://example.com/HelloWorld", "hello world",
       "DSSEv1 29 http://example.com/HelloWorld 11 hello world"},
      {"both_empty", "", "", "DSSEv1 0  0 "},
      {"empty_type", "", "x", "DSSEv1 0  1 x"},
      {"empty_payload", "t", "", "DSSEv1 1 t 0 "},
      {"binary_payload_with_nuls", "a", std::string("\0b\0", 3),
       std::string("DSSEv1 1 a 3 \0b\0", 16)},
      {"payload_all_nul", "a", std::string(2, '\0'),
       std::string("DSSEv1 1 a 2 \0\0", 15)},
      {"type_with_spaces", "a b", "c d", "DSSEv1 3 a b 3 c d"},
      {"utf8_type_counts_bytes", "\xc3\xa9", "", "DSSEv1 2 \xc3\xa9 0 "},
      {"length_9", "t", std::string(9, 'p'), "DSSEv1 1 t 9 ppppppppp"},
      {"length_10", "t", std::string(10, 'p'), "DSSEv1 1 t 10 pppppppppp"},
      {"contract_type", kAlertType, "\x0a\x02id",
       "DSSEv1 37 application/vnd.gw.v1.CaseAlert+proto 4 \x0a\x02id"},
  };
  for (const PaeCase& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(PreAuthEncoding(c.payload_type, c.payload), c.want);
  }
}

TEST(PreAuthEncodingTest, LargePayloadLength) {
  const std::string payload(1000000, 'x');
  const std::string pae = PreAuthEncoding("t", payload);
  EXPECT_EQ(pae.substr(0, 22), "DSSEv1 1 t 1000000 xxx");
  EXPECT_EQ(pae.size(), 19 + payload.size());
}

// Moving bytes between the type and the payload changes PAE.
TEST(PreAuthEncodingTest, IsInjective) {
  EXPECT_NE(PreAuthEncoding("ab", "c"), PreAuthEncoding("a", "bc"));
  EXPECT_NE(PreAuthEncoding("a 1 b", ""), PreAuthEncoding("a", "b"));
}

struct AlgorithmCase {
  std::string name;
  KeyKind kind;
};

std::string CaseName(const ::testing::TestParamInfo<AlgorithmCase>& info) {
  return info.param.name;
}

class DsseEnvelopeTest : public OpensslCliTest,
                         public ::testing::WithParamInterface<AlgorithmCase> {
 protected:
  void SetUp() override {
    OpensslCliTest::SetUp();
    if (HasFatalFailure()) return;
    ASSERT_TRUE(MakeKey(GetParam().kind, "author", &author_files_));
    ASSERT_TRUE(MakeKey(KeyKind::kEd25519, "gateway", &gateway_files_));
    author_ = MakeSigner(author_files_);
    gateway_ = MakeSigner(gateway_files_);
    ASSERT_NE(author_, nullptr);
    ASSERT_NE(gateway_, nullptr);
    author_verifier_ = MakeVerifier(author_->cert_der());
    gateway_verifier_ = MakeVerifier(gateway_->cert_der());
    ASSERT_NE(author_verifier_, nullptr);
    ASSERT_NE(gateway_verifier_, nullptr);
    envelope_.set_payload_type(kAlertType);
    envelope_.set_payload(
        std::string("\x0a\x05"
                    "A-001\x12\0",
                    9));
  }

  static std::unique_ptr<Signer> MakeSigner(const KeyFiles& files) {
    auto signer = Signer::FromPem(files.key_pem, files.cert_pem);
    EXPECT_TRUE(signer.ok()) << signer.status();
    return signer.ok() ? *std::move(signer) : nullptr;
  }
  static std::unique_ptr<Verifier> MakeVerifier(const std::string& der) {
    auto verifier = Verifier::FromCertificateDer(der);
    EXPECT_TRUE(verifier.ok()) << verifier.status();
    return verifier.ok() ? *std::move(verifier) : nullptr;
  }

  KeyFiles author_files_, gateway_files_;
  std::unique_ptr<Signer> author_, gateway_;
  std::unique_ptr<Verifier> author_verifier_, gateway_verifier_;
  gw::v1::Envelope envelope_;
};

TEST_P(DsseEnvelopeTest, SignThenVerify) {
  ASSERT_TRUE(SignEnvelope(*author_, &envelope_).ok());
  ASSERT_EQ(envelope_.signatures_size(), 1);
  const gw::v1::Signature& sig = envelope_.signatures(0);
  EXPECT_EQ(sig.keyid(), author_->key_id_hex());
  EXPECT_EQ(sig.cert_der(), author_->cert_der());
  // A verifier built from what travels in the envelope suffices.
  auto verifier = MakeVerifier(sig.cert_der());
  ASSERT_NE(verifier, nullptr);
  EXPECT_TRUE(VerifyEnvelopeSignature(envelope_, 0, *verifier).ok());
  // The signature covers PAE, not the bare payload.
  EXPECT_TRUE(author_verifier_
                  ->Verify(PreAuthEncoding(envelope_.payload_type(),
                                           envelope_.payload()),
                           sig.sig())
                  .ok());
  EXPECT_FALSE(author_verifier_->Verify(envelope_.payload(), sig.sig()).ok());
}

TEST_P(DsseEnvelopeTest, CountersignatureKeepsTheAuthors) {
  ASSERT_TRUE(SignEnvelope(*author_, &envelope_).ok());
  const std::string author_sig = envelope_.signatures(0).SerializeAsString();
  ASSERT_TRUE(SignEnvelope(*gateway_, &envelope_).ok());
  ASSERT_EQ(envelope_.signatures_size(), 2);
  EXPECT_EQ(envelope_.signatures(0).SerializeAsString(), author_sig);
  EXPECT_TRUE(VerifyEnvelopeSignature(envelope_, 0, *author_verifier_).ok());
  EXPECT_TRUE(VerifyEnvelopeSignature(envelope_, 1, *gateway_verifier_).ok());
}

// A signature made by the openssl CLI over a PAE file verifies as an
// envelope signature: PAE and the algorithms agree with OpenSSL's own tools.
TEST_P(DsseEnvelopeTest, VerifiesSignatureMadeByOpensslCliOverPae) {
  WriteFile("pae.bin",
            PreAuthEncoding(envelope_.payload_type(), envelope_.payload()));
  if (GetParam().kind == KeyKind::kEd25519) {
    ASSERT_TRUE(
        Run("openssl pkeyutl -sign -rawin -inkey author.key -in pae.bin "
            "-out sig.bin"));
  } else {
    ASSERT_TRUE(
        Run("openssl dgst -sha256 -sign author.key -out sig.bin pae.bin"));
  }
  gw::v1::Signature* sig = envelope_.add_signatures();
  sig->set_keyid(author_verifier_->key_id_hex());
  sig->set_sig(ReadFile("sig.bin"));
  EXPECT_TRUE(VerifyEnvelopeSignature(envelope_, 0, *author_verifier_).ok());
}

TEST_P(DsseEnvelopeTest, RefusesBadSignatures) {
  ASSERT_TRUE(SignEnvelope(*author_, &envelope_).ok());
  struct Case {
    std::string name;
    void (*mutate)(gw::v1::Envelope*);
    int index;
    bool use_gateway_verifier;
    absl::StatusCode want;
    std::string field;
  };
  const Case cases[] = {
      {"unchanged", [](gw::v1::Envelope*) {}, 0, false, absl::StatusCode::kOk,
       ""},
      {"index_negative", [](gw::v1::Envelope*) {}, -1, false,
       absl::StatusCode::kInvalidArgument, "envelope.signatures: "},
      {"index_equals_size", [](gw::v1::Envelope*) {}, 1, false,
       absl::StatusCode::kInvalidArgument, "envelope.signatures: "},
      {"no_signatures", [](gw::v1::Envelope* e) { e->clear_signatures(); }, 0,
       false, absl::StatusCode::kInvalidArgument, "envelope.signatures: "},
      {"other_signers_verifier", [](gw::v1::Envelope*) {}, 0, true,
       absl::StatusCode::kUnauthenticated, "envelope.signatures[0].keyid: "},
      {"keyid_uppercase",
       [](gw::v1::Envelope* e) {
         std::string* id = e->mutable_signatures(0)->mutable_keyid();
         for (char& ch : *id) ch = static_cast<char>(toupper(ch));
       },
       0, false, absl::StatusCode::kUnauthenticated,
       "envelope.signatures[0].keyid: "},
      {"keyid_empty",
       [](gw::v1::Envelope* e) { e->mutable_signatures(0)->clear_keyid(); }, 0,
       false, absl::StatusCode::kUnauthenticated,
       "envelope.signatures[0].keyid: "},
      {"payload_changed",
       [](gw::v1::Envelope* e) { e->mutable_payload()->push_back('\0'); }, 0,
       false, absl::StatusCode::kUnauthenticated,
       "envelope.signatures[0].sig: "},
      {"payload_type_changed",
       [](gw::v1::Envelope* e) {
         e->set_payload_type("application/vnd.gw.v1.CaseStatus+proto");
       },
       0, false, absl::StatusCode::kUnauthenticated,
       "envelope.signatures[0].sig: "},
      {"byte_moved_from_type_to_payload",
       [](gw::v1::Envelope* e) {
         std::string type = e->payload_type();
         e->set_payload(type.substr(type.size() - 1) + e->payload());
         type.pop_back();
         e->set_payload_type(type);
       },
       0, false, absl::StatusCode::kUnauthenticated,
       "envelope.signatures[0].sig: "},
      {"sig_flipped",
       [](gw::v1::Envelope* e) {
         std::string* sig = e->mutable_signatures(0)->mutable_sig();
         (*sig)[sig->size() / 2] ^= 0x40;
       },
       0, false, absl::StatusCode::kUnauthenticated,
       "envelope.signatures[0].sig: "},
      {"sig_empty",
       [](gw::v1::Envelope* e) { e->mutable_signatures(0)->clear_sig(); }, 0,
       false, absl::StatusCode::kUnauthenticated,
       "envelope.signatures[0].sig: "},
      {"sig_truncated",
       [](gw::v1::Envelope* e) {
         e->mutable_signatures(0)->mutable_sig()->pop_back();
       },
       0, false, absl::StatusCode::kUnauthenticated,
       "envelope.signatures[0].sig: "},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    gw::v1::Envelope envelope = envelope_;
    c.mutate(&envelope);
    const Verifier& verifier =
        c.use_gateway_verifier ? *gateway_verifier_ : *author_verifier_;
    const absl::Status status =
        VerifyEnvelopeSignature(envelope, c.index, verifier);
    EXPECT_EQ(status.code(), c.want) << status;
    EXPECT_TRUE(absl::StartsWith(status.message(), c.field)) << status;
  }
}

TEST_P(DsseEnvelopeTest, ErrorNamesTheSignatureIndex) {
  ASSERT_TRUE(SignEnvelope(*gateway_, &envelope_).ok());
  ASSERT_TRUE(SignEnvelope(*author_, &envelope_).ok());
  envelope_.mutable_signatures(1)->mutable_sig()->pop_back();
  const absl::Status status =
      VerifyEnvelopeSignature(envelope_, 1, *author_verifier_);
  EXPECT_EQ(status.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(status.message(),
            "envelope.signatures[1].sig: signature does not verify");
  const absl::Status keyid =
      VerifyEnvelopeSignature(envelope_, 0, *author_verifier_);
  EXPECT_EQ(keyid.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(keyid.message(),
            "envelope.signatures[0].keyid: does not match the signer "
            "certificate");
}

TEST_P(DsseEnvelopeTest, SignEnvelopeRequiresAnEnvelope) {
  EXPECT_EQ(SignEnvelope(*author_, nullptr).code(),
            absl::StatusCode::kInternal);
}

INSTANTIATE_TEST_SUITE_P(
    Algorithms, DsseEnvelopeTest,
    ::testing::Values(AlgorithmCase{"Ed25519", KeyKind::kEd25519},
                      AlgorithmCase{"P256", KeyKind::kP256}),
    CaseName);

}  // namespace
}  // namespace gw::crypto
