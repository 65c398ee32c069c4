// Tests of TrustStore (gateway/identity/trust_store.h) against the dev PKI
// (certs/make-dev-pki, run once per binary) and hostile certificates minted
// for the tests. Time is passed in: every `now` is derived from the
// certificates themselves, never from the clock.
#include "gateway/identity/trust_store.h"

#include <openssl/pem.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gateway/crypto/openssl_handles.h"
#include "gateway/policy/policy.h"
#include "gateway/util/file.h"
#include "gtest/gtest.h"
#include "tests/support/dev_pki.h"

namespace gw::identity {
namespace {

using gw::testing::DevPki;

std::shared_ptr<const policy::Policy> RealPolicy() {
  auto policy = policy::Policy::Load(GW_SOURCE_DIR "/policies");
  EXPECT_TRUE(policy.ok()) << policy.status();
  return policy.ok() ? *std::move(policy) : nullptr;
}

std::string ReadOrFail(const std::string& path) {
  auto text = util::ReadFile(path);
  EXPECT_TRUE(text.ok()) << text.status();
  return text.ok() ? *text : "";
}

crypto::X509Ptr ParsePem(const std::string& pem) {
  crypto::BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  return crypto::X509Ptr(
      PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
}

std::string DerOf(const std::string& pem) {
  crypto::X509Ptr cert = ParsePem(pem);
  if (cert == nullptr) return "";
  unsigned char* der = nullptr;
  const int len = i2d_X509(cert.get(), &der);
  std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(len));
  OPENSSL_free(der);
  return out;
}

absl::Time FromAsn1(const ASN1_TIME* t) {
  struct tm tm {};
  EXPECT_EQ(ASN1_TIME_to_tm(t, &tm), 1);
  return absl::FromTM(tm, absl::UTCTimeZone());
}

// The validity period of the certificate in `pem`.
struct Validity {
  absl::Time not_before;
  absl::Time not_after;
};
Validity ValidityOf(const std::string& pem) {
  crypto::X509Ptr cert = ParsePem(pem);
  EXPECT_NE(cert, nullptr);
  if (cert == nullptr) return {};
  return {FromAsn1(X509_get0_notBefore(cert.get())),
          FromAsn1(X509_get0_notAfter(cert.get()))};
}

std::string UserPem(const std::string& agency, const std::string& role,
                    const std::string& user) {
  return ReadOrFail(DevPki::Get().UserCert(agency, role, user));
}

class TrustStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(DevPki::Get().dir().empty());
    policy_ = RealPolicy();
    ASSERT_NE(policy_, nullptr);
    trust_ = Load();
    ASSERT_NE(trust_, nullptr);
    // A day after the PKI was made: every CA, CRL and normal user
    // certificate is valid then.
    now_ = ValidityOf(UserPem("CN-MPS", "investigator", "investigator1"))
               .not_before +
           absl::Hours(24);
  }

  std::unique_ptr<TrustStore> Load() {
    auto trust = TrustStore::Load(*policy_, DevPki::Get().dir());
    EXPECT_TRUE(trust.ok()) << trust.status();
    return trust.ok() ? *std::move(trust) : nullptr;
  }

  // Expects UNAUTHENTICATED with `reason_part` in the message.
  static void ExpectRefused(const absl::StatusOr<Principal>& principal,
                            const std::string& reason_part) {
    ASSERT_FALSE(principal.ok()) << principal->ToString();
    EXPECT_EQ(principal.status().code(), absl::StatusCode::kUnauthenticated)
        << principal.status();
    EXPECT_TRUE(absl::StrContains(principal.status().message(), reason_part))
        << principal.status() << " (want \"" << reason_part << "\")";
  }

  std::shared_ptr<const policy::Policy> policy_;
  std::unique_ptr<TrustStore> trust_;
  absl::Time now_;
};

TEST_F(TrustStoreTest, EveryUserOfEveryAgencyIsItsOwnPrincipal) {
  int checked = 0;
  for (const auto& agency : policy_->proto().agencies()) {
    for (const std::string& role : agency.roles()) {
      const std::string user = role + "1";
      SCOPED_TRACE(absl::StrCat(agency.code(), "/", role, "/", user));
      const std::string pem = UserPem(agency.code(), role, user);
      ASSERT_FALSE(pem.empty());
      for (bool as_der : {false, true}) {
        auto principal = as_der ? trust_->AuthenticateDer(DerOf(pem), now_)
                                : trust_->AuthenticatePem(pem, now_);
        ASSERT_TRUE(principal.ok()) << principal.status();
        EXPECT_EQ(principal->agency, agency.code());
        EXPECT_EQ(principal->role, role);
        EXPECT_EQ(principal->user, user);
        EXPECT_EQ(principal->cert_der, DerOf(pem));
      }
      ++checked;
    }
  }
  EXPECT_GE(checked, 7 * 2);
}

TEST_F(TrustStoreTest, CertificateClaimingAnotherAgencyDoesNotChain) {
  // O=TH-RTP, but issued by the KH-CNP CA.
  const std::string base =
      DevPki::Get().MintCertificate("KH-CNP", "TH-RTP", "liaison", "mallory");
  const std::string pem = ReadOrFail(base + ".crt");
  ExpectRefused(trust_->AuthenticatePem(pem, now_),
                "does not chain to the TH-RTP CA");
  ExpectRefused(trust_->AuthenticateDer(DerOf(pem), now_), "does not chain");
}

TEST_F(TrustStoreTest, HomeAgencyCaCannotVouchForAPartner) {
  const std::string base =
      DevPki::Get().MintCertificate("CN-MPS", "VN-MPS", "liaison", "mallory2");
  ExpectRefused(trust_->AuthenticatePem(ReadOrFail(base + ".crt"), now_),
                "does not chain to the VN-MPS CA");
}

TEST_F(TrustStoreTest, RevokedCertificatesAreRefused) {
  // make-dev-pki revokes one user of the agency's first role.
  for (const auto& agency : policy_->proto().agencies()) {
    const std::string first_role = agency.roles(0);
    SCOPED_TRACE(agency.code());
    ExpectRefused(trust_->AuthenticatePem(
                      UserPem(agency.code(), first_role, "revoked"), now_),
                  "revoked");
  }
}

TEST_F(TrustStoreTest, ExpiredCertificatesAreRefused) {
  for (const auto& agency : policy_->proto().agencies()) {
    SCOPED_TRACE(agency.code());
    ExpectRefused(trust_->AuthenticatePem(
                      UserPem(agency.code(), agency.roles(0), "expired"), now_),
                  "expired");
  }
}

TEST_F(TrustStoreTest, ValidityPeriodBoundaries) {
  const std::string pem = UserPem("TH-RTP", "liaison", "liaison1");
  const Validity validity = ValidityOf(pem);
  struct Case {
    std::string name;
    absl::Time now;
    std::string refusal;  // empty: accepted
  };
  const std::vector<Case> cases = {
      {"a day before notBefore", validity.not_before - absl::Hours(24),
       "not yet valid"},
      {"at notBefore + 1 day", validity.not_before + absl::Hours(24), ""},
      {"one second before notAfter", validity.not_after - absl::Seconds(1), ""},
      {"one second after notAfter", validity.not_after + absl::Seconds(1),
       "expired"},
      {"a year after notAfter", validity.not_after + absl::Hours(24 * 365),
       "expired"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto fresh = Load();  // no cached decision
    ASSERT_NE(fresh, nullptr);
    auto principal = fresh->AuthenticatePem(pem, c.now);
    if (c.refusal.empty()) {
      EXPECT_TRUE(principal.ok()) << principal.status();
    } else {
      ExpectRefused(principal, c.refusal);
    }
  }
}

TEST_F(TrustStoreTest, CachedPrincipalStopsBeingAcceptedAfterNotAfter) {
  const std::string pem = UserPem("VN-MPS", "investigator", "investigator1");
  const Validity validity = ValidityOf(pem);
  ASSERT_TRUE(trust_->AuthenticatePem(pem, now_).ok());
  ASSERT_TRUE(trust_->AuthenticatePem(pem, now_ + absl::Hours(1))
                  .ok());  // from the cache
  ExpectRefused(
      trust_->AuthenticatePem(pem, validity.not_after + absl::Seconds(1)),
      "expired");
  ExpectRefused(
      trust_->AuthenticateDer(DerOf(pem), validity.not_after + absl::Hours(24)),
      "expired");
}

// A cached decision holds only inside the certificate's validity period:
// after the clock steps back before notBefore the certificate is refused.
TEST_F(TrustStoreTest, CachedPrincipalIsNotAcceptedBeforeNotBefore) {
  const std::string pem = UserPem("LA-MPS", "liaison", "liaison1");
  const Validity validity = ValidityOf(pem);
  ASSERT_TRUE(trust_->AuthenticatePem(pem, now_).ok());
  ExpectRefused(
      trust_->AuthenticatePem(pem, validity.not_before - absl::Hours(24)),
      "not yet valid");
}

TEST_F(TrustStoreTest, GatewayTlsCertificateAuthenticatesAsTheGateway) {
  auto principal = trust_->AuthenticatePem(
      ReadOrFail(DevPki::Get().dir() + "/TH-RTP/gateway.crt"), now_);
  ASSERT_TRUE(principal.ok()) << principal.status();
  EXPECT_EQ(principal->ToString(), "TH-RTP/gateway/gateway");
}

// CONTRACT.md §3 keeps a gateway's two keys apart: gateway.crt authenticates
// connections, signing.crt (no extended key usage) only signs.
TEST_F(TrustStoreTest, GatewaySigningCertificateDoesNotAuthenticate) {
  ExpectRefused(
      trust_->AuthenticatePem(
          ReadOrFail(DevPki::Get().dir() + "/TH-RTP/signing.crt"), now_),
      "TLS client");
}

TEST_F(TrustStoreTest, UnknownAgencyIsRefused) {
  const std::string base =
      DevPki::Get().MintCertificate("TH-RTP", "XX-ABC", "liaison", "nobody");
  ExpectRefused(trust_->AuthenticatePem(ReadOrFail(base + ".crt"), now_),
                "XX-ABC is not a known agency");
}

TEST_F(TrustStoreTest, RoleTheAgencyLacksIsRefused) {
  // CN-MFA has reviewers and auditors, no investigators; its own CA signed.
  const std::string base =
      DevPki::Get().MintCertificate("CN-MFA", "CN-MFA", "investigator", "eve");
  ExpectRefused(trust_->AuthenticatePem(ReadOrFail(base + ".crt"), now_),
                "agency CN-MFA has no role investigator");
}

TEST_F(TrustStoreTest, MintedCertificateForARealRoleIsAccepted) {
  // The control for the two tests above: the minting itself is sound.
  const std::string base =
      DevPki::Get().MintCertificate("CN-MFA", "CN-MFA", "reviewer", "alice");
  auto principal = trust_->AuthenticatePem(ReadOrFail(base + ".crt"), now_);
  ASSERT_TRUE(principal.ok()) << principal.status();
  EXPECT_EQ(principal->ToString(), "CN-MFA/reviewer/alice");
}

TEST_F(TrustStoreTest, GarbageIsUnauthenticated) {
  ExpectRefused(trust_->AuthenticatePem("not a certificate", now_), "");
  ExpectRefused(trust_->AuthenticatePem("", now_), "");
  ExpectRefused(trust_->AuthenticateDer("\x30\x03\x02\x01\x00", now_), "");
  ExpectRefused(trust_->AuthenticateDer("", now_), "");
}

TEST_F(TrustStoreTest, RootCertsHoldEveryAgencyCa) {
  const std::string& roots = trust_->root_certs_pem();
  size_t count = 0;
  for (size_t at = roots.find("BEGIN CERTIFICATE"); at != std::string::npos;
       at = roots.find("BEGIN CERTIFICATE", at + 1)) {
    ++count;
  }
  EXPECT_EQ(count, static_cast<size_t>(policy_->proto().agencies_size()));
  for (const auto& agency : policy_->proto().agencies()) {
    const std::string ca = ReadOrFail(DevPki::Get().CaCert(agency.code()));
    EXPECT_TRUE(absl::StrContains(roots, ca)) << agency.code();
  }
}

TEST_F(TrustStoreTest, MissingCaFileIsNotFoundWithAHint) {
  const std::string empty = gw::testing::MakeTempDir("gw-empty-pki");
  auto trust = TrustStore::Load(*policy_, empty);
  ASSERT_FALSE(trust.ok());
  EXPECT_EQ(trust.status().code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(absl::StrContains(trust.status().message(), "CN-MPS/ca.crt"))
      << trust.status();
  EXPECT_TRUE(absl::StrContains(trust.status().message(), "make-dev-pki"))
      << trust.status();
  std::error_code ignored;
  std::filesystem::remove_all(empty, ignored);
}

TEST_F(TrustStoreTest, CaOfTheWrongAgencyIsRefusedAtLoad) {
  // A PKI copy in which TH-RTP's CA file holds the KH-CNP CA.
  const std::string copy = gw::testing::MakeTempDir("gw-swapped-pki") + "/pki";
  std::filesystem::copy(DevPki::Get().dir(), copy,
                        std::filesystem::copy_options::recursive);
  std::filesystem::copy_file(copy + "/KH-CNP/ca.crt", copy + "/TH-RTP/ca.crt",
                             std::filesystem::copy_options::overwrite_existing);
  auto trust = TrustStore::Load(*policy_, copy);
  ASSERT_FALSE(trust.ok());
  EXPECT_EQ(trust.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(trust.status().message(), "TH-RTP/ca.crt"))
      << trust.status();
  std::error_code ignored;
  std::filesystem::remove_all(std::filesystem::path(copy).parent_path(),
                              ignored);
}

// SubjectAttribute over in-memory subjects.
TEST(SubjectAttributeTest, ExactlyOneNonEmptyValue) {
  struct Case {
    std::string name;
    std::vector<std::string> organizations;  // O values in the subject
    absl::StatusCode want;
    std::string reason_part;
  };
  const std::vector<Case> cases = {
      {"one", {"CN-MPS"}, absl::StatusCode::kOk, ""},
      {"missing", {}, absl::StatusCode::kInvalidArgument, "O: missing"},
      {"twice",
       {"CN-MPS", "TH-RTP"},
       absl::StatusCode::kInvalidArgument,
       "O: appears more than once"},
      {"UTF-8", {"\xe5\x85\xac\xe5\xae\x89"}, absl::StatusCode::kOk, ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    crypto::X509Ptr cert(X509_new());
    ASSERT_NE(cert, nullptr);
    X509_NAME* name = X509_get_subject_name(cert.get());
    ASSERT_EQ(X509_NAME_add_entry_by_NID(
                  name, NID_commonName, MBSTRING_UTF8,
                  reinterpret_cast<const unsigned char*>("user1"), -1, -1, 0),
              1);
    for (const std::string& o : c.organizations) {
      ASSERT_EQ(
          X509_NAME_add_entry_by_NID(
              name, NID_organizationName, MBSTRING_UTF8,
              reinterpret_cast<const unsigned char*>(o.c_str()), -1, -1, 0),
          1);
    }
    auto value = SubjectAttribute(cert.get(), NID_organizationName);
    EXPECT_EQ(value.status().code(), c.want) << value.status();
    if (c.want == absl::StatusCode::kOk) {
      ASSERT_TRUE(value.ok());
      EXPECT_EQ(*value, c.organizations[0]);
    } else {
      EXPECT_TRUE(absl::StrContains(value.status().message(), c.reason_part))
          << value.status();
    }
  }
}

}  // namespace
}  // namespace gw::identity
