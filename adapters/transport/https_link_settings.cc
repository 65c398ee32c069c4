// adapters/transport/https_link_settings.cc
//
// See https_link_settings.h for the contract.
#include "adapters/transport/https_link_settings.h"

#include <cstdint>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "adapters/factory_support.h"
#include "adapters/transport/link_tls.h"
#include "gw/adapters/https_link/v1/settings.pb.h"

namespace gw::adapters {
namespace {

using gw::adapters::https_link::v1::Settings;

// KH-CNP.md §7 (time limits) and §9 (concurrency); VN-MPS.md takes them
// over. Also the largest a setting may ask for.
constexpr uint32_t kRequestTimeoutSeconds = 30;
constexpr uint32_t kConnectTimeoutSeconds = 10;
constexpr uint32_t kMaxConcurrentRequests = 16;
// KH-CNP.md §9, VN-MPS.md §9: request bodies up to 8 MiB.
constexpr size_t kMaxBodyBytes = 8 * 1024 * 1024;

// 0: the ICD's value; above it: refused.
absl::StatusOr<uint32_t> UpToIcd(uint32_t value, uint32_t icd_value,
                                 const char* field, const char* icd,
                                 const char* section) {
  if (value == 0) return icd_value;
  if (value > icd_value) {
    return absl::InvalidArgumentError(
        absl::StrCat("settings.", field, ": ", value, ", at most ", icd_value,
                     " (", icd, " ", section, "); 0 means ", icd_value));
  }
  return value;
}

// Printable ASCII without spaces: what a host name or address can be.
bool IsPlainName(const std::string& text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (c <= 0x20 || c > 0x7e) return false;
  }
  return true;
}

}  // namespace

absl::StatusOr<HttpsLinkOptions> HttpsLinkOptionsFromSettings(
    const gw::policy::v1::PartnerLink& link, const AdapterContext& context,
    const char* icd) {
  absl::StatusOr<Settings> unpacked =
      UnpackSettings<Settings>(link, kHttpsLinkSettingsType);
  if (!unpacked.ok()) return unpacked.status();
  const Settings& settings = *unpacked;
  const std::string& agency = link.agency();
  if (agency.empty()) {
    return absl::InvalidArgumentError("agency: empty; name the partner");
  }
  if (context.local_agency.empty()) {
    return absl::InvalidArgumentError(
        "local_agency: empty; want this gateway's agency (gatewayd --agency)");
  }

  HttpsLinkOptions options;
  if (!settings.base_uri().empty()) {
    auto parsed = ParseHttpsBaseUri("settings.base_uri", settings.base_uri());
    if (!parsed.ok()) return parsed.status();
    options.base_uri = settings.base_uri();
  }
  if (!settings.connect().empty()) {
    if (settings.base_uri().empty()) {
      return absl::InvalidArgumentError(
          "settings.connect: set without settings.base_uri; write the "
          "partner's base_uri too (the signature names it)");
    }
    auto split =
        link_tls::SplitHostPort("settings.connect", settings.connect(), false);
    if (!split.ok()) return split.status();
    options.connect_target = settings.connect();
  }
  if (settings.has_tls_server_name()) {
    if (!IsPlainName(settings.tls_server_name())) {
      return absl::InvalidArgumentError(
          "settings.tls_server_name: want the DNS name or IP address of the "
          "partner's server certificate, without spaces (or leave it unset)");
    }
    if (settings.base_uri().empty()) {
      return absl::InvalidArgumentError(
          "settings.tls_server_name: set without settings.base_uri");
    }
    options.tls_server_name = settings.tls_server_name();
  }
  if (!settings.listen().empty()) {
    auto split =
        link_tls::SplitHostPort("settings.listen", settings.listen(), true);
    if (!split.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(split.status().message(),
                       ", where the partner connects to this gateway, e.g. "
                       "\"0.0.0.0:8443\" (or leave it unset)"));
    }
    if (settings.external_base_uri().empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "settings.external_base_uri: required with settings.listen; want "
          "this gateway's base URI as ",
          agency,
          "'s connection sheet lists it, e.g. "
          "\"https://gateway.mekong.example\""));
    }
    options.listen_address = settings.listen();
  }
  if (!settings.external_base_uri().empty()) {
    auto parsed = ParseHttpsBaseUri("settings.external_base_uri",
                                    settings.external_base_uri());
    if (!parsed.ok()) return parsed.status();
    options.external_base_uri = settings.external_base_uri();
  }

  auto request_timeout =
      UpToIcd(settings.request_timeout_seconds(), kRequestTimeoutSeconds,
              "request_timeout_seconds", icd, "§7");
  if (!request_timeout.ok()) return request_timeout.status();
  auto connect_timeout =
      UpToIcd(settings.connect_timeout_seconds(), kConnectTimeoutSeconds,
              "connect_timeout_seconds", icd, "§7");
  if (!connect_timeout.ok()) return connect_timeout.status();
  auto concurrent =
      UpToIcd(settings.max_concurrent_requests(), kMaxConcurrentRequests,
              "max_concurrent_requests", icd, "§9");
  if (!concurrent.ok()) return concurrent.status();
  options.request_timeout = absl::Seconds(*request_timeout);
  options.connect_timeout = absl::Seconds(*connect_timeout);
  options.max_concurrent_requests = static_cast<int>(*concurrent);
  options.max_body_bytes = kMaxBodyBytes;

  if (context.tls_cert_pem.empty() || context.tls_key_pem.empty() ||
      context.partner_ca_pem.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "tls: mutual TLS needs this gateway's gateway.crt and gateway.key "
        "and the CA of ",
        agency));
  }
  options.peer_agency = agency;
  options.local_agency = context.local_agency;
  options.cert_pem = context.tls_cert_pem;
  options.key_pem = context.tls_key_pem;
  options.peer_ca_pem = context.partner_ca_pem;
  options.peer_crl_pem = context.partner_crl_pem;
  return options;
}

}  // namespace gw::adapters
