// tools/gwctl/gateway_channel.h
//
// The mutual-TLS gRPC channel to the gateway (CONTRACT.md §2): gwctl
// presents the user's certificate and key, trusts only `ca_pem` (the CA of
// the gateway's agency), and checks the gateway's certificate against the
// name kGatewayTlsName, which the dev PKI's gateway.crt carries as a SAN
// whatever address --server uses.
// The channel connects lazily: a wrong address or a refused handshake shows
// up as UNAVAILABLE on the first call (see error_sentence.h).
// Ownership: the returned channel is shared (gRPC's convention).
// Thread safety: the channel may be used from any thread.
#ifndef GW_TOOLS_GWCTL_GATEWAY_CHANNEL_H_
#define GW_TOOLS_GWCTL_GATEWAY_CHANNEL_H_

#include <memory>
#include <string>

#include "absl/strings/string_view.h"
#include "grpcpp/channel.h"
#include "tools/gwctl/identity.h"

namespace gw::gwctl {

inline constexpr absl::string_view kGatewayTlsName = "localhost";

std::shared_ptr<grpc::Channel> GatewayChannel(const std::string& server,
                                              const Identity& identity,
                                              const std::string& ca_pem);

}  // namespace gw::gwctl

#endif  // GW_TOOLS_GWCTL_GATEWAY_CHANNEL_H_
