// tests/unit/adapters/kh_cnp/kh_cnp_adapter_test.cc
//
// The "kh_cnp" factory: a valid policy entry gives an adapter whose codec
// is KhCnpCodec (answers included) with max_in_flight from the settings
// (16 by default, KH-CNP.md §9); bad entries are refused naming the field.
#include "adapters/kh_cnp/kh_cnp_adapter.h"

#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "adapters/kh_cnp/kh_cnp_codec.h"
#include "adapters/transport/https_link_settings.h"
#include "gateway/crypto/signer.h"
#include "gateway/crypto/verifier.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "gw/adapters/https_link/v1/settings.pb.h"
#include "gw/v1/receipt.pb.h"
#include "tests/support/dev_pki.h"
#include "tests/support/rfc8032_keys.h"

namespace gw::kh_cnp {
namespace {

using gw::adapters::https_link::v1::Settings;
using ::testing::HasSubstr;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << path;
  std::stringstream out;
  out << in.rdbuf();
  return out.str();
}

class KhCnpAdapterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto& pki = gw::testing::DevPki::Get();
    context_.local_agency = "CN-MPS";
    context_.signing_key = gateway_key_.get();
    context_.partner_keys = {partner_key_.get()};
    context_.tls_cert_pem = ReadFile(pki.dir() + "/CN-MPS/gateway.crt");
    context_.tls_key_pem = ReadFile(pki.dir() + "/CN-MPS/gateway.key");
    context_.partner_ca_pem = ReadFile(pki.CaCert("KH-CNP"));
    factory_ = NewKhCnpAdapterFactory();
  }

  static gw::policy::v1::PartnerLink Link(const Settings& settings) {
    gw::policy::v1::PartnerLink link;
    link.set_agency("KH-CNP");
    link.set_adapter("kh_cnp");
    link.mutable_settings()->PackFrom(settings);
    return link;
  }

  static Settings Valid() {
    Settings settings;
    settings.set_base_uri("https://cnp.partner.example");
    settings.set_connect("127.0.0.1:7460");
    settings.set_max_concurrent_requests(4);
    return settings;
  }

  std::unique_ptr<crypto::Signer> gateway_key_ = gw::testing::Rfc8032Signer(1);
  std::unique_ptr<crypto::Verifier> partner_key_ =
      gw::testing::Rfc8032Verifier(2);
  adapters::AdapterContext context_;
  std::unique_ptr<adapters::AdapterFactory> factory_;
};

TEST_F(KhCnpAdapterTest, NameAndSettingsType) {
  EXPECT_EQ(factory_->name(), "kh_cnp");
  EXPECT_EQ(factory_->settings_type(), adapters::kHttpsLinkSettingsType);
  EXPECT_EQ(factory_->settings_type(), Settings::descriptor()->full_name());
}

TEST_F(KhCnpAdapterTest, ValidSettingsGiveTheKhCnpLink) {
  auto adapter = factory_->Create(Link(Valid()), context_);
  ASSERT_TRUE(adapter.ok()) << adapter.status();
  EXPECT_EQ((*adapter)->max_in_flight(), 4);
  const auto* codec = dynamic_cast<const KhCnpCodec*>(&(*adapter)->codec());
  ASSERT_NE(codec, nullptr);
  EXPECT_EQ((*adapter)->answer_encoder(),
            static_cast<const adapters::AnswerEncoder*>(codec));
  (*adapter)->transport().Stop();

  // 0 is the ICD's 16 (KH-CNP.md §9).
  Settings defaults = Valid();
  defaults.clear_max_concurrent_requests();
  adapter = factory_->Create(Link(defaults), context_);
  ASSERT_TRUE(adapter.ok()) << adapter.status();
  EXPECT_EQ((*adapter)->max_in_flight(), 16);
}

TEST_F(KhCnpAdapterTest, RefusesBadEntries) {
  gw::policy::v1::PartnerLink wrong_type;
  wrong_type.set_agency("KH-CNP");
  wrong_type.mutable_settings()->PackFrom(gw::v1::Receipt());
  EXPECT_THAT(
      std::string(factory_->Create(wrong_type, context_).status().message()),
      HasSubstr("settings: want a gw.adapters.https_link.v1.Settings"));

  Settings bad = Valid();
  bad.set_base_uri("https://cnp.partner.example/cnp");
  auto created = factory_->Create(Link(bad), context_);
  ASSERT_FALSE(created.ok());
  EXPECT_TRUE(absl::IsInvalidArgument(created.status()));
  EXPECT_THAT(std::string(created.status().message()),
              HasSubstr("settings.base_uri"));

  bad = Valid();
  bad.set_max_concurrent_requests(17);
  created = factory_->Create(Link(bad), context_);
  ASSERT_FALSE(created.ok());
  EXPECT_THAT(std::string(created.status().message()),
              HasSubstr("settings.max_concurrent_requests"));

  adapters::AdapterContext no_keys = context_;
  no_keys.partner_keys.clear();
  created = factory_->Create(Link(Valid()), no_keys);
  ASSERT_FALSE(created.ok());
  EXPECT_THAT(std::string(created.status().message()),
              HasSubstr("partner_keys"));

  const auto& p256 = gw::testing::DevPki::GetP256();
  // signing.key is Ed25519 in every dev PKI; a user's key is P-256 here.
  auto ecdsa = crypto::Signer::FromPemFiles(
      p256.UserKey("CN-MPS", "investigator", "investigator1"),
      p256.UserCert("CN-MPS", "investigator", "investigator1"));
  ASSERT_TRUE(ecdsa.ok()) << ecdsa.status();
  ASSERT_EQ((*ecdsa)->algorithm(), crypto::KeyAlgorithm::kEcdsaP256);
  adapters::AdapterContext not_ed25519 = context_;
  not_ed25519.signing_key = ecdsa->get();
  created = factory_->Create(Link(Valid()), not_ed25519);
  ASSERT_FALSE(created.ok());
  EXPECT_THAT(std::string(created.status().message()),
              HasSubstr("signing_key"));

  adapters::AdapterContext no_tls = context_;
  no_tls.tls_key_pem.clear();
  created = factory_->Create(Link(Valid()), no_tls);
  EXPECT_FALSE(created.ok());
}

}  // namespace
}  // namespace gw::kh_cnp
