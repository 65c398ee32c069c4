// adapters/mm_mpf/mm_mpf_adapter.h
//
// The "mm_mpf" adapter factory: the link to a peer Mekong Gateway over
// gw.v1.PartnerExchange (partners/MM-MPF.md), with typed settings
// gw.adapters.mm_mpf.v1.Settings (proto/gw/adapters/mm_mpf/v1/settings.proto).
// Each adapter it creates holds an MmMpfCodec (mm_mpf_codec.h) and a
// GrpcPeerTransport (adapters/transport/grpc_peer.h).
//
// Create() errors, each INVALID_ARGUMENT naming what to fix:
//  "settings: ..."                  not a gw.adapters.mm_mpf.v1.Settings
//  "agency: ..."                    the policy entry names no agency
//  "settings.target: ..."           missing or malformed target
//  "settings.tls_server_name: ..."  set but empty or malformed
//  "settings.deadline_seconds: ..." over 30 (MM-MPF.md §9)
//  "settings.max_in_flight: ..."    over 16 (MM-MPF.md §9)
//  "partner_keys: ..."              no signing key registered to the peer,
//                                   so no receipt could ever verify
//  "tls_cert_pem / tls_key_pem / partner_ca_pem: ..."  mutual TLS material
//                                   missing
// Thread safety: the factory is stateless; see adapter.h for the adapter.
// The adapter keeps pointers to context.partner_keys (not owned): they must
// outlive it.
#ifndef GW_ADAPTERS_MM_MPF_MM_MPF_ADAPTER_H_
#define GW_ADAPTERS_MM_MPF_MM_MPF_ADAPTER_H_

#include <memory>

#include "adapters/registry.h"

namespace gw::mm_mpf {

// Name under which policies/ select the adapter, and its settings type.
inline constexpr char kAdapterName[] = "mm_mpf";
inline constexpr char kSettingsType[] = "gw.adapters.mm_mpf.v1.Settings";
// Defaults of the settings (MM-MPF.md §2, §9).
inline constexpr int kDefaultDeadlineSeconds = 30;
inline constexpr int kDefaultMaxInFlight = 16;

std::unique_ptr<adapters::AdapterFactory> NewMmMpfAdapterFactory();

}  // namespace gw::mm_mpf

#endif  // GW_ADAPTERS_MM_MPF_MM_MPF_ADAPTER_H_
