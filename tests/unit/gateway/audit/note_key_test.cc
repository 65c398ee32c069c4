// tests/unit/gateway/audit/note_key_test.cc
#include "gateway/audit/note_key.h"

#include <string>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gateway/crypto/verifier.h"
#include "gtest/gtest.h"
#include "tests/unit/gateway/crypto/openssl_cli.h"

namespace gw::audit {
namespace {

using ::gw::crypto::testing::KeyFiles;
using ::gw::crypto::testing::KeyKind;
using ::gw::crypto::testing::OpensslCliTest;

class NoteKeyTest : public OpensslCliTest {};

TEST_F(NoteKeyTest, KeyIdAndPublicKeyMatchTheOpensslCli) {
  KeyFiles files;
  ASSERT_TRUE(MakeKey(KeyKind::kEd25519, "gateway", &files));
  auto verifier = crypto::Verifier::FromCertificatePem(files.cert_pem);
  ASSERT_TRUE(verifier.ok()) << verifier.status();
  const std::string name = "example.com/mekong-audit";
  auto key = NoteKey::FromCertificateDer(name, (*verifier)->cert_der());
  ASSERT_TRUE(key.ok()) << key.status();

  // An Ed25519 SubjectPublicKeyInfo ends with the raw 32-byte key.
  ASSERT_TRUE(
      Run("openssl pkey -in gateway.key -pubout -outform DER | tail -c 32 > "
          "pub.raw"));
  EXPECT_EQ(key->public_key(), ReadFile("pub.raw"));
  std::string id_hex;
  ASSERT_TRUE(
      Run(absl::StrCat("(printf '", name,
                       "\\n\\001'; cat pub.raw) | openssl dgst -sha256 "
                       "-binary | head -c 4 | od -An -tx1 | tr -d ' \\n'"),
          &id_hex));
  EXPECT_EQ(absl::StrCat(absl::Hex(key->key_id(), absl::kZeroPad8)), id_hex);
  EXPECT_EQ(NoteKeyId(name, key->public_key()), key->key_id());

  // The vkey form, assembled with the CLI too.
  std::string vkey_key;
  ASSERT_TRUE(Run("(printf '\\001'; cat pub.raw) | base64 -w0", &vkey_key));
  EXPECT_EQ(key->VerifierKey(), absl::StrCat(name, "+", id_hex, "+", vkey_key));
}

TEST_F(NoteKeyTest, RefusesKeysThatAreNotEd25519) {
  for (KeyKind kind : {KeyKind::kP256, KeyKind::kEd448}) {
    KeyFiles files;
    ASSERT_TRUE(MakeKey(kind, "other", &files));
    ASSERT_TRUE(Run("openssl x509 -in other.crt -outform DER -out other.der"));
    auto key = NoteKey::FromCertificateDer("name", ReadFile("other.der"));
    EXPECT_EQ(key.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_TRUE(absl::StartsWith(key.status().message(), "cert_der:"))
        << key.status();
  }
  EXPECT_EQ(
      NoteKey::FromCertificateDer("name", "not a certificate").status().code(),
      absl::StatusCode::kInvalidArgument);
}

TEST(NoteKeyParseTest, VerifierKeyRoundTripsAndIsStrict) {
  auto key = NoteKey::FromPublicKey("example.com/log", std::string(32, '\x07'));
  ASSERT_TRUE(key.ok()) << key.status();
  const std::string vkey = key->VerifierKey();
  auto parsed = NoteKey::FromVerifierKey(vkey);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->name(), key->name());
  EXPECT_EQ(parsed->public_key(), key->public_key());
  EXPECT_EQ(parsed->key_id(), key->key_id());

  const std::vector<std::string> parts = absl::StrSplit(vkey, '+');
  ASSERT_EQ(parts.size(), 3u);
  std::string other_id = parts[1];
  other_id[0] = other_id[0] == '0' ? '1' : '0';
  std::string upper_id = absl::AsciiStrToUpper(parts[1]);
  struct Case {
    std::string name;
    std::string vkey;
    std::string field;
  };
  const Case cases[] = {
      {"two fields", parts[0] + "+" + parts[1], "vkey:"},
      {"empty name", "+" + parts[1] + "+" + parts[2], "vkey.name:"},
      {"wrong id", parts[0] + "+" + other_id + "+" + parts[2], "vkey.key_id:"},
      {"short id", parts[0] + "+" + parts[1].substr(1) + "+" + parts[2],
       "vkey.key_id:"},
      {"wrong name for id", "example.com/other+" + parts[1] + "+" + parts[2],
       "vkey.key_id:"},
      {"bad base64", parts[0] + "+" + parts[1] + "+" + parts[2] + "!",
       "vkey.key:"},
      {"wrong type byte",
       parts[0] + "+" + parts[1] + "+" +
           absl::Base64Escape(std::string(1, '\x02') + std::string(32, '\x07')),
       "vkey.key:"},
      {"short key",
       parts[0] + "+" + parts[1] + "+" +
           absl::Base64Escape(std::string(1, '\x01') + std::string(31, '\x07')),
       "vkey.key:"},
  };
  if (upper_id != parts[1]) {
    EXPECT_FALSE(
        NoteKey::FromVerifierKey(parts[0] + "+" + upper_id + "+" + parts[2])
            .ok());
  }
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    auto bad = NoteKey::FromVerifierKey(c.vkey);
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_TRUE(absl::StartsWith(bad.status().message(), c.field))
        << bad.status();
  }
  EXPECT_EQ(NoteKey::FromPublicKey("a b", std::string(32, 'k')).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(
      NoteKey::FromPublicKey("n", std::string(31, 'k')).status().message(),
      "public_key: 31 bytes"));
}

}  // namespace
}  // namespace gw::audit
