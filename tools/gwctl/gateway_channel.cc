// tools/gwctl/gateway_channel.cc
#include "tools/gwctl/gateway_channel.h"

#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"

namespace gw::gwctl {

std::shared_ptr<grpc::Channel> GatewayChannel(const std::string& server,
                                              const Identity& identity,
                                              const std::string& ca_pem) {
  grpc::SslCredentialsOptions tls;
  tls.pem_root_certs = ca_pem;
  tls.pem_cert_chain = identity.cert_pem;
  tls.pem_private_key = identity.key_pem;
  grpc::ChannelArguments args;
  args.SetSslTargetNameOverride(std::string(kGatewayTlsName));
  return grpc::CreateCustomChannel(server, grpc::SslCredentials(tls), args);
}

}  // namespace gw::gwctl
