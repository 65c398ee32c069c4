// adapters/vn_mps/vn_mps_adapter.cc
//
// See vn_mps_adapter.h for the contract.
#include "adapters/vn_mps/vn_mps_adapter.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "adapters/factory_support.h"
#include "adapters/transport/https_link.h"
#include "adapters/transport/https_link_settings.h"
#include "adapters/vn_mps/vn_mps_codec.h"
#include "gw/adapters/https_link/v1/settings.pb.h"

namespace gw::vn_mps {
namespace {

using adapters::Adapter;
using adapters::AdapterContext;
using adapters::AdapterFactory;
using adapters::HttpsLinkTransport;
using gw::adapters::https_link::v1::Settings;

using VnMpsAdapter = adapters::LinkAdapter<VnMpsCodec, HttpsLinkTransport>;

class VnMpsAdapterFactory : public AdapterFactory {
 public:
  std::string name() const override { return kAdapterName; }
  std::string settings_type() const override {
    return adapters::kHttpsLinkSettingsType;
  }

  absl::StatusOr<std::unique_ptr<Adapter>> Create(
      const gw::policy::v1::PartnerLink& link,
      const AdapterContext& context) const override {
    absl::StatusOr<Settings> settings = adapters::UnpackSettings<Settings>(
        link, adapters::kHttpsLinkSettingsType);
    if (!settings.ok()) return settings.status();
    absl::StatusOr<adapters::HttpsLinkOptions> options =
        adapters::HttpsLinkOptionsFromSettings(link, context, "VN-MPS.md");
    if (!options.ok()) return options.status();
    auto keys = adapters::RegisteredPartnerKeys(context, link.agency());
    if (!keys.ok()) return keys.status();
    if (context.signing_key == nullptr ||
        context.signing_key->algorithm() != crypto::KeyAlgorithm::kEd25519) {
      return absl::InvalidArgumentError(
          "signing_key: VN-MPS requests and responses are signed with "
          "Ed25519 (VN-MPS.md §6, KH-CNP.md §6.1); this gateway's "
          "signing.key is not an Ed25519 key");
    }
    const int max_in_flight = options->max_concurrent_requests;
    auto adapter = std::make_unique<VnMpsAdapter>(
        std::make_unique<VnMpsCodec>(context.local_agency, link.agency(),
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

std::unique_ptr<adapters::AdapterFactory> NewVnMpsAdapterFactory() {
  return std::make_unique<VnMpsAdapterFactory>();
}

}  // namespace gw::vn_mps
