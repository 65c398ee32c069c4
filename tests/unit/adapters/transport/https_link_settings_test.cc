// tests/unit/adapters/transport/https_link_settings_test.cc
//
// HttpsLinkOptionsFromSettings: what a `partners` entry of the "kh_cnp" or
// "vn_mps" adapter turns into, and the words it refuses a bad entry with.
#include "adapters/transport/https_link_settings.h"

#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "gw/adapters/https_link/v1/settings.pb.h"
#include "gw/adapters/th_rtp/v1/settings.pb.h"
#include "tests/support/dev_pki.h"

namespace gw::adapters {
namespace {

using gw::adapters::https_link::v1::Settings;
using ::testing::HasSubstr;
using ::testing::StartsWith;

gw::policy::v1::PartnerLink Link(const Settings& settings,
                                 const std::string& agency = "KH-CNP") {
  gw::policy::v1::PartnerLink link;
  link.set_agency(agency);
  link.set_adapter("kh_cnp");
  link.mutable_settings()->PackFrom(settings);
  return link;
}

AdapterContext Context() {
  AdapterContext context;
  context.local_agency = "CN-MPS";
  context.tls_cert_pem = "CERT";
  context.tls_key_pem = "KEY";
  context.partner_ca_pem = "CA";
  context.partner_crl_pem = "CRL";
  return context;
}

Settings Full() {
  Settings settings;
  settings.set_base_uri("https://cnp.partner.example");
  settings.set_connect("127.0.0.1:7460");
  settings.set_tls_server_name("localhost");
  settings.set_listen("0.0.0.0:8443");
  settings.set_external_base_uri("https://gateway.mekong.example");
  return settings;
}

TEST(HttpsLinkSettingsTest, FillsTheIcdDefaultsAndTheTlsMaterial) {
  auto options =
      HttpsLinkOptionsFromSettings(Link(Full()), Context(), "KH-CNP.md");
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->base_uri, "https://cnp.partner.example");
  EXPECT_EQ(options->connect_target, "127.0.0.1:7460");
  EXPECT_EQ(options->tls_server_name, "localhost");
  EXPECT_EQ(options->listen_address, "0.0.0.0:8443");
  EXPECT_EQ(options->external_base_uri, "https://gateway.mekong.example");
  EXPECT_EQ(options->peer_agency, "KH-CNP");
  EXPECT_EQ(options->local_agency, "CN-MPS");
  EXPECT_EQ(options->cert_pem, "CERT");
  EXPECT_EQ(options->key_pem, "KEY");
  EXPECT_EQ(options->peer_ca_pem, "CA");
  EXPECT_EQ(options->peer_crl_pem, "CRL");
  // KH-CNP.md §7, §9.
  EXPECT_EQ(options->request_timeout, absl::Seconds(30));
  EXPECT_EQ(options->connect_timeout, absl::Seconds(10));
  EXPECT_EQ(options->max_concurrent_requests, 16);
  EXPECT_EQ(options->max_body_bytes, size_t{8} * 1024 * 1024);
}

TEST(HttpsLinkSettingsTest, KeepsShorterLimitsAndOptionalParts) {
  Settings settings;
  settings.set_base_uri("https://tip.partner.example:8443");
  settings.set_request_timeout_seconds(2);
  settings.set_connect_timeout_seconds(1);
  settings.set_max_concurrent_requests(3);
  auto options = HttpsLinkOptionsFromSettings(Link(settings, "VN-MPS"),
                                              Context(), "VN-MPS.md");
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->request_timeout, absl::Seconds(2));
  EXPECT_EQ(options->connect_timeout, absl::Seconds(1));
  EXPECT_EQ(options->max_concurrent_requests, 3);
  EXPECT_EQ(options->connect_target, "");
  EXPECT_EQ(options->tls_server_name, "");
  EXPECT_EQ(options->listen_address, "");
  EXPECT_EQ(options->peer_agency, "VN-MPS");

  // Nothing set: a link that neither sends nor listens (yet).
  EXPECT_TRUE(
      HttpsLinkOptionsFromSettings(Link(Settings()), Context(), "KH-CNP.md")
          .ok());
}

TEST(HttpsLinkSettingsTest, RefusesBadEntriesNamingTheField) {
  struct Case {
    std::string name;
    std::function<void(Settings&)> change;
    std::string field;
    std::string also = "";  // more text the message must hold
  };
  const std::vector<Case> cases = {
      {"base_uri with a path",
       [](Settings& s) { s.set_base_uri("https://cnp.partner.example/v1"); },
       "settings.base_uri"},
      {"base_uri in capitals",
       [](Settings& s) { s.set_base_uri("https://CNP.partner.example"); },
       "settings.base_uri"},
      {"connect without base_uri", [](Settings& s) { s.clear_base_uri(); },
       "settings.connect"},
      {"connect without port", [](Settings& s) { s.set_connect("127.0.0.1"); },
       "settings.connect"},
      {"server name with a space",
       [](Settings& s) { s.set_tls_server_name("cnp partner"); },
       "settings.tls_server_name"},
      {"empty server name", [](Settings& s) { s.set_tls_server_name(""); },
       "settings.tls_server_name"},
      {"server name without base_uri",
       [](Settings& s) {
         s.clear_base_uri();
         s.clear_connect();
       },
       "settings.tls_server_name"},
      {"listen without port", [](Settings& s) { s.set_listen("0.0.0.0"); },
       "settings.listen"},
      {"listen without external_base_uri",
       [](Settings& s) { s.clear_external_base_uri(); },
       "settings.external_base_uri", "required with settings.listen"},
      {"external_base_uri with a slash",
       [](Settings& s) {
         s.set_external_base_uri("https://gateway.mekong.example/");
       },
       "settings.external_base_uri"},
      {"request timeout over the ICD's",
       [](Settings& s) { s.set_request_timeout_seconds(31); },
       "settings.request_timeout_seconds", "at most 30 (KH-CNP.md §7)"},
      {"connect timeout over the ICD's",
       [](Settings& s) { s.set_connect_timeout_seconds(11); },
       "settings.connect_timeout_seconds", "at most 10 (KH-CNP.md §7)"},
      {"more concurrent requests than the ICD's",
       [](Settings& s) { s.set_max_concurrent_requests(17); },
       "settings.max_concurrent_requests", "at most 16 (KH-CNP.md §9)"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Settings settings = Full();
    c.change(settings);
    auto options =
        HttpsLinkOptionsFromSettings(Link(settings), Context(), "KH-CNP.md");
    ASSERT_FALSE(options.ok());
    EXPECT_EQ(options.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(options.status().message()),
                StartsWith(c.field + ": "));
    EXPECT_THAT(std::string(options.status().message()), HasSubstr(c.also));
  }
}

TEST(HttpsLinkSettingsTest, RefusesWhatIsMissingAroundTheSettings) {
  gw::policy::v1::PartnerLink wrong_type;
  wrong_type.set_agency("KH-CNP");
  wrong_type.mutable_settings()->PackFrom(gw::adapters::th_rtp::v1::Settings());
  auto status =
      HttpsLinkOptionsFromSettings(wrong_type, Context(), "KH-CNP.md").status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(
      std::string(status.message()),
      StartsWith("settings: want a gw.adapters.https_link.v1.Settings"));

  status =
      HttpsLinkOptionsFromSettings(Link(Full(), ""), Context(), "KH-CNP.md")
          .status();
  EXPECT_THAT(std::string(status.message()), StartsWith("agency: "));

  AdapterContext no_agency = Context();
  no_agency.local_agency.clear();
  status = HttpsLinkOptionsFromSettings(Link(Full()), no_agency, "KH-CNP.md")
               .status();
  EXPECT_THAT(std::string(status.message()), StartsWith("local_agency: "));

  for (auto clear : std::vector<std::function<void(AdapterContext&)>>{
           [](AdapterContext& c) { c.tls_cert_pem.clear(); },
           [](AdapterContext& c) { c.tls_key_pem.clear(); },
           [](AdapterContext& c) { c.partner_ca_pem.clear(); }}) {
    AdapterContext context = Context();
    clear(context);
    status = HttpsLinkOptionsFromSettings(Link(Full()), context, "KH-CNP.md")
                 .status();
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(status.message()), StartsWith("tls: "));
    EXPECT_THAT(std::string(status.message()), HasSubstr("KH-CNP"));
  }
  // A CRL is optional.
  AdapterContext no_crl = Context();
  no_crl.partner_crl_pem.clear();
  EXPECT_TRUE(
      HttpsLinkOptionsFromSettings(Link(Full()), no_crl, "KH-CNP.md").ok());
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream out;
  out << in.rdbuf();
  return out.str();
}

TEST(HttpsLinkSettingsTest, WhatItAcceptsTheTransportAccepts) {
  const std::string pki = gw::testing::DevPki::Get().dir();
  AdapterContext context = Context();
  context.tls_cert_pem = ReadFile(pki + "/CN-MPS/gateway.crt");
  context.tls_key_pem = ReadFile(pki + "/CN-MPS/gateway.key");
  context.partner_ca_pem = ReadFile(pki + "/KH-CNP/ca.crt");
  context.partner_crl_pem = ReadFile(pki + "/KH-CNP/crl.pem");
  Settings settings = Full();
  settings.set_listen("127.0.0.1:0");
  auto options =
      HttpsLinkOptionsFromSettings(Link(settings), context, "KH-CNP.md");
  ASSERT_TRUE(options.ok()) << options.status();

  class NoSigner : public HttpRequestSigner {
    absl::StatusOr<Metadata> SignRequest(std::string_view,
                                         const PartnerMessage&) const override {
      return Metadata{};
    }
  } signer;
  class NoAnswers : public AnswerEncoder {
    absl::StatusOr<std::optional<PartnerMessage>> EncodeAnswer(
        const std::string&, const PartnerMessage&,
        const InboundAnswer&) const override {
      return std::nullopt;
    }
  } answers;
  auto transport =
      HttpsLinkTransport::Create(*std::move(options), &signer, &answers);
  EXPECT_TRUE(transport.ok()) << transport.status();
}

}  // namespace
}  // namespace gw::adapters
