// adapters/la_mps/la_mps_adapter.cc
//
// See la_mps_adapter.h for the contract.
#include "adapters/la_mps/la_mps_adapter.h"

#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "adapters/factory_support.h"
#include "adapters/la_mps/la_mps_codec.h"
#include "adapters/transport/file_drop.h"
#include "gw/adapters/la_mps/v1/settings.pb.h"

namespace gw::la_mps {
namespace {

using adapters::Adapter;
using adapters::AdapterContext;
using adapters::AdapterFactory;
using adapters::FileDropOptions;
using adapters::FileDropTransport;
using gw::adapters::la_mps::v1::Settings;

constexpr uint32_t kDefaultPollMs = 60'000;  // LA-MPS.md §2.3
constexpr uint32_t kMinPollMs = 100;         // demos and tests
constexpr uint32_t kIcdMinPollMs = 10'000;   // LA-MPS.md §2.3
constexpr uint32_t kMaxPollMs = 900'000;     // LA-MPS.md §2.3

using LaMpsAdapter = adapters::LinkAdapter<LaMpsCodec, FileDropTransport>;

class LaMpsAdapterFactory : public AdapterFactory {
 public:
  std::string name() const override { return kAdapterName; }
  std::string settings_type() const override { return kSettingsType; }

  absl::StatusOr<std::unique_ptr<Adapter>> Create(
      const gw::policy::v1::PartnerLink& link,
      const AdapterContext& context) const override {
    absl::StatusOr<Settings> unpacked =
        adapters::UnpackSettings<Settings>(link, kSettingsType);
    if (!unpacked.ok()) return unpacked.status();
    const Settings& settings = *unpacked;
    const std::string& agency = link.agency();
    if (agency.empty()) {
      return absl::InvalidArgumentError("agency: empty; name the partner");
    }
    if (settings.link_root().empty()) {
      return absl::InvalidArgumentError(
          "settings.link_root: required: the link directory holding outbox/ "
          "and inbox/ (LA-MPS.md §2.1)");
    }
    const uint32_t poll_ms = settings.poll_milliseconds() == 0
                                 ? kDefaultPollMs
                                 : settings.poll_milliseconds();
    if (poll_ms < kMinPollMs || poll_ms > kMaxPollMs) {
      return absl::InvalidArgumentError(absl::StrCat(
          "settings.poll_milliseconds: ", poll_ms, ", want ", kIcdMinPollMs,
          " to ", kMaxPollMs, " (LA-MPS.md §2.3; down to ", kMinPollMs,
          " for demos); 0 means ", kDefaultPollMs));
    }
    auto keys = adapters::RegisteredPartnerKeys(context, agency);
    if (!keys.ok()) return keys.status();
    if (context.signing_key == nullptr ||
        context.signing_key->algorithm() != crypto::KeyAlgorithm::kEd25519) {
      return absl::InvalidArgumentError(
          "signing_key: LA-MPS files are signed with Ed25519 (LA-MPS.md §6); "
          "this gateway's signing.key is not an Ed25519 key");
    }

    FileDropOptions options;
    options.link_root = settings.link_root();
    if (options.link_root.front() != '/' && !context.data_dir.empty()) {
      options.link_root =
          absl::StrCat(context.data_dir, "/", options.link_root);
    }
    options.peer_agency = agency;
    options.poll_interval = absl::Milliseconds(poll_ms);
    if (settings.incomplete_grace_seconds() != 0) {
      options.incomplete_grace =
          absl::Seconds(settings.incomplete_grace_seconds());
    }
    if (settings.redelivery_seconds() != 0) {
      options.redelivery_interval =
          absl::Seconds(settings.redelivery_seconds());
    }
    options.log = [agency](std::string_view line) {
      std::fprintf(stderr, "file_drop[%s]: %.*s\n", agency.c_str(),
                   static_cast<int>(line.size()), line.data());
    };

    auto adapter = std::make_unique<LaMpsAdapter>(
        std::make_unique<LaMpsCodec>(context.local_agency, agency,
                                     context.signing_key, *std::move(keys),
                                     [] { return absl::Now(); }),
        kMaxInFlight);
    auto transport = FileDropTransport::Create(
        std::move(options), &adapter->link_codec(), &adapter->link_codec());
    if (!transport.ok()) return transport.status();
    adapter->set_transport(*std::move(transport));
    return std::unique_ptr<Adapter>(std::move(adapter));
  }
};

}  // namespace

std::unique_ptr<adapters::AdapterFactory> NewLaMpsAdapterFactory() {
  return std::make_unique<LaMpsAdapterFactory>();
}

}  // namespace gw::la_mps
