// adapters/kh_cnp/kh_cnp_adapter.h
//
// The "kh_cnp" adapter factory: the Cambodian National Police REST API
// (partners/KH-CNP.md) through KhCnpCodec (bodies, signatures, answers)
// over HttpsLinkTransport (mutual TLS, HTTP/1.1, at most 16 requests at
// once). Settings: gw.adapters.https_link.v1.Settings
// (proto/gw/adapters/https_link/v1/settings.proto), read by
// HttpsLinkOptionsFromSettings (adapters/transport/https_link_settings.h).
//
// Create refuses, with INVALID_ARGUMENT naming the field: settings of
// another type or that HttpsLinkOptionsFromSettings refuses, no
// message-signing key registered to the partner, a link signing key that
// is not Ed25519 (KH-CNP.md §6.1), and whatever HttpsLinkTransport::Create
// refuses (TLS material).
// The adapter's max_in_flight is the transport's max_concurrent_requests.
#ifndef GW_ADAPTERS_KH_CNP_KH_CNP_ADAPTER_H_
#define GW_ADAPTERS_KH_CNP_KH_CNP_ADAPTER_H_

#include <memory>

#include "adapters/registry.h"

namespace gw::kh_cnp {

inline constexpr char kAdapterName[] = "kh_cnp";

std::unique_ptr<adapters::AdapterFactory> NewKhCnpAdapterFactory();

}  // namespace gw::kh_cnp

#endif  // GW_ADAPTERS_KH_CNP_KH_CNP_ADAPTER_H_
