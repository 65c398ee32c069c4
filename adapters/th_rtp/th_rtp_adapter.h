// adapters/th_rtp/th_rtp_adapter.h
//
// The "th_rtp" adapter factory: the Royal Thai Police legacy case system
// (partners/TH-RTP.md) through ThRtpCodec (the codec, its AK/NK answers and
// the frame hooks) over TcpFramesTransport (mutual TLS, one connection per
// direction). Settings: gw.adapters.th_rtp.v1.Settings
// (proto/gw/adapters/th_rtp/v1/settings.proto).
//
// Create refuses, with INVALID_ARGUMENT naming the field: settings of
// another type, a missing or malformed `target`, a malformed `listen`,
// timers beyond the ICD's, no message-signing key registered to the
// partner, a link signing key that is not Ed25519 (TH-RTP.md §6), missing
// TLS material.
#ifndef GW_ADAPTERS_TH_RTP_TH_RTP_ADAPTER_H_
#define GW_ADAPTERS_TH_RTP_TH_RTP_ADAPTER_H_

#include <memory>

#include "adapters/registry.h"

namespace gw::th_rtp {

inline constexpr char kAdapterName[] = "th_rtp";
inline constexpr char kSettingsType[] = "gw.adapters.th_rtp.v1.Settings";
// Data frames unanswered on a connection (TH-RTP.md §7, §9).
inline constexpr int kWindow = 32;

std::unique_ptr<adapters::AdapterFactory> NewThRtpAdapterFactory();

}  // namespace gw::th_rtp

#endif  // GW_ADAPTERS_TH_RTP_TH_RTP_ADAPTER_H_
