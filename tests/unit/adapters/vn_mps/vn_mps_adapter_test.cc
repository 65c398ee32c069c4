// tests/unit/adapters/vn_mps/vn_mps_adapter_test.cc
//
// The "vn_mps" factory: a valid policy entry gives an adapter whose codec
// is VnMpsCodec (answers included) with max_in_flight from the settings;
// bad entries are refused naming the field.
#include "adapters/vn_mps/vn_mps_adapter.h"

#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "adapters/transport/https_link_settings.h"
#include "adapters/vn_mps/vn_mps_codec.h"
#include "gateway/crypto/signer.h"
#include "gateway/crypto/verifier.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "gw/adapters/https_link/v1/settings.pb.h"
#include "gw/v1/receipt.pb.h"
#include "tests/support/dev_pki.h"
#include "tests/support/rfc8032_keys.h"

namespace gw::vn_mps {
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

class VnMpsAdapterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto& pki = gw::testing::DevPki::Get();
    context_.local_agency = "CN-MPS";
    context_.signing_key = gateway_key_.get();
    context_.partner_keys = {partner_key_.get()};
    context_.tls_cert_pem = ReadFile(pki.dir() + "/CN-MPS/gateway.crt");
    context_.tls_key_pem = ReadFile(pki.dir() + "/CN-MPS/gateway.key");
    context_.partner_ca_pem = ReadFile(pki.CaCert("VN-MPS"));
    factory_ = NewVnMpsAdapterFactory();
  }

  static gw::policy::v1::PartnerLink Link(const Settings& settings) {
    gw::policy::v1::PartnerLink link;
    link.set_agency("VN-MPS");
    link.set_adapter("vn_mps");
    link.mutable_settings()->PackFrom(settings);
    return link;
  }

  static Settings Valid() {
    Settings settings;
    settings.set_base_uri("https://tip.partner.example");
    settings.set_connect("127.0.0.1:7461");
    settings.set_max_concurrent_requests(4);
    return settings;
  }

  std::unique_ptr<crypto::Signer> gateway_key_ = gw::testing::Rfc8032Signer(1);
  std::unique_ptr<crypto::Verifier> partner_key_ =
      gw::testing::Rfc8032Verifier(2);
  adapters::AdapterContext context_;
  std::unique_ptr<adapters::AdapterFactory> factory_;
};

TEST_F(VnMpsAdapterTest, NameAndSettingsType) {
  EXPECT_EQ(factory_->name(), "vn_mps");
  EXPECT_EQ(factory_->settings_type(), adapters::kHttpsLinkSettingsType);
  EXPECT_EQ(factory_->settings_type(), Settings::descriptor()->full_name());
}

TEST_F(VnMpsAdapterTest, ValidSettingsGiveTheVnMpsLink) {
  auto adapter = factory_->Create(Link(Valid()), context_);
  ASSERT_TRUE(adapter.ok()) << adapter.status();
  EXPECT_EQ((*adapter)->max_in_flight(), 4);
  EXPECT_NE(dynamic_cast<const VnMpsCodec*>(&(*adapter)->codec()), nullptr);
  EXPECT_EQ(dynamic_cast<const VnMpsCodec*>((*adapter)->answer_encoder()),
            dynamic_cast<const VnMpsCodec*>(&(*adapter)->codec()));
  (*adapter)->transport().Stop();

  // 0 is the ICD's 16 (VN-MPS.md §9).
  Settings defaults = Valid();
  defaults.clear_max_concurrent_requests();
  adapter = factory_->Create(Link(defaults), context_);
  ASSERT_TRUE(adapter.ok()) << adapter.status();
  EXPECT_EQ((*adapter)->max_in_flight(), 16);
}

TEST_F(VnMpsAdapterTest, RefusesBadEntries) {
  gw::policy::v1::PartnerLink wrong_type;
  wrong_type.set_agency("VN-MPS");
  wrong_type.mutable_settings()->PackFrom(gw::v1::Receipt());
  EXPECT_THAT(
      std::string(factory_->Create(wrong_type, context_).status().message()),
      HasSubstr("settings: want a gw.adapters.https_link.v1.Settings"));

  Settings bad = Valid();
  bad.set_base_uri("https://tip.partner.example/tip");
  auto created = factory_->Create(Link(bad), context_);
  ASSERT_FALSE(created.ok());
  EXPECT_TRUE(absl::IsInvalidArgument(created.status()));
  EXPECT_THAT(std::string(created.status().message()),
              HasSubstr("settings.base_uri"));

  adapters::AdapterContext no_keys = context_;
  no_keys.partner_keys.clear();
  created = factory_->Create(Link(Valid()), no_keys);
  ASSERT_FALSE(created.ok());
  EXPECT_THAT(std::string(created.status().message()),
              HasSubstr("partner_keys"));

  const auto& p256 = gw::testing::DevPki::GetP256();
  // signing.key is always Ed25519; a user key of the P-256 PKI is not.
  auto ecdsa = crypto::Signer::FromPemFiles(
      p256.UserKey("CN-MPS", "investigator", "investigator1"),
      p256.UserCert("CN-MPS", "investigator", "investigator1"));
  ASSERT_TRUE(ecdsa.ok()) << ecdsa.status();
  adapters::AdapterContext not_ed25519 = context_;
  not_ed25519.signing_key = ecdsa->get();
  created = factory_->Create(Link(Valid()), not_ed25519);
  ASSERT_FALSE(created.ok());
  EXPECT_THAT(std::string(created.status().message()),
              HasSubstr("signing_key"));
}

}  // namespace
}  // namespace gw::vn_mps
