// adapters/la_mps/la_mps_adapter.h
//
// The "la_mps" adapter factory: the Lao PDR Ministry of Public Security's
// store-and-forward link (partners/LA-MPS.md) through LaMpsCodec (CSV
// messages, .sig/.done, signed .ack receipts) over FileDropTransport (the
// link directory's outbox/ and inbox/). Settings:
// gw.adapters.la_mps.v1.Settings (proto/gw/adapters/la_mps/v1/settings.proto).
//
// Create refuses, with INVALID_ARGUMENT naming the field: settings of
// another type, a missing link_root, a poll interval outside 100 ms ..
// 15 min, no message-signing key registered to the partner, a link
// signing key that is not Ed25519 (LA-MPS.md §6).
#ifndef GW_ADAPTERS_LA_MPS_LA_MPS_ADAPTER_H_
#define GW_ADAPTERS_LA_MPS_LA_MPS_ADAPTER_H_

#include <memory>

#include "adapters/registry.h"

namespace gw::la_mps {

inline constexpr char kAdapterName[] = "la_mps";
inline constexpr char kSettingsType[] = "gw.adapters.la_mps.v1.Settings";
// Messages waiting for their .ack at once: a delivery on this link can wait
// a day or more (LA-MPS.md §7.3), and waiting costs nothing but a file.
inline constexpr int kMaxInFlight = 4096;

std::unique_ptr<adapters::AdapterFactory> NewLaMpsAdapterFactory();

}  // namespace gw::la_mps

#endif  // GW_ADAPTERS_LA_MPS_LA_MPS_ADAPTER_H_
