// tools/partners/http_mock/http_signature.h
//
// The mock partners' OWN implementation of the signed-HTTP profile of
// KH-CNP.md §6 (VN-MPS.md §6 is the same): RFC 9530 Content-Digest with
// sha-256 only, and RFC 9421 HTTP Message Signatures with exactly one
// Ed25519 signature labelled sig1. It shares no code with the gateway's
// adapters/signed_http, so the two check each other.
//
//  * Requests cover ("@method" "@target-uri" "content-digest"
//    "gw-message-id"); responses ("@status" "content-digest"
//    "gw-message-id"), or ("@status" "content-digest") when the request
//    had no Gw-Message-Id. Parameters created, keyid, alg="ed25519", in
//    that order, nothing else.
//  * Signature base (RFC 9421 §2.5): `"<name>": <value>` per component,
//    then `"@signature-params": <serialized inner list>`, LF-separated,
//    no LF after the last line. Header values are taken trimmed of OWS.
//  * Signature-Input and Signature are parsed as RFC 8941 dictionaries
//    (with their white space rules) and must then hold exactly sig1; the
//    @signature-params line is the canonical re-serialization.
//
// Verification applies KH-CNP.md §6.4 steps 5 to 10 in that order and
// answers the first failure as a Refusal (partner_format.h) without
// location or message id:
//   5  one Signature-Input and one Signature, label sig1 only, exactly the
//      profile's components and parameters [401 SIGNATURE_MISSING];
//      Signature is sig1=:<base64 of 64 bytes>: [401 SIGNATURE_INVALID]
//   6  one Content-Digest, and one Gw-Message-Id where the profile covers
//      it [400 HEADER_MISMATCH]
//   7  keyid is one of `keys` [401 UNKNOWN_KEY]
//   8  |created - now| <= max_skew [401 SIGNATURE_EXPIRED]
//   9  Content-Digest exactly sha-256=:<base64 of 32 bytes>:
//      [400 HEADER_MISMATCH], equal to SHA-256 of the body
//      [401 DIGEST_MISMATCH]
//  10  Ed25519 over the rebuilt base [401 SIGNATURE_INVALID]
// Responses, then: Gw-Message-Id echoes the request's [400 HEADER_MISMATCH].
//
// Thread safety: pure functions; keys are not owned.
#ifndef GW_TOOLS_PARTNERS_HTTP_MOCK_HTTP_SIGNATURE_H_
#define GW_TOOLS_PARTNERS_HTTP_MOCK_HTTP_SIGNATURE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "gateway/crypto/signer.h"
#include "gateway/crypto/verifier.h"
#include "tools/partners/http_mock/http_message.h"
#include "tools/partners/http_mock/partner_format.h"

namespace gw::http_mock {

inline constexpr int64_t kMaxSkewSeconds = 300;  // KH-CNP.md §6.4 step 8

// ("@method" "@target-uri" "content-digest" "gw-message-id").
std::vector<std::string> RequestComponents();
// ("@status" "content-digest" ["gw-message-id"]).
std::vector<std::string> ResponseComponents(bool with_message_id);

// RFC 4648 §4 with padding.
std::string Base64Encode(std::string_view bytes);
// Only the canonical padded form (what Base64Encode writes) decodes.
std::optional<std::string> Base64DecodeStrict(std::string_view text);

// "sha-256=:<base64 of SHA-256(body)>:".
std::string ContentDigestValue(std::string_view body);
// The 32 digest bytes of a value that is exactly that form; nullopt else.
std::optional<std::string> ParseContentDigestValue(std::string_view value);

struct SignatureParams {
  std::vector<std::string> components;
  int64_t created = 0;
  std::string keyid;  // lowercase hex SHA-256 of the SPKI DER
};

// `("@method" ...);created=<n>;keyid="<id>";alg="ed25519"`.
std::string SerializeSignatureParams(const SignatureParams& params);

// Values of the components the profile can cover.
struct ComponentValues {
  std::string method;          // @method
  std::string target_uri;      // @target-uri
  int status = 0;              // @status
  std::string content_digest;  // content-digest (trimmed header value)
  std::string message_id;      // gw-message-id (trimmed header value)
};

// The signature base. INVALID_ARGUMENT for a component outside the
// profile.
[[nodiscard]] absl::StatusOr<std::string> SignatureBase(
    const SignatureParams& params, const ComponentValues& values);

// The two header values a signer adds.
struct SignatureFields {
  std::string signature_input;  // sig1=<params>
  std::string signature;        // sig1=:<base64>:
};

// Signs the base with `signer`. FAILED_PRECONDITION if it is not Ed25519;
// INTERNAL if signing fails. params.keyid is taken from the signer when
// empty.
[[nodiscard]] absl::StatusOr<SignatureFields> SignComponents(
    const crypto::Signer& signer, SignatureParams params,
    const ComponentValues& values);

// Step 5 parsing. ParseSignatureInput: INVALID_ARGUMENT unless `value` is
// exactly one member sig1 whose inner list is `expected_components` and
// whose parameters are created (integer), keyid (string), alg "ed25519", in
// that order. ParseSignature: the 64 signature bytes of exactly
// sig1=:<base64>:.
[[nodiscard]] absl::StatusOr<SignatureParams> ParseSignatureInput(
    std::string_view value,
    const std::vector<std::string>& expected_components);
[[nodiscard]] absl::StatusOr<std::string> ParseSignature(
    std::string_view value);

struct VerifyOptions {
  std::vector<const crypto::Verifier*> keys;  // the peer's registered keys
  absl::Time now;
  int64_t max_skew_seconds = kMaxSkewSeconds;
};

struct VerifiedMessage {
  std::string key_id;
  int64_t created = 0;
  std::string message_id;  // the Gw-Message-Id header ("" if none)
  std::string body_sha256_hex;
};

// Steps 5-10 for a request whose @target-uri is `target_uri` (the
// receiver's configured base URI + path).
std::variant<VerifiedMessage, Refusal> VerifyRequestSignature(
    const HttpRequest& request, std::string_view target_uri,
    const VerifyOptions& options);

// Steps 5-10 for a response to a request that carried Gw-Message-Id
// `sent_message_id` (nullopt: it carried none), then the echo check.
std::variant<VerifiedMessage, Refusal> VerifyResponseSignature(
    const HttpResponse& response,
    const std::optional<std::string>& sent_message_id,
    const VerifyOptions& options);

// The header fields of a signed request to `target_uri` (Content-Type,
// Content-Digest, Gw-Message-Id, Signature-Input, Signature; not Host or
// Content-Length), signed at `created`.
[[nodiscard]] absl::StatusOr<HeaderList> SignedRequestHeaders(
    const crypto::Signer& signer, std::string_view method,
    std::string_view target_uri, std::string_view content_type,
    std::string_view body, std::string_view message_id, int64_t created);

// The header fields of a signed response (Content-Type, Content-Digest,
// Gw-Message-Id when `message_id` is set, Signature-Input, Signature).
[[nodiscard]] absl::StatusOr<HeaderList> SignedResponseHeaders(
    const crypto::Signer& signer, int status, std::string_view content_type,
    std::string_view body, const std::optional<std::string>& message_id,
    int64_t created);

}  // namespace gw::http_mock

#endif  // GW_TOOLS_PARTNERS_HTTP_MOCK_HTTP_SIGNATURE_H_
