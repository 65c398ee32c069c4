// tools/partners/http_mock/http_signature.cc
#include "tools/partners/http_mock/http_signature.h"

#include <cstdlib>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gateway/crypto/sha256.h"
#include "tools/partners/http_mock/views.h"

namespace gw::http_mock {
namespace {

// --- A small RFC 8941 parser: dictionaries of items and inner lists. ---

struct BareItem {
  enum class Type { kInteger, kString, kToken, kBytes, kBoolean, kDecimal };
  Type type = Type::kToken;
  int64_t integer = 0;
  std::string text;  // string / token / raw bytes / decimal text
};

using Parameters = std::vector<std::pair<std::string, BareItem>>;

struct Item {
  BareItem value;
  Parameters params;
};

struct Member {
  std::string key;
  bool inner_list = false;
  std::vector<Item> items;  // inner list
  Item item;                // or a single item
  Parameters list_params;   // parameters of the inner list
};

class SfParser {
 public:
  explicit SfParser(std::string_view text) : s_(text) {}

  // RFC 8941 §4.2: leading and trailing SP discarded, then a dictionary.
  std::optional<std::vector<Member>> Dictionary() {
    SkipSp();
    std::vector<Member> members;
    while (!AtEnd()) {
      Member member;
      std::optional<std::string> key = Key();
      if (!key) return std::nullopt;
      member.key = *key;
      if (Peek() == '=') {
        ++i_;
        if (Peek() == '(') {
          member.inner_list = true;
          if (!InnerList(&member)) return std::nullopt;
        } else {
          std::optional<BareItem> bare = Bare();
          if (!bare) return std::nullopt;
          member.item.value = *bare;
          if (!Params(&member.item.params)) return std::nullopt;
        }
      } else {
        member.item.value.type = BareItem::Type::kBoolean;
        member.item.value.integer = 1;
        if (!Params(&member.item.params)) return std::nullopt;
      }
      members.push_back(std::move(member));
      SkipOws();
      if (AtEnd()) break;
      if (Peek() != ',') return std::nullopt;
      ++i_;
      SkipOws();
      if (AtEnd()) return std::nullopt;  // trailing comma
    }
    return members;
  }

 private:
  bool AtEnd() const { return i_ >= s_.size(); }
  char Peek() const { return AtEnd() ? '\0' : s_[i_]; }
  void SkipSp() {
    while (Peek() == ' ') ++i_;
  }
  void SkipOws() {
    while (Peek() == ' ' || Peek() == '\t') ++i_;
  }
  static bool IsLcAlpha(char c) { return c >= 'a' && c <= 'z'; }
  static bool IsDigit(char c) { return c >= '0' && c <= '9'; }
  static bool IsAlpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  std::optional<std::string> Key() {
    const char first = Peek();
    if (!IsLcAlpha(first) && first != '*') return std::nullopt;
    std::string key;
    while (!AtEnd()) {
      const char c = Peek();
      if (!(IsLcAlpha(c) || IsDigit(c) || c == '_' || c == '-' || c == '.' ||
            c == '*')) {
        break;
      }
      key.push_back(c);
      ++i_;
    }
    return key;
  }

  bool InnerList(Member* member) {
    ++i_;  // '('
    while (true) {
      SkipSp();
      if (Peek() == ')') {
        ++i_;
        return Params(&member->list_params);
      }
      if (AtEnd()) return false;
      Item item;
      std::optional<BareItem> bare = Bare();
      if (!bare) return false;
      item.value = *bare;
      if (!Params(&item.params)) return false;
      member->items.push_back(std::move(item));
      if (Peek() != ' ' && Peek() != ')') return false;
    }
  }

  bool Params(Parameters* params) {
    while (Peek() == ';') {
      ++i_;
      SkipSp();
      std::optional<std::string> key = Key();
      if (!key) return false;
      BareItem value;
      value.type = BareItem::Type::kBoolean;
      value.integer = 1;
      if (Peek() == '=') {
        ++i_;
        std::optional<BareItem> bare = Bare();
        if (!bare) return false;
        value = *bare;
      }
      // RFC 8941 §4.2.3.2: a repeated key overwrites; keep the first
      // position, so a profile check still sees the duplicate as odd.
      bool replaced = false;
      for (auto& [name, old] : *params) {
        if (name == *key) {
          old = value;
          replaced = true;
        }
      }
      if (!replaced) params->emplace_back(*key, value);
    }
    return true;
  }

  std::optional<BareItem> Bare() {
    const char c = Peek();
    BareItem item;
    if (c == '-' || IsDigit(c)) {
      std::string digits;
      if (c == '-') {
        digits.push_back('-');
        ++i_;
      }
      bool decimal = false;
      while (IsDigit(Peek()) || (Peek() == '.' && !decimal)) {
        if (Peek() == '.') decimal = true;
        digits.push_back(Peek());
        ++i_;
      }
      const size_t count = digits.size() - (digits[0] == '-' ? 1 : 0);
      if (count == 0 || (!decimal && count > 15) || (decimal && count > 16) ||
          digits.back() == '.') {
        return std::nullopt;
      }
      if (decimal) {
        item.type = BareItem::Type::kDecimal;
        item.text = digits;
        return item;
      }
      item.type = BareItem::Type::kInteger;
      item.integer = std::strtoll(digits.c_str(), nullptr, 10);
      return item;
    }
    if (c == '"') {
      ++i_;
      item.type = BareItem::Type::kString;
      while (true) {
        if (AtEnd()) return std::nullopt;
        const char d = s_[i_++];
        if (d == '\\') {
          if (AtEnd()) return std::nullopt;
          const char e = s_[i_++];
          if (e != '"' && e != '\\') return std::nullopt;
          item.text.push_back(e);
          continue;
        }
        if (d == '"') return item;
        if (static_cast<unsigned char>(d) < 0x20 ||
            static_cast<unsigned char>(d) > 0x7e) {
          return std::nullopt;
        }
        item.text.push_back(d);
      }
    }
    if (c == ':') {
      ++i_;
      const size_t end = s_.find(':', i_);
      if (end == std::string_view::npos) return std::nullopt;
      std::optional<std::string> bytes =
          Base64DecodeStrict(s_.substr(i_, end - i_));
      if (!bytes) return std::nullopt;
      i_ = end + 1;
      item.type = BareItem::Type::kBytes;
      item.text = *std::move(bytes);
      return item;
    }
    if (c == '?') {
      ++i_;
      if (Peek() != '0' && Peek() != '1') return std::nullopt;
      item.type = BareItem::Type::kBoolean;
      item.integer = Peek() == '1' ? 1 : 0;
      ++i_;
      return item;
    }
    if (IsAlpha(c) || c == '*') {
      item.type = BareItem::Type::kToken;
      while (!AtEnd()) {
        const char d = Peek();
        const bool tchar = IsAlpha(d) || IsDigit(d) ||
                           std::string_view("!#$%&'*+-.^_`|~:/").find(d) !=
                               std::string_view::npos;
        if (!tchar) break;
        item.text.push_back(d);
        ++i_;
      }
      return item;
    }
    return std::nullopt;
  }

  std::string_view s_;
  size_t i_ = 0;
};

Refusal Refuse(int status, const char* code, std::string detail) {
  Refusal refusal;
  refusal.http_status = status;
  refusal.code = code;
  refusal.detail = std::move(detail);
  return refusal;
}

const crypto::Verifier* FindKey(
    const std::vector<const crypto::Verifier*>& keys,
    const std::string& key_id) {
  for (const crypto::Verifier* key : keys) {
    if (key != nullptr && key->key_id_hex() == key_id) return key;
  }
  return nullptr;
}

// Steps 5-10, shared by requests and responses. `values` holds the
// derived components (@method/@target-uri or @status).
std::variant<VerifiedMessage, Refusal> VerifyCommon(
    const HeaderList& headers, std::string_view body,
    const std::vector<std::string>& components, ComponentValues values,
    const VerifyOptions& options) {
  // Step 5.
  const std::vector<std::string> inputs =
      HeaderValues(headers, "signature-input");
  const std::vector<std::string> signatures =
      HeaderValues(headers, "signature");
  if (inputs.size() != 1 || signatures.size() != 1) {
    return Refuse(401, "SIGNATURE_MISSING",
                  "exactly one Signature-Input and one Signature header are "
                  "required");
  }
  absl::StatusOr<SignatureParams> params =
      ParseSignatureInput(inputs[0], components);
  if (!params.ok()) {
    return Refuse(401, "SIGNATURE_MISSING",
                  absl::StrCat("Signature-Input is not the profile of "
                               "section 6.1: ",
                               params.status().message()));
  }
  absl::StatusOr<std::string> signature = ParseSignature(signatures[0]);
  if (!signature.ok()) {
    return Refuse(401, "SIGNATURE_INVALID",
                  absl::StrCat("Signature: ", signature.status().message()));
  }
  // Step 6.
  const std::vector<std::string> digests =
      HeaderValues(headers, "content-digest");
  const std::vector<std::string> ids = HeaderValues(headers, "gw-message-id");
  const bool wants_id = components.back() == "gw-message-id";
  if (digests.size() != 1) {
    return Refuse(400, "HEADER_MISMATCH",
                  "exactly one Content-Digest header is required");
  }
  if (wants_id ? ids.size() != 1 : !ids.empty()) {
    return Refuse(400, "HEADER_MISMATCH",
                  wants_id ? "exactly one Gw-Message-Id header is required"
                           : "Gw-Message-Id is present but not signed");
  }
  // Step 7.
  const crypto::Verifier* key = FindKey(options.keys, params->keyid);
  if (key == nullptr) {
    return Refuse(401, "UNKNOWN_KEY",
                  "keyid is not a key registered to the sending agency");
  }
  // Step 8.
  const int64_t now = absl::ToUnixSeconds(options.now);
  if (params->created > now + options.max_skew_seconds ||
      params->created < now - options.max_skew_seconds) {
    return Refuse(401, "SIGNATURE_EXPIRED",
                  absl::StrCat("created is ", now - params->created,
                               " s from the receiver's clock (limit ",
                               options.max_skew_seconds, " s)"));
  }
  // Step 9.
  std::optional<std::string> digest = ParseContentDigestValue(digests[0]);
  if (!digest) {
    return Refuse(400, "HEADER_MISMATCH",
                  "Content-Digest is not exactly sha-256=:<base64 of 32 "
                  "bytes>:");
  }
  if (*digest != crypto::Sha256(Av(body))) {
    return Refuse(401, "DIGEST_MISMATCH",
                  "Content-Digest does not match the body");
  }
  // Step 10.
  values.content_digest = digests[0];
  values.message_id = wants_id ? ids[0] : "";
  absl::StatusOr<std::string> base = SignatureBase(*params, values);
  if (!base.ok() || !key->Verify(*base, *signature).ok()) {
    return Refuse(401, "SIGNATURE_INVALID",
                  "the signature does not verify over the signature base");
  }
  VerifiedMessage verified;
  verified.key_id = params->keyid;
  verified.created = params->created;
  verified.message_id = values.message_id;
  verified.body_sha256_hex = crypto::Sha256Hex(Av(body));
  return verified;
}

}  // namespace

std::vector<std::string> RequestComponents() {
  return {"@method", "@target-uri", "content-digest", "gw-message-id"};
}

std::vector<std::string> ResponseComponents(bool with_message_id) {
  std::vector<std::string> components = {"@status", "content-digest"};
  if (with_message_id) components.push_back("gw-message-id");
  return components;
}

std::string Base64Encode(std::string_view bytes) {
  return absl::Base64Escape(Av(bytes));
}

std::optional<std::string> Base64DecodeStrict(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  for (char c : text) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                    (c >= '0' && c <= '9') || c == '+' || c == '/' || c == '=';
    if (!ok) return std::nullopt;
  }
  std::string bytes;
  if (!absl::Base64Unescape(Av(text), &bytes)) return std::nullopt;
  // Only the canonical form: padding where it must be, zero spare bits.
  if (absl::Base64Escape(bytes) != Av(text)) return std::nullopt;
  return bytes;
}

std::string ContentDigestValue(std::string_view body) {
  return absl::StrCat("sha-256=:", Base64Encode(crypto::Sha256(Av(body))), ":");
}

std::optional<std::string> ParseContentDigestValue(std::string_view value) {
  constexpr std::string_view kPrefix = "sha-256=:";
  if (value.size() < kPrefix.size() + 1 ||
      value.substr(0, kPrefix.size()) != kPrefix || value.back() != ':') {
    return std::nullopt;
  }
  std::optional<std::string> bytes = Base64DecodeStrict(
      value.substr(kPrefix.size(), value.size() - kPrefix.size() - 1));
  if (!bytes || bytes->size() != 32) return std::nullopt;
  return bytes;
}

std::string SerializeSignatureParams(const SignatureParams& params) {
  std::vector<std::string> quoted;
  for (const std::string& name : params.components) {
    quoted.push_back(absl::StrCat("\"", name, "\""));
  }
  return absl::StrCat("(", absl::StrJoin(quoted, " "),
                      ");created=", params.created, ";keyid=\"", params.keyid,
                      "\";alg=\"ed25519\"");
}

absl::StatusOr<std::string> SignatureBase(const SignatureParams& params,
                                          const ComponentValues& values) {
  std::string base;
  for (const std::string& name : params.components) {
    std::string value;
    if (name == "@method") {
      value = values.method;
    } else if (name == "@target-uri") {
      value = values.target_uri;
    } else if (name == "@status") {
      value = absl::StrCat(values.status);
    } else if (name == "content-digest") {
      value = std::string(TrimOws(values.content_digest));
    } else if (name == "gw-message-id") {
      value = std::string(TrimOws(values.message_id));
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("component \"", name, "\" is not in the profile"));
    }
    absl::StrAppend(&base, "\"", name, "\": ", value, "\n");
  }
  absl::StrAppend(&base,
                  "\"@signature-params\": ", SerializeSignatureParams(params));
  return base;
}

absl::StatusOr<SignatureFields> SignComponents(const crypto::Signer& signer,
                                               SignatureParams params,
                                               const ComponentValues& values) {
  if (signer.algorithm() != crypto::KeyAlgorithm::kEd25519) {
    return absl::FailedPreconditionError(
        "the message-signing key is not Ed25519");
  }
  if (params.keyid.empty()) params.keyid = signer.key_id_hex();
  absl::StatusOr<std::string> base = SignatureBase(params, values);
  if (!base.ok()) return base.status();
  absl::StatusOr<std::string> signature = signer.Sign(*base);
  if (!signature.ok()) return signature.status();
  SignatureFields fields;
  fields.signature_input =
      absl::StrCat("sig1=", SerializeSignatureParams(params));
  fields.signature = absl::StrCat("sig1=:", Base64Encode(*signature), ":");
  return fields;
}

absl::StatusOr<SignatureParams> ParseSignatureInput(
    std::string_view value,
    const std::vector<std::string>& expected_components) {
  std::optional<std::vector<Member>> members = SfParser(value).Dictionary();
  if (!members) {
    return absl::InvalidArgumentError("not a structured-field dictionary");
  }
  if (members->size() != 1 || (*members)[0].key != "sig1") {
    return absl::InvalidArgumentError("it must hold the label sig1 only");
  }
  const Member& sig1 = (*members)[0];
  if (!sig1.inner_list) {
    return absl::InvalidArgumentError("sig1 is not an inner list");
  }
  std::vector<std::string> names;
  for (const Item& item : sig1.items) {
    if (item.value.type != BareItem::Type::kString || !item.params.empty()) {
      return absl::InvalidArgumentError(
          "a covered component is not a plain string");
    }
    names.push_back(item.value.text);
  }
  if (names != expected_components) {
    std::vector<std::string> quoted;
    for (const std::string& name : expected_components) {
      quoted.push_back(absl::StrCat("\"", name, "\""));
    }
    return absl::InvalidArgumentError(absl::StrCat(
        "the covered components must be (", absl::StrJoin(quoted, " "), ")"));
  }
  const Parameters& params = sig1.list_params;
  if (params.size() != 3 || params[0].first != "created" ||
      params[1].first != "keyid" || params[2].first != "alg") {
    return absl::InvalidArgumentError(
        "the parameters must be created, keyid and alg, in that order");
  }
  if (params[0].second.type != BareItem::Type::kInteger ||
      params[0].second.integer < 0) {
    return absl::InvalidArgumentError("created is not a non-negative integer");
  }
  if (params[1].second.type != BareItem::Type::kString) {
    return absl::InvalidArgumentError("keyid is not a string");
  }
  if (params[2].second.type != BareItem::Type::kString ||
      params[2].second.text != "ed25519") {
    return absl::InvalidArgumentError("alg is not \"ed25519\"");
  }
  SignatureParams parsed;
  parsed.components = std::move(names);
  parsed.created = params[0].second.integer;
  parsed.keyid = params[1].second.text;
  return parsed;
}

absl::StatusOr<std::string> ParseSignature(std::string_view value) {
  std::optional<std::vector<Member>> members = SfParser(value).Dictionary();
  if (!members || members->size() != 1 || (*members)[0].key != "sig1" ||
      (*members)[0].inner_list ||
      (*members)[0].item.value.type != BareItem::Type::kBytes ||
      !(*members)[0].item.params.empty()) {
    return absl::InvalidArgumentError(
        "not exactly sig1=:<base64 of 64 bytes>:");
  }
  if ((*members)[0].item.value.text.size() != 64) {
    return absl::InvalidArgumentError(
        "the signature is not 64 bytes (Ed25519)");
  }
  return (*members)[0].item.value.text;
}

std::variant<VerifiedMessage, Refusal> VerifyRequestSignature(
    const HttpRequest& request, std::string_view target_uri,
    const VerifyOptions& options) {
  ComponentValues values;
  values.method = request.method;
  values.target_uri = std::string(target_uri);
  return VerifyCommon(request.headers, request.body, RequestComponents(),
                      std::move(values), options);
}

std::variant<VerifiedMessage, Refusal> VerifyResponseSignature(
    const HttpResponse& response,
    const std::optional<std::string>& sent_message_id,
    const VerifyOptions& options) {
  ComponentValues values;
  values.status = response.status;
  std::variant<VerifiedMessage, Refusal> verified =
      VerifyCommon(response.headers, response.body,
                   ResponseComponents(sent_message_id.has_value()),
                   std::move(values), options);
  if (auto* ok = std::get_if<VerifiedMessage>(&verified);
      ok != nullptr && sent_message_id.has_value() &&
      ok->message_id != *sent_message_id) {
    return Refuse(400, "HEADER_MISMATCH",
                  "Gw-Message-Id does not echo the request's");
  }
  return verified;
}

absl::StatusOr<HeaderList> SignedRequestHeaders(
    const crypto::Signer& signer, std::string_view method,
    std::string_view target_uri, std::string_view content_type,
    std::string_view body, std::string_view message_id, int64_t created) {
  ComponentValues values;
  values.method = std::string(method);
  values.target_uri = std::string(target_uri);
  values.content_digest = ContentDigestValue(body);
  values.message_id = std::string(message_id);
  SignatureParams params;
  params.components = RequestComponents();
  params.created = created;
  absl::StatusOr<SignatureFields> fields =
      SignComponents(signer, params, values);
  if (!fields.ok()) return fields.status();
  return HeaderList{{"Content-Type", std::string(content_type)},
                    {"Content-Digest", values.content_digest},
                    {"Gw-Message-Id", values.message_id},
                    {"Signature-Input", fields->signature_input},
                    {"Signature", fields->signature}};
}

absl::StatusOr<HeaderList> SignedResponseHeaders(
    const crypto::Signer& signer, int status, std::string_view content_type,
    std::string_view body, const std::optional<std::string>& message_id,
    int64_t created) {
  ComponentValues values;
  values.status = status;
  values.content_digest = ContentDigestValue(body);
  values.message_id = message_id.value_or("");
  SignatureParams params;
  params.components = ResponseComponents(message_id.has_value());
  params.created = created;
  absl::StatusOr<SignatureFields> fields =
      SignComponents(signer, params, values);
  if (!fields.ok()) return fields.status();
  HeaderList headers = {{"Content-Type", std::string(content_type)},
                        {"Content-Digest", values.content_digest}};
  if (message_id.has_value())
    headers.emplace_back("Gw-Message-Id", *message_id);
  headers.emplace_back("Signature-Input", fields->signature_input);
  headers.emplace_back("Signature", fields->signature);
  return headers;
}

}  // namespace gw::http_mock
