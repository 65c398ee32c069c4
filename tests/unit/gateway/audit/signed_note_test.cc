// tests/unit/gateway/audit/signed_note_test.cc
#include "gateway/audit/signed_note.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "gateway/audit/note_key.h"
#include "gateway/crypto/signer.h"
#include "gateway/crypto/verifier.h"
#include "gtest/gtest.h"
#include "tests/unit/gateway/crypto/openssl_cli.h"

namespace gw::audit {
namespace {

using ::gw::crypto::testing::KeyFiles;
using ::gw::crypto::testing::KeyKind;
using ::gw::crypto::testing::OpensslCliTest;

constexpr absl::string_view kName = "example.com/mekong-audit";
constexpr absl::string_view kBody =
    "example.com/mekong-audit\n8\n"
    "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n";

class SignedNoteTest : public OpensslCliTest {
 protected:
  void SetUp() override {
    OpensslCliTest::SetUp();
    if (HasFatalFailure()) return;
    ASSERT_TRUE(MakeKey(KeyKind::kEd25519, "gateway", &files_));
    auto signer =
        crypto::Signer::FromPemFiles(files_.key_path, files_.cert_path);
    ASSERT_TRUE(signer.ok()) << signer.status();
    signer_ = *std::move(signer);
    auto verifier = crypto::Verifier::FromCertificatePem(files_.cert_pem);
    ASSERT_TRUE(verifier.ok()) << verifier.status();
    verifier_ = *std::move(verifier);
    auto note = SignNote(kBody, kName, *signer_);
    ASSERT_TRUE(note.ok()) << note.status();
    note_ = *std::move(note);
  }

  // A signature line by another, freshly made key.
  std::string ForeignLine(absl::string_view key_name) {
    KeyFiles other;
    EXPECT_TRUE(MakeKey(KeyKind::kEd25519, "other", &other));
    auto signer = crypto::Signer::FromPemFiles(other.key_path, other.cert_path);
    EXPECT_TRUE(signer.ok());
    auto note = SignNote(kBody, key_name, **signer);
    EXPECT_TRUE(note.ok());
    return note->substr(kBody.size() + 1);
  }

  KeyFiles files_;
  std::unique_ptr<crypto::Signer> signer_;
  std::unique_ptr<crypto::Verifier> verifier_;
  std::string note_;
};

TEST_F(SignedNoteTest, SignsInTheC2spFormat) {
  ASSERT_TRUE(absl::StartsWith(note_, absl::StrCat(kBody, "\n")));
  const std::string line = note_.substr(kBody.size() + 1);
  const std::string prefix = absl::StrCat("\xE2\x80\x94 ", kName, " ");
  ASSERT_TRUE(absl::StartsWith(line, prefix)) << line;
  ASSERT_TRUE(absl::EndsWith(line, "\n"));
  std::string decoded;
  ASSERT_TRUE(absl::Base64Unescape(
      line.substr(prefix.size(), line.size() - prefix.size() - 1), &decoded));
  ASSERT_EQ(decoded.size(), 4u + 64u);
  auto key = NoteKey::FromCertificateDer(kName, verifier_->cert_der());
  ASSERT_TRUE(key.ok());
  const uint32_t id = (uint32_t{static_cast<uint8_t>(decoded[0])} << 24) |
                      (uint32_t{static_cast<uint8_t>(decoded[1])} << 16) |
                      (uint32_t{static_cast<uint8_t>(decoded[2])} << 8) |
                      uint32_t{static_cast<uint8_t>(decoded[3])};
  EXPECT_EQ(id, key->key_id());
  // The signature is over the body exactly: the openssl CLI agrees.
  WriteFile("body.txt", kBody);
  WriteFile("sig.bin", decoded.substr(4));
  ASSERT_TRUE(Run("openssl x509 -in gateway.crt -pubkey -noout -out pub.pem"));
  EXPECT_TRUE(
      Run("openssl pkeyutl -verify -rawin -pubin -inkey pub.pem "
          "-in body.txt -sigfile sig.bin"));
  // Ed25519 is deterministic.
  auto again = SignNote(kBody, kName, *signer_);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, note_);
}

TEST_F(SignedNoteTest, VerifyReturnsTheBody) {
  auto body = VerifyNote(note_, kName, *verifier_);
  ASSERT_TRUE(body.ok()) << body.status();
  EXPECT_EQ(*body, kBody);
}

TEST_F(SignedNoteTest, OtherKeysSignaturesAreIgnored) {
  const std::string foreign = ForeignLine("witness.example/w1");
  const std::string same_name = ForeignLine(kName);  // same name, other id
  for (const std::string& note :
       {absl::StrCat(note_, foreign),
        absl::StrCat(kBody, "\n", foreign, note_.substr(kBody.size() + 1)),
        absl::StrCat(note_, same_name)}) {
    auto body = VerifyNote(note, kName, *verifier_);
    ASSERT_TRUE(body.ok()) << body.status();
    EXPECT_EQ(*body, kBody);
  }
  // Only other keys: refused.
  auto only_foreign =
      VerifyNote(absl::StrCat(kBody, "\n", foreign), kName, *verifier_);
  EXPECT_EQ(only_foreign.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_TRUE(absl::StartsWith(only_foreign.status().message(),
                               "note: no signature by key"));
}

TEST_F(SignedNoteTest, TamperingFails) {
  const std::string line = note_.substr(kBody.size() + 1);
  // Change one signature byte (not the key id) and re-encode canonically.
  std::string decoded;
  ASSERT_TRUE(absl::Base64Unescape(
      line.substr(line.find(' ', 4) + 1, line.size() - line.find(' ', 4) - 2),
      &decoded));
  decoded[10] ^= 1;
  const std::string bad_signature = absl::StrCat(
      kBody, "\n\xE2\x80\x94 ", kName, " ", absl::Base64Escape(decoded), "\n");
  decoded[10] ^= 1;
  decoded[0] ^= 1;  // the key id
  const std::string bad_key_id = absl::StrCat(
      kBody, "\n\xE2\x80\x94 ", kName, " ", absl::Base64Escape(decoded), "\n");
  struct Case {
    std::string name;
    std::string note;
    std::string key_name;
    std::string field;
  };
  const std::string name(kName);
  const Case cases[] = {
      {"body size changed", absl::StrReplaceAll(note_, {{"\n8\n", "\n9\n"}}),
       name, "note.signatures[0]: signature does not verify"},
      {"body origin changed",
       absl::StrReplaceAll(note_, {{"mekong-audit\n8", "mekong-audiT\n8"}}),
       name, "note.signatures[0]: signature does not verify"},
      {"signature changed", bad_signature, name,
       "note.signatures[0]: signature does not verify"},
      {"second line by our key is bad",
       absl::StrCat(note_, bad_signature.substr(kBody.size() + 1)), name,
       "note.signatures[1]: signature does not verify"},
      {"key id changed", bad_key_id, name, "note: no signature by key"},
      {"wrong key name", note_, "example.com/other",
       "note: no signature by key"},
      {"key name in other case", note_, "Example.com/mekong-audit",
       "note: no signature by key"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    auto body = VerifyNote(c.note, c.key_name, *verifier_);
    ASSERT_FALSE(body.ok());
    EXPECT_EQ(body.status().code(), absl::StatusCode::kUnauthenticated);
    EXPECT_TRUE(absl::StartsWith(body.status().message(), c.field))
        << body.status();
  }
  // Another certificate's verifier does not accept our note.
  KeyFiles other;
  ASSERT_TRUE(MakeKey(KeyKind::kEd25519, "stranger", &other));
  auto stranger = crypto::Verifier::FromCertificatePem(other.cert_pem);
  ASSERT_TRUE(stranger.ok());
  EXPECT_EQ(VerifyNote(note_, kName, **stranger).status().code(),
            absl::StatusCode::kUnauthenticated);
}

TEST_F(SignedNoteTest, MalformedNotesAreInvalidArgument) {
  const std::string line = note_.substr(kBody.size() + 1);
  const std::string b64 = line.substr(line.find(' ', 4) + 1);
  struct Case {
    std::string name;
    std::string note;
    std::string field;
  };
  const Case cases[] = {
      {"no blank line", absl::StrCat(kBody, line), "note: no blank line"},
      {"no signature", absl::StrCat(kBody, "\n"), "note: want signature lines"},
      {"no final newline", note_.substr(0, note_.size() - 1),
       "note: want signature lines"},
      {"carriage return", absl::StrReplaceAll(note_, {{"\n8\n", "\r\n8\n"}}),
       "note: control character"},
      {"not utf-8", absl::StrCat("\xff", note_), "note: not valid UTF-8"},
      {"hyphen instead of em dash",
       absl::StrCat(kBody, "\n- ", kName, " ", b64), "note.signatures[0]:"},
      {"no space after name",
       absl::StrCat(kBody, "\n\xE2\x80\x94 ", kName, "\n"),
       "note.signatures[0]:"},
      {"empty key name", absl::StrCat(kBody, "\n\xE2\x80\x94  ", b64),
       "note.signatures[0].key_name:"},
      {"key name with plus", absl::StrCat(kBody, "\n\xE2\x80\x94 a+b ", b64),
       "note.signatures[0].key_name:"},
      {"unpadded base64",
       absl::StrCat(kBody, "\n\xE2\x80\x94 ", kName, " ",
                    absl::StripSuffix(b64, "=\n"), "\n"),
       "note.signatures[0]: signature is not canonical base64"},
      {"signature too short",
       absl::StrCat(kBody, "\n\xE2\x80\x94 ", kName, " ",
                    absl::Base64Escape("abcd"), "\n"),
       "note.signatures[0]: 4 signature bytes"},
      {"too many signatures",
       absl::StrCat(kBody, "\n",
                    [&] {
                      std::string lines;
                      for (int i = 0; i < 65; ++i)
                        absl::StrAppend(&lines, line);
                      return lines;
                    }()),
       "note: 65 signatures"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    auto body = VerifyNote(c.note, kName, *verifier_);
    ASSERT_FALSE(body.ok());
    EXPECT_EQ(body.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_TRUE(absl::StartsWith(body.status().message(), c.field))
        << body.status();
  }
  // 16 lines by our key are accepted (the spec's minimum).
  std::string sixteen = absl::StrCat(kBody, "\n");
  for (int i = 0; i < 16; ++i) absl::StrAppend(&sixteen, line);
  EXPECT_TRUE(VerifyNote(sixteen, kName, *verifier_).ok());
}

TEST_F(SignedNoteTest, SignRefusesBadInput) {
  struct Case {
    std::string name;
    std::string body;
    std::string key_name;
    std::string field;
  };
  const std::string name(kName);
  const Case cases[] = {
      {"empty body", "", name, "body:"},
      {"no final newline", "abc", name, "body:"},
      {"control character", "a\tb\n", name, "body:"},
      {"empty key name", std::string(kBody), "", "key_name:"},
      {"space in key name", std::string(kBody), "a b", "key_name:"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    auto note = SignNote(c.body, c.key_name, *signer_);
    ASSERT_FALSE(note.ok());
    EXPECT_EQ(note.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_TRUE(absl::StartsWith(note.status().message(), c.field))
        << note.status();
  }
  KeyFiles p256;
  ASSERT_TRUE(MakeKey(KeyKind::kP256, "p256", &p256));
  auto ecdsa = crypto::Signer::FromPemFiles(p256.key_path, p256.cert_path);
  ASSERT_TRUE(ecdsa.ok()) << ecdsa.status();
  auto note = SignNote(kBody, kName, **ecdsa);
  EXPECT_EQ(note.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(note.status().message(), "cert_der:"));
}

}  // namespace
}  // namespace gw::audit
