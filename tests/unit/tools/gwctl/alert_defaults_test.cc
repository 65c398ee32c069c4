// tests/unit/tools/gwctl/alert_defaults_test.cc
#include "tools/gwctl/alert_defaults.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "gateway/crypto/signer.h"
#include "gateway/util/proto_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "test_pki.h"
#include "tools/gwctl/certificate_subject.h"
#include "tools/gwctl/message_file.h"

namespace gw::gwctl {
namespace {

using testing::SharedPki;

// The subject of the self-signed test certificate, read as gwctl reads it.
CertificateSubject SelfSignedSubject() {
  const std::string dir = SharedPki().dir();
  auto signer =
      crypto::Signer::FromPemFiles(dir + "/self.key", dir + "/self.crt");
  EXPECT_TRUE(signer.ok()) << signer.status();
  if (!signer.ok()) return {};
  auto subject = CertificateSubjectFromDer((*signer)->cert_der(), "self.crt");
  EXPECT_TRUE(subject.ok()) << subject.status();
  return subject.ok() ? *subject : CertificateSubject{};
}

bool IsLowercaseUuidV4(const std::string& id) {
  if (id.size() != 36) return false;
  for (size_t i = 0; i < id.size(); ++i) {
    const char c = id[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  return id[14] == '4' && std::string("89ab").find(id[19]) != std::string::npos;
}

TEST(CertificateSubjectTest, ReadsOrganizationUnitAndCommonName) {
  const CertificateSubject subject = SelfSignedSubject();
  EXPECT_EQ(subject.agency, "CN-MPS");
  EXPECT_EQ(subject.role, "investigator");
  EXPECT_EQ(subject.user, "inv-0107");
}

TEST(CertificateSubjectTest, RefusesACertificateWithoutOrganization) {
  testing::TestPki pki;
  ASSERT_TRUE(pki.MakeSelfSigned("no-o", "/OU=investigator/CN=someone"));
  auto signer = crypto::Signer::FromPemFiles(pki.dir() + "/no-o.key",
                                             pki.dir() + "/no-o.crt");
  ASSERT_TRUE(signer.ok()) << signer.status();
  auto subject = CertificateSubjectFromDer((*signer)->cert_der(), "no-o.crt");
  EXPECT_EQ(subject.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(subject.status().message()),
              ::testing::StartsWith("no-o.crt: certificate subject has no O"));
}

TEST(CertificateSubjectTest, RefusesBytesThatAreNotACertificate) {
  auto subject = CertificateSubjectFromDer("not DER", "cert_der");
  EXPECT_EQ(subject.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(subject.status().message()),
              ::testing::StartsWith("cert_der"));
}

class AlertDefaultsTest : public ::testing::TestWithParam<std::string> {};

TEST_P(AlertDefaultsTest, ExampleGetsIdOriginOriginatorAndTimeFromCertificate) {
  gw::v1::CaseAlert alert;
  ASSERT_TRUE(
      LoadMessageFile(
          absl::StrCat(GW_SOURCE_DIR, "/tools/gwctl/examples/", GetParam()),
          &alert)
          .ok());
  const absl::Time now = absl::FromUnixSeconds(1795860902);  // 2026-11-28
  FillAlertDefaults(SelfSignedSubject(), now, &alert);
  EXPECT_TRUE(IsLowercaseUuidV4(alert.alert_id())) << alert.alert_id();
  EXPECT_EQ(alert.origin_agency(), "CN-MPS");
  EXPECT_EQ(alert.originator(), "inv-0107");
  ASSERT_TRUE(alert.has_created_at());
  EXPECT_EQ(util::FromTimestamp(alert.created_at()), now);
}

INSTANTIATE_TEST_SUITE_P(Examples, AlertDefaultsTest,
                         ::testing::Values("missing-child.json",
                                           "suspect-wanted.textproto",
                                           "victim-identified-laos.json",
                                           "wanted-trafficker-mekong.json"),
                         [](const auto& info) {
                           std::string name = info.param;
                           for (char& c : name) {
                             if (c == '-' || c == '.') c = '_';
                           }
                           return name;
                         });

TEST(AlertDefaultsTest, KeepsEveryValueThatIsSet) {
  gw::v1::CaseAlert alert;
  alert.set_alert_id("CNMPS-ALERT-2026-000735");
  alert.set_origin_agency(
      "TH-RTP");  // not the certificate's: the gateway judges
  alert.set_originator("yn-xsbn-inv-0107");
  alert.mutable_created_at()->set_seconds(1773455400);
  const gw::v1::CaseAlert before = alert;
  FillAlertDefaults(SelfSignedSubject(), absl::FromUnixSeconds(1795860902),
                    &alert);
  EXPECT_EQ(alert.SerializeAsString(), before.SerializeAsString());
}

TEST(AlertDefaultsTest, EachEmptyFieldIsFilledAlone) {
  gw::v1::CaseAlert alert;
  alert.set_alert_id("A-1");
  alert.mutable_created_at()->set_seconds(0);  // set, even if zero
  FillAlertDefaults(SelfSignedSubject(), absl::FromUnixSeconds(1795860902),
                    &alert);
  EXPECT_EQ(alert.alert_id(), "A-1");
  EXPECT_EQ(alert.created_at().seconds(), 0);
  EXPECT_EQ(alert.origin_agency(), "CN-MPS");
  EXPECT_EQ(alert.originator(), "inv-0107");
}

TEST(AlertDefaultsTest, NewIdsDiffer) {
  gw::v1::CaseAlert a;
  gw::v1::CaseAlert b;
  FillAlertDefaults(CertificateSubject{"CN-MPS", "investigator", "u"},
                    absl::UnixEpoch(), &a);
  FillAlertDefaults(CertificateSubject{"CN-MPS", "investigator", "u"},
                    absl::UnixEpoch(), &b);
  EXPECT_NE(a.alert_id(), b.alert_id());
}

}  // namespace
}  // namespace gw::gwctl
