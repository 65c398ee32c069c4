// tests/unit/adapters/th_rtp/th_rtp_examples.h
//
// Shared fixtures of the TH-RTP tests: the example frames of
// shared/partners/examples/TH-RTP/, the canonical messages their .hex.txt
// decodings describe, the RFC 8032 test keys (TEST 1 = CN-MPS, TEST 2 =
// TH-RTP), codecs for both sides of the link with a fixed clock and fixed
// message ids, and helpers that craft frames (split into records, patch a
// field, seal again).
#ifndef GW_TESTS_UNIT_ADAPTERS_TH_RTP_TH_RTP_EXAMPLES_H_
#define GW_TESTS_UNIT_ADAPTERS_TH_RTP_TH_RTP_EXAMPLES_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "adapters/adapter.h"
#include "adapters/th_rtp/records.h"
#include "adapters/th_rtp/th_rtp_codec.h"
#include "gateway/crypto/signer.h"
#include "gateway/crypto/verifier.h"
#include "gw/v1/alert.pb.h"
#include "gw/v1/case.pb.h"
#include "gw/v1/repatriation.pb.h"

namespace gw::th_rtp::testing {

inline constexpr char kAlertMessageId[] =
    "677639f9-139a-5217-ad22-4969550d608d";
inline constexpr char kStatusMessageId[] =
    "79a79b79-bedf-5266-aef6-cec0dd834e32";
inline constexpr char kRequestMessageId[] =
    "bf7826c6-359b-59b9-b8eb-3284f1d62573";

// The bytes of examples/TH-RTP/<name>.
std::string ReadExample(absl::string_view name);
// The body of a whole frame (without the 4-byte prefix): a view into it.
absl::string_view BodyOf(absl::string_view frame);
// The same, as the std::string_view of the FrameProtocol interface.
std::string_view StdBodyOf(absl::string_view frame);

// The instant of an RFC 3339 time such as "2026-03-14T02:30:00Z".
absl::Time Utc(absl::string_view rfc3339);

// The canonical messages behind the examples.
gw::v1::CaseAlert ExampleAlert();    // alert-outbound (CN-MPS -> TH-RTP)
gw::v1::CaseStatus ExampleStatus();  // case-status-outbound
gw::v1::RepatriationRequest ExampleRequest();  // repatriation-request-inbound

adapters::OutboundMessage Outbound(absl::string_view message_id,
                                   absl::string_view payload_type,
                                   const google::protobuf::Message& payload,
                                   absl::string_view recipient = "TH-RTP");

// The keys and codecs of both ends. `gateway` is CN-MPS's codec (partner
// TH-RTP), `partner` TH-RTP's mirror codec (partner CN-MPS), each with the
// clock `now` and the next id from `ids`.
class Link {
 public:
  Link();
  ~Link();

  const crypto::Signer& gateway_key() const { return *gateway_key_; }
  const crypto::Signer& partner_key() const { return *partner_key_; }

  // Codecs whose clock reads `now` and whose control frames get `id`.
  std::unique_ptr<ThRtpCodec> Gateway(absl::Time now = absl::UnixEpoch(),
                                      std::string id = "") const;
  std::unique_ptr<ThRtpCodec> Partner(
      absl::Time now = absl::UnixEpoch(), std::string id = "",
      ThRtpCodec::PartnerRef partner_ref = {}) const;

 private:
  std::unique_ptr<crypto::Signer> gateway_key_, partner_key_;
  std::unique_ptr<crypto::Verifier> gateway_verifier_, partner_verifier_;
};

// A frame's records as strings, TR left out.
std::vector<std::string> RecordsOf(absl::string_view frame);
// Overwrites `field` of `record` (a record of type `type`) with `raw`,
// padded with spaces to the field width.
void Patch(std::string* record, RecordType type, absl::string_view field,
           absl::string_view raw);
// A new frame of `records` (TR added) signed by `key`.
std::string Seal(const std::vector<std::string>& records,
                 const crypto::Signer& key);
// `frame` with a fresh signature by `key` over its body (after a patch of
// TR fields, or of bytes whose count stays the same).
std::string Resign(std::string frame, const crypto::Signer& key);

}  // namespace gw::th_rtp::testing

#endif  // GW_TESTS_UNIT_ADAPTERS_TH_RTP_TH_RTP_EXAMPLES_H_
