// adapters/kh_cnp/kh_cnp_codec.cc
//
// See kh_cnp_codec.h for the contract.
#include "adapters/kh_cnp/kh_cnp_codec.h"

#include <algorithm>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "adapters/json/jcs.h"
#include "adapters/kh_cnp/kh_checks.h"
#include "adapters/kh_cnp/kh_http.h"
#include "adapters/kh_cnp/kh_json_in.h"
#include "adapters/kh_cnp/kh_json_out.h"
#include "adapters/kh_cnp/kh_schema.h"
#include "adapters/kh_cnp/kh_text.h"
#include "adapters/kh_cnp/kh_time.h"
#include "adapters/signed_http/http_refusal.h"
#include "adapters/text/normalize.h"
#include "gateway/crypto/sha256.h"
#include "gateway/util/deterministic_proto.h"
#include "gateway/util/proto_time.h"
#include "gateway/util/status_macros.h"
#include "gateway/util/utf8.h"
#include "gateway/util/uuid.h"

namespace gw::kh_cnp {
namespace {

using adapters::DeliveryOutcome;
using adapters::InboundAnswer;
using adapters::InboundMessage;
using adapters::Metadata;
using adapters::OutboundMessage;
using adapters::PartnerAnswer;
using adapters::PartnerMessage;
using json::SchemaViolation;
using signed_http::HttpRefusal;
using Json = nlohmann::json;

constexpr int kDefaultRetryAfterSeconds = 30;

std::vector<signed_http::Endpoint> InboundEndpoints() {
  std::vector<signed_http::Endpoint> out;
  for (const KindSpec& spec : kKinds) {
    out.push_back({spec.inbound_path, spec.message_type});
  }
  return out;
}

// A member's string value, "" when absent or not a string.
std::string StringMember(const Json& object, const char* key) {
  if (!object.is_object()) return "";
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

// §8: the body's message_id when it is a message id, else the header's
// when that is one, else none.
std::string RefusedMessageId(const Json* body, const std::string& header) {
  if (body != nullptr) {
    const std::string id = StringMember(*body, "message_id");
    if (util::IsLowercaseUuid(id)) return id;
  }
  return util::IsLowercaseUuid(header) ? header : "";
}

// One line of at most `max` code points, control characters as spaces.
std::string OneLine(absl::string_view text, size_t max) {
  std::string out;
  size_t code_points = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if ((c & 0xC0) != 0x80) {
      if (code_points == max) break;
      ++code_points;
    }
    out.push_back(c < 0x20 || c == 0x7F ? ' ' : static_cast<char>(c));
  }
  return out;
}

// The $defs entry to validate a body against: its own message_type's when
// that names a message of the schema, so a well-formed message on the
// wrong endpoint is told WRONG_ENDPOINT (§6.4 step 11), else the
// endpoint's.
const char* DefsFor(const Json& body, const KindSpec& endpoint) {
  const std::string type = StringMember(body, "message_type");
  if (const KindSpec* spec = KindByMessageType(type)) return spec->defs;
  if (type == "ack") return kAckDefs;
  if (type == "error") return kErrorDefs;
  return endpoint.defs;
}

bool IsJsonPointer(absl::string_view text) {
  if (text.empty() || text[0] != '/') return false;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '~') continue;
    if (i + 1 >= text.size() || (text[i + 1] != '0' && text[i + 1] != '1')) {
      return false;
    }
  }
  return true;
}

std::vector<gw::v1::ReceiptWarning> NfcWarnings(
    const std::vector<std::string>& pointers) {
  std::vector<gw::v1::ReceiptWarning> out;
  for (const std::string& pointer : pointers) {
    gw::v1::ReceiptWarning& warning = out.emplace_back();
    warning.set_code(kNormalizedNfcWarning);
    warning.set_field(pointer);
  }
  return out;
}

}  // namespace

KhCnpCodec::KhCnpCodec(std::string local_agency, std::string partner_agency,
                       const crypto::Signer* link_key,
                       std::vector<const crypto::Verifier*> partner_keys,
                       Clock clock, PartnerRef partner_ref)
    : local_agency_(std::move(local_agency)),
      partner_agency_(std::move(partner_agency)),
      clock_(clock ? std::move(clock) : Clock(absl::Now)),
      partner_ref_(std::move(partner_ref)),
      profile_(link_key, std::move(partner_keys), clock_),
      endpoints_(InboundEndpoints()),
      media_types_({kJsonMediaType, kJsonUtf8MediaType}),
      schema_(KhCnpSchema()) {}

KhCnpCodec::~KhCnpCodec() = default;

// ---- Outbound --------------------------------------------------------------

absl::StatusOr<PartnerMessage> KhCnpCodec::Encode(
    const OutboundMessage& message) const {
  if (!schema_.ok()) return schema_.status();
  if (message.recipient != partner_agency_) {
    return absl::InvalidArgumentError(
        absl::StrCat("recipient: not ", partner_agency_));
  }
  if (!util::IsLowercaseUuid(message.message_id)) {
    return absl::InvalidArgumentError(
        "message_id: not a lowercase UUID (partners/README.md §2.1)");
  }
  const KindSpec* spec = KindByPayloadType(message.envelope.payload_type());
  if (spec == nullptr) {
    return absl::InvalidArgumentError(
        "envelope.payload_type: not a message type of the KH-CNP link "
        "(KH-CNP.md §2.2)");
  }
  GW_ASSIGN_OR_RETURN(
      OutboundBody body,
      BuildOutbound(*spec, message.envelope.payload(), message.message_id,
                    local_agency_, partner_agency_));
  absl::StatusOr<std::optional<SchemaViolation>> violation =
      (*schema_)->ValidateAt(body.document, spec->defs);
  if (!violation.ok()) {
    return absl::InternalError(absl::StrCat(
        "KH-CNP.schema.json ", spec->defs, ": ", violation.status().message()));
  }
  std::optional<SchemaViolation> breach = *std::move(violation);
  if (!breach.has_value()) breach = CheckBeyondSchema(body.document);
  if (breach.has_value()) {
    return absl::InvalidArgumentError(absl::StrCat(
        CanonicalPath(*spec, body, breach->pointer), ": ", breach->message,
        " (KH-CNP ", breach->pointer.empty() ? "body" : breach->pointer, ")"));
  }
  std::string bytes = json::Canonical(body.document);
  if (bytes.size() > kMaxBodyBytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        spec->canonical, ": the KH-CNP body is ", bytes.size(),
        " bytes with every attachment described only, more than the ",
        kMaxBodyBytes, " of KH-CNP.md §9"));
  }
  PartnerMessage out;
  out.message_id = message.message_id;
  out.content_type = kJsonMediaType;
  out.metadata = {{":path", spec->outbound_path},
                  {"content-type", kJsonMediaType},
                  {"content-digest", signed_http::ContentDigest(bytes)},
                  {"gw-message-id", message.message_id}};
  out.bytes = std::move(bytes);
  return out;
}

absl::StatusOr<Metadata> KhCnpCodec::SignRequest(
    std::string_view target_uri, const PartnerMessage& request) const {
  const std::optional<std::string> digest =
      OneHeader(request.metadata, "content-digest");
  const std::optional<std::string> id =
      OneHeader(request.metadata, "gw-message-id");
  if (!digest.has_value() || !id.has_value()) {
    return absl::FailedPreconditionError(
        "request: want exactly one content-digest and one gw-message-id "
        "(a request made by Encode)");
  }
  GW_ASSIGN_OR_RETURN(signed_http::SignatureHeaders headers,
                      profile_.SignRequest("POST", target_uri, *digest, *id));
  return Metadata{{"signature-input", std::move(headers.signature_input)},
                  {"signature", std::move(headers.signature)}};
}

DeliveryOutcome KhCnpCodec::ReadAnswer(const OutboundMessage& message,
                                       const PartnerMessage& sent,
                                       const PartnerAnswer& answer) const {
  if (!answer.status.ok()) {
    return DeliveryOutcome::Transient(absl::StrCat(
        "transport: ", absl::StatusCodeToString(answer.status.code()), " ",
        answer.status.message()));
  }
  int status = 0;
  const std::optional<std::string> status_text =
      OneHeader(answer.metadata, ":status");
  if (!status_text.has_value() || !absl::SimpleAtoi(*status_text, &status) ||
      status < 100 || status > 599) {
    return DeliveryOutcome::Transient("response: no valid :status");
  }
  const Metadata headers = HeadersOnly(answer.metadata);
  absl::StatusOr<signed_http::VerifiedSignature> verified =
      profile_.VerifyResponse(status, headers, answer.bytes, sent.message_id);
  if (!verified.ok()) {
    // Proves nothing: the same bytes are sent again (§7, README §2.4).
    return DeliveryOutcome::Transient(
        absl::StrCat("unsigned or badly signed response: KH-CNP ", status, " ",
                     verified.status().message()));
  }
  std::string evidence = ResponseEvidence(status, headers, answer.bytes);
  if (status == 200 || status == 202) {
    return ReadAck(message, sent, answer, std::move(evidence));
  }

  DeliveryOutcome outcome;
  if (status < 400) {
    outcome = DeliveryOutcome::Transient(
        absl::StrCat("KH-CNP ", status, ": not an answer of KH-CNP.md §7"));
  } else {
    // The error body (§8), if it can be read.
    std::string code, field, detail, refused_id, unreadable;
    absl::StatusOr<Json> body = json::ParseStrictJson(answer.bytes);
    if (!body.ok()) {
      unreadable = std::string(body.status().message());
    } else if (!schema_.ok()) {
      unreadable = std::string(schema_.status().message());
    } else if (absl::StatusOr<std::optional<SchemaViolation>> violation =
                   (*schema_)->ValidateAt(*body, kErrorDefs);
               !violation.ok() || violation->has_value()) {
      unreadable = violation.ok() ? absl::StrCat((**violation).pointer, " ",
                                                 (**violation).message)
                                  : std::string(violation.status().message());
    } else {
      const Json& error = (*body)["error"];
      code = StringMember(error, "code");
      field = StringMember(error, "field");
      detail = StringMember(error, "detail");
      refused_id = StringMember(*body, "message_id");
    }
    std::string reason =
        unreadable.empty()
            ? absl::StrCat("KH-CNP ", status, " ", code,
                           field.empty() ? "" : " ", field, ": ",
                           OneLine(detail, kMaxDetailChars))
            : absl::StrCat("KH-CNP ", status, " (no readable error body: ",
                           OneLine(unreadable, 200), ")");
    bool transient = false;
    if (!refused_id.empty() && refused_id != message.message_id) {
      reason = absl::StrCat(
          "error body names another message than the one "
          "sent: ",
          reason);
      transient = true;
    } else if (status == 409) {
      transient = false;
    } else if (status >= 500 || status == 429) {
      transient = true;
    } else if (!unreadable.empty()) {
      // A 401 may be SIGNATURE_EXPIRED or UNKNOWN_KEY, which are retried.
      transient = status == 401;
    } else {
      transient = signed_http::IsRetriedRefusal(status, code);
    }
    outcome = transient ? DeliveryOutcome::Transient(std::move(reason))
                        : DeliveryOutcome::Permanent(std::move(reason));
  }
  outcome.evidence = std::move(evidence);
  if (const std::optional<std::string> retry =
          OneHeader(headers, "retry-after")) {
    outcome.retry_after = ParseRetryAfter(*retry, clock_());
  }
  return outcome;
}

DeliveryOutcome KhCnpCodec::ReadAck(const OutboundMessage& message,
                                    const PartnerMessage& sent,
                                    const PartnerAnswer& answer,
                                    std::string evidence) const {
  auto transient = [&](std::string reason) {
    DeliveryOutcome outcome = DeliveryOutcome::Transient(
        absl::StrCat("ack not accepted: ", std::move(reason)));
    outcome.evidence = evidence;
    return outcome;
  };
  absl::StatusOr<Json> body = json::ParseStrictJson(answer.bytes);
  if (!body.ok()) return transient(std::string(body.status().message()));
  if (!schema_.ok()) return transient(std::string(schema_.status().message()));
  absl::StatusOr<std::optional<SchemaViolation>> violation =
      (*schema_)->ValidateAt(*body, kAckDefs);
  if (!violation.ok()) {
    return transient(std::string(violation.status().message()));
  }
  std::optional<SchemaViolation> breach = *std::move(violation);
  if (!breach.has_value()) breach = CheckBeyondSchema(*body);
  if (breach.has_value()) {
    return transient(
        absl::StrCat(breach->pointer.empty() ? "body" : breach->pointer, ": ",
                     breach->message));
  }
  const Json& ack = *body;
  if (StringMember(ack, "message_id") != message.message_id) {
    return transient("/message_id: names another message than the one sent");
  }
  if (StringMember(ack, "sender") != partner_agency_) {
    return transient(absl::StrCat("/sender: not ", partner_agency_));
  }
  if (StringMember(ack, "recipient") != local_agency_) {
    return transient(absl::StrCat("/recipient: not ", local_agency_));
  }
  const std::string digest = StringMember(ack, "payload_sha256");
  if (digest != crypto::Sha256Hex(sent.bytes)) {
    return DeliveryOutcome::Permanent(
        absl::StrCat("ACK_DIGEST_MISMATCH /payload_sha256: ", partner_agency_,
                     " acknowledged other bytes than were sent "
                     "(partners/README.md §2.3)"),
        std::move(evidence));
  }
  gw::v1::Receipt receipt;
  receipt.set_message_id(message.message_id);
  receipt.set_payload_sha256(digest);
  receipt.set_recipient(StringMember(ack, "sender"));
  receipt.set_status(gw::v1::Receipt::ACCEPTED);
  if (std::optional<absl::Time> received =
          ParseTimestamp(StringMember(ack, "received_at"))) {
    *receipt.mutable_received_at() = util::ToTimestamp(*received);
  }
  if (const auto warnings = ack.find("warnings");
      warnings != ack.end() && warnings->is_array()) {
    for (const Json& item : *warnings) {
      gw::v1::ReceiptWarning* warning = receipt.add_warnings();
      warning->set_code(StringMember(item, "code"));
      warning->set_field(StringMember(item, "field"));
    }
  }
  return DeliveryOutcome::Delivered(std::move(receipt), std::move(evidence));
}

// ---- Inbound ---------------------------------------------------------------

absl::StatusOr<InboundMessage> KhCnpCodec::Decode(
    const std::string& sender_agency, const PartnerMessage& received) const {
  if (sender_agency != partner_agency_) {
    // Only keys registered to the partner are known here.
    return signed_http::RefusalStatus(
        HttpRefusal{403, "AGENCY_MISMATCH", "",
                    absl::StrCat("the client certificate's agency is not ",
                                 partner_agency_, ", this link's partner"),
                    "", 0});
  }
  GW_ASSIGN_OR_RETURN(signed_http::CheckedRequest checked,
                      signed_http::CheckReceivedRequest(
                          received, endpoints_, media_types_, profile_));
  const KindSpec* endpoint =
      checked.endpoint == nullptr
          ? nullptr
          : KindByMessageType(checked.endpoint->message_kind);
  if (endpoint == nullptr) {
    return signed_http::RefusalStatus(HttpRefusal{
        500, "INTERNAL_ERROR", "", "endpoint without a message kind", "", 0});
  }
  return DecodeBody(sender_agency, received, *endpoint, checked);
}

absl::StatusOr<InboundMessage> KhCnpCodec::DecodeBody(
    const std::string& sender_agency, const PartnerMessage& received,
    const KindSpec& endpoint,
    const signed_http::CheckedRequest& checked) const {
  const std::string& header_id = checked.message_id;
  auto refuse = [&](int http_status, const char* code, std::string field,
                    absl::string_view detail, const Json* body) {
    // A pointer names members the sender chose, and goes into the audit
    // log: bounded, whatever the sender wrote.
    return signed_http::RefusalStatus(HttpRefusal{
        http_status, code, util::TruncateUtf8(field, kMaxFieldBytes),
        OneLine(detail, kMaxDetailChars), RefusedMessageId(body, header_id),
        0});
  };
  if (!schema_.ok()) {
    return refuse(500, "INTERNAL_ERROR", "", schema_.status().message(),
                  nullptr);
  }
  absl::StatusOr<Json> parsed = json::ParseStrictJson(received.bytes);
  if (!parsed.ok()) {
    // A number out of range is valid JSON the schema forbids.
    const std::optional<json::StrictJsonError> error =
        json::StrictJsonErrorOf(parsed.status());
    if (error.has_value() &&
        error->kind == json::StrictJsonError::Kind::kNumber) {
      return refuse(400, "SCHEMA_VIOLATION", error->pointer,
                    "not an integer from 0 to 2^53-1 (KH-CNP.md §3.2)",
                    nullptr);
    }
    return refuse(400, "MALFORMED_JSON", "", parsed.status().message(),
                  nullptr);
  }
  Json body = *std::move(parsed);
  std::vector<std::string> normalized;
  std::string bad_pointer;
  if (absl::Status nfc = NormalizeStrings(&body, &normalized, &bad_pointer);
      !nfc.ok()) {
    return refuse(400, "MALFORMED_JSON", bad_pointer, "not valid UTF-8", &body);
  }
  absl::StatusOr<std::optional<SchemaViolation>> violation =
      (*schema_)->ValidateAt(body, DefsFor(body, endpoint));
  if (!violation.ok()) {
    return refuse(500, "INTERNAL_ERROR", "", violation.status().message(),
                  &body);
  }
  std::optional<SchemaViolation> breach = *std::move(violation);
  if (!breach.has_value()) breach = CheckBeyondSchema(body);
  if (breach.has_value()) {
    return refuse(400, "SCHEMA_VIOLATION", breach->pointer, breach->message,
                  &body);
  }
  if (StringMember(body, "message_id") != header_id) {
    return refuse(400, "HEADER_MISMATCH", "/message_id",
                  "message_id is not the value of the Gw-Message-Id header",
                  &body);
  }
  const std::string type = StringMember(body, "message_type");
  if (type != endpoint.message_type) {
    return refuse(
        400, "WRONG_ENDPOINT", "/message_type",
        absl::StrCat("a message of type ", type, " on ", endpoint.inbound_path,
                     ", which takes ", endpoint.message_type),
        &body);
  }
  if (StringMember(body, "sender") != sender_agency) {
    return refuse(403, "AGENCY_MISMATCH", "/sender",
                  absl::StrCat("sender is not ", sender_agency,
                               ", the agency of the client certificate"),
                  &body);
  }
  if (StringMember(body, "recipient") != local_agency_) {
    return refuse(403, "AGENCY_MISMATCH", "/recipient",
                  absl::StrCat("recipient is not ", local_agency_,
                               ", this gateway's agency"),
                  &body);
  }
  absl::StatusOr<CanonicalMessage> canonical = ToCanonical(endpoint, body);
  if (!canonical.ok()) {
    // Our failure, not the partner's: 500, which the partner retries.
    return refuse(
        500, "INTERNAL_ERROR", "",
        absl::StrCat("decoding failed: ", canonical.status().message()), &body);
  }
  InboundMessage out;
  out.sender_agency = sender_agency;
  out.message_id = header_id;
  out.envelope.set_payload_type(endpoint.payload_type);
  out.envelope.set_payload(util::SerializeDeterministic(*canonical->message));
  out.received_sha256 = crypto::Sha256Hex(received.bytes);
  out.evidence = RequestEvidence(received);
  out.link_key_id = checked.signature.key_id;
  out.warnings = NfcWarnings(normalized);
  for (gw::v1::ReceiptWarning& warning : canonical->warnings) {
    out.warnings.push_back(std::move(warning));
  }
  return out;
}

// ---- Answers ---------------------------------------------------------------

std::string KhCnpCodec::PartnerRefOf(const gw::v1::Receipt& receipt) const {
  std::string ref;
  if (partner_ref_) {
    ref = partner_ref_(receipt);
  } else if (receipt.has_checkpoint()) {
    std::string agency = local_agency_;
    agency.erase(std::remove(agency.begin(), agency.end(), '-'), agency.end());
    ref = absl::StrCat(agency, "-", receipt.leaf_index());
  }
  return OneLine(ref, kMaxPartnerRefChars);
}

absl::StatusOr<PartnerMessage> KhCnpCodec::SignedResponse(
    int status, std::string body, const PartnerMessage& received,
    int retry_after_seconds) const {
  const std::string digest = signed_http::ContentDigest(body);
  // §2.3: the echo only when the request had exactly one Gw-Message-Id;
  // the signature then covers it (§6.1).
  const std::optional<std::string> echo =
      OneHeader(received.metadata, "gw-message-id");
  GW_ASSIGN_OR_RETURN(signed_http::SignatureHeaders signature,
                      profile_.SignResponse(status, digest, echo.value_or("")));
  PartnerMessage out;
  out.message_id = echo.value_or("");
  out.content_type = kJsonMediaType;
  out.metadata = {{":status", absl::StrCat(status)},
                  {"content-type", kJsonMediaType},
                  {"content-digest", digest}};
  if (echo.has_value()) out.metadata.emplace_back("gw-message-id", *echo);
  out.metadata.emplace_back("signature-input",
                            std::move(signature.signature_input));
  out.metadata.emplace_back("signature", std::move(signature.signature));
  if (retry_after_seconds > 0) {
    out.metadata.emplace_back("retry-after", absl::StrCat(retry_after_seconds));
  }
  out.bytes = std::move(body);
  return out;
}

absl::StatusOr<std::optional<PartnerMessage>> KhCnpCodec::EncodeAnswer(
    const std::string& sender_agency, const PartnerMessage& received,
    const InboundAnswer& answer) const {
  const std::optional<std::string> header_id =
      OneHeader(received.metadata, "gw-message-id");
  if (answer.status.ok()) {
    if (!answer.receipt.has_value() || !answer.receipt->has_received_at()) {
      return absl::FailedPreconditionError(
          "answer.receipt: an OK answer needs the gateway's receipt with its "
          "received_at");
    }
    const gw::v1::Receipt& receipt = *answer.receipt;
    GW_ASSIGN_OR_RETURN(std::string received_at,
                        FormatTimestamp(receipt.received_at()));
    // The warnings of Decode, recomputed from the same bytes: the same on
    // every resend, with no need for the store to keep them.
    std::vector<std::string> normalized;
    if (absl::StatusOr<Json> body = json::ParseStrictJson(received.bytes);
        body.ok()) {
      std::string bad_pointer;
      if (!NormalizeStrings(&*body, &normalized, &bad_pointer).ok()) {
        normalized.clear();
      }
    }
    Json ack = Json::object();
    ack["message_type"] = "ack";
    ack["message_id"] =
        header_id.has_value() && util::IsLowercaseUuid(*header_id)
            ? *header_id
            : receipt.message_id();
    ack["sender"] = local_agency_;
    ack["recipient"] = sender_agency;
    ack["status"] = "ACCEPTED";
    ack["payload_sha256"] = crypto::Sha256Hex(received.bytes);
    ack["received_at"] = std::move(received_at);
    if (std::string ref = PartnerRefOf(receipt); !ref.empty()) {
      ack["partner_ref"] = std::move(ref);
    }
    if (!normalized.empty()) {
      Json warnings = Json::array();
      for (const std::string& pointer : normalized) {
        warnings.push_back(
            {{"code", kNormalizedNfcWarning}, {"field", pointer}});
      }
      ack["warnings"] = std::move(warnings);
    }
    GW_ASSIGN_OR_RETURN(PartnerMessage response,
                        SignedResponse(answer.duplicate ? 200 : 202,
                                       json::Canonical(ack), received, 0));
    return std::optional<PartnerMessage>(std::move(response));
  }

  std::optional<HttpRefusal> own = signed_http::HttpRefusalOf(answer.status);
  HttpRefusal refusal = own.has_value()
                            ? *std::move(own)
                            : signed_http::MapGatewayRefusal(answer.status);
  if (!own.has_value() && refusal.message_id.empty() && header_id.has_value() &&
      util::IsLowercaseUuid(*header_id)) {
    // A refusal after the body was read (§6.4 step 12): Decode found the
    // body's message_id equal to this header.
    refusal.message_id = *header_id;
  }
  if (refusal.http_status < 400 || refusal.http_status > 599) {
    refusal.http_status = 500;
    refusal.code = "INTERNAL_ERROR";
  }
  absl::StatusOr<std::string> detail = text::ToNfc(refusal.detail);
  std::string line = OneLine(detail.ok() ? *detail : "", kMaxDetailChars);
  if (line.find_first_not_of(' ') == std::string::npos) line = refusal.code;
  GW_ASSIGN_OR_RETURN(std::string now, FormatUtcTime(clock_()));
  Json error = Json::object();
  error["code"] = refusal.code;
  if (IsJsonPointer(refusal.field)) error["field"] = refusal.field;
  error["detail"] = std::move(line);
  Json body = Json::object();
  body["message_type"] = "error";
  if (util::IsLowercaseUuid(refusal.message_id)) {
    body["message_id"] = refusal.message_id;
  }
  body["sender"] = local_agency_;
  body["recipient"] = sender_agency;
  body["received_at"] = std::move(now);
  body["error"] = std::move(error);
  int retry_after = 0;
  if (refusal.http_status == 429 || refusal.http_status == 503) {
    retry_after = refusal.retry_after_seconds > 0 ? refusal.retry_after_seconds
                                                  : kDefaultRetryAfterSeconds;
  }
  GW_ASSIGN_OR_RETURN(PartnerMessage response,
                      SignedResponse(refusal.http_status, json::Canonical(body),
                                     received, retry_after));
  return std::optional<PartnerMessage>(std::move(response));
}

}  // namespace gw::kh_cnp
