// tests/unit/gateway/crypto/verifier_test.cc
#include "gateway/crypto/verifier.h"

#include <openssl/err.h>

#include <atomic>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gateway/crypto/signer.h"
#include "gtest/gtest.h"
#include "openssl_cli.h"

namespace gw::crypto {
namespace {

using ::gw::crypto::testing::KeyFiles;
using ::gw::crypto::testing::KeyKind;
using ::gw::crypto::testing::OpensslCliTest;

const std::string kMessage("case\0alert\xfe", 11);

struct AlgorithmCase {
  std::string name;
  KeyKind kind;
  KeyKind other_kind;  // a key of the other accepted algorithm
  KeyAlgorithm want;
};

std::string CaseName(const ::testing::TestParamInfo<AlgorithmCase>& info) {
  return info.param.name;
}

const AlgorithmCase kAlgorithms[] = {
    {"Ed25519", KeyKind::kEd25519, KeyKind::kP256, KeyAlgorithm::kEd25519},
    {"P256", KeyKind::kP256, KeyKind::kEd25519, KeyAlgorithm::kEcdsaP256},
};

class VerifierTest : public OpensslCliTest,
                     public ::testing::WithParamInterface<AlgorithmCase> {
 protected:
  void SetUp() override {
    OpensslCliTest::SetUp();
    if (HasFatalFailure()) return;
    ASSERT_TRUE(MakeKey(GetParam().kind, "user", &files_));
    auto signer = Signer::FromPem(files_.key_pem, files_.cert_pem);
    ASSERT_TRUE(signer.ok()) << signer.status();
    signer_ = *std::move(signer);
    auto verifier = Verifier::FromCertificateDer(signer_->cert_der());
    ASSERT_TRUE(verifier.ok()) << verifier.status();
    verifier_ = *std::move(verifier);
  }

  // Expects `status` to be exactly the refusal Verify() documents, and the
  // OpenSSL error queue to be left empty (gRPC's TLS reads it).
  static void ExpectDoesNotVerify(const absl::Status& status) {
    EXPECT_EQ(status.code(), absl::StatusCode::kUnauthenticated) << status;
    EXPECT_EQ(status.message(), "signature does not verify");
    EXPECT_EQ(ERR_peek_error(), 0u);
  }

  KeyFiles files_;
  std::unique_ptr<Signer> signer_;
  std::unique_ptr<Verifier> verifier_;
};

TEST_P(VerifierTest, DescribesTheCertificate) {
  EXPECT_EQ(verifier_->algorithm(), GetParam().want);
  EXPECT_EQ(verifier_->key_id_hex(), signer_->key_id_hex());
  EXPECT_EQ(verifier_->cert_der(), signer_->cert_der());
  ASSERT_NE(verifier_->certificate(), nullptr);
  EXPECT_EQ(KeyIdHex(X509_get0_pubkey(verifier_->certificate())),
            signer_->key_id_hex());
}

TEST_P(VerifierTest, FromCertificatePemEqualsDer) {
  auto verifier = Verifier::FromCertificatePem(files_.cert_pem);
  ASSERT_TRUE(verifier.ok()) << verifier.status();
  EXPECT_EQ((*verifier)->key_id_hex(), verifier_->key_id_hex());
  EXPECT_EQ((*verifier)->cert_der(), verifier_->cert_der());
}

TEST_P(VerifierTest, RoundTrips) {
  for (const std::string& message :
       {std::string(), kMessage, std::string(1 << 20, '\0')}) {
    SCOPED_TRACE(message.size());
    auto sig = signer_->Sign(message);
    ASSERT_TRUE(sig.ok()) << sig.status();
    EXPECT_TRUE(verifier_->Verify(message, *sig).ok());
  }
}

TEST_P(VerifierTest, RefusesTamperedMessagesAndSignatures) {
  auto signed_sig = signer_->Sign(kMessage);
  ASSERT_TRUE(signed_sig.ok()) << signed_sig.status();
  const std::string sig = *signed_sig;
  auto flip = [](std::string s, size_t i) {
    s[i] = static_cast<char>(s[i] ^ 0x01);
    return s;
  };
  // DER with a BER long-form length: same numbers, non-canonical encoding.
  std::string ber = sig;
  if (GetParam().kind == KeyKind::kP256) {
    ber = std::string("\x30\x81", 2) + sig.substr(1);
  }
  struct Case {
    std::string name;
    std::string message;
    std::string sig;
  };
  const Case cases[] = {
      {"message_bit_flipped", flip(kMessage, 0), sig},
      {"message_last_bit_flipped", flip(kMessage, kMessage.size() - 1), sig},
      {"message_extended", kMessage + '\0', sig},
      {"message_truncated", kMessage.substr(0, kMessage.size() - 1), sig},
      {"message_empty", "", sig},
      {"sig_first_byte_flipped", kMessage, flip(sig, 0)},
      {"sig_middle_byte_flipped", kMessage, flip(sig, sig.size() / 2)},
      {"sig_last_byte_flipped", kMessage, flip(sig, sig.size() - 1)},
      {"sig_truncated", kMessage, sig.substr(0, sig.size() - 1)},
      {"sig_one_byte", kMessage, sig.substr(0, 1)},
      {"sig_empty", kMessage, ""},
      {"sig_trailing_zero", kMessage, sig + '\0'},
      {"sig_doubled", kMessage, sig + sig},
      {"sig_all_zero", kMessage, std::string(sig.size(), '\0')},
      {"sig_all_ff", kMessage, std::string(sig.size(), '\xff')},
      {"sig_ber_length", kMessage, ber},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    if (c.name == "sig_ber_length" && GetParam().kind != KeyKind::kP256) {
      continue;
    }
    ExpectDoesNotVerify(verifier_->Verify(c.message, c.sig));
  }
}

TEST_P(VerifierTest, RefusesGarbageOfEveryLength) {
  std::mt19937 rng(20240601);
  for (size_t len = 0; len <= 600; ++len) {
    std::string garbage(len, '\0');
    for (char& ch : garbage) ch = static_cast<char>(rng());
    // Also a DER-looking prefix, to get past the first parser check.
    std::string der_like = garbage;
    if (len >= 2) {
      der_like[0] = 0x30;
      der_like[1] = static_cast<char>(len - 2);
    }
    SCOPED_TRACE(len);
    ExpectDoesNotVerify(verifier_->Verify(kMessage, garbage));
    ExpectDoesNotVerify(verifier_->Verify(kMessage, der_like));
  }
}

TEST_P(VerifierTest, RefusesSignaturesOfOtherKeys) {
  KeyFiles same_kind, other_kind;
  ASSERT_TRUE(MakeKey(GetParam().kind, "same", &same_kind));
  ASSERT_TRUE(MakeKey(GetParam().other_kind, "other", &other_kind));
  for (const KeyFiles* files : {&same_kind, &other_kind}) {
    auto signer = Signer::FromPem(files->key_pem, files->cert_pem);
    ASSERT_TRUE(signer.ok()) << signer.status();
    auto sig = (*signer)->Sign(kMessage);
    ASSERT_TRUE(sig.ok()) << sig.status();
    ExpectDoesNotVerify(verifier_->Verify(kMessage, *sig));
  }
}

TEST_P(VerifierTest, AcceptsSignaturesMadeByOpensslCli) {
  WriteFile("msg.bin", kMessage);
  if (GetParam().kind == KeyKind::kEd25519) {
    ASSERT_TRUE(
        Run("openssl pkeyutl -sign -rawin -inkey user.key -in msg.bin "
            "-out sig.bin"));
  } else {
    ASSERT_TRUE(
        Run("openssl dgst -sha256 -sign user.key -out sig.bin msg.bin"));
  }
  const std::string sig = ReadFile("sig.bin");
  EXPECT_TRUE(verifier_->Verify(kMessage, sig).ok());
  ExpectDoesNotVerify(verifier_->Verify(kMessage + "x", sig));
}

TEST_P(VerifierTest, VerifiesConcurrently) {
  auto sig = signer_->Sign(kMessage);
  ASSERT_TRUE(sig.ok());
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 100; ++i) {
        if (!verifier_->Verify(kMessage, *sig).ok()) ++failures;
        if (verifier_->Verify(kMessage + "!", *sig).ok()) ++failures;
        const std::string mine = absl::StrCat("thread ", t, " message ", i);
        auto own = signer_->Sign(mine);
        if (!own.ok() || !verifier_->Verify(mine, *own).ok()) ++failures;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
}

INSTANTIATE_TEST_SUITE_P(Algorithms, VerifierTest,
                         ::testing::ValuesIn(kAlgorithms), CaseName);

class VerifierCertificateTest : public OpensslCliTest {};

TEST_F(VerifierCertificateTest, RefusesWhatIsNotAnAcceptedCertificate) {
  KeyFiles ed, rsa, p384, ed448;
  ASSERT_TRUE(MakeKey(KeyKind::kEd25519, "ed", &ed));
  ASSERT_TRUE(MakeKey(KeyKind::kRsa2048, "rsa", &rsa));
  ASSERT_TRUE(MakeKey(KeyKind::kP384, "p384", &p384));
  ASSERT_TRUE(MakeKey(KeyKind::kEd448, "ed448", &ed448));
  auto der_of = [this](const std::string& name) {
    EXPECT_TRUE(Run(absl::StrCat("openssl x509 -in ", name,
                                 ".crt -outform DER -out ", name, ".der")));
    return ReadFile(name + ".der");
  };
  const std::string ed_der = der_of("ed");
  struct Case {
    std::string name;
    std::string der;
    std::string reason;
  };
  const Case cases[] = {
      {"empty", "", "empty"},
      {"garbage", "not a certificate", "does not parse"},
      {"pem_not_der", ed.cert_pem, "does not parse"},
      {"truncated", ed_der.substr(0, ed_der.size() - 1), "does not parse"},
      {"header_only", ed_der.substr(0, 4), "does not parse"},
      {"trailing_byte", ed_der + '\0', "1 trailing bytes"},
      {"rsa_key", der_of("rsa"), "RSA"},
      {"p384_key", der_of("p384"), "secp384r1"},
      {"ed448_key", der_of("ed448"), "ED448"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    auto verifier = Verifier::FromCertificateDer(c.der);
    ASSERT_FALSE(verifier.ok());
    EXPECT_EQ(verifier.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_TRUE(absl::StartsWith(verifier.status().message(), "cert_der: "))
        << verifier.status();
    EXPECT_TRUE(absl::StrContains(verifier.status().message(), c.reason))
        << verifier.status();
    EXPECT_EQ(ERR_peek_error(), 0u);
  }
}

TEST_F(VerifierCertificateTest, FromCertificatePemRefusesGarbage) {
  for (const std::string& pem : {std::string(), std::string("garbage"),
                                 std::string("-----BEGIN CERTIFICATE-----\n"
                                             "AAAA\n"
                                             "-----END CERTIFICATE-----\n")}) {
    SCOPED_TRACE(pem);
    auto verifier = Verifier::FromCertificatePem(pem);
    ASSERT_FALSE(verifier.ok());
    EXPECT_EQ(verifier.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_TRUE(absl::StartsWith(verifier.status().message(), "cert_pem: ") ||
                absl::StartsWith(verifier.status().message(), "cert_der: "))
        << verifier.status();
  }
}

TEST(KeyIdHexTest, NullKeyIsEmpty) { EXPECT_EQ(KeyIdHex(nullptr), ""); }

}  // namespace
}  // namespace gw::crypto
