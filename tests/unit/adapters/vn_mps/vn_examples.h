// tests/unit/adapters/vn_mps/vn_examples.h
//
// Shared fixtures of the VN-MPS tests: the example files of
// shared/partners/examples/VN-MPS/ (.xml bodies and .http messages, which
// have CR LF header lines and LF bodies), the canonical messages they
// represent, the RFC 8032 test keys (TEST 1 = CN-MPS, TEST 2 = VN-MPS),
// the gateway's codec with a fixed clock, and VN-MPS's side of the
// signatures (its own HttpSignatureProfile) to sign crafted requests and
// responses.
#ifndef GW_TESTS_UNIT_ADAPTERS_VN_MPS_VN_EXAMPLES_H_
#define GW_TESTS_UNIT_ADAPTERS_VN_MPS_VN_EXAMPLES_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "adapters/adapter.h"
#include "adapters/signed_http/http_signature.h"
#include "adapters/vn_mps/vn_mps_codec.h"
#include "gateway/crypto/signer.h"
#include "gateway/crypto/verifier.h"
#include "google/protobuf/message.h"
#include "gw/v1/alert.pb.h"
#include "gw/v1/repatriation.pb.h"

namespace gw::vn_mps::testing {

inline constexpr char kAlertMessageId[] =
    "37c8e64b-0095-5398-8717-4b2f2a27a274";
inline constexpr char kRequestMessageId[] =
    "67a082c3-13e2-5640-9cd4-7b934aec4b9e";
inline constexpr char kNfdRequestMessageId[] =
    "5a192048-2580-59de-985b-71faa4040609";
inline constexpr char kDecisionMessageId[] =
    "4bab93b1-d2cd-5102-8c88-3f4feb3f9c1b";
inline constexpr char kPartnerBase[] = "https://tip.partner.example";
inline constexpr char kGatewayBase[] = "https://gateway.mekong.example";

// The bytes of examples/VN-MPS/<name>.
std::string ReadExample(absl::string_view name);
// shared/partners/VN-MPS.xsd.
std::string ReadPartnerXsd();

// An .http file: start line, headers (lowercase names, in order), body.
struct HttpFile {
  std::string start_line;
  adapters::Metadata headers;
  std::string body;
};
HttpFile ParseHttp(absl::string_view bytes);
// An example request as HttpsLinkTransport hands it over (":method",
// ":path", ":target-uri" = kGatewayBase + path, then the headers).
adapters::PartnerMessage InboundRequest(absl::string_view http_bytes);
// An example response as HttpsLinkTransport reports it (":status", then
// the headers).
adapters::PartnerAnswer ResponseAnswer(absl::string_view http_bytes);

absl::Time Utc(absl::string_view rfc3339);
google::protobuf::Timestamp Ts(absl::string_view rfc3339);

// The canonical messages behind the examples.
gw::v1::CaseAlert ExampleAlert();  // alert-outbound
// repatriation-request-inbound (created_at = its MessageCreatedDateTime).
gw::v1::RepatriationRequest ExampleRequest();

adapters::OutboundMessage Outbound(absl::string_view message_id,
                                   absl::string_view payload_type,
                                   const google::protobuf::Message& payload,
                                   absl::string_view recipient = "VN-MPS");

class Link {
 public:
  Link();
  ~Link();

  const crypto::Signer& gateway_key() const { return *gateway_key_; }
  const crypto::Signer& partner_key() const { return *partner_key_; }
  const crypto::Verifier& gateway_verifier() const {
    return *gateway_verifier_;
  }

  // CN-MPS's codec for the VN-MPS link, clock `now`.
  std::unique_ptr<VnMpsCodec> Gateway(
      absl::Time now, VnMpsCodec::PartnerRef partner_ref = {}) const;
  // A codec as VN-MPS would have it (local VN-MPS, partner CN-MPS): writes
  // documents from VN-MPS to CN-MPS for round trips.
  std::unique_ptr<VnMpsCodec> PartnerCodec(absl::Time now) const;
  // VN-MPS's signature profile (signs with TEST 2, verifies TEST 1).
  std::unique_ptr<signed_http::HttpSignatureProfile> PartnerProfile(
      absl::Time now) const;

  // `body` POSTed by VN-MPS to `path` of the gateway with Gw-Message-Id
  // `id` (none when empty), signed at `now`, as the transport hands it
  // over.
  adapters::PartnerMessage SignedRequest(
      absl::string_view path, absl::string_view body, absl::string_view id,
      absl::Time now, absl::string_view content_type = "application/xml") const;
  // VN-MPS's response `status` with `body` to a request with Gw-Message-Id
  // `id`, signed with `key` (TEST 2 unless given) at `now`.
  adapters::PartnerAnswer SignedResponse(
      int status, absl::string_view body, absl::string_view id, absl::Time now,
      const crypto::Signer* key = nullptr) const;

 private:
  std::unique_ptr<crypto::Signer> gateway_key_, partner_key_;
  std::unique_ptr<crypto::Verifier> gateway_verifier_, partner_verifier_;
};

}  // namespace gw::vn_mps::testing

#endif  // GW_TESTS_UNIT_ADAPTERS_VN_MPS_VN_EXAMPLES_H_
