// adapters/vn_mps/vn_mps_adapter.h
//
// The "vn_mps" adapter factory: the Viet Nam Ministry of Public Security
// XML interface (partners/VN-MPS.md) through VnMpsCodec (documents, answers
// and request signatures) over HttpsLinkTransport (HTTP/1.1 over mutual
// TLS). Settings: gw.adapters.https_link.v1.Settings
// (proto/gw/adapters/https_link/v1/settings.proto), read by
// HttpsLinkOptionsFromSettings (adapters/transport/https_link_settings.h).
// The dispatcher may have max_concurrent_requests deliveries outstanding
// (16 unless the settings lower it, VN-MPS.md §9).
//
// Create refuses, with INVALID_ARGUMENT naming the field: settings of
// another type or that HttpsLinkOptionsFromSettings refuses (base URIs,
// addresses, timers beyond the ICD's, missing TLS material), no
// message-signing key registered to the partner, a link signing key that
// is not Ed25519 (VN-MPS.md §6 / KH-CNP.md §6.1); and whatever
// HttpsLinkTransport::Create refuses (PEM contents).
#ifndef GW_ADAPTERS_VN_MPS_VN_MPS_ADAPTER_H_
#define GW_ADAPTERS_VN_MPS_VN_MPS_ADAPTER_H_

#include <memory>

#include "adapters/registry.h"

namespace gw::vn_mps {

inline constexpr char kAdapterName[] = "vn_mps";

std::unique_ptr<adapters::AdapterFactory> NewVnMpsAdapterFactory();

}  // namespace gw::vn_mps

#endif  // GW_ADAPTERS_VN_MPS_VN_MPS_ADAPTER_H_
