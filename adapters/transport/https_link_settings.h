// adapters/transport/https_link_settings.h
//
// HttpsLinkOptionsFromSettings: the HttpsLinkTransport options of one
// `partners` entry whose adapter speaks signed HTTPS ("kh_cnp", "vn_mps"),
// from its gw.adapters.https_link.v1.Settings and the AdapterContext. Both
// factories call it, so both refuse a bad entry with the same words.
//
// What it guarantees for an OK result:
//  * base_uri / external_base_uri are as ParseHttpsBaseUri wants them;
//    connect / listen are "host:port"; connect and tls_server_name come
//    only with a base_uri, external_base_uri always with listen.
//  * request_timeout_seconds, connect_timeout_seconds and
//    max_concurrent_requests are the ICD's values when 0, and never larger
//    than them (KH-CNP.md §7, §9; VN-MPS.md §9 takes KH-CNP's).
//  * The TLS material (this gateway's certificate and key, the partner's
//    CA and CRL) and both agencies are filled in from the context; their
//    PEM contents are checked by HttpsLinkTransport::Create.
// Errors: INVALID_ARGUMENT naming the field and what to write
// ("settings.base_uri: ...", "settings.request_timeout_seconds: 60, at
// most 30 (KH-CNP.md §7); 0 means 30", "tls: ...", "agency: empty ...").
// No personal data is involved; values echoed are configuration.
// Thread safety: a pure function.
#ifndef GW_ADAPTERS_TRANSPORT_HTTPS_LINK_SETTINGS_H_
#define GW_ADAPTERS_TRANSPORT_HTTPS_LINK_SETTINGS_H_

#include "absl/status/statusor.h"
#include "adapters/registry.h"
#include "adapters/transport/https_link.h"
#include "gw/policy/v1/policy.pb.h"

namespace gw::adapters {

// The full name of the settings message both HTTPS adapters take.
inline constexpr char kHttpsLinkSettingsType[] =
    "gw.adapters.https_link.v1.Settings";

// `icd` names the partner's ICD in error texts, e.g. "KH-CNP.md".
[[nodiscard]] absl::StatusOr<HttpsLinkOptions> HttpsLinkOptionsFromSettings(
    const gw::policy::v1::PartnerLink& link, const AdapterContext& context,
    const char* icd);

}  // namespace gw::adapters

#endif  // GW_ADAPTERS_TRANSPORT_HTTPS_LINK_SETTINGS_H_
