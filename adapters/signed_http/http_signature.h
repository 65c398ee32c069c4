// adapters/signed_http/http_signature.h
//
// The signed-HTTP profile KH-CNP and VN-MPS share (KH-CNP.md §6, VN-MPS.md
// §6): RFC 9530 Content-Digest with sha-256 only, and RFC 9421 HTTP Message
// Signatures with exactly one Ed25519 signature labelled sig1.
//
//  * Requests cover ("@method" "@target-uri" "content-digest"
//    "gw-message-id"); responses ("@status" "content-digest"
//    "gw-message-id"), or ("@status" "content-digest") when the request had
//    no Gw-Message-Id. Parameters exactly created, keyid, alg="ed25519", in
//    that order; nothing else (no expires, nonce, tag, other labels).
//  * The signature base (RFC 9421 §2.5): one line `"<name>": <value>` per
//    component, then `"@signature-params": <inner list and parameters>`,
//    LF between lines, none after the last. Header values are taken with
//    leading and trailing white space (SP, HTAB) removed.
//
// Verification follows KH-CNP.md §6.4 steps 5 to 10 in that order and
// refuses with the step's HttpRefusal (http_refusal.h):
//   5  exactly one Signature-Input and one Signature header, label sig1
//      only, the covered components and parameters of the profile
//      [401 SIGNATURE_MISSING]; Signature is sig1=:<base64 of 64 bytes>:
//      [401 SIGNATURE_INVALID];
//   6  exactly one Content-Digest and (requests; responses when expected)
//      one Gw-Message-Id [400 HEADER_MISMATCH];
//   7  keyid names a key registered to the partner [401 UNKNOWN_KEY];
//   8  created within ±max_skew of the clock [401 SIGNATURE_EXPIRED];
//   9  Content-Digest exactly sha-256=:<base64 of 32 bytes>:
//      [400 HEADER_MISMATCH] and equal to SHA-256 of the body
//      [401 DIGEST_MISMATCH];
//  10  the Ed25519 signature verifies over the rebuilt base
//      [401 SIGNATURE_INVALID].
// Requests only, after step 10: a signature already accepted within the
// last 2 * max_skew is a replay and is refused 401 SIGNATURE_EXPIRED
// ("signature already used"), which the ICD makes transient, so a partner
// that resends with a fresh signature is never dead-lettered. The replay
// memory holds at most 100,000 signatures (far above the ICD's 10
// requests/s over the window); when it is full of unexpired ones, a further
// valid request is refused 503 UNAVAILABLE with retry_after_seconds (the
// time until the oldest expires) instead of growing. Only signatures that
// verified with a registered key are remembered. Responses: Gw-Message-Id
// must echo the request's [400 HEADER_MISMATCH]; responses are not
// replay-checked.
//
// Signature-Input is accepted only in the exact form an RFC 8941
// serializer writes (one SP between components, no white space around ';'
// and '=', created an sf-integer, keyid an sf-string); any other form,
// label or parameter is "not the profile" (step 5, SIGNATURE_MISSING).
// Signature must be exactly sig1=:<padded base64 of 64 bytes>: (step 5,
// SIGNATURE_INVALID). A header that occurs more than once is "not exactly
// one". Covered values with control or non-ASCII characters (which could
// forge a line of the base) are refused at step 10, SIGNATURE_INVALID.
//
// Header names in `Headers` are lowercase (as the transport delivers them);
// they are compared without regard to case all the same.
// Thread safety: an HttpSignatureProfile is safe to use from any thread
// (the replay memory is locked). The signer and verifiers are not owned
// and must outlive it.
#ifndef GW_ADAPTERS_SIGNED_HTTP_HTTP_SIGNATURE_H_
#define GW_ADAPTERS_SIGNED_HTTP_HTTP_SIGNATURE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "adapters/adapter.h"
#include "gateway/crypto/signer.h"
#include "gateway/crypto/verifier.h"

namespace gw::signed_http {

using Headers = adapters::Metadata;

// "sha-256=:<base64 of SHA-256(body)>:" (RFC 9530).
std::string ContentDigest(std::string_view body);

// The 32-byte digest of a Content-Digest value that is exactly
// "sha-256=:<base64 of 32 bytes>:"; INVALID_ARGUMENT otherwise.
absl::StatusOr<std::string> ParseContentDigest(std::string_view value);

// One covered component: its name as written in the inner list (e.g.
// "@method", "content-digest") and its value.
using Component = std::pair<std::string, std::string>;

// `("<name>" ...);created=<created>;keyid="<key_id>";alg="ed25519"`.
std::string SignatureParams(const std::vector<Component>& components,
                            int64_t created, std::string_view key_id);

// The RFC 9421 §2.5 signature base for `components` and `params` (the
// value SignatureParams returned).
std::string SignatureBase(const std::vector<Component>& components,
                          std::string_view params);

// The two headers a signer adds.
struct SignatureHeaders {
  std::string signature_input;  // sig1=<params>
  std::string signature;        // sig1=:<base64>:
};

// What a verification proved.
struct VerifiedSignature {
  std::string key_id;  // the partner key that verified
  int64_t created = 0;
};

class HttpSignatureProfile {
 public:
  using Clock = std::function<absl::Time()>;

  // `own_key`: this gateway's Ed25519 key registered with the partner.
  // `partner_keys`: the partner's registered keys, found by key_id_hex().
  HttpSignatureProfile(const crypto::Signer* own_key,
                       std::vector<const crypto::Verifier*> partner_keys,
                       Clock clock = absl::Now,
                       absl::Duration max_skew = absl::Seconds(300));
  ~HttpSignatureProfile();

  // created = clock(), in whole seconds. FAILED_PRECONDITION when own_key
  // is null or not Ed25519; INVALID_ARGUMENT for a covered value with
  // control or non-ASCII characters, or a status outside 100..999;
  // INTERNAL when signing fails. Header values are signed without
  // surrounding SP/HTAB.
  [[nodiscard]] absl::StatusOr<SignatureHeaders> SignRequest(
      std::string_view method, std::string_view target_uri,
      std::string_view content_digest, std::string_view message_id) const;
  // `message_id` empty: the response to a request without Gw-Message-Id.
  [[nodiscard]] absl::StatusOr<SignatureHeaders> SignResponse(
      int status, std::string_view content_digest,
      std::string_view message_id) const;

  // Steps 5 to 10 (+ replay) for a received request. Errors carry an
  // HttpRefusal (HttpRefusalOf) without field or message id.
  [[nodiscard]] absl::StatusOr<VerifiedSignature> VerifyRequest(
      std::string_view method, std::string_view target_uri,
      const Headers& headers, std::string_view body) const;
  // Steps 5 to 10 for a received response to a request whose Gw-Message-Id
  // was `request_message_id` (empty: it had none, and the response must
  // cover ("@status" "content-digest") and carry no Gw-Message-Id).
  [[nodiscard]] absl::StatusOr<VerifiedSignature> VerifyResponse(
      int status, const Headers& headers, std::string_view body,
      std::string_view request_message_id) const;

 private:
  class ReplayMemory;

  const crypto::Signer* own_key_;
  std::vector<const crypto::Verifier*> partner_keys_;
  Clock clock_;
  absl::Duration max_skew_;
  std::unique_ptr<ReplayMemory> replays_;
};

}  // namespace gw::signed_http

#endif  // GW_ADAPTERS_SIGNED_HTTP_HTTP_SIGNATURE_H_
