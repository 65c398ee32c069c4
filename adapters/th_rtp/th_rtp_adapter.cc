// adapters/th_rtp/th_rtp_adapter.cc
//
// See th_rtp_adapter.h for the contract.
#include "adapters/th_rtp/th_rtp_adapter.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "adapters/factory_support.h"
#include "adapters/th_rtp/th_rtp_codec.h"
#include "adapters/transport/tcp_frames.h"
#include "gw/adapters/th_rtp/v1/settings.pb.h"

namespace gw::th_rtp {
namespace {

using adapters::Adapter;
using adapters::AdapterContext;
using adapters::AdapterFactory;
using adapters::TcpFramesOptions;
using adapters::TcpFramesTransport;
using gw::adapters::th_rtp::v1::Settings;

// The ICD's timers (TH-RTP.md §9), also the largest a setting may ask for.
constexpr uint32_t kAckTimeoutSeconds = 60;
constexpr uint32_t kHeartbeatSeconds = 30;
constexpr uint32_t kDeadPeerSeconds = 90;

// "host:port", printable ASCII without spaces.
bool IsHostPort(const std::string& text) {
  if (text.empty() || text.find(':') == std::string::npos) return false;
  for (char c : text) {
    if (c <= 0x20 || c > 0x7e) return false;
  }
  return true;
}

absl::StatusOr<absl::Duration> Timer(uint32_t seconds, uint32_t icd_seconds,
                                     const char* field) {
  if (seconds == 0) return absl::Seconds(icd_seconds);
  if (seconds > icd_seconds) {
    return absl::InvalidArgumentError(
        absl::StrCat("settings.", field, ": ", seconds, ", at most ",
                     icd_seconds, " (TH-RTP.md §9); 0 means ", icd_seconds));
  }
  return absl::Seconds(seconds);
}

using ThRtpAdapter = adapters::LinkAdapter<ThRtpCodec, TcpFramesTransport>;

class ThRtpAdapterFactory : public AdapterFactory {
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
    if (!IsHostPort(settings.target())) {
      return absl::InvalidArgumentError(
          "settings.target: want host:port of the TH-RTP server from the "
          "connection sheet (TH-RTP.md §2.1)");
    }
    if (!settings.listen().empty() && !IsHostPort(settings.listen())) {
      return absl::InvalidArgumentError(
          "settings.listen: want host:port where TH-RTP connects to this "
          "gateway, e.g. \"0.0.0.0:7451\" (or leave it unset)");
    }
    TcpFramesOptions options;
    auto ack = Timer(settings.ack_timeout_seconds(), kAckTimeoutSeconds,
                     "ack_timeout_seconds");
    if (!ack.ok()) return ack.status();
    auto heartbeat = Timer(settings.heartbeat_interval_seconds(),
                           kHeartbeatSeconds, "heartbeat_interval_seconds");
    if (!heartbeat.ok()) return heartbeat.status();
    auto dead = Timer(settings.dead_peer_timeout_seconds(), kDeadPeerSeconds,
                      "dead_peer_timeout_seconds");
    if (!dead.ok()) return dead.status();

    auto keys = adapters::RegisteredPartnerKeys(context, agency);
    if (!keys.ok()) return keys.status();
    if (context.signing_key == nullptr ||
        context.signing_key->algorithm() != crypto::KeyAlgorithm::kEd25519) {
      return absl::InvalidArgumentError(
          "signing_key: TH-RTP frames are signed with Ed25519 (TH-RTP.md "
          "§6); this gateway's signing.key is not an Ed25519 key");
    }
    if (context.tls_cert_pem.empty() || context.tls_key_pem.empty() ||
        context.partner_ca_pem.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "tls: mutual TLS needs this gateway's gateway.crt and gateway.key "
          "and the CA of ",
          agency));
    }

    auto adapter = std::make_unique<ThRtpAdapter>(
        std::make_unique<ThRtpCodec>(context.local_agency, agency,
                                     context.signing_key, *std::move(keys)),
        kWindow);
    options.connect_target = settings.target();
    if (settings.has_tls_server_name()) {
      options.tls_server_name = settings.tls_server_name();
    }
    options.listen_address = settings.listen();
    options.peer_agency = agency;
    options.local_agency = context.local_agency;
    options.cert_pem = context.tls_cert_pem;
    options.key_pem = context.tls_key_pem;
    options.peer_ca_pem = context.partner_ca_pem;
    options.peer_crl_pem = context.partner_crl_pem;
    options.window = kWindow;
    options.ack_timeout = *ack;
    options.heartbeat_interval = *heartbeat;
    options.dead_peer_timeout = *dead;
    auto transport = TcpFramesTransport::Create(
        std::move(options), &adapter->link_codec(), &adapter->link_codec());
    if (!transport.ok()) return transport.status();
    adapter->set_transport(*std::move(transport));
    return std::unique_ptr<Adapter>(std::move(adapter));
  }
};

}  // namespace

std::unique_ptr<adapters::AdapterFactory> NewThRtpAdapterFactory() {
  return std::make_unique<ThRtpAdapterFactory>();
}

}  // namespace gw::th_rtp
