// adapters/signed_http/http_signature.cc
//
// See http_signature.h for the contract.
//
// Parsing is strict on purpose: a Signature-Input is accepted only in the
// exact form an RFC 8941 serializer writes for the profile (one SP between
// the components, no white space around ';' and '='), because that form is
// also what the signature base's "@signature-params" line must hold, byte
// for byte. Anything else is "not the profile" (401 SIGNATURE_MISSING).
//
// Replay memory (requests): the 64 signature bytes of every request that
// passed step 10, kept until 2 * max_skew after it was accepted; by then
// step 8 refuses that signature anyway. At most kMaxRememberedSignatures
// are kept: when the memory is full of unexpired signatures, a further
// valid request is refused 503 UNAVAILABLE (transient, Retry-After until
// the oldest one expires) instead of letting memory grow without bound.
// Only signatures that verified with a registered key enter the memory, so
// only a registered partner can fill it, and only by sending more than the
// ICD's 10 requests/s for the whole skew window.
#include "adapters/signed_http/http_signature.h"

#include <algorithm>
#include <cstddef>
#include <map>
#include <optional>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "adapters/signed_http/http_refusal.h"
#include "gateway/crypto/sha256.h"

namespace gw::signed_http {
namespace {

constexpr char kLabel[] = "sig1";
constexpr char kAlg[] = "ed25519";
constexpr char kDigestPrefix[] = "sha-256=:";
constexpr size_t kSha256Bytes = 32;
constexpr size_t kEd25519SignatureBytes = 64;
constexpr size_t kMaxRememberedSignatures = 100000;

constexpr char kSignatureInput[] = "signature-input";
constexpr char kSignature[] = "signature";
constexpr char kContentDigest[] = "content-digest";
constexpr char kGwMessageId[] = "gw-message-id";

// Our Abseil's string_view is its own type, not std::string_view.
absl::string_view Av(std::string_view s) {
  return absl::string_view(s.data(), s.size());
}

// Leading and trailing SP and HTAB removed (RFC 9110 §5.5 OWS).
std::string_view TrimOws(std::string_view value) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) {
    value.remove_prefix(1);
  }
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) {
    value.remove_suffix(1);
  }
  return value;
}

// The decoded bytes of `text` if it is padded standard base64 (RFC 4648
// §4) in its one canonical form: no white space, no missing or extra
// padding, no non-zero bits in the last character.
std::optional<std::string> DecodeBase64Strict(std::string_view text) {
  if (text.empty() || text.size() % 4 != 0) return std::nullopt;
  for (char c : text) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '+' &&
        c != '/' && c != '=') {
      return std::nullopt;
    }
  }
  std::string decoded;
  if (!absl::Base64Unescape(Av(text), &decoded)) return std::nullopt;
  if (absl::Base64Escape(decoded) != text) return std::nullopt;
  return decoded;
}

// Every value of header `name`, in order (names compared without regard
// to case, though the transport delivers them lowercase).
std::vector<std::string_view> HeaderValues(const Headers& headers,
                                           std::string_view name) {
  std::vector<std::string_view> values;
  for (const auto& [key, value] : headers) {
    if (absl::EqualsIgnoreCase(key, Av(name))) values.push_back(value);
  }
  return values;
}

// A value may go into a signature base only as one line of visible ASCII
// (RFC 9421 §2.5: no newline; header values here are ASCII by the ICD), so
// that no value can forge another line of the base.
bool IsBaseSafe(std::string_view value) {
  for (char c : value) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 ? c != '\t' : u > 0x7e) return false;
  }
  return true;
}

absl::Status Refuse(int http_status, const char* code, std::string detail,
                    int retry_after_seconds = 0) {
  HttpRefusal refusal;
  refusal.http_status = http_status;
  refusal.code = code;
  refusal.detail = std::move(detail);
  refusal.retry_after_seconds = retry_after_seconds;
  return RefusalStatus(refusal);
}

// What a Signature-Input in the profile's form holds.
struct SignatureInput {
  int64_t created = 0;
  std::string key_id;
};

// Consumes `prefix` from the front of `*in`; false (and `*in` unchanged)
// if it is not there.
bool Consume(std::string_view* in, std::string_view prefix) {
  if (!absl::StartsWith(Av(*in), Av(prefix))) return false;
  in->remove_prefix(prefix.size());
  return true;
}

// An RFC 8941 sf-integer as serialized: optional '-', 1 to 15 digits, no
// leading zero.
bool ConsumeInteger(std::string_view* in, int64_t* out) {
  size_t n = 0;
  if (n < in->size() && (*in)[n] == '-') ++n;
  const size_t digits_start = n;
  while (n < in->size() && absl::ascii_isdigit((*in)[n])) ++n;
  const size_t digits = n - digits_start;
  if (digits == 0 || digits > 15) return false;
  if (digits > 1 && (*in)[digits_start] == '0') return false;
  if (!absl::SimpleAtoi(Av(in->substr(0, n)), out)) return false;
  if (digits_start == 1 && *out == 0) return false;  // "-0"
  in->remove_prefix(n);
  return true;
}

// An RFC 8941 sf-string as serialized: '"', visible ASCII and SP with '"'
// and '\' escaped, '"'.
bool ConsumeString(std::string_view* in, std::string* out) {
  if (in->empty() || in->front() != '"') return false;
  std::string value;
  for (size_t i = 1; i < in->size(); ++i) {
    const char c = (*in)[i];
    if (c == '"') {
      *out = std::move(value);
      in->remove_prefix(i + 1);
      return true;
    }
    if (c == '\\') {
      if (++i == in->size()) return false;
      const char escaped = (*in)[i];
      if (escaped != '"' && escaped != '\\') return false;
      value.push_back(escaped);
      continue;
    }
    if (c < 0x20 || c > 0x7e) return false;
    value.push_back(c);
  }
  return false;
}

// `value` (trimmed) in exactly the profile's form for `components`.
std::optional<SignatureInput> ParseSignatureInput(
    std::string_view value, const std::vector<std::string>& components) {
  std::string_view in = value;
  std::string inner_list = "(";
  for (size_t i = 0; i < components.size(); ++i) {
    absl::StrAppend(&inner_list, i == 0 ? "" : " ", "\"", components[i], "\"");
  }
  inner_list += ")";
  SignatureInput parsed;
  if (!Consume(&in, kLabel) || !Consume(&in, "=") ||
      !Consume(&in, inner_list) || !Consume(&in, ";created=") ||
      !ConsumeInteger(&in, &parsed.created) || !Consume(&in, ";keyid=") ||
      !ConsumeString(&in, &parsed.key_id) ||
      !Consume(&in, absl::StrCat(";alg=\"", kAlg, "\"")) || !in.empty()) {
    return std::nullopt;
  }
  return parsed;
}

std::vector<std::string> ComponentNames(
    const std::vector<Component>& components) {
  std::vector<std::string> names;
  names.reserve(components.size());
  for (const Component& c : components) names.push_back(c.first);
  return names;
}

// The sf-string serialization of `value` (RFC 8941 §4.1.6).
std::string SerializeString(std::string_view value) {
  std::string out = "\"";
  for (char c : value) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

}  // namespace

std::string ContentDigest(std::string_view body) {
  return absl::StrCat(kDigestPrefix,
                      absl::Base64Escape(crypto::Sha256(Av(body))), ":");
}

absl::StatusOr<std::string> ParseContentDigest(std::string_view value) {
  std::string_view in = value;
  if (!Consume(&in, kDigestPrefix) || in.empty() || in.back() != ':') {
    return absl::InvalidArgumentError(
        "content-digest: want exactly sha-256=:<base64 of 32 bytes>:");
  }
  in.remove_suffix(1);
  std::optional<std::string> digest = DecodeBase64Strict(in);
  if (!digest.has_value() || digest->size() != kSha256Bytes) {
    return absl::InvalidArgumentError(
        "content-digest: the sha-256 member is not padded base64 of 32 "
        "bytes");
  }
  return *std::move(digest);
}

std::string SignatureParams(const std::vector<Component>& components,
                            int64_t created, std::string_view key_id) {
  std::string params = "(";
  for (size_t i = 0; i < components.size(); ++i) {
    absl::StrAppend(&params, i == 0 ? "" : " ", "\"", components[i].first,
                    "\"");
  }
  absl::StrAppend(&params, ");created=", created,
                  ";keyid=", SerializeString(key_id), ";alg=\"", kAlg, "\"");
  return params;
}

std::string SignatureBase(const std::vector<Component>& components,
                          std::string_view params) {
  std::string base;
  for (const auto& [name, value] : components) {
    // Derived components ("@...") are taken as given; header values
    // without their surrounding white space (RFC 9421 §2.1).
    const std::string_view v =
        absl::StartsWith(name, "@") ? std::string_view(value) : TrimOws(value);
    absl::StrAppend(&base, "\"", name, "\": ", Av(v), "\n");
  }
  absl::StrAppend(&base, "\"@signature-params\": ", Av(params));
  return base;
}

// Signatures accepted within the last 2 * max_skew (see the file comment).
class HttpSignatureProfile::ReplayMemory {
 public:
  explicit ReplayMemory(absl::Duration keep) : keep_(keep) {}

  // OK and remembers `signature` if it was not accepted before; otherwise
  // the refusal.
  absl::Status Accept(const std::string& signature, absl::Time now) {
    absl::MutexLock lock(&mu_);
    Evict(now);
    if (expiry_of_.contains(signature)) {
      return Refuse(401, "SIGNATURE_EXPIRED",
                    "signature: already used; sign the request again");
    }
    if (expiry_of_.size() >= kMaxRememberedSignatures) {
      const absl::Duration wait = by_expiry_.begin()->first - now;
      const int seconds = static_cast<int>(std::clamp<int64_t>(
          absl::ToInt64Seconds(absl::Ceil(wait, absl::Seconds(1))), 1,
          absl::ToInt64Seconds(keep_) + 1));
      return Refuse(503, "UNAVAILABLE",
                    "too many signed requests within the replay window",
                    seconds);
    }
    const absl::Time expiry = now + keep_;
    expiry_of_.emplace(signature, expiry);
    by_expiry_.emplace(expiry, signature);
    return absl::OkStatus();
  }

 private:
  void Evict(absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    while (!by_expiry_.empty() && by_expiry_.begin()->first <= now) {
      expiry_of_.erase(by_expiry_.begin()->second);
      by_expiry_.erase(by_expiry_.begin());
    }
  }

  const absl::Duration keep_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, absl::Time> expiry_of_ ABSL_GUARDED_BY(mu_);
  std::multimap<absl::Time, std::string> by_expiry_ ABSL_GUARDED_BY(mu_);
};

HttpSignatureProfile::HttpSignatureProfile(
    const crypto::Signer* own_key,
    std::vector<const crypto::Verifier*> partner_keys, Clock clock,
    absl::Duration max_skew)
    : own_key_(own_key),
      partner_keys_(std::move(partner_keys)),
      clock_(std::move(clock)),
      max_skew_(max_skew),
      replays_(std::make_unique<ReplayMemory>(2 * max_skew)) {}

HttpSignatureProfile::~HttpSignatureProfile() = default;

namespace {

absl::StatusOr<SignatureHeaders> Sign(const crypto::Signer* key,
                                      const std::vector<Component>& components,
                                      absl::Time now) {
  if (key == nullptr || key->algorithm() != crypto::KeyAlgorithm::kEd25519) {
    return absl::FailedPreconditionError(
        "signing key: the signed-HTTP profile needs an Ed25519 key");
  }
  for (const auto& [name, value] : components) {
    if (!IsBaseSafe(value)) {
      return absl::InvalidArgumentError(absl::StrCat(
          name,
          ": not a value a signature can cover (control or non-ASCII "
          "characters)"));
    }
  }
  const std::string params =
      SignatureParams(components, absl::ToUnixSeconds(now), key->key_id_hex());
  absl::StatusOr<std::string> signature =
      key->Sign(SignatureBase(components, params));
  if (!signature.ok()) {
    return absl::InternalError(absl::StrCat("signature: signing failed: ",
                                            signature.status().message()));
  }
  SignatureHeaders headers;
  headers.signature_input = absl::StrCat(kLabel, "=", params);
  headers.signature =
      absl::StrCat(kLabel, "=:", absl::Base64Escape(*signature), ":");
  return headers;
}

}  // namespace

absl::StatusOr<SignatureHeaders> HttpSignatureProfile::SignRequest(
    std::string_view method, std::string_view target_uri,
    std::string_view content_digest, std::string_view message_id) const {
  return Sign(own_key_,
              {{"@method", std::string(method)},
               {"@target-uri", std::string(target_uri)},
               {kContentDigest, std::string(TrimOws(content_digest))},
               {kGwMessageId, std::string(TrimOws(message_id))}},
              clock_());
}

absl::StatusOr<SignatureHeaders> HttpSignatureProfile::SignResponse(
    int status, std::string_view content_digest,
    std::string_view message_id) const {
  if (status < 100 || status > 999) {
    return absl::InvalidArgumentError(
        absl::StrCat("status: ", status, " is not a three-digit HTTP status"));
  }
  std::vector<Component> components = {
      {"@status", absl::StrCat(status)},
      {kContentDigest, std::string(TrimOws(content_digest))}};
  if (!message_id.empty()) {
    components.emplace_back(kGwMessageId, std::string(TrimOws(message_id)));
  }
  return Sign(own_key_, components, clock_());
}

namespace {

// Steps 5 to 10 of KH-CNP.md §6.4 for a message whose covered components
// are `components`: the derived ones ("@...") filled in, the header ones
// with an empty value that is read here. `message_id_expected`: whether
// exactly one Gw-Message-Id must be present (else none may be).
absl::StatusOr<std::pair<VerifiedSignature, std::string>> VerifyMessage(
    std::vector<Component> components, bool message_id_expected,
    const Headers& headers, std::string_view body,
    const std::vector<const crypto::Verifier*>& keys, absl::Time now,
    absl::Duration max_skew) {
  // Step 5: the signature headers, in the profile's form.
  const std::vector<std::string_view> inputs =
      HeaderValues(headers, kSignatureInput);
  const std::vector<std::string_view> signatures =
      HeaderValues(headers, kSignature);
  if (inputs.size() != 1 || signatures.size() != 1) {
    return Refuse(401, "SIGNATURE_MISSING",
                  "signature-input, signature: want exactly one of each");
  }
  const std::optional<SignatureInput> input =
      ParseSignatureInput(TrimOws(inputs[0]), ComponentNames(components));
  if (!input.has_value()) {
    std::string names;
    for (const Component& c : components) {
      absl::StrAppend(&names, names.empty() ? "" : " ", "\"", c.first, "\"");
    }
    return Refuse(401, "SIGNATURE_MISSING",
                  absl::StrCat("signature-input: want exactly sig1=(", names,
                               ");created=<integer>;keyid=\"<key id>\";alg="
                               "\"ed25519\""));
  }
  std::string_view signature_value = TrimOws(signatures[0]);
  std::optional<std::string> signature;
  if (Consume(&signature_value, "sig1=:") && !signature_value.empty() &&
      signature_value.back() == ':') {
    signature_value.remove_suffix(1);
    signature = DecodeBase64Strict(signature_value);
  }
  if (!signature.has_value() || signature->size() != kEd25519SignatureBytes) {
    return Refuse(401, "SIGNATURE_INVALID",
                  "signature: want sig1=:<base64 of 64 bytes>:");
  }

  // Step 6: the covered headers, each exactly once.
  const std::vector<std::string_view> digests =
      HeaderValues(headers, kContentDigest);
  const std::vector<std::string_view> message_ids =
      HeaderValues(headers, kGwMessageId);
  if (digests.size() != 1) {
    return Refuse(400, "HEADER_MISMATCH",
                  "content-digest: want exactly one header");
  }
  if (message_ids.size() != (message_id_expected ? 1u : 0u)) {
    return Refuse(400, "HEADER_MISMATCH",
                  message_id_expected
                      ? "gw-message-id: want exactly one header"
                      : "gw-message-id: the request had none, so the "
                        "response may have none");
  }
  for (Component& component : components) {
    if (component.first == kContentDigest) {
      component.second = std::string(TrimOws(digests[0]));
    } else if (component.first == kGwMessageId) {
      component.second = std::string(TrimOws(message_ids[0]));
    }
  }

  // Step 7: the key.
  const crypto::Verifier* key = nullptr;
  for (const crypto::Verifier* candidate : keys) {
    if (candidate != nullptr && candidate->key_id_hex() == input->key_id) {
      key = candidate;
      break;
    }
  }
  if (key == nullptr) {
    return Refuse(
        401, "UNKNOWN_KEY",
        absl::StrCat("signature-input: keyid ",
                     IsBaseSafe(input->key_id) && input->key_id.size() <= 64
                         ? input->key_id
                         : "(unprintable)",
                     " is not registered to the sender"));
  }

  // Step 8: the time.
  const absl::Duration age = now - absl::FromUnixSeconds(input->created);
  if (absl::AbsDuration(age) > max_skew) {
    return Refuse(
        401, "SIGNATURE_EXPIRED",
        absl::StrCat("signature-input: created is ", absl::ToInt64Seconds(age),
                     " s from this receiver's clock; at most ",
                     absl::ToInt64Seconds(max_skew), " s allowed"));
  }

  // Step 9: the digest.
  std::string_view digest_header;
  for (const Component& component : components) {
    if (component.first == kContentDigest) digest_header = component.second;
  }
  const absl::StatusOr<std::string> digest = ParseContentDigest(digest_header);
  if (!digest.ok()) {
    return Refuse(400, "HEADER_MISMATCH",
                  std::string(digest.status().message()));
  }
  if (*digest != crypto::Sha256(Av(body))) {
    return Refuse(401, "DIGEST_MISMATCH",
                  "content-digest: not the SHA-256 of the body");
  }

  // Step 10: the signature over the rebuilt base.
  for (const auto& [name, value] : components) {
    if (!IsBaseSafe(value)) {
      return Refuse(401, "SIGNATURE_INVALID",
                    absl::StrCat(name, ": a value a signature cannot cover"));
    }
  }
  const std::string base = SignatureBase(
      components, SignatureParams(components, input->created, input->key_id));
  if (key->algorithm() != crypto::KeyAlgorithm::kEd25519 ||
      !key->Verify(base, *signature).ok()) {
    return Refuse(401, "SIGNATURE_INVALID",
                  "signature: does not verify over the signature base");
  }
  VerifiedSignature verified;
  verified.key_id = key->key_id_hex();
  verified.created = input->created;
  return std::make_pair(std::move(verified), *std::move(signature));
}

}  // namespace

absl::StatusOr<VerifiedSignature> HttpSignatureProfile::VerifyRequest(
    std::string_view method, std::string_view target_uri,
    const Headers& headers, std::string_view body) const {
  const absl::Time now = clock_();
  auto verified = VerifyMessage({{"@method", std::string(method)},
                                 {"@target-uri", std::string(target_uri)},
                                 {kContentDigest, ""},
                                 {kGwMessageId, ""}},
                                /*message_id_expected=*/true, headers, body,
                                partner_keys_, now, max_skew_);
  if (!verified.ok()) return verified.status();
  absl::Status fresh = replays_->Accept(verified->second, now);
  if (!fresh.ok()) return fresh;
  return std::move(verified->first);
}

absl::StatusOr<VerifiedSignature> HttpSignatureProfile::VerifyResponse(
    int status, const Headers& headers, std::string_view body,
    std::string_view request_message_id) const {
  std::vector<Component> components = {{"@status", absl::StrCat(status)},
                                       {kContentDigest, ""}};
  const bool has_message_id = !request_message_id.empty();
  if (has_message_id) components.emplace_back(kGwMessageId, "");
  auto verified = VerifyMessage(std::move(components), has_message_id, headers,
                                body, partner_keys_, clock_(), max_skew_);
  if (!verified.ok()) return verified.status();
  if (has_message_id) {
    const std::vector<std::string_view> echoed =
        HeaderValues(headers, kGwMessageId);
    if (TrimOws(echoed[0]) != TrimOws(request_message_id)) {
      return Refuse(400, "HEADER_MISMATCH",
                    "gw-message-id: does not echo the request's");
    }
  }
  return std::move(verified->first);
}

}  // namespace gw::signed_http
