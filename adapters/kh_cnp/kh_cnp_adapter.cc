// adapters/kh_cnp/kh_cnp_adapter.cc
//
// See kh_cnp_adapter.h for the contract.
#include "adapters/kh_cnp/kh_cnp_adapter.h"

#include <string>
#include <utility>
#include <vector>

#include "adapters/factory_support.h"
#include "adapters/kh_cnp/kh_cnp_codec.h"
#include "adapters/transport/https_link.h"
#include "adapters/transport/https_link_settings.h"

namespace gw::kh_cnp {
namespace {

using adapters::Adapter;
using adapters::AdapterContext;
using adapters::AdapterFactory;
using adapters::HttpsLinkOptions;
using adapters::HttpsLinkTransport;

using KhCnpAdapter = adapters::LinkAdapter<KhCnpCodec, HttpsLinkTransport>;

class KhCnpAdapterFactory : public AdapterFactory {
 public:
  std::string name() const override { return kAdapterName; }
  std::string settings_type() const override {
    return adapters::kHttpsLinkSettingsType;
  }

  absl::StatusOr<std::unique_ptr<Adapter>> Create(
      const gw::policy::v1::PartnerLink& link,
      const AdapterContext& context) const override {
    absl::StatusOr<HttpsLinkOptions> options =
        adapters::HttpsLinkOptionsFromSettings(link, context, "KH-CNP.md");
    if (!options.ok()) return options.status();
    auto keys = adapters::RegisteredPartnerKeys(context, link.agency());
    if (!keys.ok()) return keys.status();
    if (context.signing_key == nullptr ||
        context.signing_key->algorithm() != crypto::KeyAlgorithm::kEd25519) {
      return absl::InvalidArgumentError(
          "signing_key: KH-CNP requests and responses are signed with "
          "Ed25519 (KH-CNP.md §6.1); this gateway's signing.key is not an "
          "Ed25519 key");
    }
    const int max_in_flight = options->max_concurrent_requests;
    auto adapter = std::make_unique<KhCnpAdapter>(
        std::make_unique<KhCnpCodec>(context.local_agency, link.agency(),
                                     context.signing_key, *std::move(keys)),
        max_in_flight);
    auto transport = HttpsLinkTransport::Create(
        *std::move(options), &adapter->link_codec(), &adapter->link_codec());
    if (!transport.ok()) return transport.status();
    adapter->set_transport(*std::move(transport));
    return std::unique_ptr<Adapter>(std::move(adapter));
  }
};

}  // namespace

std::unique_ptr<adapters::AdapterFactory> NewKhCnpAdapterFactory() {
  return std::make_unique<KhCnpAdapterFactory>();
}

}  // namespace gw::kh_cnp
