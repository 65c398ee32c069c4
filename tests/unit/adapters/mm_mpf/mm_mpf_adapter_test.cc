// tests/unit/adapters/mm_mpf/mm_mpf_adapter_test.cc
//
// The "mm_mpf" factory: the settings a policy entry gives it are checked
// with errors naming the field, defaults follow MM-MPF.md §9, and a valid
// entry gives an adapter whose codec and transport work.
#include "adapters/mm_mpf/mm_mpf_adapter.h"

#include <fstream>
#include <functional>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "gateway/crypto/verifier.h"
#include "gtest/gtest.h"
#include "gw/adapters/mm_mpf/v1/settings.pb.h"
#include "gw/v1/envelope.pb.h"
#include "tests/support/dev_pki.h"

namespace gw::mm_mpf {
namespace {

using gw::adapters::mm_mpf::v1::Settings;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << path;
  std::stringstream out;
  out << in.rdbuf();
  return out.str();
}

class MmMpfAdapterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto& pki = gw::testing::DevPki::Get();
    auto key = crypto::Verifier::FromCertificatePem(
        ReadFile(pki.dir() + "/MM-MPF/signing.crt"));
    ASSERT_TRUE(key.ok()) << key.status();
    peer_key_ = *std::move(key);
    context_.local_agency = "CN-MPS";
    context_.partner_keys = {peer_key_.get()};
    context_.tls_cert_pem = ReadFile(pki.dir() + "/CN-MPS/gateway.crt");
    context_.tls_key_pem = ReadFile(pki.dir() + "/CN-MPS/gateway.key");
    context_.partner_ca_pem = ReadFile(pki.CaCert("MM-MPF"));
    factory_ = NewMmMpfAdapterFactory();
  }

  gw::policy::v1::PartnerLink Link(const Settings& settings) {
    gw::policy::v1::PartnerLink link;
    link.set_agency("MM-MPF");
    link.set_adapter("mm_mpf");
    link.mutable_settings()->PackFrom(settings);
    return link;
  }

  static Settings Valid() {
    Settings settings;
    settings.set_target("127.0.0.1:7444");
    return settings;
  }

  absl::Status CreateError(const gw::policy::v1::PartnerLink& link) {
    return factory_->Create(link, context_).status();
  }

  std::unique_ptr<crypto::Verifier> peer_key_;
  adapters::AdapterContext context_;
  std::unique_ptr<adapters::AdapterFactory> factory_;
};

TEST_F(MmMpfAdapterTest, NameAndSettingsType) {
  EXPECT_EQ(factory_->name(), "mm_mpf");
  EXPECT_EQ(factory_->settings_type(), "gw.adapters.mm_mpf.v1.Settings");
  EXPECT_EQ(factory_->settings_type(), Settings::descriptor()->full_name());
}

TEST_F(MmMpfAdapterTest, ValidSettingsGiveAWorkingAdapterWithDefaults) {
  auto adapter = factory_->Create(Link(Valid()), context_);
  ASSERT_TRUE(adapter.ok()) << adapter.status();
  EXPECT_EQ((*adapter)->max_in_flight(), 16);
  EXPECT_TRUE((*adapter)->transport().StartReceiving(nullptr).ok());

  Settings settings = Valid();
  settings.set_max_in_flight(4);
  settings.set_deadline_seconds(5);
  settings.set_tls_server_name("localhost");
  adapter = factory_->Create(Link(settings), context_);
  ASSERT_TRUE(adapter.ok()) << adapter.status();
  EXPECT_EQ((*adapter)->max_in_flight(), 4);
  // The codec is the MM-MPF one.
  adapters::OutboundMessage message;
  message.message_id = "7a630138-e7dc-5b5f-b065-0cfd0ac15e7c";
  message.envelope.set_payload_type("application/vnd.gw.v1.CaseAlert+proto");
  message.envelope.add_signatures();
  message.envelope.add_signatures();
  auto encoded = (*adapter)->codec().Encode(message);
  ASSERT_TRUE(encoded.ok()) << encoded.status();
  EXPECT_EQ(encoded->content_type, "application/vnd.gw.v1.Envelope+proto");
}

TEST_F(MmMpfAdapterTest, BadSettingsNameTheirField) {
  struct Case {
    std::string name;
    std::function<void(Settings*)> change;
    std::string field;
  };
  const std::vector<Case> cases = {
      {"no target", [](Settings* s) { s->clear_target(); }, "settings.target:"},
      {"target without port", [](Settings* s) { s->set_target("peer"); },
       "settings.target:"},
      {"target with space",
       [](Settings* s) { s->set_target("peer .example:7444"); },
       "settings.target:"},
      {"empty tls name", [](Settings* s) { s->set_tls_server_name(""); },
       "settings.tls_server_name:"},
      {"deadline over 30 s", [](Settings* s) { s->set_deadline_seconds(31); },
       "settings.deadline_seconds:"},
      {"over 16 calls", [](Settings* s) { s->set_max_in_flight(17); },
       "settings.max_in_flight:"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Settings settings = Valid();
    c.change(&settings);
    const absl::Status status = CreateError(Link(settings));
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_TRUE(absl::StartsWith(status.message(), c.field)) << status;
  }
}

TEST_F(MmMpfAdapterTest, SettingsOfAnotherTypeAreRefused) {
  gw::policy::v1::PartnerLink link = Link(Valid());
  link.mutable_settings()->PackFrom(gw::v1::Envelope());
  const absl::Status status = CreateError(link);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(status.message(), "settings:")) << status;
}

TEST_F(MmMpfAdapterTest, MissingKeysAndCertificatesAreRefused) {
  context_.partner_keys.clear();
  absl::Status status = CreateError(Link(Valid()));
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(status.message(), "partner_keys:")) << status;

  SetUp();
  context_.partner_ca_pem.clear();
  status = CreateError(Link(Valid()));
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(status.message(), "partner_ca_pem:")) << status;

  SetUp();
  context_.tls_key_pem.clear();
  status = CreateError(Link(Valid()));
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(status.message(), "tls_cert_pem")) << status;
}

}  // namespace
}  // namespace gw::mm_mpf
