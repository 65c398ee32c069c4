// tests/unit/adapters/kh_cnp/kh_cnp_test_util.h
//
// Shared fixtures of the KH-CNP tests: the examples of
// shared/partners/examples/KH-CNP/ (.http files split into request or
// status line, headers and body, and handed over as HttpsLinkTransport
// would), the canonical messages the examples represent, the RFC 8032 test
// keys (TEST 1 = CN-MPS, TEST 2 = KH-CNP), codecs of both ends with a fixed
// clock, and KH-CNP's side of the signatures, made with the signed-HTTP
// profile and the TEST 2 key, to craft requests and responses.
#ifndef GW_TESTS_UNIT_ADAPTERS_KH_CNP_KH_CNP_TEST_UTIL_H_
#define GW_TESTS_UNIT_ADAPTERS_KH_CNP_KH_CNP_TEST_UTIL_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "adapters/adapter.h"
#include "adapters/json/json_schema.h"
#include "adapters/kh_cnp/kh_cnp_codec.h"
#include "gateway/crypto/signer.h"
#include "gateway/crypto/verifier.h"
#include "gw/v1/alert.pb.h"
#include "gw/v1/repatriation.pb.h"
#include "nlohmann/json.hpp"

namespace gw::kh_cnp::testing {

inline constexpr char kAlertMessageId[] =
    "1c48fc5b-29bc-59f4-912a-1d9f44f64124";
inline constexpr char kRequestMessageId[] =
    "0aa68b7a-eede-5f6f-a6af-68a3a94b7403";
inline constexpr char kRejectedMessageId[] =
    "a8d6fcb5-bf2e-5b83-ab6e-0133ca1c180c";
inline constexpr char kPartnerBaseUri[] = "https://cnp.partner.example";
inline constexpr char kGatewayBaseUri[] = "https://gateway.mekong.example";
// `created` of the example signatures.
inline constexpr int64_t kAlertCreated = 1773455405;
inline constexpr int64_t kAckInboundCreated = 1773455406;
inline constexpr int64_t kRequestCreated = 1773457801;
inline constexpr int64_t kAckOutboundCreated = 1773457802;
inline constexpr int64_t kRejectionCreated = 1773460801;

// The bytes of examples/KH-CNP/<name>.
std::string ReadExample(absl::string_view name);
// The parsed .json example <name>.
nlohmann::json ExampleJson(absl::string_view name);

// An HTTP/1.1 message of the .http layout.
struct HttpMessage {
  std::string start_line;
  adapters::Metadata headers;  // lowercase names, values as written
  std::string body;
};
HttpMessage ParseHttp(absl::string_view bytes);
// A request as the transport hands it to Decode: ":method", ":path",
// ":target-uri" (`base_uri` + path), then the headers.
adapters::PartnerMessage AsInboundRequest(const HttpMessage& http,
                                          absl::string_view base_uri);
// A response as the transport hands it to ReadAnswer: ":status" then the
// headers.
adapters::PartnerAnswer AsAnswer(const HttpMessage& http);

// The value of header `name` in `metadata` ("" if absent).
std::string Header(const adapters::Metadata& metadata, absl::string_view name);
// `metadata` with every `name` entry replaced by one with `value`, or
// removed when `value` is nullopt-like (use Without).
void SetHeader(adapters::Metadata* metadata, absl::string_view name,
               absl::string_view value);
void RemoveHeader(adapters::Metadata* metadata, absl::string_view name);

absl::Time Unix(int64_t seconds);
absl::Time Utc(absl::string_view rfc3339);

// The canonical messages the examples represent.
gw::v1::CaseAlert ExampleAlert();              // alert-outbound
gw::v1::RepatriationRequest ExampleRequest();  // repatriation-request-inbound

adapters::OutboundMessage Outbound(absl::string_view message_id,
                                   absl::string_view payload_type,
                                   const google::protobuf::Message& payload,
                                   absl::string_view recipient = "KH-CNP");

// The schema, loaded by the test itself.
const json::JsonSchema& Schema();

// Keys and codecs of both ends.
class Link {
 public:
  Link();
  ~Link();

  const crypto::Signer& gateway_key() const { return *gateway_key_; }
  const crypto::Signer& partner_key() const { return *partner_key_; }

  // CN-MPS's codec (partner KH-CNP), clock at `now`.
  std::unique_ptr<KhCnpCodec> Gateway(
      absl::Time now, KhCnpCodec::PartnerRef partner_ref = {}) const;
  // KH-CNP's mirror (local KH-CNP, partner CN-MPS, TEST 2 key).
  std::unique_ptr<KhCnpCodec> Partner(absl::Time now) const;

  // KH-CNP's request to the gateway's `path` with `body`, Gw-Message-Id
  // `message_id`, signed with `key` (default TEST 2) at `created`, as the
  // transport hands it over.
  adapters::PartnerMessage SignedRequest(
      absl::string_view path, std::string body, absl::string_view message_id,
      absl::Time created, const crypto::Signer* key = nullptr) const;
  // KH-CNP's response with `status` and `body`, echoing `message_id`
  // ("" for none), signed with TEST 2 at `created`.
  adapters::PartnerAnswer SignedResponse(int status, std::string body,
                                         absl::string_view message_id,
                                         absl::Time created) const;

 private:
  std::unique_ptr<crypto::Signer> gateway_key_, partner_key_;
  std::unique_ptr<crypto::Verifier> gateway_verifier_, partner_verifier_;
};

}  // namespace gw::kh_cnp::testing

#endif  // GW_TESTS_UNIT_ADAPTERS_KH_CNP_KH_CNP_TEST_UTIL_H_
