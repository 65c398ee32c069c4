// adapters/mm_mpf/mm_mpf_adapter.cc
//
// See mm_mpf_adapter.h for the contract.
#include "adapters/mm_mpf/mm_mpf_adapter.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "adapters/factory_support.h"
#include "adapters/mm_mpf/mm_mpf_codec.h"
#include "adapters/transport/grpc_peer.h"
#include "gw/adapters/mm_mpf/v1/settings.pb.h"

namespace gw::mm_mpf {

namespace {

using adapters::Adapter;
using adapters::AdapterContext;
using adapters::AdapterFactory;
using adapters::GrpcPeerOptions;
using adapters::GrpcPeerTransport;
using gw::adapters::mm_mpf::v1::Settings;

constexpr uint32_t kMaxDeadlineSeconds = 30;  // MM-MPF.md §9
constexpr uint32_t kMaxInFlight = 16;         // MM-MPF.md §9

// Printable ASCII without spaces: what a gRPC target or a DNS name can be.
bool IsToken(const std::string& text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (c <= 0x20 || c > 0x7e) return false;
  }
  return true;
}

class MmMpfAdapter : public Adapter {
 public:
  MmMpfAdapter(std::string partner_agency,
               std::vector<const crypto::Verifier*> partner_keys,
               std::unique_ptr<GrpcPeerTransport> transport, int max_in_flight)
      : codec_(std::move(partner_agency), std::move(partner_keys)),
        transport_(std::move(transport)),
        max_in_flight_(max_in_flight) {}

  const adapters::Codec& codec() const override { return codec_; }
  adapters::Transport& transport() override { return *transport_; }
  int max_in_flight() const override { return max_in_flight_; }

 private:
  const MmMpfCodec codec_;
  const std::unique_ptr<GrpcPeerTransport> transport_;
  const int max_in_flight_;
};

class MmMpfAdapterFactory : public AdapterFactory {
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
    std::string agency = link.agency();
    if (agency.empty() && context.partner != nullptr) {
      agency = context.partner->code();
    }
    if (agency.empty()) {
      return absl::InvalidArgumentError("agency: empty; name the peer agency");
    }
    if (settings.target().empty()) {
      return absl::InvalidArgumentError(
          "settings.target: required: the peer gateway's host:port "
          "(MM-MPF.md §2, connection sheet)");
    }
    if (!IsToken(settings.target()) ||
        settings.target().find(':') == std::string::npos) {
      return absl::InvalidArgumentError(
          "settings.target: want host:port, printable ASCII without spaces");
    }
    if (settings.has_tls_server_name() &&
        !IsToken(settings.tls_server_name())) {
      return absl::InvalidArgumentError(
          "settings.tls_server_name: want a DNS name or address, printable "
          "ASCII without spaces (or leave it unset)");
    }
    if (settings.deadline_seconds() > kMaxDeadlineSeconds) {
      return absl::InvalidArgumentError(absl::StrCat(
          "settings.deadline_seconds: ", settings.deadline_seconds(),
          ", at most ", kMaxDeadlineSeconds, " (MM-MPF.md §9); 0 means ",
          kDefaultDeadlineSeconds));
    }
    if (settings.max_in_flight() > kMaxInFlight) {
      return absl::InvalidArgumentError(absl::StrCat(
          "settings.max_in_flight: ", settings.max_in_flight(), ", at most ",
          kMaxInFlight, " (MM-MPF.md §9); 0 means ", kDefaultMaxInFlight));
    }
    auto keys = adapters::RegisteredPartnerKeys(context, agency);
    if (!keys.ok()) return keys.status();
    if (context.tls_cert_pem.empty() || context.tls_key_pem.empty()) {
      return absl::InvalidArgumentError(
          "tls_cert_pem / tls_key_pem: empty; mutual TLS needs this "
          "gateway's gateway.crt and gateway.key");
    }
    if (context.partner_ca_pem.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "partner_ca_pem: empty; mutual TLS needs the CA of ", agency));
    }

    GrpcPeerOptions options;
    options.target = settings.target();
    if (settings.has_tls_server_name()) {
      options.tls_server_name = settings.tls_server_name();
    }
    options.deadline = absl::Seconds(settings.deadline_seconds() == 0
                                         ? kDefaultDeadlineSeconds
                                         : settings.deadline_seconds());
    options.root_certs_pem = context.partner_ca_pem;
    options.private_key_pem = context.tls_key_pem;
    options.cert_chain_pem = context.tls_cert_pem;
    absl::StatusOr<std::unique_ptr<GrpcPeerTransport>> transport =
        GrpcPeerTransport::Create(std::move(options));
    if (!transport.ok()) return transport.status();

    const int max_in_flight = settings.max_in_flight() == 0
                                  ? kDefaultMaxInFlight
                                  : static_cast<int>(settings.max_in_flight());
    return std::unique_ptr<Adapter>(
        new MmMpfAdapter(std::move(agency), *std::move(keys),
                         *std::move(transport), max_in_flight));
  }
};

}  // namespace

std::unique_ptr<adapters::AdapterFactory> NewMmMpfAdapterFactory() {
  return std::make_unique<MmMpfAdapterFactory>();
}

}  // namespace gw::mm_mpf
