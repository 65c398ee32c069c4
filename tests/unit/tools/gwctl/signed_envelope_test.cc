// tests/unit/tools/gwctl/signed_envelope_test.cc
#include "tools/gwctl/signed_envelope.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "gateway/crypto/dsse.h"
#include "gateway/crypto/signer.h"
#include "gateway/crypto/verifier.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "gw/v1/alert.pb.h"
#include "test_pki.h"
#include "tools/gwctl/alert_defaults.h"
#include "tools/gwctl/message_file.h"

namespace gw::gwctl {
namespace {

std::unique_ptr<crypto::Signer> UserSigner() {
  const std::string base =
      testing::SharedPki().dir() + "/CN-MPS/investigator/investigator1";
  auto signer = crypto::Signer::FromPemFiles(base + ".key", base + ".crt");
  EXPECT_TRUE(signer.ok()) << signer.status();
  return signer.ok() ? *std::move(signer) : nullptr;
}

gw::v1::CaseAlert ExampleAlert() {
  gw::v1::CaseAlert alert;
  EXPECT_TRUE(
      LoadMessageFile(absl::StrCat(GW_SOURCE_DIR,
                                   "/tools/gwctl/examples/missing-child.json"),
                      &alert)
          .ok());
  FillAlertDefaults({"CN-MPS", "investigator", "investigator1"},
                    absl::FromUnixSeconds(1795860902), &alert);
  return alert;
}

TEST(SignedEnvelopeTest, VerifiesAndCarriesTheAlert) {
  std::unique_ptr<crypto::Signer> signer = UserSigner();
  ASSERT_NE(signer, nullptr);
  const gw::v1::CaseAlert alert = ExampleAlert();
  auto envelope = SignedEnvelopeFor(alert, kCaseAlertPayloadType, *signer);
  ASSERT_TRUE(envelope.ok()) << envelope.status();

  EXPECT_EQ(envelope->payload_type(), "application/vnd.gw.v1.CaseAlert+proto");
  ASSERT_EQ(envelope->signatures_size(), 1);
  EXPECT_EQ(envelope->signatures(0).keyid(), signer->key_id_hex());
  EXPECT_EQ(envelope->signatures(0).cert_der(), signer->cert_der());

  auto verifier =
      crypto::Verifier::FromCertificateDer(envelope->signatures(0).cert_der());
  ASSERT_TRUE(verifier.ok()) << verifier.status();
  EXPECT_TRUE(crypto::VerifyEnvelopeSignature(*envelope, 0, **verifier).ok());

  gw::v1::CaseAlert parsed;
  ASSERT_TRUE(parsed.ParseFromString(envelope->payload()));
  EXPECT_EQ(parsed.SerializeAsString(), alert.SerializeAsString());
  EXPECT_EQ(parsed.alert_id(), alert.alert_id());
}

TEST(SignedEnvelopeTest, TamperedPayloadNoLongerVerifies) {
  std::unique_ptr<crypto::Signer> signer = UserSigner();
  ASSERT_NE(signer, nullptr);
  auto envelope =
      SignedEnvelopeFor(ExampleAlert(), kCaseAlertPayloadType, *signer);
  ASSERT_TRUE(envelope.ok());
  envelope->mutable_payload()->back() ^= 1;
  auto verifier = crypto::Verifier::FromCertificateDer(signer->cert_der());
  ASSERT_TRUE(verifier.ok());
  EXPECT_EQ(crypto::VerifyEnvelopeSignature(*envelope, 0, **verifier).code(),
            absl::StatusCode::kUnauthenticated);
}

TEST(SignedEnvelopeTest, SameAlertGivesTheSameEnvelope) {
  std::unique_ptr<crypto::Signer> signer = UserSigner();
  ASSERT_NE(signer, nullptr);
  const gw::v1::CaseAlert alert = ExampleAlert();
  auto first = SignedEnvelopeFor(alert, kCaseAlertPayloadType, *signer);
  auto second = SignedEnvelopeFor(alert, kCaseAlertPayloadType, *signer);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->SerializeAsString(), second->SerializeAsString());
}

}  // namespace
}  // namespace gw::gwctl
